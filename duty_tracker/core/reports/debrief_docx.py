"""The debrief as an editable Word file (.docx): the same blocks as the PDF
(``debrief_document``), on a page set up by ``docx_setup``.

Clerks edit the report in Word or WPS before it is signed, so the file uses what those
programs expect: named styles for the headings and the body, the document grid instead of
hand-made spacing, a PAGE field for the page numbers, real tables with a repeated header row
and merged cells, and "keep with next" to hold the signature to the last lines of the text.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.debrief_document import (
    Appendix,
    DebriefDocument,
    Para,
    TableSpec,
    plan_debrief,
)
from duty_tracker.core.reports.debrief_model import DebriefReport
from duty_tracker.core.reports.docx_setup import (
    add_page_number_footers,
    fix_element_order,
    set_up_page,
    set_up_styles,
)
from duty_tracker.core.reports.fonts import normalise_text
from duty_tracker.core.reports.pdfwrite import write_atomically

_HEADING_STYLES = {"heading1": "Heading 1", "heading2": "Heading 2", "heading3": "Heading 3"}
_RUN_STYLES = {"kai": "二级标题字符", "bold": "三级标题字符"}


def render_debrief_docx(report: DebriefReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` as a .docx to ``path`` (atomically) and return the path; a file
    open in Word gives :class:`~duty_tracker.core.reports.errors.ReportWriteError`."""
    return render_plan_docx(plan_debrief(report), path)


def render_debrief_docx_bytes(report: DebriefReport) -> bytes:
    """The .docx in memory (tests, a preview)."""
    return render_plan_docx_bytes(plan_debrief(report))


def render_plan_docx(plan: DebriefDocument, path: str | os.PathLike[str]) -> Path:
    """Write a laid-out document (a debrief's, or another report planned in the same blocks,
    such as the unit's annual report) as a .docx, atomically."""
    document = build_debrief_docx(plan)
    return write_atomically(path, document.save)


def render_plan_docx_bytes(plan: DebriefDocument) -> bytes:
    """A laid-out document's .docx in memory."""
    buf = io.BytesIO()
    build_debrief_docx(plan).save(buf)
    return buf.getvalue()


def _clean(text: str) -> str:
    """Text Word accepts: no control characters or lone surrogates (XML 1.0 forbids them)."""
    return normalise_text(text)


def build_debrief_docx(plan: DebriefDocument) -> DocxDocument:
    """The python-docx document of a laid-out debrief (not yet saved)."""
    document = Document()
    set_up_page(document)
    set_up_styles(document)
    add_page_number_footers(document)
    core = document.core_properties
    core.title, core.author, core.comments = _clean(plan.title), _clean(plan.author), ""
    body = document._body
    for p in list(body._element):  # the template's empty paragraph
        if p.tag == qn("w:p"):
            body._element.remove(p)
    title = document.add_paragraph(style="Title")
    for i, line in enumerate(plan.title_lines):
        run = title.add_run(_clean(line))
        if i < len(plan.title_lines) - 1:
            run.add_break()
    for line in plan.byline:
        document.add_paragraph(_clean(line), style="署名")
    document.add_paragraph(style="署名")  # a blank line before the text
    paragraphs = [_paragraph(document, p) for p in plan.body]
    _closing(document, plan, paragraphs)
    for appendix in plan.appendices:
        _appendix(document, appendix)
    fix_element_order(document.styles.element)
    fix_element_order(document.element.body)
    for footer in (document.sections[0].footer, document.sections[0].even_page_footer):
        fix_element_order(footer._element)
    return document


def _paragraph(document: DocxDocument, para: Para) -> Any:
    style = _HEADING_STYLES.get(para.style)
    if style is not None:
        return document.add_paragraph(_clean(para.text), style=style)
    out = document.add_paragraph()
    for run in para.runs:
        out.add_run(_clean(run.text), style=_RUN_STYLES.get(run.face))
    if para.style == "flush":  # 主送机关: flush left, no indent
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")
        out._p.get_or_add_pPr().append(ind)
    return out


def _chars(text: str) -> float:
    """Width in characters of the grid: half for Latin letters and digits."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _closing(document: DocxDocument, plan: DebriefDocument, body: list[Any]) -> None:
    """附件说明, a blank line, 署名 and 成文日期 — held to the last lines of the text."""
    keep = [*body[-2:]]
    if plan.attachments:
        keep.append(document.add_paragraph())
        label = "附件："
        numbered = len(plan.attachments) > 1
        for i, name in enumerate(plan.attachments, 1):
            number = f"{i}．" if numbered else ""
            text = (label if i == 1 else "") + number + _clean(name)
            para = document.add_paragraph(text)
            left = 2 + _chars(label) + _chars(number)
            start = 2 if i == 1 else 2 + _chars(label)
            _indent(para, left=left, hanging=left - start)
            keep.append(para)
    keep.append(document.add_paragraph())
    name_w, date_w, width = _chars(plan.signature), _chars(plan.date_text), g.CHARS_PER_LINE
    name_x = width - 2 - name_w
    date_x = name_x + 2
    if date_x + date_w > width - 2:
        date_x = width - 2 - date_w
        name_x = date_x - 2
    for text, x, w in ((plan.signature, name_x, name_w), (plan.date_text, date_x, date_w)):
        para = document.add_paragraph(_clean(text), style="落款")
        _indent(para, right=max(0.0, width - x - w))
        keep.append(para)
    for para in keep[:-1]:
        para.paragraph_format.keep_with_next = True


def _indent(para: Any, *, left: float = 0.0, hanging: float = 0.0, right: float = 0.0) -> None:
    """Indents in characters of the grid (Word's ``leftChars`` etc. are hundredths)."""
    ppr = para._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    pitch = g.CHAR_PITCH * 20
    for attr, chars in (("left", left), ("hanging", hanging), ("right", right)):
        if chars:
            ind.set(qn(f"w:{attr}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{attr}"), str(round(chars * pitch)))
    if hanging:
        ind.set(qn("w:firstLineChars"), "0")


def _appendix(document: DocxDocument, appendix: Appendix) -> None:
    """A new page; "附件N" in 黑体 flush left; the title on the third line; the table."""
    label = document.add_paragraph(appendix.label, style="附件标识")
    label.paragraph_format.page_break_before = True
    document.add_paragraph(style="附件标识")
    document.add_paragraph(_clean(appendix.title), style="Title")
    if appendix.intro:
        document.add_paragraph(_clean(appendix.intro))
    _table(document, appendix.table)
    if appendix.note:
        document.add_paragraph(_clean(appendix.note), style="表注")


def _table(document: DocxDocument, spec: TableSpec) -> None:
    table = document.add_table(rows=1 + len(spec.rows), cols=len(spec.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table)
    widths = [Pt(c.width) for c in spec.columns]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the table grid; cell widths alone do not move the columns
    header = table.rows[0]
    _repeat_header(header)
    for cell, column, width in zip(header.cells, spec.columns, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].style = document.styles["表头"]
        cell.paragraphs[0].add_run(column.header)
    for r, values in enumerate(spec.rows, 1):
        row = table.rows[r]
        _cant_split(row)
        for cell, column, width, text in zip(row.cells, spec.columns, widths, values,
                                             strict=True):
            cell.width = width
            para = cell.paragraphs[0]
            para.style = document.styles["表格文字"]
            if column.align == "left":
                para.alignment = WD_ALIGN_PARAGRAPH.LEFT
            if text:
                para.add_run(_clean(text))
    for col, first, last in spec.merges:
        top = table.cell(first + 1, col)
        top.merge(table.cell(last + 1, col))
        while len(top.paragraphs) > 1:  # merging joins the (empty) paragraphs of the cells
            top._tc.remove(top.paragraphs[-1]._p)


def _fixed_layout(table: Any) -> None:
    """Fixed column widths, and cell margins of 3 pt as in the PDF (Word's default 5.4 pt
    would wrap "应完成" and "10月14日")."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "60")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
