"""One catalogue of the analyses' columns: what each is called, how it is written, what it means.

Every column of every analysis result has one entry here (a :class:`Column`): its English key
(the name in the result and in the JSON), the Chinese heading a planner reads, its kind (how its
values are written: a number, a rate, a code, a list …) and the longer Chinese description the
JSON API documents. The command line's and the pages' tables (:mod:`api.labels`), the reports
(:mod:`viz.reports.content`), the API's response models (:mod:`api.schemas`) and the analyses'
own column orders all read them, so a column is named in one place.

The entries sit in one module per analysis, beside the analysis of the same name in
:mod:`graph.analysis` (``graph.columns.leads`` for ``graph.analysis.leads`` …), entries several
results share in :mod:`graph.columns.common`. Each result's columns are one :class:`Columns`, in
the result's own order (``LEADS`` are the columns of :func:`graph.analysis.leads.leads`);
a table shown somewhere picks its columns from it (``LEADS.pick("rank", "name")``).

The same key can mean different things in different results: ``name`` is 组织名称 in one, 党组织名称
or 产业链 in others, ``total`` counts a different scope in the summary. Each meaning is its own
entry, and each result's :class:`Columns` holds the one it means. Where one result describes a
column a little differently from another (街道名称 that falls back to the code in a version
diff), the entry is a :meth:`Column.variant` of the shared one, made here, never in a surface.

This package imports nothing from the rest of the project: the analyses import it.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "RATE_NOTE",
    "Column",
    "ColumnKind",
    "Columns",
    "catalogue",
]

ColumnKind = Literal["text", "code", "int", "number", "rate", "list", "date"]
"""How a column's values are written: ``code`` is text that looks like a number or is a
machine code (a USCC, a 党组织编码, a version, ``weak_lax``) and must stay text; ``int`` and
``number`` are numbers; ``rate`` is a percentage given in percent (90.56 means 90.56%);
``list`` is a list of texts (or, for a result's parts, of rows); ``date`` a date or time in ISO
8601; ``text`` anything else, true/false written 是/否."""

RATE_NOTE = "，百分比，保留两位小数；分母为 0 时为 null"
"""How every rate's description ends."""


@dataclass(frozen=True)
class Column:
    """One column: its key, its Chinese heading, how its values are written, what it means.

    ``description`` is the API's (one sentence, Chinese); reports and tables show ``heading``.
    """

    key: str
    heading: str
    kind: ColumnKind = "text"
    description: str = ""

    def variant(self, **changes: str) -> Column:
        """This column with another heading or description (the same key), for a result that
        says it differently; made in the catalogue only."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


class Columns(tuple[Column, ...]):
    """Columns in order, at most one per key: a result's columns, or a table's pick of them."""

    __slots__ = ()

    def __new__(cls, *columns: Column) -> Columns:
        keys = [c.key for c in columns]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"a key may appear once: {', '.join(repeated)}")
        return super().__new__(cls, columns)

    def keys(self) -> list[str]:
        """The keys in order: a result's column order."""
        return [c.key for c in self]

    def column(self, key: str) -> Column:
        """The column of ``key`` (KeyError if there is none)."""
        for c in self:
            if c.key == key:
                return c
        raise KeyError(key)

    def pick(self, *keys: str) -> Columns:
        """The columns of ``keys``, in that order."""
        return Columns(*(self.column(k) for k in keys))


def catalogue() -> dict[str, Columns]:
    """Every result's columns in the catalogue, by ``module.NAME`` (``leads.LEADS``)."""
    found: dict[str, Columns] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Columns) and not name.startswith("_"):
                found[f"{info.name}.{name}"] = value
    return found
