"""Writing ledgers: what Excel and a text editor show, and that nothing half-written is left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import loaders.writer as writer
from graph.errors import LiangxinError
from graph.ledger import Ledger, empty_table
from graph.model import SHEETS, SHEETS_BY_KEY
from loaders.sample import generate_city
from loaders.writer import EXCEL_MAX_ROWS, write_csv_folder, write_workbook

CODE = "914301027073939604"  # valid, all digits: as a number Excel would show 9.14301E+17
ZERO_CODE = "000123"


@pytest.fixture(scope="module")
def city() -> Ledger:
    return generate_city(300, seed=4)


def tiny() -> Ledger:
    """Two organizations and one street, values chosen to show every cell type."""
    orgs = empty_table(SHEETS_BY_KEY["organizations"]).reindex(range(2))
    orgs = orgs.astype(empty_table(SHEETS_BY_KEY["organizations"]).dtypes.to_dict())
    orgs["uscc"] = pd.array([CODE, "91430102MA4L0B1X2E"], dtype="string")
    orgs["name"] = pd.array(["长沙星辰科技有限公司", '长沙市, "逗号"协会'], dtype="string")
    orgs["kind"] = pd.array(["非公企业", "社会组织"], dtype="string")
    orgs["employees"] = pd.array([120, 0], dtype="Int64")
    orgs["formal_members"] = pd.array([3, 0], dtype="Int64")
    orgs["probationary_members"] = pd.array([None, 1], dtype="Int64")
    orgs["street"] = pd.array([ZERO_CODE, ZERO_CODE], dtype="string")
    orgs["has_union"] = pd.array([True, False], dtype="boolean")
    orgs["lon"] = pd.array([112.987654, None], dtype="Float64")
    orgs["registered"] = pd.Series(
        np.array(["2019-03-15", "NaT"], dtype="datetime64[ms]"), dtype="datetime64[ms]"
    )
    orgs["备注"] = pd.array(["重点企业", None], dtype="string")
    streets = empty_table(SHEETS_BY_KEY["streets"]).reindex(range(1))
    streets = streets.astype(empty_table(SHEETS_BY_KEY["streets"]).dtypes.to_dict())
    streets["id"] = pd.array([ZERO_CODE], dtype="string")
    streets["name"] = pd.array(["东塘街道"], dtype="string")
    streets["district"] = pd.array(["雨花区"], dtype="string")
    return Ledger({"organizations": orgs, "streets": streets})


# ---------------------------------------------------------------------------------------------
# Workbook


def test_workbook_sheets_headers_and_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_workbook(tiny(), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [s.label for s in SHEETS]
    ws = book["组织"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.label for c in SHEETS_BY_KEY["organizations"].columns] + ["备注"]
    col = {h: i + 1 for i, h in enumerate(headers)}
    code = ws.cell(2, col["统一社会信用代码"])
    assert code.value == CODE and code.data_type == "s" and code.number_format == "@"
    street = ws.cell(2, col["所在街道编码"])
    assert street.value == ZERO_CODE and street.number_format == "@"
    assert (
        ws.column_dimensions[ws.cell(1, col["统一社会信用代码"]).column_letter].number_format == "@"
    )
    employees = ws.cell(2, col["从业人员数"])
    assert employees.value == 120 and isinstance(employees.value, int)
    registered = ws.cell(2, col["登记日期"])
    assert registered.value == dt.datetime(2019, 3, 15)
    assert registered.number_format == "yyyy-mm-dd" and registered.is_date
    assert ws.cell(2, col["有工会"]).value == "是"
    assert ws.cell(3, col["有工会"]).value == "否"
    assert ws.cell(2, col["经度"]).value == pytest.approx(112.987654, abs=1e-12)
    assert ws.cell(3, col["经度"]).value is None  # missing stays empty
    assert ws.cell(3, col["登记日期"]).value is None
    assert ws.cell(2, col["预备党员数"]).value is None
    assert ws.cell(3, col["组织名称"]).value == '长沙市, "逗号"协会'
    assert ws.cell(2, col["备注"]).value == "重点企业"
    assert ws.freeze_panes == "A2"
    assert ws.cell(1, 1).font.b
    assert [c.value for c in book["党组织"][1]] == [
        c.label for c in SHEETS_BY_KEY["party_orgs"].columns
    ]
    assert book["党组织"].max_row == 1  # empty sheet: header only


def test_workbook_of_the_sample_city(tmp_path: Path, city: Ledger) -> None:
    path = tmp_path / "city.xlsx"
    seen: list[int] = []
    write_workbook(city, path, progress=seen.append)
    assert seen[-1] == sum(city.counts().values())
    assert seen == sorted(seen)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["党组织"].iter_rows(min_row=1, max_row=2, values_only=True))
    assert list(rows[0]) == [c.label for c in SHEETS_BY_KEY["party_orgs"].columns]
    first = city.party_orgs.iloc[0]
    assert rows[1][0] == first["id"]
    assert rows[1][12] == first["founded"].to_pydatetime()
    organizations = book["组织"]
    assert organizations.max_row == len(city.organizations) + 1
    codes = [r[0] for r in organizations.iter_rows(min_row=2, max_row=6, values_only=True)]
    assert codes == list(city.organizations["uscc"].iloc[:5])


def test_workbook_replaces_atomically_and_cleans_up(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"old")

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_write_sheet", broken)
    with pytest.raises(RuntimeError):
        write_workbook(tiny(), path)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]
    monkeypatch.undo()
    write_workbook(tiny(), path)
    assert path.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


def test_workbook_refuses_more_rows_than_excel_has(tmp_path: Path) -> None:
    streets = empty_table(SHEETS_BY_KEY["streets"]).reindex(range(EXCEL_MAX_ROWS))
    with pytest.raises(LiangxinError, match="CSV"):
        write_workbook(Ledger({"streets": streets}), tmp_path / "big.xlsx")
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------------------------------------
# CSV folders


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_csv_bytes_in_the_chosen_encoding(tmp_path: Path, encoding: str) -> None:
    write_csv_folder(tiny(), tmp_path, encoding=encoding)
    raw = (tmp_path / "组织.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    text = raw.decode(encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    lines = text.split("\r\n")
    header = lines[0].split(",")
    assert header == [c.label for c in SHEETS_BY_KEY["organizations"].columns] + ["备注"]
    first = lines[1].split(",")
    col = {h: i for i, h in enumerate(header)}
    assert first[col["统一社会信用代码"]] == CODE
    assert first[col["所在街道编码"]] == ZERO_CODE
    assert first[col["从业人员数"]] == "120"  # no ".0"
    assert first[col["预备党员数"]] == ""
    assert first[col["有工会"]] == "是"
    assert first[col["登记日期"]] == "2019-03-15"
    assert first[col["经度"]] == "112.987654"
    assert '"长沙市, ""逗号""协会"' in lines[2]
    assert "否" in lines[2]


def test_csv_writes_rows_and_required_sheets_only(tmp_path: Path, city: Ledger) -> None:
    write_csv_folder(tiny(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["党组织.csv", "组织.csv", "街道.csv"]
    assert (tmp_path / "党组织.csv").read_text("utf-8-sig").strip() == ",".join(
        c.label for c in SHEETS_BY_KEY["party_orgs"].columns
    )
    # a file left from an earlier ledger is rewritten, never left to mix two ledgers
    write_csv_folder(city, tmp_path)
    assert len(list(tmp_path.iterdir())) == len(SHEETS)
    write_csv_folder(tiny(), tmp_path)
    lines = (tmp_path / "楼宇.csv").read_text("utf-8-sig").splitlines()
    assert len(lines) == 1


def test_csv_chunks_join_seamlessly(tmp_path: Path, city: Ledger, monkeypatch) -> None:
    write_csv_folder(city, tmp_path / "whole")
    monkeypatch.setattr(writer, "_CSV_CHUNK_ROWS", 7)
    seen: list[int] = []
    write_csv_folder(city, tmp_path / "chunked", progress=seen.append)
    for name in ("组织.csv", "党组织.csv", "结对共建.csv"):
        assert (tmp_path / "whole" / name).read_bytes() == (
            tmp_path / "chunked" / name
        ).read_bytes()
    assert seen[-1] == sum(city.counts().values())
    assert len(seen) > len(city.organizations) // 7


def test_csv_refuses_other_encodings(tmp_path: Path) -> None:
    with pytest.raises(LiangxinError, match="编码"):
        write_csv_folder(tiny(), tmp_path, encoding="latin-1")
    assert not list(tmp_path.iterdir())
