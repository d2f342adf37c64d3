"""Chinese line breaking (cjkwrap): the bisection over running widths breaks every line
where the glyph-by-glyph loop breaks it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duty_tracker.core.reports import cjkwrap
from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.fonts import FontRole, get_font_set

_PIECES = list("依法行政法治建设第一责任人，。、；：“”（）《》〔〕0123456789 ab.") + [
    "〔2025〕51号", "2025年1月1日", "12.5", "\u3000", "\u200b", "喆", "𠀾"]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(_PIECES), max_size=120).map("".join),
       widths=st.lists(st.floats(-20, 500), min_size=1, max_size=3),
       scaled=st.booleans())
def test_word_split_breaks_where_the_glyph_loop_breaks(text: str, widths: list[float],
                                                       scaled: bool) -> None:
    fonts = get_font_set()
    name = fonts.font_name(FontRole.FANGSONG, scale=g.GRID_SCALE if scaled else None)
    size = g.BODY_SIZE if scaled else g.TABLE_SIZE
    per_char = cjkwrap._widths_of(text, name, size)
    assert per_char == [cjkwrap.char_width(name, size)(ch) for ch in text]
    assert cjkwrap.word_split(text, widths, name, size) == cjkwrap._word_split_loop(
        text, per_char, widths, size)


@pytest.mark.parametrize("start, limit, expected", [
    (0, 25.0, 4), (0, 30.0, 5), (2, 25.0, 5), (0, 1000.0, None), (0, -5.0, 2), (3, 0.0, 4)])
def test_the_overflow_is_the_first_glyph_past_the_limit(start: int, limit: float,
                                                        expected: int | None) -> None:
    widths = [0.0, 10.0, 10.0, 10.0, 10.0, 10.0]
    assert cjkwrap._overflow(widths, start, limit) == expected
    assert cjkwrap._overflow([12.0] * 300, 0, 12.0 * 200 + 1) == 201  # past the first window


def _plain(value: object) -> object:
    if hasattr(value, "__dict__"):
        return {k: _plain(v) for k, v in vars(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@settings(max_examples=120, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(_PIECES + ["<br/>"]), st.booleans()),
                      max_size=60),
       widths=st.lists(st.floats(-20, 500), min_size=1, max_size=3),
       calc_bounds=st.booleans())
def test_fragment_lines_break_where_the_glyph_loop_breaks(parts: list[tuple[str, bool]],
                                                          widths: list[float],
                                                          calc_bounds: bool) -> None:
    """Paragraphs in two faces with forced line breaks: the bisection's lines are the loop's."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    fonts = get_font_set()
    hei = fonts.font_name(FontRole.HEITI)
    markup = "".join(p if p == "<br/>" else (f'<font face="{hei}">{escape(p)}</font>' if bold
                                             else escape(p)) for p, bold in parts)
    frags = Paragraph(markup or "x", g.styles_for(fonts).body).frags
    units = cjkwrap.glyph_units(frags)
    spans = cjkwrap.protected_spans("".join(u if len(u) == 1 else "\0" for u in units), False)
    fast = cjkwrap._frag_lines(units, [u.width for u in units], widths, calc_bounds, spans)
    assert _plain(fast) == _plain(cjkwrap._frag_lines_loop(units, widths, calc_bounds, spans))
