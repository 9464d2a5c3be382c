"""Results as JSON: what ``liangxin <command> --format json`` prints and the web API answers.

One function per result, so the command line and the API give the same fields. JSON only:
tables for people are printed by the command line (:mod:`api.cli.tables`), pages rendered by
the web app.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from graph.analysis.common import is_missing
from graph.analysis.coverage import kind_overview
from graph.build import graph_counts

if TYPE_CHECKING:
    import networkx as nx

    from graph.analysis.chains import ChainReport
    from graph.analysis.diff import VersionDiff
    from graph.analysis.pairing import PairingResult
    from graph.analysis.plan import FormationPlan, Part
    from graph.store.workspace import Workspace

__all__ = [
    "DIFF_PARTS",
    "PLAN_PARTS",
    "chains_json",
    "diff_json",
    "pairing_json",
    "partners_json",
    "plain",
    "plain_tree",
    "plan_json",
    "records",
    "status_json",
    "summary_json",
    "versions_json",
]

PLAN_PARTS: tuple[Part, ...] = ("standalone", "groups", "attachments", "instructors", "splits")
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
    rows = cast("list[dict[str, Any]]", frame.to_dict("records"))
    return [{k: plain(v) for k, v in row.items()} for row in rows]


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


def summary_json(graph: nx.MultiDiGraph, source: str) -> dict[str, Any]:
    """What the data holds (``liangxin summary``) as the command line and the web app give it in
    JSON."""
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
