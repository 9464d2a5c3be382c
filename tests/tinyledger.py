"""A tiny hand-built ledger whose answers can be worked out by hand, written to real files.

Sheets are lists of rows keyed by the Chinese headers planners write. Tests copy ``tiny()``,
change one cell, write it as a workbook or CSV folder, and check what the loader says.

The city (all in 长沙, two districts):
- streets S1 东湖街道, S2 马坡岭街道 (芙蓉区), S3 莲花镇 (岳麓区, a 镇)
- buildings B1 (商务楼宇, S1), B2 (产业园, S2); park P1 (国家级, 岳麓区)
- chain C1 工程机械 with segments G1 上游, G2 中游; instructor I1 (专职)
- Party organizations: PO-S1 the street committee of S1; PO-PARK the park committee;
  PO-CHAIN the chain committee (parent PO-PARK); PO-A O1's own branch (单独组建, parent
  PO-S1); PO-J a joint branch (联合组建) covering O2 and O3; PO-GOV an agency branch
- organizations O1 甲 (5 formal, covered by PO-A), O2 乙 (2, PO-J), O3 丙 (社会组织, 1, PO-J),
  O4 丁 (60 staff, 0 members, instructor I1, uncovered), O5 戊 (僵尸企业, park P1)
- committee: O1 as 骨干企业, 市工业和信息化局 as 政府部门; supply O1 → O5; pairing PO-A–PO-GOV
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from graph import uscc


def code(n: int, first: str = "9") -> str:
    """A valid USCC numbered ``n`` (``first`` is the registration authority character)."""
    return uscc.make(f"{first}1430100MA{n:07d}")


O1, O2, O3, O4, O5 = code(1), code(2), code(3, "5"), code(4), code(5)

Sheets = dict[str, list[dict[str, object]]]


def tiny() -> Sheets:
    """A fresh copy of the tiny valid ledger."""
    return copy.deepcopy(_TINY)


# Changes to a copy of ``tiny()``: each returns a function that edits the sheets in place.

Change = Callable[[Sheets], None]


def set_cell(sheet: str, index: int, **cells: object) -> Change:
    def change(s: Sheets) -> None:
        s[sheet][index].update(cells)

    return change


def drop_cell(sheet: str, index: int, column: str) -> Change:
    def change(s: Sheets) -> None:
        s[sheet][index].pop(column, None)

    return change


def drop_sheet(name: str) -> Change:
    def change(s: Sheets) -> None:
        del s[name]

    return change


def drop_column(sheet: str, column: str) -> Change:
    def change(s: Sheets) -> None:
        for row in s[sheet]:
            row.pop(column, None)

    return change


def add_row(sheet: str, row: dict[str, object]) -> Change:
    def change(s: Sheets) -> None:
        s[sheet].append(row)

    return change


_TINY: Sheets = {
    "街道": [
        {"街道编码": "S1", "街道名称": "东湖街道", "所在区县": "芙蓉区", "类型": "街道"},
        {"街道编码": "S2", "街道名称": "马坡岭街道", "所在区县": "芙蓉区", "类型": "街道"},
        {"街道编码": "S3", "街道名称": "莲花镇", "所在区县": "岳麓区", "类型": "镇"},
    ],
    "楼宇": [
        {
            "楼宇编码": "B1",
            "楼宇名称": "东湖大厦",
            "楼宇类型": "商务楼宇",
            "所在街道编码": "S1",
            "经度": 113.05,
            "纬度": 28.2,
            "有党群服务中心": "是",
        },
        {"楼宇编码": "B2", "楼宇名称": "马坡岭产业园", "楼宇类型": "产业园", "所在街道编码": "S2"},
    ],
    "园区": [
        {"园区编码": "P1", "园区名称": "长沙高新区", "园区级别": "国家级", "所在区县": "岳麓区"},
    ],
    "产业链": [
        {"产业链编码": "C1", "产业链名称": "工程机械", "牵头部门": "市工业和信息化局"},
    ],
    "产业链环节": [
        {"环节编码": "G1", "产业链编码": "C1", "环节名称": "关键零部件", "位置": "上游", "顺序": 1},
        {"环节编码": "G2", "产业链编码": "C1", "环节名称": "整机制造", "位置": "中游", "顺序": 2},
    ],
    "党建指导员": [
        {"指导员编码": "I1", "类型": "专职", "所属单位": "东湖街道", "姓名": "张敏"},
    ],
    "党组织": [
        {
            "党组织编码": "PO-S1",
            "党组织名称": "东湖街道两新综合党委",
            "组织层级": "党委",
            "党组织类别": "街道两新综合党委",
            "组建方式": "兜底组建",
            "党员数": 20,
            "所属街道编码": "S1",
            "上次换届日期": "2023-05-10",
            "最近组织生活日期": "2026-10-20",
        },
        {
            "党组织编码": "PO-PARK",
            "党组织名称": "长沙高新区党工委",
            "组织层级": "党委",
            "党组织类别": "园区党工委",
            "党员数": 30,
            "所属园区编码": "P1",
        },
        {
            "党组织编码": "PO-CHAIN",
            "党组织名称": "工程机械产业链党委",
            "组织层级": "党委",
            "党组织类别": "产业链党委",
            "党员数": 15,
            "上级党组织编码": "PO-PARK",
            "所属产业链编码": "C1",
        },
        {
            "党组织编码": "PO-A",
            "党组织名称": "甲公司党支部",
            "组织层级": "党支部",
            "党组织类别": "企业党组织",
            "组建方式": "单独组建",
            "党员数": 5,
            "上级党组织编码": "PO-S1",
            "所属街道编码": "S1",
            "成立日期": "2019-07-01",
            "上次换届日期": "2022-07-01",
            "最近组织生活日期": "2026-10-15",
        },
        {
            "党组织编码": "PO-J",
            "党组织名称": "东湖大厦联合党支部",
            "组织层级": "党支部",
            "党组织类别": "企业党组织",
            "组建方式": "联合组建",
            "党员数": 4,
            "上级党组织编码": "PO-S1",
            "所属楼宇编码": "B1",
            "书记是否配备": "否",
        },
        {
            "党组织编码": "PO-GOV",
            "党组织名称": "市工信局机关党支部",
            "组织层级": "党支部",
            "党组织类别": "机关党组织",
            "党员数": 10,
        },
    ],
    "组织": [
        {
            "统一社会信用代码": O1,
            "组织名称": "甲工程机械有限公司",
            "组织类型": "非公企业",
            "细分类别": "制造企业",
            "行业门类": "C",
            "从业人员数": 120,
            "正式党员数": 5,
            "预备党员数": 1,
            "所在街道编码": "S1",
            "所在楼宇编码": "B1",
            "产业链环节编码": "G1",
            "覆盖党组织编码": "PO-A",
            "有工会": "是",
            "登记日期": "2015-03-01",
            "备注": "龙头",
        },
        {
            "统一社会信用代码": O2,
            "组织名称": "乙科技有限公司",
            "组织类型": "非公企业",
            "从业人员数": 20,
            "正式党员数": 2,
            "所在街道编码": "S1",
            "所在楼宇编码": "B1",
            "覆盖党组织编码": "PO-J",
        },
        {
            "统一社会信用代码": O3,
            "组织名称": "丙社会工作服务中心",
            "组织类型": "社会组织",
            "细分类别": "社区社会组织",
            "从业人员数": 10,
            "正式党员数": 1,
            "所在街道编码": "S1",
            "覆盖党组织编码": "PO-J",
        },
        {
            "统一社会信用代码": O4,
            "组织名称": "丁物流有限公司",
            "组织类型": "非公企业",
            "从业人员数": 60,
            "正式党员数": 0,
            "所在街道编码": "S2",
            "所在楼宇编码": "B2",
            "党建指导员编码": "I1",
            "经度": 113.01,
            "纬度": 28.19,
        },
        {
            "统一社会信用代码": O5,
            "组织名称": "戊机械配件厂",
            "组织类型": "非公企业",
            "从业人员数": 8,
            "正式党员数": 1,
            "经营状态": "僵尸企业",
            "所在街道编码": "S3",
            "所在园区编码": "P1",
            "产业链环节编码": "G2",
        },
    ],
    "产业链党委成员": [
        {"党组织编码": "PO-CHAIN", "成员类型": "骨干企业", "成员单位代码": O1},
        {"党组织编码": "PO-CHAIN", "成员类型": "政府部门", "成员单位名称": "市工业和信息化局"},
    ],
    "链上关系": [
        {"供方代码": O1, "需方代码": O5, "关系类型": "供货"},
    ],
    "结对共建": [
        {
            "甲方党组织编码": "PO-A",
            "乙方党组织编码": "PO-GOV",
            "共建类型": "机关—两新",
            "开始日期": "2024-01-01",
        },
    ],
}


def _headers(rows: list[dict[str, object]]) -> list[str]:
    headers: list[str] = []
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    return headers


def write_xlsx(sheets: Sheets, path: Path, *, numbers_as_text: bool = False) -> Path:
    """Write ``sheets`` as a workbook; numbers are real numeric cells unless told otherwise."""
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        headers = _headers(rows)
        ws.write_row(0, 0, headers)
        for r, row in enumerate(rows, start=1):
            for c, h in enumerate(headers):
                value = row.get(h)
                if value is None:
                    continue
                if isinstance(value, str) or numbers_as_text:
                    ws.write_string(r, c, str(value))
                else:
                    ws.write_number(r, c, value)
    book.close()
    return path


def write_csv(sheets: Sheets, folder: Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write ``sheets`` as a folder of CSV files named after the sheets."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        headers = _headers(rows)
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(["" if row.get(h) is None else row[h] for h in headers])
    return folder
