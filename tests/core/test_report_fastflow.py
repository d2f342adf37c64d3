"""The quicker Paragraph and Table of the debrief (``fastflow``) put the very same bytes on the
page as reportlab's own classes: checked on whole PDFs, so that a reportlab upgrade that
writes cells or lines differently fails here instead of changing the reports."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import SimpleDocTemplate, Spacer
from reportlab.platypus import Table as RLTable

from duty_tracker.core.reports import fastflow
from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.fonts import FontRole, get_font_set
from duty_tracker.core.reports.layout import grid_style

#: More distinct characters than one embedded subset holds (256), so that cells late in the
#: table switch subsets in the middle of a string.
_HAN = "".join(chr(cp) for cp in range(0x4E00, 0x4E00 + 400))


def _pdf(paragraph_cls: type, table_cls: type) -> bytes:
    """A document with a long ruled table (every alignment and vertical alignment, empty,
    multi-line, fallback-font and paragraph cells, spans, a header repeated over pages) and
    body paragraphs, built with the given classes."""
    fonts = get_font_set()
    st = g.styles_for(fonts)
    fang, hei = fonts.font_name(FontRole.FANGSONG), fonts.font_name(FontRole.HEITI)
    rows: list[list[Any]] = [["序号", "左", "居中", "右", "段落"]]
    for i in range(120):
        chunk = _HAN[(i * 7) % 390:(i * 7) % 390 + 6]
        para = paragraph_cls(fonts.markup(f"第{i}项：{chunk * 3}〔2025〕{i}号", FontRole.FANGSONG),
                             st.table_cell)
        rows.append([str(i + 1), chunk, f"2025年{1 + i % 12}月{1 + i % 28}日" if i % 5 else "",
                     "a&b (x) \\ 喆" if i % 3 else "两行\n文字", para])
    style = grid_style(fang, [("ALIGN", (1, 1), (1, -1), "LEFT"), ("ALIGN", (3, 1), (3, -1), "RIGHT"),
                              ("VALIGN", (1, 1), (1, 40), "TOP"),
                              ("VALIGN", (2, 41), (2, 80), "BOTTOM"),
                              ("SPAN", (0, 5), (0, 7)), ("TEXTCOLOR", (3, 1), (3, 9), colors.red)],
                       head_font=hei)
    table = table_cls(rows, colWidths=[40, 80, 110, 80, 130], repeatRows=1, style=style)
    body = [paragraph_cls(fonts.markup(_HAN[k:k + 120] + "，。", FontRole.FANGSONG,
                                       scale=g.GRID_SCALE), st.body) for k in range(0, 300, 60)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, invariant=1, initialFontName=fang)
    doc.build([*body, Spacer(1, 12), table, *body])
    return out.getvalue()


def test_the_table_and_paragraphs_write_what_reportlab_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written: list[bool] = []
    original = fastflow._plain_lines_code

    def counted(para: Any, canvas: Any) -> str | None:
        code = original(para, canvas)
        written.append(code is not None)
        return code

    monkeypatch.setattr(fastflow, "_plain_lines_code", counted)
    ours = _pdf(fastflow.Paragraph, fastflow.Table)
    assert ours == _pdf(RLParagraph, RLTable)
    assert any(written) and not all(written)  # cells drawn directly, the justified body not
    assert len(re.findall(rb"/Type /Page[^s]", ours)) >= 3  # the table went over pages
    assert re.search(rb"/F\d+\+1 ", ours)  # and its strings into a second subset


def test_a_paragraph_breaks_its_lines_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = get_font_set()
    style = ParagraphStyle("t", parent=g.styles_for(fonts).body)
    para = fastflow.Paragraph(fonts.markup("依法行政" * 40, FontRole.FANGSONG), style)
    calls: list[list[float]] = []
    original = fastflow.Paragraph.breakLinesCJK

    def counted(self: Any, widths: list[float]) -> Any:
        calls.append(list(widths))
        return original(self, widths)

    monkeypatch.setattr(fastflow.Paragraph, "breakLinesCJK", counted)
    wide = para.wrap(400, 1000)
    wide_lines = para.blPara
    assert para.wrap(400, 50) == wide and para.blPara is wide_lines
    narrow = para.wrap(200, 1000)
    assert narrow[1] > wide[1] and len(para.blPara.lines) > len(wide_lines.lines)
    assert para.wrap(400, 1000) == wide and para.blPara is wide_lines  # put back, not redone
    assert len(calls) == 2
    reference = RLParagraph(fonts.markup("依法行政" * 40, FontRole.FANGSONG), style)
    assert reference.wrap(200, 1000) == narrow


def test_a_split_paragraph_is_of_the_same_class_and_keeps_its_lines() -> None:
    fonts = get_font_set()
    style = g.styles_for(fonts).body
    para = fastflow.Paragraph(fonts.markup("依法行政" * 60, FontRole.FANGSONG), style)
    para.wrap(g.TYPE_WIDTH, 1000)
    total = len(para.blPara.lines)
    first, rest = para.split(g.TYPE_WIDTH, 3 * style.leading + 0.01)
    assert isinstance(first, fastflow.Paragraph) and isinstance(rest, fastflow.Paragraph)
    assert first.wrap(g.TYPE_WIDTH, 1000)[1] == 3 * style.leading
    assert rest.wrap(g.TYPE_WIDTH, 1000)[1] == (total - 3) * style.leading


def test_too_narrow_a_width_is_not_remembered() -> None:
    fonts = get_font_set()
    para = fastflow.Paragraph("依法", g.styles_for(fonts).body)
    assert para.wrap(0, 100) == (0, 0x7FFFFFFF)
    assert para.wrap(300, 100)[1] == g.BODY_LEADING


def test_a_markup_is_parsed_once_and_each_paragraph_gets_its_own_fragments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reportlab.platypus import paraparser

    fonts = get_font_set()
    style = g.styles_for(fonts).table_cell
    parses: list[str] = []
    original = paraparser.ParaParser.parse

    def counted(self: Any, text: str, style: Any) -> Any:
        parses.append(text)
        return original(self, text, style)

    monkeypatch.setattr(paraparser.ParaParser, "parse", counted)
    markup = fonts.markup("党委理论学习中心组学法〔2025〕3号 喆𠀾", FontRole.FANGSONG)
    first = fastflow.Paragraph(markup, style)
    second = fastflow.Paragraph(markup, style)
    assert len(parses) == 1
    reference = RLParagraph(markup, style)
    assert [f.__dict__ for f in second.frags] == [f.__dict__ for f in reference.frags]
    assert second.text == reference.text and second.style is reference.style
    assert all(a is not b for a, b in zip(first.frags, second.frags, strict=True))
    first.frags[0].text = "改过"  # what one paragraph does to its fragments stays its own
    first.frags[0].us_lines.append("x")
    third = fastflow.Paragraph(markup, style)
    assert [f.__dict__ for f in third.frags] == [f.__dict__ for f in reference.frags]


def test_the_same_markup_in_another_style_is_parsed_in_that_style() -> None:
    fonts = get_font_set()
    st = g.styles_for(fonts)
    cell = fastflow.Paragraph("依法行政", st.table_cell)
    head = fastflow.Paragraph("依法行政", st.table_head)
    assert cell.frags[0].fontName != head.frags[0].fontName
    assert head.frags[0].fontName == st.table_head.fontName
    other = ParagraphStyle("t", parent=st.table_cell, fontSize=20)
    assert fastflow.Paragraph("依法行政", other).frags[0].fontSize == 20


def test_only_so_many_markups_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastflow, "PARSED_KEPT", 5)
    style = g.styles_for(get_font_set()).table_cell
    for i in range(12):
        fastflow.Paragraph(f"第{i}项", style)
    assert len(fastflow._parsed) <= 5


def test_markup_with_callbacks_is_parsed_every_time() -> None:
    style = g.styles_for(get_font_set()).table_cell
    markup = '<onDraw name="mark" label="x"/>依法行政'
    first = fastflow.Paragraph(markup, style)
    second = fastflow.Paragraph(markup, style)
    assert any(hasattr(f, "cbDefn") for f in first.frags)
    assert (markup, id(style)) not in {key[:2] for key in fastflow._parsed}
    assert first.frags[0] is not second.frags[0]


def _plain(value: Any) -> Any:
    """A FragLine or fragment as nested plain values, for comparing two of them."""
    if hasattr(value, "__dict__"):
        return {k: _plain(v) for k, v in value.__dict__.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("calc_bounds", [False, True])
def test_a_cjk_line_is_made_as_reportlab_makes_it(calc_bounds: bool) -> None:
    """cjkwrap builds a line's words a run of one fragment at a time; reportlab glyph by
    glyph. Fragments in several faces and sizes, equal neighbours, and line breaks."""
    from reportlab.platypus.paragraph import cjkU, makeCJKParaLine

    from duty_tracker.core.reports import cjkwrap

    fonts = get_font_set()
    st = g.styles_for(fonts)
    hei = fonts.font_name(FontRole.HEITI)
    markup = (f'<font face="{hei}">一、总体</font>情况。喆𠀾依法<br/>行政<font size="10">小</font>'
              f'<font face="{hei}">黑</font><font face="{hei}">体</font>完')
    para = RLParagraph(markup, st.body)
    units: list[Any] = []
    for f in para.frags:  # as cjk_frag_split makes them
        if hasattr(f, "cbDefn") or not f.text:
            units.append(cjkU(f.text, f, "utf8"))
        else:
            units.extend(cjkwrap._Glyph(ch, f, 10.0) for ch in f.text)
    assert len({id(u.frag) for u in units}) >= 5
    assert any(hasattr(u.frag, "lineBreak") for u in units)
    for start, stop in ((0, len(units)), (0, 1), (3, 9), (len(units) - 4, len(units))):
        part = units[start:stop]
        ours = cjkwrap.cjk_para_line(part, 300.0, 120.5, 179.5, False, calc_bounds)
        assert _plain(ours) == _plain(makeCJKParaLine(part, 300.0, 120.5, 179.5, False,
                                                      calc_bounds))
