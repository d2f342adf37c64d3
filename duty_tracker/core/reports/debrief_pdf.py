"""The year-end debrief PDF of one leader, laid out as a 党政机关公文 (GB/T 9704-2012).

Order of contents (issue 5): title; unit, position and terms; 一、法定履职事项完成情况 (table);
二、履职纪实 (records by article); 三、主要做法和成效; 四、存在的问题和不足; 五、下一步工作打算;
附件目录; the unit's name and the date. A section with nothing in it says so.

Every piece of user text goes through :meth:`FontSet.markup` (escape + per-character font
fallback) before it reaches a Paragraph.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from duty_tracker.core.domain import Status
from duty_tracker.core.reports import gbt9704 as g
from duty_tracker.core.reports.debrief_model import (
    ComplianceRow,
    DebriefReport,
    RecordGroup,
    chinese_date,
)
from duty_tracker.core.reports.fonts import FontRole, FontSet, get_font_set
from duty_tracker.core.reports.layout import (
    BalancedTitle,
    Signature,
    chinese_number,
    grid_style,
    make_doc,
)
from duty_tracker.core.reports.pdfwrite import write_atomically

EMPTY_SECTION = "（本部分暂未填写。）"
NO_DUTIES = "本年度没有适用于本人的法定履职事项。"
NO_RECORDS = "本年度暂无履职纪实记录。"
NO_ATTACHMENTS = "无。"

SECTION_TITLES = (
    "一、法定履职事项完成情况",
    "二、履职纪实",
    "三、主要做法和成效",
    "四、存在的问题和不足",
    "五、下一步工作打算",
)

#: Column widths (pt) of the compliance table; they add up to the type-area width.
COMPLIANCE_COLUMNS = (92.0, 154.2, 64.0, 44.0, 44.0, 44.0)  # 第十四条（二） on one line
COMPLIANCE_HEADER = ("条款", "履职事项", "期间", "应完成", "已完成", "状态")
RECORD_HEADER = ("序号", "日期", "事项", "纪要文号")
DEFAULT_TITLE_BREAK = "第一责任人"

_SUBHEADING = re.compile(r"^\s*[（(][一二三四五六七八九十百]+[）)]")


def render_debrief_pdf(report: DebriefReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` as a PDF to ``path`` (atomically) and return the path.

    Raises :class:`~duty_tracker.core.reports.errors.ReportWriteError` (Chinese message) when
    the file cannot be written, e.g. because it is open in a PDF viewer.
    """
    fonts = get_font_set()
    story = build_debrief_story(report, fonts)
    return write_atomically(path, lambda fh: _build(fh, story, report, fonts))


def render_debrief_bytes(report: DebriefReport) -> bytes:
    """The PDF in memory (for the window's preview and for tests)."""
    fonts = get_font_set()
    buf = io.BytesIO()
    _build(buf, build_debrief_story(report, fonts), report, fonts)
    return buf.getvalue()


def _build(out: BinaryIO, story: list[Flowable], report: DebriefReport, fonts: FontSet) -> None:
    doc = make_doc(out, fonts, title=report.effective_title,
                   author=report.effective_closing_unit)
    doc.build(story)


# --------------------------------------------------------------------------------- story
def build_debrief_story(report: DebriefReport, fonts: FontSet) -> list[Flowable]:
    """The flowables of the debrief, in document order."""
    st = g.styles_for(fonts)
    m = fonts.markup
    fang, hei, kai = FontRole.FANGSONG, FontRole.HEITI, FontRole.KAITI
    story: list[Flowable] = [_title(report, fonts), Spacer(1, g.BODY_LEADING * 0.5)]
    byline = "　".join(x for x in (report.unit_name, report.position, report.leader_name) if x)
    story.append(Paragraph(m(byline, kai), st.byline))
    term_line = report.terms_text
    if report.terms and not (len(report.terms) == 1 and report.terms[0].full_year):
        term_line = f"本年度任职期间：{term_line}"
    story.append(Paragraph(m(f"（{term_line}）", kai), st.byline))
    story.append(Spacer(1, g.BODY_LEADING * 0.5))

    basis = f"根据{report.rule_set_title}规定，" if report.rule_set_title.strip() else ""
    role = f"作为{report.role_label}，" if report.role_label else ""
    story.append(Paragraph(m(
        f"{basis}现将本人{report.year}年度{role}履行推进法治建设第一责任人职责情况报告如下。",
        fang), st.body))

    # 一、法定履职事项完成情况
    story.append(_heading(SECTION_TITLES[0], hei, st.heading1, fonts))
    if report.compliance:
        story.append(Paragraph(m(_compliance_summary(report), fang), st.body))
        story.append(Spacer(1, 4))
        story.append(_compliance_table(report.compliance, fonts))
        story.append(Spacer(1, g.BODY_LEADING * 0.4))
    else:
        story.append(Paragraph(m(NO_DUTIES, fang), st.body))

    # 二、履职纪实
    story.append(_heading(SECTION_TITLES[1], hei, st.heading1, fonts))
    if report.record_count:
        story.append(Paragraph(m(
            f"本年度共记录履职纪实{report.record_count}条，按所依据的条款分列如下。", fang),
            st.body))
        number = 0
        for group in report.record_groups:
            if not group.records:
                continue
            number += 1
            heading = f"（{chinese_number(number)}）{group.heading}"
            story.append(_heading(heading, kai, st.heading2, fonts))
            story.append(_record_table(group, fonts))
            story.append(Spacer(1, g.BODY_LEADING * 0.4))
    else:
        story.append(Paragraph(m(NO_RECORDS, fang), st.body))

    # 三、四、五: the clerk's narrative
    narrative = report.narrative
    for title, text in zip(
        SECTION_TITLES[2:], (narrative.achievements, narrative.problems, narrative.plans),
        strict=True,
    ):
        story.append(_heading(title, hei, st.heading1, fonts))
        story.extend(narrative_paragraphs(text, fonts))

    # 附件目录, then 署名 and 成文日期 kept with the last lines of text (GB/T 9704 does not let
    # the signature stand alone on a page); a short list stays whole with its heading.
    heading = Paragraph(m("附件目录", hei), st.heading1)
    items: list[Flowable] = []
    for i, att in enumerate(report.attachments, 1):
        where = "".join(x for x in (
            chinese_date(att.record_day) if att.record_day else "", att.record_title) if x)
        text = f"{i}．{att.file_name}" + (f"（{where}）" if where else "")
        items.append(Paragraph(m(text, fang), _hanging(st.body)))
    if not items:
        items.append(Paragraph(m(NO_ATTACHMENTS, fang), st.body))
    signature = [
        Spacer(1, g.BODY_LEADING),
        Signature(m(report.effective_closing_unit, fang),
                  m(chinese_date(report.effective_report_date), fang), st.closing),
    ]
    if len(items) <= 2:
        story.append(KeepTogether([heading, *items, *signature]))
    else:
        story.append(KeepTogether([CondPageBreak(g.HEADING_KEEP), heading]))
        story.extend(items[:-1])
        story.append(KeepTogether([items[-1], *signature]))
    return story


def _heading(text: str, role: FontRole, style: Any, fonts: FontSet) -> Flowable:
    """A heading that never ends a page: with less than HEADING_KEEP left, it moves on."""
    return KeepTogether([CondPageBreak(g.HEADING_KEEP), Paragraph(fonts.markup(text, role), style)])


def _title(report: DebriefReport, fonts: FontSet) -> Flowable:
    """The default title breaks before "第一责任人" (a break inside a word such as 法治 is what
    GB/T 9704 forbids); a title the clerk set breaks where they put line breaks."""
    st = g.styles_for(fonts)
    role = FontRole.XIAOBIAOSONG
    if report.title.strip():
        lines = [ln.strip() for ln in report.title.splitlines() if ln.strip()]
        whole = "".join(lines)
    else:
        whole = report.effective_title
        cut = whole.find(DEFAULT_TITLE_BREAK)
        lines = [whole[:cut], whole[cut:]] if cut > 0 else [whole]
    return BalancedTitle([fonts.markup(ln, role) for ln in lines], st.title,
                         whole=fonts.markup(whole, role))


def narrative_paragraphs(text: str, fonts: FontSet) -> list[Flowable]:
    """The clerk's text as 仿宋 paragraphs, one per line; a line opening with （一）… gets its
    first sentence in 楷体, as a second-level heading run into the paragraph (GB/T 9704)."""
    st = g.styles_for(fonts)
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        return [Paragraph(fonts.markup(EMPTY_SECTION, FontRole.FANGSONG), st.body)]
    out: list[Flowable] = []
    for line in lines:
        match = _SUBHEADING.match(line)
        if match:
            stop = line.find("。", match.end())
            head, rest = (line, "") if stop < 0 else (line[: stop + 1], line[stop + 1:])
            kai = fonts.font_name(FontRole.KAITI)
            markup = (f'<font face="{kai}">{fonts.markup(head, FontRole.KAITI)}</font>'
                      + fonts.markup(rest, FontRole.FANGSONG))
        else:
            markup = fonts.markup(line, FontRole.FANGSONG)
        out.append(Paragraph(markup, st.body))
    return out


def _hanging(style: Any) -> Any:
    """Numbered list items: the number stands two characters in, wrapped lines align after it."""
    cached = getattr(style, "_dt_hanging", None)
    if cached is None:
        from reportlab.lib.styles import ParagraphStyle

        cached = ParagraphStyle(style.name + "-hanging", parent=style,
                                leftIndent=2 * g.INDENT, firstLineIndent=-g.INDENT)
        style._dt_hanging = cached
    return cached


def _compliance_summary(report: DebriefReport) -> str:
    counts = report.status_counts()
    applicable = len(report.compliance) - counts[Status.NOT_APPLICABLE]
    parts = [f"{word}{counts[word]}项" for word in
             (Status.DONE, Status.IN_PROGRESS, Status.WARNING, Status.FAILED) if counts[word]]
    text = f"本年度适用的法定履职事项共{applicable}项"
    if parts:
        text += "，其中" + "、".join(parts)
    if counts[Status.NOT_APPLICABLE]:
        text += f"；另有{counts[Status.NOT_APPLICABLE]}项因不在任职期间内不适用"
    return text + "。具体完成情况见下表（按规定分半年、季度考核的事项分期列示）。"


def _cell(text: str, role: FontRole, style: Any, width: float, fonts: FontSet) -> Any:
    """A plain string when it fits on one line in the role's own font (fast, and the table
    style sets font, size and alignment); otherwise a wrapping Paragraph with fallback."""
    if ("\n" not in text and fonts.covers(role, text) and text.isprintable()
            and stringWidth(text, fonts.font_name(role), style.fontSize) <= width - 7):
        return text
    return Paragraph(fonts.markup(text, role, newlines="br"), style)


def _compliance_table(rows: tuple[ComplianceRow, ...], fonts: FontSet) -> Table:
    st = g.styles_for(fonts)
    fang, hei = FontRole.FANGSONG, FontRole.HEITI
    w = COMPLIANCE_COLUMNS
    data: list[list[Any]] = [[_cell(h, hei, st.table_head, w[i], fonts)
                              for i, h in enumerate(COMPLIANCE_HEADER)]]
    spans: list[tuple[Any, ...]] = []
    for row in rows:
        periods = row.periods or ()
        first = len(data)
        article = _cell(row.article_label, fang, st.table_cell_center, w[0], fonts)
        duty = _cell(row.duty_title, fang, st.table_cell, w[1], fonts)
        if not periods:
            data.append([article, duty, "", "", "",
                         _cell(row.status, fang, st.table_cell_center, w[5], fonts)])
            continue
        for i, p in enumerate(periods):
            required = str(p.required) if p.applicable else "—"
            done = str(p.done) if (p.applicable or p.done) else "—"  # work done in a part-term still shows
            data.append([
                article if i == 0 else "",
                duty if i == 0 else "",
                _cell(p.label, fang, st.table_cell_center, w[2], fonts),
                required,
                done,
                _cell(p.status, fang, st.table_cell_center, w[5], fonts),
            ])
        if len(periods) > 1:
            last = first + len(periods) - 1
            spans += [("SPAN", (0, first), (0, last)), ("SPAN", (1, first), (1, last))]
    spans.append(("ALIGN", (1, 1), (1, -1), "LEFT"))
    return Table(data, colWidths=list(w), repeatRows=1, hAlign="LEFT",
                 style=grid_style(fonts.font_name(fang), spans,
                                  head_font=fonts.font_name(hei)))


def _record_table(group: RecordGroup, fonts: FontSet) -> Table:
    st = g.styles_for(fonts)
    fang, hei = FontRole.FANGSONG, FontRole.HEITI
    w = _record_columns(fonts)
    data: list[list[Any]] = [[_cell(h, hei, st.table_head, w[i], fonts)
                              for i, h in enumerate(RECORD_HEADER)]]
    for i, rec in enumerate(group.records, 1):
        data.append([
            str(i),
            chinese_date(rec.day),
            _cell(rec.title, fang, st.table_cell, w[2], fonts),
            _cell(rec.minutes_no or "—", fang, st.table_cell_center, w[3], fonts),
        ])
    return Table(data, colWidths=list(w), repeatRows=1, hAlign="LEFT",
                 style=grid_style(fonts.font_name(fang), [("ALIGN", (2, 1), (2, -1), "LEFT")],
                                  head_font=fonts.font_name(hei)))


def _record_columns(fonts: FontSet) -> tuple[float, float, float, float]:
    """序号, 日期 (the widest date on one line, whatever the font's digits), 事项, 纪要文号."""
    date_w = stringWidth("2025年12月31日", fonts.font_name(FontRole.FANGSONG), g.TABLE_SIZE) + 8
    number_w, minutes_w = 34.0, 112.0
    return number_w, date_w, g.TYPE_WIDTH - number_w - date_w - minutes_w, minutes_w
