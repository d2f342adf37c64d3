"""Compliance engine edge cases (SPEC.md §3), pure Python, no database."""

from __future__ import annotations

from datetime import date as D

import pytest

from duty_tracker.core.compliance import evaluate_period, evaluate_year, year_status
from duty_tracker.core.domain import DutySpec, LeaderSpec, Period, Role, Status, Term
from duty_tracker.core.periods import periods_of_year


def duty(period: str = "year", min_count: int = 1, role: Role = Role.ALL, **kw) -> DutySpec:
    return DutySpec(id=kw.pop("id", 1), title="事项", period=Period(period), min_count=min_count,
                    role=role, **kw)


def leader(*terms: Term, role: Role = Role.PARTY, id: int = 1) -> LeaderSpec:
    return LeaderSpec(id=id, name="张喆", role=role, terms=tuple(terms))


FULL = Term(D(2020, 1, 1), None)


# -- periods -------------------------------------------------------------------------------
def test_half_years_meet_at_30_june_and_1_july() -> None:
    h1, h2 = periods_of_year("half_year", 2025)
    assert (h1.start, h1.end, h1.label) == (D(2025, 1, 1), D(2025, 6, 30), "上半年")
    assert (h2.start, h2.end, h2.label) == (D(2025, 7, 1), D(2025, 12, 31), "下半年")


def test_quarters_cover_the_year_without_gaps() -> None:
    quarters = periods_of_year("quarter", 2025)
    assert [q.start for q in quarters] == [D(2025, 1, 1), D(2025, 4, 1), D(2025, 7, 1), D(2025, 10, 1)]
    assert [q.end for q in quarters] == [D(2025, 3, 31), D(2025, 6, 30), D(2025, 9, 30), D(2025, 12, 31)]
    assert sum(q.days for q in quarters) == 365


def test_months_never_skip_short_months_and_know_leap_years() -> None:
    months = periods_of_year("month", 2024)
    assert len(months) == 12
    assert months[1].end == D(2024, 2, 29)
    assert periods_of_year("month", 2025)[1].end == D(2025, 2, 28)
    assert sum(m.days for m in months) == 366


def test_once_duty_has_one_period_in_its_due_year_only() -> None:
    assert periods_of_year("once", 2025, due=D(2025, 9, 30))[0].end == D(2025, 9, 30)
    assert periods_of_year("once", 2024, due=D(2025, 9, 30)) == ()
    assert periods_of_year("once", 2025) == ()


def test_in_year_deadline_ends_the_year_period_early() -> None:
    (period,) = periods_of_year("year", 2025, due_month_day=(3, 1))
    assert (period.start, period.end) == (D(2025, 1, 1), D(2025, 3, 1))


def test_29_february_deadline_is_clamped_in_common_years() -> None:
    assert periods_of_year("year", 2025, due_month_day=(2, 29))[0].end == D(2025, 2, 28)
    assert periods_of_year("year", 2024, due_month_day=(2, 29))[0].end == D(2024, 2, 29)


# -- statuses at the edges -------------------------------------------------------------------
def _status(d: DutySpec, lead: LeaderSpec, dates: list[D], today: D, index: int = 0):
    period = periods_of_year(d.period, 2025, due=d.due, due_month_day=d.due_month_day)[index]
    return evaluate_period(lead, d, period, sorted(dates), today)


def test_record_on_31_december_counts_for_that_year_not_the_next() -> None:
    d = duty()
    assert _status(d, leader(FULL), [D(2025, 12, 31)], D(2026, 1, 5)).status is Status.DONE
    assert _status(d, leader(FULL), [D(2026, 1, 1)], D(2026, 1, 5)).status is Status.FAILED


def test_record_on_30_june_counts_for_first_half_and_1_july_for_second() -> None:
    d = duty("half_year")
    assert _status(d, leader(FULL), [D(2025, 6, 30)], D(2025, 12, 1), 0).done == 1
    assert _status(d, leader(FULL), [D(2025, 6, 30)], D(2025, 12, 1), 1).done == 0
    assert _status(d, leader(FULL), [D(2025, 7, 1)], D(2025, 12, 1), 1).done == 1


def test_status_progression_in_progress_warning_failed_done() -> None:
    d = duty("year", 2)
    lead = leader(FULL)
    assert _status(d, lead, [], D(2025, 3, 1)).status is Status.IN_PROGRESS
    assert _status(d, lead, [D(2025, 2, 1)], D(2025, 12, 1)).status is Status.WARNING  # 30 days left
    assert _status(d, lead, [D(2025, 2, 1)], D(2025, 11, 30)).status is Status.IN_PROGRESS  # 31 left
    assert _status(d, lead, [D(2025, 2, 1)], D(2026, 1, 1)).status is Status.FAILED
    assert _status(d, lead, [D(2025, 2, 1), D(2025, 5, 1)], D(2025, 6, 1)).status is Status.DONE


def test_last_day_of_period_is_still_warning_not_failed() -> None:
    assert _status(duty(), leader(FULL), [], D(2025, 12, 31)).status is Status.WARNING


# -- terms -----------------------------------------------------------------------------------
def test_handover_on_1_july_splits_half_years_and_year_goes_to_successor() -> None:
    old = leader(Term(D(2020, 1, 1), D(2025, 6, 30)), id=1)
    new = leader(Term(D(2025, 7, 1), None), id=2)
    half = duty("half_year", id=1)
    year = duty("year", id=2)
    statuses = {
        (p.leader_id, p.duty_id, p.period.label): p
        for p in evaluate_year([old, new], [half, year], 2025, {}, D(2026, 2, 1))
    }
    assert statuses[(1, 1, "上半年")].status is Status.FAILED
    assert statuses[(1, 1, "下半年")].status is Status.NOT_APPLICABLE
    assert statuses[(2, 1, "上半年")].status is Status.NOT_APPLICABLE
    assert statuses[(2, 1, "下半年")].required == 1
    assert statuses[(1, 2, "全年")].status is Status.NOT_APPLICABLE  # 181 of 365 days
    assert statuses[(2, 2, "全年")].required == 1  # 184 of 365 days
    assert statuses[(2, 2, "全年")].partial


def test_leap_year_handover_1_july_still_gives_the_year_to_successor() -> None:
    old = leader(Term(D(2020, 1, 1), D(2024, 6, 30)), id=1)
    new = leader(Term(D(2024, 7, 1), None), id=2)
    out = evaluate_year([old, new], [duty("year")], 2024, {}, D(2025, 2, 1))
    assert [(p.leader_id, p.required, p.covered_days) for p in out] == [(1, 0, 182), (2, 1, 184)]


def test_exactly_half_a_period_is_required() -> None:
    # H1 2025 has 181 days; a term covering 91 of them (>= half) is required.
    lead = leader(Term(D(2025, 4, 1), None))
    assert _status(duty("half_year"), lead, [], D(2025, 5, 1)).required == 1
    lead = leader(Term(D(2025, 4, 2), None))  # 90 days: less than half
    assert _status(duty("half_year"), lead, [], D(2025, 5, 1)).status is Status.NOT_APPLICABLE


def test_records_outside_the_term_do_not_count() -> None:
    lead = leader(Term(D(2025, 3, 1), None))
    result = _status(duty("year", 1), lead, [D(2025, 2, 27)], D(2026, 1, 2))
    assert result.done == 0
    assert result.status is Status.FAILED


def test_term_ending_mid_period_fails_once_the_term_is_over() -> None:
    lead = leader(Term(D(2020, 1, 1), D(2025, 9, 30)))
    result = _status(duty("year"), lead, [], D(2025, 10, 15))
    assert result.status is Status.FAILED
    assert result.window_end == D(2025, 9, 30)
    assert result.partial


def test_overlapping_terms_are_not_counted_twice() -> None:
    lead = leader(Term(D(2024, 1, 1), D(2025, 7, 1)), Term(D(2025, 7, 1), None))
    result = _status(duty("year", 2), lead, [D(2025, 7, 1)], D(2025, 8, 1))
    assert result.done == 1
    assert result.covered_days == 365


def test_two_terms_in_one_year_count_records_in_both() -> None:
    lead = leader(Term(D(2025, 1, 1), D(2025, 4, 30)), Term(D(2025, 9, 1), None))
    result = _status(duty("year", 2), lead, [D(2025, 2, 1), D(2025, 6, 1), D(2025, 10, 1)], D(2026, 1, 2))
    assert result.done == 2
    assert result.status is Status.DONE


def test_no_term_in_period_is_not_applicable_even_with_records() -> None:
    lead = leader(Term(D(2026, 1, 1), None))
    result = _status(duty(), lead, [D(2025, 5, 5)], D(2025, 6, 1))
    assert result.status is Status.NOT_APPLICABLE
    assert result.required == 0


# -- roles, once duties, year status ------------------------------------------------------------
def test_duties_follow_roles() -> None:
    party = leader(FULL, role=Role.PARTY, id=1)
    gov = leader(FULL, role=Role.GOVERNMENT, id=2)
    other = leader(FULL, role=Role.OTHER, id=3)
    duties = [duty(role=Role.PARTY, id=1), duty(role=Role.GOVERNMENT, id=2), duty(role=Role.ALL, id=3)]
    out = evaluate_year([party, gov, other], duties, 2025, {}, D(2025, 5, 1))
    assert sorted((p.leader_id, p.duty_id) for p in out) == [(1, 1), (1, 3), (2, 2), (2, 3), (3, 3)]


def test_once_duty_with_due_date() -> None:
    d = duty("once", due=D(2025, 9, 30))
    assert _status(d, leader(FULL), [D(2025, 9, 30)], D(2025, 10, 1)).status is Status.DONE
    assert _status(d, leader(FULL), [D(2025, 10, 1)], D(2025, 10, 1)).status is Status.FAILED
    assert _status(d, leader(FULL), [], D(2025, 9, 1)).status is Status.WARNING


def test_year_status_is_the_worst_period() -> None:
    d = duty("quarter", id=7)
    dates = {(1, 7): [D(2025, 2, 1), D(2025, 8, 1)]}
    out = evaluate_year([leader(FULL)], [d], 2025, dates, D(2025, 12, 10))
    assert [p.status for p in out] == [Status.DONE, Status.FAILED, Status.DONE, Status.WARNING]
    assert year_status(out) is Status.FAILED


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2100])
def test_periods_partition_every_year(year: int) -> None:
    for kind in ("year", "half_year", "quarter", "month"):
        periods = periods_of_year(kind, year)
        assert periods[0].start == D(year, 1, 1) and periods[-1].end == D(year, 12, 31)
        for a, b in zip(periods, periods[1:], strict=False):
            assert (b.start - a.end).days == 1


# -- pace: expected by now, behind (the five statuses unchanged) ---------------------------------
def test_four_a_year_with_one_done_by_october_is_behind_but_still_in_progress() -> None:
    p = _status(duty("year", 4), leader(Term(D(2020, 1, 1))), [D(2025, 3, 1)], D(2025, 10, 1))
    assert p.status is Status.IN_PROGRESS
    assert p.expected_by_now == 3 and p.behind


def test_on_pace_is_not_behind_and_early_in_the_year_nothing_is_expected() -> None:
    lead = leader(Term(D(2020, 1, 1)))
    assert not _status(duty("year", 4), lead, [D(2025, 2, 1), D(2025, 5, 1), D(2025, 8, 1)],
                       D(2025, 10, 1)).behind
    early = _status(duty("year", 2), lead, [], D(2025, 1, 20))
    assert early.expected_by_now == 0 and not early.behind


def test_pace_counts_only_the_leaders_part_of_the_period() -> None:
    successor = leader(Term(D(2025, 7, 1)))
    p = _status(duty("year", 2), successor, [], D(2025, 10, 1))  # 93 of his 184 days
    assert p.expected_by_now == 1 and p.behind


def test_done_failed_and_not_applicable_periods_are_never_behind() -> None:
    lead = leader(Term(D(2020, 1, 1)))
    done = _status(duty("year", 1), lead, [D(2025, 2, 1)], D(2025, 10, 1))
    failed = _status(duty("half_year", 2), lead, [], D(2025, 10, 1))
    assert (done.status, done.behind) == (Status.DONE, False)
    assert (failed.status, failed.behind, failed.expected_by_now) == (Status.FAILED, False, 2)
    absent = _status(duty("year", 2), leader(Term(D(2025, 11, 1))), [], D(2025, 11, 20))
    assert absent.status is Status.NOT_APPLICABLE and absent.expected_by_now == 0 and not absent.behind
