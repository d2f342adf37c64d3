"""The debrief PDF, checked from the outside: the text pdftotext gets back, the fonts pdffonts
lists, the page geometry, and the robustness cases of issue 5."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_tracker.core.domain import Status
from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.debrief_model import (
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    PeriodResult,
    RecordEntry,
    RecordGroup,
    TermSpan,
)
from duty_tracker.core.reports.debrief_pdf import (
    EMPTY_SECTION,
    NO_DUTIES,
    NO_RECORDS,
    render_debrief_bytes,
    render_debrief_pdf,
)
from duty_tracker.core.reports.errors import ReportWriteError
from duty_tracker.core.reports.samples import RARE_NAMES, sample_debrief
from tests.core.test_report_support import (
    needs_poppler,
    page_count,
    page_size,
    pdffonts,
    pdftotext,
    squash,
    words,
)

MM = 72 / 25.4


def _bare(name: str = "钱赟", **kw: object) -> DebriefReport:
    base = DebriefReport(year=2025, leader_name=name, unit_name="蒋村街道党工委",
                         position="党工委书记", role_label="其他主要负责人")
    return replace(base, **kw)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    narrative = NarrativeSections(
        achievements="（一）带头学法。全年主持召开党委理论学习中心组学法3次。\n第二段。",
        problems="一是带头讲法治课未完成。",
        plans="",
    )
    out = tmp_path_factory.mktemp("pdf") / "孙喆.pdf"
    return render_debrief_pdf(sample_debrief("孙喆", narrative=narrative), out)


@needs_poppler
def test_text_has_the_sections_in_order_and_the_right_numbers(sample_pdf: Path) -> None:
    text = squash(pdftotext(sample_pdf))
    expected_order = [
        "关于孙喆同志2025年度履行推进法治建设第一责任人职责情况的报告",
        "杭州市西湖区委", "区委书记", "2025年全年在任",
        "一、法定履职事项完成情况",
        "本年度适用的法定履职事项共5项，其中达标2项、预警1项、未达标2项",
        "二、履职纪实", "本年度共记录履职纪实21条",
        "三、主要做法和成效", "全年主持召开党委理论学习中心组学法3次",
        "四、存在的问题和不足", "一是带头讲法治课未完成",
        "五、下一步工作打算", squash(EMPTY_SECTION),
        "附件目录", "会议纪要扫描件1.pdf",
        "中共杭州市西湖区委员会", "2026年1月10日",
    ]
    pos = 0
    for piece in expected_order:
        found = text.find(piece, pos)
        assert found >= 0, f"{piece!r} missing or out of order"
        pos = found + len(piece)
    # The compliance table, row by row (layout mode keeps a table row on one line).
    table = pdftotext(sample_pdf, first=1, last=1, layout=True)
    for row in (r"第九条（二）\s+党委理论学习中心组学法\s+全年\s+2\s+3\s+达标",
                r"上半年\s+1\s+1\s+达标", r"下半年\s+1\s+0\s+未达标",
                r"第二季度\s+1\s+1\s+达标", r"第三季度\s+1\s+0\s+预警",
                r"第十条\s+带头讲法治课\s+全年\s+1\s+0\s+未达标"):
        assert re.search(row, table), row
    assert "区委纪要〔2025〕99号" in text


@needs_poppler
def test_every_font_is_embedded_and_none_is_a_viewer_font(sample_pdf: Path) -> None:
    fonts = pdffonts(sample_pdf)
    assert fonts
    assert all(f.embedded for f in fonts), fonts
    assert not any(f.name.split("+")[-1] in ("Helvetica", "STSong-Light") for f in fonts)
    assert all("+" in f.name for f in fonts)  # subsets


@needs_poppler
def test_page_is_a4_and_text_stays_in_the_type_area(sample_pdf: Path) -> None:
    width, height = page_size(sample_pdf)
    assert (round(width, 1), round(height, 1)) == (595.3, 841.9)
    type_bottom = (37 + 225) * MM
    body = [w for w in words(sample_pdf)
            if not (w.y0 > type_bottom - 2 and (w.text == "—" or w.text.isdigit()))]
    left = min(w.x0 for w in body)
    right = max(w.x1 for w in body)
    top = min(w.y0 for w in body)
    bottom = max(w.y1 for w in body)
    assert abs(left - 28 * MM) < 1.5, left  # tables start at the left edge of the type area
    assert right <= (28 + 156) * MM + 1.0, right
    assert top >= 37 * MM - 4, top  # glyph boxes include the font's ascent above the frame
    assert bottom <= type_bottom + 1.0, bottom


@needs_poppler
def test_page_numbers_alternate_sides_below_the_type_area(sample_pdf: Path) -> None:
    pages = page_count(sample_pdf)
    assert pages >= 2
    all_words = words(sample_pdf)
    for page in (1, 2):
        number = [max((w for w in all_words if w.page == page and w.text == str(page)),
                      key=lambda w: w.y0)]
        dashes = [w for w in all_words if w.page == page and w.text == "—"]
        assert number and len(dashes) == 2, (page, [w.text for w in all_words if w.page == page][-5:])
        assert number[0].y0 > (37 + 225) * MM  # below the type area
        if page % 2:  # odd: right, one character in
            assert abs(max(d.x1 for d in dashes) - ((28 + 156) * MM - g.PAGE_NUMBER_SIZE)) < 2
        else:
            assert abs(min(d.x0 for d in dashes) - (28 * MM + g.PAGE_NUMBER_SIZE)) < 2


@needs_poppler
def test_rare_characters_in_names_print(tmp_path: Path) -> None:
    for name in RARE_NAMES:
        pdf = render_debrief_pdf(sample_debrief(name, records_per_group=1), tmp_path / "r.pdf")
        text = squash(pdftotext(pdf, first=1, last=1))
        assert f"关于{name}同志" in text, name
        assert f"区委书记{name}" in text


@needs_poppler
def test_markup_emoji_and_long_text_print_as_typed(tmp_path: Path) -> None:
    long_para = ("依法行政" * 500)  # 2,000 characters, no break opportunity but CJK
    long_word = "x" * 300  # a 300-letter "word" must wrap too
    report = _bare(
        narrative=NarrativeSections(
            achievements=f"a<b>c</b> & A&B; <font size=40>大</font> <para> 完成😀👨‍👩‍👧\n{long_para}",
            problems=long_word,
            plans="1 < 2 > 0 &amp; &#x41; \\ ' \"",
        ),
        record_groups=(RecordGroup("第四条", "<i>斜体</i>", (
            RecordEntry(date(2025, 3, 1), "会议<br/>&nbsp;", "纪要<1>号", "会议"),)),),
    )
    pdf = render_debrief_pdf(report, tmp_path / "m.pdf")
    text = squash(pdftotext(pdf))
    assert "a<b>c</b>&A&B;<fontsize=40>大</font><para>完成□" in text
    assert "1<2>0&amp;&#x41;\\'\"" in text
    assert "<i>斜体</i>" in text and "会议<br/>&nbsp;" in text and "纪要<1>号" in text
    assert re.sub(r"—\d+—", "", text).count("依法行政") == 500  # page numbers interleave
    assert text.count("x") >= 300


@needs_poppler
def test_a_leader_with_no_duties_no_records_no_text_gets_every_section(tmp_path: Path) -> None:
    pdf = render_debrief_pdf(_bare(), tmp_path / "empty.pdf")
    text = squash(pdftotext(pdf))
    for piece in ("一、法定履职事项完成情况", squash(NO_DUTIES), "二、履职纪实",
                  squash(NO_RECORDS), "三、主要做法和成效", "四、存在的问题和不足",
                  "五、下一步工作打算", "附件目录", "无。", "蒋村街道党工委", "2025年12月31日",
                  "2025年度未在任"):
        assert piece in text, piece
    assert text.count(squash(EMPTY_SECTION)) == 3


@needs_poppler
def test_partial_terms_are_shown(tmp_path: Path) -> None:
    report = _bare(terms=(TermSpan(date(2025, 1, 1), date(2025, 3, 31)),
                          TermSpan(date(2025, 7, 1), date(2025, 12, 31))))
    text = squash(pdftotext(render_debrief_pdf(report, tmp_path / "t.pdf"), first=1, last=1))
    assert "本年度任职期间：2025年1月1日至2025年3月31日；2025年7月1日至2025年12月31日" in text


@needs_poppler
def test_long_tables_repeat_their_header_row_on_every_page(tmp_path: Path) -> None:
    records = tuple(RecordEntry(date(2025, 1, 1 + i % 28), f"第{i}次学法", f"纪要{i}号", "学法")
                    for i in range(90))
    periods = tuple(PeriodResult(f"{m}月", 1, m % 2, Status.DONE if m % 2 else Status.FAILED)
                    for m in range(1, 13))
    rows = tuple(ComplianceRow(f"第{n}条", f"每月事项{n}", periods) for n in range(1, 8))
    report = _bare(compliance=rows, record_groups=(RecordGroup("第九条（二）", "学法", records),))
    pdf = render_debrief_pdf(report, tmp_path / "long.pdf")
    pages = page_count(pdf)
    assert pages >= 5
    compliance_pages = record_pages = 0
    for page in range(1, pages + 1):
        text = pdftotext(pdf, first=page, last=page, layout=True)
        if "每月事项" in text:
            compliance_pages += 1
            assert re.search(r"条款\s+履职事项\s+期间\s+应完成\s+已完成\s+状态", text), page
        if "次学法" in text:
            record_pages += 1
            assert re.search(r"序号\s+日期\s+事项\s+纪要文号", text), page
    assert compliance_pages >= 2 and record_pages >= 2
    assert "第89次学法" in squash(pdftotext(pdf))


@needs_poppler
def test_custom_title_with_line_breaks(tmp_path: Path) -> None:
    report = _bare(title="钱赟同志2025年度\n述法报告")
    text = pdftotext(render_debrief_pdf(report, tmp_path / "t.pdf"), first=1, last=1)
    assert "钱赟同志2025年度\n述法报告" in text


def test_a_locked_target_gives_a_clear_message_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "open-in-viewer.pdf"
    target.write_bytes(b"old")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ReportWriteError) as info:
        render_debrief_pdf(_bare(), target)
    assert "可能已在其他程序中打开，请关闭后重试" in str(info.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["open-in-viewer.pdf"]  # no temp left


def test_a_folder_as_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportWriteError, match="文件夹"):
        render_debrief_pdf(_bare(), tmp_path)


def test_missing_folders_are_created_and_the_path_returned(tmp_path: Path) -> None:
    out = render_debrief_pdf(_bare(), tmp_path / "a" / "b" / "r.pdf")
    assert out == tmp_path / "a" / "b" / "r.pdf"
    assert out.read_bytes().startswith(b"%PDF")


def test_a_record_counting_for_twenty_leaders_and_many_duties(tmp_path: Path) -> None:
    duties = tuple(f"事项{i}" for i in range(20))
    rec = RecordEntry(date(2025, 5, 4), "常务会议：" + "、".join(f"参会人{i}" for i in range(20)),
                      "府纪要〔2025〕1号", "会议", duties=duties)
    report = _bare(record_groups=(RecordGroup("第十一条（一）", "学法", (rec,) * 3),))
    assert render_debrief_bytes(report).startswith(b"%PDF")


_user_text = st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
    | st.sampled_from(list("<>&;/\"'喆堃珺昇镕赟玥〇😀\n\t\r")
                      + ["<b>", "</para>", "&amp;", "<br/>", "<font name=x>", "\ud83d"]),
    max_size=20,
).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_user_text, title=_user_text, text=_user_text, minutes=_user_text)
def test_arbitrary_user_text_never_breaks_the_generator(
    name: str, title: str, text: str, minutes: str
) -> None:
    report = _bare(
        name=name or "无名",
        title=title,
        unit_name=text[:30],
        narrative=NarrativeSections(text, text[::-1], minutes),
        record_groups=(RecordGroup(minutes[:10], text[:20], (
            RecordEntry(date(2025, 1, 2), title, minutes, text[:4]),)),),
        compliance=(ComplianceRow(minutes[:8], title, (PeriodResult(text[:6], 1, 0,
                                                                    Status.FAILED),)),),
    )
    assert render_debrief_bytes(report).startswith(b"%PDF")
