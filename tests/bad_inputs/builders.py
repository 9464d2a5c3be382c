"""Writers of broken ledger files into a folder (tmp_path), built from the tiny ledger.

Each builder takes the folder and returns the path to check. Rows are Excel rows with the
header on row 1: in 组织 O1 is row 2, O2 row 3, O3 row 4; in 党组织 PO-S1 is row 2, PO-A row 5.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from tests.tinyledger import Sheets, tiny, write_csv, write_xlsx

Builder = Callable[[Path], Path]


def xlsx(*changes: Callable[[Sheets], None], numbers_as_text: bool = False) -> Builder:
    """The tiny ledger with ``changes`` applied, as a workbook."""

    def build(folder: Path) -> Path:
        path = folder / "台账.xlsx"
        return write_xlsx(_changed(changes), path, numbers_as_text=numbers_as_text)

    return build


def csv_folder(*changes: Callable[[Sheets], None], encoding: str = "utf-8-sig") -> Builder:
    """The tiny ledger with ``changes`` applied, as a folder of CSV files."""

    def build(folder: Path) -> Path:
        return write_csv(_changed(changes), folder / "台账CSV", encoding=encoding)

    return build


def _changed(changes: tuple[Callable[[Sheets], None], ...]) -> Sheets:
    sheets = tiny()
    for change in changes:
        change(sheets)
    return sheets


def edited_xlsx(edit: Callable[[openpyxl.Workbook], None], *changes) -> Builder:  # type: ignore[no-untyped-def]
    """The tiny workbook, then edited with openpyxl (formulas, error values, far cells)."""

    def build(folder: Path) -> Path:
        path = xlsx(*changes)(folder)
        book = openpyxl.load_workbook(path)
        edit(book)
        book.save(path)
        return path

    return build


def column_of(book: openpyxl.Workbook, sheet: str, header: str) -> int:
    headers = [c.value for c in book[sheet][1]]
    return headers.index(header) + 1


def put(sheet: str, row: int, header: str, value: object, kind: str | None = None):  # type: ignore[no-untyped-def]
    """An openpyxl edit: ``value`` into the cell of ``header`` on Excel ``row``; ``kind`` "e"
    makes it an error value, "f" a formula (openpyxl stores no result for it)."""

    def edit(book: openpyxl.Workbook) -> None:
        cell = book[sheet].cell(row=row, column=column_of(book, sheet, header))
        cell.value = value
        if kind == "e":
            cell.data_type = "e"

    return edit


def at(sheet: str, ref: str, value: object):  # type: ignore[no-untyped-def]
    def edit(book: openpyxl.Workbook) -> None:
        book[sheet][ref] = value

    return edit


def title_rows(sheet: str, *titles: str | None):  # type: ignore[no-untyped-def]
    """Rows inserted above the header (None: a blank row)."""

    def edit(book: openpyxl.Workbook) -> None:
        ws = book[sheet]
        ws.insert_rows(1, amount=len(titles))
        for i, title in enumerate(titles, start=1):
            if title is not None:
                ws.cell(row=i, column=1).value = title

    return edit


def raw_bytes(name: str, data: bytes) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def csv_edit(edit: Callable[[dict[str, bytes]], None], *changes) -> Builder:  # type: ignore[no-untyped-def]
    """The tiny CSV folder, then ``edit`` on the files' bytes (by sheet name)."""

    def build(folder: Path) -> Path:
        path = csv_folder(*changes, encoding="utf-8")(folder)
        files = {p.stem: p.read_bytes() for p in path.glob("*.csv")}
        edit(files)
        for stem, data in files.items():
            (path / f"{stem}.csv").write_bytes(data)
        return path

    return build


def truncated_xlsx(folder: Path) -> Path:
    path = xlsx()(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted_xlsx(folder: Path) -> Path:
    """An OLE compound file holding the streams Excel writes for a password-protected .xlsx
    (EncryptionInfo, EncryptedPackage): what the reader sees of such a file."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    names = b"".join(
        n.encode("utf-16-le").ljust(64, b"\0") + bytes(64)
        for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage")
    )
    path = folder / "加密台账.xlsx"
    path.write_bytes(header + names.ljust(512, b"\0") + bytes(4096))
    return path


def with_part(name: str, data: bytes) -> Builder:
    """The tiny workbook with one more part in its zip (a bomb, a picture)."""

    def build(folder: Path) -> Path:
        path = xlsx()(folder)
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
            book.writestr(name, data)
        return path

    return build


_WB = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="组织" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": _WB,
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def sheet_xml(body: str, head: str = "") -> Builder:
    """A workbook with one sheet 组织 whose XML is written by hand (``head`` before
    sheetData, ``body`` inside it)."""

    def build(folder: Path) -> Path:
        path = folder / "手写.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
            for name, text in _PARTS.items():
                book.writestr(name, text)
            book.writestr(
                "xl/worksheets/sheet1.xml",
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"{head}<sheetData>{body}</sheetData></worksheet>",
            )
        return path

    return build


def header_xml() -> str:
    """Row 1 of 组织 with a few headers, as inline strings."""
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for col, text in zip("ABC", ("统一社会信用代码", "组织名称", "从业人员数"), strict=True)
    )
    return f'<row r="1">{cells}</row>'
