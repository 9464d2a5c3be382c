"""Reading a workbook or a CSV folder into raw sheets of text cells, located by Excel row.

Nothing here judges the data beyond what is needed to find the tables: which sheets and
columns are there, spelled how, on which rows. Every cell comes out as text (or missing), so
that codes are never floats and the validator sees exactly what the planner wrote.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from graph.errors import LedgerUnreadable
from graph.issues import LedgerIssue, Severity
from graph.model import SHEETS, Column, Sheet

if TYPE_CHECKING:
    from loaders.xlsxscan import SheetScan

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
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")  # stray BOMs, zero-width spaces
HEADER_SEARCH_ROWS = 10
"""How far down a sheet whose first row is not its header is searched for the header."""


def normalize_header(text: object) -> str:
    """Header as compared: NFKC, trimmed, without a trailing "(必填)" or "*", lower-case.

    "（必填）" becomes "(必填)" under NFKC, so both spellings are removed.
    """
    s = _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(text))).strip()
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
    digits). ``broken`` marks, per column, the cells read as empty that are not (a formula
    without a stored result, an Excel error value): the reader has reported them already.
    """

    sheet: Sheet
    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str]
    extras: list[str] = field(default_factory=list)
    numeric: dict[str, np.ndarray] = field(default_factory=dict)
    broken: dict[str, np.ndarray] = field(default_factory=dict)

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

    from loaders.xlsxscan import scan_workbook

    scans = scan_workbook(path, lambda name: normalize_header(name) in _SHEETS)
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
            raise LedgerUnreadable(
                f"无法读取 {path.name} 的工作表“{name}”，该表可能已损坏。"
                "请在 Excel 中打开确认后另存为 .xlsx 再导入。"
            ) from exc
        scan = scans.get(name)
        raw.sheets[sheet.key] = _from_cells(sheet, name, cells, raw.issues, scan)
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
    if isinstance(value, dt.timedelta):
        return str(value), False
    text = str(value).strip()
    return (text or None), False


def _from_cells(
    sheet: Sheet,
    name: str,
    cells: Sequence[Sequence[object]],
    issues: list[LedgerIssue],
    scan: SheetScan | None = None,
) -> RawSheet:
    if not cells:
        _cell_problems(scan, name, [], 0, issues)
        return _build(sheet, name, [], [], [], issues)
    top = [[_cell_text(v)[0] for v in row] for row in cells[: HEADER_SEARCH_ROWS + 1]]
    at = _header_row(sheet, name, top, issues)
    header = top[at]
    body: list[list[str | None]] = []
    numeric: list[list[bool]] = []
    rows: list[int] = []
    for i, row in enumerate(cells[at + 1 :], start=at + 2):
        texts, nums = zip(*(_cell_text(v) for v in row), strict=True) if row else ((), ())
        if any(t is not None for t in texts):
            body.append(list(texts))
            numeric.append(list(nums))
            rows.append(i)
    broken = _cell_problems(scan, name, header, at + 1, issues)
    return _build(sheet, name, header, body, rows, issues, numeric, broken)


def _cell_problems(
    scan: SheetScan | None,
    name: str,
    header: list[str | None],
    header_row: int,
    issues: list[LedgerIssue],
) -> set[tuple[int, int]]:
    """Issues for the formula and error cells the scan found; their (row, column index)."""
    if scan is None:
        return set()
    from loaders.xlsxscan import column_letter

    broken: set[tuple[int, int]] = set()
    for p in scan.problems:
        j = p.col - 1
        column = (header[j] if j < len(header) else None) or column_letter(p.col)
        if p.kind == "formula":
            issues.append(
                LedgerIssue(
                    Severity.ERROR,
                    "formula_without_value",
                    name,
                    p.row,
                    column,
                    None,
                    f"单元格 {p.ref} 是公式且没有计算结果（常见于程序生成的文件），读不到它的值。"
                    "请在 Excel 中打开，选中这些单元格复制后“粘贴为数值”，保存后再导入。",
                )
            )
        else:
            issues.append(
                LedgerIssue(
                    Severity.ERROR,
                    "excel_error_value",
                    name,
                    p.row,
                    column,
                    p.value,
                    f"单元格 {p.ref} 是 Excel 错误值“{p.value}”（公式或引用出错），不是有效数据。"
                    "请改正公式或直接填入实际的值（可复制后“粘贴为数值”）再导入。",
                )
            )
        if p.row > header_row:
            broken.add((p.row, j))
    if scan.more_problems:
        issues.append(
            LedgerIssue(
                Severity.ERROR,
                "formula_without_value",
                name,
                None,
                None,
                None,
                f"另有 {scan.more_problems} 个单元格是没有计算结果的公式或 Excel 错误值，"
                "请在 Excel 中全选该表复制后“粘贴为数值”，改正错误值后再导入。",
            )
        )
    return broken


def _header_row(
    sheet: Sheet, name: str, top: list[list[str | None]], issues: list[LedgerIssue]
) -> int:
    """Index of the header among the first rows: 0, unless row 1 is not a header and a row
    below is (a title above the table). That is reported: the header must be on row 1."""
    lookup = _COLUMNS[sheet.key]

    def known(row: list[str | None]) -> int:
        return len({lookup[h].key for h in (normalize_header(v) for v in row if v) if h in lookup})

    first = known(top[0]) if top else 0
    if first >= 2 or len(top) < 2:
        return 0
    for k in range(1, len(top)):
        if known(top[k]) >= 2:
            title = next((v for v in top[0] if v), None)
            above = f"（第 1 行是“{_short(title)}”）" if title else "（上面是空行）"
            issues.append(
                LedgerIssue(
                    Severity.ERROR,
                    "header_not_first_row",
                    name,
                    k + 1,
                    None,
                    None,
                    f"表头似乎在第 {k + 1} 行{above}，而表头必须在第 1 行。"
                    f"请删除表头上方的标题行或空行（{_rows_above(k)}）后再导入。",
                )
            )
            return k
    return 0


def _rows_above(k: int) -> str:
    return "第 1 行" if k == 1 else f"第 1 到第 {k} 行"


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------------------------------------
# CSV folders


_DELIMITERS = {"\t": "制表符", ";": "分号", "；": "中文分号", "|": "竖线"}


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
        sep = _delimiter(sheet, path.name, text, raw.issues)
        frame = _parse_csv(sheet, path.name, text, sep, raw.issues)
        raw.sheets[sheet.key] = _from_frame(sheet, path.name, frame, raw.issues)
    return raw


def _delimiter(sheet: Sheet, name: str, text: str, issues: list[LedgerIssue]) -> str:
    """ "," unless the header line is clearly split by something else (reported as an error:
    Excel in some locales saves with semicolons, "text (tab delimited)" with tabs)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    lookup = _COLUMNS[sheet.key]

    def known(parts: list[str]) -> int:
        return sum(normalize_header(p.strip().strip('"')) in lookup for p in parts)

    if known(first.split(",")) >= 2:
        return ","
    for sep, label in _DELIMITERS.items():
        if sep in first and known(first.split(sep)) >= 2:
            issues.append(
                LedgerIssue(
                    Severity.ERROR,
                    "csv_delimiter",
                    name,
                    1,
                    None,
                    None,
                    f"该 CSV 文件用{label}分隔各列，而不是英文逗号。请用 Excel 打开，"
                    "另存为“CSV UTF-8（逗号分隔）”后再导入。",
                )
            )
            return sep
    return ","


def _parse_csv(
    sheet: Sheet, name: str, text: str, sep: str, issues: list[LedgerIssue]
) -> pd.DataFrame:
    if text.count('"') % 2:
        _refuse_open_quote(name, text, sep)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            header=None,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (pd.errors.ParserError, ValueError):
        pass  # rows longer than the header, a stray quote: find where, row by row
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        raise LedgerUnreadable(
            f"{name} 第 {reader.line_num} 行无法按 CSV 格式读取（{_csv_problem(exc)}）。"
            "请检查该行的引号是否成对，或用 Excel 打开后另存为“CSV UTF-8（逗号分隔）”再导入。"
        ) from exc
    if not records:
        return pd.DataFrame()
    lookup = _COLUMNS[sheet.key]
    at = next(
        (
            k
            for k, record in enumerate(records[: HEADER_SEARCH_ROWS + 1])
            if sum(normalize_header(v) in lookup for v in record) >= 2
        ),
        0,
    )
    width = max(len(r) for r in records[: at + 1])
    for i, record in enumerate(records[at + 1 :], start=at + 2):
        if len(record) > width:
            if any(v.strip() for v in record[width:]):
                issues.append(
                    LedgerIssue(
                        Severity.ERROR,
                        "ragged_row",
                        name,
                        i,
                        None,
                        None,
                        f"这一行有 {len(record)} 个值，而表头只有 {width} 列。多半是某个值里含有"
                        "英文逗号却没有加引号：请把该值用英文双引号括起来（或改用中文逗号），"
                        "或用 Excel 打开后另存为 CSV 再导入。",
                    )
                )
            del record[width:]
    padded = [r + [""] * (width - len(r)) for r in records]
    return pd.DataFrame(padded, dtype=str)


def _refuse_open_quote(name: str, text: str, sep: str) -> None:
    """An odd number of quotes: if one opens a value that never closes (it would swallow the
    rest of the file into one cell), say on which line it opens."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        raise LedgerUnreadable(
            f"{name} 第 {start} 行有一个没有配对的英文双引号，从这里到文件末尾都会被当成一个值。"
            '请删除或补全这个引号（值里的引号要写成两个 ""），'
            "或用 Excel 打开后另存为“CSV UTF-8（逗号分隔）”再导入。"
        ) from None


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "NUL" in text:
        return "含有空字符"
    if "quote" in text or "EOF" in text:
        return "引号不成对"
    return "格式错误"


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _bad_bytes(path, data, exc.start, encoding.upper()) from exc
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start + len(data) - len(body)
    if _mostly_utf8(body):
        raise _bad_bytes(path, data, utf8_error, "UTF-8")
    for encoding in CSV_ENCODINGS[1:]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is None:
        line = data.count(b"\n", 0, utf8_error) + 1
        raise LedgerUnreadable(
            f"无法识别 {path.name} 的文字编码（它既不是 UTF-8 也不是 GB18030/GBK，"
            f"第 {line} 行第一次出现无法识别的字节）。"
            "请用 Excel 将其另存为“CSV UTF-8（逗号分隔）”后重试。"
        )
    return str(guess)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few damaged bytes (not another encoding): most non-ASCII text decodes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return good >= 1 and bad <= max(3, good // 100)


def _bad_bytes(path: Path, data: bytes, offset: int, encoding: str) -> LedgerUnreadable:
    line = data.count(b"\n", 0, offset) + 1
    shown = data[offset : offset + 4].hex(" ").upper()
    return LedgerUnreadable(
        f"{path.name} 第 {line} 行（文件第 {offset + 1:,} 个字节处，字节 {shown}）不是有效的 "
        f"{encoding} 编码：文件其余部分是 {encoding}，只有这里损坏或混入了其他编码的文字。"
        "请改正该行，然后用 Excel 另存为“CSV UTF-8（逗号分隔）”或 GB18030 编码的 CSV 再导入。"
    )


def _from_frame(
    sheet: Sheet, name: str, frame: pd.DataFrame, issues: list[LedgerIssue]
) -> RawSheet:
    if frame.empty:
        return _build(sheet, name, [], [], [], issues)
    top = [
        [(str(v).strip() or None) for v in frame.iloc[i].tolist()]
        for i in range(min(len(frame), HEADER_SEARCH_ROWS + 1))
    ]
    at = _header_row(sheet, name, top, issues)
    header = top[at]
    body = frame.iloc[at + 1 :].reset_index(drop=True)
    stripped = pd.DataFrame({j: body.iloc[:, j].str.strip() for j in range(body.shape[1])})
    empty = (stripped == "").to_numpy()
    keep = ~empty.all(axis=1)
    values = stripped.to_numpy(dtype=object, copy=True)
    values[empty] = None
    rows = (np.arange(len(body)) + at + 2)[keep]
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
    broken: set[tuple[int, int]] | None = None,
) -> RawSheet:
    lookup = _COLUMNS[sheet.key]
    matrix = np.asarray(body, dtype=object).reshape(len(rows), len(header)) if rows else None
    flags = np.asarray(numeric, dtype=bool).reshape(len(rows), len(header)) if numeric else None
    data: dict[str, np.ndarray] = {}
    headers: dict[str, str] = {}
    extras: list[str] = []
    numeric_cols: dict[str, np.ndarray] = {}
    broken_cols: dict[str, np.ndarray] = {}
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
            if broken and any(c == j for _, c in broken):
                broken_cols[key] = np.array([(r, j) in broken for r in rows], dtype=bool)
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
        broken=broken_cols,
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
