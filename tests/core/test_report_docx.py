"""The debrief as a Word file: page set-up, fonts, styles, footers, the same text and tables as
the PDF — read back with python-docx, and once through LibreOffice as Word's stand-in."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from duty_tracker.core.reports import docx_setup
from duty_tracker.core.reports.debrief_builder import fill_with_draft
from duty_tracker.core.reports.debrief_document import plan_debrief
from duty_tracker.core.reports.debrief_docx import render_debrief_docx, render_debrief_docx_bytes
from duty_tracker.core.reports.debrief_model import NarrativeSections
from duty_tracker.core.reports.errors import ReportWriteError
from duty_tracker.core.reports.samples import sample_debrief

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def report():
    narrative = NarrativeSections(study="（一）带头学法。主持学法3次。\n1.中心组学法。学了宪法。\n第三段。")
    return fill_with_draft(sample_debrief("孙喆", narrative=narrative))


@pytest.fixture(scope="module")
def document(report):
    return Document(io.BytesIO(render_debrief_docx_bytes(report)))


def test_page_set_up_follows_gbt_9704(document) -> None:
    assert len(document.sections) == 1
    s = document.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)
    for margin, mm in ((s.top_margin, 37), (s.bottom_margin, 35), (s.left_margin, 28),
                       (s.right_margin, 26)):
        assert abs(margin - Mm(mm)) < Mm(0.1)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch"))) / 20  # points
    assert abs(225 / 25.4 * 72 / line_pitch - 22) < 0.05  # 22 lines of the type area
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert abs(156 / 25.4 * 72 / char_pitch - 28) < 0.05  # 28 characters of 3号


def test_fonts_are_named_for_east_asian_text_with_fallbacks(document) -> None:
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.get(qn("w:asciiTheme")) is None  # no theme face overriding it
    faces = {name: document.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
             for name in ("Heading 1", "Heading 2", "Heading 3", "Title", "页码")}
    assert faces == {"Heading 1": "黑体", "Heading 2": "楷体_GB2312", "Heading 3": "仿宋_GB2312",
                     "Title": "方正小标宋简体", "页码": "宋体"}
    assert document.styles["Heading 3"].font.bold is True
    assert not document.styles["Heading 1"].font.bold
    table = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable")
    xml = table.blob.decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体"),
                      ("仿宋", "FangSong")):
        assert re.search(rf'w:name="{name}"><w:altName w:val="{alt}"/>', xml), name
    assert 'w:charset w:val="86"' in xml  # GB2312


def test_sizes_line_spacing_and_28_characters_a_line(document) -> None:
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16 and document.styles["Title"].font.size.pt == 22
    assert abs(normal.paragraph_format.line_spacing.pt - 225 / 22 / 25.4 * 72) < 0.1
    condensed = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + condensed) <= 156 / 25.4 * 72 < 29 * (16 + condensed)
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"  # 首行缩进两字


def test_footers_number_odd_pages_right_and_even_pages_left(document) -> None:
    assert document.settings.odd_and_even_pages_header_footer
    s = document.sections[0]
    for footer, side in ((s.footer, "right"), (s.even_page_footer, "left")):
        para = footer.paragraphs[0]
        xml = para._p.xml
        assert "PAGE" in "".join(t.text for t in para._p.iter(qn("w:instrText")))
        assert xml.count('w:fldCharType="begin"') == 1 and 'w:fldCharType="end"' in xml
        assert para.text.startswith("— ") and para.text.endswith(" —")
        assert para.alignment.name.lower() == side
        inset = para.paragraph_format.right_indent if side == "right" else \
            para.paragraph_format.left_indent
        assert abs(inset.pt - 14) < 0.1  # one character of 4号 in
        assert para.style.name == "页码"


def test_the_text_is_the_pdf_text_with_headings_as_styles(document, report) -> None:
    plan = plan_debrief(report)
    paras = [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]
    assert paras[0] == ("Title", "\n".join(plan.title_lines))  # broken where the PDF breaks
    assert paras[1] == ("署名", "中共杭州市西湖区委书记\u3000孙喆")
    assert [t for s, t in paras if s == "Heading 1"] == [
        p.text for p in plan.body if p.style == "heading1"]
    body = [t for s, t in paras if s == "Normal"]
    for p in plan.body:
        if p.style == "body":
            assert p.text in body
    runs = {r.text: r.style.name for p in document.paragraphs for r in p.runs if r.text}
    assert runs["（一）带头学法。"] == "二级标题字符" and runs["1.中心组学法。"] == "三级标题字符"
    assert ("落款", "孙喆") in paras and ("落款", "2026年1月10日") in paras
    assert "附件：1．2025年度法定履职事项完成情况统计表" in [t for _s, t in paras]


def test_signature_is_kept_with_the_last_lines(document) -> None:
    paras = list(document.paragraphs)
    date_at = next(i for i, p in enumerate(paras) if p.text == "2026年1月10日")
    kept = paras[date_at - 7:date_at]  # the last body lines, 附件说明, blanks, the name
    assert all(p.paragraph_format.keep_with_next for p in kept)


def test_appendices_start_new_pages_with_their_tables(document, report) -> None:
    labels = [p for p in document.paragraphs if p.style.name == "附件标识" and p.text]
    assert [p.text for p in labels] == ["附件1", "附件2", "附件3"]
    assert all(p.paragraph_format.page_break_before for p in labels)
    stats, records, evidence = document.tables
    assert [c.text for c in stats.rows[0].cells] == ["条款", "履职事项", "考核期间", "应完成",
                                                      "已完成", "完成情况"]
    assert len(records.rows) == 1 + report.record_count
    assert len(evidence.rows) == 1 + len(report.attachments)
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header.find(qn("w:tblHeader")) is not None  # repeated on every page
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(widths) / 20 - 156 / 25.4 * 72) < 1  # the type-area width
    # a duty over four quarters: its cells merged down, not repeated
    rows = [[c.text for c in r.cells] for r in stats.rows]
    quarters = [r for r in rows if r[2].startswith("第") and "季度" in r[2]]
    assert len(quarters) == 4 and len({r[1] for r in quarters}) == 1


def test_properties_are_in_schema_order(report) -> None:
    """Word calls a file damaged when w:pPr / w:rPr children are out of order."""
    data = render_debrief_docx_bytes(report)
    order = {t: i for i, t in enumerate(docx_setup._ORDER["pPr"])}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
            xml = z.read(name).decode("utf-8")
            for ppr in re.findall(r"<w:pPr>(.*?)</w:pPr>", xml):
                tags = [t for t in re.findall(r"<w:(\w+)", ppr) if t in order]
                top = [t for t in tags if t != "rPr"]
                assert top == sorted(top, key=order.__getitem__) or "rPr" in tags, (name, tags)


def test_odd_user_text_and_a_locked_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    weird = sample_debrief(name="王\x07𠀾", narrative=NarrativeSections(
        study="控制字符\x0b和\ud83d孤立代理、<b>标记</b> & 符号"))
    out = render_debrief_docx(weird, tmp_path / "w.docx")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "王𠀾" in text and "<b>标记</b> & 符号" in text

    import os

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ReportWriteError, match="可能已在其他程序中打开"):
        render_debrief_docx(weird, out)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_opens_it_and_lays_it_out_as_the_pdf(tmp_path: Path, report) -> None:
    """LibreOffice stands in for Word and WPS: the file converts, the pages are A4 and the
    text comes back, in 28-character lines."""
    pdfplumber = pytest.importorskip("pdfplumber")
    src = render_debrief_docx(report, tmp_path / "r.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "r.pdf") as pdf:
        assert len(pdf.pages) >= 4
        assert all(round(p.width) == 595 and round(p.height) == 842 for p in pdf.pages)
        text = "".join(c["text"] for p in pdf.pages for c in p.chars)
        lines: dict[int, int] = {}
        for c in pdf.pages[0].chars:
            if abs(c["size"] - 16) < 0.2:
                lines[round(c["top"])] = lines.get(round(c["top"]), 0) + 1
    assert "述职述法报告" in text and "附件1" in text and "2026年1月10日" in text
    assert max(lines.values()) in (28, 29, 30)  # digits are half as wide
