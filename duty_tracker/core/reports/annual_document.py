"""The annual report laid out once, as the debrief's blocks (``debrief_document``), so that the
debrief's PDF and Word renderers print it on the same GB/T 9704 page.

Order (a report a unit submits): the title (the institution on one line, "2025年法治政府建设
年度报告" on the next when the whole does not fit on one); a blank line; the 主送机关 flush left
when the clerk gave one; the opening paragraph; the numbered parts that have text (一、
主要举措和成效 …, numbered in print order, a part with nothing in it left out and listed in
``AnnualReport.empty_sections``); 附件说明 when the task table is attached; the unit's name
and 成文日期 kept with the last lines; then the appendix 工作任务完成情况表 on a new page.
There is no byline: the unit signs at the end.
"""

from __future__ import annotations

from duty_tracker.core.reports.annual_model import AnnualReport, TaskFact
from duty_tracker.core.reports.annual_phrases import books
from duty_tracker.core.reports.debrief_document import (
    Appendix,
    Column,
    DebriefDocument,
    Para,
    Run,
    TableSpec,
    text_paragraphs,
)
from duty_tracker.core.reports.debrief_model import chinese_date, month_day
from duty_tracker.core.reports.layout import chinese_number

#: A default title longer than this (in characters) is set on two lines broken by meaning:
#: one line of 2号 小标宋 holds 20 characters, but a Word or WPS face other than the PDF's may
#: be wider and leave the last word alone on a line.
TITLE_CHARS = 16
TASK_COLUMNS = (Column("序号", 32.0), Column("工作任务", 222.2, "left"), Column("完成时限", 76.0),
                Column("职责", 40.0), Column("完成情况", 72.0))
ROLE_WORDS = {"lead": "牵头", "responsible": "负责", "assist": "配合"}


def _width(text: str) -> float:
    """Width in characters: half for digits and Latin letters."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _title_lines(report: AnnualReport) -> tuple[str, ...]:
    """The clerk's own line breaks; otherwise the default title on one line when it fits, else
    broken after the institution (between words, never inside one)."""
    if report.title.strip():
        return tuple(ln.strip() for ln in report.title.splitlines() if ln.strip())
    whole = report.default_title
    if _width(whole) <= TITLE_CHARS or not report.institution:
        return (whole,)
    return (report.institution, whole[len(report.institution):])


def plan_annual(report: AnnualReport) -> DebriefDocument:
    """The blocks of ``report``'s document, in order."""
    body: list[Para] = []
    if report.addressee.strip():
        addressee = report.addressee.strip().rstrip("：:")
        body.append(Para((Run(addressee + "："),), "flush"))
    body.extend(text_paragraphs(report.texts.opening))
    number = 0
    for _key, title, text in report.parts():
        paragraphs = text_paragraphs(text)
        if not paragraphs:
            continue
        number += 1
        body.append(Para((Run(f"{chinese_number(number)}、{title}", "hei"),), "heading1"))
        body.extend(paragraphs)
    if not body:  # nothing written and no draft asked for: say what the file is
        body.append(Para((Run(f"现将{report.institution}{report.year}年度法治政府建设情况报告如下。"),)))
    appendices = _appendices(report)
    return DebriefDocument(
        title_lines=_title_lines(report),
        title=report.effective_title.replace("\n", ""),
        byline=(),
        body=tuple(body),
        attachments=tuple(a.title for a in appendices),
        signature=report.effective_signature,
        date_text=chinese_date(report.effective_report_date),
        appendices=appendices,
        author=report.effective_signature,
    )


def task_state(task: TaskFact) -> str:
    """The 完成情况 cell: 已完成, 逾期完成, 逾期未完成, 推进中, 未开始 (of this unit)."""
    if task.done:
        return "逾期完成" if task.late else "已完成"
    if task.overdue:
        return "逾期未完成"
    return "推进中" if task.started else "未开始"


def _deadline_cell(task: TaskFact, year: int) -> str:
    if task.due is None:
        return task.deadline_text or "—"
    return month_day(task.due) if task.due.year == year else chinese_date(task.due)


def _appendices(report: AnnualReport) -> tuple[Appendix, ...]:
    if not report.with_task_table or not report.tasks:
        return ()
    rows = tuple((str(i), t.title, _deadline_cell(t, report.year), ROLE_WORDS.get(t.role, ""),
                  task_state(t)) for i, t in enumerate(report.tasks, 1))
    tasks = report.tasks
    done = sum(t.done for t in tasks)
    counted = f"{report.as_of_phrase}已完成{done}项，" if done else ""
    intro = (f"{report.institution}承担{books(report.plan_titles)}中的工作任务{len(tasks)}项，"
             f"{counted}按文件顺序列示如下。")
    note = ("注：职责为本单位在该项任务中的职责（牵头、负责、配合）；完成情况为本单位的情况，"
            "以填报的进展为准，完成日期晚于完成时限的为“逾期完成”。")
    return (Appendix("附件", f"{report.year}年度工作任务完成情况表", intro,
                     TableSpec(TASK_COLUMNS, rows), note),)
