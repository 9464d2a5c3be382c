"""Validation: one hand-written bad ledger per rule, each located by sheet, row and column.

The tiny ledger (tests/tinyledger.py) is valid; each case changes one thing. Rows are Excel
rows with the header on row 1, so in 组织 the organization O2 is row 3, O3 row 4; in 党组织
PO-S1 is row 2, PO-A row 5, PO-J row 6.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import app
from graph import uscc
from graph.analysis.common import node_table, org_table
from graph.build import build_graph
from graph.issues import LedgerIssue
from graph.ledger import DTYPES
from graph.model import SHEETS, ColumnType, NodeKind
from graph.store.workspace import Workspace
from loaders import check_ledger
from tests.tinyledger import (
    O1,
    O2,
    Sheets,
    add_row,
    code,
    drop_column,
    drop_sheet,
    set_cell,
    tiny,
    write_csv,
    write_xlsx,
)

TODAY = dt.date(2026, 11, 1)


def _check(sheets: Sheets, tmp_path: Path, fmt: str = "xlsx") -> list[LedgerIssue]:
    if fmt == "xlsx":
        source = write_xlsx(sheets, tmp_path / "ledger.xlsx")
    else:
        source = write_csv(sheets, tmp_path / "ledger")
    _, issues = check_ledger(source, today=TODAY)
    return issues


def _org(index: int, **cells: object) -> Callable[[Sheets], None]:
    return set_cell("组织", index, **cells)


def _po(index: int, **cells: object) -> Callable[[Sheets], None]:
    return set_cell("党组织", index, **cells)


def _wrong_check_char(code_: str) -> str:
    good = code_[17]
    return code_[:17] + ("0" if good != "0" else "1")


ERROR_CASES = [
    # (id, change, rule code, sheet, row, column)
    ("missing required sheet", drop_sheet("街道"), "missing_sheet", "街道", None, None),
    (
        "missing required column",
        drop_column("组织", "正式党员数"),
        "missing_column",
        "组织",
        None,
        "正式党员数",
    ),
    ("required cell empty", _org(1, 组织名称=""), "required", "组织", 3, "组织名称"),
    (
        "USCC check character",
        _org(1, 统一社会信用代码=_wrong_check_char(O2)),
        "bad_uscc",
        "组织",
        3,
        "统一社会信用代码",
    ),
    ("USCC length", _org(1, 统一社会信用代码=O2[:17]), "bad_uscc", "组织", 3, "统一社会信用代码"),
    (
        "USCC forbidden letter",
        _org(1, 统一社会信用代码=O2[:10] + "I" + O2[11:]),
        "bad_uscc",
        "组织",
        3,
        "统一社会信用代码",
    ),
    ("enum value", _org(1, 组织类型="民营企业"), "bad_enum", "组织", 3, "组织类型"),
    ("status value", _org(2, 经营状态="停业"), "bad_enum", "组织", 4, "经营状态"),
    ("industry letter", _org(1, 行业门类="Z"), "bad_enum", "组织", 3, "行业门类"),
    ("int not a number", _org(1, 从业人员数="二十"), "bad_int", "组织", 3, "从业人员数"),
    ("int negative", _org(1, 正式党员数=-1), "bad_int", "组织", 3, "正式党员数"),
    ("int fractional", _org(1, 从业人员数=20.5), "bad_int", "组织", 3, "从业人员数"),
    ("decimal out of range", _org(3, 经度=200), "bad_decimal", "组织", 5, "经度"),
    ("bool word", _org(0, 有工会="也许"), "bad_bool", "组织", 2, "有工会"),
    ("date invalid", _org(0, 登记日期="2024-13-01"), "bad_date", "组织", 2, "登记日期"),
    (
        "duplicate USCC",
        _org(2, 统一社会信用代码=O2),
        "duplicate_key",
        "组织",
        4,
        "统一社会信用代码",
    ),
    ("duplicate PO code", _po(4, 党组织编码="PO-A"), "duplicate_key", "党组织", 6, "党组织编码"),
    ("unknown building", _org(1, 所在楼宇编码="B9"), "unknown_ref", "组织", 3, "所在楼宇编码"),
    ("unknown street", _org(1, 所在街道编码="S9"), "unknown_ref", "组织", 3, "所在街道编码"),
    (
        "unknown covering PO",
        _org(1, 覆盖党组织编码="PO-X"),
        "unknown_ref",
        "组织",
        3,
        "覆盖党组织编码",
    ),
    (
        "unknown parent PO",
        _po(3, 上级党组织编码="PO-X"),
        "unknown_ref",
        "党组织",
        5,
        "上级党组织编码",
    ),
    (
        "unknown segment chain",
        set_cell("产业链环节", 1, 产业链编码="C9"),
        "unknown_ref",
        "产业链环节",
        3,
        "产业链编码",
    ),
    (
        "reference to absent sheet",
        drop_sheet("党建指导员"),
        "missing_ref_sheet",
        "组织",
        5,
        "党建指导员编码",
    ),
    (
        "supply link to unknown USCC",
        set_cell("链上关系", 0, 需方代码=code(99)),
        "unknown_ref",
        "链上关系",
        2,
        "需方代码",
    ),
    (
        "building in another street",
        _org(1, 所在街道编码="S2"),
        "building_street_mismatch",
        "组织",
        3,
        "所在楼宇编码",
    ),
    (
        "members exceed employees",
        _org(1, 正式党员数=30),
        "members_exceed_employees",
        "组织",
        3,
        "正式党员数",
    ),
    ("parent cycle", _po(0, 上级党组织编码="PO-A"), "parent_cycle", "党组织", 2, "上级党组织编码"),
    (
        "parent is itself",
        _po(5, 上级党组织编码="PO-GOV"),
        "parent_cycle",
        "党组织",
        7,
        "上级党组织编码",
    ),
    (
        "committee member of a non-chain PO",
        set_cell("产业链党委成员", 0, 党组织编码="PO-A"),
        "not_chain_committee",
        "产业链党委成员",
        2,
        "党组织编码",
    ),
    (
        "committee member without code or name",
        add_row("产业链党委成员", {"党组织编码": "PO-CHAIN", "成员类型": "协会联盟"}),
        "member_missing",
        "产业链党委成员",
        4,
        "成员单位代码",
    ),
    (
        "pairing with itself",
        set_cell("结对共建", 0, 乙方党组织编码="PO-A"),
        "self_pair",
        "结对共建",
        2,
        "乙方党组织编码",
    ),
    (
        "supply link to itself",
        set_cell("链上关系", 0, 需方代码=O1),
        "self_pair",
        "链上关系",
        2,
        "需方代码",
    ),
]


@pytest.mark.parametrize(
    ("change", "rule", "sheet", "row", "column"),
    [c[1:] for c in ERROR_CASES],
    ids=[c[0] for c in ERROR_CASES],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_rule_is_located(tmp_path, fmt, change, rule, sheet, row, column):
    sheets = tiny()
    change(sheets)
    issues = _check(sheets, tmp_path, fmt)
    errors = [i for i in issues if i.is_error]
    # A CSV sheet is named by its file; a missing sheet by its Chinese name.
    sheet_as_written = sheet if fmt == "xlsx" or rule == "missing_sheet" else f"{sheet}.csv"
    matching = [
        i
        for i in errors
        if (i.code, i.sheet, i.row, i.column) == (rule, sheet_as_written, row, column)
    ]
    assert matching, f"expected {rule} at {sheet_as_written}:{row}:{column}, got {errors}"
    assert all(i.message for i in errors)
    # The message is Chinese and says something to do.
    assert any("\u4e00" <= ch <= "\u9fff" for ch in matching[0].message)


def test_valid_tiny_ledger_has_no_issue(tmp_path):
    assert _check(tiny(), tmp_path) == []
    assert _check(tiny(), tmp_path, "csv") == []


def test_all_errors_collected_in_one_pass(tmp_path):
    sheets = tiny()
    _org(0, 从业人员数="很多")(sheets)
    _org(1, 组织类型="个体户")(sheets)
    _po(3, 组织层级="支部")(sheets)
    set_cell("街道", 2, 类型="乡")(sheets)
    issues = _check(sheets, tmp_path)
    located = {(i.sheet, i.row, i.column) for i in issues if i.is_error}
    assert located == {
        ("组织", 2, "从业人员数"),
        ("组织", 3, "组织类型"),
        ("党组织", 5, "组织层级"),
        ("街道", 4, "类型"),
    }


def test_issue_names_the_value_and_column_as_written(tmp_path):
    sheets = tiny()
    for row in sheets["组织"]:
        row["formal_members"] = row.pop("正式党员数")
    sheets["组织"][1]["formal_members"] = "三"
    issues = _check(sheets, tmp_path)
    (issue,) = [i for i in issues if i.is_error]
    assert (issue.column, issue.value, issue.row) == ("formal_members", "三", 3)
    assert "正式党员数" in issue.message


def test_cycle_reports_every_member(tmp_path):
    sheets = tiny()
    _po(0, 上级党组织编码="PO-A")(sheets)  # PO-S1 → PO-A → PO-S1
    issues = [i for i in _check(sheets, tmp_path) if i.code == "parent_cycle"]
    assert sorted(i.row for i in issues) == [2, 5]
    assert "PO-S1 → PO-A → PO-S1" in issues[0].message or "PO-A → PO-S1 → PO-A" in (
        issues[0].message
    )


def test_codes_with_leading_letter_are_valid(tmp_path):
    """python-stdnum rejects valid codes issued by "other" authorities (Y…); we must not."""
    sheets = tiny()
    y_code = uscc.make("Y1430102MJ0000001")
    assert y_code[0] == "Y"
    _org(1, 统一社会信用代码=y_code)(sheets)
    assert _check(sheets, tmp_path) == []


def test_lower_case_and_full_width_codes_are_normalised(tmp_path):
    sheets = tiny()
    full_width = O2.lower().translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    _org(1, 统一社会信用代码=full_width)(sheets)
    sheets["链上关系"] = []  # nothing refers to O2
    source = write_xlsx(sheets, tmp_path / "ledger.xlsx")
    ledger, issues = check_ledger(source, today=TODAY)
    assert [i for i in issues if i.is_error] == []
    assert ledger.organizations["uscc"].iloc[1] == O2


WARNING_CASES = [
    (
        "standalone covering two",
        _org(1, 覆盖党组织编码="PO-A"),
        "standalone_covers_many",
        "党组织",
        5,
        "组建方式",
    ),
    (
        "joint covering one",
        _org(1, 覆盖党组织编码="PO-A"),
        "joint_covers_one",
        "党组织",
        6,
        "组建方式",
    ),
    ("branch over 50 members", _po(3, 党员数=60), "branch_too_large", "党组织", 5, "党员数"),
    ("members below covered", _po(3, 党员数=2), "members_below_covered", "党组织", 5, "党员数"),
    ("date in the future", _org(0, 登记日期="2030-01-01"), "future_date", "组织", 2, "登记日期"),
    (
        "formal + probationary over staff",
        _org(1, 预备党员数=19),
        "party_members_exceed_employees",
        "组织",
        3,
        "预备党员数",
    ),
    (
        "duplicate pairing reversed",
        add_row("结对共建", {"甲方党组织编码": "PO-GOV", "乙方党组织编码": "PO-A"}),
        "duplicate_pair",
        "结对共建",
        3,
        "乙方党组织编码",
    ),
    (
        "chain committee without chain",
        _po(2, 所属产业链编码=""),
        "chain_committee_without_chain",
        "党组织",
        4,
        "所属产业链编码",
    ),
]


@pytest.mark.parametrize(
    ("change", "rule", "sheet", "row", "column"),
    [c[1:] for c in WARNING_CASES],
    ids=[c[0] for c in WARNING_CASES],
)
def test_questionable_data_are_warnings_not_errors(tmp_path, change, rule, sheet, row, column):
    sheets = tiny()
    change(sheets)
    issues = _check(sheets, tmp_path)
    assert [i for i in issues if i.is_error] == []
    assert any((i.code, i.sheet, i.row, i.column) == (rule, sheet, row, column) for i in issues), (
        issues
    )


# ---------------------------------------------------------------------------------------------
# Optional columns left entirely blank (issue 11, item 1)

OPTIONAL_NUMBERS = [
    (sheet.label, col.label)
    for sheet in SHEETS
    for col in sheet.columns
    if col.type in (ColumnType.INT, ColumnType.DECIMAL) and not col.required
]
"""Every optional number column of every sheet: 组织 预备党员数/经度/纬度, 楼宇 经度/纬度, …"""

OPTIONAL_COLUMNS = [
    (sheet.label, col.label) for sheet in SHEETS for col in sheet.columns if not col.required
]


def _blank(sheets: Sheets, columns: list[tuple[str, str]]) -> Sheets:
    """``sheets`` with each of ``columns`` kept in the header but empty in every row."""
    for sheet, column in columns:
        for row in sheets[sheet]:
            row[column] = None
    return sheets


def _write(sheets: Sheets, tmp_path: Path, fmt: str) -> Path:
    if fmt == "xlsx":
        return write_xlsx(sheets, tmp_path / "blank.xlsx")
    return write_csv(sheets, tmp_path / "blank")


def test_optional_number_columns_are_the_ones_the_template_offers():
    assert {
        ("组织", "预备党员数"),
        ("组织", "经度"),
        ("组织", "纬度"),
        ("楼宇", "经度"),
        ("楼宇", "纬度"),
        ("产业链环节", "顺序"),
    } <= set(OPTIONAL_NUMBERS)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("sheet", "column"), OPTIONAL_NUMBERS)
def test_blank_optional_number_column_checks_loads_and_reads_as_missing(
    tmp_path, monkeypatch, fmt, sheet, column
):
    """A column present in the header but empty everywhere is missing data, not a crash and
    not 0: check, load and summary all succeed and the ledger holds NA in that column."""
    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path / "ws"))
    monkeypatch.delenv("LIANGXIN_DEBUG", raising=False)
    source = _write(_blank(tiny(), [(sheet, column)]), tmp_path, fmt)
    runner = CliRunner()
    for args in (["check", source], ["load", source], ["summary", "-f", "json"]):
        result = runner.invoke(app, [str(a) for a in args], prog_name="liangxin")
        assert result.exit_code == 0, result.output
        assert "内部错误" not in result.output
    ledger = Workspace(tmp_path / "ws").read()
    spec = next(s for s in SHEETS if s.label == sheet)
    col = next(c for c in spec.columns if c.label == column)
    values = ledger[spec.key][col.key]
    assert values.isna().all(), values.tolist()
    assert str(values.dtype) == DTYPES[col.type]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_all_optional_numbers_blank_give_missing_places_and_no_probationary(tmp_path, fmt):
    """With every optional number blank at once, places have no coordinates (missing, never
    0, which would put them off the coast of Africa) and nobody is a probationary member."""
    source = _write(_blank(tiny(), OPTIONAL_NUMBERS), tmp_path, fmt)
    ledger, issues = check_ledger(source, today=TODAY)
    assert [i for i in issues if i.is_error] == []
    g = build_graph(ledger)
    orgs = org_table(g)
    assert len(orgs) == 5
    assert orgs["lon"].isna().all() and orgs["lat"].isna().all()
    assert orgs["probationary_members"].tolist() == [0] * 5
    assert orgs["formal_members"].tolist() == [5, 2, 1, 0, 1]  # the rest unchanged
    buildings = node_table(g, NodeKind.BUILDING, "lon", "lat")
    assert buildings[["lon", "lat"]].isna().all().all()
    segments = node_table(g, NodeKind.SEGMENT, "order")
    assert segments["order"].isna().all()
    summary = CliRunner().invoke(app, ["summary", "--ledger", str(source), "-f", "json"])
    assert summary.exit_code == 0, summary.output
    assert {r["kind"]: r["org_covered"] for r in json.loads(summary.stdout)["organizations"]} == {
        "非公企业": 2,
        "社会组织": 1,
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("sheet", "column"), OPTIONAL_COLUMNS)
def test_any_blank_optional_column_is_checked_without_internal_error(tmp_path, fmt, sheet, column):
    """The same for every optional column of any type (是/否, dates, choices, codes): blank
    throughout is legal, or at most a located problem, never an exception."""
    if sheet not in tiny():
        pytest.skip(f"the tiny ledger has no sheet {sheet}")
    _, issues = check_ledger(_write(_blank(tiny(), [(sheet, column)]), tmp_path, fmt), today=TODAY)
    assert all(i.sheet and i.message for i in issues)
