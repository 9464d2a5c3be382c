"""A report as an Excel workbook: a 说明 sheet with the text, then one sheet per table.

Written with XlsxWriter. Every sheet has Chinese headers in a frozen, filterable first row and
columns as wide as their content; numbers are numbers, rates are percentages (the cell holds
0.9056 shown as 90.56%), codes (USCC, 党组织编码, versions) are text, lists are joined with "、".
Tables of several sections that share a sheet name (one per chain) go one under the other on
that sheet, each row led by its context columns (产业链 …).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from viz.reports.document import Column, Report, Table, cell_text

__all__ = ["TEXT_SHEET", "write_xlsx"]

TEXT_SHEET = "说明"
"""The first sheet: title, subtitle, date and every paragraph under its heading."""

_MIN_WIDTH, _MAX_WIDTH = 6, 60
_FORMATS = {"int": "0", "number": "0.00", "rate": "0.00%", "code": "@"}


def write_xlsx(report: Report) -> bytes:
    """The workbook's bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"title": report.title, "subject": report.subtitle, "author": "两新图谱"})
    formats = _Formats(book)
    names = _sheet_names(report)
    _text_sheet(book, report, names, formats)
    for sheet, tables in _sheets(report, names).items():
        _table_sheet(book.add_worksheet(sheet), tables, formats)
    book.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "top"}
        self.header = book.add_format(
            {**base, "bold": True, "bg_color": "#E8EAF6", "border": 1, "text_wrap": True}
        )
        self.title = book.add_format({**base, "bold": True, "font_size": 16})
        self.heading = book.add_format({**base, "bold": True, "font_size": 12})
        self.wrapped = book.add_format({**base, "text_wrap": True})
        self.cells = {
            kind: book.add_format({**base, "num_format": code}) for kind, code in _FORMATS.items()
        }
        self.cells["text"] = book.add_format(base)
        self.cells["list"] = self.cells["date"] = self.cells["text"]

    def cell(self, column: Column) -> Format:
        return self.cells[column.kind]


def _text_sheet(
    book: xlsxwriter.Workbook, report: Report, names: dict[str, str], formats: _Formats
) -> None:
    ws = book.add_worksheet(TEXT_SHEET)
    ws.set_column(0, 0, 110)
    ws.write_string(0, 0, report.title, formats.title)
    ws.write_string(1, 0, report.subtitle, formats.wrapped)
    ws.write_string(2, 0, f"生成日期：{report.made.isoformat()}", formats.wrapped)
    row = 4
    for section in report.sections:
        ws.write_string(
            row, 0, ("" if section.level == 1 else "  ") + section.heading, formats.heading
        )
        row += 1
        for block in section.blocks:
            if isinstance(block, str):
                ws.write_string(row, 0, block, formats.wrapped)
                row += 1
            elif isinstance(block, Table):
                ws.write_string(row, 0, f"（见“{names[block.sheet]}”表）", formats.wrapped)
                row += 1
        row += 1


def _sheets(report: Report, names: dict[str, str]) -> dict[str, list[Table]]:
    out: dict[str, list[Table]] = {}
    for table in report.tables():
        out.setdefault(names[table.sheet], []).append(table)
    return out


def _sheet_names(report: Report) -> dict[str, str]:
    """Each table's sheet name made valid for Excel: no []:*?/\\, at most 31 characters, unique."""
    names: dict[str, str] = {}
    used = {TEXT_SHEET}
    for table in report.tables():
        if table.sheet in names:
            continue
        name = re.sub(r"[\[\]:*?/\\]", "_", table.sheet)[:31] or "表"
        base, n = name, 2
        while name in used:
            suffix = f"({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names[table.sheet] = name
        used.add(name)
    return names


def _table_sheet(ws: Worksheet, tables: list[Table], formats: _Formats) -> None:
    first = tables[0]
    context = [heading for heading, _ in first.context]
    columns = first.columns
    headers = [*context, *(c.heading for c in columns)]
    widths = [_width(h) for h in headers]
    ws.write_row(0, 0, headers, formats.header)
    row = 1
    for table in tables:
        values = [value for _, value in table.context]
        for record in table.rows:
            for i, value in enumerate(values):
                ws.write_string(row, i, value, formats.cells["text"])
                widths[i] = max(widths[i], _width(value))
            for j, column in enumerate(columns, start=len(values)):
                shown = _write(ws, row, j, column, record.get(column.key), formats)
                widths[j] = max(widths[j], _width(shown))
            row += 1
    for j, width in enumerate(widths):
        capped = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
        fmt = formats.wrapped if width + 2 > _MAX_WIDTH else None
        ws.set_column(j, j, capped, fmt)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(row - 1, 1), len(headers) - 1)


def _write(
    ws: Worksheet, row: int, col: int, column: Column, value: object, formats: _Formats
) -> str:
    """Write one cell as its kind says; return the text it shows (for the column width)."""
    if value is None:
        return ""
    fmt = formats.cell(column)
    if column.kind in ("int", "number") and isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif column.kind == "rate" and isinstance(value, int | float):
        ws.write_number(row, col, round(value / 100.0, 8), fmt)
    else:
        text = cell_text(column, value)
        long = column.kind in ("text", "list") and _width(text) > _MAX_WIDTH
        ws.write_string(row, col, text, formats.wrapped if long else fmt)
        return text
    return cell_text(column, value)


def _width(text: str | Iterable[str]) -> int:
    """Display width in Excel's character units: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))
