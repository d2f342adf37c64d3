"""The year-end debrief PDF of one leader, laid out as a 党政机关公文 (GB/T 9704-2012).

What goes where is decided once in ``debrief_document`` (shared with the Word file); this
module draws those blocks with reportlab. Every piece of user text goes through
:meth:`FontSet.markup` (escape + per-character font fallback) before it reaches a Paragraph;
text of 3号 size is set on the 28-character grid (``gbt9704.GRID_SCALE``).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.debrief_document import (
    HEADING_STYLES,
    Appendix,
    DebriefDocument,
    Para,
    TableSpec,
    plan_debrief,
)
from duty_tracker.core.reports.debrief_model import DebriefReport
from duty_tracker.core.reports.fastflow import Paragraph, Table
from duty_tracker.core.reports.fonts import FontRole, FontSet, get_font_set
from duty_tracker.core.reports.layout import (
    BalancedTitle,
    KeepWithLastLines,
    Signature,
    grid_style,
    make_doc,
)
from duty_tracker.core.reports.pdfwrite import write_atomically
from duty_tracker.core.reports.rltuning import tune_reportlab

_FACES = {"fang": FontRole.FANGSONG, "kai": FontRole.KAITI, "hei": FontRole.HEITI,
          "bold": FontRole.FANGSONG}


def render_debrief_pdf(report: DebriefReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` as a PDF to ``path`` (atomically) and return the path.

    Raises :class:`~duty_tracker.core.reports.errors.ReportWriteError` (Chinese message) when
    the file cannot be written, e.g. because it is open in a PDF viewer.
    """
    return render_plan_pdf(plan_debrief(report), path)


def render_debrief_bytes(report: DebriefReport) -> bytes:
    """The PDF in memory (for the window's preview and for tests)."""
    return render_plan_bytes(plan_debrief(report))


def render_plan_pdf(plan: DebriefDocument, path: str | os.PathLike[str]) -> Path:
    """Write a laid-out document (a debrief's, or another report planned in the same blocks,
    such as the unit's annual report) as a PDF, atomically."""
    fonts = get_font_set()
    story = build_debrief_story(plan, fonts)
    return write_atomically(path, lambda fh: _build(fh, story, plan, fonts))


def render_plan_bytes(plan: DebriefDocument) -> bytes:
    """A laid-out document's PDF in memory."""
    fonts = get_font_set()
    buf = io.BytesIO()
    _build(buf, build_debrief_story(plan, fonts), plan, fonts)
    return buf.getvalue()


def _build(out: BinaryIO, story: list[Flowable], plan: DebriefDocument, fonts: FontSet) -> None:
    tune_reportlab()  # after the story: font variants are registered while it is built
    doc = make_doc(out, fonts, title=plan.title, author=plan.author)
    doc.build(story)


# --------------------------------------------------------------------------------- story
def build_debrief_story(plan: DebriefDocument, fonts: FontSet) -> list[Flowable]:
    """The flowables of the debrief, in document order."""
    st = g.styles_for(fonts)
    story: list[Flowable] = [_title(plan.title_lines, plan.title, fonts),
                             Spacer(1, g.BODY_LEADING * 0.5)]
    story += [Paragraph(_markup(line, "kai", fonts), st.byline) for line in plan.byline]
    story.append(Spacer(1, g.BODY_LEADING * 0.5))
    # 署名 and 成文日期 stay with the last two lines of the text: the last two paragraphs go
    # into one KeepWithLastLines (a heading among them is never left at a page's foot).
    keep = min(2, len(plan.body))
    while keep < len(plan.body) and plan.body[-keep - 1].style in HEADING_STYLES:
        keep += 1  # the headings just before them go along
    story.extend(_flowable(p, fonts) for p in plan.body[:len(plan.body) - keep])
    tail: list[Flowable] = []
    if plan.attachments:
        tail += [Spacer(1, g.BODY_LEADING), *attachment_note(plan.attachments, fonts)]
    tail += [Spacer(1, g.BODY_LEADING),
             Signature(_markup(plan.signature, "fang", fonts),
                       _markup(plan.date_text, "fang", fonts), st.closing)]
    story.append(KeepWithLastLines([_paragraph(p, fonts) for p in plan.body[-keep:]], tail))
    for appendix in plan.appendices:
        story += _appendix(appendix, fonts)
    return story


def _markup(text: str, face: str, fonts: FontSet, *, grid: bool = True) -> str:
    return fonts.markup(text, _FACES[face], scale=g.GRID_SCALE if grid else None,
                        bold=face == "bold")


def _flowable(para: Para, fonts: FontSet) -> Flowable:
    """A paragraph; a heading that never ends a page: with less than HEADING_KEEP left (the
    heading and three lines of what follows), it moves on."""
    paragraph = _paragraph(para, fonts)
    if para.style not in HEADING_STYLES:
        return paragraph
    return KeepTogether([CondPageBreak(g.HEADING_KEEP), paragraph])


def _paragraph(para: Para, fonts: FontSet) -> Paragraph:
    """The Paragraph of a block: run-in headings in their own face; a heading marked so that
    KeepWithLastLines does not leave it at the foot of a page."""
    st = g.styles_for(fonts)
    if para.style in HEADING_STYLES:
        style = {"heading1": st.heading1, "heading2": st.heading2,
                 "heading3": st.heading3}[para.style]
        text = "".join(_markup(r.text, r.face, fonts) for r in para.runs)
        heading = Paragraph(text, style)
        heading.keep_with_next = True
        return heading
    pieces = []
    for run in para.runs:
        inner = _markup(run.text, run.face, fonts)
        if run.face != "fang":
            name = fonts.font_name(_FACES[run.face], scale=g.GRID_SCALE, bold=run.face == "bold")
            inner = f'<font face="{name}">{inner}</font>'
        pieces.append(inner)
    if para.style == "flush":  # 主送机关: flush left, no indent
        return Paragraph("".join(pieces), ParagraphStyle("gbt-flush", parent=st.body,
                                                         firstLineIndent=0))
    return Paragraph("".join(pieces), st.body)


def _title(lines: tuple[str, ...], whole: str, fonts: FontSet) -> Flowable:
    role = FontRole.XIAOBIAOSONG
    st = g.styles_for(fonts)
    return BalancedTitle([fonts.markup(ln, role) for ln in lines], st.title,
                         whole=fonts.markup(whole, role))


def attachment_note(titles: tuple[str, ...], fonts: FontSet) -> list[Flowable]:
    """附件说明 (GB/T 9704 §7.3.4): "附件：" two characters in; several appendices numbered
    "1．" "2．" with the numbers aligned; a wrapped name aligns with its first character."""
    st = g.styles_for(fonts)
    font = st.body.fontName
    label = "附件："
    label_w = stringWidth(label, font, g.BODY_SIZE)
    out: list[Flowable] = []
    for i, title in enumerate(titles, 1):
        number = f"{i}．" if len(titles) > 1 else ""
        left = g.INDENT + label_w + stringWidth(number, font, g.BODY_SIZE)
        start = g.INDENT if i == 1 else g.INDENT + label_w
        style = ParagraphStyle(f"gbt-att-{i}", parent=st.body, alignment=0, leftIndent=left,
                               firstLineIndent=start - left)
        text = (label if i == 1 else "") + number + title
        out.append(Paragraph(_markup(text, "fang", fonts), style))
    return out


# ------------------------------------------------------------------------------- appendices
def _appendix(appendix: Appendix, fonts: FontSet) -> list[Flowable]:
    """A new page; "附件N" in 黑体 flush left on the first line; the title centred on the
    third; the intro, the table and its note."""
    st = g.styles_for(fonts)
    label_style = ParagraphStyle("gbt-att-label", parent=st.heading1, firstLineIndent=0)
    out: list[Flowable] = [
        PageBreak(),
        Paragraph(_markup(appendix.label, "hei", fonts), label_style),
        Spacer(1, g.BODY_LEADING),
        _title((appendix.title,), appendix.title, fonts),
        Spacer(1, g.BODY_LEADING * 0.5),
    ]
    if appendix.intro:
        out.append(Paragraph(_markup(appendix.intro, "fang", fonts), st.body))
        out.append(Spacer(1, 4))
    out.append(spec_table(appendix.table, fonts))
    if appendix.note:
        out += [Spacer(1, 6), Paragraph(fonts.markup(appendix.note, FontRole.KAITI),
                                        st.small_note)]
    return out


def _cell(text: str, role: FontRole, style: Any, width: float, fonts: FontSet) -> Any:
    """A plain string when it fits on one line in the role's own font (fast, and the table
    style sets font, size and alignment); otherwise a wrapping Paragraph with fallback."""
    if ("\n" not in text and fonts.covers(role, text) and text.isprintable()
            and stringWidth(text, fonts.font_name(role), style.fontSize) <= width - 7):
        return text
    return Paragraph(fonts.markup(text, role, newlines="br"), style)


def spec_table(spec: TableSpec, fonts: FontSet) -> Table:
    """A ruled table with its header repeated on every page; merged cells span down."""
    st = g.styles_for(fonts)
    fang, hei = FontRole.FANGSONG, FontRole.HEITI
    widths = [c.width for c in spec.columns]
    styles = [st.table_cell if c.align == "left" else st.table_cell_center for c in spec.columns]
    data: list[list[Any]] = [[_cell(c.header, hei, st.table_head, c.width, fonts)
                              for c in spec.columns]]
    for row in spec.rows:
        data.append([_cell(text, fang, styles[i], widths[i], fonts) if text else ""
                     for i, text in enumerate(row)])
    extra: list[tuple[Any, ...]] = [("SPAN", (col, first + 1), (col, last + 1))
                                    for col, first, last in spec.merges]
    extra += [("ALIGN", (i, 1), (i, -1), "LEFT") for i, c in enumerate(spec.columns)
              if c.align == "left"]
    return Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                 style=grid_style(fonts.font_name(fang), extra, head_font=fonts.font_name(hei)))
