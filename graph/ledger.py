"""The validated ledger (台账): one typed table per sheet, the input to every analysis.

Each table is a pandas DataFrame whose columns are the sheet's English keys, in the model's
order, with fixed dtypes (codes and text as strings, counts as nullable integers, dates as
``datetime64[ms]``), followed by any extra columns the planner added, kept as text under their
header as written. Sheets absent from the source are empty tables with the same columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from graph.model import SHEETS, SHEETS_BY_KEY, ColumnType, Sheet

__all__ = ["DTYPES", "Ledger", "empty_table", "schema_columns"]

DTYPES: dict[ColumnType, str] = {
    ColumnType.USCC: "string",
    ColumnType.CODE: "string",
    ColumnType.TEXT: "string",
    ColumnType.ENUM: "string",
    ColumnType.INT: "Int64",
    ColumnType.DECIMAL: "Float64",
    ColumnType.BOOL: "boolean",
    ColumnType.DATE: "datetime64[ms]",
}
"""The dtype each column type is stored with (Parquet round-trips all of them unchanged)."""


def schema_columns(sheet: Sheet) -> list[str]:
    return [c.key for c in sheet.columns]


def empty_table(sheet: Sheet) -> pd.DataFrame:
    """A table with the sheet's columns and dtypes and no rows."""
    return pd.DataFrame(
        {c.key: pd.Series([], dtype=DTYPES[c.type]) for c in sheet.columns}, index=pd.RangeIndex(0)
    )


@dataclass
class Ledger:
    """All sheets of one ledger as typed tables, keyed by the sheet's English key.

    ``present`` records which sheets the source actually had (an absent optional sheet is an
    empty table here).
    """

    tables: dict[str, pd.DataFrame]
    present: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for sheet in SHEETS:
            if sheet.key not in self.tables:
                self.tables[sheet.key] = empty_table(sheet)

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.tables[key]

    def __iter__(self) -> Iterator[tuple[Sheet, pd.DataFrame]]:
        for sheet in SHEETS:
            yield sheet, self.tables[sheet.key]

    @property
    def organizations(self) -> pd.DataFrame:
        """组织: one row per 两新组织, keyed by ``uscc``."""
        return self.tables["organizations"]

    @property
    def party_orgs(self) -> pd.DataFrame:
        """党组织: keyed by ``id``."""
        return self.tables["party_orgs"]

    @property
    def streets(self) -> pd.DataFrame:
        return self.tables["streets"]

    @property
    def buildings(self) -> pd.DataFrame:
        return self.tables["buildings"]

    @property
    def parks(self) -> pd.DataFrame:
        return self.tables["parks"]

    @property
    def chains(self) -> pd.DataFrame:
        return self.tables["chains"]

    @property
    def segments(self) -> pd.DataFrame:
        return self.tables["segments"]

    @property
    def supply_links(self) -> pd.DataFrame:
        return self.tables["supply_links"]

    @property
    def committee_members(self) -> pd.DataFrame:
        return self.tables["committee_members"]

    @property
    def pairings(self) -> pd.DataFrame:
        return self.tables["pairings"]

    @property
    def instructors(self) -> pd.DataFrame:
        return self.tables["instructors"]

    def counts(self) -> dict[str, int]:
        """Rows per sheet, by English key."""
        return {sheet.key: len(self.tables[sheet.key]) for sheet in SHEETS}

    def extra_columns(self, key: str) -> list[str]:
        """The planner's own columns of a sheet, kept as text properties."""
        known = set(schema_columns(SHEETS_BY_KEY[key]))
        return [c for c in self.tables[key].columns if c not in known]

    def equals(self, other: Ledger) -> bool:
        """Same tables, same columns, same dtypes, same values."""
        for sheet in SHEETS:
            a, b = self.tables[sheet.key], other.tables[sheet.key]
            if list(a.columns) != list(b.columns) or len(a) != len(b):
                return False
            if not a.reset_index(drop=True).equals(b.reset_index(drop=True)):
                return False
        return True
