"""A first draft of a unit's annual 法治政府建设年度报告, written from the report's facts.

The clerk starts from this text and edits it; nothing is printed unless they keep it (or a
print asks for the draft). The rules the draft keeps:

* 主要举措和成效 follows the sections of the year's 工作要点; each task the unit reported on is
  one point ("一是……"): what the task was (with the unit's role: 牵头, 配合 whom), the clerk's
  progress notes and the records linked to it, and where it stands. A task is called completed
  only when it is completed *for this unit*; a task nobody reported on is not mentioned here
  (it is a shortcoming, and a plan).
* The heads' part is written from each head's debrief facts: what they did (duties and how
  often), and the verdict of their duties — "均已按规定完成" only when every applicable duty is
  met; a missed period is named with its numbers; a part term is said; a head with no
  applicable duty gets no verdict.
* 存在的不足和原因 lists what the data shows went wrong (overdue, late, not started, missed
  duties, missing evidence) and only then gives causes; 下一年度工作安排 follows from it and
  from next year's tasks when they are already imported.
* Where the data has nothing to say (no tasks, no heads), the part gets a note to the clerk in
  【】 instead of general words, so that a report with a gap never looks finished.
"""

from __future__ import annotations

from duty_tracker.core.domain import Status
from duty_tracker.core.reports import annual_phrases as ap
from duty_tracker.core.reports import narrative_phrases as ph
from duty_tracker.core.reports.annual_model import (
    AnnualReport,
    AnnualTexts,
    HeadFact,
    TaskFact,
    placeholder,
)
from duty_tracker.core.reports.layout import chinese_number
from duty_tracker.core.reports.narrative import duty_groups, shortfall_text


def draft_annual(report: AnnualReport) -> AnnualTexts:
    """Draft every part of ``report`` from its facts (see the module docstring)."""
    seed = ph.seed_of(report.unit_name, report.year, "annual")
    return AnnualTexts(
        opening=_opening(report, seed),
        measures=_measures(report, seed),
        leadership=_leadership(report, seed),
        problems=_problems(report, seed),
        plans=_plans(report, seed),
    )


# -- facts the parts share -----------------------------------------------------------------------
def _in_year(report: AnnualReport, task: TaskFact) -> bool:
    """A task the year should have completed: no deadline, or one within the year."""
    return task.due is None or task.due.year <= report.year


def _left_open(task: TaskFact) -> bool:
    """Not completed by this unit, and not completed as a whole by its lead units either
    (an assisting unit has nothing left to do once the lead has completed the task)."""
    return not task.done and not task.task_done


def _unfinished(report: AnnualReport) -> list[TaskFact]:
    return [t for t in report.tasks if _left_open(t)]


def _shortcomings(report: AnnualReport) -> dict[str, list[TaskFact]]:
    """The year's tasks that went wrong, by kind (each task in one kind at most); tasks still
    under way count only once the year is over."""
    out: dict[str, list[TaskFact]] = {"overdue": [], "late": [], "idle": [], "open": []}
    for task in report.tasks:
        if task.done:
            if task.late:
                out["late"].append(task)
        elif task.overdue:
            out["overdue"].append(task)
        elif task.task_done:
            continue
        elif report.year_complete and _in_year(report, task):
            out["open" if task.started else "idle"].append(task)
    return out


def _missed_heads(report: AnnualReport) -> list[tuple[HeadFact, list[str]]]:
    """Heads with duties missed or still short, and what they missed (in words)."""
    out = []
    for head in report.heads:
        rows = [r for r in head.debrief.applicable_duties
                if r.status in (Status.FAILED, Status.WARNING)]
        if rows:
            out.append((head, [shortfall_text(head.debrief, g) for g in duty_groups(rows)]))
    return out


def _unevidenced(report: AnnualReport) -> list[TaskFact]:
    return [t for t in report.tasks if t.done and not t.evidenced]


# -- the opening ---------------------------------------------------------------------------------
def _counts(report: AnnualReport) -> str:
    """"承担工作任务26项（其中牵头3项、配合2项）。截至12月31日，已完成12项……"."""
    tasks = report.tasks
    roles = [f"{word}{n}项" for word, n in
             (("牵头", sum(t.role == "lead" for t in tasks)),
              ("配合", sum(t.role == "assist" for t in tasks))) if n]
    head = f"承担工作任务{len(tasks)}项" + (f"（其中{'、'.join(roles)}）" if roles else "") + "。"
    done = [t for t in tasks if t.done]
    late = sum(t.late for t in done)
    late_text = f"（其中逾期完成{late}项）" if late else ""
    if len(done) == len(tasks):
        return head + f"{report.as_of_phrase}，{'已全部' if len(tasks) > 1 else '已'}完成{late_text}。"
    by_lead = sum(1 for t in tasks if not t.done and t.task_done)
    started = sum(1 for t in tasks if _left_open(t) and t.started)
    idle = len(tasks) - len(done) - by_lead - started
    overdue = sum(t.overdue for t in tasks)
    if not done and not started and not by_lead:
        which = "各项任务均" if len(tasks) > 1 else "该项任务"
        tail = "" if not overdue else ("，已超过完成时限" if len(tasks) == 1
                                       else f"，其中{overdue}项已超过完成时限")
        return head + f"{report.as_of_phrase}，{which}尚未启动{tail}。"
    parts = [f"已完成{len(done)}项{late_text}"] if done else []
    parts += [f"正在推进{started}项"] if started else []
    parts += [f"尚未启动{idle}项"] if idle else []
    if by_lead:
        parts.append(("另有" if parts else "") + f"{by_lead}项已由牵头单位完成")
    tail = f"；未完成的任务中有{overdue}项已超过完成时限" if overdue else ""
    return head + f"{report.as_of_phrase}，" + "，".join(parts) + tail + "。"


def _opening(report: AnnualReport, seed: int) -> str:
    facts = {"year": report.year, "unit": report.institution}
    follows = ap.choose(ap.REPORT_FOLLOWS, seed, "follows").format(**facts)
    if report.tasks:
        all_done = all(t.done and not t.late for t in report.tasks)
        lead = ap.choose(ap.OPENING_ALL_DONE if all_done else ap.OPENING, seed, "opening")
        return lead.format(plans=ap.books(report.plan_titles), **facts) + _counts(report) + follows
    if report.year_plan_titles:
        return (f"{ap.books(report.year_plan_titles)}没有列明由{report.institution}承担的具体任务。"
                + follows)
    return f"现将{report.institution}{report.year}年度法治政府建设情况报告如下。"


# -- 主要举措和成效 ------------------------------------------------------------------------------
def _task_head(task: TaskFact) -> str:
    """The task as the unit did it: "牵头……", "配合市政府办公厅……", or the title itself."""
    title = task.title.strip().rstrip("。")
    if task.role == "lead" and not title.startswith("牵头"):
        return "牵头" + title
    if task.role == "assist" and task.lead_units:
        return f"配合{'、'.join(task.lead_units)}{title}"
    return title


def _notes_text(task: TaskFact) -> str:
    """The clerk's notes in order: several short ones as a chronicle ("4月，……；5月，……。"),
    else as sentences; a bare "已完成" is left to the status."""
    kept, seen = [], set()
    for note in task.notes:
        text = note.text.strip()
        if text and text not in seen and not (len(text) <= 6 and "完成" in text):
            seen.add(text)
            kept.append((note.day, text))
    if len(kept) < 2 or any("。" in t.rstrip("。") for _d, t in kept):
        return "".join(ap.sentence(t) for _d, t in kept)
    parts, month = [], 0
    for day, text in kept:
        lead = f"{day.month}月，" if day.month != month else ""
        month = day.month
        parts.append(lead + text.rstrip("。；;，, "))
    return "；".join(parts) + "。"


def _records_text(task: TaskFact) -> str:
    """The records that evidence the task, as what was done when: "6月18日，主持……；9月3日，
    在……中报告履职情况等4项工作。"."""
    if not task.records:
        return ""
    shown = task.records[:ap.LIST_LIMIT]
    listed = "；".join(f"{ap.month_day(r.day)}，{_record_action(r.title)}" for r in shown)
    more = f"等{len(task.records)}项工作" if len(task.records) > len(shown) else ""
    return listed + more + "。"


def _record_action(title: str) -> str:
    """A record's title as what the unit did: the debrief's verb for it, with a meeting the
    unit held rather than one a head chaired ("召开政府常务会议……")."""
    text = ph.action(title.strip().rstrip("。"))
    for chaired in ("主持召开", "主持"):
        if text.startswith(chaired):
            return "召开" + text.removeprefix(chaired)
    return text


def _task_status(task: TaskFact, seed: int) -> str:
    salt = task.title
    if task.done:
        if task.due is not None and not task.late:
            return ap.choose(ap.DONE_ON_TIME, seed, salt)
        if task.done_on is not None:
            return ap.choose(ap.DONE_ON, seed, salt).format(day=ap.month_day(task.done_on))
        return "已完成。"
    if task.task_done:
        return "该项任务已由牵头单位完成。"
    return ap.choose(ap.OVERDUE_UNDER_WAY if task.overdue else ap.UNDER_WAY, seed, salt)


def _task_point(task: TaskFact, seed: int) -> str:
    body = _notes_text(task) + _records_text(task)
    status = _task_status(task, seed)
    if not body:
        return f"{_task_head(task)}，{status}"
    return f"{_task_head(task)}。{body}{status}"


def _measures(report: AnnualReport, seed: int) -> str:
    lines = []
    for section in report.sections:
        told = [t for t in section.tasks if t.started]
        if not told:
            continue
        points = [_task_point(t, seed) for t in told]
        if len(points) > 1:
            points = [ap.ordinal(i) + p for i, p in enumerate(points)]
        lines.append(f"（{chinese_number(len(lines) + 1)}）{section.title}。" + "".join(points))
    if lines:
        return "\n".join(lines)
    if report.tasks:
        which = f"{len(report.tasks)}项工作任务都" if len(report.tasks) > 1 else "1项工作任务"
        return placeholder(f"本单位承担的{which}还没有填报进展。请先在“工作要点”中填报"
                           "任务进展，或根据实际工作情况填写本部分。")
    if report.year_plan_titles:
        return placeholder(f"{ap.books(report.year_plan_titles)}中没有本单位承担的任务。"
                           "请根据本单位实际工作情况填写主要举措和成效。")
    return placeholder(f"尚未导入{report.year}年度法治政府建设工作要点，也没有本单位的任务进展。"
                       "请导入工作要点并填报进展，或根据实际工作情况填写本部分。")


# -- 党政主要负责人履行推进法治建设第一责任人职责情况 ----------------------------------------------
def _tenure(head: HeadFact) -> str:
    """"（7月1日到任）" / "（任职至6月30日）" / "" for the whole year."""
    d = head.debrief
    if not d.terms or d.full_year:
        return ""
    first, last = d.terms[0], d.terms[-1]
    if len(d.terms) == 1 and first.start.month == 1 and first.start.day == 1:
        return f"（任职至{ap.month_day(last.end)}）"
    if len(d.terms) == 1 and last.end.month == 12 and last.end.day == 31:
        return f"（{ap.month_day(first.start)}到任）"
    return "（任职期间为" + "、".join(t.short_text for t in d.terms) + "）"


def _acts(head: HeadFact) -> str:
    """What the head did, from the duties they counted records for: "主持召开……2次，……"."""
    d = head.debrief
    acts = []
    for group in duty_groups([r for r in d.compliance if r.done]):
        row = group[0]
        if len(group) > 1 or row.target:
            heard = [r.target for r in group if r.done]
            acts.append(ph.action(ph.family_title(row.duty_title, row.target, heard)))
        else:
            count = ph.count_word(row.duty_title, row.unit)
            acts.append(f"{ph.action(row.duty_title)}{row.done}{count}")
    books, _n = ph.books_in([r.title for r in d.records if r.section == "study"], limit=3)
    if books:
        acts.append(f"带头学习{books}")
    return "，".join(acts)


def _verdict(head: HeadFact, missed: list[str]) -> str:
    d, tally = head.debrief, head.tally
    if not tally.applicable:
        if d.compliance:
            return "任职时间未达到法定履职事项考核期间的一半，本年度不作考核。"
        return "现行规则中没有适用于其岗位的量化履职事项，本年度不作考核。"
    if not missed and tally.done == tally.applicable:
        return f"适用的{tally.applicable}项法定履职事项均已按规定完成。"
    pending = tally.applicable - tally.done - tally.failed - tally.warning
    if not tally.done and not pending:
        return f"适用的{tally.applicable}项法定履职事项均未按要求完成：" + "；".join(missed) + "。"
    parts = [f"{tally.done}项已按规定完成"] if tally.done else []
    parts += missed
    parts += [f"{pending}项尚在推进中"] if pending > 0 else []
    return f"适用的{tally.applicable}项法定履职事项中，" + "；".join(parts) + "。"


def _head_paragraph(head: HeadFact, missed: list[str]) -> str:
    d = head.debrief
    who = f"{d.effective_institution}{d.leader_name}同志{_tenure(head)}"
    acts = _acts(head)
    if not acts:
        return f"{who}本年度没有登记履行法定职责的纪实。{_verdict(head, missed)}"
    return f"{who}{acts}。{_verdict(head, missed)}"


def _leadership(report: AnnualReport, seed: int) -> str:
    if not report.heads:
        return placeholder("尚未登记本单位的党政主要负责人。请在“负责人”中登记并记录其履职纪实，"
                           "或根据实际情况填写本部分。")
    missed = dict((id(h), m) for h, m in _missed_heads(report))
    facts = {"year": report.year, "unit": report.place}
    judged = [h for h in report.heads if h.tally.applicable]
    if judged and not missed and all(h.tally.done == h.tally.applicable for h in judged):
        intro = ap.choose(ap.HEADS_ALL_DONE, seed, "heads").format(**facts)
    else:
        basis = report.heads[0].debrief.rule_set_title
        intro = ap.choose(ap.HEADS_INTRO, seed, "heads").format(
            basis=f"对照{basis}，" if basis else "", **facts)
    lines = [intro] + [_head_paragraph(h, missed.get(id(h), [])) for h in report.heads]
    return "\n".join(lines)


# -- 存在的不足和原因 ---------------------------------------------------------------------------
def _problem_points(report: AnnualReport) -> tuple[list[str], list[str]]:
    """The shortcomings, and the kinds of cause they point to."""
    kinds = _shortcomings(report)
    points, causes = [], []
    when = "截至年底" if report.year_complete else "目前"
    if kinds["overdue"]:
        points.append(ap.quoted([t.title for t in kinds["overdue"]]) + "已超过完成时限，尚未完成")
    if kinds["late"]:
        points.append(ap.quoted([t.title for t in kinds["late"]]) + "虽已完成，但晚于规定时限")
    if kinds["idle"]:
        points.append(ap.quoted([t.title for t in kinds["idle"]]) + f"{when}尚未启动")
    if kinds["open"]:
        points.append(ap.quoted([t.title for t in kinds["open"]]) + "仍在推进中，没有在年内完成")
    if any(kinds.values()):
        causes.append("tasks")
    missed = _missed_heads(report)
    if missed:
        who = "，".join(f"{h.name}同志{_missed_count(h)}" for h, _m in missed)
        points.append(f"党政主要负责人履职还有差距，{who}")
        causes.append("heads")
    bare = _unevidenced(report)
    if bare:
        done = sum(t.done for t in report.tasks)
        points.append(f"已完成的{done}项任务都没有上传佐证材料，工作留痕不够完整" if len(bare) == done
                      else f"已完成的{done}项任务中有{len(bare)}项没有上传佐证材料，工作留痕不够完整")
        causes.append("evidence")
    return points, causes


def _missed_count(head: HeadFact) -> str:
    """"有2项法定履职事项没有按要求完成、1项尚未完成" (the details are in the heads' part)."""
    failed, warning = head.tally.failed, head.tally.warning
    if failed and warning:
        return f"有{failed}项法定履职事项没有按要求完成、{warning}项尚未完成"
    if failed:
        return f"有{failed}项法定履职事项没有按要求完成"
    return f"有{warning}项法定履职事项尚未完成"


def _nothing_missed(report: AnnualReport) -> list[str]:
    """What can be said when nothing went wrong: "均已" only when all is completed; while the
    year runs (or a task was completed by its lead) only that nothing is late."""
    said = []
    tasks = report.tasks
    if tasks and all(t.done and not t.late for t in tasks):
        said.append(f"{report.institution}承担的{len(tasks)}项工作任务均已按期完成")
    elif tasks:
        said.append(f"{report.institution}承担的{len(tasks)}项工作任务中，没有超过完成时限未完成的")
    judged = [h for h in report.heads if h.tally.applicable]
    if judged and all(h.tally.done == h.tally.applicable for h in judged):
        said.append("党政主要负责人适用的法定履职事项均已按规定完成")
    elif judged:
        said.append("党政主要负责人没有未按要求完成的法定履职事项")
    return said


def _problems(report: AnnualReport, seed: int) -> str:
    facts = {"year": report.year, "unit": report.institution}
    points, causes = _problem_points(report)
    if not report.tasks and not report.heads:
        return placeholder("本年度没有本单位的任务进展和负责人履职记录，无法据此分析不足。"
                           "请根据实际情况填写存在的不足和原因。")
    paragraphs = []
    if points:
        lead = ap.choose(ap.PROBLEMS_LEAD if report.tasks else ap.PROBLEMS_LEAD_HEADS, seed,
                         "lead").format(**facts)
        listed = points if len(points) == 1 else [ap.ordinal(i) + p for i, p in enumerate(points)]
        paragraphs.append(lead + "；".join(listed) + "。")
        reasons = [ap.choose(ap.CAUSES[c], seed, c) for c in causes]
        paragraphs.append("究其原因，主要是" + "；".join(reasons) + "。"
                          + ap.choose(ap.RESPONSIBILITY, seed, "responsibility"))
    else:
        said = _nothing_missed(report)
        if said:
            paragraphs.append("对照年度任务，" + "，".join(said) + "。"
                              + ap.choose(ap.NOTHING_MISSED, seed, "nothing"))
    if not report.tasks:
        paragraphs.append(placeholder("本年度没有本单位承担的工作任务记录，请结合实际补充工作"
                                      "推进方面存在的不足和原因。"))
    return "\n".join(paragraphs)


# -- 下一年度工作安排 ---------------------------------------------------------------------------
def _pair(options: tuple[tuple[str, str], ...], seed: int, salt: str) -> tuple[str, str]:
    return options[(seed ^ ph.seed_of(salt)) % len(options)]


def _next_year_point(report: AnnualReport, seed: int) -> tuple[str, str]:
    year = report.year + 1
    tasks = report.next_year_tasks
    if not tasks:
        head, text = _pair(ap.NEW_YEAR_PLANS, seed, "new")
        return head.format(year=year), text.format(year=year)
    leads = sum(t.role == "lead" for t in tasks)
    head, text = _pair(ap.NEXT_PLAN_PLANS, seed, "next")
    return head.format(year=year), text.format(
        plans=ap.books(report.next_plan_titles), n=len(tasks),
        lead=f"（其中牵头{leads}项）" if leads else "")


def _plans(report: AnnualReport, seed: int) -> str:
    points: list[tuple[str, str]] = []
    unfinished = _unfinished(report)  # those due next year too: they go on
    if unfinished:
        options = ap.UNFINISHED_PLANS if len(unfinished) > 1 else ap.UNFINISHED_PLAN_ONE
        head, text = _pair(options, seed, "unfinished")
        points.append((head, text.format(items=ap.quoted([t.title for t in unfinished]))))
    points.append(_next_year_point(report, seed))
    missed = _missed_heads(report)
    if missed:
        rows = [r for h, _m in missed for r in h.debrief.applicable_duties
                if r.status in (Status.FAILED, Status.WARNING)]
        items = "".join(ap.quote(t) for t in dict.fromkeys(r.duty_title for r in rows))
        head, text = _pair(ap.HEAD_FIX_PLANS, seed, "heads")
        points.append((head, text.format(items=items)))
    elif report.heads:
        points.append(_pair(ap.HEAD_KEEP_PLANS, seed, "keep"))
    if _unevidenced(report):
        points.append(_pair(ap.EVIDENCE_PLANS, seed, "evidence"))
    lines = [f"（{chinese_number(i)}）{head}。{text}。" for i, (head, text) in enumerate(points, 1)]
    if not report.tasks and not report.heads and not report.next_year_tasks:
        lines.append(placeholder("本年度没有可据以安排的任务和履职记录，请结合本单位实际补充"
                                 "下一年度的工作安排。"))
    lines.append(ap.choose(ap.CLOSINGS, seed, "closing").format(year=report.year + 1,
                                                                 unit=report.institution))
    return "\n".join(lines)
