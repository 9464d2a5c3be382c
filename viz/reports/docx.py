"""The Word writer: a :class:`~viz.reports.document.Report` as a ``.docx`` planners edit and send.

Written with python-docx on its default template, in the shape of a Chinese work report: A4
portrait, the title centered in large type with the data source and the date made under it,
each section a real Word heading (标题 1/2/3, so the navigation pane and a table of contents
work), body text in 宋体 with a two-character first-line indent, tables as real Word tables
(header row bold, shaded and repeated on every page; numbers right-aligned; fixed layout as wide
as the text, the column widths shared out by content in :mod:`viz.reports.docx_widths`), charts and
maps as pictures as wide as the text with a numbered caption under them (图 1, 图 2 … as Word's
own 插入题注 numbers them), and "第 X 页，共 Y 页" in the footer. A section whose table has too
many columns for a portrait page (龙头企业候选: 12 columns and a long 理由) goes on landscape
pages of its own.

Fonts are the ones a Chinese Windows has (宋体 for text, 黑体 for headings, 楷体 under the title,
Times New Roman for Latin letters and digits); python-docx sets only the Latin font names, so
the East-Asian one (``w:eastAsia``) is set by hand on every style and table run. Elsewhere
(LibreOffice on Linux) fontconfig substitutes an installed Chinese font for them.

The file is deterministic: the same report gives the same bytes (the zip entries are dated
the day the report was made, not the moment it was written).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section as WordSection
from docx.shared import Cm, Emu, Length, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from viz.reports import figures
from viz.reports.document import (
    LIST_SEPARATOR,
    NUMERIC_KINDS,
    BarChart,
    MapFigure,
    Report,
    Section,
    Table,
    cell_text,
)
from viz.reports.docx_widths import CELL_MARGIN, column_widths, is_code_list, table_lines

__all__ = [
    "BODY_FONT",
    "HEADING_FONT",
    "LATIN_FONT",
    "write_docx",
]

BODY_FONT = "宋体"
"""East-Asian font of body text and tables (SimSun, on every Chinese Windows)."""
HEADING_FONT = "黑体"
"""East-Asian font of the title, the headings and the captions (SimHei)."""
SUBTITLE_FONT = "楷体"
"""East-Asian font of the lines under the title (KaiTi)."""
LATIN_FONT = "Times New Roman"
"""Font of Latin letters and digits everywhere."""

A4_SHORT, A4_LONG = Cm(21.0), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = Cm(2.5), Cm(2.3), Cm(2.0)
PICTURE_ROOM = Cm(3.0)
"""Height kept free on a page with a picture as tall as it may be (for its caption)."""
LANDSCAPE_GAIN = 2.0
"""A section goes on landscape pages when one of its tables would be more than this many
times as tall on portrait pages (too many columns for 17 cm: its long texts would wrap into
narrow towers)."""


@dataclass(frozen=True)
class _Page:
    """An A4 page, portrait or landscape, and what fits on it."""

    landscape: bool

    @property
    def width(self) -> Length:
        return A4_LONG if self.landscape else A4_SHORT

    @property
    def height(self) -> Length:
        return A4_SHORT if self.landscape else A4_LONG

    @property
    def text_width(self) -> Emu:
        """Width of the text, which tables and pictures take (17 cm portrait, 25.7 landscape)."""
        return Emu(self.width - 2 * MARGIN_SIDE)

    @property
    def picture_height(self) -> Emu:
        """The most a picture may take in height."""
        return Emu(self.height - MARGIN_TOP - MARGIN_BOTTOM - PICTURE_ROOM)


PORTRAIT, LANDSCAPE = _Page(landscape=False), _Page(landscape=True)

BODY_SIZE = 12.0  # 小四
HEADING_SIZES = (16.0, 14.0, 12.0)  # 三号, 四号, 小四 (levels 4–9 as level 3)
TITLE_SIZE = 22.0  # 二号
SUBTITLE_SIZE = 14.0  # 四号
CAPTION_SIZE = 10.5  # 五号
TABLE_SIZE, WIDE_TABLE_SIZE = 9.0, 8.0  # 小五; 8 pt for tables of more than WIDE_TABLE columns
WIDE_TABLE = 6
HEADER_FILL = "D9D9D9"
"""Shading of a table's header row (light grey, prints well in black and white)."""

_BLACK = RGBColor(0, 0, 0)


def write_docx(report: Report) -> bytes:
    """The report as the bytes of a ``.docx`` file."""
    doc = Document()
    _set_page(doc.sections[0], PORTRAIT)
    _styles(doc)
    _properties(doc, report)
    _footer(doc)
    _title(doc, report)
    writer = _Writer(doc)
    for section in report.sections:
        writer.section(section)
    writer.finish()
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue(), report.made)


# ---------------------------------------------------------------------------------------------
# Page, styles, properties


def _set_page(section: WordSection, page: _Page) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = page.width, page.height
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.header_distance = section.footer_distance = Cm(1.2)


def _styles(doc: WordDocument) -> None:
    """Chinese fonts, black text and sizes on the styles the writer uses."""
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_fonts(default_rpr, BODY_FONT)
    lang = default_rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_SIZE)
    _paragraph(normal, before=0, after=6, spacing=1.5, indent=2 * BODY_SIZE)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    # Punctuation ending a line stays inside the text, cells included (Word hangs it in the
    # margin by default; LibreOffice 7.4 ignores the setting and hangs it anyway).
    no_hanging = OxmlElement("w:overflowPunct")
    no_hanging.set(qn("w:val"), "0")
    normal.element.get_or_add_pPr().insert_element_before(no_hanging, *_AFTER_OVERFLOW_PUNCT)

    for level in range(1, 10):
        style = styles[f"Heading {level}"]
        size = HEADING_SIZES[min(level, len(HEADING_SIZES)) - 1]
        _style_font(style, HEADING_FONT, size, bold=False)
        _paragraph(style, before=size, after=size / 2, spacing=1.25)
        style.paragraph_format.keep_with_next = True

    title = styles["Title"]
    _style_font(title, BODY_FONT, TITLE_SIZE, bold=True)
    _drop(title.element.pPr, "w:pBdr")
    _drop(title.element.get_or_add_rPr(), "w:spacing")
    _drop(title.element.get_or_add_rPr(), "w:kern")
    _paragraph(title, before=12, after=18, spacing=1.25, center=True)

    subtitle = styles["Subtitle"]
    _style_font(subtitle, SUBTITLE_FONT, SUBTITLE_SIZE)
    subtitle.font.italic = False
    _drop(subtitle.element.pPr, "w:numPr")
    _drop(subtitle.element.get_or_add_rPr(), "w:spacing")
    _drop(subtitle.element.get_or_add_rPr(), "w:iCs")
    _paragraph(subtitle, before=0, after=6, spacing=1.25, center=True)

    caption = styles["Caption"]
    _style_font(caption, HEADING_FONT, CAPTION_SIZE, bold=False)
    _paragraph(caption, before=3, after=12, spacing=1.0, center=True)

    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.quick_style = True
    _style_font(cell, BODY_FONT, TABLE_SIZE)
    _paragraph(cell, before=0, after=0, spacing=1.0)
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    figure = styles.add_style("Figure", WD_STYLE_TYPE.PARAGRAPH)
    figure.base_style = normal
    _paragraph(figure, before=6, after=0, spacing=1.0, center=True)
    figure.paragraph_format.keep_with_next = True

    footer = styles["Footer"]
    _style_font(footer, BODY_FONT, CAPTION_SIZE)
    _paragraph(footer, before=0, after=0, spacing=1.0, center=True)


def _paragraph(
    style: ParagraphStyle,
    *,
    before: float,
    after: float,
    spacing: float,
    indent: float = 0.0,
    center: bool = False,
) -> None:
    """Spacing (points, and line spacing in lines) and first-line indent of a paragraph style;
    the indent is also given in characters, as Chinese Word counts it (hundredths)."""
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = spacing
    fmt.first_line_indent = Pt(indent)
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(round(100 * indent / BODY_SIZE)))
    if center:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _style_font(
    style: ParagraphStyle, east_asia: str, size: float, *, bold: bool | None = None
) -> None:
    font = style.font
    font.size = Pt(size)
    font.color.rgb = _BLACK
    if bold is not None:
        font.bold = bold
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, east_asia)
    color = rpr.find(qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)


def _set_fonts(rpr: CT_RPr, east_asia: str) -> None:
    """Latin and East-Asian font names on a run-properties element, without theme fonts (which
    would win over the names)."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def _drop(parent: BaseOxmlElement | None, tag: str) -> None:
    if parent is not None:
        for child in parent.findall(qn(tag)):
            parent.remove(child)


_AFTER_OVERFLOW_PUNCT = (
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
"""What follows ``w:overflowPunct`` in a paragraph's properties (the schema's order)."""


def _properties(doc: WordDocument, report: Report) -> None:
    made = dt.datetime.combine(report.made, dt.time(), tzinfo=dt.UTC)
    props = doc.core_properties
    props.title = report.title
    props.subject = report.subtitle
    props.author = props.last_modified_by = "两新图谱"
    props.category = "两新组织党建"
    props.keywords = report.kind
    props.comments = ""
    props.language = "zh-CN"
    props.created = props.modified = props.last_printed = made
    props.revision = 1


# ---------------------------------------------------------------------------------------------
# Content


def _title(doc: WordDocument, report: Report) -> None:
    doc.add_paragraph(report.title, style="Title")
    if report.subtitle:
        doc.add_paragraph(report.subtitle, style="Subtitle")
    doc.add_paragraph(report.made_text, style="Subtitle")


@dataclass(frozen=True)
class _TablePlan:
    """A table's cells as text, its type size and its column widths (points) on either page."""

    size: float
    texts: list[list[str]]
    portrait: list[float]
    landscape: list[float]
    code_lists: list[bool]
    """Which columns are lists of codes, written one code a line (a line may not break inside
    a code, and LibreOffice will not break after "、" between two codes)."""


def _plan(block: Table) -> tuple[_TablePlan, bool]:
    """How a non-empty table is laid out, and whether it needs landscape pages."""
    size = WIDE_TABLE_SIZE if len(block.columns) > WIDE_TABLE else TABLE_SIZE
    texts = [[cell_text(c, row.get(c.key)) for c in block.columns] for row in block.rows]
    portrait = column_widths(block.columns, texts, PORTRAIT.text_width.pt, size)
    landscape = column_widths(block.columns, texts, LANDSCAPE.text_width.pt, size)
    tall = table_lines(block.columns, texts, portrait, size)
    wide = table_lines(block.columns, texts, landscape, size)
    code_lists = [
        c.kind == "list" and is_code_list(row[j] for row in texts)
        for j, c in enumerate(block.columns)
    ]
    plan = _TablePlan(size, texts, portrait, landscape, code_lists)
    return plan, tall > LANDSCAPE_GAIN * wide


class _Writer:
    """Writes the sections one after the other, turning pages to landscape and back as the
    tables need, and numbering the captions."""

    def __init__(self, doc: WordDocument) -> None:
        self.doc = doc
        self.page = PORTRAIT
        self.figures = self.tables = 0
        self.after_table = False
        self.table_style_id = doc.styles["Table Text"].style_id

    def section(self, section: Section) -> None:
        plans = {id(b): _plan(b) for b in section.blocks if isinstance(b, Table) and b.rows}
        page = LANDSCAPE if any(landscape for _, landscape in plans.values()) else PORTRAIT
        if page != self.page:
            _set_page(self.doc.add_section(WD_SECTION.NEW_PAGE), page)
            self.page = page
            self.after_table = False
        self.paragraph(section.heading, f"Heading {min(max(section.level, 1), 9)}")
        for block in section.blocks:
            if isinstance(block, str):
                self.paragraph(block)
            elif isinstance(block, Table) and not block.rows:
                self.paragraph(block.empty)
            elif isinstance(block, Table):
                self.table(block, plans[id(block)][0])
            elif isinstance(block, BarChart | MapFigure):
                self.figure(block)
            else:  # pragma: no cover - the model has no other blocks
                raise TypeError(f"unknown block {type(block).__name__}")

    def finish(self) -> None:
        if self.after_table:  # Word wants a paragraph after the last table
            self.doc.add_paragraph(style="Table Text")

    def paragraph(self, text: str, style: str = "Normal") -> Paragraph:
        paragraph = self.doc.add_paragraph(text, style=style)
        if self.after_table:
            # Space under a table is given to what follows: an empty paragraph there makes
            # LibreOffice break the next table's page early.
            assert paragraph.style is not None  # add_paragraph gave it one
            before = paragraph.style.paragraph_format.space_before or Pt(0)
            paragraph.paragraph_format.space_before = max(before, Pt(9))
            self.after_table = False
        return paragraph

    def caption(self, label: str, number: int, text: str) -> Paragraph:
        """A caption "图 3 text" whose number is a SEQ field, as Word's 插入题注 writes it."""
        paragraph = self.paragraph("", "Caption")
        paragraph.add_run(f"{label} ")
        _field(paragraph, f" SEQ {label} \\* ARABIC ", str(number))
        paragraph.add_run(f" {text}")
        return paragraph

    def figure(self, block: BarChart | MapFigure) -> None:
        """The chart or map as a picture as wide as the text (or as tall as the page allows),
        its title as a numbered caption under it."""
        paragraph = self.paragraph("", "Figure")
        width, most = self.page.text_width, self.page.picture_height
        picture = paragraph.add_run().add_picture(io.BytesIO(figures.png(block)), width=width)
        if picture.height > most:
            picture.width = Emu(round(picture.width * most / picture.height))
            picture.height = most
        picture._inline.docPr.set("descr", block.title)
        self.figures += 1
        self.caption("图", self.figures, block.title)

    def table(self, block: Table, plan: _TablePlan) -> None:
        """A Word table as wide as the text, fixed layout, the header row shaded, bold and
        repeated on every page, numbers right-aligned."""
        if block.caption:
            self.tables += 1
            caption = self.caption("表", self.tables, block.caption)
            caption.paragraph_format.keep_with_next = True
            caption.paragraph_format.space_after = Pt(3)
        elif self.after_table:  # two tables in a row would merge into one
            self.paragraph("", "Table Text")
        width = round(self.page.text_width.pt * 20)
        twips = _twips(plan.landscape if self.page.landscape else plan.portrait, width)

        table = self.doc.add_table(rows=len(plan.texts) + 1, cols=len(block.columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        tbl_w = tbl_pr.find(qn("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(width))
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(round(CELL_MARGIN.pt * 20)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
        for column, twip in zip(table.columns, twips, strict=True):
            column.width = Twips(twip)

        header = [c.heading for c in block.columns]
        for r, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            values = header if r == 0 else plan.texts[r - 1]
            for column, cell, twip, text, code_list in zip(
                block.columns, row.cells, twips, values, plan.code_lists, strict=True
            ):
                if code_list and r > 0:  # one code a line: python-docx writes "\n" as <w:br/>
                    text = text.replace(LIST_SEPARATOR, f"{LIST_SEPARATOR}\n")
                cell.width = Twips(twip)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = cell.paragraphs[0]
                paragraph._p.style = self.table_style_id  # by name python-docx looks it up
                run = paragraph.add_run(text)
                run.font.size = Pt(plan.size)
                _set_fonts(run._r.get_or_add_rPr(), BODY_FONT)
                if r == 0:
                    run.font.bold = True
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
                elif column.kind in NUMERIC_KINDS:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.after_table = True


def _shade(tc_pr: BaseOxmlElement, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.insert_element_before(
        shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
    )


def _footer(doc: WordDocument) -> None:
    """第 X 页，共 Y 页 at the foot of every page (the later sections inherit the footer)."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.add_run("第 ")
    _field(paragraph, " PAGE ", "1")
    paragraph.add_run(" 页，共 ")
    _field(paragraph, " NUMPAGES ", "1")
    paragraph.add_run(" 页")


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES, SEQ…) showing ``shown`` until Word or LibreOffice updates
    it."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run._r.append(instr)
        elif kind == "result":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _twips(widths: Sequence[float], total: int) -> list[int]:
    """Whole twips summing exactly to ``total`` (the last column takes the rounding)."""
    out = [round(w * 20) for w in widths]
    out[-1] += total - sum(out)
    return out


# ---------------------------------------------------------------------------------------------
# Deterministic file


def _stable_zip(data: bytes, day: dt.date) -> bytes:
    """The same package with every entry dated ``day`` (python-docx dates them now)."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
