"""What is actually drawn in the debrief PDF, glyph by glyph (pdfplumber ``page.chars``):
no space glyph that is not in the text, rare characters that copy out as themselves, numbers
that are never cut by a line break."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from duty_tracker.core.demo import build_demo
from duty_tracker.core.reports.debrief_builder import DebriefBuilder
from duty_tracker.core.reports.debrief_model import DebriefReport, NarrativeSections
from duty_tracker.core.reports.debrief_pdf import render_debrief_bytes
from duty_tracker.core.reports.samples import sample_debrief
from tests.core.test_report_support import open_seeded

pdfplumber = pytest.importorskip("pdfplumber")

TODAY = date(2025, 12, 20)


def _is_cjk(ch: str) -> bool:
    return len(ch) == 1 and (ord(ch) >= 0x2E80 and unicodedata.category(ch).startswith("L"))


def page_chars(pdf_bytes: bytes) -> list[list[dict]]:
    """Every drawn glyph of every page, in drawing order, spaces included."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [list(page.chars) for page in pdf.pages]


def stray_spaces(pages: list[list[dict]]) -> list[str]:
    """Half-width space glyphs drawn between two Chinese characters (with the text around)."""
    found = []
    for number, chars in enumerate(pages, 1):
        for i in range(1, len(chars) - 1):
            if chars[i]["text"] == " " and _is_cjk(chars[i - 1]["text"]) and _is_cjk(
                    chars[i + 1]["text"]):
                around = "".join(c["text"] for c in chars[max(0, i - 5):i + 6])
                found.append(f"第{number}页：{around}")
    return found


def drawn_text(pages: list[list[dict]]) -> str:
    """The text of the pages in drawing order, without the page numbers."""
    text = "".join(c["text"] for chars in pages for c in chars)
    return re.sub(r"— \d+ —", "", text)


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> list[DebriefReport]:
    """The drafted debriefs of 20 demo leaders (the case in which 5 of 19 showed the flaw)."""
    db = tmp_path_factory.mktemp("glyphs") / "demo.db"
    with open_seeded(db) as store:
        build_demo(store, leaders=20, years=1, records=30, today=TODAY)
        builder = DebriefBuilder(store, 2025, today=TODAY)
        ids = [row["id"] for row in store.people.leaders()]
        return [builder.build(leader_id, use_draft=True) for leader_id in ids]


def _as_a_clerk_edits_it(n: NarrativeSections, shift: int) -> NarrativeSections:
    """The draft as clerks usually finish it: each paragraph of a work section opened by a
    （一） heading run into it (楷体 then 仿宋: a paragraph of two fonts), and ``shift``
    one-line paragraphs in front, so that page breaks fall inside different paragraphs."""
    def headed(text: str) -> str:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        return "\n".join(f"（{'一二三四五六七八九十'[i % 10]}）抓好落实。{ln}"
                         for i, ln in enumerate(lines))
    return replace(n, leadership="\n".join(["本人坚持带头学法。"] * shift + [headed(n.leadership)]),
                   study=headed(n.study), problems=headed(n.problems))


def test_no_stray_space_in_any_generated_report(demo_reports: list[DebriefReport]) -> None:
    """A paragraph of two fonts continuing on the next page used to get a space glyph at the
    end of every line ("中心 组学法" when copied) and, once re-wrapped, inside words
    ("投 资法》"): 5 of 19 demo debriefs showed it."""
    flaws = []
    for i, report in enumerate(demo_reports):
        edited = replace(report, narrative=_as_a_clerk_edits_it(report.narrative, i % 9))
        pdf = render_debrief_bytes(edited)
        flaws += [f"{report.leader_name} {where}" for where in stray_spaces(page_chars(pdf))]
    assert not flaws, flaws[:10]


def test_a_paragraph_split_over_pages_prints_exactly_its_text() -> None:
    paragraphs = [
        f"（{'一二三四五六七八'[i]}）带头学法喆。" + "本人坚持把学习贯彻习近平法治思想作为重要政治任务，"
        "带头学习《中华人民共和国外商投资法》和《中国共产党章程》，以〔2025〕51号文件为依据。" * 6
        for i in range(8)
    ]
    report = sample_debrief(narrative=NarrativeSections(achievements="\n".join(paragraphs)))
    text = drawn_text(page_chars(render_debrief_bytes(report)))
    assert "".join(paragraphs) in text


def test_a_character_outside_the_basic_plane_copies_out() -> None:
    """𠀾 (U+2003E) comes from the bundled face; its ToUnicode entry must be a surrogate pair,
    or readers take it for U+2003 and search and copy lose it."""
    report = sample_debrief(name="王𠀾", narrative=NarrativeSections(achievements="学习𠀾字。"))
    text = drawn_text(page_chars(render_debrief_bytes(report)))
    assert "王𠀾" in text and "学习𠀾字" in text
    assert "\u2003" not in text


def test_an_ideographic_space_stays_one() -> None:
    report = sample_debrief(narrative=NarrativeSections(achievements="甲　乙"))
    text = drawn_text(page_chars(render_debrief_bytes(report)))
    assert "甲\u3000乙" in text


def test_narrow_cells_never_cut_a_date_or_a_document_number() -> None:
    from reportlab.platypus import Paragraph

    from duty_tracker.core.reports import gbt9704 as g
    from duty_tracker.core.reports.fonts import get_font_set

    st = g.styles_for(get_font_set())
    for text, width in (("2025年1月1日至2025年12月31日", 100), ("区委纪要〔2025〕51号", 90),
                        ("杭政办纪要〔2025〕123号", 100), ("全年（7月1日至12月31日）", 76)):
        para = Paragraph(text, st.table_cell)
        para.wrap(width, 1000)
        lines = ["".join(w.text for w in line.words) if hasattr(line, "words")
                 else "".join(line[1]) for line in para.blPara.lines]
        assert "".join(lines) == text and len(lines) > 1
        for before, after in zip(lines, lines[1:], strict=False):
            cut = before[-1] in "0123456789〔年月" and after[0] in "0123456789〕年月日号"
            assert not cut, (text, lines)
