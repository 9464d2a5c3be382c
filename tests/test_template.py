"""The empty ledger template: what a planner sees when opening it in Excel."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from graph.model import SHEETS, SHEETS_BY_KEY, Column, ColumnType, Sheet
from loaders.template import (
    GUIDE_SHEET,
    OPTIONS_SHEET,
    TEMPLATE_ROWS,
    TYPE_LABELS,
    allowed_values,
    write_template,
)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("template") / "台账模板.xlsx"
    write_template(path)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary left
    return openpyxl.load_workbook(path)


def test_sheets_in_order_with_guide_first_and_options_hidden(book: Workbook) -> None:
    assert book.sheetnames == [GUIDE_SHEET, *(s.label for s in SHEETS), OPTIONS_SHEET]
    assert book[OPTIONS_SHEET].sheet_state == "hidden"
    assert all(book[s.label].sheet_state == "visible" for s in SHEETS)
    assert book.active.title == GUIDE_SHEET


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.key)
def test_headers_in_model_order_required_marked(book: Workbook, sheet: Sheet) -> None:
    ws = book[sheet.label]
    assert [c.value for c in ws[1]] == [c.label for c in sheet.columns]
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1  # nothing but the header: a reader sees no data rows
    for i, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, i)
        red = cell.fill.fgColor.rgb == "FFC00000"
        assert red == column.required, column.key
        assert cell.comment is not None
        if column.note:
            assert column.note in cell.comment.text
        assert ("必填" in cell.comment.text) == column.required


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.key)
def test_code_columns_are_text(book: Workbook, sheet: Sheet) -> None:
    ws = book[sheet.label]
    for i, column in enumerate(sheet.columns, start=1):
        fmt = _column_format(ws, i)
        if column.is_code:
            assert fmt == "@", column.key
        elif column.type is ColumnType.DATE:
            assert fmt == "yyyy-mm-dd", column.key
        else:
            assert fmt != "@", column.key


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.key)
def test_a_dropdown_for_every_enumeration(book: Workbook, sheet: Sheet) -> None:
    ws = book[sheet.label]
    validations = _validations(ws)
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        if not column.dropdown:
            assert validations.get(letter, (None,))[0] != "list", column.key
            continue
        kind, formula, strict, sqref = validations[letter]
        assert kind == "list", column.key
        assert sqref == f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        assert strict == bool(column.choices or column.type is ColumnType.BOOL), column.key
        assert _options(book, formula) == list(column.dropdown), column.key


def test_long_lists_live_on_the_hidden_sheet(book: Workbook) -> None:
    orgs = _validations(book["组织"])
    industry = orgs[_letter("organizations", "industry")][1]
    category = orgs[_letter("organizations", "category")][1]
    kind = orgs[_letter("organizations", "kind")][1]
    assert industry.startswith(f"'{OPTIONS_SHEET}'!")
    assert category.startswith(f"'{OPTIONS_SHEET}'!")
    assert kind == '"非公企业,社会组织"'
    po_type = _validations(book["党组织"])[_letter("party_orgs", "type")][1]
    assert po_type.startswith(f"'{OPTIONS_SHEET}'!")
    for ws in book.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.formula1) <= 257  # 255 characters between the quotes


def test_whole_number_and_range_checks(book: Workbook) -> None:
    orgs = _validations(book["组织"])
    assert orgs[_letter("organizations", "employees")][0] == "whole"
    assert orgs[_letter("organizations", "lon")][0] == "decimal"


def test_guide_explains_every_column_of_every_sheet(book: Workbook) -> None:
    ws = book[GUIDE_SHEET]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    text = "\n".join(str(v) for r in rows for v in r if v is not None)
    for words in ("表头", "文本", "一企一表", "空白视为“正常”"):
        assert words in text
    start = rows.index(("工作表", "列名", "英文别名", "类型", "必填", "允许值", "说明"))
    described = {(r[0], r[1]): r for r in rows[start + 1 :] if r[0]}
    for sheet in SHEETS:
        for column in sheet.columns:
            row = described[(sheet.label, column.label)]
            assert row[2] == column.key
            assert row[3] == TYPE_LABELS[column.type]
            assert row[4] == ("是" if column.required else "否")
            assert (row[5] or "") == allowed_values(column)
            assert (row[6] or "") == column.note
    assert len(described) == sum(len(s.columns) for s in SHEETS)
    sheet_rows = {
        r[0]: r
        for r in rows
        if r[0] in {s.label for s in SHEETS} and r[1] in {s.key for s in SHEETS}
    }
    assert set(sheet_rows) == {s.label for s in SHEETS}


def test_allowed_values_read_well() -> None:
    orgs = SHEETS_BY_KEY["organizations"]
    assert allowed_values(orgs.column("kind")) == "非公企业、社会组织"
    assert allowed_values(orgs.column("has_union")) == "是、否"
    assert allowed_values(orgs.column("industry")).startswith("A 农、林、牧、渔业；B 采矿业")
    assert allowed_values(orgs.column("street")) == "须为“街道”表中已有的街道编码"
    assert allowed_values(orgs.column("employees")) == "整数，不小于 0"
    assert allowed_values(orgs.column("lon")) == "数值，-180～180"
    assert "也可自行填写" in allowed_values(orgs.column("category"))
    assert allowed_values(Column("x", "某日", ColumnType.DATE)).startswith("日期")


# ---------------------------------------------------------------------------------------------
# Helpers


def _letter(sheet: str, key: str) -> str:
    keys = [c.key for c in SHEETS_BY_KEY[sheet].columns]
    return get_column_letter(keys.index(key) + 1)


def _column_format(ws: Worksheet, index: int) -> str:
    """The number format of a whole column (Excel stores runs of alike columns together)."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= dim.max:
            return dim.number_format
    return "General"


def _validations(ws: Worksheet) -> dict[str, tuple[str, str, bool, str]]:
    """Column letter -> (type, formula1, error alert on, range)."""
    out: dict[str, tuple[str, str, bool, str]] = {}
    for dv in ws.data_validations.dataValidation:
        sqref = str(dv.sqref)
        letter = "".join(ch for ch in sqref.split(":")[0] if ch.isalpha())
        assert letter not in out, f"two validations on column {letter}"
        out[letter] = (dv.type, dv.formula1, bool(dv.showErrorMessage), sqref)
    return out


def _options(book: Workbook, formula: str) -> list[str]:
    """The values a list validation offers, inline or from a range on another sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, cells = formula.split("!")
    ws = book[sheet.strip("'")]
    return [row[0].value for row in ws[cells.replace("$", "")]]
