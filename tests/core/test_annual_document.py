"""The annual report as a PDF and as a Word file, checked from the outside: the GB/T 9704 page,
the title on lines broken by meaning, the 主送机关 flush left, the parts numbered in print order
(an empty part left out), page numbers, the signature and date, the task table — the same
renderers as the debrief."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from duty_tracker.core.reports.annual_builder import fill_with_draft
from duty_tracker.core.reports.annual_document import plan_annual, task_state
from duty_tracker.core.reports.annual_model import AnnualTexts
from duty_tracker.core.reports.annual_render import (
    render_annual_bytes,
    render_annual_docx,
    render_annual_docx_bytes,
    render_annual_pdf,
)
from duty_tracker.core.reports.annual_samples import sample_annual, sample_task
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
HEADINGS = ("一、主要举措和成效", "二、党政主要负责人履行推进法治建设第一责任人职责情况",
            "三、存在的不足和原因", "四、下一年度工作安排")


@pytest.fixture(scope="module")
def report():
    return fill_with_draft(replace(sample_annual(), addressee="中共杭州市委、杭州市人民政府"))


@pytest.fixture(scope="module")
def pdf(report, tmp_path_factory) -> Path:
    return render_annual_pdf(report, tmp_path_factory.mktemp("annual") / "report.pdf")


@pytest.fixture(scope="module")
def document(report):
    return Document(io.BytesIO(render_annual_docx_bytes(report)))


def test_the_plan_has_the_official_order(report) -> None:
    plan = plan_annual(report)
    assert plan.title_lines == ("杭州市司法局", "2025年法治政府建设年度报告")
    assert plan.byline == () and plan.signature == "杭州市司法局"
    assert plan.date_text == "2026年2月20日"
    first, second = plan.body[:2]
    assert (first.style, first.text) == ("flush", "中共杭州市委、杭州市人民政府：")
    assert second.text == report.texts.opening
    assert [p.text for p in plan.body if p.style == "heading1"] == list(HEADINGS)
    assert plan.attachments == ("2025年度工作任务完成情况表",)
    table = plan.appendices[0].table
    assert [c.header for c in table.columns] == ["序号", "工作任务", "完成时限", "职责", "完成情况"]
    assert abs(sum(c.width for c in table.columns) - 442.2) < 0.01  # the type-area width
    assert [r[4] for r in table.rows] == ["已完成", "推进中", "逾期未完成", "逾期完成", "推进中",
                                          "未开始"]
    assert table.rows[0][2] == "6月30日" and table.rows[1][2] == "—"


def test_an_empty_part_is_left_out_and_the_numbers_close_up(report) -> None:
    plan = plan_annual(replace(report, texts=replace(report.texts, leadership="")))
    assert [p.text for p in plan.body if p.style == "heading1"] == [
        "一、主要举措和成效", "二、存在的不足和原因", "三、下一年度工作安排"]
    bare = plan_annual(replace(report, texts=AnnualTexts(), addressee=""))
    assert [p.text for p in bare.body] == ["现将杭州市司法局2025年度法治政府建设情况报告如下。"]


def test_a_short_title_stays_on_one_line_and_the_clerks_breaks_are_kept(report) -> None:
    short = replace(report, institution="某县")
    assert plan_annual(short).title_lines == ("某县2025年法治政府建设年度报告",)
    own = replace(report, title="杭州市司法局关于\n2025年度法治政府建设情况的报告")
    assert plan_annual(own).title_lines == ("杭州市司法局关于", "2025年度法治政府建设情况的报告")
    assert plan_annual(replace(report, with_task_table=False)).appendices == ()


def test_the_completion_cell_is_the_units_own_state() -> None:
    assert task_state(sample_task("甲", late=True)) == "逾期完成"
    assert task_state(sample_task("甲", "逾期")) == "逾期未完成"
    assert task_state(sample_task("甲", "临期")) == "未开始"
    assert task_state(sample_task("甲", "临期", notes=((date(2025, 3, 1), "起草", False),))) == \
        "推进中"


@needs_poppler
def test_the_pdf_reads_as_the_report(pdf: Path, report) -> None:
    text = squash(pdftotext(pdf))
    order = ["杭州市司法局2025年法治政府建设年度报告", "中共杭州市委、杭州市人民政府：",
             squash(report.texts.opening)[:30], *HEADINGS, "附件：2025年度工作任务完成情况表",
             "杭州市司法局2026年2月20日", "附件", "2025年度工作任务完成情况表", "序号工作任务"]
    at = 0
    for part in order:  # each after the one before
        found = text.find(part, at)
        assert found >= 0, part
        at = found + len(part)
    assert "【" not in text and "None" not in text


@needs_poppler
def test_the_pdf_page_fonts_and_page_numbers(pdf: Path) -> None:
    width, height = page_size(pdf)
    assert (round(width, 1), round(height, 1)) == (595.3, 841.9)
    assert all(f.embedded for f in pdffonts(pdf))
    pages = page_count(pdf)
    assert pages >= 3
    found = words(pdf)
    type_bottom = (37 + 225) * MM
    for page in range(1, pages + 1):
        number = [w for w in found if w.page == page and w.text == str(page) and w.y0 > type_bottom]
        assert number, page
    body = [w for w in found if w.y0 < type_bottom - 2]
    assert abs(min(w.x0 for w in body) - 28 * MM) < 1.5  # 主送机关 flush with the type area
    assert max(w.x1 for w in body) <= (28 + 156) * MM + 1.0
    heading = next(w for w in found if w.text.startswith("一、主要举措"))
    assert abs(heading.x0 - (28 * MM + 32)) < 2  # two characters in


def test_the_pdf_in_memory_is_the_same_document(report) -> None:
    assert render_annual_bytes(report).startswith(b"%PDF")


def test_the_word_page_set_up_follows_gbt_9704(document) -> None:
    s = document.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)
    for margin, mm in ((s.top_margin, 37), (s.bottom_margin, 35), (s.left_margin, 28),
                       (s.right_margin, 26)):
        assert abs(margin - Mm(mm)) < Mm(0.1)
    assert s._sectPr.find(qn("w:docGrid")).get(qn("w:type")) == "linesAndChars"
    for footer in (s.footer, s.even_page_footer):
        instr = "".join(t.text for t in footer.paragraphs[0]._p.iter(qn("w:instrText")))
        assert "PAGE" in instr and footer.paragraphs[0].text.startswith("— ")


def test_the_word_text_has_headings_as_styles_and_the_table(document, report) -> None:
    paras = [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]
    assert paras[0] == ("Title", "杭州市司法局\n2025年法治政府建设年度报告")
    assert paras[1] == ("Normal", "中共杭州市委、杭州市人民政府：")
    flush = document.paragraphs[2]._p.pPr.find(qn("w:ind"))
    assert flush.get(qn("w:firstLineChars")) == "0"  # no indent for the 主送机关
    assert [t for s, t in paras if s == "Heading 1"] == list(HEADINGS)
    runs = {r.text: r.style.name for p in document.paragraphs for r in p.runs if r.text}
    assert runs["（一）健全依法决策机制。"] == "二级标题字符"
    assert ("落款", "杭州市司法局") in paras and ("落款", "2026年2月20日") in paras
    labels = [p for p in document.paragraphs if p.style.name == "附件标识" and p.text]
    assert [p.text for p in labels] == ["附件"] and labels[0].paragraph_format.page_break_before
    (table,) = document.tables
    assert len(table.rows) == 1 + len(report.tasks)
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作任务", "完成时限", "职责",
                                                      "完成情况"]


def test_the_debrief_renders_as_before(tmp_path: Path) -> None:
    """The renderers now take any plan; a debrief has no 'flush' paragraph and keeps its
    indents (the debrief's own tests check the rest of its look)."""
    from duty_tracker.core.reports.debrief_docx import render_debrief_docx_bytes
    from duty_tracker.core.reports.samples import sample_debrief

    doc = Document(io.BytesIO(render_debrief_docx_bytes(sample_debrief())))
    assert not any(p._p.pPr is not None and p._p.pPr.find(qn("w:ind")) is not None
                   and p.style.name == "Normal" and p.text.endswith("：") for p in doc.paragraphs)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_opens_the_word_file(tmp_path: Path, report) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    src = render_annual_docx(report, tmp_path / "a.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "a.pdf") as pdf:
        assert len(pdf.pages) >= 3
        assert all(round(p.width) == 595 and round(p.height) == 842 for p in pdf.pages)
        text = "".join(c["text"] for p in pdf.pages for c in p.chars)
    assert "主要举措和成效" in text and "2026年2月20日" in text and "工作任务完成情况表" in text
