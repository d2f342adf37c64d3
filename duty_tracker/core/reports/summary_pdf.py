"""The unit summary table: every leader × duty of a year on landscape A4.

Rows are leaders, columns duties; a cell shows "已完成/应完成" and the year's status. When a
rule set has more duties than fit across the page, the duties are split into several tables
(表一, 表二 …) that each repeat the leader columns, rather than shrinking the type below what
can be read in print. Every table repeats its header row on each page.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table

from duty_tracker.core.domain import Status
from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.debrief_model import SummaryCell, UnitSummary, chinese_date
from duty_tracker.core.reports.fonts import FontRole, FontSet, get_font_set
from duty_tracker.core.reports.layout import BalancedTitle, chinese_number, grid_style, make_doc
from duty_tracker.core.reports.pdfwrite import write_atomically

CELL_SIZE = 10.5  # 5号: a dense grid read at arm's length
CELL_LEADING = 13.0
FIXED_COLUMNS = (30.0, 50.0, 94.0)  # 序号, 姓名, 单位及职务
TOTAL_COLUMN = 52.0  # 达标事项
MIN_DUTY_COLUMN = 52.0
NO_LEADERS = "本年度没有需要汇总的主要负责人。"
NO_DUTIES = "本年度没有适用的法定履职事项。"

_STATUS_SHADE = {
    Status.FAILED: colors.Color(1.0, 0.86, 0.86),
    Status.WARNING: colors.Color(1.0, 0.95, 0.78),
}


def render_summary_pdf(summary: UnitSummary, path: str | os.PathLike[str]) -> Path:
    """Write the summary table to ``path`` atomically (ReportWriteError on failure)."""
    fonts = get_font_set()
    story = build_summary_story(summary, fonts)
    return write_atomically(path, lambda fh: _build(fh, story, summary, fonts))


def render_summary_bytes(summary: UnitSummary) -> bytes:
    fonts = get_font_set()
    buf = io.BytesIO()
    _build(buf, build_summary_story(summary, fonts), summary, fonts)
    return buf.getvalue()


def _build(out: BinaryIO, story: list[Flowable], summary: UnitSummary, fonts: FontSet) -> None:
    doc = make_doc(out, fonts, title=summary.effective_title, author=summary.unit_name,
                   landscape=True)
    doc.build(story)


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    fang = fonts.font_name(FontRole.FANGSONG)
    base = ParagraphStyle("sum-cell", fontName=fang, fontSize=CELL_SIZE, leading=CELL_LEADING,
                          alignment=TA_CENTER, wordWrap="CJK")
    return {
        "cell": base,
        "left": ParagraphStyle("sum-left", parent=base, alignment=TA_LEFT),
        "head": ParagraphStyle("sum-head", parent=base,
                               fontName=fonts.font_name(FontRole.HEITI)),
        "note": ParagraphStyle("sum-note", parent=base, fontName=fonts.font_name(FontRole.KAITI),
                               fontSize=12, leading=18, alignment=TA_LEFT),
        "caption": ParagraphStyle("sum-caption", parent=base,
                                  fontName=fonts.font_name(FontRole.HEITI), fontSize=12,
                                  leading=18, alignment=TA_LEFT),
    }


def duty_chunks(n_duties: int, width: float = g.LANDSCAPE_TYPE_WIDTH) -> list[range]:
    """Split the duty columns into tables that fit across the page, as evenly as possible."""
    room = width - sum(FIXED_COLUMNS) - TOTAL_COLUMN
    per_table = max(1, int(room // MIN_DUTY_COLUMN))
    if n_duties <= 0:
        return []
    tables = math.ceil(n_duties / per_table)
    size = math.ceil(n_duties / tables)
    return [range(i, min(i + size, n_duties)) for i in range(0, n_duties, size)]


def build_summary_story(summary: UnitSummary, fonts: FontSet) -> list[Flowable]:
    st = g.styles_for(fonts)
    ss = _styles(fonts)
    m = fonts.markup
    fang, hei, kai = FontRole.FANGSONG, FontRole.HEITI, FontRole.KAITI
    story: list[Flowable] = [
        _title(summary, fonts),
        Spacer(1, 6),
        Paragraph(m(
            f"统计截止日期：{chinese_date(summary.effective_report_date)}　　"
            "单元格内为“已完成次数/应完成次数”及全年完成状态；“—”表示该事项不适用于该负责人。",
            kai), ss["note"]),
        Spacer(1, 8),
    ]
    if not summary.rows:
        story.append(Paragraph(m(NO_LEADERS, fang), st.body))
        return story
    if not summary.duties:
        story.append(Paragraph(m(NO_DUTIES, fang), st.body))
        return story
    chunks = duty_chunks(len(summary.duties))
    # Leader cells are the same in every chunk: build their markup once.
    leader_cells = [
        (m(row.leader_name, fang),
         m("".join(x for x in (row.unit_name, row.position) if x) or "—", fang))
        for row in summary.rows
    ]
    for ci, chunk in enumerate(chunks, 1):
        if len(chunks) > 1:
            story.append(CondPageBreak(80))
            story.append(Paragraph(m(
                f"表{chinese_number(ci)}（第{chunk.start + 1}—{chunk.stop}项履职事项）", hei),
                ss["caption"]))
            story.append(Spacer(1, 4))
        story.append(_chunk_table(summary, chunk, leader_cells, fonts, ss,
                                  with_total=ci == len(chunks)))
        story.append(Spacer(1, 12))
    story.append(Paragraph(m(_totals_text(summary), kai), ss["note"]))
    return story


def _title(summary: UnitSummary, fonts: FontSet) -> Flowable:
    """The default title breaks before 履行 (the unit and year on the first line), a custom
    one where the clerk put line breaks; see BalancedTitle."""
    role = FontRole.XIAOBIAOSONG
    if summary.title.strip():
        lines = [ln.strip() for ln in summary.title.splitlines() if ln.strip()]
        whole = "".join(lines)
    else:
        whole = summary.effective_title
        cut = whole.find("履行")
        lines = [whole[:cut], whole[cut:]] if cut > 0 else [whole]
    return BalancedTitle([fonts.markup(ln, role) for ln in lines], g.styles_for(fonts).title,
                         whole=fonts.markup(whole, role))


def _chunk_table(summary: UnitSummary, chunk: range, leader_cells: list[tuple[str, str]],
                 fonts: FontSet, ss: dict[str, ParagraphStyle], *, with_total: bool) -> Table:
    m = fonts.markup
    fang, hei = FontRole.FANGSONG, FontRole.HEITI
    room = g.LANDSCAPE_TYPE_WIDTH - sum(FIXED_COLUMNS) - (TOTAL_COLUMN if with_total else 0)
    duty_w = room / len(chunk)
    widths = [*FIXED_COLUMNS, *([duty_w] * len(chunk))] + ([TOTAL_COLUMN] if with_total else [])
    head = [Paragraph(m(h, hei), ss["head"]) for h in ("序号", "姓名", "单位及职务")]
    for j in chunk:
        duty = summary.duties[j]
        # The article label a little smaller, so that "第十一条（一）" fits on one line.
        label = f'<font size="{CELL_SIZE - 1}">{m(duty.article_label, hei)}</font>'
        head.append(Paragraph(f"{label}<br/>{m(duty.title, fang)}", ss["head"]))
    if with_total:
        head.append(Paragraph(m("达标事项", hei), ss["head"]))
    data: list[list[Any]] = [head]
    shades: list[tuple[Any, ...]] = []
    cell_cache: dict[SummaryCell | None, Paragraph] = {}
    for r, (row, (name, where)) in enumerate(zip(summary.rows, leader_cells, strict=True), 1):
        line: list[Any] = [str(r), Paragraph(name, ss["cell"]), Paragraph(where, ss["left"])]
        for col, j in enumerate(chunk, len(FIXED_COLUMNS)):
            cell = row.cells[j] if j < len(row.cells) else None
            para = cell_cache.get(cell)
            if para is None:
                para = Paragraph(_cell_markup(cell, fonts), ss["cell"])
                cell_cache[cell] = para  # identical cells share one (immutable once wrapped)
            line.append(para)
            if cell is not None and cell.status in _STATUS_SHADE:
                shades.append(("BACKGROUND", (col, r), (col, r), _STATUS_SHADE[cell.status]))
        if with_total:
            done, applicable = row.done_duties()
            line.append(Paragraph(f"{done}/{applicable}", ss["cell"]))
        data.append(line)
    extra: list[tuple[Any, ...]] = [("ALIGN", (0, 1), (0, -1), "CENTER"),
                                    ("FONTSIZE", (0, 1), (0, -1), CELL_SIZE), *shades]
    return Table(data, colWidths=widths, repeatRows=1,
                 style=grid_style(fonts.font_name(fang), extra), hAlign="LEFT")


def _cell_markup(cell: SummaryCell | None, fonts: FontSet) -> str:
    if cell is None:
        return "—"
    if cell.status == Status.NOT_APPLICABLE:
        return fonts.markup(Status.NOT_APPLICABLE, FontRole.FANGSONG)
    return f"{cell.done}/{cell.required}<br/>" + fonts.markup(cell.status, FontRole.FANGSONG)


def _totals_text(summary: UnitSummary) -> str:
    counts = {str(s): 0 for s in Status}
    for row in summary.rows:
        for cell in row.cells:
            if cell is not None:
                counts[cell.status] += 1
    parts = [f"{s}{counts[s]}项" for s in
             (Status.DONE, Status.IN_PROGRESS, Status.WARNING, Status.FAILED) if counts[s]]
    text = f"合计：主要负责人{len(summary.rows)}名，法定履职事项{len(summary.duties)}项"
    if parts:
        text += "；各负责人适用事项中" + "、".join(parts)
    return text + "。"
