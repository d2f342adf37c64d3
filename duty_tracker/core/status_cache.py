"""The year's status kept for the next start of the window.

A city's year (2,000 leaders, 890,000 records) takes about 0.3 s to work out — longer than the
window itself takes to appear — and on most starts nothing has changed since the last one.
So the status the window worked out is written to the ledger's cache folder with what
identifies the file's committed state (``Store.read_snapshot``) and the inputs (year, today,
warning days, program version); a start that finds the same key reads it back instead of
computing it. Any commit to the file by anybody — the window, the CLI, an import, a restore, a
sqlite3 shell — changes the key, and so does another day; a cache that cannot be read or does
not match is ignored and written again. The cache never holds anything the database does not.

The file is a line of JSON (the key, the leaders, the duties and the few shared values) and then
the periods as columns of binary numbers: a city's 13,000 periods read back in a few
milliseconds, where the same rows as JSON lists took 45 ms to parse and rebuild — a fifth of the
window's start. Only numbers are read from the binary part, and its length must match the
header exactly: damage means the status is worked out again, never a crash.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from array import array
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from duty_tracker import __version__
from duty_tracker.core.compliance import DEFAULT_WARN_DAYS, PeriodStatus, hours_amount
from duty_tracker.core.domain import DutySpec, LeaderSpec, Period, Role, Status, Term
from duty_tracker.core.periods import DatePeriod
from duty_tracker.core.status import YearStatus, year_status
from duty_tracker.core.storage.store import Store
from duty_tracker.paths import cache_dir_for

#: Raised when what is written changes shape (an older file is then simply not used).
FORMAT = 3
#: The integer columns of a period, in :class:`PeriodStatus` order but for ``done``: the period,
#: the state and the days are places in the header's lists (``-1``: no day).
_INT_COLUMNS = ("leader_id", "duty_id", "period", "required", "status", "covered_days",
                "window_start", "window_end", "expected_by_now", "behind")
_INT, _FLOAT = "q", "d"  # 64-bit: any id or count fits


def cached_year_status(store: Store, year: int, *, today: date,
                       warn_days: int = DEFAULT_WARN_DAYS) -> YearStatus:
    """``year_status(store, year, today=…, warn_days=…)`` for all leaders, read from the cache
    when the file has not changed since it was written."""
    with store.read_snapshot() as token:
        if token is None:
            return year_status(store, year, today=today, warn_days=warn_days)
        key = [FORMAT, __version__, sys.byteorder, token, year, today.isoformat(), warn_days]
        path = cache_dir_for(store.path) / f"status-{year}.bin"
        found = _read(path, key)
        if found is not None:
            return found
        status = year_status(store, year, today=today, warn_days=warn_days)
    _write(path, key, status)
    return status


def _read(path: Path, key: list[Any]) -> YearStatus | None:
    try:
        head, _newline, body = path.read_bytes().partition(b"\n")
        data = json.loads(head.decode("utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return decode(data, body)
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None  # missing, half-written by a crash, or not ours: worked out again


def _write(path: Path, key: list[Any], status: YearStatus) -> None:
    """Atomically (a crash leaves the old file or none, never half of one); a cache that cannot
    be written (read-only folder, full disk) costs the next start its speed, nothing else."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        header, body = encode(status)
        head = json.dumps({"key": key, **header}, ensure_ascii=False, separators=(",", ":"))
        tmp.write_bytes(head.encode("utf-8") + b"\n" + body)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


_STATUSES = list(Status)


def encode(status: YearStatus) -> tuple[dict[str, Any], bytes]:
    """The status as a JSON header and the periods' binary columns: the days, the periods
    shared between leaders and the statuses are written once, in the header, and referred to
    by their place (``-1``: no day)."""
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

    def shared(value: DatePeriod) -> int:
        index = period_index.get(id(value))
        if index is None:
            index = period_index[id(value)] = len(periods)
            periods.append([day(value.start), day(value.end), value.label])
        return index

    states = {state: i for i, state in enumerate(_STATUSES)}
    rows = status.periods
    columns = [[p.leader_id for p in rows], [p.duty_id for p in rows],
               [shared(p.period) for p in rows], [p.required for p in rows],
               [states[p.status] for p in rows], [p.covered_days for p in rows],
               [day(p.window_start) for p in rows], [day(p.window_end) for p in rows],
               [p.expected_by_now for p in rows], [int(p.behind) for p in rows]]
    done = [p.done for p in rows]
    whole = all(isinstance(value, int) for value in done)
    header = {
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
        "count": len(status.periods),
        "done": _INT if whole else _FLOAT,
    }
    body = b"".join(array(_INT, column).tobytes() for column in columns)
    return header, body + array(_INT if whole else _FLOAT, done).tobytes()


def _iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None  # type: ignore[arg-type]


def decode(data: dict[str, Any], body: bytes) -> YearStatus:
    """The inverse of :func:`encode` (raises on anything malformed)."""
    leaders = _leaders(data["leaders"])
    duties = [DutySpec(id=int(i), title=str(title), period=Period(period), min_count=int(count),
                       role=Role(role), unit=str(unit), due=_iso(due),
                       due_month_day=tuple(md) if md else None,  # type: ignore[arg-type]
                       article_number=article, clause_number=clause)
              for i, title, period, count, role, unit, due, md, article, clause in data["duties"]]
    days: list[date | None] = [date.fromisoformat(text) for text in data["days"]] + [None]
    shared = [DatePeriod(days[start], days[end], str(label))  # type: ignore[arg-type]
              for start, end, label in data["date_periods"]]
    states = [Status(value) for value in data["statuses"]]
    columns = _columns(body, int(data["count"]), data["done"])
    (leader, duty, period, required, state, covered, first, last, expected, behind,
     done) = columns
    for places, lowest, size in ((period, 0, len(shared)), (state, 0, len(states)),
                                 (first, -1, len(days)), (last, -1, len(days))):
        if places and not (lowest <= min(places) and max(places) < size):
            raise ValueError("a place outside the header's lists")  # -1 is a day's "none"
    make = partial(tuple.__new__, PeriodStatus)  # built in C: no Python call per period
    periods = list(map(make, zip(
        leader, duty, map(shared.__getitem__, period), required, done,
        map(states.__getitem__, state), covered, map(days.__getitem__, first),
        map(days.__getitem__, last), expected, map(bool, behind), strict=True)))
    return YearStatus(int(data["year"]), date.fromisoformat(data["today"]), leaders, duties,
                      periods)


def _leaders(rows: list[Any]) -> list[LeaderSpec]:
    """The leaders from the header; the terms' days and terms many leaders share are made
    once (a city's 1,800 leaders took 7 ms one object at a time)."""
    roles = {role.value: role for role in Role}
    days: dict[str | None, date | None] = {None: None}
    terms: dict[tuple[str | None, str | None], Term] = {}

    def day(text: str | None) -> date | None:
        found = days.get(text, days)
        if found is days:
            found = days[text] = date.fromisoformat(text)  # type: ignore[arg-type]
        return found  # type: ignore[return-value]

    def term(start: str | None, end: str | None) -> Term:
        found = terms.get((start, end))
        if found is None:
            found = terms[(start, end)] = Term(day(start), day(end))  # type: ignore[arg-type]
        return found

    return [LeaderSpec(int(i), str(name), roles[role], tuple([term(a, b) for a, b in spans]),
                       unit) for i, name, role, unit, spans in rows]


def _columns(body: bytes, count: int, done_kind: str) -> list[Any]:
    """The periods' columns from the binary part, which must be exactly as long as they are."""
    if done_kind not in (_INT, _FLOAT) or count < 0:
        raise ValueError("not a column type")
    ints = array(_INT)
    width = ints.itemsize * count
    done = array(done_kind)
    if len(body) != width * len(_INT_COLUMNS) + done.itemsize * count:
        raise ValueError("the periods' columns are cut short or too long")
    ints.frombytes(body[:width * len(_INT_COLUMNS)])
    done.frombytes(body[width * len(_INT_COLUMNS):])
    columns: list[Any] = [ints[k * count:(k + 1) * count] for k in range(len(_INT_COLUMNS))]
    return [*columns, done.tolist() if done_kind == _INT else [hours_amount(v) for v in done]]
