"""The broken ledgers: one :class:`Case` each, with the exact place and message expected.

``kind`` is what the reader must do: ``error`` / ``warning`` (an issue at ``sheet``, ``row``,
``column`` whose message contains ``text``), ``unreadable`` (the file is refused whole with
``error_type`` and ``text``), ``valid`` (awkward but fine: no error at all). ``text`` is
compared with all whitespace removed (the CLI wraps long lines). ``absent``: a message that
must not appear as well (the misleading one the case used to give).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from graph.errors import LedgerTooLarge, LedgerUnreadable
from tests.bad_inputs import builders as b
from tests.tinyledger import O1, O2, code, drop_cell, drop_column, drop_sheet, set_cell

ORG, PO, ST = "组织", "党组织", "街道"
WRONG_CHECK = O2[:-1] + ("0" if O2[-1] != "0" else "1")


@dataclass(frozen=True)
class Case:
    id: str
    build: b.Builder
    kind: str
    text: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    error_type: type[LedgerUnreadable] = LedgerUnreadable
    exit: int | None = None  # when other issues follow from the case (default: from kind)
    absent: str | None = None
    code: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if self.exit is not None:
            return self.exit
        return {"error": 1, "unreadable": 2}.get(self.kind, 0)


def too_large(id_: str, build: b.Builder, text: str) -> Case:
    """A file refused whole as too large (:class:`LedgerTooLarge`) with ``text``."""
    return Case(id_, build, "unreadable", text, error_type=LedgerTooLarge)


def org(index: int, **cells: object):  # type: ignore[no-untyped-def]
    return set_cell(ORG, index, **cells)


def po(index: int, **cells: object):  # type: ignore[no-untyped-def]
    return set_cell(PO, index, **cells)


def _tab(files: dict[str, bytes]) -> None:
    files[ORG] = files[ORG].replace(b",", b"\t")


def _semicolon(files: dict[str, bytes]) -> None:
    files[ORG] = files[ORG].replace(b",", b";")


def _ragged(files: dict[str, bytes]) -> None:
    lines = files[ORG].split(b"\r\n")
    lines[2] = lines[2] + ",多出来的值,又一个".encode()  # O2, row 3
    files[ORG] = b"\r\n".join(lines)


def _bad_byte(files: dict[str, bytes]) -> None:
    lines = files[ORG].split(b"\r\n")
    lines[3] = lines[3].replace("丙".encode(), b"\xff\xfe", 1)  # O3, line 4
    files[ORG] = b"\r\n".join(lines)


def _bad_byte_header(files: dict[str, bytes]) -> None:
    files[ST] = files[ST].replace("街道名称".encode(), b"\xc3\x28\xe8", 1)


def _title_line(files: dict[str, bytes]) -> None:
    files[ORG] = "2026年11月两新组织台账,,,\r\n".encode() + files[ORG]


def _bom(prefix: bytes, encoding: str):  # type: ignore[no-untyped-def]
    def edit(files: dict[str, bytes]) -> None:
        for stem, data in files.items():
            files[stem] = prefix + data.decode("utf-8").encode(encoding)

    return edit


def _empty_file(name: str):  # type: ignore[no-untyped-def]
    def edit(files: dict[str, bytes]) -> None:
        files[name] = b""

    return edit


def _only_header(files: dict[str, bytes]) -> None:
    files[ST] = files[ST].split(b"\r\n")[0] + b"\r\n"


def _unclosed_quote(files: dict[str, bytes]) -> None:
    files[ST] = files[ST] + 'S9,"未闭合,芙蓉区,街道\r\nS10,x,y,街道'.encode()


def _zero_width_header(files: dict[str, bytes]) -> None:
    files[ORG] = files[ORG].replace("组织名称".encode(), "组织\u200b名称".encode(), 1)


def _both_sheets(sheets) -> None:  # type: ignore[no-untyped-def]
    sheets["organizations"] = [dict(r) for r in sheets[ORG]]


def _duplicate_column(sheets) -> None:  # type: ignore[no-untyped-def]
    for row in sheets[ORG]:
        row["employees"] = row["从业人员数"]


def _unheaded_column(sheets) -> None:  # type: ignore[no-untyped-def]
    sheets[ORG][1][""] = "无表头的值"


def _blank_street_sheet(sheets) -> None:  # type: ignore[no-untyped-def]
    sheets[ST] = []


def _implicit_far() -> b.Builder:
    # 4,000 rows with no r attribute, then one with 16,384 cells without positions: calamine
    # would place the last cell at XFD4001 (4,001 × 16,384 > 60 million positions).
    empty_rows = "<row/>" * 3999
    wide = "<row>" + "<c><v>1</v></c>" * 16384 + "</row>"
    return b.sheet_xml(b.header_xml() + empty_rows + wide)


far_styles = b.sheet_xml(b.header_xml() + '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
lying_dimension = b.sheet_xml(b.header_xml(), head='<dimension ref="A1:XFD1048576"/>')
damaged_xml = b.sheet_xml(b.header_xml() + '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t>')


CASES: list[Case] = [
    # 1 · sheets whose used range would exhaust memory, bombs, files that are not workbooks
    too_large(
        "far_cell_XFD1048576",
        b.edited_xlsx(b.at(ORG, "XFD1048576", 1)),
        "工作表“组织”的数据区域一直延伸到单元格XFD1048576",
    ),
    too_large("far_cell_ZZ100000", b.edited_xlsx(b.at(ORG, "ZZ100000", "x")), "单元格ZZ100000"),
    too_large(
        "far_cell_in_party_orgs",
        b.edited_xlsx(b.at(PO, "XFD60000", "x")),
        "工作表“党组织”的数据区域一直延伸到单元格XFD60000",
    ),
    too_large("implicit_positions_far", _implicit_far(), "单元格XFD4001"),
    Case("far_formatting_only", far_styles, "error", "缺少必填列", sheet=ORG, column="组织类型"),
    Case("lying_dimension", lying_dimension, "error", "缺少必填列", sheet=ORG, column="组织类型"),
    Case("damaged_sheet_xml", damaged_xml, "unreadable", "工作表“组织”"),
    too_large("zip_bomb_part", b.with_part("xl/media/pad.bin", bytes(20 << 20)), "压缩比异常"),
    Case(
        "not_a_zip",
        b.raw_bytes("假的.xlsx", "这不是台账".encode()),
        "unreadable",
        "不是有效的Excel工作簿",
    ),
    Case("empty_file", b.raw_bytes("空.xlsx", b""), "unreadable", "不是有效的Excel工作簿"),
    Case("truncated_workbook", b.truncated_xlsx, "unreadable", "台账.xlsx"),
    Case("encrypted_workbook", b.encrypted_xlsx, "unreadable", "去掉文件密码后再导入"),
    Case("unknown_suffix", b.raw_bytes("台账.txt", b"a,b"), "unreadable", "无法识别台账.txt的格式"),
    Case("single_csv_file", b.raw_bytes("组织.csv", b"a,b"), "unreadable", "是单个CSV文件"),
    Case("folder_without_csv", lambda d: d, "unreadable", "中没有CSV文件"),
    Case("missing_path", lambda d: d / "没有这个文件.xlsx", "unreadable", "找不到台账文件"),
    # 5 · huge, infinite and implausible counts
    Case("employees_inf", b.xlsx(org(1, 从业人员数="inf")), "error", "过大", ORG, 3, "从业人员数"),
    Case(
        "employees_1e30_number",
        b.xlsx(org(1, 从业人员数=1e30)),
        "error",
        "过大",
        ORG,
        3,
        "从业人员数",
    ),
    Case(
        "employees_1e300_text",
        b.xlsx(org(1, 从业人员数="1e300")),
        "error",
        "过大",
        ORG,
        3,
        "从业人员数",
    ),
    Case(
        "employees_minus_inf",
        b.xlsx(org(1, 从业人员数="-inf")),
        "error",
        "过大",
        ORG,
        3,
        "从业人员数",
    ),
    Case(
        "employees_nan",
        b.xlsx(org(1, 从业人员数="NaN")),
        "error",
        "应为不小于0的整数",
        ORG,
        3,
        "从业人员数",
    ),
    Case(
        "formal_members_inf",
        b.xlsx(org(1, 正式党员数="Infinity")),
        "error",
        "过大",
        ORG,
        3,
        "正式党员数",
    ),
    Case(
        "probationary_1e13", b.xlsx(org(1, 预备党员数=1e13)), "error", "过大", ORG, 3, "预备党员数"
    ),
    Case("party_members_1e30", b.xlsx(po(3, 党员数="1e30")), "error", "过大", PO, 5, "党员数"),
    Case(
        "segment_order_inf",
        b.xlsx(set_cell("产业链环节", 0, 顺序="inf")),
        "error",
        "过大",
        "产业链环节",
        2,
        "顺序",
    ),
    Case("longitude_inf", b.xlsx(org(3, 经度="inf")), "error", "应为", ORG, 5, "经度"),
    Case(
        "employees_inf_csv",
        b.csv_folder(org(1, 从业人员数="inf")),
        "error",
        "过大",
        "组织.csv",
        3,
        "从业人员数",
    ),
    Case(
        "employees_1e9_warning",
        b.xlsx(org(1, 从业人员数=1e9)),
        "warning",
        "超过1,000,000",
        ORG,
        3,
        "从业人员数",
        code="implausible_count",
    ),
    Case(
        "party_members_2e6_warning",
        b.xlsx(po(5, 党员数=2_000_000)),
        "warning",
        "超过1,000,000",
        PO,
        7,
        "党员数",
        code="implausible_count",
    ),
    # 6 · formulas without a stored result, Excel error values
    Case(
        "formula_covering_party_org",
        b.edited_xlsx(b.put(ORG, 3, "覆盖党组织编码", '="PO-J"')),
        "error",
        "是公式且没有计算结果",
        ORG,
        3,
        "覆盖党组织编码",
    ),
    Case(
        "formula_required_name",
        b.edited_xlsx(b.put(ORG, 4, "组织名称", "=B2")),
        "error",
        "粘贴为数值",
        ORG,
        4,
        "组织名称",
        absent="不能为空",
    ),
    Case(
        "formula_extra_column",
        b.edited_xlsx(b.put(ORG, 2, "备注", "=1+1")),
        "error",
        "单元格",
        ORG,
        2,
        "备注",
    ),
    Case(
        "na_in_required_count",
        b.edited_xlsx(b.put(ORG, 3, "从业人员数", "#N/A", "e")),
        "error",
        "Excel错误值“#N/A”",
        ORG,
        3,
        "从业人员数",
        absent="不能为空",
    ),
    Case(
        "ref_error_in_street",
        b.edited_xlsx(b.put(ORG, 5, "所在街道编码", "#REF!", "e")),
        "error",
        "Excel错误值“#REF!”",
        ORG,
        5,
        "所在街道编码",
        absent="不能为空",
    ),
    Case(
        "value_error_in_party_name",
        b.edited_xlsx(b.put(PO, 6, "党组织名称", "#VALUE!", "e")),
        "error",
        "#VALUE!",
        PO,
        6,
        "党组织名称",
    ),
    Case(
        "div0_in_formal_members",
        b.edited_xlsx(b.put(ORG, 2, "正式党员数", "#DIV/0!", "e")),
        "error",
        "#DIV/0!",
        ORG,
        2,
        "正式党员数",
    ),
    # 10 · messages that used to leave a planner stuck
    Case(
        "title_row_above_header",
        b.edited_xlsx(b.title_rows(ORG, "2026年11月两新组织台账")),
        "error",
        "表头似乎在第2行",
        ORG,
        2,
        absent="缺少必填列",
    ),
    Case(
        "title_and_blank_rows",
        b.edited_xlsx(b.title_rows(ORG, "台账", None)),
        "error",
        "表头似乎在第3行",
        ORG,
        3,
        absent="缺少必填列",
    ),
    Case(
        "title_row_csv",
        b.csv_edit(_title_line),
        "error",
        "请删除表头上方的标题行",
        "组织.csv",
        2,
        absent="缺少必填列",
    ),
    Case(
        "tab_separated_csv",
        b.csv_edit(_tab),
        "error",
        "用制表符分隔",
        "组织.csv",
        1,
        absent="缺少必填列",
    ),
    Case(
        "semicolon_separated_csv",
        b.csv_edit(_semicolon),
        "error",
        "用分号分隔",
        "组织.csv",
        1,
        absent="缺少必填列",
    ),
    Case("ragged_csv_row", b.csv_edit(_ragged), "error", "这一行有", "组织.csv", 3),
    Case(
        "unclosed_quote_csv",
        b.csv_edit(_unclosed_quote),
        "unreadable",
        "街道.csv第5行有一个没有配对的英文双引号",
    ),
    Case("bad_utf8_byte", b.csv_edit(_bad_byte), "unreadable", "组织.csv第4行"),
    Case("bad_utf8_byte_in_header", b.csv_edit(_bad_byte_header), "unreadable", "街道.csv第1行"),
    # the obvious families
    Case(
        "missing_sheet_party_orgs",
        b.xlsx(drop_sheet(PO)),
        "error",
        "缺少必需的工作表“党组织”",
        PO,
    ),
    Case("missing_sheet_streets", b.xlsx(drop_sheet(ST)), "error", "缺少必需的工作表“街道”", ST),
    Case(
        "missing_column_employees",
        b.xlsx(drop_column(ORG, "从业人员数")),
        "error",
        "缺少必填列“从业人员数”",
        ORG,
        None,
        "从业人员数",
    ),
    Case(
        "required_name_empty",
        b.xlsx(drop_cell(ORG, 1, "组织名称")),
        "error",
        "不能为空",
        ORG,
        3,
        "组织名称",
    ),
    Case(
        "employees_words",
        b.xlsx(org(1, 从业人员数="二十")),
        "error",
        "应为不小于0的整数",
        ORG,
        3,
        "从业人员数",
    ),
    Case(
        "employees_fraction", b.xlsx(org(1, 从业人员数=20.5)), "error", "整数", ORG, 3, "从业人员数"
    ),
    Case(
        "employees_negative",
        b.xlsx(org(1, 从业人员数=-3)),
        "error",
        "不小于0",
        ORG,
        3,
        "从业人员数",
    ),
    Case(
        "formal_exceeds_employees",
        b.xlsx(org(1, 正式党员数=30)),
        "error",
        "超过了从业人员数",
        ORG,
        3,
        "正式党员数",
    ),
    Case(
        "uscc_bad_check_character",
        b.xlsx(org(1, 统一社会信用代码=WRONG_CHECK)),
        "error",
        "",
        ORG,
        3,
        "统一社会信用代码",
    ),
    Case(
        "uscc_too_short",
        b.xlsx(org(1, 统一社会信用代码="91430100MA4L")),
        "error",
        "",
        ORG,
        3,
        "统一社会信用代码",
    ),
    Case(
        "uscc_stored_as_number",
        b.xlsx(org(1, 统一社会信用代码=914301001234567890)),
        "error",
        "存成了数字",
        ORG,
        3,
        "统一社会信用代码",
    ),
    Case(
        "duplicate_uscc",
        b.xlsx(org(1, 统一社会信用代码=O1)),
        "error",
        "与第2行重复",
        ORG,
        3,
        "统一社会信用代码",
    ),
    Case(
        "duplicate_party_org_code",
        b.xlsx(po(4, 党组织编码="PO-A")),
        "error",
        "与第5行重复",
        PO,
        6,
        "党组织编码",
    ),
    Case(
        "unknown_party_org",
        b.xlsx(org(1, 覆盖党组织编码="PO-X")),
        "error",
        "没有党组织编码为",
        ORG,
        3,
        "覆盖党组织编码",
    ),
    Case(
        "unknown_street",
        b.xlsx(org(0, 所在街道编码="S9")),
        "error",
        "没有街道编码为",
        ORG,
        2,
        "所在街道编码",
    ),
    Case(
        "reference_to_absent_sheet",
        b.xlsx(drop_sheet("楼宇")),
        "error",
        "但台账中没有“楼宇”表",
        ORG,
        2,
        "所在楼宇编码",
    ),
    Case(
        "parent_cycle",
        b.xlsx(po(0, 上级党组织编码="PO-A")),
        "error",
        "上级党组织形成循环",
        PO,
        5,
        "上级党组织编码",
    ),
    Case(
        "parent_is_itself",
        b.xlsx(po(5, 上级党组织编码="PO-GOV")),
        "error",
        "形成循环",
        PO,
        7,
        "上级党组织编码",
    ),
    Case(
        "wrong_org_kind",
        b.xlsx(org(1, 组织类型="私营企业")),
        "error",
        "不是“组织类型”的可选值",
        ORG,
        3,
        "组织类型",
    ),
    Case(
        "wrong_party_level",
        b.xlsx(po(3, 组织层级="小组")),
        "error",
        "不是“组织层级”的可选值",
        PO,
        5,
        "组织层级",
    ),
    Case("wrong_bool", b.xlsx(org(0, 有工会="也许")), "error", "应填“是”或“否”", ORG, 2, "有工会"),
    Case(
        "bad_date",
        b.xlsx(org(0, 登记日期="2015-13-45")),
        "error",
        "不是有效日期",
        ORG,
        2,
        "登记日期",
    ),
    Case(
        "date_year_99999",
        b.xlsx(org(0, 登记日期="99999-01-01")),
        "error",
        "不是有效日期",
        ORG,
        2,
        "登记日期",
    ),
    Case(
        "future_date_warning",
        b.xlsx(org(0, 登记日期="2030-01-01")),
        "warning",
        "晚于今天",
        ORG,
        2,
        "登记日期",
    ),
    Case(
        "building_in_other_street",
        b.xlsx(org(3, 所在楼宇编码="B1")),
        "error",
        "位于街道“S1”",
        ORG,
        5,
        "所在楼宇编码",
    ),
    Case(
        "duplicate_column", b.xlsx(_duplicate_column), "error", "指的是同一列", ORG, 1, "employees"
    ),
    Case("duplicate_sheet", b.xlsx(_both_sheets), "error", "都是“组织”表", "organizations"),
    Case("empty_required_sheet", b.xlsx(_blank_street_sheet), "error", "是空的", ST),
    Case("empty_required_csv", b.csv_edit(_empty_file(ST)), "error", "是空的", "街道.csv"),
    Case("header_only_csv", b.csv_edit(_only_header), "warning", "只有表头", "街道.csv", exit=1),
    Case(
        "data_without_header", b.xlsx(_unheaded_column), "warning", "有数据但没有表头", ORG, 1, "P"
    ),
    Case(
        "self_pairing",
        b.xlsx(set_cell("结对共建", 0, 乙方党组织编码="PO-A")),
        "error",
        "是同一个",
        "结对共建",
        2,
        "乙方党组织编码",
    ),
    Case(
        "committee_member_empty",
        b.xlsx(drop_cell("产业链党委成员", 1, "成员单位名称")),
        "error",
        "至少要填一项",
        "产业链党委成员",
        3,
        "成员单位代码",
    ),
    Case(
        "committee_not_chain",
        b.xlsx(set_cell("产业链党委成员", 0, 党组织编码="PO-A")),
        "error",
        "只能填产业链党委",
        "产业链党委成员",
        2,
        "党组织编码",
    ),
    Case(
        "unknown_supplier",
        b.xlsx(set_cell("链上关系", 0, 供方代码=code(99))),
        "error",
        "没有统一社会信用代码为",
        "链上关系",
        2,
        "供方代码",
    ),
    # encodings and BOMs that must be read (valid)
    Case("utf16_le_bom", b.csv_edit(_bom(codecs.BOM_UTF16_LE, "utf-16-le")), "valid", ""),
    Case("utf16_be_bom", b.csv_edit(_bom(codecs.BOM_UTF16_BE, "utf-16-be")), "valid", ""),
    Case("double_utf8_bom", b.csv_edit(_bom(codecs.BOM_UTF8 * 2, "utf-8")), "valid", ""),
    Case("gb18030_csv", b.csv_folder(encoding="gb18030"), "valid", ""),
    Case("zero_width_space_in_header", b.csv_edit(_zero_width_header), "valid", ""),
    Case("fullwidth_digits", b.xlsx(org(1, 从业人员数="１２０")), "valid", ""),
]
