"""Page geometry and paragraph styles of GB/T 9704-2012《党政机关公文格式》.

The numbers, and where they come from:

* §5.2.1 paper A4 (210 × 297 mm).
* §5.2.2 天头 (top margin) 37 mm ± 1 mm, 订口 (left margin) 28 mm ± 1 mm, 版心 (type area)
  156 × 225 mm — so the right margin is 26 mm and the bottom margin 35 mm.
* §5.2.3 body in 3号仿宋 (16 pt); "一般每面排22行，每行排28个字". 225 mm / 22 lines gives a
  line pitch of 28.99 pt. 28 characters of 16 pt would be 448 pt while the type area is
  442.2 pt wide: Word reaches 28 with its document grid, placing 16 pt glyphs on a 15.79 pt
  pitch. We do the same with grid variants of the faces (``fontvariants``): every text of
  3号 size (body, headings, byline, signature) is set in a variant whose advance widths are
  scaled to the pitch (``GRID_SCALE``), so a full line holds exactly 28 characters.
* §7.2 title 2号小标宋 (22 pt), centred, "回行时，要做到词意完整，排列对称" — see
  ``BalancedTitle`` in debrief_pdf; §7.3.3 headings: 一、 in 黑体, （一） in 楷体, 1. in bold
  仿宋 (simulated bold: no 仿宋 has a bold face), all in 3号 and, like every paragraph,
  indented two characters.
* §7.5 page numbers: 4号 (14 pt) 半角宋体 Arabic digits with a 一字线 (—) on each side, the
  一字线 7 mm below the type area; odd pages right-aligned one character in from the right
  edge of the type area, even pages left-aligned one character in from the left edge.
* §7.3.5 closing: the issuing unit 右空二字 one blank line below the text, the date on the
  next line starting two characters to the right of the unit's first character, in Arabic
  numerals ("2025年12月31日").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from duty_tracker.core.reports.fonts import FontRole, FontSet

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
TYPE_WIDTH = 156 * mm
TYPE_HEIGHT = 225 * mm
RIGHT_MARGIN = PAGE_WIDTH - LEFT_MARGIN - TYPE_WIDTH  # 26 mm
BOTTOM_MARGIN = PAGE_HEIGHT - TOP_MARGIN - TYPE_HEIGHT  # 35 mm

BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
PAGE_NUMBER_SIZE = 14.0  # 4号
TABLE_SIZE = 12.0  # 小4号: tables carry many short cells; 3号 would wrap every duty title
LINES_PER_PAGE = 22
BODY_LEADING = TYPE_HEIGHT / LINES_PER_PAGE  # 28.95 pt
TITLE_LEADING = 33.0  # about 1.5 lines of 2号, as Word's 固定值 templates use
TABLE_LEADING = 16.0
#: 28 characters per line: the character pitch, and the scale of the grid variants' widths
#: (a hair under the exact ratio, so that rounding never pushes the 28th character out).
CHARS_PER_LINE = 28
CHAR_PITCH = TYPE_WIDTH / CHARS_PER_LINE  # 15.79 pt
GRID_SCALE = (TYPE_WIDTH - 0.01) / (CHARS_PER_LINE * BODY_SIZE)
INDENT = 2 * CHAR_PITCH  # 首行缩进两字 (on the grid)
#: Room a heading needs (itself and three lines: a paragraph of three lines cannot be split
#: without a widow or an orphan); with less left on the page, the heading starts the next.
HEADING_KEEP = 4.1 * BODY_LEADING

#: The top of the 一字线 is 7 mm below the type area (the baseline is placed from the dash
#: glyph's own height in the font used: ``layout.page_number_baseline``).
PAGE_NUMBER_GAP = 7 * mm
PAGE_NUMBER_INSET = PAGE_NUMBER_SIZE  # 空一字

# Landscape tables (the unit summary): the portrait margins turned by 90°, so that the
# 天头 (37 mm) is at the binding edge on the left, as a landscape page bound into a file has.
LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT = landscape(A4)
LANDSCAPE_LEFT = TOP_MARGIN
LANDSCAPE_TOP = RIGHT_MARGIN
LANDSCAPE_TYPE_WIDTH = TYPE_HEIGHT
LANDSCAPE_TYPE_HEIGHT = TYPE_WIDTH


def page_number_text(page: int) -> str:
    """"— 1 —": 一字线, a space, the number, a space, 一字线 (GB/T 9704 §7.5)."""
    return f"— {page} —"


@dataclass(frozen=True)
class DocStyles:
    """The paragraph styles of a debrief, bound to the fonts of this process."""

    title: ParagraphStyle
    byline: ParagraphStyle
    body: ParagraphStyle
    body_flush: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    closing: ParagraphStyle
    table_head: ParagraphStyle
    table_cell: ParagraphStyle
    table_cell_center: ParagraphStyle
    small_note: ParagraphStyle


@lru_cache(maxsize=4)
def styles_for(fonts: FontSet) -> DocStyles:
    """Styles built once per font set (building styles is cheap, but tables make thousands of
    cells and reusing the same style objects keeps reportlab's caches warm)."""
    fang = fonts.font_name(FontRole.FANGSONG)
    grid_fang = fonts.font_name(FontRole.FANGSONG, scale=GRID_SCALE)
    grid_hei = fonts.font_name(FontRole.HEITI, scale=GRID_SCALE)
    grid_kai = fonts.font_name(FontRole.KAITI, scale=GRID_SCALE)
    bold_fang = fonts.font_name(FontRole.FANGSONG, scale=GRID_SCALE, bold=True)
    hei = fonts.font_name(FontRole.HEITI)
    kai = fonts.font_name(FontRole.KAITI)
    xbs = fonts.font_name(FontRole.XIAOBIAOSONG)
    body = ParagraphStyle(
        "gbt-body",
        fontName=grid_fang,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        firstLineIndent=INDENT,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
        allowWidows=0,
        allowOrphans=0,
    )
    table_cell = ParagraphStyle(
        "gbt-cell",
        fontName=fang,
        fontSize=TABLE_SIZE,
        leading=TABLE_LEADING,
        alignment=TA_LEFT,
        wordWrap="CJK",
    )
    return DocStyles(
        title=ParagraphStyle(
            "gbt-title",
            fontName=xbs,
            fontSize=TITLE_SIZE,
            leading=TITLE_LEADING,
            alignment=TA_CENTER,
            wordWrap="CJK",
        ),
        byline=ParagraphStyle("gbt-byline", parent=body, fontName=grid_kai, firstLineIndent=0,
                              alignment=TA_CENTER),
        body=body,
        body_flush=ParagraphStyle("gbt-body-flush", parent=body, firstLineIndent=0,
                                  alignment=TA_LEFT),
        # No keepWithNext: it would move a heading *and the whole table after it* to the next
        # page; the renderer puts a CondPageBreak before each heading instead.
        heading1=ParagraphStyle("gbt-h1", parent=body, fontName=grid_hei, alignment=TA_LEFT),
        heading2=ParagraphStyle("gbt-h2", parent=body, fontName=grid_kai, alignment=TA_LEFT),
        heading3=ParagraphStyle("gbt-h3", parent=body, fontName=bold_fang, alignment=TA_LEFT),
        closing=ParagraphStyle("gbt-closing", parent=body, firstLineIndent=0,
                               alignment=TA_LEFT),
        table_head=ParagraphStyle("gbt-th", parent=table_cell, fontName=hei,
                                  alignment=TA_CENTER),
        table_cell=table_cell,
        table_cell_center=ParagraphStyle("gbt-cell-c", parent=table_cell,
                                         alignment=TA_CENTER),
        small_note=ParagraphStyle("gbt-note", parent=table_cell, fontName=kai,
                                  fontSize=TABLE_SIZE, leading=TABLE_LEADING + 2),
    )
