"""One year's status grouped for the dashboard: one row per leader, the periods of each leader,
the duties with their quotas, the reminders. Pure Python, built from one ``year_status`` call,
so that the Qt models only present it (and can be tested without a window).

Pace comes on top of the five statuses and never changes them: a period under way whose done is
short of an even spread is *behind* ("进度落后"). The leader row counts the duties behind, and
the reminders list them after 预警 and 未达标 — a quota seen slipping months before it is due.
A period already 预警 is not marked again: its warning says more than its pace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from duty_tracker.core.compliance import PeriodStatus
from duty_tracker.core.domain import LeaderSpec, Period, Status, quota_text, tenure_text
from duty_tracker.core.status import (
    LeaderTallies,
    YearStatus,
    behind_periods,
    periods_by_leader,
    reminders,
)

#: Months a period spans; a "once" duty is shown across the whole year.
PERIOD_MONTHS = {Period.YEAR: 12, Period.HALF_YEAR: 6, Period.QUARTER: 3, Period.MONTH: 1,
                 Period.ONCE: 12}


class DutyInfo(NamedTuple):
    id: int
    title: str
    article_ref: str
    period: Period
    min_count: int
    unit: str = "times"

    @property
    def requirement(self) -> str:
        return quota_text(self.period, self.min_count, self.unit)


class LeaderRow(NamedTuple):
    leader_id: int
    unit_id: int | None
    unit: str
    name: str
    position: str
    tenure: str
    done: int
    required: int
    failed: int
    warning: int
    status: Status
    #: duties with a period under way that is behind an even pace ("进度落后")
    behind: int = 0


def amount_text(value: float, unit: str = "times") -> str:
    """"3次", "12学时", "1.5学时"."""
    number = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{number}学时" if unit == "hours" else f"{number}次"


def pace_text(p: PeriodStatus, unit: str = "times") -> str:
    """"应完成约3次，已完成1次": where an even pace would be by today, and where it is."""
    return f"应完成约{amount_text(p.expected_by_now, unit)}，已完成{amount_text(p.done, unit)}"


class LeaderInfo(Mapping[int, Mapping[str, Any]]):
    """leader_id → the leader's row (``unit_name``, ``position`` …), read when first asked for:
    one leader at a time for the rows a list shows, every leader at once (``every``) when
    many are asked for (a search over the list) or the whole mapping is walked."""

    #: single reads before reading every leader at once
    ONE_BY_ONE = 100

    def __init__(self, one: Callable[[int], Mapping[str, Any]],
                 every: Callable[[], Iterable[Mapping[str, Any]]]) -> None:
        self._one, self._every = one, every
        self._rows: dict[int, Mapping[str, Any]] = {}
        self._complete = False

    def _all(self) -> dict[int, Mapping[str, Any]]:
        if not self._complete:
            self._rows = {row["id"]: row for row in self._every()}
            self._complete = True
        return self._rows

    def __getitem__(self, leader_id: int) -> Mapping[str, Any]:
        found = self._rows.get(leader_id)
        if found is not None:
            return found
        if self._complete or len(self._rows) >= self.ONE_BY_ONE:
            return self._all()[leader_id]
        try:
            found = self._rows[leader_id] = self._one(leader_id)
        except LookupError as exc:  # NotFoundError is one
            raise KeyError(leader_id) from exc
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class DashboardData:
    """One year's status, grouped for the dashboard's three tables.

    A leader's summary row is worked out when a list first asks for it (:meth:`row`): a city
    has 2,000 leaders and a screen shows thirty; only sorting or a search asks for them all."""

    def __init__(self, status: YearStatus,
                 leaders: Iterable[Mapping[str, Any]] | Mapping[int, Mapping[str, Any]],
                 duties: list[dict[str, Any]]) -> None:
        self.status = status
        self.year = status.year
        self.duties = {row["id"]: DutyInfo(row["id"], row["title"], row.get("article_ref") or "",
                                           Period(row["period"]), int(row["min_count"]),
                                           row.get("unit") or "times") for row in duties}
        self.duty_order = [row["id"] for row in duties]
        self.specs: dict[int, LeaderSpec] = {spec.id: spec for spec in status.leaders}
        #: the leaders in roster order (the summary's order until the clerk sorts)
        self.leader_ids = [spec.id for spec in status.leaders]
        #: leader_id → unit_name, position …: a list of rows, or a :class:`LeaderInfo`
        self.info: Mapping[int, Mapping[str, Any]] = (
            leaders if isinstance(leaders, Mapping) else {row["id"]: row for row in leaders})
        self.by_leader = periods_by_leader(status)
        self.tallies = LeaderTallies(status, self.by_leader)
        behind = behind_periods(status)
        #: the reminders' 进度落后: behind, and not already a 预警 (which says more than its pace)
        self.pace = [p for p in behind if p.status is Status.IN_PROGRESS]
        #: periods under way behind an even pace, by leader (statuses unchanged)
        self.behind_by_leader: dict[int, list[PeriodStatus]] = defaultdict(list)
        for p in self.pace:
            self.behind_by_leader[p.leader_id].append(p)
        self.reminders = reminders(status)
        self._rows: dict[int, LeaderRow] = {}
        months = [PERIOD_MONTHS[info.period] for info in self.duties.values()] or [12]
        self.slot_months = min(months)  # 12, 6, 3 or 1

    def row(self, leader_id: int) -> LeaderRow:
        """The summary row of one leader (worked out once, when first shown)."""
        found = self._rows.get(leader_id)
        if found is None:
            found = self._rows[leader_id] = self._row(self.specs[leader_id], self.tallies[leader_id])
        return found

    @property
    def rows(self) -> list[LeaderRow]:
        """Every leader's row, in roster order (works out the ones not shown yet)."""
        return [self.row(leader_id) for leader_id in self.leader_ids]

    def matches(self, leader_id: int, text: str) -> bool:
        """Whether the leader's name, unit or position contains ``text`` (the summary's search)."""
        info = self.info.get(leader_id, {})
        return (text in self.specs[leader_id].name or text in (info.get("unit_name") or "")
                or text in (info.get("position") or ""))

    def _row(self, spec: LeaderSpec, tally: Any) -> LeaderRow:
        info = self.info.get(spec.id, {})
        return LeaderRow(
            leader_id=spec.id, unit_id=spec.unit_id, unit=info.get("unit_name", ""), name=spec.name,
            position=info.get("position", ""), tenure=tenure_text(spec.terms, self.year),
            done=tally.done, required=tally.applicable, failed=tally.failed,
            warning=tally.warning, status=tally.status,
            behind=len({p.duty_id for p in self.behind_by_leader.get(spec.id, ())}),
        )

    def leader_name(self, leader_id: int) -> str:
        spec = self.specs.get(leader_id)
        return spec.name if spec else ""

    def unit_of(self, leader_id: int) -> str:
        return self.info.get(leader_id, {}).get("unit_name", "")

    def unit_word(self, duty_id: int) -> str:
        """What the duty's quota counts ("times" or "hours")."""
        info = self.duties.get(duty_id)
        return info.unit if info else "times"

    def behind_text(self, leader_id: int) -> str:
        """The duties of a leader behind an even pace, one line each, for a tooltip."""
        lines = []
        for p in self.behind_by_leader.get(leader_id, ()):
            info = self.duties.get(p.duty_id)
            title = info.title if info else ""
            lines.append(f"{title}（{p.period.label}）：{pace_text(p, self.unit_word(p.duty_id))}")
        return "\n".join(lines)
