"""The unit summary table: every leader × duty of a year on landscape A4.

Party heads, government heads and other heads are listed in separate tables, each with only
the duties that bind them — no columns of dashes. Unit and post stand in their own columns.
A cell reads "已完成/应完成", with the status when it is not 达标 and, below, what was missed
("下半年0/1", "缺法院"): a yearly total never hides a missed half-year. When a group has more
duties than fit across the page, its duties are split into several tables (续表) that repeat
the leader columns. Every table repeats its header row on each page. 填报单位, 填报人 and 填报
日期 head the sheet, as on any form sent upwards.
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
from duty_tracker.core.reports.debrief_model import (
    SummaryCell,
    SummaryRow,
    UnitSummary,
    chinese_date,
)
from duty_tracker.core.reports.fonts import FontRole, FontSet, get_font_set
from duty_tracker.core.reports.layout import BalancedTitle, chinese_number, grid_style, make_doc
from duty_tracker.core.reports.pdfwrite import write_atomically

CELL_SIZE = 10.5  # 5号: a dense grid read at arm's length
CELL_LEADING = 12.5
NOTE_SIZE = 9.0
FIXED_COLUMNS = (28.0, 58.0, 76.0, 56.0)  # 序号, 姓名, 单位, 职务
TOTAL_COLUMN = 40.0  # 达标事项
MIN_DUTY_COLUMN = 50.0
NO_LEADERS = "本年度没有需要汇总的主要负责人。"
NO_DUTIES = "本年度没有适用的法定履职事项。"
BLANK = "　" * 6  # a space to sign in

#: The groups of the sheet: whom a duty column must bind to be shown for the group.
GROUPS = (("party", "党委主要负责人", ("party", "all")),
          ("government", "政府主要负责人", ("government", "all")),
          ("other", "其他主要负责人", ("all",)))

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
                               fontSize=10.5, leading=15, alignment=TA_LEFT),
        "form": ParagraphStyle("sum-form", parent=base, fontSize=12, leading=18,
                               alignment=TA_LEFT),
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
    fang, kai = FontRole.FANGSONG, FontRole.KAITI
    filled_by = summary.filled_by.strip() or BLANK
    story: list[Flowable] = [
        _title(summary, fonts),
        Spacer(1, 8),
        Paragraph(m(f"填报单位（盖章）：{summary.effective_filled_by_unit}　　　填报人：{filled_by}"
                    f"　　　填报日期：{chinese_date(summary.effective_report_date)}", fang),
                  ss["form"]),
        Spacer(1, 4),
    ]
    if not summary.rows:
        story.append(Paragraph(m(NO_LEADERS, fang), st.body))
        return story
    if not summary.duties:
        story.append(Paragraph(m(NO_DUTIES, fang), st.body))
        return story
    number = 0
    for role, label, binds in GROUPS:
        rows = [r for r in summary.rows if (r.role or "other") == role]
        columns = [j for j, d in enumerate(summary.duties) if d.role in binds]
        if not rows:
            continue
        number += 1
        story += _group(summary, rows, columns, f"{chinese_number(number)}、{label}（{len(rows)}名）",
                        fonts, ss)
    story.append(Paragraph(m(
        "说明：单元格为“已完成次数/应完成次数”，未达标、预警、进行中的注明状态，下一行为未完成的"
        "期间或单位（如“下半年0/1”“缺法院”）；“分别听取”类事项按单位计数；"
        "“不适用”表示任职时间不足该考核期间的一半。", kai), ss["note"]))
    story.append(Paragraph(m(_totals_text(summary), kai), ss["note"]))
    return story


def _group(summary: UnitSummary, rows: list[SummaryRow], columns: list[int], caption: str,
           fonts: FontSet, ss: dict[str, ParagraphStyle]) -> list[Flowable]:
    m = fonts.markup
    out: list[Flowable] = [CondPageBreak(90), Paragraph(m(caption, FontRole.HEITI),
                                                         ss["caption"]), Spacer(1, 3)]
    if not columns:
        out.append(Paragraph(m(NO_DUTIES, FontRole.FANGSONG), ss["form"]))
        return out
    chunks = duty_chunks(len(columns))
    for ci, chunk in enumerate(chunks, 1):
        if len(chunks) > 1:
            out.append(Paragraph(m(f"（续表{ci}/{len(chunks)}）" if ci > 1 else
                                   f"（表{ci}/{len(chunks)}）", FontRole.KAITI), ss["note"]))
        out.append(_chunk_table(summary, rows, [columns[i] for i in chunk], fonts, ss,
                                with_total=ci == len(chunks)))
        out.append(Spacer(1, 8))
    return out


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


def _chunk_table(summary: UnitSummary, rows: list[SummaryRow], columns: list[int],
                 fonts: FontSet, ss: dict[str, ParagraphStyle], *, with_total: bool) -> Table:
    m = fonts.markup
    fang, hei = FontRole.FANGSONG, FontRole.HEITI
    room = g.LANDSCAPE_TYPE_WIDTH - sum(FIXED_COLUMNS) - (TOTAL_COLUMN if with_total else 0)
    duty_w = room / len(columns)
    widths = [*FIXED_COLUMNS, *([duty_w] * len(columns))] + ([TOTAL_COLUMN] if with_total else [])
    head = [Paragraph(m(h, hei), ss["head"]) for h in ("序号", "姓名", "单位", "职务")]
    for j in columns:
        duty = summary.duties[j]
        label = f'<font size="{CELL_SIZE - 1.5}">{m(duty.article_label, hei)}</font>'
        head.append(Paragraph(f"{m(duty.title, hei)}<br/>{label}", ss["head"]))
    if with_total:
        head.append(Paragraph(m("达标事项", hei), ss["head"]))
    data: list[list[Any]] = [head]
    shades: list[tuple[Any, ...]] = []
    cache: dict[SummaryCell | None, Paragraph] = {}
    for r, row in enumerate(rows, 1):
        name = m(row.leader_name, fang)
        if row.terms_note:
            name += f'<br/><font size="{NOTE_SIZE}">{m(row.terms_note, fang)}</font>'
        line: list[Any] = [str(r), Paragraph(name, ss["cell"]),
                           Paragraph(m(row.unit_name or "—", fang), ss["left"]),
                           Paragraph(m(row.position or "—", fang), ss["left"])]
        for col, j in enumerate(columns, len(FIXED_COLUMNS)):
            cell = row.cells[j] if j < len(row.cells) else None
            para = cache.get(cell)
            if para is None:
                para = cache[cell] = Paragraph(_cell_markup(cell, fonts), ss["cell"])
            line.append(para)  # identical cells share one Paragraph (immutable once wrapped)
            if cell is not None and cell.status in _STATUS_SHADE:
                shades.append(("BACKGROUND", (col, r), (col, r), _STATUS_SHADE[cell.status]))
        if with_total:
            done, applicable = row.done_duties()
            line.append(f"{done}/{applicable}")
        data.append(line)
    extra: list[tuple[Any, ...]] = [("FONTSIZE", (0, 1), (0, -1), CELL_SIZE),
                                    ("TOPPADDING", (0, 1), (-1, -1), 2),
                                    ("BOTTOMPADDING", (0, 1), (-1, -1), 3), *shades]
    return Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                 style=grid_style(fonts.font_name(fang), extra, size=CELL_SIZE,
                                  leading=CELL_LEADING))


def _cell_markup(cell: SummaryCell | None, fonts: FontSet) -> str:
    fang = FontRole.FANGSONG
    if cell is None:
        return "—"
    if cell.status == Status.NOT_APPLICABLE:
        return fonts.markup(Status.NOT_APPLICABLE, fang)
    text = f"{cell.done}/{cell.required}"
    if cell.status != Status.DONE:
        text += fonts.markup(f" {cell.status}", fang)
    if cell.misses:
        text += f'<br/><font size="{NOTE_SIZE}">{fonts.markup("、".join(cell.misses), fang)}</font>'
    return text


def _totals_text(summary: UnitSummary) -> str:
    counts = {str(s): 0 for s in Status}
    for row in summary.rows:
        for cell in row.cells:
            if cell is not None:
                counts[cell.status] += 1
    by_role = {role: sum(1 for r in summary.rows if (r.role or "other") == role)
               for role, _label, _binds in GROUPS}
    heads = "、".join(f"{label}{by_role[role]}名" for role, label, _b in GROUPS if by_role[role])
    parts = [f"{s}{counts[s]}项" for s in
             (Status.DONE, Status.IN_PROGRESS, Status.WARNING, Status.FAILED) if counts[s]]
    text = f"合计：{heads}，共{len(summary.rows)}名"
    if parts:
        text += "；各负责人适用事项中" + "、".join(parts)
    missed = sum(1 for r in summary.rows
                 if any(c is not None and c.status == Status.FAILED for c in r.cells))
    if missed:
        text += f"；有未达标事项的负责人{missed}名"
    return text + "。"
