"""Random cells, types and sizes in small workbooks and CSV folders: the reader returns issues
or raises a LiangxinError, never anything else (no traceback, no abort)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import LiangxinError
from graph.model import SHEETS_BY_KEY
from loaders import check_ledger
from tests.tinyledger import tiny, write_csv, write_xlsx

LABELS = [c.label for c in SHEETS_BY_KEY["organizations"].columns]
TEXT = st.text(
    alphabet=st.sampled_from(
        [*list("abcXYZ019 .,;\"'=#-+e\t\n组织街道党甲乙/:%"), "\u200b", "\ufeff"]
    ),
    max_size=12,
)
CELL = st.one_of(
    st.none(),
    TEXT,
    st.sampled_from(["inf", "-inf", "NaN", "1e30", "1e300", "=1+1", "=A1", "是", "2026-02-30"]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.tuples(st.just("error"), st.sampled_from(["#N/A", "#REF!", "#VALUE!", "#DIV/0!"])),
)
HEADER = st.one_of(st.sampled_from(LABELS), TEXT, st.none())
GRID = st.tuples(
    st.lists(HEADER, min_size=0, max_size=8),
    st.lists(st.lists(CELL, max_size=8), max_size=6),
    st.integers(min_value=0, max_value=3),  # rows above (titles, blanks)
    st.one_of(st.none(), st.tuples(st.integers(1, 300), st.integers(1, 80))),  # a far cell
)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize="FUZZ_EXAMPLES" not in os.environ,
)


def _check(source: Path) -> None:
    try:
        check_ledger(source, today=dt.date(2026, 11, 1))
    except LiangxinError as exc:
        assert exc.message and "Traceback" not in exc.message


def _put(ws, row: int, col: int, value: object) -> None:  # type: ignore[no-untyped-def]
    cell = ws.cell(row=row, column=col)
    if isinstance(value, tuple):
        cell.value = value[1]
        cell.data_type = "e"
    else:
        cell.value = value


@settings(FUZZ, max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")))
@given(grid=GRID, replace=st.booleans())
def test_workbook_fuzz(grid, replace):
    headers, rows, above, far = grid
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(tiny(), Path(tmp) / "fuzz.xlsx")
        book = openpyxl.load_workbook(path)
        ws = book["组织"]
        if replace:
            ws.delete_rows(1, ws.max_row)
        start = ws.max_row + 1 if not replace else 1
        ws.insert_rows(1, amount=above) if above and replace else None
        for j, h in enumerate(headers, start=1):
            _put(ws, start + above, j, h)
        for i, row in enumerate(rows, start=start + above + 1):
            for j, value in enumerate(row, start=1):
                _put(ws, i, j, value)
        if far:
            _put(ws, *far, "远处")
        book.save(path)
        _check(path)


@FUZZ
@given(
    grid=GRID,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    junk=st.binary(max_size=6),
    sep=st.sampled_from([",", "\t", ";"]),
)
def test_csv_fuzz(grid, encoding, junk, sep):
    headers, rows, above, _ = grid
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_csv(tiny(), Path(tmp) / "csv")
        lines = [""] * above + [sep.join("" if h is None else h for h in headers)]
        for row in rows:
            lines.append(sep.join("" if v is None else str(v) for v in row))
        text = "\r\n".join(lines)
        try:
            data = text.encode(encoding, errors="replace")
        except UnicodeError:
            data = text.encode("utf-8")
        (folder / "组织.csv").write_bytes(data + junk)
        _check(folder)
