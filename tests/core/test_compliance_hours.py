"""A duty counted in study hours ("领导干部年度学法不少于40学时") is done when the hours of the
leader's records in the period, inside his terms, add up to the minimum — not when there are 40
records; a record without hours adds none; the pace and the debrief speak in hours."""

from __future__ import annotations

from datetime import date

import pytest

from duty_tracker.core.compliance import Hours, evaluate_period
from duty_tracker.core.domain import DutySpec, LeaderSpec, Period, Role, Status, Term
from duty_tracker.core.periods import periods_of_year
from duty_tracker.core.status import year_status

TODAY = date(2025, 11, 20)


@pytest.fixture
def hours_duty(store) -> int:
    rule_set = store.rules.rule_sets_for_year(2025)[0]
    return store.rules.add_duty(rule_set, title="领导干部年度学法", role="all", period="year",
                                min_count=40, unit="hours")


@pytest.fixture
def head(store, unit_id) -> int:
    return store.people.add_leader("赵宇", unit_id, "party", "区委书记", term_start="2020-01-01")


def _study(store, leader: int, duty: int, day: str, hours: float | None) -> int:
    return store.records.add_record(performed_on=day, title=f"法治专题学习{day}", kind="学法",
                                    leader_ids=[leader], duty_ids=[duty], hours=hours)


def _period(status, leader: int, duty: int):
    return next(p for p in status.periods if p.leader_id == leader and p.duty_id == duty)


def test_hours_are_summed_against_the_minimum(store, head, hours_duty) -> None:
    _study(store, head, hours_duty, "2025-03-01", 30)
    _study(store, head, hours_duty, "2025-06-01", None)  # no hours entered: adds none
    p = _period(year_status(store, 2025, today=TODAY), head, hours_duty)
    assert p.required == 40 and p.done == 30 and p.status is Status.IN_PROGRESS
    assert p.behind and p.expected_by_now == 35  # an even pace: 35 hours by 20 November
    _study(store, head, hours_duty, "2025-09-01", 10.5)
    p = _period(year_status(store, 2025, today=TODAY), head, hours_duty)
    assert p.done == 40.5 and p.status is Status.DONE


def test_only_the_hours_inside_the_leaders_term_count(store, unit_id, hours_duty) -> None:
    late = store.people.add_leader("钱明", unit_id, "party", "区委书记", term_start="2025-05-01")
    _study(store, late, hours_duty, "2025-04-20", 24)  # before he took office
    _study(store, late, hours_duty, "2025-05-02", 16)
    p = _period(year_status(store, 2025, today=TODAY, leader_ids=[late]), late, hours_duty)
    assert p.done == 16 and p.status is Status.IN_PROGRESS


def test_a_deleted_record_takes_its_hours_with_it(store, head, hours_duty) -> None:
    record = _study(store, head, hours_duty, "2025-03-01", 40)
    assert _period(year_status(store, 2025, today=TODAY), head, hours_duty).status is Status.DONE
    store.records.delete_records([record])
    assert _period(year_status(store, 2025, today=TODAY), head, hours_duty).done == 0


def test_a_duty_counted_in_times_still_counts_records(store, head, duty_ids) -> None:
    study = duty_ids["党委理论学习中心组学法"]
    _study(store, head, study, "2025-03-01", 3)
    _study(store, head, study, "2025-04-01", 3)
    assert _period(year_status(store, 2025, today=TODAY), head, study).done == 2


def test_sums_are_exact_to_the_clerks_eye() -> None:
    duty = DutySpec(1, "年度学法", Period.YEAR, 2, role=Role.ALL, unit="hours")
    leader = LeaderSpec(1, "甲", Role.PARTY, (Term(date(2020, 1, 1)),))
    days = [date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)]
    year = periods_of_year(Period.YEAR, 2025)[0]
    p = evaluate_period(leader, duty, year, Hours.of(days, [0.1, 0.2, 0.7]), TODAY)
    assert p.done == 1 and type(p.done) is int
    p = evaluate_period(leader, duty, year, Hours.of(days, [0.1, 0.2, None]), TODAY)
    assert p.done == 0.3


def test_the_debrief_table_says_the_duty_is_counted_in_hours(store, head, hours_duty, tmp_path) -> None:
    import pdfplumber

    from duty_tracker.core.services import reporting

    _study(store, head, hours_duty, "2025-03-01", 12.5)
    _study(store, head, hours_duty, "2025-05-01", 8)
    out = tmp_path / "述职.pdf"
    reporting.export_debrief(store, reporting.DebriefExport(head, 2025, out, TODAY))
    with pdfplumber.open(out) as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")
    text = text.replace(" ", "")
    assert "领导干部年度学法（学" in text and "20.5" in text  # the cell wraps before 时）
