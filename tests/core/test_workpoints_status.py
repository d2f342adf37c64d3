"""Status rules of work-point tasks, per unit and per task: each status, the edges of the
warning window, the roles that decide, and properties that hold for any facts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duty_tracker.core.compliance import DEFAULT_WARN_DAYS
from duty_tracker.core.workpoints import status as status_module
from duty_tracker.core.workpoints.status import (
    ProgressFact,
    TaskStatus,
    deciding_units,
    task_verdict,
    unit_verdict,
)

D = date
DUE = D(2017, 12, 31)


# -- per unit ------------------------------------------------------------------------------------
def test_nothing_reported_and_far_from_the_deadline_is_not_started():
    v = unit_verdict(DUE, [], D(2017, 3, 1))
    assert v.status is TaskStatus.NOT_STARTED and v.reported == 0 and v.label == "未开始"


def test_a_note_makes_it_in_progress():
    v = unit_verdict(DUE, [ProgressFact(D(2017, 2, 1))], D(2017, 3, 1))
    assert v.status is TaskStatus.IN_PROGRESS and v.reported == 1 and v.last_on == D(2017, 2, 1)


def test_a_done_entry_completes_it_and_a_later_note_does_not_reopen_it():
    facts = [ProgressFact(D(2017, 5, 1), done=True), ProgressFact(D(2017, 6, 1))]
    v = unit_verdict(DUE, facts, D(2018, 2, 1))
    assert v.status is TaskStatus.DONE and v.done_on == D(2017, 5, 1) and not v.late
    assert v.label == "已完成"


def test_done_after_the_deadline_is_done_late():
    v = unit_verdict(D(2017, 6, 30), [ProgressFact(D(2017, 7, 5), done=True)], D(2017, 8, 1))
    assert v.status is TaskStatus.DONE and v.late and v.label == "已完成（逾期完成）"


def test_past_the_deadline_and_not_done_is_overdue_even_with_progress():
    v = unit_verdict(D(2017, 6, 30), [ProgressFact(D(2017, 6, 1))], D(2017, 7, 5))
    assert v.status is TaskStatus.OVERDUE and v.days_left == -5 and v.label == "逾期 5 天"


def test_within_the_warning_days_is_due_soon():
    today = DUE - timedelta(days=DEFAULT_WARN_DAYS)
    v = unit_verdict(DUE, [ProgressFact(D(2017, 2, 1))], today)
    assert v.status is TaskStatus.DUE_SOON and v.label == f"临期（还有 {DEFAULT_WARN_DAYS} 天）"
    assert unit_verdict(DUE, [], today - timedelta(days=1)).status is TaskStatus.NOT_STARTED


def test_the_deadline_day_itself_is_due_soon_and_the_next_day_overdue():
    assert unit_verdict(DUE, [], DUE).label == "今日到期"
    assert unit_verdict(DUE, [], DUE + timedelta(days=1)).status is TaskStatus.OVERDUE


def test_without_a_deadline_never_overdue_or_due_soon():
    assert unit_verdict(None, [], D(2030, 1, 1)).status is TaskStatus.NOT_STARTED
    assert unit_verdict(None, [ProgressFact(D(2017, 1, 1))], D(2030, 1, 1)).status is TaskStatus.IN_PROGRESS


def test_only_what_is_reported_by_today_counts():
    facts = [ProgressFact(D(2017, 9, 1), done=True)]
    assert unit_verdict(DUE, facts, D(2017, 8, 31)).status is TaskStatus.NOT_STARTED
    assert unit_verdict(DUE, facts, D(2017, 9, 1)).status is TaskStatus.DONE


def test_a_shorter_warning_window_is_honoured():
    assert unit_verdict(DUE, [], DUE - timedelta(days=10), warn_days=7).status is TaskStatus.NOT_STARTED
    assert unit_verdict(DUE, [], DUE - timedelta(days=7), warn_days=7).status is TaskStatus.DUE_SOON


def test_the_rules_are_documented_in_the_clerks_words():
    doc = status_module.__doc__ or ""
    rules = status_module.STATUS_RULES
    assert [r.split("：")[0] for r in rules[:5]] == ["已完成", "逾期", "临期", "推进中", "未开始"]
    assert f"{DEFAULT_WARN_DAYS} 天" in rules[2]
    for rule in rules:
        assert rule in doc


# -- per task ------------------------------------------------------------------------------------
def _verdicts(today: date, due: date | None, facts: dict[int, list[ProgressFact]]):
    return {unit: unit_verdict(due, f, today) for unit, f in facts.items()}


def test_the_leads_decide_when_there_are_leads():
    roles = {1: "lead", 2: "responsible", 3: "assist"}
    facts = {1: [ProgressFact(D(2017, 5, 1), True)], 2: [], 3: []}
    v = task_verdict(DUE, roles, _verdicts(D(2017, 6, 1), DUE, facts), D(2017, 6, 1))
    assert v.status is TaskStatus.DONE and (v.done_units, v.deciding_units) == (1, 1)


def test_without_leads_every_responsible_unit_must_be_done():
    roles = {1: "responsible", 2: "responsible", 3: "assist"}
    facts = {1: [ProgressFact(D(2017, 5, 1), True)], 2: [], 3: []}
    today = D(2017, 6, 1)
    v = task_verdict(DUE, roles, _verdicts(today, DUE, facts), today)
    assert v.status is TaskStatus.IN_PROGRESS and (v.done_units, v.deciding_units) == (1, 2)
    facts[2] = [ProgressFact(D(2017, 5, 20), True)]
    v = task_verdict(DUE, roles, _verdicts(today, DUE, facts), today)
    assert v.status is TaskStatus.DONE and v.done_on == D(2017, 5, 20)


def test_only_assisting_units_decide_when_there_are_no_others():
    assert deciding_units({4: "assist", 5: "assist"}) == [4, 5]
    assert deciding_units({}) == []


def test_an_assisting_unit_done_does_not_complete_the_task():
    roles = {1: "lead", 2: "assist"}
    facts = {1: [], 2: [ProgressFact(D(2017, 5, 1), True)]}
    today = D(2017, 6, 1)
    v = task_verdict(DUE, roles, _verdicts(today, DUE, facts), today)
    assert v.status is TaskStatus.IN_PROGRESS


def test_task_overdue_and_due_soon():
    roles = {1: "responsible"}
    due = D(2017, 6, 30)
    assert task_verdict(due, roles, _verdicts(D(2017, 7, 1), due, {1: []}), D(2017, 7, 1)).status \
        is TaskStatus.OVERDUE
    assert task_verdict(due, roles, _verdicts(D(2017, 6, 20), due, {1: []}), D(2017, 6, 20)).status \
        is TaskStatus.DUE_SOON


def test_a_task_without_units_goes_by_its_deadline_and_its_own_evidence():
    assert task_verdict(DUE, {}, {}, D(2017, 3, 1)).status is TaskStatus.NOT_STARTED
    v = task_verdict(DUE, {}, {}, D(2017, 3, 1), task_facts=[ProgressFact(D(2017, 2, 1))])
    assert v.status is TaskStatus.IN_PROGRESS and v.reported == 1
    assert task_verdict(DUE, {}, {}, D(2018, 1, 1)).status is TaskStatus.OVERDUE


def test_once_the_task_is_done_the_other_units_are_no_longer_late():
    roles = {1: "lead", 2: "assist", 3: "assist"}
    due = D(2017, 6, 30)
    today = D(2017, 8, 1)
    units = _verdicts(today, due, {1: [ProgressFact(D(2017, 6, 1), True)], 2: [], 3: [ProgressFact(D(2017, 5, 1))]})
    task = task_verdict(due, roles, units, today)
    assert units[2].status is TaskStatus.OVERDUE  # on its own
    assert status_module.settled(units[2], task).status is TaskStatus.NOT_STARTED
    assert status_module.settled(units[3], task).status is TaskStatus.IN_PROGRESS
    assert status_module.settled(units[1], task) is units[1]
    open_task = task_verdict(due, {1: "lead", 2: "assist"}, {1: units[2], 2: units[2]}, today)
    assert status_module.settled(units[2], open_task).status is TaskStatus.OVERDUE


def test_a_task_completed_late_says_so():
    roles = {1: "lead"}
    due = D(2017, 6, 30)
    facts = {1: [ProgressFact(D(2017, 7, 10), True)]}
    v = task_verdict(due, roles, _verdicts(D(2017, 8, 1), due, facts), D(2017, 8, 1))
    assert v.status is TaskStatus.DONE and v.late


# -- properties ----------------------------------------------------------------------------------
_DAYS = st.dates(min_value=D(2016, 1, 1), max_value=D(2019, 12, 31))
_FACTS = st.lists(st.builds(ProgressFact, _DAYS, st.booleans()), max_size=8)


@given(due=st.none() | _DAYS, facts=_FACTS, today=_DAYS, warn=st.integers(0, 90))
def test_unit_status_follows_the_rules_for_any_facts(due, facts, today, warn):
    v = unit_verdict(due, facts, today, warn_days=warn)
    counted = [f for f in facts if f.on <= today]
    assert v.reported == len(counted)
    if any(f.done for f in counted):
        assert v.status is TaskStatus.DONE
        assert v.done_on == min(f.on for f in counted if f.done)
    elif due is not None and due < today:
        assert v.status is TaskStatus.OVERDUE
    elif due is not None and (due - today).days <= warn:
        assert v.status is TaskStatus.DUE_SOON
    else:
        assert v.status is (TaskStatus.IN_PROGRESS if counted else TaskStatus.NOT_STARTED)
    assert v.label.startswith(v.status.value) or v.label == "今日到期"


@given(roles=st.dictionaries(st.integers(1, 6), st.sampled_from(["lead", "responsible", "assist"]),
                             max_size=6),
       facts=st.dictionaries(st.integers(1, 6), _FACTS, max_size=6), today=_DAYS, due=st.none() | _DAYS)
def test_task_done_exactly_when_its_deciding_units_are(roles, facts, today, due):
    units = {u: unit_verdict(due, facts.get(u, []), today) for u in roles}
    v = task_verdict(due, roles, units, today)
    deciding = deciding_units(roles)
    all_done = bool(deciding) and all(units[u].status is TaskStatus.DONE for u in deciding)
    assert (v.status is TaskStatus.DONE) == all_done
    assert v.deciding_units == len(deciding) and 0 <= v.done_units <= v.deciding_units


@pytest.mark.parametrize("status", list(TaskStatus))
def test_every_status_has_an_urgency(status):
    assert status in status_module.STATUS_URGENCY
