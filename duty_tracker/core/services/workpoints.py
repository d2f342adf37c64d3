"""The year's work points (工作要点): importing a document, mapping its unit names, progress per
task and unit, the lists and reminders, and the 任务分解表 — the one door for the window's
工作要点 page, the CLI's ``tasks`` commands, the data packages and the annual report.

Importing is two steps, as every import: :func:`preview_import` parses the text and proposes
the program's unit(s) for every name (remembered choice, exact name, other spellings and
known renamings, collective names expanded); nothing is written. The clerk reviews the
proposal — edits titles, units, roles and deadlines, drops what is not a task, assigns the
names left unmatched (:func:`choose_units`) — then :func:`import_workpoints` makes the verified
backup and stores the document, its tasks and the clerk's choices in one transaction. The
choices are remembered, so the next document maps the same names by itself.

A progress save (:func:`save_progress`) copies its evidence files in first (content-addressed,
harmless if the save then fails) and writes the entry and its attachment rows in one
transaction; it returns a :class:`ProgressChange` holding the entry's state before and after,
so undo and redo put it back into that state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duty_tracker.core.compliance import DEFAULT_WARN_DAYS
from duty_tracker.core.errors import InputError
from duty_tracker.core.exchange.calendar_ics import CalendarEvent
from duty_tracker.core.helpers import optional_date
from duty_tracker.core.services.exchange import ImportOutcome, backup_before
from duty_tracker.core.services.records import FieldProblem
from duty_tracker.core.storage.errors import NotFoundError, ValidationError
from duty_tracker.core.storage.store import Store
from duty_tracker.core.storage.tasks_repo import ROLE_RANK, PlanDraft, SectionDraft, TaskDraft
from duty_tracker.core.task_status import (
    TaskFilter,
    TaskView,
    by_section,
    by_urgency,
    task_calendar_events,
    task_views,
)
from duty_tracker.core.workpoints.matching import UnitMapping, match_units
from duty_tracker.core.workpoints.model import ParsedWorkPoints
from duty_tracker.core.workpoints.status import REMINDER_STATUSES, STATUS_RULES, TaskStatus

if TYPE_CHECKING:
    from duty_tracker.core.exchange import tasks_xlsx

__all__ = [
    "STATUS_RULES", "by_section", "ImportPreview", "ProgressChange", "ProgressDraft", "TaskFilter", "TaskProposal", "TaskReminder",
    "TaskSheetExport", "TaskStatus", "TaskView", "WorkPointsImport", "apply_task_sheet",
    "assign_unit_name", "check_progress", "choose_units", "delete_plan", "delete_progress",
    "delete_tasks", "export_task_sheet", "import_workpoints", "link_record", "list_tasks",
    "preview_import", "preview_task_sheet", "redo_progress", "remember_unit_choices",
    "restore_plan", "restore_progress", "restore_tasks", "save_progress", "task_deadline_events",
    "task_reminders", "tasks_of_record", "undo_progress", "unlink_record", "update_task",
]


# -- import: preview, review, store ------------------------------------------------------------
@dataclass(slots=True)
class TaskProposal:
    """One row of the import review. The clerk may change ``title``, ``due``, ``units``
    ((unit id, role) of the program's units) and ``keep`` (False: not a task, left out);
    ``named_units`` are the (name, role) pairs the document gave, ``unmatched`` the names among
    them that no unit was found for."""

    number: int
    section_index: int | None
    section: str
    title: str
    text: str
    due: date | None
    deadline_text: str | None
    named_units: list[tuple[str, str]]
    units: list[tuple[int, str]]
    unmatched: list[str] = field(default_factory=list)
    item_label: str | None = None
    item_title: str | None = None
    source_text: str = ""
    line: int = 0
    keep: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "section": self.section, "title": self.title,
                "due": self.due.isoformat() if self.due else None, "deadline_text": self.deadline_text,
                "named_units": [{"name": n, "role": r} for n, r in self.named_units],
                "units": [{"unit_id": u, "role": r} for u, r in self.units],
                "unmatched": list(self.unmatched), "keep": self.keep}


@dataclass(slots=True)
class ImportPreview:
    """What importing a document would store; the clerk may change every field."""

    title: str
    year: int | None
    doc_number: str | None
    source_name: str
    source_text: str
    sections: list[SectionDraft]
    tasks: list[TaskProposal]
    mapping: UnitMapping
    notes: list[str] = field(default_factory=list)
    choices: dict[str, list[int]] = field(default_factory=dict)  # made in this review
    ignored: set[str] = field(default_factory=set)  # remembered earlier as "not one of our units"
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    unit_names: dict[int, str] = field(default_factory=dict)  # the program's units, for display

    def candidates(self, name: str) -> list[tuple[int, str]]:
        """Units an unmatched name may mean (several fit, or similar names): suggestions only."""
        match = self.mapping.matches.get(name)
        return [(i, self.unit_names.get(i, "")) for i in (match.candidates if match else [])]

    @property
    def unmatched(self) -> list[str]:
        """Names of the kept tasks that no unit was found or chosen for, in document order."""
        names = {n for task in self.tasks if task.keep for n in task.unmatched}
        return [n for n in self.mapping.unmatched if n in names]

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "year": self.year, "doc_number": self.doc_number,
                "tasks": [t.to_dict() for t in self.tasks], "unmatched": self.unmatched,
                "mapping": self.mapping.to_dict(), "notes": list(self.notes),
                "duplicates": [{"id": d["id"], "title": d["title"], "year": d["year"]} for d in self.duplicates]}


def preview_import(store: Store, *, path: Path | str | None = None, text: str | None = None,
                   year: int | None = None, home_unit_id: int | None = None) -> ImportPreview:
    """Parse a file (or pasted ``text``) and propose the units of every task; nothing is
    written. Raises :class:`WorkPointsError` (Chinese) for a text without tasks."""
    if year is not None and not 1990 <= year <= 2100:
        raise InputError(f"年度不正确：{year}（应为四位年份，如 2017）。")
    from duty_tracker.core.workpoints.parser import parse_workpoints_text
    from duty_tracker.core.workpoints.reading import read_workpoints_file

    source = read_workpoints_file(path) if path is not None else (text or "")
    parsed = parse_workpoints_text(source, year=year)
    remembered = store.tasks.unit_choices()
    ignored = {name for name, ids in remembered.items() if not ids}
    units = store.people.units()
    mapping = match_units(parsed.unit_names(), units,
                          remembered={k: v for k, v in remembered.items() if v}, home_unit_id=home_unit_id)
    preview = ImportPreview(
        parsed.title, parsed.year, parsed.doc_number, Path(path).name if path is not None else "",
        source, [SectionDraft(s.title, s.label) for s in parsed.sections], [], mapping,
        list(parsed.notes), ignored=ignored, unit_names={u["id"]: u["name"] for u in units})
    preview.tasks = [_proposal(task, parsed, preview) for task in parsed.tasks]
    if parsed.year is not None:
        preview.duplicates = store.tasks.find_plans(parsed.title, parsed.year)
    return preview


def _proposal(task: Any, parsed: ParsedWorkPoints, preview: ImportPreview) -> TaskProposal:
    named = [(r.name, r.role) for r in task.roles]
    index = next((i for i, s in enumerate(parsed.sections) if s.heading == task.section), None)
    proposal = TaskProposal(
        task.number, index, task.section, task.title, task.text,
        date.fromisoformat(task.due) if task.due else None, task.deadline_text, named, [],
        item_label=task.item, item_title=task.item_title, source_text=task.source_text, line=task.line)
    _derive_units(proposal, preview)
    return proposal


def _derive_units(proposal: TaskProposal, preview: ImportPreview) -> None:
    """Units of a proposal from its names: the clerk's choice in this review, else the
    mapping; each unit once with its strongest role."""
    roles: dict[int, str] = {}
    unmatched = []
    for name, role in proposal.named_units:
        ids = preview.choices.get(name)
        if ids is None:
            ids = preview.mapping.ids_for(name)
            if not ids and name not in preview.ignored:
                unmatched.append(name)
        for unit_id in ids:
            if unit_id not in roles or ROLE_RANK[role] < ROLE_RANK[roles[unit_id]]:
                roles[unit_id] = role
    proposal.units = list(roles.items())
    proposal.unmatched = unmatched


def choose_units(store: Store, preview: ImportPreview, choices: Mapping[str, Sequence[int]]) -> None:
    """The clerk's choice for names of the document (an empty list: "not one of our units");
    the tasks naming them get those units, with the role the document gives. Remembered when
    the document is imported."""
    known = {u["id"] for u in store.people.units()}
    for name, ids in choices.items():
        missing = [str(i) for i in ids if int(i) not in known]
        if missing:
            raise InputError(f"单位不存在：编号 {'、'.join(missing)}（为“{name}”指定的单位）。")
        preview.choices[name.strip()] = [int(i) for i in ids]
    for proposal in preview.tasks:
        if any(n in preview.choices for n, _r in proposal.named_units):
            _derive_units(proposal, preview)


@dataclass(frozen=True, slots=True)
class WorkPointsImport:
    """What an import stored: the document, its tasks and unit links, the names left without a
    unit, and the backup made first."""

    plan_id: int
    task_ids: list[int]
    links: int
    unmatched: list[str]
    backup: Path | None

    def summary(self) -> str:
        text = f"已导入 {len(self.task_ids)} 项工作任务，对应到单位 {self.links} 次。"
        if self.unmatched:
            text += f"以下单位名称没有对应的单位，相关任务暂未分配给它们：{'、'.join(self.unmatched)}。"
        return text


def import_workpoints(store: Store, preview: ImportPreview, *, allow_unmatched: bool = False,
                      allow_duplicate: bool = False) -> WorkPointsImport:
    """Store the reviewed document after a verified backup: the kept tasks with their units,
    and the clerk's unit choices (remembered), in one transaction.

    Refused (nothing written) without a year, without a task kept, with names left unmatched
    (unless ``allow_unmatched``) and when the same document of the same year is already
    stored (unless ``allow_duplicate``)."""
    draft = _plan_draft(store, preview, allow_unmatched, allow_duplicate)
    backup = backup_before(store, f"导入工作要点《{draft.title}》")
    with store.db.atomic():
        for name, ids in preview.choices.items():
            store.tasks.remember_unit_choice(name, ids)
        plan_id = store.tasks.add_plan(draft)
    task_ids = [t["id"] for t in store.tasks.tasks(plan_id=plan_id)]
    return WorkPointsImport(plan_id, task_ids, sum(len(t.units) for t in draft.tasks),
                            preview.unmatched, backup)


def _plan_draft(store: Store, preview: ImportPreview, allow_unmatched: bool,
                allow_duplicate: bool) -> PlanDraft:
    if preview.year is None:
        raise InputError("没有从文件中识别出年度，请指定年度（如 --year 2017）。")
    kept = [t for t in preview.tasks if t.keep]
    if not kept:
        raise InputError("没有要导入的工作任务（全部被排除）。")
    if preview.unmatched and not allow_unmatched:
        raise InputError(f"以下单位名称没有对应到本程序中的单位：{'、'.join(preview.unmatched)}。"
                         "请为它们选择单位（或确认不属于本级单位）后再导入。")
    duplicates = store.tasks.find_plans(preview.title, preview.year)
    if duplicates and not allow_duplicate:
        first = duplicates[0]
        raise InputError(f"{preview.year} 年的《{preview.title}》已经导入过（编号 {first['id']}，"
                         f"{first['task_count']} 项任务）。如确需再导入一份，请确认后重试。")
    used = sorted({t.section_index for t in kept if t.section_index is not None})
    new_index = {old: new for new, old in enumerate(used)}
    return PlanDraft(
        preview.title, preview.year, preview.doc_number, preview.source_name, preview.source_text,
        [preview.sections[i] for i in used],
        [TaskDraft(t.title, t.text, t.due, t.deadline_text, new_index.get(t.section_index)
                   if t.section_index is not None else None, t.number, t.item_label, t.item_title,
                   t.source_text, list(t.named_units), list(t.units)) for t in kept])


def remember_unit_choices(store: Store, choices: Mapping[str, Sequence[int]]) -> None:
    """Remember, for each name, the unit(s) the clerk chose (empty: "not one of our units")."""
    with store.db.atomic():
        for name, ids in choices.items():
            store.tasks.remember_unit_choice(name, [int(i) for i in ids])


def assign_unit_name(store: Store, name: str, unit_ids: Sequence[int], *, year: int | None = None) -> int:
    """A choice made after the import: remember it, and give the stored tasks that name
    ``name`` (of ``year``, or of every year) those units with the document's role. Returns how
    many unit links were added."""
    name = (name or "").strip()
    added = 0
    with store.db.atomic():
        store.tasks.remember_unit_choice(name, [int(i) for i in unit_ids])
        for task in store.tasks.tasks_naming(name, year):
            roles = [n["role"] for n in task["named_units"] if n["name"] == name]
            role = min(roles, key=ROLE_RANK.__getitem__)
            added += store.tasks.add_task_units(task["id"], [(int(i), role) for i in unit_ids])
    return added


# -- editing stored tasks ----------------------------------------------------------------------
def update_task(store: Store, task_id: int, *, units: Sequence[tuple[int, str]] | None = None,
                **fields: Any) -> None:
    """Change a stored task (title, text, due, deadline_text, section_id, …) and its units."""
    store.tasks.update_task(task_id, units=units, **fields)


def delete_tasks(store: Store, task_ids: Sequence[int]) -> None:
    store.tasks.delete_tasks(list(task_ids))


def restore_tasks(store: Store, task_ids: Sequence[int]) -> None:
    store.tasks.restore_tasks(list(task_ids))


def delete_plan(store: Store, plan_id: int) -> None:
    """The whole document to the recycle bin, with its tasks and their progress."""
    store.tasks.delete_plan(plan_id)


def restore_plan(store: Store, plan_id: int) -> None:
    store.tasks.restore_plan(plan_id)


# -- progress ------------------------------------------------------------------------------------
@dataclass(slots=True)
class ProgressDraft:
    """A progress entry as entered; ``new_files`` are copied in, ``removed_attachment_ids``
    unlinked (on an edit)."""

    task_id: int
    unit_id: int
    reported_on: date | str | None
    note: str = ""
    done: bool = False
    new_files: list[Path] = field(default_factory=list)
    removed_attachment_ids: list[int] = field(default_factory=list)


def check_progress(store: Store, draft: ProgressDraft) -> list[FieldProblem]:
    """Every problem of the draft at once; empty when it can be saved."""
    problems = []
    try:
        if optional_date(draft.reported_on, "进展日期") is None:
            problems.append(FieldProblem("reported_on", "请填写进展日期。"))
    except InputError as exc:
        problems.append(FieldProblem("reported_on", str(exc)))
    if not (draft.note or "").strip() and not draft.done:
        problems.append(FieldProblem("note", "请填写进展情况，或标记为已完成。"))
    try:
        task = store.tasks.task(draft.task_id)
    except NotFoundError as exc:
        problems.append(FieldProblem("task_id", str(exc)))
    else:
        if not any(u["unit_id"] == draft.unit_id for u in task["units"]):
            problems.append(FieldProblem("unit_id", f"该单位不是任务“{task['title']}”的责任单位。"))
    missing = [str(p) for p in draft.new_files if not Path(p).is_file()]
    if missing:
        problems.append(FieldProblem("new_files", f"附件文件不存在：{'、'.join(missing)}"))
    return problems


@dataclass(frozen=True, slots=True)
class ProgressChange:
    """A saved progress entry: its whole state before (None: it is new) and after."""

    progress_id: int
    before: dict[str, Any] | None
    after: dict[str, Any]

    @property
    def description(self) -> str:
        """The undo menu's label."""
        return "新增任务进展" if self.before is None else "修改任务进展"


def save_progress(store: Store, draft: ProgressDraft, progress_id: int | None = None) -> ProgressChange:
    """Add (``progress_id`` None) or update a progress entry with its evidence files."""
    problems = check_progress(store, draft)
    if problems:
        raise ValidationError("；".join(p.message for p in problems))
    stored = [store.records.store_attachment_file(path) for path in draft.new_files]
    if progress_id is None:
        new_id = store.tasks.add_progress(draft.task_id, draft.unit_id, draft.reported_on, draft.note,
                                          draft.done, attachments=stored)
        return ProgressChange(new_id, None, store.tasks.progress_snapshot(new_id))
    before = store.tasks.progress_snapshot(progress_id)
    store.tasks.update_progress(progress_id, add_attachments=stored,
                                remove_attachment_ids=draft.removed_attachment_ids,
                                reported_on=draft.reported_on, note=draft.note, done=draft.done)
    return ProgressChange(progress_id, before, store.tasks.progress_snapshot(progress_id))


def undo_progress(store: Store, change: ProgressChange) -> None:
    """Back to the state before the change; a new entry goes to the recycle bin."""
    if change.before is None:
        store.tasks.delete_progress([change.progress_id])
    else:
        store.tasks.apply_progress_snapshot(change.progress_id, change.before)


def redo_progress(store: Store, change: ProgressChange) -> None:
    store.tasks.apply_progress_snapshot(change.progress_id, change.after)


def delete_progress(store: Store, progress_ids: Sequence[int]) -> None:
    store.tasks.delete_progress(list(progress_ids))


def restore_progress(store: Store, progress_ids: Sequence[int]) -> None:
    store.tasks.restore_progress(list(progress_ids))


def link_record(store: Store, task_id: int, record_id: int, unit_id: int | None = None,
                note: str = "") -> int:
    """A record of a duty evidences a task (for one of its units, or the task as a whole)."""
    return store.tasks.link_record(task_id, record_id, unit_id, note)


def unlink_record(store: Store, task_id: int, record_id: int) -> None:
    store.tasks.unlink_record(task_id, record_id)


def tasks_of_record(store: Store, record_id: int) -> list[dict[str, Any]]:
    """The tasks a record evidences (task_id, title, year, unit_id, note): the record form's list."""
    return store.tasks.record_tasks(record_id)


# -- lists, reminders, calendar ------------------------------------------------------------------
def list_tasks(store: Store, flt: TaskFilter, today: date, *, entries: bool = False,
               warn_days: int = DEFAULT_WARN_DAYS) -> list[TaskView]:
    """The year's tasks (filtered) in document order with their status as of ``today``;
    ``entries`` loads each unit's progress entries too."""
    return task_views(store, flt, today, entries=entries, warn_days=warn_days)


@dataclass(frozen=True, slots=True)
class TaskReminder:
    """A task overdue or due soon, for the dashboard's reminder list."""

    task_id: int
    title: str
    due: date
    status: TaskStatus
    label: str
    days_left: int
    open_units: list[str]

    @property
    def message(self) -> str:
        """"【逾期 5 天】完成相对集中复议权工作（截止 2017-06-30，未完成：市编委办、市司法局）"."""
        who = f"，未完成：{'、'.join(self.open_units)}" if self.open_units else ""
        return f"【{self.label}】{self.title}（截止 {self.due:%Y-%m-%d}{who}）"


def task_reminders(store: Store, year: int, today: date, *, unit_id: int | None = None,
                   warn_days: int = DEFAULT_WARN_DAYS) -> list[TaskReminder]:
    """Tasks of ``year`` overdue or due within ``warn_days`` (of one unit: its own status),
    most urgent first."""
    views = task_views(store, TaskFilter(year, unit_id=unit_id, statuses=frozenset(REMINDER_STATUSES)),
                       today, warn_days=warn_days)
    out = []
    for view in by_urgency(views, unit_id):
        unit = view.unit(unit_id) if unit_id is not None else None
        verdict = unit.verdict if unit else view.verdict
        open_units = [u.unit_name for u in view.units if u.status is not TaskStatus.DONE
                      and (unit_id is None or u.unit_id == unit_id)]
        out.append(TaskReminder(view.id, view.title, view.due, verdict.status, verdict.label,
                                verdict.days_left, open_units))
    return out


def task_deadline_events(store: Store, year: int, today: date, *,
                         unit_id: int | None = None) -> list[CalendarEvent]:
    """One all-day calendar event per task deadline of ``year`` (see ``export_calendar``)."""
    return task_calendar_events(store, year, today, unit_id=unit_id)


# -- the 任务分解表 --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TaskSheetExport:
    """The 任务分解表 of ``year`` (of one unit's tasks with ``unit_id``), status as of ``today``."""

    path: Path
    year: int
    today: date
    unit_id: int | None = None

    @property
    def target(self) -> Path:
        return self.path if self.path.suffix.lower() == ".xlsx" else self.path.with_suffix(".xlsx")


def export_task_sheet(store: Store, options: TaskSheetExport) -> int:
    """Write the sheet; returns the number of tasks in it."""
    if options.unit_id is not None:
        store.people.unit(options.unit_id)  # a clear "单位不存在" before any file is written
    tasks_xlsx = _tasks_xlsx()
    return tasks_xlsx.export_task_sheet(store, options.target, options.year, options.today,
                                        unit_id=options.unit_id)


def preview_task_sheet(store: Store, path: Path | str, today: date) -> tasks_xlsx.TaskSheetPreview:
    """Read and check every row of a filled-in sheet; nothing is written."""
    return _tasks_xlsx().preview_task_sheet(store, Path(path), today)


def apply_task_sheet(store: Store, preview: tasks_xlsx.TaskSheetPreview) -> ImportOutcome:
    """Add the valid rows' progress in one transaction, after a verified backup."""
    safety = backup_before(store, f"导入任务进展 {preview.path.name}")
    return ImportOutcome(_tasks_xlsx().apply_task_sheet(store, preview), safety)


def _tasks_xlsx():  # noqa: ANN202 - the module
    """The 任务分解表 reader and writer, loaded when a sheet is used: openpyxl takes longer to
    load than the dashboard's task reminders take to work out."""
    from duty_tracker.core.exchange import tasks_xlsx

    return tasks_xlsx
