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
