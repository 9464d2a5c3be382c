"""The HTML writer of a report: one self-contained page that opens from file:// and prints on A4.

Planners hand the page upwards by e-mail or on a USB stick and open it on intranet machines
without internet, so the file reaches for nothing: the CSS sits in a ``<style>``, charts and the
chain map are inline SVG (:func:`viz.reports.figures.svg`, text kept as text), there is no
script, no ``<link>``, no web font (the Chinese fonts of Windows, macOS or Linux are named in
:data:`FONT_STACK`), and a Content-Security-Policy refuses any request all the same.

Everything from the report (names of organizations in cells, headings, paragraphs) is escaped
by Jinja's autoescape (the environment of :func:`viz.render.environment`); only our own
matplotlib SVG is inserted as markup, after :func:`inline_svg` has taken out its metadata,
made its ids unique in the page and given its text the same fonts as the page.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from lxml import etree
from markupsafe import Markup

from viz.render import environment
from viz.reports import figures
from viz.reports.document import (
    NUMERIC_KINDS,
    BarChart,
    Column,
    MapFigure,
    Report,
    Section,
    Table,
    cell_text,
)
from viz.reports.figures import CJK_FONTS

__all__ = [
    "FONT_STACK",
    "PRINT_EMS",
    "SCREEN_EMS",
    "column_widths",
    "inline_svg",
    "write_html",
]

FONT_STACK = ",".join([*(f'"{name}"' for name in CJK_FONTS), "sans-serif"])
"""The CSS ``font-family`` of the page: the fonts with Chinese glyphs the figures look for too
(Windows' 微软雅黑 / 黑体 among them); no font is ever downloaded."""

PRINT_EMS = 60.0
"""The width a printed table is planned for, in characters of its 8 pt font: an A4 page less
its margins (180 mm) holds about 64."""

SCREEN_EMS = 84.0
"""The width a table on screen is planned for, in characters of its 13 px font: the page is at
most 1200 px wide, about 1120 px inside its padding."""

_CELL_PADDING = 1.0  # ems of padding and border per cell
_MIN_COLUMN = 3.0  # ems: a heading of a narrow column still shows two or three characters
_SHORT_TEXT = 8.0  # ems: a text column this narrow is not wrapped when there is room
_LONG_TEXT = 40.0  # ems: longer texts count as this long when sharing out the width
_LONG_FLOOR = 6.0  # ems: the least a long text column gets
_LATIN = 0.62  # ems of a digit or Latin letter in the CJK fonts (0.6 in WenQuanYi Zen Hei)
_FIRM_KINDS = frozenset({"code", *NUMERIC_KINDS})
"""Columns whose cells should not wrap: codes and numbers get their width first."""

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_HREFS = ("href", f"{{{_XLINK}}}href")
_URL_REF = re.compile(r"url\(\s*#")
_FONT_FAMILY = re.compile(r"font-family:\s*([^;]*)")
_SVG_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True
)


def write_html(report: Report) -> bytes:
    """The report as one UTF-8 HTML document (``<!doctype html>``, ``lang="zh-CN"``).

    Title, subtitle and the date made; a table of contents linking to the section headings
    (``h2`` for level 1, ``h3`` for level 2, ``h4`` below, ids ``sec-1`` …); paragraphs;
    tables with a ``<thead>`` of the Chinese headings and cells written by
    :func:`~viz.reports.document.cell_text` (numbers right-aligned, class ``lx-num``; codes
    class ``lx-code``), or the table's ``empty`` sentence when it has no rows; each chart or map
    a ``<figure>`` of inline SVG with a numbered ``<figcaption>``. The table's ``context`` is
    not repeated: the section heading already names the chain.
    """
    numbers = count(1)
    sections = [_section(i, s, numbers) for i, s in enumerate(report.sections, 1)]
    page = (
        environment()
        .get_template("report.html")
        .render(
            report=report,
            made=report.made_text,
            sections=sections,
            font_stack=Markup(FONT_STACK),
        )
    )
    return page.encode("utf-8")


def inline_svg(svg: str, prefix: str, label: str) -> Markup:
    """Our matplotlib SVG made fit to sit inside an HTML page beside others.

    The ``<metadata>`` (RDF with the matplotlib URL) and comments are dropped; every ``id`` and
    every reference to one (``xlink:href="#…"``, ``url(#…)``) gets ``prefix``, since several
    figures of one page would otherwise share ids such as ``figure_1``; any link that is not a
    fragment or ``data:`` is removed; text is given the page's Chinese fonts after the one
    matplotlib measured it with; the root gets ``role="img"`` and ``aria-label``. Text stays
    escaped as matplotlib wrote it.
    """
    root = etree.fromstring(svg.encode("utf-8"), _SVG_PARSER)
    for meta in root.findall(f"{{{_SVG}}}metadata"):
        root.remove(meta)
    for element in root.iter():
        for name, value in element.attrib.items():
            if name == "id":
                element.set(name, prefix + value)
            elif name in _HREFS:
                if value.startswith("#"):
                    element.set(name, f"#{prefix}{value[1:]}")
                elif not value.startswith("data:"):
                    del element.attrib[name]
            else:
                value = _URL_REF.sub(f"url(#{prefix}", value)
                if name == "style":
                    value = _FONT_FAMILY.sub(_page_fonts, value)
                element.set(name, value)
    root.set("role", "img")
    root.set("aria-label", label)
    return Markup(etree.tostring(root, encoding="unicode"))


def column_widths(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], ems: float = PRINT_EMS
) -> tuple[float, ...]:
    """Each column's share of a table ``ems`` characters wide, in percent (tables are laid out
    ``table-layout: fixed``, so what a column gets does not depend on the browser's guesses).

    A column wants the width of its longest cell (CJK characters one em, digits and Latin
    letters :data:`_LATIN`), at least :data:`_MIN_COLUMN`. Codes and numbers get what they
    want first (when that leaves room for the text), so a 统一社会信用代码 or a rate never
    breaks; then short texts (街道, 组织类型, up to :data:`_SHORT_TEXT`); the long texts (names,
    说明, 理由) share what is left in proportion to their length (up to :data:`_LONG_TEXT`), so
    their rows wrap to about the same number of lines, each keeping at least
    :data:`_LONG_FLOOR`. The shares add up to 100 at most: no table is wider than its page.
    """
    wants = [
        max([_MIN_COLUMN, *(_ems(row[i]) + _CELL_PADDING for row in rows)])
        for i in range(len(columns))
    ]
    given: dict[int, float] = {}
    budget = ems

    def give_first(which: list[int], room: float) -> None:
        nonlocal budget
        if sum(wants[i] for i in which) <= room:
            given.update({i: wants[i] for i in which})
            budget -= sum(wants[i] for i in which)

    give_first([i for i, c in enumerate(columns) if c.kind in _FIRM_KINDS], 0.7 * budget)
    short = [i for i in range(len(columns)) if i not in given and wants[i] <= _SHORT_TEXT]
    give_first(short, 0.6 * budget)
    long = {i: min(wants[i], _LONG_TEXT) for i in range(len(columns)) if i not in given}
    for i, weight in long.items():
        given[i] = max(budget * weight / sum(long.values()), min(wants[i], _LONG_FLOOR))
    total = sum(given.values()) or 1.0
    return tuple(math.floor(10_000 * given[i] / total) / 100 for i in range(len(columns)))


def _ems(text: str) -> float:
    """The width of ``text`` in ems of a CJK font."""
    return sum(
        1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else _LATIN for ch in text
    )


# ---------------------------------------------------------------------------------------------
# What the template is given


@dataclass(frozen=True)
class _Column:
    heading: str
    css: str
    print_width: float  # percent of the table
    screen_width: float


@dataclass(frozen=True)
class _Block:
    kind: str  # paragraph, table, empty, figure
    text: str = ""
    columns: tuple[_Column, ...] = ()
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()
    svg: Markup | None = None
    number: int = 0
    figure: str = ""  # chart or map


@dataclass(frozen=True)
class _Section:
    id: str
    level: int
    tag: str
    heading: str
    blocks: tuple[_Block, ...]


def _section(index: int, section: Section, numbers: count) -> _Section:
    level = max(1, section.level)
    blocks = tuple(_block(b, numbers) for b in section.blocks)
    return _Section(f"sec-{index}", level, f"h{min(level + 1, 6)}", section.heading, blocks)


def _block(block: object, numbers: count) -> _Block:
    if isinstance(block, str):
        return _Block("paragraph", text=block)
    if isinstance(block, Table):
        if not block.rows:
            return _Block("empty", text=block.empty)
        css = [_css(c) for c in block.columns]
        rows = tuple(
            tuple(
                (cell_text(c, row.get(c.key)), k) for c, k in zip(block.columns, css, strict=True)
            )
            for row in block.rows
        )
        texts = [[text for text, _ in row] for row in rows]
        columns = tuple(
            _Column(c.heading, k, p, w)
            for c, k, p, w in zip(
                block.columns,
                css,
                column_widths(block.columns, texts, PRINT_EMS),
                column_widths(block.columns, texts, SCREEN_EMS),
                strict=True,
            )
        )
        return _Block("table", text=block.caption, columns=columns, rows=rows)
    if isinstance(block, BarChart | MapFigure):
        number = next(numbers)
        svg = inline_svg(figures.svg(block), f"f{number}-", block.title)
        kind = "chart" if isinstance(block, BarChart) else "map"
        return _Block("figure", text=block.title, svg=svg, number=number, figure=kind)
    raise TypeError(f"not a report block: {type(block).__name__}")


def _css(column: Column) -> str:
    if column.kind in NUMERIC_KINDS:
        return "lx-num"
    return "lx-code" if column.kind == "code" else ""


def _page_fonts(match: re.Match[str]) -> str:
    """``font-family`` of an SVG text: matplotlib's first family, then the page's."""
    first = match.group(1).split(",")[0].strip().strip("'\"")
    names = [first] if first and first != "sans-serif" else []
    names += [n for n in CJK_FONTS if n != first]
    return "font-family: " + ", ".join([*(f"'{n}'" for n in names), "sans-serif"])
