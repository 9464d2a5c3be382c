"""The empty ledger template (台账模板) planners fill in: every sheet, headers, dropdowns, 说明.

Everything comes from :mod:`graph.model`, so the template always matches what the readers
accept: sheet names and headers in the model's order, required headers in red with a comment
carrying the column's note, code columns formatted as text, a dropdown for every enumeration
and yes-no column, and a first sheet "说明" that explains each sheet and each column.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from graph.model import INDUSTRY_SECTIONS, SHEETS, SHEETS_BY_KEY, Column, ColumnType, Sheet
from loaders.writer import replace_atomically

__all__ = [
    "GUIDE_SHEET",
    "OPTIONS_SHEET",
    "TEMPLATE_ROWS",
    "TYPE_LABELS",
    "allowed_values",
    "write_template",
]

GUIDE_SHEET = "说明"
"""The first sheet: how to fill the ledger, then one row per column of every sheet."""

OPTIONS_SHEET = "_选项"
"""Hidden sheet holding the long dropdown lists (more than 8 values, or over 255 characters)."""

TEMPLATE_ROWS = 5_000
"""Data rows below the header that get dropdowns and input checks."""

TYPE_LABELS: dict[ColumnType, str] = {
    ColumnType.USCC: "代码",
    ColumnType.CODE: "代码",
    ColumnType.TEXT: "文本",
    ColumnType.INT: "整数",
    ColumnType.DECIMAL: "小数",
    ColumnType.BOOL: "是否",
    ColumnType.DATE: "日期",
    ColumnType.ENUM: "选项",
}
"""Column types as the 说明 sheet names them."""

GUIDE_HEADERS: tuple[str, ...] = ("工作表", "列名", "英文别名", "类型", "必填", "允许值", "说明")

HOW_TO_FILL: tuple[str, ...] = (
    "每个工作表的第一行是表头，请保留，不要删除、改名或合并单元格；从第二行起每行填一条记录。",
    "红色表头为必填列；鼠标停在表头上可以看到该列的填写说明。可以在最右侧增加自己的列，导入时会保留。",
    "统一社会信用代码和各类编码请按文本录入（模板已把这些列设为文本格式），"
    "以免长数字变成科学计数法或丢失开头的 0。",
    "“组织”表一个组织一行（一企一表），统一社会信用代码不能重复。",
    "经营状态空白视为“正常”；僵尸企业、空壳、注销的组织不计入覆盖率的分母。",
    "是否类的列填“是”或“否”；日期按 yyyy-mm-dd 填写，如 2024-06-30。",
    "带下拉框的列请从列表中选择；“细分类别”可从列表中选，也可以自行填写。",
    "编码列引用其他工作表时（如“所在街道编码”），所填编码必须在对应工作表中已经存在。",
    "组织、党组织、街道三张表必填，其余表按需填写；"
    "也可以把每张表另存为 CSV 文件放在同一个文件夹里，文件名用表名，如“组织.csv”。",
)

_INLINE_MAX_VALUES = 8
_INLINE_MAX_CHARS = 255
_WIDE_COLUMNS = {"name": 30, "note": 40}


def write_template(path: Path) -> None:
    """Write the empty ledger workbook to ``path`` (atomically, via a temporary file).

    Sheets: "说明" first, then every sheet of the model with its Chinese headers, then the
    hidden "_选项" sheet. Each model sheet has a frozen header row (required headers on red, a
    comment with type, allowed values and note on every header), code columns formatted as
    text ('@'), date columns as yyyy-mm-dd, and for the first :data:`TEMPLATE_ROWS` rows a
    dropdown on every enumeration and yes-no column (strict), a non-strict dropdown on
    columns with suggestions (e.g. 细分类别), and whole-number / range checks on counts and
    coordinates. Short lists are written inline; lists of more than 8 values or over 255
    characters are referenced from "_选项".
    """
    path = Path(path)
    with replace_atomically(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp))
        try:
            _write(workbook)
        finally:
            workbook.close()


def allowed_values(column: Column) -> str:
    """What may be written in a column, in Chinese, as the 说明 sheet and comments show it."""
    if column.key == "industry" and column.choices:
        return "；".join(f"{k} {v}" for k, v in INDUSTRY_SECTIONS.items())
    if column.type is ColumnType.BOOL:
        return "是、否"
    if column.choices:
        return "、".join(column.choices)
    if column.suggestions:
        return "可选：" + "、".join(column.suggestions) + "；也可自行填写"
    if column.type is ColumnType.USCC:
        text = "18位统一社会信用代码（第18位为校验位）"
        if column.ref:
            text += f"，须为“{SHEETS_BY_KEY[column.ref].label}”表中已有的代码"
        return text
    if column.ref:
        target = SHEETS_BY_KEY[column.ref]
        id_label = target.column(target.id_column).label if target.id_column else "编码"
        return f"须为“{target.label}”表中已有的{id_label}"
    if column.type in (ColumnType.INT, ColumnType.DECIMAL):
        kind = "整数" if column.type is ColumnType.INT else "数值"
        if column.min is not None and column.max is not None:
            return f"{kind}，{_num(column.min)}～{_num(column.max)}"
        if column.min is not None:
            return f"{kind}，不小于 {_num(column.min)}"
        return kind
    if column.type is ColumnType.DATE:
        return "日期，如 2024-06-30"
    return ""


# ---------------------------------------------------------------------------------------------
# Private helpers


class _Styles:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.header = wb.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "valign": "vcenter"}
        )
        self.required = wb.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#C00000",
                "border": 1,
                "valign": "vcenter",
            }
        )
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.integer = wb.add_format({"num_format": "0"})
        self.title = wb.add_format({"bold": True, "font_size": 16})
        self.subtitle = wb.add_format({"bold": True, "font_size": 12})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.required_mark = wb.add_format({"font_color": "#C00000", "bold": True})


class _Options:
    """Long dropdown lists, one column each on the hidden options sheet."""

    def __init__(self, ws: Worksheet, header_format: object) -> None:
        self.ws = ws
        self.header_format = header_format
        self.ranges: dict[tuple[str, ...], str] = {}

    def source(self, title: str, values: tuple[str, ...]) -> str:
        if values not in self.ranges:
            col = len(self.ranges)
            self.ws.write_string(0, col, title, self.header_format)
            for row, value in enumerate(values, start=1):
                self.ws.write_string(row, col, value)
            self.ws.set_column(col, col, 16)
            letter = xl_col_to_name(col)
            self.ranges[values] = f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[values]


def _write(wb: xlsxwriter.Workbook) -> None:
    styles = _Styles(wb)
    guide = wb.add_worksheet(GUIDE_SHEET)
    sheets = {sheet.key: wb.add_worksheet(sheet.label) for sheet in SHEETS}
    options_ws = wb.add_worksheet(OPTIONS_SHEET)
    options = _Options(options_ws, styles.header)
    _write_guide(guide, styles)
    for sheet in SHEETS:
        _write_sheet(sheets[sheet.key], sheet, styles, options)
    options_ws.hide()
    guide.activate()


def _write_guide(ws: Worksheet, styles: _Styles) -> None:
    ws.write_string(0, 0, "两新组织党建台账（一企一表）填写说明", styles.title)
    row = 2
    ws.write_string(row, 0, "填写要点", styles.subtitle)
    row += 1
    for i, line in enumerate(HOW_TO_FILL, start=1):
        ws.write_string(row, 0, f"{i}. {line}")
        row += 1

    row += 1
    ws.write_string(row, 0, "工作表一览", styles.subtitle)
    row += 1
    for col, title in enumerate(("工作表", "英文别名", "必填", "列数", "说明")):
        ws.write_string(row, col, title, styles.header)
    row += 1
    for sheet in SHEETS:
        ws.write_string(row, 0, sheet.label)
        ws.write_string(row, 1, sheet.key)
        ws.write_string(row, 2, "是" if sheet.required else "否")
        ws.write_number(row, 3, len(sheet.columns))
        ws.write_string(row, 4, sheet.note or "")
        row += 1

    row += 1
    ws.write_string(row, 0, "各列说明", styles.subtitle)
    row += 1
    for col, title in enumerate(GUIDE_HEADERS):
        ws.write_string(row, col, title, styles.header)
    ws.autofilter(row, 0, row + sum(len(s.columns) for s in SHEETS), len(GUIDE_HEADERS) - 1)
    row += 1
    for sheet in SHEETS:
        for column in sheet.columns:
            ws.write_string(row, 0, sheet.label)
            ws.write_string(row, 1, column.label)
            ws.write_string(row, 2, column.key)
            ws.write_string(row, 3, TYPE_LABELS[column.type])
            if column.required:
                ws.write_string(row, 4, "是", styles.required_mark)
            else:
                ws.write_string(row, 4, "否")
            ws.write_string(row, 5, allowed_values(column), styles.wrap)
            ws.write_string(row, 6, column.note, styles.wrap)
            row += 1
    for col, width in enumerate((14, 18, 22, 8, 6, 50, 50)):
        ws.set_column(col, col, width)


def _write_sheet(ws: Worksheet, sheet: Sheet, styles: _Styles, options: _Options) -> None:
    last = TEMPLATE_ROWS  # data rows 1..TEMPLATE_ROWS (0-based), the header is row 0
    for col, column in enumerate(sheet.columns):
        fmt = None
        if column.is_code:
            fmt = styles.text
        elif column.type is ColumnType.DATE:
            fmt = styles.date
        elif column.type is ColumnType.INT:
            fmt = styles.integer
        width = max(10, 2 * len(column.label) + 4, _WIDE_COLUMNS.get(column.key, 0))
        if column.type is ColumnType.USCC:
            width = max(width, 22)
        ws.set_column(col, col, width, fmt)
        ws.write_string(0, col, column.label, styles.required if column.required else styles.header)
        ws.write_comment(0, col, _comment(column), {"x_scale": 2.2, "y_scale": 1.6})
        _validate(ws, col, last, sheet, column, options)
    ws.freeze_panes(1, 0)
    ws.set_row(0, 22)


def _validate(
    ws: Worksheet, col: int, last: int, sheet: Sheet, column: Column, options: _Options
) -> None:
    values = column.dropdown
    if values:
        strict = column.type is ColumnType.BOOL or bool(column.choices)
        inline = ",".join(values)
        if len(values) > _INLINE_MAX_VALUES or len(inline) > _INLINE_MAX_CHARS:
            source: str | list[str] = options.source(f"{sheet.label}·{column.label}", values)
        else:
            source = list(values)
        options_dict: dict[str, object] = {
            "validate": "list",
            "source": source,
            "input_title": column.label[:32],
            "input_message": _input_message(column, strict),
        }
        if strict:
            options_dict["error_title"] = "请从列表中选择"
            options_dict["error_message"] = f"“{column.label}”只能填写下拉列表中的值。"
        else:
            options_dict["show_error"] = False
        ws.data_validation(1, col, last, col, options_dict)
    elif column.type is ColumnType.INT:
        ws.data_validation(
            1,
            col,
            last,
            col,
            {
                "validate": "integer",
                "criteria": ">=",
                "value": int(column.min or 0),
                "error_title": "请填写整数",
                "error_message": f"“{column.label}”应为不小于 {_num(column.min or 0)} 的整数。",
            },
        )
    elif column.type is ColumnType.DECIMAL and column.min is not None and column.max is not None:
        ws.data_validation(
            1,
            col,
            last,
            col,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": column.min,
                "maximum": column.max,
                "error_title": "数值超出范围",
                "error_message": (
                    f"“{column.label}”应在 {_num(column.min)} 到 {_num(column.max)} 之间。"
                ),
            },
        )


def _input_message(column: Column, strict: bool) -> str:
    text = "请从下拉列表中选择。" if strict else "可从下拉列表中选择，也可以自行填写。"
    if column.note:
        text += column.note
    return text[:255]


def _comment(column: Column) -> str:
    lines = [f"{column.label}（{column.key}）", f"类型：{TYPE_LABELS[column.type]}"]
    lines.append("必填" if column.required else "选填")
    allowed = allowed_values(column)
    if allowed:
        lines.append(f"允许值：{allowed}")
    if column.note:
        lines.append(column.note)
    return "\n".join(lines)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
