"""Writing a ledger (台账) to an .xlsx workbook or a folder of CSV files, atomically.

The files are what the readers accept and what planners open in Excel: Chinese sheet names
and headers, codes as text (an 18-digit code never becomes a number), counts as whole
numbers, 是/否 for yes-no columns, dates as ``yyyy-mm-dd``, empty cells for missing values.
Both writers stream row by row or chunk by chunk, so a ledger of a million organizations does
not need a second copy of itself in memory, and both write to a temporary file beside the
target and rename it into place: a reader never sees a half-written file.
"""

from __future__ import annotations

import codecs
import os
import secrets
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from graph.errors import LiangxinError
from graph.ledger import Ledger
from graph.model import Column, ColumnType, Sheet

__all__ = [
    "CSV_ENCODINGS",
    "EXCEL_MAX_ROWS",
    "csv_file_name",
    "replace_atomically",
    "write_csv_folder",
    "write_workbook",
]

CSV_ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "gb18030")
"""Encodings the CSV writer produces: UTF-8, UTF-8 with BOM (what Excel likes), GB18030."""

EXCEL_MAX_ROWS = 1_048_576
"""Rows in one Excel sheet, the header row included."""

_PROGRESS_EVERY = 10_000
_CSV_CHUNK_ROWS = 100_000
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ms")
_MS_PER_DAY = 86_400_000
_WIDTH_SAMPLE = 200
_MAX_WIDTH = 48


# ---------------------------------------------------------------------------------------------
# Public API


def write_workbook(
    ledger: Ledger, path: Path, *, progress: Callable[[int], None] | None = None
) -> None:
    """Write every sheet of ``ledger`` to one .xlsx workbook at ``path``.

    Sheets follow the model's order, named by their Chinese label (组织, 党组织, …), each with
    a bold, frozen header row of Chinese column labels, then the planner's extra columns under
    their own headers. Code columns are text cells in a text-formatted ('@') column; integers
    and decimals are numbers; yes-no cells are 是/否; dates are Excel dates shown as
    yyyy-mm-dd; missing values are empty cells. Written in xlsxwriter's constant-memory mode
    (row by row), to a temporary file that replaces ``path`` only when complete.

    ``progress`` is called with the number of data rows written so far (all sheets together)
    every 10,000 rows and at the end of each sheet; the total is
    ``sum(ledger.counts().values())``.
    """
    for sheet, table in ledger:
        if len(table) + 1 > EXCEL_MAX_ROWS:
            raise LiangxinError(
                f"工作表“{sheet.label}”有 {len(table):,} 行，超过 Excel 单个工作表的上限"
                f" {EXCEL_MAX_ROWS - 1:,} 行，请改为导出 CSV 文件夹。"
            )
    path = Path(path)
    with replace_atomically(path) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp), {"constant_memory": True, "strings_to_numbers": False}
        )
        try:
            formats = _Formats(workbook)
            written = 0
            for sheet, table in ledger:
                written = _write_sheet(workbook, formats, sheet, table, written, progress)
        finally:
            workbook.close()


def write_csv_folder(
    ledger: Ledger,
    folder: Path,
    *,
    encoding: str = "utf-8-sig",
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write ``ledger`` as one CSV file per sheet, ``<中文表名>.csv``, into ``folder``.

    Written: every sheet that has rows, the three required sheets (组织, 党组织, 街道) even when
    empty, and any sheet whose file already exists in the folder (rewritten with its header
    only when empty, so the folder never mixes two ledgers). Headers are the Chinese labels
    followed by the planner's extra columns; values are formatted as in the workbook (是/否,
    yyyy-mm-dd, integers without ".0", empty for missing). ``encoding`` is one of
    :data:`CSV_ENCODINGS`; "utf-8-sig" writes a byte-order mark so that Excel on Windows
    shows the Chinese correctly. Tables are written in chunks of 100,000 rows, each file to a
    temporary name first and renamed into place when complete.

    ``progress`` is called with the number of data rows written so far (all files together).
    """
    if _normal_encoding(encoding) not in {_normal_encoding(e) for e in CSV_ENCODINGS}:
        allowed = "、".join(CSV_ENCODINGS)
        raise LiangxinError(f"不支持的 CSV 编码“{encoding}”，请选择 {allowed}。")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for sheet, table in ledger:
        target = folder / csv_file_name(sheet)
        if len(table) == 0 and not sheet.required and not target.exists():
            continue
        with replace_atomically(target) as tmp:
            written = _write_csv(sheet, table, tmp, encoding, written, progress)


def csv_file_name(sheet: Sheet) -> str:
    """The CSV file of a sheet: ``组织.csv``."""
    return f"{sheet.label}.csv"


@contextmanager
def replace_atomically(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` when the block succeeds.

    The temporary file is removed when the block fails, so ``path`` is either the old file or
    the complete new one, never a partial write (``os.replace`` is atomic on one file system).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------
# Workbook


class _Formats:
    """The few cell formats every sheet shares."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#E7ECF3", "border": 1, "valign": "vcenter"}
        )
        self.text = workbook.add_format({"num_format": "@"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.integer = workbook.add_format({"num_format": "0"})


def _write_sheet(
    workbook: xlsxwriter.Workbook,
    formats: _Formats,
    sheet: Sheet,
    table: pd.DataFrame,
    written: int,
    progress: Callable[[int], None] | None,
) -> int:
    ws = workbook.add_worksheet(sheet.label)
    specs: list[tuple[int, list[Any], Callable[..., Any], Any]] = []
    for col, (key, column) in enumerate(_layout(sheet, table)):
        header = column.label if column else str(key)
        series = table[key] if key in table.columns else pd.Series([None] * len(table))
        values, kind = _cell_values(series, column)
        fmt = {
            "code": formats.text,
            "date": formats.date,
            "int": formats.integer,
        }.get(kind)
        ws.set_column(col, col, _width(header, values), fmt)
        ws.write_string(0, col, header, formats.header)
        method = ws.write_number if kind in ("int", "float", "date") else ws.write_string
        specs.append((col, values, method, fmt))
    ws.freeze_panes(1, 0)
    n = len(table)
    for i in range(n):
        row = i + 1
        for col, values, method, fmt in specs:
            value = values[i]
            if value is not None:
                method(row, col, value, fmt)
        if progress is not None and row % _PROGRESS_EVERY == 0:
            progress(written + row)
    written += n
    if progress is not None and n:
        progress(written)
    return written


def _cell_values(series: pd.Series, column: Column | None) -> tuple[list[Any], str]:
    """The column's cells as Python values (``None`` = empty cell) and how to write them."""
    ctype = column.type if column else ColumnType.TEXT
    if ctype is ColumnType.DATE:
        data = pd.to_datetime(series).to_numpy(dtype="datetime64[ms]")
        missing = np.isnat(data)
        serial = (data - _EXCEL_EPOCH).astype("int64") / _MS_PER_DAY
        return _with_none(serial.tolist(), missing), "date"
    if ctype is ColumnType.INT:
        ints = pd.array(series, dtype="Int64")  # type: ignore[call-overload]
        return _with_none(ints.to_numpy(dtype="int64", na_value=0).tolist(), ints.isna()), "int"
    if ctype is ColumnType.DECIMAL:
        floats = pd.array(series, dtype="Float64")  # type: ignore[call-overload]
        missing = floats.isna()
        return _with_none(floats.to_numpy(dtype="float64", na_value=0.0).tolist(), missing), (
            "float"
        )
    if ctype is ColumnType.BOOL:
        return _yes_no(series).tolist(), "text"
    strings = series.astype("string")
    missing = strings.isna().to_numpy() | (strings.fillna("") == "").to_numpy()
    values = strings.to_numpy(dtype=object, na_value=None).tolist()  # type: ignore[call-overload]
    return _with_none(values, missing), "code" if column is not None and column.is_code else "text"


def _layout(sheet: Sheet, table: pd.DataFrame) -> list[tuple[str, Column | None]]:
    """The columns written, in order: the model's, then the planner's extras (no Column)."""
    known = {c.key: c for c in sheet.columns}
    extras = [k for k in table.columns if k not in known]
    return [(c.key, c) for c in sheet.columns] + [(k, None) for k in extras]


def _yes_no(series: pd.Series) -> np.ndarray:
    """A yes-no column as 是/否 (object array, ``None`` where missing)."""
    bools = pd.array(series, dtype="boolean")  # type: ignore[call-overload]
    words = np.where(bools.to_numpy(dtype=bool, na_value=False), "是", "否").astype(object)
    words[bools.isna()] = None
    return words


def _with_none(values: list[Any], missing: Any) -> list[Any]:
    mask = np.asarray(missing, dtype=bool)
    if mask.any():
        for i in np.flatnonzero(mask).tolist():
            values[i] = None
    return values


def _width(header: str, values: list[Any]) -> float:
    """A column width that fits the header and the first values (CJK counts double)."""
    sample = [header, *(v for v in values[:_WIDTH_SAMPLE] if isinstance(v, str))]
    widest = max(_display_width(s) for s in sample)
    if any(isinstance(v, float | int) for v in values[:_WIDTH_SAMPLE]):
        widest = max(widest, 10)
    return float(min(_MAX_WIDTH, max(8, widest + 2)))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ---------------------------------------------------------------------------------------------
# CSV


def _write_csv(
    sheet: Sheet,
    table: pd.DataFrame,
    target: Path,
    encoding: str,
    written: int,
    progress: Callable[[int], None] | None,
) -> int:
    layout = _layout(sheet, table)
    headers = [column.label if column else str(key) for key, column in layout]
    with open(target, "w", encoding=encoding, newline="") as fh:
        if len(table) == 0:
            pd.DataFrame(columns=headers).to_csv(fh, index=False, lineterminator="\r\n")
        for start in range(0, len(table), _CSV_CHUNK_ROWS):
            chunk = table.iloc[start : start + _CSV_CHUNK_ROWS]
            out = pd.DataFrame(
                {
                    h: _csv_values(chunk, key, column)
                    for h, (key, column) in zip(headers, layout, strict=True)
                }
            )
            out.to_csv(
                fh,
                header=start == 0,
                index=False,
                na_rep="",
                date_format="%Y-%m-%d",
                lineterminator="\r\n",
            )
            written += len(chunk)
            if progress is not None:
                progress(written)
    return written


def _csv_values(chunk: pd.DataFrame, key: str, column: Column | None) -> Any:
    if key not in chunk.columns:
        return pd.Series([None] * len(chunk), index=chunk.index, dtype="string")
    series = chunk[key]
    if column is None:
        return series.astype("string")
    if column.type is ColumnType.BOOL:
        return pd.Series(_yes_no(series), index=chunk.index, dtype=object)
    if column.type is ColumnType.DATE:
        return pd.to_datetime(series)
    return series


def _normal_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name
