"""Reading: workbooks and CSV folders, header spellings, encodings, codes as text."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from graph import uscc
from graph.errors import LedgerUnreadable
from graph.model import SHEETS_BY_KEY
from loaders import check_ledger
from loaders.read import normalize_header, read_raw
from tests.tinyledger import O1, O2, tiny, write_csv, write_xlsx

TODAY = dt.date(2026, 11, 1)


def _valid(source):
    ledger, issues = check_ledger(source, today=TODAY)
    assert [i for i in issues if i.is_error] == []
    return ledger


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_folder_in_each_encoding_equals_workbook(tmp_path, encoding):
    from_xlsx = _valid(write_xlsx(tiny(), tmp_path / "l.xlsx"))
    from_csv = _valid(write_csv(tiny(), tmp_path / "csv", encoding=encoding))
    assert from_csv.equals(from_xlsx)


def test_unknown_encoding_is_guessed_after_strict_ones(tmp_path):
    folder = write_csv(tiny(), tmp_path / "csv", encoding="utf-16")
    assert _valid(folder).counts()["organizations"] == 5


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("正式党员数", "正式党员数"),
        ("  正式党员数 ", "正式党员数"),
        ("正式党员数(必填)", "正式党员数"),
        ("正式党员数（必填）", "正式党员数"),
        ("正式党员数*", "正式党员数"),
        ("正式党员数 *", "正式党员数"),
        ("ｆｏｒｍａｌ＿ｍｅｍｂｅｒｓ", "formal_members"),
        ("Formal_Members", "formal_members"),
    ],
)
def test_header_normalisation(written, expected):
    assert normalize_header(written) == normalize_header(expected)


def test_english_sheet_and_column_names_are_accepted(tmp_path):
    sheets = tiny()
    english: dict[str, list[dict[str, object]]] = {}
    by_label = {s.label: s for s in SHEETS_BY_KEY.values()}
    for label, rows in sheets.items():
        sheet = by_label[label]
        header_map = {c.label: c.key for c in sheet.columns}
        english[sheet.key] = [{header_map.get(k, k): v for k, v in r.items()} for r in rows]
    chinese = _valid(write_xlsx(tiny(), tmp_path / "zh.xlsx"))
    assert _valid(write_xlsx(english, tmp_path / "en.xlsx")).equals(chinese)
    assert _valid(write_csv(english, tmp_path / "en")).equals(chinese)


def test_numeric_cells_become_text_codes_without_decimal_point(tmp_path):
    sheets = tiny()
    for row in sheets["街道"]:
        row["街道编码"] = {"S1": 430102001, "S2": 430102002, "S3": 430104101}[row["街道编码"]]
    for table, column in (
        ("楼宇", "所在街道编码"),
        ("组织", "所在街道编码"),
        ("党组织", "所属街道编码"),
    ):
        for row in sheets[table]:
            if row.get(column):
                row[column] = {"S1": 430102001, "S2": 430102002, "S3": 430104101}[row[column]]
    ledger = _valid(write_xlsx(sheets, tmp_path / "l.xlsx"))
    assert ledger.streets["id"].tolist() == ["430102001", "430102002", "430104101"]
    assert ledger.organizations["street"].iloc[0] == "430102001"


def test_leading_zeros_survive_csv(tmp_path):
    sheets = tiny()
    for table, column in (
        ("街道", "街道编码"),
        ("楼宇", "所在街道编码"),
        ("组织", "所在街道编码"),
        ("党组织", "所属街道编码"),
    ):
        for row in sheets[table]:
            if row.get(column):
                row[column] = "00" + str(row[column])
    ledger = _valid(write_csv(sheets, tmp_path / "csv"))
    assert ledger.streets["id"].iloc[0] == "00S1"


def test_eighteen_digit_code_stored_as_number_gets_excel_hint(tmp_path):
    digits = next(
        c for n in range(123456789, 123457789) if (c := uscc.make(f"91430100{n:09d}"))[-1].isdigit()
    )
    assert str(int(float(digits))) != digits  # a double cannot hold 18 digits
    sheets = tiny()
    sheets["组织"][1]["统一社会信用代码"] = int(digits)  # what Excel does to a typed number
    sheets["链上关系"] = []
    _, issues = check_ledger(write_xlsx(sheets, tmp_path / "l.xlsx"), today=TODAY)
    (issue,) = [i for i in issues if i.is_error]
    assert (issue.sheet, issue.row, issue.column) == ("组织", 3, "统一社会信用代码")
    assert "Excel" in issue.message and "文本" in issue.message


def test_extra_columns_are_kept_as_text(tmp_path):
    ledger = _valid(write_xlsx(tiny(), tmp_path / "l.xlsx"))
    assert ledger.extra_columns("organizations") == ["备注"]
    assert ledger.organizations["备注"].iloc[0] == "龙头"
    assert pd.isna(ledger.organizations["备注"].iloc[1])


def test_blank_rows_are_skipped_but_row_numbers_kept(tmp_path):
    sheets = tiny()
    sheets["组织"].insert(1, {})  # an empty row 3
    sheets["组织"][2]["组织类型"] = "个体户"  # O2 is now on row 4
    _, issues = check_ledger(write_xlsx(sheets, tmp_path / "l.xlsx"), today=TODAY)
    (issue,) = [i for i in issues if i.is_error]
    assert (issue.row, issue.column) == (4, "组织类型")


def test_values_are_typed(tmp_path):
    ledger = _valid(write_xlsx(tiny(), tmp_path / "l.xlsx"))
    orgs = ledger.organizations
    first = orgs.iloc[0]
    assert first["uscc"] == O1
    assert first["employees"] == 120 and str(orgs["employees"].dtype) == "Int64"
    assert first["has_union"] is True or first["has_union"] == True  # noqa: E712
    assert first["registered"] == pd.Timestamp("2015-03-01")
    assert orgs["status"].tolist() == ["正常", "正常", "正常", "正常", "僵尸企业"]  # default
    assert ledger.party_orgs.set_index("id")["has_secretary"].to_dict()["PO-A"] == True  # noqa: E712
    assert ledger.party_orgs.set_index("id")["has_secretary"].to_dict()["PO-J"] == False  # noqa: E712
    assert O2 in orgs["uscc"].tolist()


@pytest.mark.parametrize(
    ("date_text", "expected"),
    [
        ("2024-03-01", "2024-03-01"),
        ("2024/3/1", "2024-03-01"),
        ("2024.03.01", "2024-03-01"),
        ("2024年3月1日", "2024-03-01"),
        ("20240301", "2024-03-01"),
        ("2024-03-01 00:00:00", "2024-03-01"),
    ],
)
def test_date_spellings(tmp_path, date_text, expected):
    sheets = tiny()
    sheets["组织"][0]["登记日期"] = date_text
    ledger = _valid(write_csv(sheets, tmp_path / "csv"))
    assert ledger.organizations["registered"].iloc[0] == pd.Timestamp(expected)


def test_duplicate_column_and_duplicate_sheet_are_errors(tmp_path):
    sheets = tiny()
    for row in sheets["街道"]:
        row["name"] = row["街道名称"]
    sheets["streets"] = tiny()["街道"]
    _, issues = check_ledger(write_xlsx(sheets, tmp_path / "l.xlsx"), today=TODAY)
    codes = {(i.code, i.sheet) for i in issues if i.is_error}
    assert ("duplicate_column", "街道") in codes
    assert ("duplicate_sheet", "streets") in codes


def test_unknown_sheets_are_ignored(tmp_path):
    sheets = tiny()
    sheets["说明"] = [{"说明": "这是说明页"}]
    assert _valid(write_xlsx(sheets, tmp_path / "l.xlsx")).counts()["organizations"] == 5


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.xlsx", b"this is not a workbook"),
        ("ledger.docx", b"PK\x03\x04"),
        ("single.csv", b"a,b\n1,2\n"),
    ],
)
def test_not_a_ledger_is_unreadable(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LedgerUnreadable) as info:
        read_raw(path)
    assert name in info.value.message


def test_missing_path_and_empty_folder_are_unreadable(tmp_path):
    with pytest.raises(LedgerUnreadable):
        read_raw(tmp_path / "nope.xlsx")
    with pytest.raises(LedgerUnreadable):
        read_raw(tmp_path)
