"""The Word writer of reports (viz/reports/docx.py): the document says what the report says, in
order, as real headings, tables and pictures, with the analyses' own figures; Chinese fonts are
named for Word; pages are numbered; and LibreOffice shows it with Chinese text and every table
inside the page.

Pictures land in ``tests/output/reports/docx/<report>/`` (every PDF page at 60 dpi, and the
timings): look at them before resolving.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from graph.analysis.coverage import coverage
from tests.reportkit import REPORTS, SampleReports, need_tool, output_dir, pdf_words
from viz.reports.document import (
    BarChart,
    Column,
    MapFigure,
    Report,
    Section,
    Table,
    cell_text,
)
from viz.reports.docx import BODY_FONT, HEADING_FONT, write_docx
from viz.reports.docx_widths import column_widths, text_width
from viz.reports.figures import CJK_FONTS

A4 = (Cm(21.0), Cm(29.7))
MARGIN_SIDE_PT = Cm(2.0).pt
SOFFICE_TIMEOUT = 120


@pytest.fixture(scope="module")
def docx_of(sample: SampleReports) -> Callable[[str], bytes]:
    """The .docx bytes of a sample report by name, each written once per module."""
    reports = sample.all()
    return cache(lambda name: write_docx(reports[name]))


def opened(data: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(data))


def cells(table: WordTable) -> list[list[str]]:
    """Every row's cell texts (python-docx's row.cells is slow on 200-row tables).

    A list of codes is written one code a line (``、`` then a line break): read back joined.
    """
    return [
        [_Cell(tc, table).text.replace("、\n", "、") for tc in tr.tc_lst]
        for tr in table._tbl.tr_lst
    ]


def heading_level(paragraph: Paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    match = re.fullmatch(r"Heading (\d)", name)
    return int(match.group(1)) if match else None


def has_picture(paragraph: Paragraph) -> bool:
    return bool(paragraph._p.xpath(".//pic:pic"))


# ---------------------------------------------------------------------------------------------
# 1. The document holds the report, in order


def expected_outline(report: Report) -> list[tuple]:
    """What the document should hold, block by block."""
    made = report.made
    outline: list[tuple] = [("title", report.title)]
    if report.subtitle:
        outline.append(("subtitle", report.subtitle))
    outline.append(("subtitle", f"{made.year}年{made.month}月{made.day}日"))
    for section in report.sections:
        outline.append(("heading", section.level, section.heading))
        for block in section.blocks:
            if isinstance(block, str):
                outline.append(("text", block))
            elif isinstance(block, Table) and not block.rows:
                outline.append(("text", block.empty))
            elif isinstance(block, Table):
                if block.caption:
                    outline.append(("caption", block.caption))
                outline.append(("table", len(block.rows)))
            else:
                outline.append(("figure", block.title))
    return outline


def actual_outline(doc: WordDocument) -> list[tuple]:
    """What the document holds: styled paragraphs, tables (row count without the header) and
    pictures (by their caption, numbered 图 1, 图 2 … under them)."""
    outline: list[tuple] = []
    figures = 0
    picture_before = False
    for item in doc.iter_inner_content():
        if isinstance(item, WordTable):
            outline.append(("table", len(item._tbl.tr_lst) - 1))
            picture_before = False
            continue
        style = item.style.name if item.style is not None else ""
        level = heading_level(item)
        if has_picture(item):
            picture_before = True
            continue
        if style == "Title":
            outline.append(("title", item.text))
        elif style == "Subtitle":
            outline.append(("subtitle", item.text))
        elif level is not None:
            outline.append(("heading", level, item.text))
        elif style == "Caption" and picture_before:
            figures += 1
            number, title = re.fullmatch(r"图 (\d+) (.*)", item.text).groups()  # type: ignore[union-attr]
            assert int(number) == figures
            outline.append(("figure", title))
        elif style == "Caption":
            outline.append(("caption", re.fullmatch(r"表 \d+ (.*)", item.text).group(1)))  # type: ignore[union-attr]
        elif item.text:
            outline.append(("text", item.text))
        picture_before = False
    return outline


@pytest.mark.parametrize("name", REPORTS)
def test_document_holds_the_report_in_order(sample, docx_of, name):
    report = sample.all()[name]
    doc = opened(docx_of(name))

    assert doc.paragraphs[0].text == report.title and doc.paragraphs[0].style.name == "Title"
    assert actual_outline(doc) == expected_outline(report)
    headings = [(heading_level(p), p.text) for p in doc.paragraphs if heading_level(p)]
    assert headings == [(s.level, s.heading) for s in report.sections]
    assert doc.core_properties.title == report.title
    assert doc.core_properties.created.date() == report.made

    tables = [t for t in report.tables() if t.rows]
    assert len(doc.tables) == len(tables)
    for word, table in zip(doc.tables, tables, strict=True):
        rows = cells(word)
        assert rows[0] == [c.heading for c in table.columns]
        assert rows[1:] == [
            [cell_text(c, row.get(c.key)) for c in table.columns] for row in table.rows
        ]


def test_same_report_same_bytes(sample, docx_of):
    assert docx_of("monthly") == write_docx(sample.monthly)  # deterministic, to the byte


@pytest.mark.parametrize("name", REPORTS)
def test_tables_are_word_tables_that_fit_the_page(sample, docx_of, name):
    """Header row repeated on every page, shaded and bold; fixed layout as wide as the text of
    its page; numbers right-aligned; landscape pages only where a table needs them."""
    report = sample.all()[name]
    doc = opened(docx_of(name))
    tables = [t for t in report.tables() if t.rows]
    section_of = _section_of_tables(doc)
    for word, table, section in zip(doc.tables, tables, section_of, strict=True):
        tbl = word._tbl
        text_width = section.page_width - section.left_margin - section.right_margin
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        tbl_w = tbl.tblPr.find(qn("w:tblW"))
        assert tbl_w.get(qn("w:type")) == "dxa"
        assert abs(int(tbl_w.get(qn("w:w"))) - text_width / 635) <= 1
        grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(grid) == len(table.columns) and abs(sum(grid) - text_width / 635) <= 1
        header, first = tbl.tr_lst[0], tbl.tr_lst[1]
        assert header.trPr.find(qn("w:tblHeader")) is not None
        assert first.trPr.find(qn("w:tblHeader")) is None
        for tc in header.tc_lst:
            assert tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) not in (None, "auto", "FFFFFF")
            assert all(r.rPr.b is not None for r in tc.iter(qn("w:r")))
        for column, tc in zip(table.columns, first.tc_lst, strict=True):
            jc = tc.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:jc')}")
            align = None if jc is None else jc.get(qn("w:val"))
            assert (align == "right") == (column.kind in ("int", "number", "rate")), column
    landscape = [s.page_width > s.page_height for s in doc.sections]
    assert landscape[0] is False
    for section in doc.sections:
        size = sorted([section.page_width.mm, section.page_height.mm])
        assert abs(size[0] - 210) < 0.1 and abs(size[1] - 297) < 0.1  # A4
        assert (
            abs(section.left_margin.cm - 2.0) < 0.01 and abs(section.right_margin.cm - 2.0) < 0.01
        )
    if name in ("chain", "one_chain"):
        # 龙头企业候选: 12 columns with a long 理由 go on landscape pages
        assert any(landscape)


def _section_of_tables(doc: WordDocument) -> list[Any]:
    """The document section (page setup) each table lies in."""
    body = doc.element.body
    index, found = 0, []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            found.append(index)
        elif child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1
    return [doc.sections[i] for i in found]


def test_captions_empty_tables_and_tables_in_a_row():
    """What the sample reports do not have: a table caption (numbered 表 1), an empty table
    (its ``empty`` text instead), two tables one after the other (kept apart), a chart."""
    columns = (Column("name", "组织名称"), Column("members", "成员统一社会信用代码", "list"))
    rows = ({"name": "甲公司", "members": ("91430104MAPRW4440C", "914301046026560237")},)
    report = Report(
        kind="coverage",
        title="测试报告",
        subtitle="",
        made=dt.date(2026, 11, 25),
        sections=(
            Section(
                "一、表格",
                (
                    Table("甲", columns, rows, caption="联合党组织成员"),
                    Table("乙", columns, rows),
                    Table("丙", columns, (), empty="没有这样的组织。"),
                ),
            ),
            Section(
                "（一）图", (BarChart("覆盖率", ("非公企业",), (("组织覆盖率", (90.0,)),)),), 2
            ),
        ),
    )
    doc = opened(write_docx(report))
    assert actual_outline(doc) == expected_outline(report)
    assert [p.text for p in doc.paragraphs[:2]] == ["测试报告", "2026年11月25日"]
    assert "表 1 联合党组织成员" in [p.text for p in doc.paragraphs]
    assert "图 1 覆盖率" in [p.text for p in doc.paragraphs]
    assert len(doc.tables) == 2
    for table in doc.tables:
        cell = _Cell(table._tbl.tr_lst[1].tc_lst[1], table)
        assert cell.text == "91430104MAPRW4440C、\n914301046026560237"  # one code a line
        assert cells(table)[1] == [cell_text(c, rows[0][c.key]) for c in columns]


def test_column_widths_share_the_width_by_content():
    columns = (
        Column("rank", "名次", "int"),
        Column("name", "企业"),
        Column("uscc", "统一社会信用代码", "code"),
        Column("kind", "组织类型"),
        Column("reason", "理由"),
    )
    texts = [
        [str(i), "长沙市禾湖软件有限公司", f"91430104MAPRW444{i:02d}", "非公企业", "理由" * 60]
        for i in range(1, 12)
    ]
    widths = column_widths(columns, texts, 480.0, 9.0)
    assert abs(sum(widths) - 480.0) < 1e-6
    rank, name, uscc, kind, reason = widths
    assert reason == max(widths)  # the long text gets the most
    assert uscc >= text_width(texts[0][2]) * 9.0  # a code is never broken
    assert kind >= text_width("非公企业") * 9.0  # a short label keeps to one line
    assert name >= 4 * 9.0  # a name is not squeezed beside the reason
    assert rank < name


# ---------------------------------------------------------------------------------------------
# 2. The analyses' own figures


def table_under(doc: WordDocument, heading: str) -> list[list[str]]:
    """Header and body rows of the first table after the heading ``heading``."""
    seen = False
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph) and heading_level(item) and seen:
            break
        if isinstance(item, Paragraph) and heading_level(item) and item.text == heading:
            seen = True
        elif seen and isinstance(item, WordTable):
            return cells(item)
    raise AssertionError(f"no table under {heading}")


def column(rows: list[list[str]], heading: str) -> list[str]:
    return [row[rows[0].index(heading)] for row in rows[1:]]


def test_coverage_rates_are_the_analysis_own(sample, docx_of):
    rows = table_under(opened(docx_of("coverage")), "一、两个覆盖总体情况")
    kinds = coverage(sample.graph, "kind", sample.params).set_index("kind")
    shown = dict(zip(column(rows, "组织类型"), rows[1:], strict=True))
    for kind in ("非公企业", "社会组织"):
        row = shown[kind]
        for heading, key in (("组织覆盖率", "org_rate"), ("工作覆盖率", "work_rate")):
            assert row[rows[0].index(heading)] == f"{kinds.at[kind, key]:.2f}%"
        assert row[rows[0].index("纳入统计的组织")] == str(kinds.at[kind, "total"])


def test_plan_groups_are_the_plan_own(sample, docx_of):
    rows = table_under(opened(docx_of("plan")), "二、新建联合党组织")
    groups = sample.plan.groups
    assert len(rows) - 1 == len(groups) > 0
    assert column(rows, "编号") == [g.group_id for g in groups]
    assert column(rows, "成员组织") == ["、".join(g.member_names) for g in groups]
    assert column(rows, "成员统一社会信用代码") == ["、".join(g.members) for g in groups]
    assert column(rows, "组织数") == [str(g.size) for g in groups]


def test_monthly_newly_uncovered_are_the_diff_own(sample, docx_of):
    rows = table_under(opened(docx_of("monthly")), "四、新出现的未覆盖组织（需跟进）")
    expected = list(sample.diff.newly_uncovered["name"])
    assert len(expected) > 0
    assert column(rows, "组织名称") == expected
    assert column(rows, "统一社会信用代码") == list(sample.diff.newly_uncovered["uscc"])


def test_cyl01_findings_are_the_analysis_own(sample, docx_of):
    rows = table_under(opened(docx_of("one_chain")), "薄弱环节与建议")
    frame = sample.findings("CYL01")
    assert len(frame) > 0 and set(frame["chain"]) == {"CYL01"}
    assert column(rows, "严重程度") == list(frame["severity"])
    assert column(rows, "类型") == list(frame["code_label"])
    # the report splits each finding's detail into problem and action
    problems, actions = column(rows, "问题"), column(rows, "建议做法")
    assert [p + a for p, a in zip(problems, actions, strict=True)] == list(frame["detail"])
    assert actions == list(frame["action"])


# ---------------------------------------------------------------------------------------------
# 3. Fonts, page numbers, pictures


def test_chinese_fonts_are_named_for_word(docx_of):
    doc = opened(docx_of("chain"))
    styles = doc.styles.element

    def east_asia(style_id: str) -> str | None:
        (style,) = styles.xpath(f'w:style[@w:styleId="{style_id}"]')
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the name
        return fonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == BODY_FONT
    for level in (1, 2, 3):
        assert east_asia(f"Heading{level}") == HEADING_FONT
    assert east_asia("Title") and east_asia("Subtitle") and east_asia("Caption")
    lang = styles.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"

    runs = [r for t in doc.tables for r in t._tbl.iter(qn("w:r"))]
    assert runs
    assert {r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) for r in runs} == {
        BODY_FONT
    }


def test_footer_numbers_the_pages(docx_of):
    doc = opened(docx_of("one_chain"))
    first = doc.sections[0].footer
    assert not first.is_linked_to_previous
    xml = first._element.xml
    instructions = [i.text.strip() for i in first._element.iter(qn("w:instrText"))]
    assert "PAGE" in instructions
    chars = [c.get(qn("w:fldCharType")) for c in first._element.iter(qn("w:fldChar"))]
    assert chars.count("begin") == chars.count("end") == len(instructions)
    assert "第" in xml and "页" in xml
    assert all(s.footer.is_linked_to_previous for s in doc.sections[1:])  # the same footer


def test_pictures_are_the_charts_and_maps_within_the_page(sample, docx_of):
    report = sample.chain
    doc = opened(docx_of("chain"))
    blocks = [b for s in report.sections for b in s.blocks if isinstance(b, BarChart | MapFigure)]
    maps = [b for b in blocks if isinstance(b, MapFigure)]
    assert len(maps) == 5  # one per chain
    pictures = doc.inline_shapes
    assert len(pictures) == len(blocks)
    titles = [p._inline.docPr.get("descr") for p in pictures]
    assert titles == [b.title for b in blocks]
    portrait_width = A4[0] - Cm(4.0)
    for picture in pictures:
        assert picture.width <= portrait_width + 635  # no chart sits on a landscape page here
        assert picture.height <= A4[1] - Cm(4.8)
        assert picture.width >= portrait_width * 0.5  # scaled up to the text width
    media = [p for p in doc.part.package.parts if p.partname.startswith("/word/media/")]
    assert all(p.blob[:8] == b"\x89PNG\r\n\x1a\n" for p in media)


# ---------------------------------------------------------------------------------------------
# 4. In LibreOffice: Chinese shows, tables stay inside the page


def render(name: str, report: Report) -> dict[str, Any]:
    """The report written as .docx, converted to PDF by LibreOffice (a private profile, so tests
    running side by side do not share one) and drawn as PNG pages at 60 dpi, with the timings,
    in ``tests/output/reports/docx/<name>/``."""
    soffice = need_tool("soffice", "libreoffice-writer-nogui")
    pdftoppm = need_tool("pdftoppm", "poppler-utils")
    folder = output_dir(f"docx/{name}")
    started = time.perf_counter()
    data = write_docx(report)
    written = time.perf_counter() - started
    path = folder / f"{name}.docx"
    path.write_bytes(data)
    profile = folder / "lo-profile"
    started = time.perf_counter()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(path),
        ],
        capture_output=True,
        timeout=SOFFICE_TIMEOUT,
        check=False,
    )
    converted = time.perf_counter() - started
    shutil.rmtree(profile, ignore_errors=True)
    pdf = folder / f"{name}.pdf"
    assert pdf.exists(), (
        f"LibreOffice 未能转换 {path.name}：{result.stderr.decode(errors='replace')}"
    )
    subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(folder / "page")], check=True)
    (folder / "timings.txt").write_text(
        f"write_docx {written:.2f} s, soffice → pdf {converted:.2f} s\n", encoding="utf-8"
    )
    return {"pdf": pdf, "folder": folder}


HANGING = tuple("，。、；：！？）》」』”’")
"""Punctuation LibreOffice lets hang into the margin at the end of a line (CJK typesetting;
it ignores ``w:overflowPunct``): up to one character of 12 pt past the text."""


# One test per document, so that under xdist no two workers render into the same folder.
@pytest.mark.parametrize("name", ["one_chain", "plan"])
def test_libreoffice_shows_chinese_and_every_table_inside_the_page(sample, name):
    report: Report = sample.all()[name]
    rendered = render(name, report)
    pdf = rendered["pdf"]
    assert sorted(rendered["folder"].glob("page-*.png"))

    # a Chinese font is embedded (fontconfig's stand-in for 宋体 / 黑体)
    fonts = subprocess.run(
        [need_tool("pdffonts", "poppler-utils"), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()[2:]
    cjk = [f.lower().replace(" ", "") for f in (*CJK_FONTS, "SimSun", "SimHei", "KaiTi")]
    embedded = [line.split()[0] for line in fonts if " yes " in line]
    assert any(any(c in font.lower() for c in cjk) for font in embedded), fonts

    # the Chinese text shows: title, every heading, table headings and cells, page numbers
    text = subprocess.run(
        [need_tool("pdftotext", "poppler-utils"), "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert report.title in flat
    for section in report.sections:
        assert re.sub(r"\s+", "", section.heading) in flat, section.heading
    for table in (t for t in report.tables() if t.rows):
        # cells that wrap interleave in the text, so: the first column's heading and the start
        # of the first row's longest cell
        assert re.sub(r"\s+", "", table.columns[0].heading)[:2] in flat, table.columns[0].heading
        first = [cell_text(c, table.rows[0].get(c.key)) for c in table.columns]
        longest = max(first, key=len)
        assert re.sub(r"\s+", "", longest)[:3] in flat, longest
    assert "第1页，共" in flat

    # every word inside the text area of its page: tables fit
    pages = pdf_words(pdf)
    assert len(pages) >= 2
    outside = []
    for number, (width, _, words) in enumerate(pages, 1):
        for x0, x1, word in words:
            right = width - MARGIN_SIDE_PT + 2 + (12.5 if word.endswith(HANGING) else 0)
            if x0 < MARGIN_SIDE_PT - 2 or x1 > right:
                outside.append((number, word, round(x0, 1), round(x1, 1)))
    assert outside == []
    landscape = [n for n, (w, h, _) in enumerate(pages, 1) if w > h]
    assert landscape  # the wide table's pages (龙头企业 / 新建联合党组织) are landscape
    for n in landscape:
        assert "理由" in "".join(w for _, _, w in pages[n - 1][2])
