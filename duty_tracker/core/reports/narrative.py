"""A first draft of the three narrative sections, generated from the debrief's data.

The clerk starts from this text in the 述职报告 view and edits it; nothing here is printed
unless they keep it. The draft states facts only (counts, titles, dates from the ledger) and is
honest about missed duties: every duty that is 未达标 or 预警 is named, with its numbers, in
存在的问题和不足 and again, as a commitment, in 下一步工作打算.
"""

from __future__ import annotations

import re
from collections import Counter

from duty_tracker.core.domain import Status
from duty_tracker.core.reports.debrief_model import (
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    RecordEntry,
)
from duty_tracker.core.reports.layout import chinese_number

_BOOK_TITLE = re.compile(r"《[^《》]{1,60}》")
_ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是")
_MAX_LISTED = 6  # beyond this, "等N部" keeps a sentence readable


def draft_narrative(report: DebriefReport) -> NarrativeSections:
    """Draft 主要做法和成效, 存在的问题和不足 and 下一步工作打算 from ``report``'s data."""
    return NarrativeSections(
        achievements=_achievements(report),
        problems=_problems(report),
        plans=_plans(report),
    )


def _records_by_duty(report: DebriefReport) -> dict[str, list[RecordEntry]]:
    by_duty: dict[str, list[RecordEntry]] = {}
    for group in report.record_groups:
        for rec in group.records:
            for duty in rec.duties:
                by_duty.setdefault(duty, []).append(rec)
    for recs in by_duty.values():
        recs.sort(key=lambda r: r.day)
    return by_duty


def _subjects(records: list[RecordEntry], duty_title: str) -> tuple[str, int]:
    """"《民法典》《行政复议法》和《…》" from the titles; failing that, the titles that say more
    than the duty's own name ("带头开展述法（第1次）" adds nothing and is left out)."""
    books: list[str] = []
    for rec in records:
        for book in _BOOK_TITLE.findall(rec.title):
            if book not in books:
                books.append(book)
    if books:
        sep = ""  # 书名号之间的顿号可省略 (GB/T 15834)
        items = books
    else:
        sep = "、"
        items = list(dict.fromkeys(
            f"“{r.title.strip()}”" for r in records
            if r.title.strip() and duty_title not in r.title
        ))
    if not items:
        return "", 0
    if len(items) > _MAX_LISTED:
        return sep.join(items[:_MAX_LISTED]) + "等", len(items)
    return (items[0] if len(items) == 1 else sep.join(items[:-1]) + "和" + items[-1]), len(items)


#: Duty titles are often nouns ("党委理论学习中心组学法"); the sentence needs a verb.
_VERBS = (("培训", "举办"), ("会议", "召开"), ("学法", "开展"), ("报告", "报送"))
_STARTS_WITH_VERB = ("听取", "召开", "组织", "举办", "开展", "报告", "报送", "主持", "参加", "述")


def _verb_for(title: str) -> str:
    if title.startswith(_STARTS_WITH_VERB) or title.startswith("年"):
        return ""
    return next((verb for word, verb in _VERBS if word in title), "")


def _duty_sentence(row: ComplianceRow, records: list[RecordEntry]) -> str:
    done = row.done if row.periods else len(records)
    # "全年年终述职" would say the year twice: titles that start with 年 stand alone.
    prefix = "" if row.duty_title.startswith(("年", "全年")) else "全年"
    text = f"{prefix}{_verb_for(row.duty_title)}{row.duty_title}{done}次"
    if records:
        subjects, count = _subjects(records, row.duty_title)
        if subjects:
            verb = "学习了" if ("学法" in row.duty_title or "学习" in row.duty_title) else "内容为"
            text += f"，分别{verb}{subjects}" if count > 1 else f"，{verb}{subjects}"
    return text


def _achievements(report: DebriefReport) -> str:
    paragraphs: list[str] = []
    role = f"作为{report.role_label}" if report.role_label else "作为主要负责人"
    basis = report.rule_set_title or "有关规定"
    applicable = [r for r in report.compliance if r.status != Status.NOT_APPLICABLE]
    done_rows = [r for r in applicable if r.status == Status.DONE]
    number = 0

    def heading(text: str) -> str:
        nonlocal number
        number += 1
        return f"（{chinese_number(number)}）{text}"

    by_duty = _records_by_duty(report)
    performed = [r for r in applicable if r.done > 0]
    if applicable:
        opening = (f"{report.year}年，本人{role}，对照{basis}确定的{len(applicable)}项法定履职事项"
                   f"逐项抓好落实，其中{len(done_rows)}项已达到规定要求。")
        if performed:
            sentences = [_duty_sentence(r, by_duty.get(r.duty_title, [])) for r in performed]
            opening += "；".join(sentences) + "。"
        paragraphs.append(heading("认真履行法定职责。") + opening)
    if report.record_count:
        kinds = Counter(rec.kind for g in report.record_groups for rec in g.records if rec.kind)
        kind_text = "、".join(f"{kind}{n}次" for kind, n in kinds.most_common())
        articles = [g.article_label for g in report.record_groups
                    if g.records and g.article_label]
        text = f"全年形成履职纪实{report.record_count}条"
        if kind_text:
            text += f"，其中{kind_text}"
        if articles:
            text += f"，涉及{'、'.join(dict.fromkeys(articles))}规定的职责"
        paragraphs.append(heading("坚持履职全程留痕。") + text + "，做到有据可查。")
    if not paragraphs:
        paragraphs.append(f"{report.year}年度本人暂无可列示的履职记录。")
    return "\n".join(paragraphs)


def _shortfall(row: ComplianceRow) -> str:
    bad = [p for p in row.periods if p.status in (Status.FAILED, Status.WARNING)]
    parts = []
    for p in bad:
        state = "临近期限尚未完成" if p.status == Status.WARNING else "未达到规定要求"
        parts.append(f"{p.label}应完成{p.required}次、实际完成{p.done}次，{state}")
    return f"{row.duty_title}（{row.article_label}）" + ("：" + "；".join(parts) if parts else "")


def _problems(report: DebriefReport) -> str:
    failed = [r for r in report.compliance if r.status == Status.FAILED]
    warning = [r for r in report.compliance if r.status == Status.WARNING]
    lines: list[str] = []
    ordinal = 0
    for row in failed + warning:
        prefix = _ORDINALS[ordinal] if ordinal < len(_ORDINALS) else "另外，"
        ordinal += 1
        lines.append(f"{prefix}{_shortfall(row)}。")
    if lines:
        head = (f"对照法定履职事项，本年度有{len(failed)}项未达到规定要求"
                + (f"、{len(warning)}项临近期限尚未完成" if warning else "")
                + "，具体是：") if failed else (
                f"对照法定履职事项，本年度有{len(warning)}项临近期限尚未完成，具体是：")
        return head + "\n" + "\n".join(lines) + (
            "\n主要原因是对相关职责的计划安排不够到位，日常督促提醒不够及时，本人负有直接责任。")
    if not report.compliance:
        return "本年度没有适用于本人的法定履职事项，履职情况需结合实际工作进一步梳理完善。"
    return ("本年度各项法定履职事项均已按要求完成。但对照新形势新任务，运用法治思维和法治方式"
            "推动工作的能力还需进一步提升，履职纪实材料的规范性、及时性还有改进空间。")


def _plans(report: DebriefReport) -> str:
    next_year = report.year + 1
    missed = [r for r in report.compliance if r.status in (Status.FAILED, Status.WARNING)]
    lines: list[str] = []
    if missed:
        titles = "、".join(f"“{r.duty_title}”" for r in missed)
        lines.append(f"（一）抓好问题整改。针对{titles}未按要求完成的问题，制定整改措施，"
                     f"明确时间节点，确保{next_year}年按期足额完成。")
    n = len(lines)
    lines.append(f"（{chinese_number(n + 1)}）带头尊法学法守法用法。坚持把法治建设摆在全局工作的"
                 "重要位置，认真执行年度学法计划，不断提高运用法治思维和法治方式深化改革、"
                 "推动发展、化解矛盾、维护稳定的能力。")
    lines.append(f"（{chinese_number(n + 2)}）压紧压实第一责任人职责。对照法定履职事项清单，"
                 "逐项明确完成时限，及时做好履职纪实，自觉接受监督，推动法治建设各项任务落地见效。")
    return "\n".join(lines)
