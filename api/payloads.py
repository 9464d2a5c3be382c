"""Analysis results out: a table for people (Chinese headings), JSON or CSV for programs."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import pandas as pd

from api import console
from graph.analysis.common import Params, is_missing, org_table
from graph.analysis.coverage import coverage

if TYPE_CHECKING:
    import networkx as nx

    from graph.analysis.chains import ChainReport
    from graph.analysis.diff import VersionDiff
    from graph.analysis.pairing import PairingResult
    from graph.analysis.plan import FormationPlan
    from graph.store.workspace import VersionInfo, Workspace
    from viz.reports.document import Report

__all__ = [
    "DIFF_PARTS",
    "PLAN_PARTS",
    "chains_json",
    "csv_safe",
    "csv_text",
    "diff_json",
    "emit",
    "kind_overview",
    "monthly_document",
    "pairing_json",
    "partners_json",
    "plain",
    "plain_tree",
    "plan_json",
    "records",
    "split_parts_joined",
    "status_json",
    "summary_json",
    "versions_json",
]

PLAN_PARTS = ("standalone", "groups", "attachments", "instructors", "splits")
"""The parts of a formation plan in its JSON, after ``rates``."""
DIFF_PARTS = (
    "headline",
    "streets",
    "chains",
    "moved",
    "left_scope",
    "entered_scope",
    "added",
    "removed",
    "newly_uncovered",
    "newly_covered",
)
"""The tables of a version diff in its JSON, after ``from`` and ``to``."""


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN/NA → None, dates → ISO text, numpy scalars → Python."""
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def partners_json(frame: pd.DataFrame) -> dict[str, Any]:
    """A ``partners`` result as the command line and the web app give it in JSON."""
    return {
        "subject": plain_tree(frame.attrs.get("subject")),
        "note": frame.attrs.get("note"),
        "rows": records(frame),
    }


def pairing_json(result: PairingResult) -> dict[str, Any]:
    """A ``pairing`` result as the command line and the web app give it in JSON."""
    return {
        "liangxin_orgs": result.liangxin_orgs,
        "liangxin_paired": result.liangxin_paired,
        "paired_rate": result.paired_rate,
        "by_type": records(result.by_type),
        "by_district": records(result.by_district),
        "unpaired": records(result.unpaired),
    }


def plan_json(result: FormationPlan) -> dict[str, Any]:
    """A formation plan as the command line and the web app give it in JSON."""
    solver = {**asdict(result.solver), "note": result.solver.note}
    return {
        "rates": records(result.rates),
        **{p: records(result.frame(p)) for p in PLAN_PARTS},
        "solver": solver,
    }


def split_parts_joined(splits: pd.DataFrame) -> pd.DataFrame:
    """A plan's ``splits`` table with each split's parts as one text, as the command line and
    the web page show it: “第1组：甲、乙；第2组：丙、丁”."""
    from graph.analysis.plan import split_lines

    return splits.assign(part_names=["；".join(split_lines(p)) for p in splits["part_names"]])


def chains_json(reports: list[ChainReport]) -> list[dict[str, Any]]:
    """A ``chain_structure`` result as the command line and the web app give it in JSON."""
    return [plain_tree(asdict(report)) for report in reports]


def diff_json(from_version: str, to_version: str, result: VersionDiff) -> dict[str, Any]:
    """A version diff as the command line and the web app give it in JSON."""
    return {
        "from": from_version,
        "to": to_version,
        **{part: records(getattr(result, part)) for part in DIFF_PARTS},
    }


def monthly_document(
    then: VersionInfo, now: VersionInfo, changes: VersionDiff, params: Params
) -> Report:
    """The monthly report (月调度) on what changed from ``then`` to ``now``, as ``liangxin report
    monthly`` writes it and the web app's report download answers it."""
    from viz.reports.content import monthly_report

    return monthly_report(
        changes, (then.id, then.loaded_at[:10]), (now.id, now.loaded_at[:10]), params
    )


def summary_json(graph: nx.MultiDiGraph, source: str) -> dict[str, Any]:
    """What the data holds (``liangxin summary``) as the command line and the web app give it in
    JSON."""
    from graph.build import graph_counts

    nodes, edges = graph_counts(graph)
    return {
        "source": source,
        "organizations": records(kind_overview(graph)),
        "nodes": records(nodes),
        "edges": records(edges),
    }


def versions_json(ws: Workspace) -> list[dict[str, Any]]:
    """Every version of ``ws``, the current one marked, as ``liangxin versions`` and the web app
    give them in JSON."""
    current = ws.current()
    return [
        {**v.to_dict(), "current": current is not None and v.id == current.id}
        for v in ws.versions()
    ]


def status_json(ws: Workspace) -> dict[str, Any]:
    """The workspace's current version as ``liangxin status`` and the web app give it in JSON."""
    return {"workspace": str(ws.root), **ws.resolve(None).to_dict()}


def emit(
    frame: pd.DataFrame,
    fmt: str,
    headings: Mapping[str, str],
    *,
    title: str | None = None,
    source: str | None = None,
    limit: int | None = 200,
) -> None:
    """Print ``frame`` as a table (only ``headings``' columns, in that order), JSON or CSV.

    JSON is a list of rows, every column under its English name, values as they are. CSV joins
    list cells with "；" and neutralises text a spreadsheet would run as a formula
    (:func:`csv_safe`).
    """
    if fmt == "json":
        console.print_json(records(frame))
        return
    if fmt == "csv":
        sys.stdout.write(csv_text(frame))
        return
    if source:
        console.say(f"数据来源：{source}")
    shown = _lists_joined(frame, [c for c in headings if c in frame], "、")
    if shown.empty:
        console.say(f"{title or ''}：没有符合条件的结果。")
        return
    console.print_table(shown, dict(headings), title=title, limit=limit)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel, WPS or LibreOffice read a cell as a formula (OWASP, "CSV Injection")."""


def csv_safe(value: Any) -> Any:
    """A text cell that starts like a formula, prefixed with ``'`` so that a spreadsheet shows
    it as text instead of running it (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``); numbers, dates
    and other text unchanged. For CSV only: JSON keeps every value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as the CSV every ``--format csv`` writes: no index, list cells joined with
    "；", formula-like text neutralised (:func:`csv_safe`)."""
    safe = _lists_joined(frame, frame.columns, "；")
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(csv_safe)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False)
    return buffer.getvalue()


def _lists_joined(frame: pd.DataFrame, columns: Iterable[str], separator: str) -> pd.DataFrame:
    """A copy of ``frame`` whose list cells in ``columns`` are text, items joined by
    ``separator``."""
    joined = frame.copy()
    for column in columns:
        if joined[column].map(lambda v: isinstance(v, list | tuple)).any():
            joined[column] = joined[column].map(
                lambda v: separator.join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return joined


def plain(value: Any) -> Any:
    """One cell as JSON-ready: missing → None, dates → ISO text, numpy scalars → Python."""
    if is_missing(value):
        return None
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return (
            value.isoformat()[:10]
            if not hasattr(value, "hour") or value.hour == 0
            else (value.isoformat())
        )
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def plain_tree(value: Any) -> Any:
    """``plain`` applied through nested dicts and lists (dataclasses given as ``asdict``)."""
    if isinstance(value, dict):
        return {k: plain_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_tree(v) for v in value]
    return plain(value)


def kind_overview(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Per kind: organizations listed, operating ones, and the coverage headline (no scope);
    the table of ``liangxin summary`` and ``GET /api/summary``."""
    params = Params()
    rates = coverage(graph, "kind", params)
    listed = org_table(graph, params)["org_kind"].value_counts()
    rates.insert(1, "listed", rates["kind"].map(listed).fillna(0).astype("int64"))
    return rates[["kind", "listed", "total", "org_covered", "org_rate", "work_rate"]]
