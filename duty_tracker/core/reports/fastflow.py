"""A Paragraph and a Table that put exactly reportlab's operators on the page, for less work.

A batch of debriefs lays out and draws a few hundred table cells and paragraphs per PDF, and
four reportlab habits cost much of that time without changing what is drawn:

* Every paragraph parses its markup with an HTML parser, though most markups recur: the
  headings, the table headers, the records a whole unit shares, the draft's sentences.
  :class:`Paragraph` keeps the fragments of a markup in a style (the same style object) and
  hands each later paragraph its own copies.
* A paragraph is wrapped again every time someone asks for its size: a table cell's
  paragraph when the table is measured, again when it is split over a page, again when the
  cell is drawn; a body paragraph by the frame, by ``KeepWithLastLines``, by the split. The
  result depends only on the width offered (reportlab's ``Paragraph.wrap`` ignores the height
  but for "nothing fits"), so :class:`Paragraph` keeps the lines it made per width.
* A paragraph is drawn through a text object whose bookkeeping costs more than the text:
  a left-aligned paragraph in one font without indents (most table cells that wrap, the
  signature) has its ``BT … ET`` written directly, from the same numbers.
* A table cell holding a plain string is drawn through a fresh text object, the bidi hook,
  and the text object's own bookkeeping — per cell. :class:`Table` writes the same
  ``BT … Tm … Tf … TL (…) Tj T* ET`` line itself, from the same numbers, when the cell is a
  one-line string in a TrueType font without links, bidi or shaping; any other cell is
  drawn by reportlab. A test compares the two byte for byte, so that a reportlab upgrade
  that changes what it writes is noticed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Paragraph as _RLParagraph
from reportlab.platypus import Table as _RLTable
from reportlab.platypus.paraparser import ParaFrag

_FUZZ = 1e-6


class Paragraph(_RLParagraph):
    """reportlab's Paragraph, parsing each markup once per process and remembering its lines
    per available width.

    Parsing: the fragments reportlab's parser makes of a markup in a style are kept (see
    :func:`_parsed`); a paragraph of the same markup in the same style object gets fresh
    copies of them, so that nothing one paragraph changes in its fragments reaches another.
    Wrapping: what ``wrap`` leaves behind (lines, size, widths) is saved under the width and
    put back when the same width is asked again. A paragraph made by ``split`` is of this
    class too (reportlab splits into ``self.__class__``) and starts with its own memory."""

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any,  # noqa: N803
               cleaner: Any) -> None:
        if frags is not None or not isinstance(text, str):
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (text, id(style), bulletText, self.caseSensitive, cleaner)
        with _lock:  # reports are also drawn on the window's worker threads
            hit = _parsed.get(key)
            if hit is not None and hit[0] is style:
                _parsed.move_to_end(key)
        if hit is None or hit[0] is not style:
            super()._setup(text, style, bulletText, None, cleaner)
            kept = _copies(self.frags)
            if kept is not None:
                _remember(key, (style, self.text, self.style, kept, self.bulletText))
            return
        _, self.text, self.style, kept, self.bulletText = hit
        self.frags = _copies(kept)
        self.debug = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        memo: dict[float, tuple[Any, ...]] | None = self.__dict__.get("_dt_wraps")
        if memo is None:
            memo = self.__dict__["_dt_wraps"] = {}
        hit = memo.get(availWidth)
        if hit is not None and hit[0] is self.frags:
            _, self.blPara, self.width, self.height, self._wrapWidths = hit
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if "blPara" in self.__dict__:  # availWidth was not too small to wrap at all
            memo[availWidth] = (self.frags, self.blPara, self.width, self.height,
                                self._wrapWidths)
        return size

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        """A left-aligned paragraph in one font without indents (a table cell's, a signature
        line) is drawn as ``drawPara`` draws it, its text operators written directly; any
        other paragraph by reportlab."""
        code = _plain_lines_code(self, canvas)
        if code is None:
            super().drawOn(canvas, x, y, _sW)
            return
        canvas.saveState()  # Flowable.drawOn
        canvas.translate(self._hAlignAdjust(x, _sW), y)
        canvas.saveState()  # drawPara
        canvas.setFillColor(self.blPara.textColor)
        canvas._code.append(code)
        canvas.restoreState()
        canvas.restoreState()


#: (markup, id of the style, bullet, case sensitivity, cleaner) -> (the style itself, so that
#: its id stays its own; the cleaned text, the parsed style, the fragments, the bullet)
_parsed: OrderedDict[tuple[Any, ...], tuple[Any, ...]] = OrderedDict()
#: Markups kept: the headings, table headers and recurring cells of a batch, and more.
PARSED_KEPT = 4096
#: What a fragment may hold to be kept and copied: values that nothing changes in place
#: (strings, numbers, colours) and lists, which are copied.
_PLAIN_VALUES = (str, int, float, bool, type(None), tuple, Color)


_lock = threading.Lock()


def _remember(key: tuple[Any, ...], value: tuple[Any, ...]) -> None:
    with _lock:
        _parsed[key] = value
        while len(_parsed) > PARSED_KEPT:
            _parsed.popitem(last=False)


def _copies(frags: Any) -> list[Any] | None:
    """Fresh copies of parsed fragments (their lists copied too), or None when a fragment
    holds anything else (an image, a callback, an index entry): such markup is not kept."""
    if type(frags) is not list:
        return None
    out = []
    for frag in frags:
        if type(frag) is not ParaFrag:
            return None
        values = frag.__dict__
        if not all(type(v) is list or isinstance(v, _PLAIN_VALUES) for v in values.values()):
            return None
        copy = ParaFrag.__new__(ParaFrag)
        copy.__dict__.update(values)
        for name, value in values.items():
            if type(value) is list:
                copy.__dict__[name] = list(value)
        out.append(copy)
    return out


def _plain_lines_code(para: Any, canvas: Any) -> str | None:
    """The text object ``drawPara`` writes for a paragraph of one fragment (kind 0), left
    aligned, without indents, bullet, border, background, underline or link, each line
    fitting (no word spacing): ``BT``, the origin, each line's runs and ``T*``, ``ET``.
    None for any other paragraph."""
    from reportlab import rl_config
    from reportlab.lib.enums import TA_LEFT

    from duty_tracker.core.reports.fontvariants import is_bold_variant

    style, bl = para.style, getattr(para, "blPara", None)
    if (bl is None or bl.kind != 0 or not bl.lines or style.alignment != TA_LEFT
            or style.leftIndent or style.firstLineIndent or para.bulletText
            or style.backColor or (style.borderColor and style.borderWidth)
            or style.wordWrap in ("LTR", "RTL") or "_offsets" in para.__dict__
            or getattr(para, "_showBoundary", False) or para.debug
            or getattr(bl, "us_lines", None) or getattr(bl, "link", None)
            or getattr(para, "autoLeading", getattr(style, "autoLeading", "")) in ("max", "min")
            or "preformatted" in type(para).__name__.lower() or not canvas.bottomup
            or any(extra <= -1e-8 for extra, _ in bl.lines)):
        return None
    font = getFont(bl.fontName)
    if not getattr(font, "_dynamicFont", False) or is_bold_variant(bl.fontName):
        return None
    offset = bl.fontSize if rl_config.paraFontSizeHeightOffset else getattr(bl, "ascent",
                                                                             bl.fontSize)
    doc = canvas._doc
    tmpl = _size_operators(bl.fontSize, style.leading)
    code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, para.height - offset)} Tm"]
    current = -1
    for _, words in bl.lines:
        parts: list[str] = []
        for subset, chunk in font.splitString(" ".join(words), doc):
            if subset != current:
                parts.append(f"{font.getSubsetInternalName(subset, doc)} {tmpl}")
                current = subset
            parts.append(f"({canvas._escape(chunk)}) Tj")
        code.append(" ".join(parts) + " T*")
    code.append("ET")
    return " ".join(code)


class Table(_RLTable):
    """reportlab's Table; one-line string cells are drawn without a text object each, and
    row heights are worked out only as far as the page reaches (reportlab's LongTable
    measure: the rest is measured again anyway, in the part split off for the next page)."""

    _longTableOptimize = 1

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],  # noqa: N802
                  size: tuple[float, float]) -> None:
        if type(cellval) is not str or not _plain_cell(cellstyle, cellval):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        canv = self.canv
        font = getFont(cellstyle.fontname)
        if not getattr(font, "_dynamicFont", False) or not canv.bottomup:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if self._curcellstyle is not cellstyle:  # as reportlab: colour and font on change
            cur = self._curcellstyle
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (cur is None or cellstyle.leading != cur.leading
                    or cellstyle.fontname != cur.fontname or cellstyle.fontsize != cur.fontsize):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        canv._code.append(_string_cell_code(canv, cellval, cellstyle, pos, size))


def _plain_cell(cellstyle: Any, text: str) -> bool:
    """A cell reportlab would draw with one drawString-like call and nothing else."""
    return ("\n" not in text and cellstyle.alignment in _ALIGNED
            and cellstyle.valign in ("MIDDLE", "TOP", "BOTTOM")
            and not cellstyle.href and not cellstyle.destination
            and not cellstyle.direction and not cellstyle.shaping)


_ALIGNED = ("LEFT", "CENTRE", "CENTER", "RIGHT")


def _string_cell_code(canv: Any, text: str, cellstyle: Any, pos: tuple[float, float],
                      size: tuple[float, float]) -> str:
    """The text operators reportlab's ``Table._drawCell`` and ``Canvas.drawString`` (or
    drawCentredString, drawRightString) write for a one-line string cell, worked out from
    the same numbers in the same order (so the floats, and their digits, are the same)."""
    colpos, rowpos = pos
    colwidth, rowheight = size
    just = cellstyle.alignment
    fontname, fontsize, leading = canv._fontname, canv._fontsize, canv._leading
    font = getFont(fontname)
    if just == "LEFT":
        x = colpos + cellstyle.leftPadding
    elif just == "RIGHT":
        x = colpos + colwidth - cellstyle.rightPadding
        x = x - _width(text, font, fontsize)
    else:
        x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
        x = x - 0.5 * _width(text, font, fontsize)
    valign, cell_leading, cell_size = cellstyle.valign, cellstyle.leading, cellstyle.fontsize
    if valign == "BOTTOM":
        y = rowpos + cellstyle.bottomPadding + 1 * cell_leading - cell_size
    elif valign == "TOP":
        y = rowpos + rowheight - cellstyle.topPadding - cell_size
    else:
        y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding
                      + 1 * cell_leading) / 2.0 - cell_size
    doc = canv._doc
    parts: list[str] = []
    current = -1
    tmpl = ""
    for subset, chunk in font.splitString(text, doc):
        if subset != current:
            if not tmpl:
                tmpl = _size_operators(fontsize, leading)
            parts.append(f"{font.getSubsetInternalName(subset, doc)} {tmpl}")
            current = subset
        parts.append(f"({canv._escape(chunk)}) Tj")
    return f"BT 1 0 0 1 {fp_str(x, y)} Tm {' '.join(parts)} T* ET"


#: (text, font size, id of the font) -> (the font, kept so that its id stays its own; width)
_widths: dict[tuple[str, float, int], tuple[Any, float]] = {}
_WIDTHS_KEPT = 20000
_sizes: dict[tuple[float, float], str] = {}


def _width(text: str, font: Any, size: float) -> float:
    """``stringWidth`` of a cell's text, remembered: the same dates, kinds and headers come
    back in every table (a width depends only on the font object, the size and the text)."""
    key = (text, size, id(font))
    hit = _widths.get(key)
    if hit is None or hit[0] is not font:
        if len(_widths) >= _WIDTHS_KEPT:
            _widths.clear()
        hit = _widths[key] = (font, stringWidth(text, font.fontName, size))
    return hit[1]


def _size_operators(size: float, leading: float) -> str:
    """"12 Tf 16 TL" as the text object writes it after the subset's name."""
    found = _sizes.get((size, leading))
    if found is None:
        found = _sizes[(size, leading)] = f"{fp_str(size)} Tf {fp_str(leading)} TL"
    return found
