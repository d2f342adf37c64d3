"""Chinese line breaking (避头尾) for reportlab's CJK paragraphs.

reportlab's ``cjkFragSplit`` knows the Japanese rules only: its list of characters that may not
start a line lacks the Chinese full-width ，；：？！》” …, so "，" regularly opens a line in
a Chinese report, which no 公文 may show. And when it does apply the rule, it lets the
character hang beyond the right edge of the type area.

Here the rules of GB/T 15834 practice are applied by pushing characters down instead (推出): a
line never starts with closing punctuation and never ends with opening punctuation; the
previous character moves to the next line with it, and justification spreads the line.
:func:`install` replaces reportlab's splitter once per process (it is called from
``fonts.get_font_set``, which every renderer goes through). The algorithm otherwise follows
reportlab's: one glyph at a time, Latin runs broken at a space where there is one.

Two more things reportlab gets wrong for Chinese and this module fixes:

* When a paragraph with several fonts (a 楷体 run-in heading, a rare character from a fallback
  face) continues on the next page, reportlab rebuilds the rest from the lines it had made and
  appends a space to the last word of every line — right for English, where lines break at
  spaces, but in Chinese it prints a space glyph at every line end of the page (copied text
  reads "中心 组学法") and, once the rest is wrapped again, spaces inside words. Lines made
  here keep every character of the text, so the rest of a split paragraph is simply their
  fragments, unchanged (:func:`split_cjk_lines`).
* Numbers are never broken inside: a run of digits, a document number such as "〔2025〕51号",
  and — in narrow measures such as table cells — a whole date ("2025年1月1日") move to the
  next line as a unit when they would otherwise be cut (:func:`protected_spans`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate
from typing import Any

#: May not start a line: closing brackets and quotes, and the stops that follow a word.
CANNOT_START = frozenset(
    "!),.:;?]}、。〉》」』】〕〗〙〛〞〟﹚﹜﹞！＂＇），．：；？］｝～｠｣"
    "’”…‥·・‐–—―～%‰℃°′″"
    "ゝゞ々ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
#: May not end a line: opening brackets and quotes.
CANNOT_END = frozenset("([{〈《「『【〔〖〘〚〝﹙﹛﹝（［｛｟｢‘“$£¥￥＄")

#: Never broken: a document number ("〔2025〕51号", "[2025]7号") and a number with decimals.
_ALWAYS_WHOLE = re.compile(r"[〔［\[]\d{2,4}[〕］\]]\d+号|\d+(?:[.．]\d+)+")
#: Also kept whole in a narrow measure (a table cell): dates, and a number with its unit.
_WHOLE_WHEN_NARROW = re.compile(
    r"[〔［\[]\d{2,4}[〕］\]]\d+号|(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年|\d+(?:[.．]\d+)*[年月日号次项条名个件期]?")
#: A measure narrower than this many characters of its font is "narrow".
NARROW_CHARS = 18

_installed = False
_width_tables: dict[tuple[str, float], Any] = {}
#: (font, size) -> the ``ch -> width`` dictionary behind the function of ``_width_tables``
_width_caches: dict[tuple[str, float], dict[str, float]] = {}


def char_width(font_name: str, font_size: float) -> Any:
    """A fast ``ch -> width`` for one font and size: the TTF's advance widths read directly
    (reportlab's stringWidth per character is the hot spot of CJK line breaking)."""
    key = (font_name, font_size)
    fn = _width_tables.get(key)
    if fn is None:
        from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

        face = getattr(getFont(font_name), "face", None)
        widths = getattr(face, "charWidths", None)
        if widths is None:
            def fn(ch: str) -> float:
                return stringWidth(ch, font_name, font_size)
        else:
            default = face.defaultWidth
            scale = font_size * 0.001
            cache: dict[str, float] = {}

            def fn(ch: str) -> float:
                w = cache.get(ch)
                if w is None:
                    w = cache[ch] = widths.get(ord(ch), default) * scale if ch else 0.0
                return w
            _width_caches[key] = cache
        _width_tables[key] = fn
    return fn


def _widths_of(text: str, font_name: str, font_size: float) -> list[float]:
    """The width of each character of ``text``: ``char_width``'s, looked up in one pass."""
    cw = char_width(font_name, font_size)
    cache = _width_caches.get((font_name, font_size))
    if cache is None:
        return [cw(ch) for ch in text]
    widths = list(map(cache.get, text))
    if None in widths:
        widths = [cw(ch) if w is None else w for w, ch in zip(widths, text, strict=True)]
    return widths


def _overflow(widths: list[float], start: int, limit: float) -> int | None:
    """The index just past the character at which the running width of the line starting
    at ``start`` first exceeds ``limit`` (and is above 0), or None when the rest fits: the
    loop ``used += w; if used > limit and used > 0`` with the same sums in the same order
    (``accumulate``), searched by bisection. Widths are never negative, so the sums rise."""
    n = len(widths)
    window = 64
    while True:
        stop = min(n, start + window)
        sums = list(accumulate(widths[start:stop]))
        k = bisect_right(sums, limit)
        while k < len(sums) and not sums[k] > 0:
            k += 1
        if k < len(sums):
            return start + k + 1
        if stop == n:
            return None
        window *= 4


class _Glyph(str):
    """One character with its frag and width, as reportlab's cjkU, but measured through the
    cached width table instead of a stringWidth call per character."""

    frag: Any
    width: float

    def __new__(cls, value: str, frag: Any, width: float) -> _Glyph:
        self = str.__new__(cls, value)
        self.frag = frag
        self.width = width
        return self


def cjk_frag_split(frags: list[Any], maxWidths: list[float], calcBounds: bool,  # noqa: N803
                   encoding: str = "utf8") -> Any:
    """Drop-in replacement for ``reportlab.platypus.paragraph.cjkFragSplit``."""
    from reportlab.platypus.paragraph import ParaLines

    units = glyph_units(frags, encoding)
    spans = protected_spans("".join(u if len(u) == 1 else "\0" for u in units),
                            _is_narrow(frags, maxWidths[0]))
    widths = [u.width for u in units]
    if any(hasattr(w, "normalizedValue") for w in widths) or (widths and min(widths) < 0):
        lines = _frag_lines_loop(units, maxWidths, calcBounds, spans)
    else:
        lines = _frag_lines(units, widths, maxWidths, calcBounds, spans)
    return ParaLines(kind=1, lines=lines)


def glyph_units(frags: list[Any], encoding: str = "utf8") -> list[Any]:
    """One unit per character, with its fragment and width (as reportlab's cjkU); an empty
    fragment or a callback stays one unit of its own."""
    from reportlab.lib.utils import isBytes
    from reportlab.platypus.paragraph import cjkU

    units: list[Any] = []
    for f in frags:
        text = f.text
        if isBytes(text):
            text = text.decode(encoding)
        if hasattr(f, "cbDefn") or not text:
            units.append(cjkU(text, f, encoding))
            continue
        cw = char_width(f.fontName, f.fontSize)
        units.extend(_Glyph(t, f, cw(t)) for t in text)
    return units


def _frag_lines(units: list[Any], widths: list[float], maxWidths: list[float],  # noqa: N803
                calcBounds: bool, spans: list[tuple[int, int]]) -> list[Any]:  # noqa: N803
    """The lines of a paragraph's glyphs: each ends at the first forced break (a <br/>) or
    at the glyph that overflows (then pushed back by the rules of ``_break_position``),
    whichever comes first — the glyph loop's lines, found by bisection."""
    from reportlab.rl_config import _FUZZ

    hard_breaks = [k for k, u in enumerate(units) if hasattr(u.frag, "lineBreak")]
    lines: list[Any] = []
    line_start, b, n = 0, 0, len(units)
    max_width = maxWidths[0]
    while line_start < n:
        while b < len(hard_breaks) and hard_breaks[b] < line_start:
            b += 1
        hard = hard_breaks[b] + 1 if b < len(hard_breaks) else None
        over = _overflow(widths, line_start, max_width + _FUZZ)
        if hard is None and over is None:
            break
        if hard is not None and (over is None or hard <= over):
            i, line_break = hard, True
        else:
            i, line_break = _break_position(units, line_start, over, spans), False
        line_width = sum(widths[line_start:i])
        lines.append(cjk_para_line(units[line_start:i], max_width, line_width,
                                   max_width - line_width, line_break, calcBounds))
        max_width = maxWidths[len(lines)] if len(lines) < len(maxWidths) else maxWidths[-1]
        line_start = i
    if line_start < n:
        line_width = sum(widths[line_start:])
        lines.append(cjk_para_line(units[line_start:], max_width, line_width,
                                   max_width - line_width, False, calcBounds))
    return lines


def _frag_lines_loop(units: list[Any], maxWidths: list[float], calcBounds: bool,  # noqa: N803
                     spans: list[tuple[int, int]]) -> list[Any]:
    """``_frag_lines`` glyph by glyph, as reportlab's splitter goes (the reference; also used
    for widths given as a share of the line, which are worked out per line)."""
    from reportlab.rl_config import _FUZZ

    def width_of(u: Any, max_width: float) -> float:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        return w

    lines: list[Any] = []
    i = line_start = 0
    used = 0.0
    max_width = maxWidths[0]
    n = len(units)
    while i < n:
        u = units[i]
        i += 1
        used += width_of(u, max_width)
        line_break = hasattr(u.frag, "lineBreak")
        if not ((used > max_width + _FUZZ and used > 0) or line_break):
            continue
        if not line_break:
            i = _break_position(units, line_start, i, spans)
        line = units[line_start:i]
        line_width = sum(width_of(x, max_width) for x in line)
        lines.append(cjk_para_line(line, max_width, line_width, max_width - line_width,
                                   line_break, calcBounds))
        max_width = maxWidths[len(lines)] if len(lines) < len(maxWidths) else maxWidths[-1]
        line_start = i
        used = 0.0
    if line_start < n:
        line = units[line_start:]
        line_width = sum(width_of(x, max_width) for x in line)
        lines.append(cjk_para_line(line, max_width, line_width, max_width - line_width,
                                   False, calcBounds))
    return lines


def cjk_para_line(units: list[Any], maxWidth: float, widthUsed: float,  # noqa: N803
                  extraSpace: float, lineBreak: bool, calcBounds: bool) -> Any:  # noqa: N803
    """reportlab's ``makeCJKParaLine`` (one line's words from its glyphs), taken a run of
    glyphs of one fragment at a time instead of glyph by glyph: the run's glyphs share the
    fragment's font, size and ascent, and reportlab only ever joins them into one word (a
    fragment reportlab never merges, a line break or a callback, goes glyph by glyph)."""
    from reportlab.pdfbase.pdfmetrics import getAscentDescent
    from reportlab.platypus import paragraph as rl

    words: list[Any] = []
    joined: list[Any] = []
    f0 = rl.FragLine()
    max_size = max_ascent = min_descent = 0
    i, n = 0, len(units)
    while i < n:
        f = units[i].frag
        j = i + 1
        if not (hasattr(f, "cbDefn") or hasattr(f, "lineBreak")):
            while j < n and units[j].frag is f:
                j += 1
        size = f.fontSize
        cb = getattr(f, "cbDefn", None) if calcBounds else None
        if getattr(cb, "width", 0):
            descent, ascent = rl.imgVRange(rl.imgNormV(cb.height, size), cb.valign, size)
        else:
            ascent, descent = getAscentDescent(f.fontName, size)
        max_size = max(max_size, size)
        max_ascent = max(max_ascent, ascent)
        min_descent = min(min_descent, descent)
        if not rl.sameFrag(f0, f):
            f0 = f0.clone()
            f0.text = "".join(joined)
            words.append(f0)
            joined = []
            f0 = f
        joined.extend(units[i:j])
        i = j
    if joined:
        f0 = f0.clone()
        f0.text = "".join(joined)
        words.append(f0)
    return rl.FragLine(kind=1, extraSpace=extraSpace, wordCount=1, words=words[1:],
                       fontSize=max_size, ascent=max_ascent, descent=min_descent,
                       maxWidth=maxWidth, currentWidth=widthUsed, lineBreak=lineBreak)


def word_split(word: str, maxWidths: Any, fontName: str, fontSize: float,  # noqa: N803
               encoding: str = "utf8") -> list[list[Any]]:
    """Drop-in replacement for ``reportlab.lib.textsplit.wordSplit`` as the CJK paragraph uses
    it (one font in the whole paragraph): ``[[extra_space, line_text], ...]``."""
    from reportlab.rl_config import _FUZZ

    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    if isinstance(word, bytes):
        word = word.decode(encoding)
    widths = _widths_of(word, fontName, fontSize)
    if widths and min(widths) < 0:  # never for a font's advance widths; kept exact anyway
        return _word_split_loop(word, widths, maxWidths, fontSize)
    lines: list[list[Any]] = []
    line_start = 0
    max_width = maxWidths[0]
    n = len(word)
    spans = protected_spans(word, max_width < NARROW_CHARS * fontSize)
    while line_start < n:
        i = _overflow(widths, line_start, max_width + _FUZZ)
        if i is None:
            break
        i = _break_position(word, line_start, i, spans)
        # Only ASCII spaces go at a break; an ideographic space (　) is a character.
        lines.append([max_width - sum(widths[line_start:i]), word[line_start:i].strip(" ")])
        max_width = maxWidths[len(lines)] if len(lines) < len(maxWidths) else maxWidths[-1]
        line_start = i
    if line_start < n:
        lines.append([max_width - sum(widths[line_start:]), word[line_start:]])
    return lines


def _word_split_loop(word: str, widths: list[float], maxWidths: Any,  # noqa: N803
                     fontSize: float) -> list[list[Any]]:  # noqa: N803
    """``word_split`` glyph by glyph (the reference the bisection follows; also used when a
    width is negative, where running sums would not rise)."""
    from reportlab.rl_config import _FUZZ

    lines: list[list[Any]] = []
    i = line_start = 0
    used = 0.0
    max_width = maxWidths[0]
    n = len(word)
    spans = protected_spans(word, max_width < NARROW_CHARS * fontSize)
    while i < n:
        used += widths[i]
        i += 1
        if used > max_width + _FUZZ and used > 0:
            i = _break_position(word, line_start, i, spans)
            lines.append([max_width - sum(widths[line_start:i]), word[line_start:i].strip(" ")])
            max_width = maxWidths[len(lines)] if len(lines) < len(maxWidths) else maxWidths[-1]
            line_start = i
            used = 0.0
    if line_start < n:
        lines.append([max_width - sum(widths[line_start:]), word[line_start:]])
    return lines


def _break_position(units: Any, start: int, i: int,
                    spans: list[tuple[int, int]] | None = None) -> int:
    """Where the line that overflowed at ``units[i - 1]`` ends (exclusive index)."""
    end = i - 1  # the overflowing character goes to the next line
    if end <= start:
        return i  # a single glyph wider than the line: take it anyway (progress)
    ch = units[end]
    if ch and not _is_cjk(ch) and not unicodedata.category(ch).startswith("P"):
        # Inside a Latin run (a number, an English name): break after a space or at the
        # boundary with CJK text, looking back at most half the line.
        limit = (start + end) >> 1
        for j in range(end - 1, limit, -1):
            uj = units[j]
            if (uj and unicodedata.category(uj) == "Zs") or _is_cjk(uj):
                end = j + 1
                break
    # 避头: the next line must not start with closing punctuation; 避尾: this line must not end
    # with opening punctuation; a protected span (a document number, a date in a table cell)
    # is not cut. Push characters down, but never empty the line.
    for _ in range(4):
        inside = _span_start(spans, end) if spans else None
        if inside is not None and inside > start:
            end = inside
        elif end - 1 > start and end < len(units) and units[end] in CANNOT_START:
            end -= 1
        elif end - 1 > start and units[end - 1] in CANNOT_END:
            end -= 1
        else:
            break
    return end


def protected_spans(text: str, narrow: bool) -> list[tuple[int, int]]:
    """(start, end) of the runs of ``text`` that a line break must not cut: document numbers
    and decimals always; dates and numbers with their unit too when the measure is narrow."""
    if not any("0" <= ch <= "9" for ch in text):
        return []
    pattern = _WHOLE_WHEN_NARROW if narrow else _ALWAYS_WHOLE
    return [m.span() for m in pattern.finditer(text) if m.end() - m.start() > 1]


def _span_start(spans: list[tuple[int, int]], end: int) -> int | None:
    """The start of the span that a break before index ``end`` would cut, if any."""
    for lo, hi in spans:
        if lo < end < hi:
            return lo
        if lo >= end:
            break
    return None


def _is_narrow(frags: list[Any], max_width: float) -> bool:
    size = next((f.fontSize for f in frags if getattr(f, "fontSize", None)), 12.0)
    return max_width < NARROW_CHARS * size


def split_cjk_lines(blPara: Any, start: int, stop: int) -> list[Any]:  # noqa: N803
    """The fragments of lines ``start:stop`` of a CJK paragraph, for the part of it that goes
    on the next page. Unlike reportlab's ``_split_blParaHard`` no space is appended to each
    line's last fragment (and nothing is changed in place: the first part still draws these
    fragments)."""
    frags: list[Any] = []
    for line in blPara.lines[start:stop]:
        frags.extend(line.words)
    return frags


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ord(ch) >= 0x2E80


def _char_space(text: str, extra: float) -> float | None:
    """Tc that spreads ``extra`` points over the gaps between the characters of a CJK line;
    None for a line without CJK (reportlab's word spacing does those)."""
    n = len(text)
    if n < 2 or extra <= 1e-6 or not any(_is_cjk(ch) for ch in text):
        return None
    return extra / (n - 1)


def _justify_frag_line(original: Any) -> Any:
    """reportlab justifies by widening spaces (Tw), and a Chinese line has none: its right edge
    stays ragged. For a CJK line, widen the gaps between characters (Tc) instead."""

    def justify(tx: Any, offset: float, line: Any, last: int = 0) -> Any:
        if not (line.lineBreak or last):
            text = "".join(w.text for w in line.words if not hasattr(w, "cbDefn"))
            cs = _char_space(text, line.extraSpace)
            if cs is not None:
                tx.setCharSpace(cs)
                try:
                    return original(tx, offset, line.clone(extraSpace=0), last)
                finally:
                    tx.setCharSpace(0)
        return original(tx, offset, line, last)

    return justify


def _justify_simple_line(original: Any) -> Any:
    """The same for the single-font path, whose lines are (extra space, [text])."""

    def justify(tx: Any, offset: float, extraspace: float, words: list[str], last: int = 0
                ) -> Any:
        if not last:
            cs = _char_space(" ".join(words), extraspace)
            if cs is not None:
                tx.setCharSpace(cs)
                try:
                    return original(tx, offset, 0, words, last)
                finally:
                    tx.setCharSpace(0)
        return original(tx, offset, extraspace, words, last)

    return justify


_originals: dict[str, Any] = {}


@contextmanager
def reportlab_defaults() -> Iterator[None]:
    """Temporarily restore reportlab's own splitters and justification (the benchmark's
    "plain reportlab" floor must not profit from this module)."""
    import reportlab.platypus.paragraph as rl_paragraph

    patched = {name: getattr(rl_paragraph, name) for name in _originals}
    for name, fn in _originals.items():
        setattr(rl_paragraph, name, fn)
    try:
        yield
    finally:
        for name, fn in patched.items():
            setattr(rl_paragraph, name, fn)


def install() -> None:
    """Use the Chinese line breaking and justification for every CJK paragraph of this
    process (idempotent). Only paragraphs with ``wordWrap="CJK"`` reach the splitters; the
    justification wrappers change nothing for lines without CJK characters."""
    global _installed
    if _installed:
        return
    import reportlab.platypus.paragraph as rl_paragraph

    for name in ("cjkFragSplit", "wordSplit", "_justifyDrawParaLineX", "_justifyDrawParaLine"):
        _originals[name] = getattr(rl_paragraph, name)
    rl_paragraph.cjkFragSplit = cjk_frag_split
    rl_paragraph.wordSplit = word_split  # the single-font paragraph path
    rl_paragraph._justifyDrawParaLineX = _justify_frag_line(rl_paragraph._justifyDrawParaLineX)
    rl_paragraph._justifyDrawParaLine = _justify_simple_line(rl_paragraph._justifyDrawParaLine)
    _install_split(rl_paragraph)
    _installed = True


def _install_split(rl_paragraph: Any) -> None:
    """CJK paragraphs with several fragments continue on the next page through
    :func:`split_cjk_lines` (see the module docstring); everything else as reportlab does."""
    paragraph_cls = rl_paragraph.Paragraph
    original = paragraph_cls._get_split_blParaFunc
    processed = rl_paragraph._processed_frags

    def get_split_func(self: Any) -> Any:
        if (self.blPara.kind == 1 and getattr(self.style, "wordWrap", None) == "CJK"
                and not processed(self.frags)):
            return split_cjk_lines
        return original(self)

    paragraph_cls._get_split_blParaFunc = get_split_func
