"""A cheap look inside an .xlsx before the real reader opens it.

python-calamine (Rust) allocates one cell for every position of a sheet's used range: a single
value in ``XFD1048576`` makes it ask for 512 GB and abort the whole process. Excel formulas
without a stored result and error values (``#N/A``) it reads as empty, silently. Both are
visible in the sheet XML, which this module streams in chunks (never whole in memory) and
scans with byte patterns:

- the workbook (a zip) must not be encrypted (an OLE file holding ``EncryptedPackage``), nor
  claim to unpack to more than :data:`MAX_UNZIPPED` bytes, nor compress any part more than
  :data:`MAX_RATIO` times (zip bombs); what is unpacked is counted as well, not trusted;
- each sheet's used range (from the positions of cells that hold a value, as calamine builds
  it; the declared ``<dimension>`` is not trusted, a file may lie) must stay within
  :data:`MAX_SHEET_CELLS` cells;
- each formula cell without a stored value and each error value is reported with its cell.

The fast path looks only at ``r="…"`` attributes; when a sheet leaves positions implicit or
its rough extent is too large, an exact streaming parse decides. Only sheets the ledger reads
are scanned. ``.xls`` and ``.ods`` are not OOXML: they get the zip and size checks only.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from graph.errors import LedgerTooLarge, LedgerUnreadable

__all__ = [
    "MAX_RATIO",
    "MAX_SHEET_CELLS",
    "MAX_UNZIPPED",
    "CellProblem",
    "SheetScan",
    "column_letter",
    "refuse_encrypted",
    "scan_workbook",
]

MAX_SHEET_CELLS = 60_000_000
"""Largest used range (rows × columns) of one sheet: a million organizations with 60 columns.
Calamine needs about 32 bytes per position of the range, before any Python object exists."""
MAX_UNZIPPED = 4 << 30
"""Largest total size the parts of a workbook may unpack to (a million organizations is about
1.5 GB of XML)."""
MAX_RATIO = 500
"""Largest compression ratio of one part larger than 1 MB; real sheet XML compresses 10–50×."""
MAX_MEMBERS = 10_000
MAX_PROBLEMS = 1_000
"""Formula and error cells reported per sheet (the rest are counted)."""
_CHUNK = 4 << 20
_MAX_CARRY = 64 << 20  # one cell element longer than this is not a spreadsheet cell

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class CellProblem:
    """A cell that the reader would see as empty but is not: ``kind`` is ``formula`` (no stored
    result) or ``error`` (an Excel error value such as ``#N/A``, in ``value``)."""

    row: int
    col: int  # 1-based
    kind: str
    value: str | None = None

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


@dataclass
class SheetScan:
    """What the scan found in one sheet."""

    name: str
    max_row: int = 0
    max_col: int = 0
    problems: list[CellProblem] = field(default_factory=list)
    more_problems: int = 0


def column_letter(col: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def refuse_encrypted(path: Path) -> None:
    """Raise if ``path`` is a password-protected Office file (an OLE container holding an
    ``EncryptedPackage`` stream; Excel writes protected .xlsx files this way)."""
    with path.open("rb") as fh:
        if fh.read(8) != _OLE_MAGIC:
            return
        fh.seek(0)
        tail = b""
        while block := fh.read(_CHUNK):
            if _ENCRYPTED in tail + block:
                raise LedgerUnreadable(
                    f"{path.name} 设置了打开密码（已加密），无法读取。请在 Excel 中打开，"
                    "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清空密码并保存，"
                    "去掉文件密码后再导入。"
                )
            tail = block[-len(_ENCRYPTED) :]


def scan_workbook(path: Path, wanted: Callable[[str], bool]) -> dict[str, SheetScan]:
    """Check ``path`` before calamine opens it; scan the sheets whose names ``wanted`` accepts.

    Returns the scans by sheet name (empty for a workbook that is not OOXML). Raises
    :class:`LedgerUnreadable` (encrypted, damaged) or :class:`LedgerTooLarge` (a bomb, a sheet
    whose used range is too large), each naming the file, the sheet and the cell.
    """
    refuse_encrypted(path)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}  # .xls (OLE) or not a workbook at all: calamine says which
    with book:
        _check_sizes(path, book)
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            return {}
        scans: dict[str, SheetScan] = {}
        for name, member in _sheet_parts(book):
            if not wanted(name):
                continue
            try:
                info = book.getinfo(member)
            except KeyError:
                continue  # calamine reports the missing part
            scans[name] = _scan_sheet(path, book, info, name)
        return scans


def _check_sizes(path: Path, book: zipfile.ZipFile) -> None:
    members = book.infolist()
    if len(members) > MAX_MEMBERS:
        raise LedgerTooLarge(
            f"{path.name} 中有 {len(members)} 个部件，不像是台账工作簿。"
            "请在 Excel 中另存为新的 .xlsx 后再导入。"
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED:
        raise LedgerTooLarge(
            f"{path.name} 解压后约 {total / (1 << 30):.1f} GB，"
            f"超过 {MAX_UNZIPPED >> 30} GB 的上限。"
            "请删去不需要的工作表、图片或附件后再导入。"
        )
    for m in members:
        if m.file_size > (1 << 20) and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise LedgerTooLarge(
                f"{path.name} 中的“{m.filename}”压缩比异常（{m.compress_size:,} 字节解压为 "
                f"{m.file_size:,} 字节），可能是恶意构造的文件，未读取。"
                "请在 Excel 中打开后另存为新的 .xlsx 再导入。"
            )


_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')


def _attrs(tag: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(tag)}


def _read_small(book: zipfile.ZipFile, name: str, limit: int = 16 << 20) -> str | None:
    try:
        info = book.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        raise LedgerTooLarge(f"工作簿中的“{name}”异常庞大，无法读取。请另存为新的 .xlsx 后再导入。")
    with book.open(info) as fh:
        return fh.read(limit + 1)[:limit].decode("utf-8", errors="replace")


def _sheet_parts(book: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """(sheet name, zip member of its XML) for each worksheet, from the workbook's relations."""
    root_rels = _read_small(book, "_rels/.rels") or ""
    workbook = "xl/workbook.xml"
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", root_rels):
        a = _attrs(tag)
        if a.get("Type", "").endswith("/officeDocument") and a.get("Target"):
            workbook = a["Target"].lstrip("/")
    text = _read_small(book, workbook) or ""
    base = posixpath.dirname(workbook)
    rels = posixpath.join(base, "_rels", posixpath.basename(workbook) + ".rels")
    rels_text = _read_small(book, rels)
    targets: dict[str, str] = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels_text or ""):
        a = _attrs(tag)
        if "Id" in a and "Target" in a:
            t = a["Target"]
            targets[a["Id"]] = (
                t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(base, t))
            )
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", text):
        a = _attrs(tag)
        rid = next((v for k, v in a.items() if k.endswith(":id") or k == "id"), None)
        if "name" in a and rid in targets:
            yield a["name"], targets[rid]


# ---------------------------------------------------------------------------------------------
# One sheet


def _chunks(
    path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo, name: str
) -> Iterator[tuple[bytes, bytes]]:
    """(namespace prefix, piece of the sheet XML); each piece ends after a complete cell or
    row element, so that no element is split between pieces."""
    read = 0
    carry = b""
    prefix: bytes | None = None
    try:
        with book.open(info) as fh:
            while True:
                block = fh.read(_CHUNK)
                if not block:
                    break
                read += len(block)
                if read > MAX_UNZIPPED:
                    raise LedgerTooLarge(
                        f"{path.name} 的工作表“{name}”解压后超过 {MAX_UNZIPPED >> 30} GB，未读取。"
                        "请删除多余的行和列后再导入。"
                    )
                buf = carry + block
                if prefix is None:
                    m = re.search(rb"<(\w+:)?worksheet\b", buf)
                    prefix = (m.group(1) or b"") if m else b""
                cut = max(buf.rfind(b"</" + prefix + b"row>"), buf.rfind(b"</" + prefix + b"c>"))
                if cut < 0 and len(buf) > _MAX_CARRY:
                    cut = buf.rfind(b">")
                    if cut < 0:
                        raise LedgerUnreadable(
                            f"{path.name} 的工作表“{name}”中有一个单元格异常庞大，无法读取。"
                            "请在 Excel 中打开后另存为新的 .xlsx 再导入。"
                        )
                if cut < 0:
                    carry = buf
                    continue
                end = buf.index(b">", cut) + 1
                yield prefix, buf[:end]
                carry = buf[end:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
        raise LedgerUnreadable(
            f"{path.name} 的工作表“{name}”已损坏（{type(exc).__name__}），无法读取。"
            "请在 Excel 中打开确认后另存为 .xlsx 再导入。"
        ) from exc
    if carry:
        yield prefix or b"", carry


def _scan_sheet(path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> SheetScan:
    scan = SheetScan(name)
    explicit = True
    suspicious = False  # formulas or error values: the cell pass looks
    rows_total = cells_total = 0
    pats: dict[str, re.Pattern[bytes]] = {}
    for prefix, chunk in _chunks(path, book, info, name):
        if not pats:
            p = re.escape(prefix)
            pats = {
                "row": re.compile(rb"<" + p + rb'row\b[^>]*?\sr="(\d+)"'),
                "wide": re.compile(rb'\sr="([A-Z]{2,3})\d'),
                "cell": re.compile(
                    rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.DOTALL
                ),
            }
        row_tags = sum(chunk.count(b"<" + prefix + b"row" + e) for e in (b" ", b">", b"/"))
        cell_tags = sum(chunk.count(b"<" + prefix + b"c" + e) for e in (b" ", b">", b"/"))
        rows_total += row_tags
        cells_total += cell_tags
        if chunk.count(b' r="') < row_tags + cell_tags:
            explicit = False
        rows = pats["row"].findall(chunk)
        if rows:
            scan.max_row = max(scan.max_row, *map(int, rows))
        wide = pats["wide"].findall(chunk)
        col = _column_number(max(wide, key=lambda w: (len(w), w))) if wide else 26
        scan.max_col = max(scan.max_col, col if wide or cell_tags else 0)
        if b"<" + prefix + b"f" in chunk or b't="e"' in chunk:
            suspicious = True
            if explicit:
                _cell_pass(chunk, pats["cell"], scan)
    if not explicit:
        scan.max_row = max(scan.max_row, 0) + rows_total
        scan.max_col = max(scan.max_col, min(cells_total, 16384))
    if scan.max_row * scan.max_col > MAX_SHEET_CELLS or (not explicit and suspicious):
        # The rough extent counts empty (formatted) cells too, which calamine skips, and
        # implicit positions need counting: decide exactly.
        scan = _exact(path, book, info, name)
    if scan.max_row * scan.max_col > MAX_SHEET_CELLS:
        corner = f"{column_letter(scan.max_col)}{scan.max_row}"
        raise LedgerTooLarge(
            f"工作表“{name}”的数据区域一直延伸到单元格 {corner}（{scan.max_row:,} 行 × "
            f"{scan.max_col:,} 列），远超台账的实际大小，读取会耗尽内存，未读取。通常是远处的"
            f"单元格误填了内容：请在 Excel 中选中 {corner} 等多余单元格所在的行和列，"
            "右键“删除”后保存，再导入。"
        )
    return scan


_ATTR_B = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_V = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.DOTALL)
_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})$")


def _cell_pass(chunk: bytes, pattern: re.Pattern[bytes], scan: SheetScan) -> None:
    """Formula cells without a stored value, and error values, in a chunk of explicit cells."""
    for m in pattern.finditer(chunk):
        body = m.group(2)
        if not body:
            continue
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR_B.findall(m.group(1))}
        has_formula = re.search(rb"<(?:\w+:)?f\b", body) is not None
        kind = attrs.get(b"t", b"n")
        if kind != b"e" and not has_formula:
            continue
        ref = _REF.match(attrs.get(b"r", b"").decode("ascii", errors="replace"))
        if ref is None:
            continue
        v = _V.search(body)
        value = html.unescape((v.group(1) or b"").decode("utf-8", errors="replace")) if v else ""
        row, col = int(ref.group(2)), _column_number(ref.group(1))
        _note(scan, row, col, kind.decode(), has_formula, value)


def _note(scan: SheetScan, row: int, col: int, kind: str, formula: bool, value: str) -> None:
    if kind == "e":
        problem = CellProblem(row, col, "error", value.strip() or "#VALUE!")
    elif formula and not value and kind not in ("str", "inlineStr"):
        problem = CellProblem(row, col, "formula")
    else:
        return
    if len(scan.problems) < MAX_PROBLEMS:
        scan.problems.append(problem)
    else:
        scan.more_problems += 1


def _exact(path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> SheetScan:
    """Positions as calamine assigns them (implicit ones counted), only cells with a value."""
    scan = SheetScan(name)
    row = 0
    col = 0
    try:
        with book.open(info) as fh:
            cell: dict[str, object] | None = None
            data: ElementTree.Element | None = None
            for event, el in ElementTree.iterparse(_Counted(fh, path, name), ("start", "end")):
                tag = el.tag.rsplit("}", 1)[-1]
                if event == "start":
                    if tag == "sheetData":
                        data = el
                    elif tag == "row":
                        r = el.get("r")
                        row = int(r) if r and r.isdigit() else row + 1
                        col = 0
                    elif tag == "c":
                        m = _REF.match(el.get("r") or "")
                        col = _column_number(m.group(1)) if m else col + 1
                        if m:
                            row = int(m.group(2))
                        cell = {"t": el.get("t", "n"), "f": False, "v": None, "is": False}
                    continue
                if cell is not None:
                    if tag == "f":
                        cell["f"] = True
                    elif tag == "v":
                        cell["v"] = el.text or ""
                    elif tag == "is":
                        cell["is"] = True
                    elif tag == "c":
                        if cell["is"] or cell["v"]:
                            scan.max_row = max(scan.max_row, row)
                            scan.max_col = max(scan.max_col, col)
                        _note(scan, row, col, str(cell["t"]), bool(cell["f"]), str(cell["v"] or ""))
                        cell = None
                        el.clear()
                if tag == "row" and data is not None:
                    data.clear()
    except ElementTree.ParseError as exc:
        raise LedgerUnreadable(
            f"{path.name} 的工作表“{name}”内容已损坏（{exc}），无法读取。"
            "请在 Excel 中打开确认后另存为 .xlsx 再导入。"
        ) from exc
    return scan


class _Counted:
    """A file object that refuses to give more than MAX_UNZIPPED bytes."""

    def __init__(self, fh: IO[bytes], path: Path, name: str) -> None:
        self.fh, self.path, self.name, self.read_bytes = fh, path, name, 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n if n and n > 0 else _CHUNK)
        self.read_bytes += len(data)
        if self.read_bytes > MAX_UNZIPPED:
            raise LedgerTooLarge(
                f"{self.path.name} 的工作表“{self.name}”解压后超过 "
                f"{MAX_UNZIPPED >> 30} GB，未读取。"
            )
        return data
