"""Moving data in and out: the Excel ledger and roster, and data packages between offices.

Each exchange module is imported by the use case that needs it: openpyxl and the package code
take longer to load than the dashboard's reminders, which import this module, take to run.

Every import is two steps — a preview that changes nothing (row errors, what would be added or
updated), then, after the clerk confirmed, the write — and every write is preceded by a verified
backup of the database (:func:`backup_before`). That rule lives here and nowhere else, so the
window and the CLI cannot differ on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from duty_tracker.core.domain import Status, quota_text
from duty_tracker.core.exchange.calendar_ics import CalendarEvent, write_calendar
from duty_tracker.core.status import year_status
from duty_tracker.core.storage import backup as backups
from duty_tracker.core.storage.records_repo import RecordFilter
from duty_tracker.core.storage.store import Store
from duty_tracker.core.task_status import task_calendar_events


def backup_before(store: Store, what: str) -> Path | None:
    """The verified backup every import makes first; ``what`` says what is about to happen.

    Its copy is checked with ``quick_check``: every page read back and the structure of every
    table and index proven, which is what a page-for-page copy can get wrong. The full check's
    row-by-row index lookups would judge the ledger itself, not the copy, and cost the clerk
    seconds of waiting before every import of a city's ledger."""
    return backups.auto_backup(store.path, f"{what}之前", quick=True)


# -- Excel ---------------------------------------------------------------------------------------
class SheetKind(StrEnum):
    RECORDS = "records"
    ROSTER = "roster"

    @property
    def label(self) -> str:
        return "负责人名册" if self is SheetKind.ROSTER else "履职纪实"


def preview_xlsx(store: Store, path: Path, kind: SheetKind, *, allow_duplicates: bool = False) -> Any:
    """Read and check every row; nothing is written. The preview lists the row errors and the
    rows skipped because they are already in the ledger (``allow_duplicates`` imports them)."""
    from duty_tracker.core.exchange import ledger_xlsx, roster_xlsx

    if kind is SheetKind.ROSTER:
        return roster_xlsx.preview_roster(store, Path(path))
    return ledger_xlsx.preview_records(store, Path(path), allow_duplicates=allow_duplicates)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    result: Any  # RecordsResult / RosterResult: what was written (``summary()`` in Chinese)
    backup: Path | None


def apply_xlsx(store: Store, preview: Any, kind: SheetKind, source: Path) -> ImportOutcome:
    """Write the valid rows of a preview in one transaction, after a verified backup."""
    from duty_tracker.core.exchange import ledger_xlsx, roster_xlsx

    writer = roster_xlsx.apply_roster if kind is SheetKind.ROSTER else ledger_xlsx.apply_records
    safety = backup_before(store, f"导入 {Path(source).name}")
    return ImportOutcome(writer(store, preview), safety)


@dataclass(frozen=True, slots=True)
class LedgerExportOptions:
    path: Path
    year: int
    unit_id: int | None = None
    ledger: bool = True  # the sheet of records
    status: bool = True  # the sheet of compliance per leader, duty and period
    today: date | None = None

    @property
    def target(self) -> Path:
        return self.path if self.path.suffix.lower() == ".xlsx" else self.path.with_suffix(".xlsx")


def export_ledger(store: Store, options: LedgerExportOptions) -> dict[str, int]:
    """The 台账 workbook; returns rows per sheet."""
    from duty_tracker.core.exchange import ledger_xlsx

    if options.unit_id is not None:
        store.people.unit(options.unit_id)  # a clear "单位不存在" before any file is written
    return ledger_xlsx.export_ledger(store, options.target, options.year, unit_id=options.unit_id,
                                     ledger=options.ledger, status=options.status,
                                     today=options.today)


@dataclass(frozen=True, slots=True)
class RecordListExport:
    """导出当前列表: the list's filter, its visible columns in their order, and its sort."""

    path: Path
    filter: RecordFilter
    columns: tuple[str, ...]
    order_by: str = "performed_on"
    descending: bool = True

    @property
    def target(self) -> Path:
        return self.path if self.path.suffix.lower() == ".xlsx" else self.path.with_suffix(".xlsx")


def export_record_list(store: Store, options: RecordListExport) -> int:
    """The records the list shows, as the list shows them; returns how many were written."""
    from duty_tracker.core.exchange import record_list_xlsx

    return record_list_xlsx.export_record_list(
        store, options.target, options.filter, options.columns, order_by=options.order_by,
        descending=options.descending)


def export_roster(store: Store, path: Path) -> int:
    """The roster of units, leaders and terms; returns the number of rows."""
    from duty_tracker.core.exchange import roster_xlsx

    return roster_xlsx.export_roster(store, Path(path))


def export_audit_log(store: Store, path: Path, flt: Any = None) -> int:
    """The 操作日志 entries matching ``flt`` as a workbook; returns how many were written."""
    from duty_tracker.core.exchange import audit_xlsx

    return audit_xlsx.export_audit_log(store, Path(path), flt)


# -- calendar ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CalendarExport:
    """The deadlines of ``year`` (of one leader, or of every leader) as an .ics file."""

    path: Path
    year: int
    today: date
    leader_id: int | None = None
    tasks: bool = True  # the work-point tasks' deadlines too (of the leader's unit, with leader_id)

    @property
    def target(self) -> Path:
        return self.path if self.path.suffix.lower() == ".ics" else self.path.with_suffix(".ics")


def deadline_events(store: Store, options: CalendarExport) -> list[CalendarEvent]:
    """One event per duty and period end, listing each leader who answers for it and how far
    he is at the time of export; with ``leader_id`` the events of that leader only."""
    leader_ids = [options.leader_id] if options.leader_id is not None else None
    status = year_status(store, options.year, today=options.today, leader_ids=leader_ids)
    uuids = {row["id"]: row["uuid"] for row in store.rules.duties_for_year(options.year)}
    names = {leader.id: leader.name for leader in status.leaders}
    grouped: dict[tuple[int, date], list[Any]] = {}
    for p in status.periods:
        if p.status is not Status.NOT_APPLICABLE:
            grouped.setdefault((p.duty_id, p.period.end), []).append(p)
    events = []
    for (duty_id, end), periods in grouped.items():
        duty = status.duty(duty_id)
        who = f"{names[periods[0].leader_id]}：" if options.leader_id is not None else ""
        lines = [f"{names[p.leader_id]}：已完成 {p.done}/{p.required}，{p.status.value}"
                 + ("，进度落后" if p.behind else "") for p in periods]
        events.append(CalendarEvent(
            uid=f"{uuids.get(duty_id, duty_id)}-{end:%Y%m%d}{'-' + str(options.leader_id) if who else ''}"
                "@duty-tracker",
            day=end, summary=f"【截止】{who}{duty.title}（{periods[0].period.label}）",
            description=f"{quota_text(duty.period, duty.min_count)}。截至 {options.today:%Y-%m-%d}：\n"
                        + "\n".join(lines)))
    return events


def export_calendar(store: Store, options: CalendarExport) -> int:
    """Write the deadlines as an .ics file; returns the number of events."""
    events = deadline_events(store, options)
    task_events: list[CalendarEvent] = []
    if options.tasks:
        unit_id = store.people.leader(options.leader_id)["unit_id"] if options.leader_id is not None else None
        task_events = task_calendar_events(store, options.year, options.today, unit_id=unit_id)
    events += task_events
    name = f"{options.year}年度履职事项{'和工作任务' if task_events else ''}截止日期"
    if options.leader_id is not None:
        name = f"{store.people.leader(options.leader_id)['name']} {name}"
    write_calendar(options.target, events, name)
    return len(events)


# -- data packages -------------------------------------------------------------------------------
def export_package(store: Store, unit_id: int, path: Path) -> dict[str, Any]:
    """One unit's data (with its sub-units) and attachments as one verified file."""
    from duty_tracker.core.exchange import package

    return package.export_package(store, unit_id, Path(path))


def preview_package(store: Store, path: Path) -> Any:
    """Verify the package and say what merging it would add, update and leave as conflicts."""
    from duty_tracker.core.exchange import package

    return package.preview_package(store, Path(path))


def import_package(store: Store, path: Path) -> Any:
    """Merge a verified package, after a verified backup (``result.backup``)."""
    from duty_tracker.core.exchange import package

    safety = backup_before(store, f"导入数据包 {Path(path).name}")
    result = package.import_package(store, Path(path))
    result.backup = safety
    return result


def open_conflicts(store: Store) -> list[Any]:
    """Fields both offices changed since they last shared them, newest first (``OpenConflict``)."""
    from duty_tracker.core.exchange import conflicts

    return conflicts.list_conflicts(store)


def resolve_conflict(store: Store, conflict_id: int, choice: str) -> str:
    """Keep this office's value (``"local"``) or take the package's (``"package"``); the choice
    travels in the next package. Returns a Chinese sentence saying what was done."""
    from duty_tracker.core.exchange import conflicts

    return conflicts.resolve_conflict(store, conflict_id, choice)
