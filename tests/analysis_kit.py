"""Helpers for analysis tests: the tiny ledger (or a changed copy) as a graph, on a fixed day,
and the pieces the hand-built cities of the analysis tests share (sheet tables, rows).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import networkx as nx
import pandas as pd

from graph.analysis.common import Params
from graph.build import build_graph
from graph.ledger import DTYPES
from graph.model import SHEETS_BY_KEY, ColumnType
from loaders import read_ledger
from tests.tinyledger import Sheets, code, tiny, write_xlsx

AS_OF = dt.date(2026, 11, 1)


def graph_of(sheets: Sheets | None = None) -> nx.MultiDiGraph:
    """The graph of ``sheets`` (default: the tiny ledger) read through a real workbook."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(sheets if sheets is not None else tiny(), Path(tmp) / "ledger.xlsx")
        return build_graph(read_ledger(path, today=AS_OF))


def params(**changes: object) -> Params:
    return Params(as_of=AS_OF, **changes)  # type: ignore[arg-type]


def table(sheet_key: str, rows: list[dict[str, object]]) -> pd.DataFrame:
    """A sheet's table with the ledger's columns and dtypes; missing cells are NA.

    Keys that are not columns of the sheet become extra text columns after the schema ones.
    """
    sheet = SHEETS_BY_KEY[sheet_key]
    data: dict[str, pd.Series] = {}
    for column in sheet.columns:
        values = [row.get(column.key) for row in rows]
        if column.type is ColumnType.DATE:
            values = pd.to_datetime(values)
        data[column.key] = pd.Series(values, dtype=DTYPES[column.type])
    extras = dict.fromkeys(k for row in rows for k in row if k not in sheet.by_key)
    for key in extras:
        data[key] = pd.Series([row.get(key) for row in rows], dtype="string")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def usccs(names: list[str]) -> dict[str, str]:
    """A valid USCC for each name, numbered 1, 2, … in the order given."""
    return {name: code(n) for n, name in enumerate(names, start=1)}


def org_row(
    uscc: str, name: str, formal: int, street: str, employees: int = 20, **extra: object
) -> dict[str, object]:
    """An 非公企业 ``<name>公司`` with ``formal`` formal members and no probationary ones."""
    row: dict[str, object] = {
        "uscc": uscc,
        "name": f"{name}公司",
        "kind": "非公企业",
        "employees": employees,
        "formal_members": formal,
        "probationary_members": 0,
        "street": street,
    }
    return {**row, **extra}


def street_table() -> pd.DataFrame:
    """Streets S1 东湖街道, S2 马坡岭街道 (芙蓉区) and S3 坡子街街道 (天心区)."""
    return table(
        "streets",
        [
            {"id": "S1", "name": "东湖街道", "district": "芙蓉区"},
            {"id": "S2", "name": "马坡岭街道", "district": "芙蓉区"},
            {"id": "S3", "name": "坡子街街道", "district": "天心区"},
        ],
    )


def segment_table() -> pd.DataFrame:
    """Chain C1's segments G1 零部件 (上游) and G2 整机 (中游)."""
    return table(
        "segments",
        [
            {"id": "G1", "chain": "C1", "name": "零部件", "position": "上游", "order": 1},
            {"id": "G2", "chain": "C1", "name": "整机", "position": "中游", "order": 2},
        ],
    )
