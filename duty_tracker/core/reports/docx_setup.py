"""A Word document set up as a 党政机关公文 (GB/T 9704-2012), for python-docx.

What Word and WPS need to show what the PDF shows:

* the page: A4, margins 37 / 35 mm (top / bottom) and 28 / 26 mm (left / right), a document
  grid of 22 lines × 28 characters ("linesAndChars": line pitch 579 twips, character pitch
  16 pt minus 0.21 pt, given as ``charSpace`` in 1/4096 pt) — what 页面设置 shows. The text
  itself does not snap to the grid: LibreOffice (and so what we can check) puts a 16 pt glyph
  into two 15.79 pt cells. 28 characters a line come from 3号 set 0.3 pt condensed
  (``CONDENSED_TWIPS``) and 22 lines from an exact line spacing of 28.95 pt, in Word, WPS
  and LibreOffice alike, as in the PDF;
* the faces by their Chinese names with east-Asian font settings: 仿宋_GB2312 (body), 黑体
  (一、), 楷体_GB2312 ((一)), 方正小标宋简体 (title), 宋体 (page numbers). Each is declared in
  the font table with its alternative name, GB2312 character set and PANOSE class, so that a
  PC without 仿宋_GB2312 shows 仿宋 (FangSong), one without 方正小标宋简体 a 宋体-like face —
  not a Latin fallback;
* named styles: 正文 (Normal), 标题 (Title), Heading 1–3 restyled as the three heading levels
  (they keep their outline levels, so Word's navigation pane works), and character styles
  for run-in headings;
* page numbers "— N —" in 4号宋体 in the footer, odd pages right and even pages left, one
  character in (different odd and even footers).
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips

from duty_tracker.core.reports import gbt9704 as g

BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
TITLE_FONT = "方正小标宋简体"
SONG_FONT = "宋体"
#: (name, alternative name, PANOSE, family, pitch) of every face the document names.
FONT_TABLE = (
    (BODY_FONT, "仿宋", "02010609030101010101", "modern", "fixed"),
    ("仿宋", "FangSong", "02010609060101010101", "modern", "fixed"),
    (HEI_FONT, "SimHei", "02010609060101010101", "modern", "fixed"),
    (KAI_FONT, "楷体", "02010609030101010101", "modern", "fixed"),
    ("楷体", "KaiTi", "02010609060101010101", "modern", "fixed"),
    (TITLE_FONT, "宋体", "02000000000000000000", "roman", "variable"),
    (SONG_FONT, "SimSun", "02010600030101010101", "auto", "variable"),
)
LINE_PITCH_TWIPS = round(g.BODY_LEADING * 20)  # 579: 22 lines in the type area
#: The grid's character pitch is the font size plus charSpace/4096 pt: 28 characters a line.
CHAR_SPACE = round((g.CHAR_PITCH - g.BODY_SIZE) * 4096)
#: 3号 condensed by 0.3 pt (in twentieths of a point): 28 characters fill a line exactly.
CONDENSED_TWIPS = -6
#: The footer's distance from the page edge, so that the 一字线's top is 7 mm below the
#: type area (checked by rendering through LibreOffice).
FOOTER_DISTANCE_MM = 24.7


def east_asian(rpr_parent: object, font: str, *, latin: str | None = None) -> None:
    """Set ``font`` for the east-Asian and (unless ``latin``) the Latin script of a run or a
    style: Word picks the face per script, so a style naming only the Latin face prints
    Chinese in the default one."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), font)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin or font)
    fonts.set(qn("w:hint"), "eastAsia")


def set_up_page(document: DocxDocument) -> None:
    """A4, the GB/T 9704 margins, the 22 × 28 document grid, odd/even footers."""
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    document.settings.odd_and_even_pages_header_footer = True
    _declare_fonts(document)


def _declare_fonts(document: DocxDocument) -> None:
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt, panose, family, pitch in FONT_TABLE:
        if name in known:
            continue
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
            f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'))
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _paragraph_format(style: object, *, size: float, indent_chars: float = 0.0,
                      align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY,
                      line: float = g.BODY_LEADING) -> None:
    pf = style.paragraph_format  # type: ignore[attr-defined]
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = Pt(line)  # exact: the same 22 lines a page as the PDF
    if align is not None:
        pf.alignment = align
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    if indent_chars:
        ind.set(qn("w:firstLineChars"), str(round(indent_chars * 100)))
        ind.set(qn("w:firstLine"), str(round(indent_chars * g.CHAR_PITCH * 20)))
    style.font.size = Pt(size)  # type: ignore[attr-defined]


def _font(style: object, face: str, *, bold: bool = False, latin: str | None = None,
          condensed: int = 0) -> None:
    east_asian(style.element, face, latin=latin)  # type: ignore[attr-defined]
    font = style.font  # type: ignore[attr-defined]
    font.bold = bold
    font.italic = False
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    for tag in ("w:color", "w:spacing", "w:kern"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(condensed))
    rpr.append(spacing)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _strip_borders(style: object) -> None:
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)


def _doc_defaults(document: DocxDocument) -> None:
    """The document's default run: 3号仿宋, Chinese; the grid's character pitch is counted
    from this size, and no paragraph spacing."""
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for el in list(rpr):
        rpr.remove(el)
    rpr.append(parse_xml(
        f'<w:rFonts {nsdecls("w")} w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" '
        f'w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}" w:hint="eastAsia"/>'))
    size = str(round(g.BODY_SIZE * 2))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), size)
        rpr.append(el)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>'))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for el in list(ppr):
        ppr.remove(el)
    ppr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:after="0" w:line="{LINE_PITCH_TWIPS}" '
                         'w:lineRule="exact"/>'))


def _off_grid(style: object) -> None:
    """The style does not snap to the document grid (see the module docstring)."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    snap = ppr.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        ppr.insert(0, snap)
    snap.set(qn("w:val"), "0")


def _no_auto_space(style: object) -> None:
    """No extra space between Chinese and digits or Latin letters ("2025年", not "2025 年"):
    a 公文 counts every character on the line."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = ppr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            ppr.append(el)
        el.set(qn("w:val"), "0")


#: The child order the schema prescribes (Word calls a file with properties out of order
#: damaged; LibreOffice does not mind, so this is not something the visual check would show).
_ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
            "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
            "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"),
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
            "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
            "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
            "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
            "lang", "eastAsianLayout", "specVanish", "oMath"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook"),
}


def fix_element_order(root: object) -> None:
    """Put the children of every paragraph, run and table property element under ``root``
    in schema order (elements added by hand are appended at the end)."""
    for tag, order in _ORDER.items():
        rank = {qn(f"w:{t}"): i for i, t in enumerate(order)}
        for props in root.iter(qn(f"w:{tag}")):  # type: ignore[attr-defined]
            children = list(props)
            if [c.tag for c in children] == sorted((c.tag for c in children),
                                                   key=lambda t: rank.get(t, len(rank))):
                continue
            for child in children:
                props.remove(child)
            for child in sorted(children, key=lambda c: rank.get(c.tag, len(rank))):
                props.append(child)


def set_up_styles(document: DocxDocument) -> None:
    """正文, 标题, the three heading levels and the styles of the report's own parts."""
    _doc_defaults(document)
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, BODY_FONT, condensed=CONDENSED_TWIPS)
    _paragraph_format(normal, size=g.BODY_SIZE, indent_chars=2)
    _off_grid(normal)
    _no_auto_space(normal)
    title = styles["Title"]
    _font(title, TITLE_FONT)
    _strip_borders(title)
    _paragraph_format(title, size=g.TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
                      line=g.TITLE_LEADING)
    _off_grid(title)
    _no_auto_space(title)
    for name, face, bold in (("Heading 1", HEI_FONT, False), ("Heading 2", KAI_FONT, False),
                             ("Heading 3", BODY_FONT, True)):
        style = styles[name]
        _font(style, face, bold=bold, condensed=CONDENSED_TWIPS)
        _paragraph_format(style, size=g.BODY_SIZE, indent_chars=2, align=WD_ALIGN_PARAGRAPH.LEFT)
        _off_grid(style)
        style.paragraph_format.keep_with_next = True
    _custom_styles(document)


def _custom_styles(document: DocxDocument) -> None:
    styles = document.styles
    own = (
        ("署名", KAI_FONT, False, 0, WD_ALIGN_PARAGRAPH.CENTER, g.BODY_SIZE),
        ("落款", BODY_FONT, False, 0, WD_ALIGN_PARAGRAPH.RIGHT, g.BODY_SIZE),
        ("附件标识", HEI_FONT, False, 0, WD_ALIGN_PARAGRAPH.LEFT, g.BODY_SIZE),
        ("表格文字", BODY_FONT, False, 0, WD_ALIGN_PARAGRAPH.CENTER, g.TABLE_SIZE),
        ("表头", HEI_FONT, False, 0, WD_ALIGN_PARAGRAPH.CENTER, g.TABLE_SIZE),
        ("表注", KAI_FONT, False, 0, WD_ALIGN_PARAGRAPH.LEFT, g.TABLE_SIZE),
        ("页码", SONG_FONT, False, 0, None, g.PAGE_NUMBER_SIZE),
    )
    for name, face, bold, indent, align, size in own:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        _font(style, face, bold=bold, condensed=CONDENSED_TWIPS if size == g.BODY_SIZE else 0)
        line = g.TABLE_LEADING if size == g.TABLE_SIZE else (
            g.BODY_LEADING if size == g.BODY_SIZE else size * 1.2)
        _paragraph_format(style, size=size, indent_chars=indent, align=align, line=line)
        style.paragraph_format.first_line_indent = Twips(0)
        if size != g.BODY_SIZE:
            _off_grid(style)
    for name, face, bold in (("二级标题字符", KAI_FONT, False), ("三级标题字符", BODY_FONT, True)):
        style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        _font(style, face, bold=bold, condensed=CONDENSED_TWIPS)


def add_page_number_footers(document: DocxDocument) -> None:
    """"— N —" (a PAGE field), 4号宋体: odd pages right, even pages left, one character in."""
    section = document.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        para.style = document.styles["页码"]
        para.alignment = align
        pf = para.paragraph_format
        inset = Pt(g.PAGE_NUMBER_INSET)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            pf.right_indent = inset
        else:
            pf.left_indent = inset
        para.add_run("— ")
        _page_field(para)
        para.add_run(" —")


def _page_field(paragraph: object) -> None:
    """A PAGE field as begin / instruction / separate / result / end: the form every Word
    and WPS version updates on opening and printing."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = paragraph.add_run()  # type: ignore[attr-defined]
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
