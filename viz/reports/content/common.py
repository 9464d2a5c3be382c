"""What the four reports share: their titles, how an analysis result becomes a table's rows,
and the words for rates and their changes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import cast

import pandas as pd

from graph.analysis.common import Params, is_missing, pct
from graph.columns import Columns
from viz.reports.document import Column, Report, Section, Table

__all__ = [
    "REPORT_KINDS",
    "chart_series",
    "data_subtitle",
    "frame_table",
    "pct_of",
    "rate_words",
    "table_rows",
    "titled_report",
    "to_number",
    "to_numbers",
    "trend_words",
]

REPORT_KINDS: dict[str, str] = {
    "chain": "产业链党建工作报告",
    "coverage": "两新组织“两个覆盖”情况报告",
    "plan": "两新组织党组织组建方案",
    "monthly": "两新组织党建工作月调度情况",
}
"""The four reports and their titles."""


def table_rows(frame: pd.DataFrame, columns: Sequence[Column]) -> tuple[dict[str, object], ...]:
    """The ``columns`` of ``frame`` as plain Python rows: NaN/NA → None, numpy → Python."""
    keys = [c.key for c in columns]
    out = []
    for record in cast("list[dict[str, object]]", frame.reindex(columns=keys).to_dict("records")):
        out.append({k: _plain(v) for k, v in record.items()})
    return tuple(out)


def frame_table(sheet: str, columns: tuple[Column, ...], frame: pd.DataFrame) -> Table:
    """A table of the ``columns`` of ``frame`` (see :func:`table_rows`)."""
    return Table(sheet, columns, table_rows(frame, columns))


def _plain(value: object) -> object:
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def to_number(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def to_numbers(values: Iterable[object]) -> tuple[float | None, ...]:
    """A chart series: every value a float, missing ones None."""
    return tuple(to_number(v) for v in values)


def chart_series(
    frame: pd.DataFrame, columns: Columns
) -> tuple[tuple[str, tuple[float | None, ...]], ...]:
    """The ``columns`` of ``frame`` as a bar chart's series, each named by its heading."""
    return tuple((c.heading, to_numbers(frame[c.key])) for c in columns)


def pct_of(numerator: int, denominator: int) -> float | None:
    return to_number(pct(numerator, denominator))


def rate_words(value: object) -> str:
    return "—（无纳入统计的组织）" if is_missing(value) else f"{float(value):.2f}%"  # type: ignore[arg-type]


def trend_words(change: object) -> str:
    if is_missing(change):
        return "无可比数据"
    change = float(change)  # type: ignore[arg-type]
    if change > 0:
        return f"上升 {change:g} 个百分点"
    if change < 0:
        return f"下降 {-change:g} 个百分点"
    return "持平"


def titled_report(
    kind: str,
    sections: Iterable[Section],
    params: Params,
    subtitle: str,
    what: str | None = None,
    *,
    lead: str = "",
) -> Report:
    """The ``kind`` report made on the day judged, titled from :data:`REPORT_KINDS` (after
    ``lead``, a chain's name); ``what`` goes into the file name."""
    title = REPORT_KINDS[kind]
    return Report(
        kind=kind,
        title=lead + title,
        subtitle=subtitle,
        made=params.as_of,
        sections=tuple(sections),
        filename=_filename(title, what, params.as_of),
    )


def data_subtitle(source: str, params: Params) -> str:
    return f"数据来源：{source}；统计截至 {params.as_of.isoformat()}"


def _filename(title: str, what: str | None, day: dt.date) -> str:
    parts = [
        title.replace("“", "").replace("”", ""),
        *([what] if what else []),
        day.strftime("%Y%m%d"),
    ]
    return re.sub(r'[\\/:*?"<>|\s]+', "_", "-".join(parts))
