"""The HTML writer of reports (viz/reports/html.py): the page says what the report says, in
order, with the analyses' own figures; it reaches for nothing outside the file; names from a
ledger stay text; and Debian's Chromium shows it and prints it on A4 with every table inside
the page.

Pictures land in ``tests/output/reports/html/<report>/`` (a full-page screenshot and the first
PDF pages at 60 dpi): look at them before resolving.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import lxml.etree
import lxml.html
import pytest

from graph.analysis.coverage import coverage
from tests.browser import XSS_NAME
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
from viz.reports.figures import CJK_FONTS
from viz.reports.html import write_html

SVG_NAMESPACES = {
    "xmlns": "http://www.w3.org/2000/svg",
    "xmlns:xlink": "http://www.w3.org/1999/xlink",
}
A4_MARGIN_PT = 15 / 25.4 * 72
"""The page margin of ``@page`` (15 mm) in PDF points: every word lies inside it."""


@pytest.fixture(scope="module")
def page_of(sample: SampleReports) -> Callable[[str], bytes]:
    """The HTML bytes of a sample report by name, each written once per module."""
    reports = sample.all()
    return cache(lambda name: write_html(reports[name]))


def parse(html: bytes) -> Any:
    return lxml.html.document_fromstring(html.decode("utf-8"))


def text(element: Any) -> str:
    return element.text_content()


def table_by_heading(doc: Any, heading: str) -> tuple[list[str], list[list[str]]]:
    """Header cells and body rows of the first table under the section headed ``heading``."""
    (section,) = [s for s in doc.xpath("//main/section") if text(s[0]) == heading]
    table = section.xpath(".//table")[0]
    headers = [text(th) for th in table.xpath("./thead/tr/th")]
    rows = [[text(td) for td in tr.xpath("./td")] for tr in table.xpath("./tbody/tr")]
    return headers, rows


def column(table: tuple[list[str], list[list[str]]], heading: str) -> list[str]:
    headers, rows = table
    i = headers.index(heading)
    return [row[i] for row in rows]


# ---------------------------------------------------------------------------------------------
# 1. The page says what the report says


def expected_outline(report: Report) -> list[tuple]:
    """What ``<main>`` should hold, in order, worked out from the report alone."""
    out: list[tuple] = []
    figures = 0
    for section in report.sections:
        out.append(("heading", f"h{section.level + 1}", section.heading))
        for block in section.blocks:
            if isinstance(block, str):
                out.append(("paragraph", block))
            elif isinstance(block, Table) and not block.rows:
                out.append(("empty", block.empty))
            elif isinstance(block, Table):
                headings = [c.heading for c in block.columns]
                rows = [[cell_text(c, row.get(c.key)) for c in block.columns] for row in block.rows]
                out.append(("table", headings, rows))
            else:
                assert isinstance(block, BarChart | MapFigure)
                figures += 1
                out.append(("figure", f"图 {figures}　{block.title}", 1))
    return out


def actual_outline(doc: Any) -> list[tuple]:
    """What ``<main>`` holds: each section's heading, then its paragraphs, tables, figures."""
    out: list[tuple] = []
    for element in doc.xpath("//main/section/*"):
        tag, css = element.tag, element.get("class", "")
        if re.fullmatch(r"h[2-6]", tag):
            out.append(("heading", tag, text(element)))
        elif tag == "p":
            out.append(("empty" if "lx-empty" in css else "paragraph", text(element)))
        elif tag == "table":
            headings = [text(th) for th in element.xpath("./thead/tr/th")]
            rows = [[text(td) for td in tr.xpath("./td")] for tr in element.xpath("./tbody/tr")]
            out.append(("table", headings, rows))
        elif tag == "figure":
            (caption,) = element.xpath("./figcaption")
            out.append(("figure", text(caption), len(element.xpath(".//svg"))))
        else:
            out.append(("unexpected", tag))
    return out


@pytest.mark.parametrize("name", REPORTS)
def test_page_holds_the_report_in_order(sample, page_of, name):
    report = sample.all()[name]
    doc = parse(page_of(name))
    assert doc.get("lang") == "zh-CN"
    assert doc.xpath("//head/meta[@charset]")[0].get("charset") == "utf-8"
    assert text(doc.xpath("//title")[0]) == report.title
    assert [text(h) for h in doc.xpath("//h1")] == [report.title]
    assert text(doc.xpath("//header/p[@class='lx-subtitle']")[0]) == report.subtitle
    made = report.made
    assert text(doc.xpath("//header/p[@class='lx-made']")[0]) == (
        f"生成日期：{made.year}年{made.month}月{made.day}日"
    )

    expected, actual = expected_outline(report), actual_outline(doc)
    assert [e[:2] for e in actual if e[0] == "heading"] == [
        e[:2] for e in expected if e[0] == "heading"
    ]
    assert actual == expected
    tables = doc.xpath("//table")
    assert len(tables) == sum(1 for t in report.tables() if t.rows)
    figures = [b for s in report.sections for b in s.blocks if isinstance(b, BarChart | MapFigure)]
    assert len(doc.xpath("//svg")) == len(figures)

    # the table of contents links to every heading, in order
    links = [(a.get("href"), text(a)) for a in doc.xpath("//nav[@class='lx-toc']//a")]
    headings = doc.xpath("//main/section/*[1]")
    assert links == [(f"#{h.get('id')}", h.text_content()) for h in headings]
    ids = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids))  # the figures' SVG ids do not collide either

    # numbers right-aligned (class lx-num), codes kept apart (lx-code); widths add up to 100%
    for block, table in zip([t for t in report.tables() if t.rows], tables, strict=True):
        classes = [th.get("class") for th in table.xpath("./thead/tr/th")]
        kinds = [c.kind for c in block.columns]
        assert classes == [
            "lx-num" if k in ("int", "number", "rate") else "lx-code" if k == "code" else None
            for k in kinds
        ]
        first = table.xpath("./tbody/tr[1]/td")
        assert [td.get("class") for td in first] == classes
        styles = [col.get("style") for col in table.xpath("./colgroup/col")]
        shares = [re.fullmatch(r"--lx-print: ([\d.]+)%; --lx-screen: ([\d.]+)%", s) for s in styles]
        for widths in ([float(m.group(1)) for m in shares], [float(m.group(2)) for m in shares]):
            assert len(widths) == len(kinds) and 99.0 < sum(widths) <= 100.0


def test_coverage_rates_are_the_analysis_own(sample, page_of):
    doc = parse(page_of("coverage"))
    overall = table_by_heading(doc, "一、两个覆盖总体情况")
    kinds = coverage(sample.graph, "kind", sample.params).set_index("kind")
    assert column(overall, "组织类型") == list(kinds.index) == ["非公企业", "社会组织"]
    for kind, row in kinds.iterrows():
        i = column(overall, "组织类型").index(kind)
        assert column(overall, "组织覆盖率")[i] == f"{row['org_rate']:.2f}%"
        assert column(overall, "工作覆盖率")[i] == f"{row['work_rate']:.2f}%"
        assert column(overall, "纳入统计的组织")[i] == str(int(row["total"]))
        assert column(overall, "组织覆盖")[i] == str(int(row["org_covered"]))
    streets = coverage(sample.graph, "street", sample.params)
    by_street = table_by_heading(doc, "三、各街道覆盖情况（组织覆盖率由低到高）")
    assert column(by_street, "街道编码") == list(streets["group"])
    assert column(by_street, "组织覆盖率") == [f"{v:.2f}%" for v in streets["org_rate"]]


def test_plan_groups_are_the_plan_own(sample, page_of):
    groups = table_by_heading(parse(page_of("plan")), "二、新建联合党组织")
    plan = sample.plan
    assert plan.groups
    assert column(groups, "编号") == [g.group_id for g in plan.groups]
    assert column(groups, "成员统一社会信用代码") == ["、".join(g.members) for g in plan.groups]
    assert column(groups, "成员组织") == ["、".join(g.member_names) for g in plan.groups]
    assert column(groups, "组织数") == [str(g.size) for g in plan.groups]
    assert column(groups, "正式党员合计") == [str(g.formal_members) for g in plan.groups]


def test_monthly_newly_uncovered_are_the_diff_own(sample, page_of):
    doc = parse(page_of("monthly"))
    uncovered = table_by_heading(doc, "四、新出现的未覆盖组织（需跟进）")
    assert len(sample.diff.newly_uncovered) > 0
    assert column(uncovered, "组织名称") == list(sample.diff.newly_uncovered["name"])
    assert column(uncovered, "统一社会信用代码") == list(sample.diff.newly_uncovered["uscc"])


def test_cyl01_findings_are_the_analysis_own(sample, page_of):
    findings = table_by_heading(parse(page_of("one_chain")), "薄弱环节与建议")
    frame = sample.findings("CYL01")
    assert len(frame) > 0 and set(frame["chain"]) == {"CYL01"}

    def shown(value: object) -> str:
        return "—" if value is None or value != value else str(value)

    headers, rows = findings
    assert [
        (r[headers.index("严重程度")], r[headers.index("类型")], r[headers.index("对象编码")])
        for r in rows
    ] == [(f.severity, f.code_label, shown(f.subject)) for f in frame.itertuples()]
    details = [
        r[headers.index("问题")] + r[headers.index("建议做法")] for r in rows
    ]  # the report splits each finding's detail into problem and action
    assert details == list(frame["detail"])
    assert column(findings, "建议做法") == list(frame["action"])


# ---------------------------------------------------------------------------------------------
# 2. Self-contained: nothing to fetch


def outside_references(html: bytes) -> list[str]:
    """Everything in the page that would reach outside it (empty when self-contained)."""
    page = html.decode("utf-8")
    doc = parse(html)
    found: list[str] = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "link", "iframe", "object", "embed", "base"):
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            local = name.rsplit(":", 1)[-1].lower()
            fetches = local in ("src", "href", "srcset", "action", "formaction", "poster", "data")
            if fetches and not value.startswith(("#", "data:")):
                found.append(f"{element.tag} {name}={value}")
            if local.startswith("on"):
                found.append(f"{element.tag} {name}")
    # url( anywhere (the <style>, style attributes, SVG clip-path) to a fragment or data: only
    for match in re.finditer(r"url\(\s*['\"]?([^'\")\s]*)", page, flags=re.IGNORECASE):
        if not match.group(1).startswith(("#", "data:")):
            found.append(match.group(0))
    if "@import" in page:
        found.append("@import")
    # http(s):// only as the two SVG namespaces, and only as attributes of an <svg> start tag
    svg_tags = re.findall(r"<svg\b[^>]*>", page)
    rest = page
    for tag in svg_tags:
        bare = tag
        for attribute, uri in SVG_NAMESPACES.items():
            assert f'{attribute}="{uri}"' in tag, tag
            bare = bare.replace(f' {attribute}="{uri}"', "")
        rest = rest.replace(tag, bare, 1)
    found += re.findall(r"https?://\S{0,60}", rest, flags=re.IGNORECASE)
    return found


@pytest.mark.parametrize("name", REPORTS)
def test_page_is_self_contained(page_of, name):
    html = page_of(name)
    assert html.startswith(b'<!doctype html>\n<html lang="zh-CN">')
    assert outside_references(html) == []
    doc = parse(html)
    assert doc.xpath("//script") == [] and doc.xpath("//link") == []
    (policy,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert policy.get("content").startswith("default-src 'none';")
    assert "script-src" not in policy.get("content")  # and so no script may run at all


def test_the_self_containment_check_finds_what_it_should():
    page = (
        b'<!doctype html><html><head><link rel="stylesheet" href="x.css">'
        b"<style>b { background: url('http://a.example/x.png') }</style></head><body>"
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<use xlink:href="other.svg#a"/></svg><img src="data:image/png;base64,AA" onerror="x()">'
        b"<p>see https://example.org</p><script>1</script></body></html>"
    )
    found = outside_references(page)
    assert "<link>" in found and "<script>" in found and "img onerror" in found
    assert "use xlink:href=other.svg#a" in found and "link href=x.css" in found
    assert "url('http://a.example/x.png" in found
    assert "https://example.org</p><script>1</script></body></html>" in found
    assert not any("data:image" in f for f in found)


# ---------------------------------------------------------------------------------------------
# 3. Names from a ledger stay text


def test_names_like_markup_stay_text():
    cols = (Column("name", "组织名称"), Column("uscc", "统一社会信用代码", "code"))
    report = Report(
        kind="coverage",
        title=f"报告 {XSS_NAME}",
        subtitle=f"数据来源：{XSS_NAME}",
        made=dt.date(2026, 11, 25),
        sections=(
            Section(
                XSS_NAME,
                (
                    f"组织 {XSS_NAME} 尚未建立党组织。",
                    Table("组织", cols, ({"name": XSS_NAME, "uscc": "91430104MA0000000X"},)),
                    Table("空表", cols, (), empty=f"无{XSS_NAME}。"),
                    BarChart("覆盖率", (XSS_NAME, "乙"), (("组织覆盖率", (50.0, None)),)),
                ),
            ),
            Section("</section><script>alert(2)</script>", (), level=2),
        ),
    )
    html = write_html(report)
    assert b"<img" not in html and b"<script" not in html
    doc = parse(html)
    assert doc.xpath("//img") == [] and doc.xpath("//script") == []
    assert text(doc.xpath("//title")[0]) == f"报告 {XSS_NAME}"
    assert text(doc.xpath("//h1")[0]) == f"报告 {XSS_NAME}"
    assert text(doc.xpath("//p[@class='lx-subtitle']")[0]) == f"数据来源：{XSS_NAME}"
    assert text(doc.xpath("//p[@class='lx-made']")[0]) == "生成日期：2026年11月25日"
    assert [text(h) for h in doc.xpath("//main//h2 | //main//h3")] == [
        XSS_NAME,
        "</section><script>alert(2)</script>",
    ]
    assert [text(a) for a in doc.xpath("//nav//a")] == [
        XSS_NAME,
        "</section><script>alert(2)</script>",
    ]
    assert text(doc.xpath("//main//p")[0]) == f"组织 {XSS_NAME} 尚未建立党组织。"
    assert [text(td) for td in doc.xpath("//td")] == [XSS_NAME, "91430104MA0000000X"]
    assert text(doc.xpath("//p[@class='lx-empty']")[0]) == f"无{XSS_NAME}。"
    svg_text = [text(t) for t in doc.xpath("//svg//text")]
    assert XSS_NAME in "".join(svg_text)  # the chart's category as SVG text (wrapped in lines)
    assert len(doc.xpath("//main/section")) == 2 and outside_references(html) == []


# ---------------------------------------------------------------------------------------------
# 4. In Debian's Chromium: shown and printed on A4 without a request


def watch(context: Any, allowed: str) -> list[str]:
    """Abort and record every request of the context other than ``allowed`` and ``data:``."""
    blocked: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url == allowed or url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    return blocked


def test_the_request_watch_catches_outside_requests(browser, tmp_path):
    path = tmp_path / "leaky.html"
    path.write_text(
        '<!doctype html><link rel="stylesheet" href="other.css">'
        '<img src="https://example.invalid/a.png"><p>x</p>',
        encoding="utf-8",
    )
    context = browser.new_context()
    try:
        blocked = watch(context, path.as_uri())
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        assert sorted(blocked) == sorted(
            [(tmp_path / "other.css").as_uri(), "https://example.invalid/a.png"]
        )
    finally:
        context.close()


A4_CONTENT_PX = round((210 - 2 * 15) / 25.4 * 96)
"""The width Chromium lays a printed A4 page out in, in CSS pixels (180 mm)."""

LAYOUT = """() => {
  const page = document.documentElement.clientWidth;
  const range = document.createRange();
  range.selectNodeContents(document.querySelector('h1'));
  const boxes = [...document.querySelectorAll('main table, main figure, main figure svg')];
  return {
    page,
    scrolls: document.documentElement.scrollWidth > page + 1,
    too_wide: boxes.filter(b => b.getBoundingClientRect().right > page + 1
                              || b.scrollWidth > b.clientWidth + 1).length,
    title_px: range.getBoundingClientRect().width,
    font: getComputedStyle(document.body).fontFamily,
    clipped: [...document.querySelectorAll('main figure svg')].flatMap(svg => {
      const r = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')].filter(t => {
        const b = t.getBoundingClientRect();
        return b.width > 0 && (b.left < r.left - 2 || b.right > r.right + 2
                               || b.top < r.top - 2 || b.bottom > r.bottom + 2);
      }).map(t => t.textContent);
    }),
    right_aligned: [...document.querySelectorAll('td.lx-num')].every(
      td => getComputedStyle(td).textAlign === 'right'),
  };
}"""
"""How the page is laid out: whether anything is wider than the window, and the title's width."""


@pytest.fixture
def rendered(request: pytest.FixtureRequest, browser: Any, sample, page_of) -> Iterator[dict]:
    """The report opened in Chromium from ``file://``: screenshot and PDF in its folder."""
    name = request.param
    report = sample.all()[name]
    folder = output_dir(f"html/{name}")
    path = folder / f"{report.filename}.html"
    path.write_bytes(page_of(name))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    blocked = watch(context, path.as_uri())
    page = context.new_page()
    seen: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        started = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load")
        screenshot = folder / f"{name}-screen.png"
        page.screenshot(path=str(screenshot), full_page=True)
        screen = page.evaluate(LAYOUT)
        # laid out as printed: the width of an A4 page less its margins
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1000})
        printed = page.evaluate(LAYOUT)
        pdf = folder / f"{name}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        seconds = time.perf_counter() - started
        yield {
            "name": name,
            "report": report,
            "page": page,
            "folder": folder,
            "uri": path.as_uri(),
            "pdf": pdf,
            "screenshot": screenshot,
            "blocked": blocked,
            "seen": seen,
            "errors": errors,
            "seconds": seconds,
            "screen": screen,
            "printed": printed,
        }
    finally:
        context.close()


@pytest.mark.parametrize(
    "rendered",
    REPORTS,
    indirect=True,
)
def test_chromium_shows_and_prints_the_page_offline(rendered):
    report: Report = rendered["report"]
    page = rendered["page"]
    assert rendered["blocked"] == []
    assert set(rendered["seen"]) == {rendered["uri"]}
    assert rendered["errors"] == []  # the Content-Security-Policy refused nothing of ours
    assert rendered["screenshot"].stat().st_size > 50_000

    # on screen and laid out for print: the page's Chinese fonts, numbers right-aligned, and no
    # table or figure wider than the window or the page
    screen, printed = rendered["screen"], rendered["printed"]
    assert printed["page"] == A4_CONTENT_PX
    for layout in (screen, printed):
        assert layout["font"].startswith('"Noto Sans CJK SC"')
        assert "WenQuanYi Zen Hei" in layout["font"]
        assert layout["right_aligned"]
        assert (layout["scrolls"], layout["too_wide"]) == (False, 0)
        assert layout["clipped"] == []  # every label of a chart or map inside its picture
    assert page.evaluate("document.querySelectorAll('main section > :first-child').length") == len(
        report.sections
    )

    # printed: A4, Chinese text as text in an embedded CJK font, every word inside the margins
    pdf = rendered["pdf"]
    pages = pdf_words(pdf)
    assert len(pages) >= 2
    words = "".join(w for _, _, on_page in pages for _, _, w in on_page)
    for wanted in (report.title, *(s.heading for s in report.sections)):
        assert re.sub(r"\s", "", wanted) in words
    assert "第1页/共" in words  # the page numbers of @page
    # Chromium shrinks a page whose content is too wide to fit: the title would come out
    # narrower than laid out (0.75 pt per CSS pixel)
    first = pages[0][2][0]
    assert first[2] == report.title
    assert (first[1] - first[0]) / (0.75 * printed["title_px"]) == pytest.approx(1, abs=0.02)
    outside = [
        (n, round(x0, 1), round(x1, 1), w)
        for n, (width, _, on_page) in enumerate(pages, 1)
        for x0, x1, w in on_page
        if x0 < A4_MARGIN_PT - 1 or x1 > width - A4_MARGIN_PT + 1
    ]
    assert outside == []
    for width, height, _ in pages:
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points
    fonts = subprocess.run(
        [need_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded
    cjk = {n.replace(" ", "") for n in CJK_FONTS}
    assert any(name in line for line in fonts for name in cjk), fonts

    subprocess.run(
        [need_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "4", str(pdf),
         str(rendered["folder"] / f"{rendered['name']}-page")],
        check=True,
    )  # fmt: skip
    assert len(list(rendered["folder"].glob("*-page-*.png"))) == min(4, len(pages))
    print(f"{rendered['name']}: {len(pages)} 页，Chromium {rendered['seconds']:.1f} 秒")
