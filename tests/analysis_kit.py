"""Helpers for analysis tests: the tiny ledger (or a changed copy) as a graph, on a fixed day."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import networkx as nx

from graph.analysis.common import Params
from graph.build import build_graph
from loaders import read_ledger
from tests.tinyledger import Sheets, tiny, write_xlsx

AS_OF = dt.date(2026, 11, 1)


def graph_of(sheets: Sheets | None = None) -> nx.MultiDiGraph:
    """The graph of ``sheets`` (default: the tiny ledger) read through a real workbook."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(sheets if sheets is not None else tiny(), Path(tmp) / "ledger.xlsx")
        return build_graph(read_ledger(path, today=AS_OF))


def params(**changes: object) -> Params:
    return Params(as_of=AS_OF, **changes)  # type: ignore[arg-type]
