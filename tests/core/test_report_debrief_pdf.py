"""The debrief PDF, checked from the outside: the text pdftotext gets back, the glyphs
pdfplumber sees, the fonts pdffonts lists, the page geometry, and the robustness cases."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_tracker.core.domain import Status
from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.debrief_model import (
    AttachmentEntry,
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    PeriodResult,
    RecordEntry,
    TermSpan,
)
from duty_tracker.core.reports.debrief_pdf import render_debrief_bytes, render_debrief_pdf
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

pdfplumber = pytest.importorskip("pdfplumber")
MM = 72 / 25.4
FULL_YEAR = (TermSpan(date(2025, 1, 1), date(2025, 12, 31), full_year=True),)


def _bare(name: str = "钱赟", **kw: object) -> DebriefReport:
    base = DebriefReport(year=2025, leader_name=name, unit_name="蒋村街道党工委",
                         position="党工委书记", role_label="其他主要负责人", role="other",
                         terms=FULL_YEAR)
    return replace(base, **kw)


def _page_content(pdf: bytes, page: int) -> bytes:
    """The decoded content stream of a page (its drawing operators)."""
    from pdfminer.pdftypes import resolve1

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        contents = resolve1(doc.pages[page].page_obj.attrs["Contents"])
        streams = contents if isinstance(contents, list) else [contents]
        return b"".join(resolve1(s).get_data() for s in streams)


def _chars(pdf: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [list(p.chars) for p in doc.pages]


def _lines(chars: list[dict], size: float = g.BODY_SIZE) -> list[list[dict]]:
    """The glyphs of one size grouped into lines, top to bottom."""
    rows: dict[int, list[dict]] = {}
    for c in chars:
        if abs(c["size"] - size) < 0.05:
            rows.setdefault(round(c["top"]), []).append(c)
    return [sorted(rows[t], key=lambda c: c["x0"]) for t in sorted(rows)]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    narrative = NarrativeSections(
        study="（一）带头学法。主持召开党委理论学习中心组学法3次。\n第二段。",
        problems="一是带头讲法治课未完成。",
    )
    out = tmp_path_factory.mktemp("pdf") / "孙喆.pdf"
    return render_debrief_pdf(sample_debrief("孙喆", narrative=narrative), out)


@needs_poppler
def test_text_has_the_parts_in_order(sample_pdf: Path) -> None:
    text = squash(pdftotext(sample_pdf))
    expected_order = [
        "2025年度履行推进法治建设第一责任人职责情况的述职述法报告",
        "中共杭州市西湖区委书记孙喆",
        "根据《杭州市党政主要负责人履行推进法治建设第一责任人职责实施细则》规定，"
        "现将本人2025年度履行推进法治建设第一责任人职责情况报告如下。",
        "一、带头尊法学法守法用法", "（一）带头学法。主持召开党委理论学习中心组学法3次。", "第二段。",
        "二、存在的问题和不足", "一是带头讲法治课未完成。",
        "附件：1．2025年度法定履职事项完成情况统计表", "2．2025年度履职纪实清单",
        "3．2025年度佐证材料目录",
        "孙喆", "2026年1月10日",
        "附件1", "2025年度法定履职事项完成情况统计表",
        "本年度适用的法定履职事项共5项，其中达标2项、预警1项、未达标2项",
        "附件2", "2025年度履职纪实清单", "本年度共记录履职纪实21条",
        "附件3", "2025年度佐证材料目录", "会议纪要扫描件1.pdf",
    ]
    pos = 0
    for piece in expected_order:
        found = text.find(piece, pos)
        assert found >= 0, f"{piece!r} missing or out of order"
        pos = found + len(piece)
    for gone in ("同志", "附件目录", "无。", "本部分暂未填写", "下一步工作打算",
                 "履行第一责任人职责、统筹部署法治建设"):
        assert gone not in text, gone  # empty sections and the old layout's pieces are gone
    table = pdftotext(sample_pdf, layout=True)
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
    assert len({f.name for f in fonts}) == len(fonts)  # no two subsets share a name


@needs_poppler
def test_page_is_a4_and_text_stays_in_the_type_area(sample_pdf: Path) -> None:
    width, height = page_size(sample_pdf)
    assert (round(width, 1), round(height, 1)) == (595.3, 841.9)
    type_bottom = (37 + 225) * MM
    body = [w for w in words(sample_pdf)
            if not (w.y0 > type_bottom - 2 and (w.text == "—" or w.text.isdigit()))]
    assert abs(min(w.x0 for w in body) - 28 * MM) < 1.5
    assert max(w.x1 for w in body) <= (28 + 156) * MM + 1.0
    assert min(w.y0 for w in body) >= 37 * MM - 4
    assert max(w.y1 for w in body) <= type_bottom + 1.0


def test_a_full_line_holds_28_characters() -> None:
    text = "本人坚持把学习贯彻习近平法治思想作为重要政治任务带头学法守法用法" * 6
    pdf = render_debrief_bytes(_bare(narrative=NarrativeSections(study=text)))
    lines = [ln for ln in _lines(_chars(pdf)[0]) if "".join(c["text"] for c in ln) in text]
    assert len(lines) >= 5
    first, *middle, _last = lines
    assert len(first) == 26  # two characters of indent
    assert all(len(ln) == 28 for ln in middle), [len(ln) for ln in middle]
    for ln in middle:  # flush with both edges of the type area
        assert abs(ln[0]["x0"] - 28 * MM) < 0.5 and abs(ln[-1]["x1"] - 184 * MM) < 0.5
        assert all(abs(c["size"] - 16) < 0.01 for c in ln)  # 3号, on the grid


def test_heading_levels_use_their_faces_and_the_third_is_bold() -> None:
    text = "（一）坚持学法。正文。\n1.中心组学法。正文第二句。\n2.常务会议学法"
    pdf = render_debrief_bytes(_bare(narrative=NarrativeSections(study=text)))
    chars = _chars(pdf)[0]
    by_text = {}
    for ln in _lines(chars):
        by_text["".join(c["text"] for c in ln)] = ln
    h1 = next(ln for t, ln in by_text.items() if t.startswith("一、"))
    assert all("MicroHei" in c["fontname"] for c in h1)  # 黑体 (the bundled stand-in)
    bold = [ln for t, ln in by_text.items() if t.startswith(("1.", "2."))]
    assert len(bold) == 2
    assert all("Bold" in c["fontname"] for c in bold[0][:8])  # "1.中心组学法。"
    assert not any("Bold" in c["fontname"] for c in bold[0][8:])  # the text after it
    assert all("Bold" in c["fontname"] for c in bold[1])  # a heading of its own
    streams = _page_content(pdf, 0)
    # filled and stroked (simulated bold): the run-in heading and the one of its own
    assert len(re.findall(rb"\b2 Tr 0 G [\d.]+ w\b", streams)) >= 2
    assert b"0 Tr" in streams  # and back to plain fill after it


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_the_page_number_dash_is_7_mm_below_the_type_area(tmp_path: Path) -> None:
    pdf = render_debrief_pdf(sample_debrief(), tmp_path / "n.pdf")
    dpi = 288
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "p")], check=True)
    pgm = next(tmp_path.glob("p*.pgm")).read_bytes()
    header = pgm.split(b"\n", 3)
    width, height = map(int, header[1].split())
    pixels = header[3]
    px_per_mm = dpi / 25.4

    def longest_dark_run(y: int) -> int:
        best = run = 0
        for value in pixels[y * width:(y + 1) * width]:
            run = run + 1 if value < 128 else 0
            best = max(best, run)
        return best

    # The 一字线 is the one long horizontal stroke below the type area (digits are narrow).
    type_bottom = round((37 + 225) * px_per_mm)
    dash_rows = [y for y in range(type_bottom + 2, height) if longest_dark_run(y) > 3 * px_per_mm]
    assert dash_rows, "no 一字线 found"
    assert abs((dash_rows[0] - (37 + 225) * px_per_mm) / px_per_mm - 7.0) < 0.3


@needs_poppler
def test_page_numbers_alternate_sides_below_the_type_area(sample_pdf: Path) -> None:
    pages = page_count(sample_pdf)
    assert pages >= 2
    all_words = words(sample_pdf)
    for page in (1, 2):
        number = [max((w for w in all_words if w.page == page and w.text == str(page)),
                      key=lambda w: w.y0)]
        dashes = [w for w in all_words if w.page == page and w.text == "—"]
        assert number and len(dashes) == 2
        assert number[0].y0 > (37 + 225) * MM
        if page % 2:
            assert abs(max(d.x1 for d in dashes) - ((28 + 156) * MM - g.PAGE_NUMBER_SIZE)) < 2
        else:
            assert abs(min(d.x0 for d in dashes) - (28 * MM + g.PAGE_NUMBER_SIZE)) < 2


@pytest.mark.parametrize(("lines", "words"), [(n, w) for n in range(12, 34, 3) for w in (9, 40)])
def test_the_signature_never_stands_alone(lines: int, words: int) -> None:
    """Whatever the length of the text, the page with the signature also holds at least
    two lines of the body (GB/T 9704: 不得单独成页) — paragraphs of one line or of two."""
    para = ("本人坚持带头学法" * 6)[:words - 1] + "。"
    report = _bare(narrative=NarrativeSections(problems="\n".join([para] * lines)))
    pages = _chars(render_debrief_bytes(report))
    sig_page = next(i for i, chars in enumerate(pages)
                    if "2025年12月31日" in "".join(c["text"] for c in chars))
    body_lines = [ln for ln in _lines(pages[sig_page])
                  if "".join(c["text"] for c in ln) in para]
    assert len(body_lines) >= 2


@needs_poppler
def test_no_attachment_line_without_appendices(tmp_path: Path) -> None:
    pdf = render_debrief_pdf(_bare(narrative=NarrativeSections(study="学法。")), tmp_path / "e.pdf")
    text = squash(pdftotext(pdf))
    assert "附件" not in text and page_count(pdf) == 1
    assert text.endswith("钱赟2025年12月31日—1—")


@needs_poppler
def test_one_appendix_is_named_without_a_number(tmp_path: Path) -> None:
    rec = RecordEntry(date(2025, 3, 1), "学法", "纪要1号", "学法")
    text = squash(pdftotext(render_debrief_pdf(_bare(records=(rec,)), tmp_path / "a.pdf")))
    assert "附件：2025年度履职纪实清单" in text and "1．" not in text


@needs_poppler
def test_rare_characters_in_names_print(tmp_path: Path) -> None:
    for name in RARE_NAMES:
        pdf = render_debrief_pdf(sample_debrief(name, records_per_group=1), tmp_path / "r.pdf")
        text = squash(pdftotext(pdf, first=1, last=1))
        assert f"区委书记{name}" in text, name


@needs_poppler
def test_markup_emoji_and_long_text_print_as_typed(tmp_path: Path) -> None:
    long_para = ("依法行政" * 500)
    long_word = "x" * 300
    report = _bare(
        narrative=NarrativeSections(
            leadership=f"a<b>c</b> & A&B; <font size=40>大</font> <para> 完成😀👨‍👩‍👧\n{long_para}",
            problems=long_word,
            plans="1 < 2 > 0 &amp; &#x41; \\ ' \"",
        ),
        records=(RecordEntry(date(2025, 3, 1), "会议<br/>&nbsp;", "纪要<1>号", "会议"),),
    )
    pdf = render_debrief_pdf(report, tmp_path / "m.pdf")
    text = squash(pdftotext(pdf))
    assert "a<b>c</b>&A&B;<fontsize=40>大</font><para>完成□" in text
    assert "1<2>0&amp;&#x41;\\'\"" in text
    assert "会议<br/>&nbsp;" in text and "纪要<1>号" in text
    assert re.sub(r"—\d+—", "", text).count("依法行政") == 500
    assert text.count("x") >= 300


@needs_poppler
def test_part_terms_are_shown_under_the_byline(tmp_path: Path) -> None:
    report = _bare(terms=(TermSpan(date(2025, 1, 1), date(2025, 3, 31)),
                          TermSpan(date(2025, 7, 1), date(2025, 12, 31))))
    text = squash(pdftotext(render_debrief_pdf(report, tmp_path / "t.pdf"), first=1, last=1))
    assert "（任职期间：2025年1月1日至2025年3月31日；2025年7月1日至2025年12月31日）" in text
    assert "现将本人2025年任职期间（1月1日至3月31日、7月1日至12月31日）履行" in text


@needs_poppler
def test_long_tables_repeat_their_header_row_on_every_page(tmp_path: Path) -> None:
    records = tuple(RecordEntry(date(2025, 1 + i % 12, 1 + i % 28), f"第{i}次学法",
                                f"区委纪要〔2025〕{i}号", "学法") for i in range(90))
    periods = tuple(PeriodResult(f"{m}月", 1, m % 2, Status.DONE if m % 2 else Status.FAILED)
                    for m in range(1, 13))
    rows = tuple(ComplianceRow(f"第{n}条", f"每月事项{n}", periods) for n in range(1, 8))
    pdf = render_debrief_pdf(_bare(compliance=rows, records=records), tmp_path / "long.pdf")
    pages = page_count(pdf)
    assert pages >= 5
    compliance_pages = record_pages = 0
    for page in range(1, pages + 1):
        text = pdftotext(pdf, first=page, last=page, layout=True)
        if "每月事项" in text:
            compliance_pages += 1
            assert re.search(r"条款\s+履职事项\s+考核期间\s+应完成\s+已完成\s+完成情况", text)
        if "次学法" in text:
            record_pages += 1
            assert re.search(r"序号\s+日期\s+履职事项\s+类别\s+纪要文号", text), page
    assert compliance_pages >= 2 and record_pages >= 2
    assert "第89次学法" in squash(pdftotext(pdf))


def test_dates_and_document_numbers_stay_whole_in_the_tables() -> None:
    records = tuple(RecordEntry(date(2025, 12, 31 - i), "学法", f"杭政办纪要〔2025〕{100 + i}号",
                                "听取汇报") for i in range(20))
    rows = (ComplianceRow("第十四条（二）", "常务会议听取汇报", (
        PeriodResult("全年（7月1日至12月31日）", 1, 1, Status.DONE),)),)
    pages = _chars(render_debrief_bytes(_bare(records=records, compliance=rows)))
    table = "\n".join("".join(c["text"] for c in ln) for chars in pages for ln in _lines(chars, 12))
    for rec in records:  # every date and document number whole on one line
        assert rec.minutes_no.split("纪要")[1] in table and f"{rec.day.day}日" in table
    assert not re.search(r"^(日|号|〕|\d+日|\d+号)", table, re.M), table
    assert "12月31日）" in table  # the period label broke before the date, not inside it


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
    assert [p.name for p in tmp_path.iterdir()] == ["open-in-viewer.pdf"]


def test_a_folder_as_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportWriteError, match="文件夹"):
        render_debrief_pdf(_bare(), tmp_path)


def test_missing_folders_are_created_and_the_path_returned(tmp_path: Path) -> None:
    out = render_debrief_pdf(_bare(), tmp_path / "a" / "b" / "r.pdf")
    assert out == tmp_path / "a" / "b" / "r.pdf"
    assert out.read_bytes().startswith(b"%PDF")


def test_a_record_counting_for_many_duties_and_a_long_evidence_list() -> None:
    duties = tuple(f"事项{i}" for i in range(20))
    rec = RecordEntry(date(2025, 5, 4), "常务会议：" + "、".join(f"参会人{i}" for i in range(20)),
                      "府纪要〔2025〕1号", "会议", duties=duties)
    files = tuple(AttachmentEntry(f"扫描件{i}" * 8 + ".pdf", rec.title, rec.day) for i in range(60))
    report = _bare(records=(rec,) * 3, attachments=files)
    assert render_debrief_bytes(report).startswith(b"%PDF")


_user_text = st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
    | st.sampled_from(list("<>&;/\"'喆堃珺昇镕赟玥〇😀\n\t\r　")
                      + ["<b>", "</para>", "&amp;", "<br/>", "<font name=x>", "\ud83d", "1.",
                         "（一）", "〔2025〕1号"]),
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
        byline=minutes,
        signature=text[:12],
        unit_name=text[:30],
        narrative=NarrativeSections(text, text[::-1], minutes, study=title),
        records=(RecordEntry(date(2025, 1, 2), title, minutes, text[:4]),),
        compliance=(ComplianceRow(minutes[:8], title, (PeriodResult(text[:6], 1, 0,
                                                                    Status.FAILED),)),),
        attachments=(AttachmentEntry(text or "x", title),),
    )
    assert render_debrief_bytes(report).startswith(b"%PDF")


@pytest.mark.parametrize("filler", range(10, 24, 2))
def test_a_heading_never_ends_a_page(filler: int) -> None:
    """A heading followed by a three-line paragraph (which cannot be split without a widow
    or an orphan), and a heading as the very last line of the text, at every position."""
    three_lines = "本人坚持带头学法" * 9 + "。"
    text = "\n".join(["本人坚持带头学法。"] * filler + ["（二）坚持依法决策", three_lines,
                                                       "1.加强督促检查"])
    pages = _chars(render_debrief_bytes(_bare(narrative=NarrativeSections(study=text))))
    for chars in pages:
        lines = ["".join(c["text"] for c in ln) for ln in _lines(chars)]
        if lines:
            assert lines[-1] not in ("（二）坚持依法决策", "1.加强督促检查") or lines[-1] == \
                "1.加强督促检查" and "2025年12月31日" in "".join(c["text"] for c in chars)
