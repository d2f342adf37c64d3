"""The year's status kept for the next start of the window.

A city's year (2,000 leaders, 890,000 records) takes about 0.3 s to work out — longer than the
window itself takes to appear — and on most starts nothing has changed since the last one.
So the status the window worked out is written to the ledger's cache folder with what
identifies the file's committed state (``Store.read_snapshot``) and the inputs (year, today,
warning days, program version); a start that finds the same key reads it back instead of
computing it. Any commit to the file by anybody — the window, the CLI, an import, a restore, a
sqlite3 shell — changes the key, and so does another day; a cache that cannot be read or does
not match is ignored and written again. The cache never holds anything the database does not.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from duty_tracker import __version__
from duty_tracker.core.compliance import DEFAULT_WARN_DAYS, PeriodStatus
from duty_tracker.core.domain import DutySpec, LeaderSpec, Period, Role, Status, Term
from duty_tracker.core.periods import DatePeriod
from duty_tracker.core.status import YearStatus, year_status
from duty_tracker.core.storage.store import Store
from duty_tracker.paths import cache_dir_for

#: Raised when what is written changes shape (an older file is then simply not used).
FORMAT = 2


def cached_year_status(store: Store, year: int, *, today: date,
                       warn_days: int = DEFAULT_WARN_DAYS) -> YearStatus:
    """``year_status(store, year, today=…, warn_days=…)`` for all leaders, read from the cache
    when the file has not changed since it was written."""
    with store.read_snapshot() as token:
        if token is None:
            return year_status(store, year, today=today, warn_days=warn_days)
        key = [FORMAT, __version__, token, year, today.isoformat(), warn_days]
        path = cache_dir_for(store.path) / f"status-{year}.json"
        found = _read(path, key)
        if found is not None:
            return found
        status = year_status(store, year, today=today, warn_days=warn_days)
    _write(path, key, status)
    return status


def _read(path: Path, key: list[Any]) -> YearStatus | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return decode(data)
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None  # missing, half-written by a crash, or not ours: worked out again


def _write(path: Path, key: list[Any], status: YearStatus) -> None:
    """Atomically (a crash leaves the old file or none, never half of one); a cache that cannot
    be written (read-only folder, full disk) costs the next start its speed, nothing else."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"key": key, **encode(status)}, ensure_ascii=False,
                                  separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


_STATUSES = list(Status)


def encode(status: YearStatus) -> dict[str, Any]:
    """The status as JSON data: a city's 15,000 periods as rows of numbers — the days, the
    periods shared between leaders and the statuses are written once and referred to by
    their place (``-1``: no day)."""
    day_index: dict[date, int] = {}
    period_index: dict[int, int] = {}
    periods: list[list[Any]] = []

    def day(value: date | None) -> int:
        if value is None:
            return -1
        index = day_index.get(value)
        if index is None:
            index = day_index[value] = len(day_index)
        return index

    states = {state: i for i, state in enumerate(_STATUSES)}
    rows = []
    for p in status.periods:
        index = period_index.get(id(p.period))
        if index is None:
            index = period_index[id(p.period)] = len(periods)
            periods.append([day(p.period.start), day(p.period.end), p.period.label])
        rows.append([p.leader_id, p.duty_id, index, p.required, p.done, states[p.status],
                     p.covered_days, day(p.window_start), day(p.window_end),
                     p.expected_by_now, int(p.behind)])
    return {
        "year": status.year, "today": status.today.isoformat(),
        "leaders": [[s.id, s.name, s.role.value, s.unit_id, [[_day(t.start), _day(t.end)]
                                                             for t in s.terms]]
                    for s in status.leaders],
        "duties": [[d.id, d.title, d.period.value, d.min_count, d.role.value, d.unit, _day(d.due),
                    list(d.due_month_day) if d.due_month_day else None, d.article_number,
                    d.clause_number] for d in status.duties],
        "days": [value.isoformat() for value in day_index],
        "statuses": [state.value for state in _STATUSES],
        "date_periods": periods,
        "periods": rows,
    }


def _iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None  # type: ignore[arg-type]


def decode(data: dict[str, Any]) -> YearStatus:
    """The inverse of :func:`encode` (raises on anything malformed)."""
    leaders = [LeaderSpec(id=int(i), name=str(name), role=Role(role), unit_id=unit,
                          terms=tuple(Term(_iso(start), _iso(end)) for start, end in terms))
               for i, name, role, unit, terms in data["leaders"]]
    duties = [DutySpec(id=int(i), title=str(title), period=Period(period), min_count=int(count),
                       role=Role(role), unit=str(unit), due=_iso(due),
                       due_month_day=tuple(md) if md else None,  # type: ignore[arg-type]
                       article_number=article, clause_number=clause)
              for i, title, period, count, role, unit, due, md, article, clause in data["duties"]]
    days: list[date | None] = [date.fromisoformat(text) for text in data["days"]] + [None]
    shared = [DatePeriod(days[start], days[end], str(label))  # type: ignore[arg-type]
              for start, end, label in data["date_periods"]]
    states = [Status(value) for value in data["statuses"]]
    periods = [PeriodStatus(leader, duty, shared[index], required, done, states[state],
                            covered, days[first], days[last], expected, behind == 1)
               for leader, duty, index, required, done, state, covered, first, last, expected,
               behind in data["periods"]]
    return YearStatus(int(data["year"]), date.fromisoformat(data["today"]), leaders, duties,
                      periods)
