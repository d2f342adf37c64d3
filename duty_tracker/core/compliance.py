"""The compliance engine: for a leader, a duty and a year, what was required in each
period, what was done, and the status.

Rules, in the words the clerk is shown (docs and the report repeat them):

- A period is *required* of a leader when his terms of office cover **at least half of its
  days**. A head replaced on 1 July therefore answers for the second half-year and the year
  (184 of 365 days), his predecessor for the first half-year only. Exactly half counts for both.
- *Done* counts the records linked to that leader and that duty, dated inside the period **and
  inside one of his terms** (a record from before he took office is his predecessor's). For a
  duty counted in study hours ("每年不少于40学时") it is the sum of those records' 学时 instead
  (a record without hours adds none).
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
from datetime import date
from typing import Any, NamedTuple

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

_Window = tuple[int, date | None, date | None, tuple[tuple[date, date], ...], bool, int, int]
_DONE, _FAILED, _WARNING = Status.DONE, Status.FAILED, Status.WARNING
_IN_PROGRESS, _NOT_APPLICABLE = Status.IN_PROGRESS, Status.NOT_APPLICABLE


class PeriodStatus(NamedTuple):
    """The verdict for one leader, one duty, one period.

    Immutable, and a named tuple rather than a frozen dataclass: a city's year has some 15,000
    of them, and a frozen dataclass costs ten times as much to build."""

    leader_id: int
    duty_id: int
    period: DatePeriod
    required: int  # the minimum count, or 0 when the period is 不适用
    done: int | float  # records, or the sum of their hours for a duty counted in hours
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


def _window(period: DatePeriod, terms: Sequence[Term]) -> _Window:
    """A leader's part of a period (merged terms): (days covered, first day, last day, the term
    parts inside the period, whether it is required — at least half covered — and the first
    and last day as ordinals)."""
    covered = 0
    lo: date | None = None
    hi: date | None = None
    parts = []
    for term in terms:
        days = overlap_days(period.start, period.end, term.start, term.end)
        if days == 0:
            continue
        covered += days
        start = max(period.start, term.start)
        end = period.end if term.end is None else min(period.end, term.end)
        parts.append((start, end))
        lo = start if lo is None else min(lo, start)
        hi = end if hi is None else max(hi, end)
    covered = min(covered, period.days)
    required = lo is not None and hi is not None and covered * 2 >= period.days
    return (covered, lo, hi, tuple(parts), required,
            lo.toordinal() if lo else 0, hi.toordinal() if hi else 0)


class Hours(NamedTuple):
    """The records of a duty counted in study hours: their sorted days, and ``totals[i]`` the
    hours of the first ``i`` of them (so a period's sum is two look-ups, like a count)."""

    days: Sequence[Any]
    totals: Sequence[float]

    @classmethod
    def of(cls, days: Sequence[Any], hours: Sequence[float | None]) -> Hours:
        """From the days (sorted) and each record's hours (None: none entered)."""
        totals = [0.0]
        for value in hours:
            totals.append(totals[-1] + (value or 0.0))
        return cls(days, totals)


def hours_amount(value: float) -> float | int:
    """A sum of hours as the clerk reads it: 12 rather than 12.000000001, 1.5 as 1.5."""
    value = round(value, 2)
    return int(value) if value.is_integer() else value


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
    window = _window(period, _merged_terms(leader.terms))
    return _verdict(leader.id, duty, period, window, _done(dates, window[3]), today.toordinal(),
                    warn_days)


def _done(dates: Sequence[Any] | Hours, parts: tuple[tuple[Any, Any], ...]) -> float | int:
    """Records dated inside the leader's parts of a period (the parts never overlap), or the
    sum of their hours for a duty counted in hours."""
    if type(dates) is Hours:
        days, totals = dates
        hours = sum(totals[bisect_right(days, hi)] - totals[bisect_left(days, lo)] for lo, hi in parts)
        return hours_amount(hours)
    if not dates:
        return 0
    total = 0
    for lo, hi in parts:
        total += bisect_right(dates, hi) - bisect_left(dates, lo)
    return total


def _verdict(leader_id: int, duty: DutySpec, period: DatePeriod, window: _Window, done: float,
             today: int, warn_days: int) -> PeriodStatus:
    """The status of a period from the leader's part of it; ``today`` is an ordinal."""
    covered, window_start, window_end, _parts, required, first, last = window
    if not required:
        return PeriodStatus(leader_id, duty.id, period, 0, done, _NOT_APPLICABLE, covered,
                            window_start, window_end)
    minimum = duty.min_count
    # expected_by() on ordinals: the minimum spread evenly over [first, last]
    if today < first:
        expected = 0
    elif today >= last:
        expected = minimum
    else:
        expected = minimum * (today - first + 1) // (last - first + 1)
    if done >= minimum:
        return PeriodStatus(leader_id, duty.id, period, minimum, done, _DONE, covered,
                            window_start, window_end, expected, False)
    if today > last:
        status = _FAILED
    elif last - today <= warn_days:
        status = _WARNING
    else:
        status = _IN_PROGRESS
    return PeriodStatus(leader_id, duty.id, period, minimum, done, status, covered,
                        window_start, window_end, expected,
                        status is not _FAILED and done < expected)


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
    done_dates: Mapping[tuple[int, int], Sequence[date] | Sequence[str]],
    today: date,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> list[PeriodStatus]:
    """Every period of every duty that applies to each leader's role, in leader, duty, period order.

    ``done_dates`` maps (leader_id, duty_id) to the sorted days of the linked records of the
    year (for a duty counted in hours, :class:`Hours`: the days with their hours) — dates, or ISO texts ("2025-03-01", which sort the same way and spare parsing tens
    of thousands of them); one record linked to two leaders and two duties appears under all
    four keys.

    The same verdicts as :func:`evaluate_period` period by period, worked out once where they
    are shared: a leader's part of a period is the same for every duty with that period, and
    the duties that apply are the same for every leader of a role.
    """
    periods = {duty.id: duty_periods(duty, year) for duty in duties}
    by_role: dict[str, list[DutySpec]] = {}
    out: list[PeriodStatus] = []
    today_ordinal = today.toordinal()
    whole_year = (date(year, 1, 1), date(year, 12, 31))
    in_office: tuple[dict, dict] = ({}, {})  # the periods of a leader in office all year, shared
    for leader in leaders:
        applicable = by_role.get(leader.role)
        if applicable is None:
            applicable = by_role[leader.role] = [d for d in duties if duty_applies_to(d.role, leader.role)]
        terms = _merged_terms(leader.terms)
        all_year = len(terms) == 1 and terms[0].start <= whole_year[0] and (
            terms[0].end is None or terms[0].end >= whole_year[1])
        _leader_periods(out, leader.id, terms, applicable, periods,
                        in_office if all_year else ({}, {}), done_dates, today_ordinal, warn_days)
    return out


def _leader_periods(out: list[PeriodStatus], leader_id: int, terms: list[Term],
                    duties: list[DutySpec], periods: dict[int, tuple[DatePeriod, ...]],
                    known: tuple[dict[int, _Window], dict[int, tuple[tuple[str, str], ...]]],
                    done_dates: Mapping[tuple[int, int], Sequence[Any]], today: int,
                    warn_days: int) -> None:
    """Append one leader's verdicts. His part of a period (and its days as ISO texts) is worked
    out once for all duties with that period — periods are shared objects, told apart by
    ``id`` — and ``known`` may hold them already: the same for every leader in office all year."""
    windows, texts = known
    append = out.append
    for duty in duties:
        days = done_dates.get((leader_id, duty.id), ())
        listed = days.days if type(days) is Hours else days
        as_text = bool(listed) and type(listed[0]) is str
        for period in periods[duty.id]:
            key = id(period)
            window = windows.get(key)
            if window is None:
                window = windows[key] = _window(period, terms)
            if not listed:
                done = 0
            else:
                parts: tuple = window[3]
                if as_text:
                    parts = texts.get(key) or texts.setdefault(
                        key, tuple((lo.isoformat(), hi.isoformat()) for lo, hi in parts))
                done = _done(days, parts)
            append(_verdict(leader_id, duty, period, window, done, today, warn_days))


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
