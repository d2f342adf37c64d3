"""Splitting a year into a duty's periods.

Periods are generated with python-dateutil's ``rrule`` on the first day of each month, never on
the 29th–31st: ``rrule(MONTHLY, bymonthday=31)`` silently skips February, April … which would
make whole periods vanish. Every period is a closed interval of dates ``[start, end]``.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from duty_tracker.core.domain import Period

_MONTHS_PER_PERIOD = {Period.YEAR: 12, Period.HALF_YEAR: 6, Period.QUARTER: 3, Period.MONTH: 1}


class DatePeriod(NamedTuple):
    """One period of a duty in a year, with the label clerks read ("上半年", "第二季度", "3月")."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _label(period: Period, index: int, year: int) -> str:
    if period is Period.YEAR:
        return "全年"
    if period is Period.HALF_YEAR:
        return "上半年" if index == 0 else "下半年"
    if period is Period.QUARTER:
        return f"第{'一二三四'[index]}季度"
    if period is Period.MONTH:
        return f"{index + 1}月"
    return "一次性"


def periods_of_year(
    period: Period | str,
    year: int,
    *,
    due: date | None = None,
    due_month_day: tuple[int, int] | None = None,
) -> tuple[DatePeriod, ...]:
    """The periods of ``year`` for a duty with the given period kind.

    - ``once``: a single period ending on the due date, reported in the due date's year only
      (it starts on 1 January of that year); no due date, or another year → no periods.
    - ``year`` with ``due_month_day`` (e.g. "每年3月1日前"): the year's period ends on that day.
    """
    return _periods_of_year(Period(period), year, due, due_month_day)


@lru_cache(maxsize=4096)
def _periods_of_year(
    period: Period, year: int, due: date | None, due_month_day: tuple[int, int] | None
) -> tuple[DatePeriod, ...]:
    """Cached: the compliance engine and the demo generator ask for the same few thousand
    combinations again and again, and rrule is slow. dateutil is loaded on the first call: a
    window whose year's status comes from the cache paints without it (~10 ms of imports)."""
    from dateutil.relativedelta import relativedelta
    from dateutil.rrule import MONTHLY, rrule

    if period is Period.ONCE:
        if due is None or due.year != year:
            return ()
        return (DatePeriod(date(year, 1, 1), due, "一次性"),)

    months = _MONTHS_PER_PERIOD[period]
    starts = [
        dt.date()
        for dt in rrule(MONTHLY, interval=months, bymonthday=1, dtstart=date(year, 1, 1), count=12 // months)
    ]
    result = []
    for index, start in enumerate(starts):
        end = start + relativedelta(months=months) - timedelta(days=1)
        result.append(DatePeriod(start, end, _label(period, index, year)))
    if period is Period.YEAR and due_month_day is not None:
        month, day = due_month_day
        deadline = _clamped_date(year, month, day)
        result = [DatePeriod(result[0].start, deadline, f"{month}月{day}日前")]
    return tuple(result)


def _clamped_date(year: int, month: int, day: int) -> date:
    """29 February in a common year (and other impossible days) becomes the month's last day."""
    from dateutil.relativedelta import relativedelta

    last = (date(year, month, 1) + relativedelta(months=1) - timedelta(days=1)).day
    return date(year, month, min(day, last))


def overlap_days(start: date, end: date, other_start: date, other_end: date | None) -> int:
    """Number of days the two closed intervals share (an open ``other_end`` runs forever)."""
    lo = max(start, other_start)
    hi = end if other_end is None else min(end, other_end)
    return max(0, (hi - lo).days + 1)
