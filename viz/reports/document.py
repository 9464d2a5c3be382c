"""The shape of a report, apart from its file format: sections of paragraphs, tables and figures.

A report is built once from the analyses (:mod:`viz.reports.content`, pure) and written as
``.xlsx``, ``.docx`` or ``.html`` by the writers beside this module, so the three files always
say the same thing.

A table's columns are the column catalogue's (:class:`graph.columns.Column`, re-exported here):
a key, its heading, its kind (how its cells are written: ``code`` stays text; ``int``,
``number`` and ``rate`` are numbers, a rate given in percent; ``list`` is a tuple of texts
joined with :data:`LIST_SEPARATOR`; ``date`` and ``text`` are text) and a description the
reports do not show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graph.columns import Column, ColumnKind
from viz.mapdata import NetworkMap

__all__ = [
    "LIST_SEPARATOR",
    "NUMERIC_KINDS",
    "BarChart",
    "Block",
    "Column",
    "ColumnKind",
    "MapFigure",
    "Report",
    "Section",
    "Table",
    "cell_text",
]

NUMERIC_KINDS = frozenset({"int", "number", "rate"})
"""Column kinds whose cells are numbers (right-aligned in documents, numbers in workbooks)."""

LIST_SEPARATOR = "、"
"""What the items of a ``list`` cell are joined with (:func:`cell_text`)."""


@dataclass(frozen=True)
class Table:
    """One table of a section.

    ``rows`` are dicts keyed by the columns' ``key`` (missing values are None). ``sheet`` names
    the workbook sheet the table goes to (at most 31 characters); tables of several sections
    sharing a sheet name (one per chain, say) are written one under the other on that sheet, each
    row led by the ``context`` columns (``(heading, value)`` pairs such as 产业链 = 工程机械),
    which the document formats show in the heading instead.
    """

    sheet: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, object], ...]
    caption: str = ""
    context: tuple[tuple[str, str], ...] = ()
    empty: str = "无。"
    """What the document formats say instead of an empty table."""

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        full = tuple({k: row.get(k) for k in keys} for row in self.rows)  # absent → None
        object.__setattr__(self, "rows", full)


@dataclass(frozen=True)
class BarChart:
    """A bar chart: one group of bars per category, one bar per series (values in ``unit``)."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    unit: str = "%"
    target: float | None = None
    """A reference line (the rate to reach), drawn dashed; None for none."""


@dataclass(frozen=True)
class MapFigure:
    """A network map drawn as a picture (the web app's interactive map, still)."""

    title: str
    network: NetworkMap


Block = str | Table | BarChart | MapFigure
"""What a section holds, in order: a paragraph of text, a table, a chart or a map."""


@dataclass(frozen=True)
class Section:
    """A heading (level 1 to 3: a chain's own parts sit under its heading in the all-chains
    report) and what follows it."""

    heading: str
    blocks: tuple[Block, ...] = ()
    level: int = 1


@dataclass(frozen=True)
class Report:
    """A whole report: title, subtitle (data source and date judged), date made, sections.

    ``kind`` is one of ``chain``, ``coverage``, ``plan``, ``monthly``; ``filename`` is the
    suggested file name without suffix (Chinese, no characters a file system refuses).
    """

    kind: str
    title: str
    subtitle: str
    made: dt.date
    sections: tuple[Section, ...] = field(default_factory=tuple)
    filename: str = "报告"

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    @property
    def made_text(self) -> str:
        """The date made as Chinese documents write it: ``2026年11月25日``."""
        return f"{self.made.year}年{self.made.month}月{self.made.day}日"


def cell_text(column: Column, value: object) -> str:
    """One cell as text: rates with a percent sign, lists joined with "、", missing as "—"."""
    if value is None:
        return "—"
    if column.kind == "list":
        if isinstance(value, tuple | list):
            return LIST_SEPARATOR.join(str(v) for v in value) or "—"
        return str(value)
    if column.kind == "rate":
        return f"{float(value):.2f}%"  # type: ignore[arg-type]
    if column.kind == "number":
        return f"{float(value):g}"  # type: ignore[arg-type]
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
