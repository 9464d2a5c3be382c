"""Reports (issue 6): what they say equals the analyses' own results, the Excel files are right,
and ``liangxin report`` and the web app's downloads write them.

The sample city's reports come from tests/reportkit.py; the Word and HTML files have their own
tests (test_report_docx.py, test_report_html.py), with rendering to pictures.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.cli import app
from api.main import create_app
from graph.analysis.chains import chain_findings, chain_structure, segment_coverage
from graph.analysis.common import Params
from graph.analysis.coverage import coverage
from graph.analysis.flags import flags
from graph.analysis.leads import leads
from graph.errors import LiangxinError
from tests.reportkit import OUTPUT_DIR, SampleReports
from tests.tinyledger import O2, tiny, write_xlsx
from viz.reports import FORMATS, render
from viz.reports.content import COVERAGE_TARGETS, LEADS_SHOWN
from viz.reports.document import BarChart, Column, MapFigure, Report, Table, cell_text
from viz.reports.xlsx import TEXT_SHEET
from viz.reports.xlsx import write_xlsx as report_xlsx


def _table(report: Report, sheet: str, context: str | None = None) -> Table:
    found = [
        t
        for t in report.tables()
        if t.sheet == sheet and (context is None or dict(t.context).get("产业链") == context)
    ]
    assert len(found) == 1, (sheet, context, len(found))
    return found[0]


def _col(table: Table, key: str) -> list[object]:
    return [row[key] for row in table.rows]


def _text(report: Report) -> str:
    return "\n".join(b for s in report.sections for b in s.blocks if isinstance(b, str))


# -- content equals the analyses ---------------------------------------------------------------


def test_coverage_report_equals_coverage_and_flags(sample: SampleReports) -> None:
    g, p, report = sample.graph, sample.params, sample.coverage
    kinds = coverage(g, "kind", p)
    overall = _table(report, "总体")
    for key in ("kind", "total", "org_covered", "org_rate", "work_rate", "standalone_rate"):
        assert _col(overall, key) == kinds[key].tolist()
    for by, sheet in (("district", "各区县"), ("street", "各街道")):
        expected = coverage(g, by, p)
        table = _table(report, sheet)
        assert _col(table, "group") == expected["group"].tolist()  # worst first, as coverage
        assert _col(table, "org_rate") == expected["org_rate"].tolist()
        rates = [r for r in _col(table, "org_rate") if r is not None]
        assert rates == sorted(rates)
    found = flags(g, p)
    for code, sheet in (
        ("standalone_eligible", "应单独组建"),
        ("big_without_members", "50人以上无党员"),
        ("weak_lax", "软弱涣散"),
    ):
        key = "uscc" if code != "weak_lax" else "subject"
        assert (
            _col(_table(report, sheet), key) == found.loc[found["code"] == code, "subject"].tolist()
        )
    elections = found[found["code"].isin(["overdue_election", "election_due_soon"])]
    assert _col(_table(report, "换届"), "subject") == elections["subject"].tolist()
    eligible = _table(report, "应单独组建")
    assert all(row["formal_members"] >= 3 for row in eligible.rows)
    big = _table(report, "50人以上无党员")
    assert all(row["employees"] >= 50 and row["formal_members"] == 0 for row in big.rows)
    enterprise = kinds.set_index("kind").loc["非公企业"]
    gap = round(COVERAGE_TARGETS["非公企业"] - enterprise["org_rate"], 2)
    target_words = "达到 90% 的目标" if gap <= 0 else f"距 90% 的目标差 {gap:g} 个百分点"
    assert f"组织覆盖率 {enterprise['org_rate']:.2f}%，{target_words}" in _text(report)


def test_chain_report_equals_chain_structure_leads_and_findings(sample: SampleReports) -> None:
    g, p, report = sample.graph, sample.params, sample.one_chain
    (structure,) = chain_structure(g, "CYL01", p)
    assert report.title == f"{structure.name}产业链党建工作报告"
    tree = _table(report, "三级体系")
    levels = [row["level"] for row in tree.rows]
    assert levels == (
        ["第一级 园区党工委"]
        + ["第二级 产业链党委"] * len(structure.committees)
        + ["第三级 企业党组织"] * len(structure.enterprise_orgs)
    )
    assert _col(tree, "code")[-len(structure.enterprise_orgs) :] == [
        e.party_org for e in structure.enterprise_orgs
    ]
    members = _table(report, "三方进入")
    assert sorted(_col(members, "name")) == sorted(
        m.name for c in structure.committees for m in c.members
    )
    sides = _text(report)
    assert f"缺少：{'、'.join(structure.sides_missing) or '无，三方进入齐全'}" in sides
    segments = segment_coverage(g, "CYL01", p)
    table = _table(report, "环节覆盖")
    assert _col(table, "segment") == segments["segment"].tolist()  # upstream to downstream
    assert _col(table, "covered") == segments["covered"].tolist()
    candidates = leads(g, "CYL01", top=LEADS_SHOWN, params=p)
    lead_table = _table(report, "龙头企业")
    assert _col(lead_table, "uscc") == candidates["uscc"].tolist()
    assert _col(lead_table, "reach_count") == candidates["reach_count"].tolist()
    findings = chain_findings(g, "CYL01", p)
    weak = _table(report, "薄弱环节")
    assert sorted(r["problem"] + r["action"] for r in weak.rows) == sorted(findings["detail"])
    severities = [r["severity"] for r in weak.rows]
    assert severities == sorted(severities, key="高中低".index)  # most urgent first
    detached = [r for r in weak.rows if r["code_label"] == "企业党组织未纳入产业链党委"]
    assert detached and all("功能型管理" in r["action"] for r in detached)
    (picture,) = [b for s in report.sections for b in s.blocks if isinstance(b, MapFigure)]
    assert {n["id"] for n in picture.network.nodes} >= {
        f"po:{e.party_org}" for e in structure.enterprise_orgs
    }


def test_all_chains_report_has_an_overview_and_every_chain(sample: SampleReports) -> None:
    structures = chain_structure(sample.graph, None, sample.params)
    overview = _table(sample.chain, "产业链概况")
    assert _col(overview, "chain") == [r.chain for r in structures]
    assert _col(overview, "enterprises") == [r.enterprises for r in structures]
    assert [sum(row[f"severity_{s}"] for s in "高中低") for row in overview.rows] == [
        len(r.findings) for r in structures
    ]
    for r in structures:
        assert _table(sample.chain, "薄弱环节", r.name).rows  # every chain has its findings
    headings = [s.heading for s in sample.chain.sections]
    assert [f"{r.name}（{r.chain}）" for r in structures] == [
        h
        for h in headings
        if h.endswith("）") and "（" in h and h[:-1].split("（")[-1][:3] == "CYL"
    ]
    maps = [b for s in sample.chain.sections for b in s.blocks if isinstance(b, MapFigure)]
    assert len(maps) == len(structures)


def test_plan_report_equals_the_plan(sample: SampleReports) -> None:
    plan, report = sample.plan, sample.formation
    groups = _table(report, "新建联合党组织")
    assert _col(groups, "group_id") == [g.group_id for g in plan.groups]
    assert _col(groups, "members") == [g.members for g in plan.groups]
    assert _col(groups, "member_names") == [g.member_names for g in plan.groups]
    assert _col(groups, "mode") == [g.mode for g in plan.groups]
    assert all(row["reason"] for row in groups.rows)
    rates = _table(report, "覆盖率")
    for key in ("org_rate_now", "org_rate_after", "work_rate_now", "work_rate_after"):
        assert _col(rates, key) == plan.rates[key].tolist()
    assert _col(_table(report, "单独组建"), "uscc") == [s.uscc for s in plan.standalone]
    assert _col(_table(report, "并入现有党组织"), "uscc") == [a.uscc for a in plan.attachments]
    assert _col(_table(report, "选派指导员"), "uscc") == [i.uscc for i in plan.instructors]
    assert f"新建联合党组织 {len(plan.groups)} 个" in _text(report)


def test_monthly_report_equals_the_diff_in_meeting_words(sample: SampleReports) -> None:
    d, report = sample.diff, sample.monthly
    assert _col(_table(report, "新出现未覆盖"), "uscc") == d.newly_uncovered["uscc"].tolist()
    assert _col(_table(report, "新实现覆盖"), "uscc") == d.newly_covered["uscc"].tolist()
    assert _col(_table(report, "新增组织"), "uscc") == d.added["uscc"].tolist()
    assert _col(_table(report, "减少的组织"), "uscc") == d.removed["uscc"].tolist()
    streets = _table(report, "各街道")
    assert _col(streets, "change") == [None if c != c else c for c in d.streets["change"]]
    text = _text(report)
    assert f"新增两新组织 {len(d.added)} 家，减少 {len(d.removed)} 家" in text
    assert f"新出现未覆盖组织 {len(d.newly_uncovered)} 家" in text
    head = d.headline.set_index("kind").loc["非公企业"]
    rate, change = head["org_rate_now"], -head["org_rate_change"]
    assert f"非公企业：组织覆盖率 {rate:.2f}%，较上期下降 {change:g} 个百分点" in text
    assert f"对新出现的 {len(d.newly_uncovered)} 家未覆盖组织逐一建立工作台账" in text
    worst = d.streets.iloc[0]
    assert f"{worst['group_name']}（{worst['kind']}，下降 {-worst['change']:g} 个百分点）" in text
    trends = _col(streets, "trend")
    assert trends[0].startswith("下降") and any(t.startswith("上升") for t in trends)


def test_monthly_report_lists_the_rows_behind_each_rate_change() -> None:
    """迁移的组织, 移出统计范围 and 纳入统计范围 are sections of their own, each table the
    diff's rows; the opening paragraph counts them; the street table has the counts."""
    from tests.reportkit import NOW, THEN
    from tests.test_diff import moves
    from viz.reports.content import monthly_report

    d = moves()
    report = monthly_report(d, THEN, NOW, Params(min_employees_enterprise=10))
    headings = [s.heading for s in report.sections]
    assert headings[7:] == [
        "八、迁移的组织",
        "九、移出统计范围",
        "十、纳入统计范围",
        "十一、下一步工作",
    ]
    moved = _table(report, "迁移的组织")
    assert _col(moved, "uscc") == d.moved["uscc"].tolist()
    assert _col(moved, "reason")[0] == "街道：东湖街道 → 马坡岭街道；楼宇：东湖大厦 → 马坡岭产业园"
    assert [c.heading for c in moved.columns][3:] == [
        "变化情况",
        "上期有党组织覆盖",
        "本期有党组织覆盖",
    ]
    left = _table(report, "移出统计范围")
    assert _col(left, "uscc") == d.left_scope["uscc"].tolist()
    assert "从业人员 5 人，不足统计下限 10 人，不再纳入统计" in _col(left, "reason")
    entered = _table(report, "纳入统计范围")
    assert _col(entered, "uscc") == d.entered_scope["uscc"].tolist()
    assert (
        f"迁移的组织 {len(d.moved)} 家，移出统计范围 {len(d.left_scope)} 家，"
        f"纳入统计范围 {len(d.entered_scope)} 家" in _text(report)
    )
    streets = _table(report, "各街道")
    assert _col(streets, "org_covered_then") == d.streets["org_covered_then"].tolist()
    assert _col(streets, "org_covered_now") == d.streets["org_covered_now"].tolist()


def test_cell_text() -> None:
    assert cell_text(Column("r", "率", "rate"), 90.5) == "90.50%"
    assert cell_text(Column("l", "成员", "list"), ("甲", "乙")) == "甲、乙"
    assert cell_text(Column("c", "码", "code"), "0012") == "0012"
    assert cell_text(Column("t", "文"), None) == "—"
    assert cell_text(Column("n", "数", "number"), 12.5) == "12.5"


# -- Excel ---------------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("name", ["chain", "one_chain", "coverage", "plan", "monthly"])
def test_xlsx_one_sheet_per_section_typed_cells(sample: SampleReports, name: str) -> None:
    report = sample.all()[name]
    data = report_xlsx(report)
    out = OUTPUT_DIR / "xlsx"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.xlsx").write_bytes(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = list(dict.fromkeys(t.sheet for t in report.tables()))
    assert book.sheetnames == [TEXT_SHEET, *sheets]
    text = book[TEXT_SHEET]
    assert text["A1"].value == report.title and text["A2"].value == report.subtitle
    written = [c.value for c in text["A"] if c.value]
    for section in report.sections:  # every paragraph is on the 说明 sheet
        for block in section.blocks:
            if isinstance(block, str):
                assert block in written
    for sheet in sheets:
        tables = [t for t in report.tables() if t.sheet == sheet]
        ws = book[sheet]
        context = [h for h, _ in tables[0].context]
        columns = tables[0].columns
        assert [c.value for c in ws[1]] == [*context, *(c.heading for c in columns)]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref
        rows = [(t, row) for t in tables for row in t.rows]
        assert ws.max_row == 1 + len(rows) or (not rows and ws.max_row == 1)
        for r, (table, record) in enumerate(rows, start=2):
            for i, (_, value) in enumerate(table.context, start=1):
                assert ws.cell(r, i).value == value
            for j, column in enumerate(columns, start=len(context) + 1):
                _check_cell(ws.cell(r, j), column, record[column.key])
        widths = {
            i: dim.width
            for dim in ws.column_dimensions.values()
            for i in range(dim.min, dim.max + 1)
        }
        headers = [c.value for c in ws[1]]
        assert len(set(headers)) == len(headers)
        for j, heading in enumerate(headers, start=1):  # as wide as the heading, up to 60
            assert widths[j] >= min(_display_width(heading) + 2, 60), (sheet, heading, widths[j])
        for j in range(1, len(headers) + 1):  # and as its longest cell, or wrapped at 60
            longest = max(_display_width(str(c.value or "")) for c in ws.iter_cols(j, j).__next__())
            assert widths[j] >= min(longest, 60) or ws.cell(2, j).alignment.wrap_text


def _check_cell(cell: openpyxl.cell.Cell, column: Column, value: object) -> None:
    if value is None:
        assert cell.value is None
    elif column.kind in ("int", "number"):
        assert cell.value == value and isinstance(cell.value, int | float)
        assert cell.number_format == ("0" if column.kind == "int" else "0.00")
    elif column.kind == "rate":
        assert cell.value == pytest.approx(float(value) / 100) and cell.number_format == "0.00%"
    elif column.kind == "code":
        assert cell.value == str(value) and cell.data_type == "s" and cell.number_format == "@"
    else:
        assert cell.value == cell_text(column, value) and cell.data_type == "s"


def test_xlsx_figures_equal_the_analyses(sample: SampleReports) -> None:
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(sample.coverage)))
    ws = book["总体"]
    headers = [c.value for c in ws[1]]
    rows = {
        r[0]: dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    kinds = coverage(sample.graph, "kind", sample.params).set_index("kind")
    for kind, row in rows.items():
        assert row["组织覆盖率"] == pytest.approx(kinds.loc[kind, "org_rate"] / 100)
        assert row["纳入统计的组织"] == kinds.loc[kind, "total"]
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(sample.chain)))
    ws = book["薄弱环节"]
    assert ws.max_row - 1 == len(chain_findings(sample.graph, None, sample.params))
    codes = [c.value for c in ws["A"]][1:]  # the 产业链 context column leads
    assert set(codes) == {r.name for r in chain_structure(sample.graph, None, sample.params)}


def test_sheet_names_are_made_valid_for_excel() -> None:
    table = Table(
        "很长的工作表名称：包括[非法]字符/还有更多更多更多更多的字",
        (Column("a", "甲"),),
        ({"a": "x"},),
    )
    other = Table(
        "很长的工作表名称：包括[非法]字符/还有更多更多更多更多的字!", (Column("a", "甲"),), ()
    )
    report = Report("coverage", "标题", "副标题", dt.date(2026, 11, 1), ((_section(table, other)),))
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    assert len(book.sheetnames) == 3 and all(len(n) <= 31 for n in book.sheetnames)
    assert not any(ch in n for n in book.sheetnames for ch in "[]:*?/\\")


def _section(*blocks: object):
    from viz.reports.document import Section

    return Section("一、测试", tuple(blocks))


def test_figures_draw_chinese_charts_and_maps(sample: SampleReports) -> None:
    from viz.reports.figures import png, svg

    chart = BarChart("两类组织覆盖率", ("非公企业", "社会组织"), (("组织覆盖率", (90.0, None)),))
    picture = png(chart)
    assert picture[:8] == b"\x89PNG\r\n\x1a\n"
    drawing = svg(chart)
    assert drawing.startswith("<svg") and "两类组织覆盖率" in drawing and "无数据" in drawing
    (chain_map,) = [
        b for s in sample.one_chain.sections for b in s.blocks if isinstance(b, MapFigure)
    ]
    assert "园区党工委" in svg(chain_map)  # legend and labels as text
    out = OUTPUT_DIR / "figures"
    out.mkdir(parents=True, exist_ok=True)
    (out / "chain-map.png").write_bytes(png(chain_map))


# -- liangxin report and the web app ------------------------------------------------------------


@pytest.fixture
def two_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The tiny ledger loaded twice into a workspace: in the second, O2 lost its joint branch."""
    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path / "ws"))
    runner = CliRunner()

    def run(*args: object):
        return runner.invoke(app, [str(a) for a in args], prog_name="liangxin")

    assert run("load", write_xlsx(tiny(), tmp_path / "tiny.xlsx")).exit_code == 0
    later = tiny()
    later["组织"][1].pop("覆盖党组织编码")
    assert run("load", write_xlsx(later, tmp_path / "later.xlsx")).exit_code == 0
    return run


def test_report_command_writes_each_kind(two_versions, tmp_path: Path) -> None:
    run = two_versions
    for kind in ("chain", "coverage", "plan", "monthly"):
        out = tmp_path / f"{kind}.xlsx"
        result = run("report", kind, "--out", out, "--as-of", "2026-11-01")
        assert result.exit_code == 0, result.output
        assert "已写出" in result.output and out.exists()
        book = openpyxl.load_workbook(out)
        assert book["说明"]["A1"].value
    book = openpyxl.load_workbook(tmp_path / "monthly.xlsx")
    uscc_column = [c.value for c in book["新出现未覆盖"][1]].index("统一社会信用代码")
    assert [
        r[uscc_column] for r in book["新出现未覆盖"].iter_rows(min_row=2, values_only=True)
    ] == [O2]
    one = run("report", "chain", "--chain", "C1", "--out", tmp_path / "c1.xlsx")
    assert one.exit_code == 0, one.output
    assert (
        openpyxl.load_workbook(tmp_path / "c1.xlsx")["说明"]["A1"].value
        == "工程机械产业链党建工作报告"
    )
    for suffix in (".docx", ".html"):
        result = run("report", "coverage", "--out", tmp_path / f"coverage{suffix}")
        assert result.exit_code == 0, result.output


def test_report_command_errors_are_clear_and_keep_the_old_file(
    two_versions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = two_versions
    wrong = run("report", "coverage", "--out", tmp_path / "a.pdf")
    assert wrong.exit_code == 1 and "请把 a.pdf 改为以 .xlsx、.docx、.html 之一结尾" in wrong.output
    assert (
        "--chain 只用于产业链报告"
        in run("report", "plan", "--chain", "C1", "-o", tmp_path / "p.xlsx").output
    )
    assert (
        "--from / --to 只用于月调度报告"
        in run("report", "plan", "--from", "x", "-o", tmp_path / "p.xlsx").output
    )
    missing = run("report", "chain", "--chain", "NOPE", "--out", tmp_path / "c.xlsx")
    assert missing.exit_code == 1 and "NOPE" in missing.output and "Traceback" not in missing.output
    kept = tmp_path / "kept.xlsx"
    kept.write_bytes(b"previous report")

    def disk_full(self: Path, data: bytes) -> int:
        self.open("wb").write(data[:10])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    failed = run("report", "coverage", "--out", kept)
    monkeypatch.undo()
    assert failed.exit_code == 1 and "无法写入" in failed.output
    assert kept.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kept")] == []


def test_web_app_downloads_the_same_reports(two_versions, tmp_path: Path) -> None:
    with TestClient(create_app(workspace=tmp_path / "ws")) as client:
        page = client.get("/reports")
        assert page.status_code == 200 and "报告下载" in page.text
        assert (
            'href="/reports/coverage.docx"' in page.text
            and 'action="/reports/monthly"' in page.text
        )
        for kind in ("chain", "coverage", "plan", "monthly"):
            response = client.get(f"/reports/{kind}.xlsx", params={"as_of": "2026-11-01"})
            assert response.status_code == 200, response.text
            disposition = response.headers["content-disposition"]
            assert disposition.startswith(f'attachment; filename="liangxin-{kind}.xlsx"')
            name = unquote(disposition.split("filename*=UTF-8''")[1])
            assert name.endswith("20261101.xlsx")
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            cli = tmp_path / f"cli-{kind}.xlsx"
            assert two_versions("report", kind, "-o", cli, "--as-of", "2026-11-01").exit_code == 0
            expected = openpyxl.load_workbook(cli)
            assert book.sheetnames == expected.sheetnames
            for sheet in book.sheetnames:  # the same figures as the command line's file
                assert list(book[sheet].values) == list(expected[sheet].values)
        form = client.get("/reports/chain", params={"chain": "C1", "format": "html"})
        assert form.status_code == 200 and form.headers["content-type"].startswith("text/html")
        assert "工程机械" in form.text
        for suffix in FORMATS:
            assert client.get(f"/reports/plan{suffix}").status_code == 200
        assert client.get("/reports/plan.pdf").status_code == 404
        assert client.get("/reports/nothing.xlsx").status_code == 404
        bad = client.get("/reports/chain.xlsx", params={"chain": "NOPE"})
        assert bad.status_code == 404 and "NOPE" in bad.text
        pages = {  # the pages link to their own report, and the links answer
            "/": "/reports/coverage.docx",
            "/chains/C1": "/reports/chain.docx?chain=C1",
            "/plan": "/reports/plan.docx",
            "/diff": "/reports/monthly.docx?from=",
        }
        for path, href in pages.items():
            text = client.get(path).text
            assert f'href="{href}' in text, path
            start = text.index(f'href="{href}') + len('href="')
            url = text[start : text.index('"', start)].replace("&amp;", "&")
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["content-disposition"].startswith("attachment;")


def test_render_picks_the_writer_by_suffix(sample: SampleReports) -> None:
    assert render(sample.formation, ".XLSX")[:2] == b"PK"
    with pytest.raises(ValueError):
        render(sample.formation, ".pdf")


def test_missing_chinese_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from viz.reports import figures

    figures.cjk_font.cache_clear()
    monkeypatch.setattr(figures, "CJK_FONTS", ("没有这种字体",))
    try:
        with pytest.raises(figures.MissingFont, match="fonts-wqy-zenhei") as caught:
            figures.png(BarChart("图", ("甲",), (("率", (1.0,)),)))
        assert isinstance(caught.value, LiangxinError)
    finally:
        figures.cjk_font.cache_clear()
