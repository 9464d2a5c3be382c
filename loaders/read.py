"""Reading a workbook or a CSV folder into raw sheets of text cells, located by Excel row.

Nothing here judges the data beyond what is needed to find the tables: which sheets and
columns are there, spelled how, on which rows. Every cell comes out as text (or missing), so
that codes are never floats and the validator sees exactly what the planner wrote.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import LedgerUnreadable
from graph.issues import LedgerIssue, Severity
from graph.model import SHEETS, Column, Sheet

__all__ = [
    "CSV_ENCODINGS",
    "WORKBOOK_SUFFIXES",
    "RawLedger",
    "RawSheet",
    "normalize_header",
    "read_raw",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
"""Tried strictly in this order (UTF-8 with or without BOM, then GB18030 which contains GBK);
only if both fail is a detector asked to guess."""

_REQUIRED_MARK = re.compile(r"(\(必填\)|\*)+$")


def normalize_header(text: object) -> str:
    """Header as compared: NFKC, trimmed, without a trailing "(必填)" or "*", lower-case.

    "（必填）" becomes "(必填)" under NFKC, so both spellings are removed.
    """
    s = unicodedata.normalize("NFKC", str(text)).strip()
    while True:
        t = _REQUIRED_MARK.sub("", s).strip()
        if t == s:
            return s.lower()
        s = t


def _sheet_lookup() -> dict[str, Sheet]:
    table: dict[str, Sheet] = {}
    for sheet in SHEETS:
        table[normalize_header(sheet.label)] = sheet
        table[normalize_header(sheet.key)] = sheet
    return table


def _column_lookup(sheet: Sheet) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for col in sheet.columns:
        for name in (col.label, col.key, *col.headers):
            table[normalize_header(name)] = col
    return table


_SHEETS = _sheet_lookup()
_COLUMNS = {sheet.key: _column_lookup(sheet) for sheet in SHEETS}


@dataclass
class RawSheet:
    """One sheet as read: text cells keyed by column, and where each came from.

    ``frame`` has one column per recognised model column (English key) and per extra column
    (its header as written); cells are ``str`` or ``None``. ``rows`` holds the Excel row number
    of each frame row (header = row 1). ``headers`` maps each key to the header as written.
    ``numeric`` marks, per code column, the cells Excel stored as numbers (which may have lost
    digits).
    """

    sheet: Sheet
    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str]
    extras: list[str] = field(default_factory=list)
    numeric: dict[str, np.ndarray] = field(default_factory=dict)

    def header(self, key: str) -> str:
        """The column's header as written, or its Chinese label if the column is absent."""
        return self.headers.get(key) or self.sheet.column(key).label


@dataclass
class RawLedger:
    """All recognised sheets of a source, plus problems found while finding them."""

    source: Path
    sheets: dict[str, RawSheet]
    issues: list[LedgerIssue] = field(default_factory=list)


def read_raw(path: Path | str, *, progress: Callable[[str], None] | None = None) -> RawLedger:
    """Read ``path`` (a workbook or a folder of CSV files) into raw sheets.

    Raises :class:`LedgerUnreadable` when the path is not a ledger at all.
    """
    path = Path(path)
    if not path.exists():
        raise LedgerUnreadable(f"找不到台账文件或文件夹：{path}。请检查路径是否正确。")
    if path.is_dir():
        return _read_csv_folder(path, progress)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raise LedgerUnreadable(
            f"{path.name} 是单个 CSV 文件。CSV 台账应是一个文件夹，每张表一个文件"
            "（如 组织.csv、党组织.csv、街道.csv），请传入该文件夹。"
        )
    if suffix not in WORKBOOK_SUFFIXES:
        raise LedgerUnreadable(
            f"无法识别 {path.name} 的格式。请提供 Excel 工作簿（.xlsx）或 CSV 文件所在的文件夹。"
        )
    return _read_workbook(path, progress)


# ---------------------------------------------------------------------------------------------
# Workbooks


def _read_workbook(path: Path, progress: Callable[[str], None] | None) -> RawLedger:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for non-workbooks
        raise LedgerUnreadable(
            f"无法打开 {path.name}：它不是有效的 Excel 工作簿，或文件已损坏。"
            "请在 Excel 中打开确认后另存为 .xlsx 再导入。"
        ) from exc
    raw = RawLedger(source=path, sheets={})
    for name in book.sheet_names:
        sheet = _SHEETS.get(normalize_header(name))
        if sheet is None:
            continue  # 说明, hidden option lists, the planner's own notes
        if sheet.key in raw.sheets:
            raw.issues.append(_duplicate_sheet(sheet, name, raw.sheets[sheet.key].name))
            continue
        if progress:
            progress(name)
        try:
            cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise LedgerUnreadable(f"无法读取工作表“{name}”：{exc}。请检查该表后重试。") from exc
        raw.sheets[sheet.key] = _from_cells(sheet, name, cells, raw.issues)
    return raw


def _cell_text(value: object) -> tuple[str | None, bool]:
    """A workbook cell as text, and whether Excel stored it as a number."""
    if value is None or value == "":
        return None, False
    if isinstance(value, bool):
        return ("是" if value else "否"), False
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value)), True
        return repr(value), True
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat(), False
        return value.isoformat(sep=" "), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    text = str(value).strip()
    return (text or None), False


def _from_cells(
    sheet: Sheet, name: str, cells: list[list[object]], issues: list[LedgerIssue]
) -> RawSheet:
    if not cells:
        return _build(sheet, name, [], [], [], issues)
    header = [_cell_text(v)[0] for v in cells[0]]
    body: list[list[str | None]] = []
    numeric: list[list[bool]] = []
    rows: list[int] = []
    for i, row in enumerate(cells[1:], start=2):
        texts, nums = zip(*(_cell_text(v) for v in row), strict=True) if row else ((), ())
        if any(t is not None for t in texts):
            body.append(list(texts))
            numeric.append(list(nums))
            rows.append(i)
    return _build(sheet, name, header, body, rows, issues, numeric)


# ---------------------------------------------------------------------------------------------
# CSV folders


def _read_csv_folder(folder: Path, progress: Callable[[str], None] | None) -> RawLedger:
    raw = RawLedger(source=folder, sheets={})
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        raise LedgerUnreadable(
            f"文件夹 {folder} 中没有 CSV 文件。CSV 台账应每张表一个文件，"
            "如 组织.csv、党组织.csv、街道.csv。"
        )
    for path in files:
        sheet = _SHEETS.get(normalize_header(path.stem))
        if sheet is None:
            continue
        if sheet.key in raw.sheets:
            raw.issues.append(_duplicate_sheet(sheet, path.name, raw.sheets[sheet.key].name))
            continue
        if progress:
            progress(path.name)
        text = _decode(path)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                header=None,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
            )
        except pd.errors.EmptyDataError:
            frame = pd.DataFrame()
        except (pd.errors.ParserError, ValueError) as exc:
            raise LedgerUnreadable(
                f"{path.name} 不是有效的 CSV 文件：{exc}。请用 Excel 另存为“CSV UTF-8”后重试。"
            ) from exc
        raw.sheets[sheet.key] = _from_frame(sheet, path.name, frame, raw.issues)
    return raw


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is None:
        raise LedgerUnreadable(
            f"无法识别 {path.name} 的文字编码。请用 Excel 将其另存为“CSV UTF-8（逗号分隔）”后重试。"
        )
    return str(guess)


def _from_frame(
    sheet: Sheet, name: str, frame: pd.DataFrame, issues: list[LedgerIssue]
) -> RawSheet:
    if frame.empty:
        return _build(sheet, name, [], [], [], issues)
    header = [(str(v).strip() or None) for v in frame.iloc[0].tolist()]
    body = frame.iloc[1:].reset_index(drop=True)
    stripped = pd.DataFrame({j: body.iloc[:, j].str.strip() for j in range(body.shape[1])})
    empty = stripped.eq("").to_numpy()
    keep = ~empty.all(axis=1)
    values = stripped.to_numpy(dtype=object, copy=True)
    values[empty] = None
    rows = (np.arange(len(body)) + 2)[keep]
    body = values[keep]
    return _build(sheet, name, header, body, rows.tolist(), issues)


# ---------------------------------------------------------------------------------------------
# Shared: map headers to the model's columns


def _build(
    sheet: Sheet,
    name: str,
    header: list[str | None],
    body: list[list[str | None]] | np.ndarray,
    rows: list[int],
    issues: list[LedgerIssue],
    numeric: list[list[bool]] | None = None,
) -> RawSheet:
    lookup = _COLUMNS[sheet.key]
    matrix = np.asarray(body, dtype=object).reshape(len(rows), len(header)) if rows else None
    flags = np.asarray(numeric, dtype=bool).reshape(len(rows), len(header)) if numeric else None
    data: dict[str, np.ndarray] = {}
    headers: dict[str, str] = {}
    extras: list[str] = []
    numeric_cols: dict[str, np.ndarray] = {}
    seen_extra: dict[str, str] = {}
    for j, written in enumerate(header):
        column_values = matrix[:, j] if matrix is not None else np.empty(0, dtype=object)
        if written is None:
            if column_values.size and any(v is not None for v in column_values):
                from xlsxwriter.utility import xl_col_to_name  # only for this rare warning

                letter = xl_col_to_name(j)
                issues.append(
                    LedgerIssue(
                        Severity.WARNING,
                        "column_without_header",
                        name,
                        1,
                        letter,
                        None,
                        f"第 {letter} 列有数据但没有表头，这一列未被读取。如需保留，请补上表头。",
                    )
                )
            continue
        col = lookup.get(normalize_header(written))
        key = col.key if col else written
        if key in headers or key in seen_extra:
            first = headers.get(key) or seen_extra[key]
            issues.append(
                LedgerIssue(
                    Severity.ERROR,
                    "duplicate_column",
                    name,
                    1,
                    written,
                    written,
                    f"表头“{written}”与“{first}”指的是同一列，请删除或改名其中一列。",
                )
            )
            continue
        if col:
            headers[key] = written
            if flags is not None and col.is_code:
                numeric_cols[key] = flags[:, j]
        else:
            seen_extra[key] = written
            extras.append(written)
        data[key] = column_values
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)), dtype=object)
    return RawSheet(
        sheet=sheet,
        name=name,
        frame=frame,
        rows=np.asarray(rows, dtype=np.int64),
        headers=headers,
        extras=extras,
        numeric=numeric_cols,
    )


def _duplicate_sheet(sheet: Sheet, name: str, first: str) -> LedgerIssue:
    return LedgerIssue(
        Severity.ERROR,
        "duplicate_sheet",
        name,
        None,
        None,
        None,
        f"“{name}”与“{first}”都是“{sheet.label}”表，请只保留一张。",
    )
