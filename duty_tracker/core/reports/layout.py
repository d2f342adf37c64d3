"""Building blocks shared by the debrief and the summary: the page template with GB/T 9704
page numbers, the symmetrically wrapped title, the closing signature block kept with the last
lines of the text, table styling."""

from __future__ import annotations

from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.tables import TableStyle

from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.fastflow import Paragraph
from duty_tracker.core.reports.fonts import FontRole, FontSet, normalise_text

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (for （一） headings)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百" if hundreds < 10 else str(n)
    tail = chinese_number(rest)
    if rest < 10:
        tail = "零" + tail
    elif rest < 20:
        tail = "一" + tail
    return (_DIGITS[hundreds] + "百" + tail) if hundreds < 10 else str(n)


class BalancedTitle(Flowable):
    """A centred title whose lines are about equally long (GB/T 9704 §7.2 "排列对称").

    reportlab fills each line to the width and leaves a stub on the last one; here we find, by
    bisection, the narrowest width that still needs the same number of lines and set the
    paragraph in that width, centred — lines come out even, the last one at most as long as
    the others (a 梯形, which the standard allows).

    ``segments`` are lines chosen by meaning (the clerk's own line breaks, or the default
    title split before "第一责任人" so that no word is cut); each is balanced on its own. If a
    segment does not fit on one line and ``whole`` is given, the whole title is balanced
    instead, so that a long name never leaves a one-character orphan line.
    """

    def __init__(self, segments: list[str], style: Any, whole: str | None = None) -> None:
        super().__init__()
        self.segments = [s for s in segments if s] or [""]
        self.whole = whole
        self.style = style
        self._parts: list[tuple[Paragraph, float, float]] = []
        self._paras: dict[str, Paragraph] = {}

    def _balanced(self, markup: str, avail: float) -> tuple[Paragraph, float, float, int]:
        """One paragraph per markup, parsed once and wrapped at each probed width (it keeps
        its lines per width); it is left wrapped at the width it is drawn in."""
        para = self._paras.get(markup)
        if para is None:
            para = self._paras[markup] = Paragraph(markup, self.style)
        _, height = para.wrap(avail, 1e6)
        lines = len(para.blPara.lines)
        if lines <= 1:
            return para, avail, height, lines
        lo, hi = avail / lines, avail
        for _ in range(10):
            mid = (lo + hi) / 2
            para.wrap(mid, 1e6)
            if len(para.blPara.lines) <= lines:
                hi = mid
            else:
                lo = mid
        inner = min(avail, hi + 0.5)
        _, height = para.wrap(inner, 1e6)
        return para, inner, height, lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        parts = [self._balanced(seg, availWidth) for seg in self.segments]
        if self.whole is not None and len(parts) > 1 and any(p[3] > 1 for p in parts):
            parts = [self._balanced(self.whole, availWidth)]
        self._parts = [(p, inner, h) for p, inner, h, _ in parts]
        self.width = availWidth
        self.height = sum(h for _, _, h in self._parts)
        return availWidth, self.height

    def draw(self) -> None:
        y = self.height
        for para, inner, height in self._parts:
            y -= height
            para.drawOn(self.canv, (self.width - inner) / 2, y)


class Signature(Flowable):
    """发文机关署名 and 成文日期 (GB/T 9704 §7.3.5.2, without a seal): the unit right-indented
    two characters; the date on the next line, its first character two characters right of
    the unit's first character; when the date is the longer of the two, the unit moves left so
    that the date keeps its two-character right indent."""

    def __init__(self, unit_markup: str, date_markup: str, style: Any) -> None:
        super().__init__()
        self.unit = Paragraph(unit_markup, style)
        self.date = Paragraph(date_markup, style)
        self.char = style.fontSize
        self.leading = style.leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.unit.wrap(availWidth, availHeight)
        self.date.wrap(availWidth, availHeight)
        unit_w = max(self.unit.getActualLineWidths0() or [0.0])
        date_w = max(self.date.getActualLineWidths0() or [0.0])
        right = availWidth - 2 * self.char
        unit_x = right - unit_w
        date_x = unit_x + 2 * self.char
        if date_x + date_w > right:
            date_x = right - date_w
            unit_x = date_x - 2 * self.char
        self._unit_x = max(0.0, unit_x)
        self._date_x = max(0.0, date_x)
        uh = self.unit.wrap(availWidth - self._unit_x, availHeight)[1]
        dh = self.date.wrap(availWidth - self._date_x, availHeight)[1]
        self._uh = uh
        self.height = uh + dh
        return availWidth, self.height

    def draw(self) -> None:
        self.unit.drawOn(self.canv, self._unit_x, self.height - self._uh)
        self.date.drawOn(self.canv, self._date_x, 0)


class KeepWithLastLines(Flowable):
    """The last paragraphs of the text and what must follow them on the same page (附件说明,
    署名, 成文日期): when they do not fit, the text is split so that its last ``lines`` lines
    go to the next page with them — the signature never stands alone, and the page before is
    not left half empty by moving whole paragraphs."""

    def __init__(self, paras: list[Paragraph], tail: list[Flowable], lines: int = 2) -> None:
        super().__init__()
        self.paras = paras
        self.tail = tail
        self.lines = lines
        self._sizes: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._sizes = [f.wrap(availWidth, availHeight)[1] for f in (*self.paras, *self.tail)]
        self.width, self.height = availWidth, sum(self._sizes)
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        counts = [len(p.blPara.lines) for p in self.paras]  # wrap() has broken the lines
        allowed = sum(counts) - self.lines  # lines that may stay on this page
        here: list[Flowable] = []
        used = 0.0
        for i, (para, n, height) in enumerate(zip(self.paras, counts, self._sizes, strict=False)):
            if n <= allowed and used + height <= availHeight:
                here.append(para)
                used += height
                allowed -= n
                continue
            room = min(int((availHeight - used) // para.style.leading), allowed)
            parts = para.split(availWidth, room * para.style.leading + 0.01) if room >= 2 else []
            if len(parts) == 2:
                here.append(parts[0])
                rest = [parts[1], *self.paras[i + 1:]]
            else:
                rest = self.paras[i:]
            break
        else:
            rest = []
        while here and getattr(here[-1], "keep_with_next", False):  # a heading goes along
            rest.insert(0, here.pop())
        if not here or not rest:
            return []
        return [*here, KeepWithLastLines(rest, self.tail, self.lines)]

    def draw(self) -> None:
        y = self.height
        for flowable, height in zip((*self.paras, *self.tail), self._sizes, strict=True):
            y -= height
            flowable.drawOn(self.canv, 0, y)


def page_number_font(fonts: FontSet) -> str:
    """4号宋体 for "— N —", or the first face of its chain that has the 一字线."""
    font = fonts.font_name(FontRole.SONGTI)
    if not all(fonts.has_glyph(font, ch) for ch in "—0123456789"):
        font = fonts.font_for_char("—", FontRole.SONGTI) or font
    return font


def page_number_baseline(fonts: FontSet, type_bottom: float) -> float:
    """The baseline that puts the top of the 一字线 7 mm below the type area (GB/T 9704 §7.5:
    "一字线上距版心下边缘7mm"), measured from the dash glyph of the face actually used."""
    from duty_tracker.core.reports.fontvariants import glyph_top

    top = glyph_top(page_number_font(fonts), "—", g.PAGE_NUMBER_SIZE)
    if top is None:
        top = g.PAGE_NUMBER_SIZE * 0.45  # where a 一字线 usually sits
    return type_bottom - g.PAGE_NUMBER_GAP - top


def draw_page_number(canvas: Any, page: int, fonts: FontSet, *, left: float, width: float,
                     baseline: float) -> None:
    """"— N —" in 4号宋体: odd pages right, even pages left, one character in."""
    text = g.page_number_text(page)
    font = page_number_font(fonts)
    canvas.saveState()
    canvas.setFont(font, g.PAGE_NUMBER_SIZE)
    if page % 2:
        canvas.drawRightString(left + width - g.PAGE_NUMBER_INSET, baseline, text)
    else:
        canvas.drawString(left + g.PAGE_NUMBER_INSET, baseline, text)
    canvas.restoreState()


def make_doc(
    out: BinaryIO,
    fonts: FontSet,
    *,
    title: str,
    author: str,
    landscape: bool = False,
) -> BaseDocTemplate:
    """A document whose single frame is exactly the GB/T 9704 type area (no frame padding)."""
    if landscape:
        size = (g.LANDSCAPE_WIDTH, g.LANDSCAPE_HEIGHT)
        left, width, height = g.LANDSCAPE_LEFT, g.LANDSCAPE_TYPE_WIDTH, g.LANDSCAPE_TYPE_HEIGHT
        bottom = g.LANDSCAPE_HEIGHT - g.LANDSCAPE_TOP - height
    else:
        size = (g.PAGE_WIDTH, g.PAGE_HEIGHT)
        left, width, height, bottom = g.LEFT_MARGIN, g.TYPE_WIDTH, g.TYPE_HEIGHT, g.BOTTOM_MARGIN
    baseline = page_number_baseline(fonts, bottom)

    # Metadata is user text too: a lone surrogate from a bad decode must not crash the writer.
    title, author = normalise_text(title), normalise_text(author)

    def on_page(canvas: Any, doc: Any) -> None:
        draw_page_number(canvas, doc.page, fonts, left=left, width=width, baseline=baseline)

    doc = BaseDocTemplate(
        out,
        pagesize=size,
        leftMargin=left,
        rightMargin=size[0] - left - width,
        topMargin=size[1] - bottom - height,
        bottomMargin=bottom,
        title=title,
        author=author,
        subject=title,
        creator="履职纪实 duty_tracker",
        producer="履职纪实 duty_tracker (reportlab)",
        lang="zh-CN",
        initialFontName=fonts.font_name(FontRole.FANGSONG),  # no stray Helvetica
    )
    frame = Frame(left, bottom, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="type-area")
    doc.addPageTemplates([PageTemplate(id="gbt9704", frames=[frame], onPage=on_page)])
    return doc


def grid_style(font_name: str, extra: list[tuple[Any, ...]] | None = None, *,
               head_font: str | None = None, size: float = g.TABLE_SIZE,
               leading: float = g.TABLE_LEADING) -> TableStyle:
    """Thin black grid, header row repeated on every page by the caller (repeatRows=1).

    ``font_name`` sets the font of plain-string cells (short cells are plain strings: a
    Paragraph per cell is what makes long tables slow); without it reportlab would select
    Helvetica, which is never embedded and would show up in pdffonts."""
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font_name),
        ("FONTNAME", (0, 0), (-1, 0), head_font or font_name),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
    ]
    return TableStyle(commands + (extra or []))
