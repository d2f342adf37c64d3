"""Compliance status of a year, read from the store: the service behind ``status --json``, the
dashboard, the reminders and the reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple

from duty_tracker.core.compliance import DEFAULT_WARN_DAYS, Hours, PeriodStatus, evaluate_year
from duty_tracker.core.domain import STATUS_SEVERITY, DutySpec, LeaderSpec, Status, worst_status
from duty_tracker.core.storage.store import Store


class YearStatus(NamedTuple):
    year: int
    today: date
    leaders: list[LeaderSpec]
    duties: list[DutySpec]
    periods: list[PeriodStatus]

    def leader(self, leader_id: int) -> LeaderSpec | None:
        return next((leader for leader in self.leaders if leader.id == leader_id), None)

    def duty(self, duty_id: int) -> DutySpec | None:
        return next((duty for duty in self.duties if duty.id == duty_id), None)

    def to_json(self) -> list[dict[str, Any]]:
        """The rows of ``status --json``: leader, duty, period, required, done, status — plus the
        period label and whether the leader's term covers the period only in part."""
        names = {leader.id: leader.name for leader in self.leaders}
        titles = {duty.id: duty.title for duty in self.duties}
        texts: dict[int, tuple[str, str, str, int]] = {}  # by id() of the shared period objects
        rows = []
        for p in self.periods:
            period = p.period
            text = texts.get(id(period))
            if text is None:
                text = texts[id(period)] = (period.start.isoformat(), period.end.isoformat(),
                                            period.label, period.days)
            rows.append({
                "leader_id": p.leader_id,
                "leader": names[p.leader_id],
                "duty_id": p.duty_id,
                "duty": titles[p.duty_id],
                "period_start": text[0],
                "period_end": text[1],
                "period": text[2],
                "required": p.required,
                "done": p.done,
                "status": p.status.value,
                "partial_term": 0 < p.covered_days < text[3],
                "expected_by_now": p.expected_by_now,
                "behind": p.behind,
            })
        return rows


def year_status(
    store: Store,
    year: int,
    *,
    today: date | None = None,
    leader_ids: list[int] | None = None,
    warn_days: int = DEFAULT_WARN_DAYS,
    duties: list[DutySpec] | None = None,
) -> YearStatus:
    """The periods of ``year``'s duties for the leaders (all, or ``leader_ids``). ``duties``
    are the year's duty specs when the caller already read them (a batch asks once per
    leader: ``store.rules.duty_specs(year)`` read again each time cost a tenth of a debrief's
    queries)."""
    today = today or date.today()
    leaders = store.people.leader_specs(year, leader_ids)
    if duties is None:
        duties = store.rules.duty_specs(year)
    chosen = [leader.id for leader in leaders] if leader_ids else None
    dates: dict[tuple[int, int], Any] = store.records.done_days(year, chosen)
    in_hours = [duty.id for duty in duties if duty.unit == "hours"]
    for pair, (days, hours) in store.records.done_hours(year, in_hours, chosen).items():
        dates[pair] = Hours.of(days, hours)  # summed, not counted
    periods = evaluate_year(leaders, duties, year, dates, today, warn_days)
    return YearStatus(year, today, leaders, duties, periods)


def reminders(status: YearStatus) -> list[PeriodStatus]:
    """What needs the clerk's attention: 预警 first (soonest end first), then 未达标."""
    warning, failed = Status.WARNING, Status.FAILED  # looked up once: a city has 13,000 periods
    due = [p for p in status.periods if p.status is warning or p.status is failed]
    return sorted(due, key=lambda p: (p.status is not warning, p.period.end, p.leader_id))


def behind_periods(status: YearStatus) -> list[PeriodStatus]:
    """Periods under way whose pace is short of an even spread (the earliest end first): the
    reminders' "进度落后" — a quota slipping before any warning is due."""
    late = [p for p in status.periods if p.behind]
    return sorted(late, key=lambda p: (p.period.end, p.leader_id, p.duty_id))


def duty_year_statuses(status: YearStatus) -> dict[tuple[int, int], Status]:
    """(leader_id, duty_id) → the year's status of that duty: the worst of its periods."""
    by_pair: dict[tuple[int, int], list[Status]] = {}
    for p in status.periods:
        by_pair.setdefault((p.leader_id, p.duty_id), []).append(p.status)
    return {pair: worst_status(statuses) for pair, statuses in by_pair.items()}


class LeaderTally(NamedTuple):
    """How one leader's duties end the year: duties per year-status (the worst of each duty's
    periods). The one per-leader summary the dashboard, the 述职报告 list and exports show."""

    counts: dict[Status, int]

    @property
    def applicable(self) -> int:
        return sum(n for s, n in self.counts.items() if s is not Status.NOT_APPLICABLE)

    @property
    def done(self) -> int:
        return self.counts.get(Status.DONE, 0)

    @property
    def failed(self) -> int:
        return self.counts.get(Status.FAILED, 0)

    @property
    def warning(self) -> int:
        return self.counts.get(Status.WARNING, 0)

    @property
    def status(self) -> Status:
        return worst_status([s for s, n in self.counts.items() if n])

    def completion_text(self) -> str:
        """"9/12": duties 达标 of the duties that apply; "—" when none applies."""
        return f"{self.done}/{self.applicable}" if self.applicable else "—"

    def problems_text(self) -> str:
        """"未达标1 预警2", empty when there is nothing to worry about."""
        parts = [f"未达标{self.failed}"] if self.failed else []
        return " ".join(parts + ([f"预警{self.warning}"] if self.warning else []))

    def tooltip(self) -> str:
        if not self.applicable:
            return "本年度没有适用的履职事项"
        return "　".join(f"{status.value} {n} 项" for status, n in self.counts.items() if n)


def tally_of(periods: Iterable[PeriodStatus]) -> LeaderTally:
    """One leader's :class:`LeaderTally` from his periods of the year: each duty counts once,
    in the worst status of its periods."""
    worst: dict[int, Status] = {}
    for p in periods:
        current = worst.get(p.duty_id)
        if current is None or STATUS_SEVERITY[p.status] > STATUS_SEVERITY[current]:
            worst[p.duty_id] = p.status
    counts = dict.fromkeys(Status, 0)
    for state in worst.values():
        counts[state] += 1
    return LeaderTally(counts)


def periods_by_leader(status: YearStatus) -> dict[int, list[PeriodStatus]]:
    """leader_id → his periods of ``status`` (every leader of it, an empty list when none)."""
    grouped: dict[int, list[PeriodStatus]] = {leader.id: [] for leader in status.leaders}
    for p in status.periods:
        grouped.setdefault(p.leader_id, []).append(p)
    return grouped


class LeaderTallies(Mapping[int, LeaderTally]):
    """leader_id → :class:`LeaderTally`, each worked out when first asked for. A list shows a
    screenful of a city's 2,000 leaders at a time: tallying them all before the first paint
    cost as much as the year's status itself."""

    def __init__(self, status: YearStatus, grouped: dict[int, list[PeriodStatus]] | None = None) -> None:
        self._periods = grouped if grouped is not None else periods_by_leader(status)
        self._known: dict[int, LeaderTally] = {}

    def periods_of(self, leader_id: int) -> list[PeriodStatus]:
        return self._periods.get(leader_id, [])

    def __getitem__(self, leader_id: int) -> LeaderTally:
        tally = self._known.get(leader_id)
        if tally is None:
            if leader_id not in self._periods:
                raise KeyError(leader_id)
            tally = self._known[leader_id] = tally_of(self._periods[leader_id])
        return tally

    def __iter__(self) -> Iterator[int]:
        return iter(self._periods)

    def __len__(self) -> int:
        return len(self._periods)


def leader_tallies(status: YearStatus) -> dict[int, LeaderTally]:
    """leader_id → :class:`LeaderTally` for every leader of ``status``."""
    return {leader_id: tally_of(periods) for leader_id, periods in periods_by_leader(status).items()}


def leader_status_counts(status: YearStatus) -> dict[int, dict[Status, int]]:
    """leader_id → how many duties end the year in each status."""
    return {leader_id: tally.counts for leader_id, tally in leader_tallies(status).items()}
