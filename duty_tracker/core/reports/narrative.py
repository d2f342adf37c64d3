"""A first draft of the body of a 述职述法报告, written from the debrief's data.

The clerk starts from this text and edits it; nothing is printed unless they keep it (or a
print asks for the draft). The rules the draft keeps:

* Each work section is written from the records that belong to it (``sections``) and says
  what they show — which duty, when, how often, what was studied — grouped by the duty's own
  title (the five 听取……党组工作汇报 duties of one clause read as one sentence). A section no
  record supports is left empty, never filled with general words.
* It never claims more than the data shows: "均已……完成" only when every applicable duty is
  达标; a missed period is named with its numbers; a leader with no applicable duty is told
  so, without a verdict; a duty still under way is said to be under way.
* A part term is "任职期间（7月1日至12月31日）", never "全年"; a leader who left the post
  before the year was out gets no plans for it.
* No clause numbers or brackets inside brackets are read aloud, and the wording varies with
  the facts and (where words are general) with the leader, so reports do not read alike.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from duty_tracker.core.domain import Status
from duty_tracker.core.reports import narrative_phrases as ph
from duty_tracker.core.reports.debrief_model import (
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    RecordEntry,
)
from duty_tracker.core.reports.layout import chinese_number
from duty_tracker.core.reports.sections import WORK_SECTIONS

_MAX_OTHERS = 4  # records without a duty listed by name in a section, then "等N项"
_MEETING_KINDS = ("会议", "听取汇报", "学法")


def draft_narrative(report: DebriefReport) -> NarrativeSections:
    """Draft every section of the body from ``report``'s data (see the module docstring)."""
    seed = ph.seed_of(report.leader_name, report.year, report.unit_name)
    texts: dict[str, str] = {}
    first = True
    for key in WORK_SECTIONS:
        texts[key] = _work_section(report, key, seed, first)
        first = first and not texts[key]
    return NarrativeSections(
        **texts,
        problems=_problems(report, seed),
        plans="" if report.left_office else _plans(report, seed),
    )


# -- the work sections ---------------------------------------------------------------------------
def _about_this_report(row: ComplianceRow) -> bool:
    """The duty of reporting at the year-end debrief: this report itself, not a deed in it."""
    return "述职" in row.duty_title


def _row_groups(rows: list[ComplianceRow]) -> list[list[ComplianceRow]]:
    """Rows in order; duties one clause splits by body (人大、政协 …) as one group."""
    groups: list[list[ComplianceRow]] = []
    by_clause: dict[str, list[ComplianceRow]] = {}
    for row in rows:
        if row.target and row.source_text:
            key = row.source_text
            if key in by_clause:
                by_clause[key].append(row)
                continue
            by_clause[key] = [row]
            groups.append(by_clause[key])
        else:
            groups.append([row])
    return groups


def _work_section(report: DebriefReport, key: str, seed: int, first: bool) -> str:
    rows = [r for r in report.compliance if r.section == key and not _about_this_report(r)]
    by_duty: dict[str, list[RecordEntry]] = {}
    for rec in report.records:
        for duty in rec.duties:
            by_duty.setdefault(duty, []).append(rec)
    items: list[str] = []
    purposes: set[str] = set()
    for group in _row_groups(rows):
        recs = [r for row in group for r in by_duty.get(row.duty_title, [])]
        if recs:
            items.append(_group_sentence(group, recs, by_duty, purposes))
    others = [r for r in report.records if r.section == key and not r.duties]
    if others:
        items.append(_others_sentence(others, alone=not items))
    if not items:
        return ""
    opening = ph.pick(ph.OPENINGS[key], seed, key).format(period=report.period_phrase)
    if first and key != "leadership":
        opening = f"{report.period_phrase}，{opening}"
    return opening + "；".join(items) + "。"


def _group_sentence(group: list[ComplianceRow], recs: list[RecordEntry],
                    by_duty: dict[str, list[RecordEntry]], purposes: set[str]) -> str:
    """One sentence per duty (or family): when, what, what was studied, what for — the
    purpose said once per section ("研究解决重大问题" is not repeated)."""
    row = group[0]
    days = [r.day for r in recs]
    if len(group) > 1:  # a family: 听取本级人大、政府、政协党组工作汇报
        heard = [r.target for r in group if by_duty.get(r.duty_title)]
        text = ph.dates_phrase(days) + ph.action(ph.family_title(row.duty_title, row.target,
                                                                   heard))
    else:
        dated = ph.dates_phrase(days)
        count = f"{len(recs)}{ph.count_word(row.duty_title, row.unit)}"
        if row.unit != "次":
            count = f"{len(recs)}次、累计{row.done}{row.unit}"
        text = (dated + ph.action(row.duty_title)) if dated else (ph.action(row.duty_title)
                                                                 + count)
    text += _subjects([r.duty_title for r in group], recs)
    why = ph.purpose(row.duty_title, row.source_text)
    if not why or any(why in p or p in why for p in purposes):
        return text
    purposes.add(why)
    return f"{text}，{why}"


def _subjects(duty_titles: list[str], recs: list[RecordEntry]) -> str:
    """What was studied or discussed, when the records' titles name laws or documents
    (other titles mostly restate the duty, and reading them out adds nothing)."""
    books, _n = ph.books_in([r.title for r in recs])
    if not books:
        return ""
    studied = any(w in t for t in duty_titles for w in ("学法", "学习", "培训", "讲"))
    return f"，{'学习了' if studied else '涉及'}{books}"


def _others_sentence(recs: list[RecordEntry], *, alone: bool) -> str:
    """Records for no duty, by date and title ("6月18日，审议……"); "此外" only after the
    duties' sentences."""
    shown = recs[:_MAX_OTHERS]
    listed = "；".join(f"{ph.month_day(r.day)}，{r.title.strip()}" for r in shown)
    more = f"等{len(recs)}项工作" if len(recs) > len(shown) else ""
    return ("" if alone else "此外，") + listed + more


def duty_groups(rows: list[ComplianceRow]) -> list[list[ComplianceRow]]:
    """Rows in order, the duties one clause splits by body as one group: how every report
    that speaks of a head's duties (this draft, the unit's annual report) counts them."""
    return _row_groups(rows)


def shortfall_text(report: DebriefReport, group: list[ComplianceRow]) -> str:
    """What was missed of one duty or family, in words and numbers ("下半年没有……",
    "……还差1次，须在12月31日前完成"), without a subject: the debrief says it of 本人, the
    annual report of the head by name."""
    return _shortfall(report, group)


# -- 存在的问题和不足 ----------------------------------------------------------------------------
def _plain_label(report: DebriefReport, label: str) -> str:
    """A period as prose: "全年" of a part term is "任职期间"; no brackets inside."""
    label = label.split("（")[0]
    if label == "全年":
        return "全年" if report.full_year else "任职期间"
    return label


def _shortfall(report: DebriefReport, group: list[ComplianceRow]) -> str:
    """What was missed, in words and numbers, for one duty or family."""
    row = group[0]
    if len(group) > 1 or row.target:  # one clause split by body: name the bodies
        parts = []
        failed = [r.target for r in group if r.status == Status.FAILED]
        if failed:
            parts.append("没有" + ph.action(ph.family_title(row.duty_title, row.target, failed)))
        pending = [r for r in group if r.status == Status.WARNING]
        if pending:
            act = ph.action(ph.family_title(row.duty_title, row.target,
                                            [r.target for r in pending]))
            end = next((p.end for r in pending for p in r.periods if p.end), None)
            parts.append("还没有" + act + (f"，须在{ph.month_day(end)}前完成" if end else ""))
        return "，".join(parts)
    act, cw = ph.action(row.duty_title), ph.count_word(row.duty_title, row.unit)
    parts = []
    for p in row.periods:
        if not p.missed:
            continue
        when = _plain_label(report, p.label) if len(row.periods) > 1 else ""
        if p.status == Status.WARNING:
            due = f"，须在{ph.month_day(p.end)}前完成" if p.end else ""
            parts.append(f"{when}{act}还差{p.required - p.done}{cw}{due}")
        elif p.done:
            parts.append(f"{when}{act}{p.done}{cw}，少于规定的{p.required}{cw}")
        else:
            parts.append(f"{when}没有{act}")
    return "，".join(parts)


def _tenure(report: DebriefReport) -> str:
    """"于11月8日到任" / "任职至6月30日" / "本年度任职期间为……"."""
    first, last = report.terms[0], report.terms[-1]
    year_start, year_end = date(report.year, 1, 1), date(report.year, 12, 31)
    if len(report.terms) == 1 and first.end == year_end and first.start > year_start:
        return f"于{ph.month_day(first.start)}到任"
    if len(report.terms) == 1 and first.start == year_start and last.end < year_end:
        return f"任职至{ph.month_day(last.end)}"
    return "本年度任职期间为" + "、".join(t.short_text for t in report.terms)


def _missed_count(missed: list[ComplianceRow]) -> str:
    """"2项法定履职事项没有按要求完成、1项尚未完成" (a 预警 duty still has time)."""
    failed = sum(1 for r in missed if r.status == Status.FAILED)
    warning = len(missed) - failed
    if failed and warning:
        return f"{failed}项法定履职事项没有按要求完成、{warning}项尚未完成"
    if failed:
        return f"{failed}项法定履职事项没有按要求完成"
    return f"{warning}项法定履职事项尚未完成"


def _no_duty_text(report: DebriefReport) -> str:
    if not report.terms:
        return f"{report.year}年度本人未在该岗位任职，没有需要考核的法定履职事项。"
    if report.compliance:
        return (f"本人{_tenure(report)}，任职时间未达到法定履职事项考核期间的一半，"
                "本年度没有需要考核的法定履职事项，本报告不对完成情况作出评价。")
    role = report.role_label or "本人岗位"
    return (f"现行规则中没有适用于{role}的量化履职事项，本年度没有需要考核的法定履职事项，"
            "本报告不对完成情况作出评价。")


def _judged(report: DebriefReport) -> list[ComplianceRow]:
    """The applicable duties the text judges: not the duty of reporting at the year-end
    debrief, which this very report is (the statistics table still lists it)."""
    return [r for r in report.applicable_duties if not _about_this_report(r)]


def _problems(report: DebriefReport, seed: int) -> str:
    applicable = _judged(report)
    paragraphs: list[str] = []
    missed = [r for r in applicable if r.status in (Status.FAILED, Status.WARNING)]
    pending = [r for r in applicable if r.status == Status.IN_PROGRESS]
    if not applicable:
        paragraphs.append(_no_duty_text(report))
    elif missed:
        basis = f"对照{report.rule_set_title}" if report.rule_set_title else "对照法定履职事项"
        points = [_shortfall(report, g) for g in _row_groups(missed)]
        paragraphs.append(f"{basis}，{report.period_phrase}有{_missed_count(missed)}："
                          + "；".join(ph.ordinal(i) + p for i, p in enumerate(points)) + "。")
        failed = [r for r in missed if r.status == Status.FAILED]
        causes = [ph.pick(ph.CAUSES[s], seed, s) for s in dict.fromkeys(r.section for r in failed)
                  if s in ph.CAUSES]
        if causes:  # a duty with time left is not yet a failure to explain
            paragraphs.append("究其原因，主要是" + "；".join(causes[:2]) + "。"
                              + ph.pick(ph.RESPONSIBILITY, seed, "responsibility"))
    if pending and not report.left_office:
        names = "".join(f"“{r.duty_title}”" for r in pending)
        paragraphs.append(f"{names}本年度的任务尚在推进中，须在规定期限内完成，不能松劲。")
    if applicable and all(r.status == Status.DONE for r in report.applicable_duties):
        paragraphs.append(ph.pick(ph.ALL_DONE, seed, "done"))  # only when it is true
    weak = _weak_points(report, seed)
    if weak:
        lead = ph.pick(ph.WEAK_LEAD, seed, "weak")
        paragraphs.append(lead + "；".join(ph.ordinal(i) + w for i, w in enumerate(weak)) + "。")
    return "\n".join(paragraphs)


def _empty_work_sections(report: DebriefReport) -> list[str]:
    present = {r.section for r in report.records}
    return [k for k in WORK_SECTIONS if k not in present]


def _weak_points(report: DebriefReport, seed: int) -> list[str]:
    """Shortcomings the records themselves show: missing evidence, work bunched into one
    quarter, whole sections with nothing recorded."""
    recs = report.records

    def say(kind: str, **facts: object) -> str:
        return ph.pick(ph.WEAK_POINTS[kind], seed, kind).format(n=len(recs), **facts)

    points: list[str] = []
    if recs:
        bare = sum(1 for r in recs if not r.attachments)
        if bare == len(recs) == 1:
            points.append("记录的1条履职纪实没有上传佐证材料，履职留痕不够完整")
        elif bare == len(recs):
            points.append(say("no_evidence"))
        elif bare * 2 >= len(recs):
            points.append(say("some_evidence", k=bare))
        meetings = [r for r in recs if r.kind in _MEETING_KINDS]
        unnumbered = sum(1 for r in meetings if not r.minutes_no.strip())
        if meetings and unnumbered * 2 >= len(meetings):
            points.append(say("no_minutes", k=unnumbered))
        quarter = _bunched_quarter(report)
        if quarter:
            points.append(say("bunched", names=quarter))
    empty = _empty_work_sections(report)
    if recs and empty:
        points.append(say("empty", names=ph.join_words([ph.SECTION_SHORT[k] for k in empty])))
    return points


def _bunched_quarter(report: DebriefReport) -> str:
    """The quarter holding more than half of the records, when the term spans three or more
    quarters and there are enough records to tell."""
    if len(report.records) < 8 or not report.terms:
        return ""
    covered = {(d.month - 1) // 3 for t in report.terms for d in (t.start, t.end)}
    span = {q for t in report.terms for q in range((t.start.month - 1) // 3,
                                                     (t.end.month - 1) // 3 + 1)}
    if len(span | covered) < 3:
        return ""
    counts = Counter((r.day.month - 1) // 3 for r in report.records)
    q, n = counts.most_common(1)[0]
    return f"第{chinese_number(q + 1)}季度" if n * 2 > len(report.records) else ""


# -- 下一步工作打算 -----------------------------------------------------------------------------
def _plans(report: DebriefReport, seed: int) -> str:
    points: list[tuple[str, str]] = []
    missed = [r for r in _judged(report) if r.status in (Status.FAILED, Status.WARNING)]
    for status, options, salt in ((Status.FAILED, ph.FIX_PLANS, "fix"),
                                  (Status.WARNING, ph.HURRY_PLANS, "hurry")):
        rows = [r for r in missed if r.status == status]
        if rows:
            items = "".join(f"“{g[0].duty_title if len(g) == 1 else _family_name(g)}”"
                            for g in _row_groups(rows))
            head, text = _pick_pair(options, seed, salt)
            points.append((head, text.format(items=items, year=report.year + 1)))
    weak = list(dict.fromkeys([r.section for r in missed] + _empty_work_sections(report)))
    for key in weak[:2]:
        points.append(_pick_pair(ph.PLANS_FOR_SECTION[key], seed, key))
    if report.records and sum(1 for r in report.records if not r.attachments) * 2 >= len(
            report.records):
        points.append(_pick_pair(ph.EVIDENCE_PLANS, seed, "evidence"))
    if not points:
        done = [r for r in _judged(report) if r.done]
        if done:
            head, text = _pick_pair(ph.KEEP_PLANS, seed, "keep")
            items = ph.join_words([ph.action(r.duty_title) for r in done[:2]])
            points.append((head, text.format(items=items)))
    lines = [f"（{chinese_number(i)}）{head}。{text}。" for i, (head, text) in enumerate(points, 1)]
    lines.append(ph.pick(ph.CLOSINGS, seed, "closing"))
    return "\n".join(lines)


def _family_name(group: list[ComplianceRow]) -> str:
    missing = [r.target for r in group if r.status in (Status.FAILED, Status.WARNING)]
    return ph.family_title(group[0].duty_title, group[0].target, missing)


def _pick_pair(options: tuple[tuple[str, str], ...], seed: int, salt: str) -> tuple[str, str]:
    return options[(seed ^ ph.seed_of(salt)) % len(options)]

