"""The compliance engine: for a leader, a duty and a year, what was required in each
period, what was done, and the status.

Rules, in the words the clerk is shown (docs and the report repeat them):

- A period is *required* of a leader when his terms of office cover **at least half of its
  days**. A head replaced on 1 July therefore answers for the second half-year and the year
  (184 of 365 days), his predecessor for the first half-year only. Exactly half counts for both.
- *Done* counts the records linked to that leader and that duty, dated inside the period **and
  inside one of his terms** (a record from before he took office is his predecessor's).
- Status of a required period: 达标 when done ≥ the minimum; otherwise 未达标 once the leader's
  part of the period is over (the period's end, or his term's end if that comes first); 预警
  when that end is at most ``warn_days`` (default 30) days away; else 进行中. A period he does
  not have to answer for is 不适用.
- The year's status of a duty is the worst status of its periods.
- Pace (without changing the status): while a period is under way, *expected by now* is the
  minimum spread evenly over the leader's part of the period, rounded down — 4 a year means 3
  by the start of October. A period under way is *behind* when done is short of it, so that a
  quota is seen slipping long before its last 30 days.

Everything is pure Python; ``today`` is always passed in so tests can fix the clock.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from duty_tracker.core.domain import (
    DutySpec,
    LeaderSpec,
    Status,
    Term,
    duty_applies_to,
    worst_status,
)
from duty_tracker.core.periods import DatePeriod, overlap_days, periods_of_year

DEFAULT_WARN_DAYS = 30


@dataclass(frozen=True, slots=True)
class PeriodStatus:
    """The verdict for one leader, one duty, one period."""

    leader_id: int
    duty_id: int
    period: DatePeriod
    required: int  # the minimum count, or 0 when the period is 不适用
    done: int
    status: Status
    covered_days: int  # days of the period inside the leader's terms
    window_start: date | None  # the leader's part of the period (None when not covered)
    window_end: date | None
    expected_by_now: int = 0  # the minimum spread evenly up to today (all of it once over)
    behind: bool = False  # under way and done < expected_by_now

    @property
    def partial(self) -> bool:
        """The leader's terms cover only part of this period (shown in the UI and report)."""
        return 0 < self.covered_days < self.period.days


def _window(period: DatePeriod, terms: Sequence[Term]) -> tuple[int, date | None, date | None]:
    covered = 0
    lo: date | None = None
    hi: date | None = None
    for term in terms:
        days = overlap_days(period.start, period.end, term.start, term.end)
        if days == 0:
            continue
        covered += days
        start = max(period.start, term.start)
        end = period.end if term.end is None else min(period.end, term.end)
        lo = start if lo is None else min(lo, start)
        hi = end if hi is None else max(hi, end)
    return min(covered, period.days), lo, hi


def count_in_terms(dates: Sequence[date], start: date, end: date, terms: Sequence[Term]) -> int:
    """Records (sorted ``dates``) inside ``[start, end]`` and inside one of the (disjoint) terms."""
    total = 0
    for term in terms:
        lo = max(start, term.start)
        hi = end if term.end is None else min(end, term.end)
        if lo <= hi:
            total += bisect_right(dates, hi) - bisect_left(dates, lo)
    return total


def evaluate_period(
    leader: LeaderSpec,
    duty: DutySpec,
    period: DatePeriod,
    dates: Sequence[date],
    today: date,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> PeriodStatus:
    """Status of one period. ``dates`` are the sorted dates of the leader's records for the duty."""
    terms = _merged_terms(leader.terms)
    covered, window_start, window_end = _window(period, terms)
    done = count_in_terms(dates, period.start, period.end, terms)
    expected = 0
    if covered * 2 < period.days or window_end is None:
        status, required = Status.NOT_APPLICABLE, 0
    else:
        expected = expected_by(duty.min_count, window_start, window_end, today)
        required = duty.min_count
        if done >= required:
            status = Status.DONE
        elif today > window_end:
            status = Status.FAILED
        elif (window_end - today).days <= warn_days:
            status = Status.WARNING
        else:
            status = Status.IN_PROGRESS
    return PeriodStatus(
        leader_id=leader.id,
        duty_id=duty.id,
        period=period,
        required=required,
        done=done,
        status=status,
        covered_days=covered,
        window_start=window_start,
        window_end=window_end,
        expected_by_now=expected,
        behind=status in (Status.IN_PROGRESS, Status.WARNING) and done < expected,
    )


def expected_by(minimum: int, start: date, end: date, today: date) -> int:
    """How many of ``minimum`` should be done by ``today`` if spread evenly over [start, end]."""
    if today < start:
        return 0
    if today >= end:
        return minimum
    elapsed = (today - start).days + 1
    return minimum * elapsed // ((end - start).days + 1)


def duty_periods(duty: DutySpec, year: int) -> tuple[DatePeriod, ...]:
    return periods_of_year(duty.period, year, due=duty.due, due_month_day=duty.due_month_day)


def evaluate_year(
    leaders: Iterable[LeaderSpec],
    duties: Sequence[DutySpec],
    year: int,
    done_dates: Mapping[tuple[int, int], Sequence[date]],
    today: date,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> list[PeriodStatus]:
    """Every period of every duty that applies to each leader's role, in leader, duty, period order.

    ``done_dates`` maps (leader_id, duty_id) to the sorted dates of the linked records of the
    year; one record linked to two leaders and two duties appears under all four keys.
    """
    periods = {duty.id: duty_periods(duty, year) for duty in duties}
    out: list[PeriodStatus] = []
    for leader in leaders:
        for duty in duties:
            if not duty_applies_to(duty.role, leader.role):
                continue
            dates = done_dates.get((leader.id, duty.id), ())
            for period in periods[duty.id]:
                out.append(evaluate_period(leader, duty, period, dates, today, warn_days))
    return out


def year_status(period_statuses: Iterable[PeriodStatus]) -> Status:
    """The worst status among the periods of one duty: the year's status of that duty."""
    return worst_status([p.status for p in period_statuses])


def _merged_terms(terms: Sequence[Term]) -> list[Term]:
    """Overlapping or touching terms merged, so a day is never counted twice.

    A handover re-entered by mistake (two terms sharing days) must not double the count.
    """
    ordered = sorted(terms, key=lambda t: t.start)
    merged: list[Term] = []
    for term in ordered:
        if merged:
            last = merged[-1]
            if last.end is None or term.start <= last.end:
                end = None if (last.end is None or term.end is None) else max(last.end, term.end)
                merged[-1] = Term(last.start, end)
                continue
        merged.append(term)
    return merged
