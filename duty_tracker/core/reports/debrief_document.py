"""The debrief laid out once, as blocks, for both renderers (PDF and Word).

Order (GB/T 9704 for a report signed by one person): title; byline (post and name) and, for a
part term, the term; the opening sentence; the body's sections that have text, numbered 一、
二、… in 黑体 (a section with nothing in it is left out and listed in
``DebriefReport.empty_sections``); 附件说明 ("附件：1．……") when there are appendices; the
signature and 成文日期, kept with the last lines of the body; then each appendix on a new page
("附件1" top left, its title on the third line): the statistics table, the record list, the
list of evidence files.

Inside a section the clerk's lines become paragraphs: a line opening with （一） gets its first
sentence in 楷体 and one opening with 1. in bold 仿宋 (run into the paragraph, or a heading
of its own when nothing follows it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duty_tracker.core.domain import Status
from duty_tracker.core.reports.debrief_defaults import DEFAULT_TITLE_BREAK
from duty_tracker.core.reports.debrief_model import DebriefReport, chinese_date, month_day
from duty_tracker.core.reports.layout import chinese_number

_LEVEL2 = re.compile(r"^\s*[（(][一二三四五六七八九十百]+[）)]")
_LEVEL3 = re.compile(r"^\s*\d{1,2}[.．](?!\d)")
#: A numbered line with no more than this many characters and one sentence is a heading.
_HEADING_ALONE = 40


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a paragraph in one face: "fang" (仿宋), "kai" (楷体), "hei" (黑体), "bold"
    (bold 仿宋)."""

    text: str
    face: str = "fang"


#: The paragraph styles that are headings (kept with what follows, never ending a page).
HEADING_STYLES = frozenset({"heading1", "heading2", "heading3"})


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph: ``style`` is "body", "heading1" (一、), "heading2" ((一)), "heading3"
    (1.) or "flush" (body text flush left without indent: a report's 主送机关)."""

    runs: tuple[Run, ...]
    style: str = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: float  # points; the widths of a table add up to the type-area width
    align: str = "center"  # or "left"


@dataclass(frozen=True, slots=True)
class TableSpec:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    #: (column, first row, last row) of cells merged down (rows counted without the header).
    merges: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Appendix:
    label: str  # "附件1"
    title: str
    intro: str
    table: TableSpec
    note: str = ""


@dataclass(frozen=True, slots=True)
class DebriefDocument:
    title_lines: tuple[str, ...]  # lines chosen by meaning (each balanced on its own)
    title: str
    byline: tuple[str, ...]
    body: tuple[Para, ...]
    attachments: tuple[str, ...]  # the appendices' titles, for 附件说明
    signature: str
    date_text: str
    appendices: tuple[Appendix, ...]
    author: str


# --------------------------------------------------------------------------------- planning
def plan_debrief(report: DebriefReport) -> DebriefDocument:
    """The blocks of ``report``'s document, in order."""
    body = [Para((Run(_opening(report)),))]
    number = 0
    for section in report.sections():
        paragraphs = text_paragraphs(section.text)
        if not paragraphs:
            continue
        number += 1
        body.append(Para((Run(f"{chinese_number(number)}、{section.title}", "hei"),),
                         "heading1"))
        body.extend(paragraphs)
    appendices = _appendices(report)
    return DebriefDocument(
        title_lines=_title_lines(report),
        title=report.effective_title.replace("\n", ""),
        byline=_byline(report),
        body=tuple(body),
        attachments=tuple(a.title for a in appendices),
        signature=report.effective_signature,
        date_text=chinese_date(report.effective_report_date),
        appendices=appendices,
        author=report.leader_name,
    )


def _title_lines(report: DebriefReport) -> tuple[str, ...]:
    """The default title breaks before "第一责任人" (never inside a word); a title the clerk
    set breaks where they put line breaks."""
    if report.title.strip():
        return tuple(ln.strip() for ln in report.title.splitlines() if ln.strip())
    whole = report.effective_title
    cut = whole.find(DEFAULT_TITLE_BREAK)
    return (whole[:cut], whole[cut:]) if cut > 0 else (whole,)


def _byline(report: DebriefReport) -> tuple[str, ...]:
    lines = [report.effective_byline]
    if not report.terms:
        lines.append(f"（{report.year}年度未在任）")
    elif not report.full_year:
        lines.append("（任职期间：" + "；".join(t.text for t in report.terms) + "）")
    return tuple(x for x in lines if x.strip())


def _opening(report: DebriefReport) -> str:
    basis = f"根据{report.rule_set_title}规定，" if report.rule_set_title.strip() else ""
    when = (f"{report.year}年度" if report.full_year or not report.terms
            else f"{report.year}年{report.period_phrase}")
    return f"{basis}现将本人{when}履行推进法治建设第一责任人职责情况报告如下。"


def text_paragraphs(text: str) -> list[Para]:
    """The clerk's text as paragraphs, one per line (see the module docstring)."""
    out = []
    for line in (ln.strip() for ln in text.replace("\r\n", "\n").split("\n")):
        if not line:
            continue
        for pattern, face, style in ((_LEVEL2, "kai", "heading2"), (_LEVEL3, "bold", "heading3")):
            match = pattern.match(line)
            if match:
                stop = line.find("。", match.end())
                head, rest = (line, "") if stop < 0 else (line[: stop + 1], line[stop + 1:])
                if not rest and len(line) <= _HEADING_ALONE:
                    out.append(Para((Run(line, face),), style))
                else:
                    out.append(Para((Run(head, face), Run(rest))))
                break
        else:
            out.append(Para((Run(line),)))
    return out


# ------------------------------------------------------------------------------- appendices
STATS_COLUMNS = (Column("条款", 90.0), Column("履职事项", 138.2, "left"), Column("考核期间", 76.0),
                 Column("应完成", 42.0), Column("已完成", 42.0), Column("完成情况", 54.0))
RECORD_COLUMNS = (Column("序号", 32.0), Column("日期", 66.0), Column("履职事项", 132.2, "left"),
                  Column("类别", 56.0), Column("纪要文号", 156.0))
EVIDENCE_COLUMNS = (Column("序号", 32.0), Column("材料名称", 204.2, "left"),
                    Column("所属履职纪实", 206.0, "left"))


def _appendices(report: DebriefReport) -> tuple[Appendix, ...]:
    found = []
    if report.compliance:
        found.append(("法定履职事项完成情况统计表", _stats_intro(report), _stats_table(report),
                      "注：按规定分半年、季度考核的事项分期列示；任职不足考核期间一半的为"
                      "“不适用”，该期间内的履职仍计入已完成。"))
    if report.records:
        rows = tuple((str(i), month_day(r.day), r.title, r.kind or "—", r.minutes_no or "—")
                     for i, r in enumerate(report.records, 1))
        found.append(("履职纪实清单",
                      f"本年度共记录履职纪实{report.record_count}条，按时间顺序列示如下。",
                      TableSpec(RECORD_COLUMNS, rows), ""))
    if report.attachments:
        rows = tuple((str(i), a.file_name,
                      (f"{month_day(a.record_day)}　" if a.record_day else "") + a.record_title)
                     for i, a in enumerate(report.attachments, 1))
        found.append(("佐证材料目录", f"共有佐证材料{len(report.attachments)}份。",
                      TableSpec(EVIDENCE_COLUMNS, rows), ""))
    return tuple(Appendix(f"附件{i}", f"{report.year}年度{title}", intro, table, note)
                 for i, (title, intro, table, note) in enumerate(found, 1))


def _stats_intro(report: DebriefReport) -> str:
    counts = report.status_counts()
    applicable = len(report.compliance) - counts[Status.NOT_APPLICABLE]
    parts = [f"{word}{counts[word]}项" for word in
             (Status.DONE, Status.IN_PROGRESS, Status.WARNING, Status.FAILED) if counts[word]]
    if not applicable:
        text = "本年度没有适用于本人的法定履职事项"
        if counts[Status.NOT_APPLICABLE]:
            text += f"，{counts[Status.NOT_APPLICABLE]}项因任职时间不足考核期间的一半而不适用"
        return text + "。"
    text = f"本年度适用的法定履职事项共{applicable}项"
    if parts:
        text += "，其中" + "、".join(parts)
    if counts[Status.NOT_APPLICABLE]:
        text += f"；另有{counts[Status.NOT_APPLICABLE]}项因任职时间不足不适用"
    return text + "。"


def _stats_table(report: DebriefReport) -> TableSpec:
    rows: list[tuple[str, ...]] = []
    merges: list[tuple[int, int, int]] = []
    for row in report.compliance:
        first = len(rows)
        # the columns count occasions; a duty counted in hours says so after its title
        title = row.duty_title if row.unit == "次" else f"{row.duty_title}（{row.unit}）"
        for i, p in enumerate(row.periods or ()):
            rows.append((
                row.article_label if i == 0 else "",
                title if i == 0 else "",
                p.label,
                str(p.required) if p.applicable else "—",
                str(p.done) if (p.applicable or p.done) else "—",
                p.status,
            ))
        if not row.periods:
            rows.append((row.article_label, title, "", "", "", row.status))
        if len(rows) - first > 1:
            merges += [(0, first, len(rows) - 1), (1, first, len(rows) - 1)]
    return TableSpec(STATS_COLUMNS, tuple(rows), tuple(merges))
