"""The 任务分解表 (task breakdown sheet) of a year's work points, to and from .xlsx.

Offices exchange it as one row per task: 序号, 工作任务, 牵头单位, 责任单位, 完成时限, 进展情况,
状态 — the units as the document names them, the deadline as the document words it. Three more
columns make the sheet come back: 填报单位 (whose progress the row reports), 填报日期 and
唯一标识 (the task's uuid; without it a row is matched by its task text). Each section starts
with a heading row (its title in 工作任务, nothing else), skipped on import.

Exported for one unit (``unit_id``), the rows are that unit's tasks, 进展情况 and 状态 are the
unit's and 填报单位 is filled in; exported for all, they are the task's (each unit's notes
under its name). A unit fills in the sheet and sends it back; on import each row is checked and
what is new becomes one progress entry of the row's unit:

- the lines of 进展情况 that were not in the exported cell are the new note (a first line that
  starts with a date, "2017-06-30 …" or "2017年6月30日…", gives the entry its date);
- 状态 "已完成" (or 完成, 是) marks the entry completed; a completed task cannot be reopened
  from a sheet (that is an error of the row: reopen it in the program);
- a row that reports nothing new — unchanged, or already imported — is skipped without error.

Every row is checked first; the valid rows go in in one transaction — all of them, or none::

    preview = preview_task_sheet(store, path, today)
    print("\\n".join(preview.error_lines()))
    result = apply_task_sheet(store, preview)

Text that begins with = + - @ is written as text, never as a live formula.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.styles import Font, PatternFill

from duty_tracker.core.exchange.xlsx_common import (
    Column,
    ExchangeError,
    RowError,
    clean_text,
    new_workbook,
    open_sheet,
    parse_date,
    read_rows,
    save_workbook,
    text_of,
    write_sheet,
)
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.task_status import TaskFilter, TaskView, task_views
from duty_tracker.core.workpoints.matching import normalise_name
from duty_tracker.core.workpoints.status import TaskStatus

SHEET = "任务分解表"
COLUMNS = (
    Column("序号", 6), Column("工作任务", 60, wrap=True), Column("牵头单位", 18, wrap=True),
    Column("责任单位", 24, wrap=True), Column("完成时限", 14, wrap=True),
    Column("进展情况", 48, wrap=True), Column("状态", 12), Column("填报单位", 16),
    Column("填报日期", 12, is_date=True), Column("唯一标识", 38),
)
ALIASES = {
    "number": ("序号", "编号"),
    "task": ("工作任务", "任务", "工作内容", "主要任务", "重点任务", "任务内容"),
    "lead": ("牵头单位",),
    "units": ("责任单位", "配合单位"),
    "due": ("完成时限", "时间要求", "完成时间"),
    "progress": ("进展情况", "工作进展", "进展", "完成情况", "落实情况"),
    "status": ("状态", "完成状态", "是否完成"),
    "unit": ("填报单位",),
    "reported_on": ("填报日期", "进展日期"),
    "uuid": ("唯一标识", "UUID", "uuid"),
}
REQUIRED = ("task", "progress")
FORMULA_STARTS = ("=", "+", "-", "@")
SECTION_FONT = Font(name="黑体", size=11, bold=True)
SECTION_FILL = PatternFill("solid", fgColor="EEF2F7")
_DONE_WORDS = {"已完成", "完成", "是", "已办结", "办结", "已落实"}
_LEADING_DATE = re.compile(r"^\s*(\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?)[\s：:，,、]*")
MAX_NOTE = 20_000


# -- export --------------------------------------------------------------------------------------
def progress_text(view: TaskView, unit_id: int | None = None) -> str:
    """The 进展情况 cell: the unit's entries, one a line ("2017-03-01 起草了方案（已完成）");
    for the whole task each reporting unit's lines under its name when more than one reported."""
    units = [u for u in view.units if unit_id is None or u.unit_id == unit_id]
    reporting = [u for u in units if u.entries]
    blocks = []
    for unit in reporting:
        lines = [f"{e['reported_on']} {e['note']}".rstrip() + ("（已完成）" if e["done"] else "")
                 for e in unit.entries]
        prefix = f"{unit.unit_name}：\n" if unit_id is None and len(reporting) > 1 else ""
        blocks.append(prefix + "\n".join(lines))
    return "\n".join(blocks)


def _deadline_cell(view: TaskView) -> Any:
    return view.deadline_text or view.due or ""


def _units_cell(view: TaskView) -> str:
    responsible = "、".join(view.unit_names("responsible"))
    assist = "、".join(view.unit_names("assist"))
    if assist:
        return f"{responsible}；配合：{assist}" if responsible else f"配合：{assist}"
    return responsible


def sheet_rows(views: list[TaskView], unit: tuple[int, str] | None) -> list[list[Any]]:
    """The sheet's rows: a heading row per section, then its tasks."""
    rows: list[list[Any]] = []
    heading = None
    for view in views:
        if view.section and view.section != heading:
            heading = view.section
            rows.append(["", heading, "", "", "", "", "", "", None, ""])
        status = view.unit(unit[0]).verdict.label if unit and view.unit(unit[0]) else view.verdict.label
        rows.append([
            view.number, view.text or view.title, "、".join(view.unit_names("lead")), _units_cell(view),
            _deadline_cell(view), progress_text(view, unit[0] if unit else None), status,
            unit[1] if unit else _only_unit(view), None, view.uuid,
        ])
    return rows


def _only_unit(view: TaskView) -> str:
    return view.units[0].unit_name if len(view.units) == 1 else ""


def export_task_sheet(store: Any, path: Path | str, year: int, today: date, *,
                      unit_id: int | None = None) -> int:
    """Write the 任务分解表 of ``year`` (of one unit's tasks with ``unit_id``); returns the
    number of tasks written."""
    unit = (unit_id, store.people.unit(unit_id)["name"]) if unit_id is not None else None
    views = task_views(store, TaskFilter(year, unit_id=unit_id), today, entries=True)
    wb = new_workbook()
    ws = wb.create_sheet(SHEET)
    write_sheet(ws, COLUMNS, sheet_rows(views, unit))
    plans = list(dict.fromkeys(view.plan_title for view in views))
    _finish(ws, f"{plans[0]}任务分解表" if len(plans) == 1 else f"{year}年度工作任务分解表", unit)
    save_workbook(wb, path)
    return len(views)


def _finish(ws: Any, title: str, unit: tuple[int, str] | None) -> None:
    """Text stays text; section rows stand out; the page prints landscape with its title."""
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True  # and it stays text when the clerk edits the cell
        if row[0].value in ("", None) and row[1].value and row[-1].value in ("", None):
            for cell in row:
                cell.fill = SECTION_FILL
            row[1].font = SECTION_FONT
    _fit_rows(ws)
    ws.oddHeader.center.text = title + (f"（{unit[1]}）" if unit else "")
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


#: Points per wrapped line of 11-point 宋体, and how many column-width units a character takes.
LINE_POINTS = 14.5


def _text_units(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fit_rows(ws: Any) -> None:
    """Row heights for the wrapped text: spreadsheet programs do not grow a row by themselves
    when the file is opened or printed, and long tasks would overlap the next row."""
    widths = [c.width for c in COLUMNS]
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for cell, width, column in zip(row, widths, COLUMNS, strict=False):
            if column.wrap and isinstance(cell.value, str):
                usable = max(1, int(width) - 1)
                lines = max(lines, sum(max(1, -(-_text_units(part) // usable))
                                       for part in cell.value.split("\n")))
        ws.row_dimensions[row[0].row].height = round(LINE_POINTS * lines + 4, 1)


# -- import --------------------------------------------------------------------------------------
@dataclass
class ProgressRow:
    """What one row adds: a progress entry of a unit on a task."""

    row: int
    task_id: int
    unit_id: int
    reported_on: date
    note: str
    done: bool
    task_title: str = ""
    unit_name: str = ""


@dataclass
class TaskSheetPreview:
    path: Path
    rows: list[ProgressRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def valid_count(self) -> int:
        return len(self.rows)

    @property
    def invalid_rows(self) -> int:
        return len({e.row for e in self.errors})

    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors]


@dataclass
class TaskSheetResult:
    added: int = 0
    completed: int = 0
    progress_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        done = f"，其中 {self.completed} 项标记为已完成" if self.completed else ""
        return f"已导入 {self.added} 条任务进展{done}。"


class _Tasks:
    """Every task of the database once (by uuid and by text), with its view as of today."""

    def __init__(self, store: Any, today: date) -> None:
        self.views: dict[str, TaskView] = {}
        self.by_text: dict[str, list[TaskView]] = {}
        years = sorted({p["year"] for p in store.tasks.plans()})
        for year in years:
            for view in task_views(store, TaskFilter(year), today, entries=True):
                self.views[view.uuid] = view
                for key in {_squash(view.text), _squash(view.title)} - {""}:
                    self.by_text.setdefault(key, []).append(view)

    def find(self, uuid: str, text: str) -> tuple[TaskView | None, str]:
        if uuid:
            view = self.views.get(uuid)
            return (view, "") if view else (None, "唯一标识对应的任务不存在（可能已删除，或表格来自另一台电脑）")
        found = self.by_text.get(_squash(text), [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, "有多项任务内容相同，请保留“唯一标识”列"
        return None, "找不到对应的任务（请使用程序导出的任务分解表，不要删除“唯一标识”列）"


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text or "")


def preview_task_sheet(store: Any, path: Path | str, today: date) -> TaskSheetPreview:
    """Read and check every row of a filled-in 任务分解表; nothing is written."""
    path = Path(path)
    preview = TaskSheetPreview(path)
    raw_rows, file_errors = read_rows(open_sheet(path, (SHEET,)), ALIASES, REQUIRED)
    preview.errors += file_errors
    tasks = _Tasks(store, today) if raw_rows else None
    seen: set[tuple[int, int, str, bool]] = set()
    for number, values in raw_rows:
        if _is_heading(values):
            continue
        preview.total_rows += 1
        row, errors = _check_row(number, values, tasks, today)
        if errors:
            preview.errors += errors
        elif row is None or (row.task_id, row.unit_id, row.note, row.done) in seen:
            preview.unchanged += 1
        else:
            seen.add((row.task_id, row.unit_id, row.note, row.done))
            preview.rows.append(row)
    return preview


def _is_heading(values: dict[str, Any]) -> bool:
    return not text_of(values.get("number")) and not text_of(values.get("uuid")) and not any(
        text_of(values.get(k)) for k in ("progress", "status", "unit", "lead", "units"))


def _check_row(number: int, values: dict[str, Any], tasks: Any, today: date
               ) -> tuple[ProgressRow | None, list[RowError]]:
    """The new progress of one row (None: nothing new), or its errors."""
    uuid, cell = text_of(values.get("uuid")), text_of(values.get("progress"))
    status = text_of(values.get("status")).replace(" ", "")
    done = status in _DONE_WORDS or (status.startswith("已完成") and "未" not in status)
    view, why = tasks.find(uuid, text_of(values.get("task")))
    if view is None:
        return None, ([] if not cell and not done else [RowError(number, "唯一标识" if uuid else "工作任务", why)])
    exported = [progress_text(view, None)] + [progress_text(view, u.unit_id) for u in view.units]
    note, day = _new_note(cell, *exported)
    unit, why = _row_unit(view, text_of(values.get("unit")))
    if unit is None:
        return None, ([RowError(number, "填报单位", why)] if note or (done and view.status is not TaskStatus.DONE)
                      else [])
    labels = {view.verdict.label, unit.verdict.label, view.status.value, unit.status.value}
    if unit.status is TaskStatus.DONE and status and not done and status not in labels:
        return None, [RowError(number, "状态", "该单位已完成这项任务，不能通过表格改回未完成（请在程序中修改）")]
    if note and any(e["note"] == note for e in unit.entries):
        note = ""  # imported before
    if not note and (not done or unit.status is TaskStatus.DONE):
        return None, []
    errors: list[RowError] = []
    reported_on = today
    try:
        if text_of(values.get("reported_on")):
            reported_on = parse_date(values.get("reported_on"), "填报日期")
        elif day is not None:
            reported_on = parse_date(day, "进展日期")
    except ValueError as exc:
        errors.append(RowError(number, "填报日期", str(exc)))
    if len(note) > MAX_NOTE:
        errors.append(RowError(number, "进展情况", f"内容过长（超过 {MAX_NOTE} 字）"))
    if errors:
        return None, errors
    return ProgressRow(number, view.id, unit.unit_id, reported_on, note, done, view.title, unit.unit_name), []


def _row_unit(view: TaskView, name: str) -> tuple[Any, str]:
    """The unit of the task that a row reports for: the one named (exact or normalised name),
    or the task's only unit when the cell is empty."""
    names = "、".join(u.unit_name for u in view.units) or "尚未指定"
    if not name:
        if len(view.units) == 1:
            return view.units[0], ""
        return None, f"请填写填报进展的单位（本任务的责任单位：{names}）"
    for unit in view.units:
        if unit.unit_name.strip() == name or normalise_name(unit.unit_name) == normalise_name(name):
            return unit, ""
    return None, f"“{name}”不是这项任务的责任单位（责任单位：{names}）"


def _new_note(cell: str, *exported: str) -> tuple[str, str | None]:
    """The lines of ``cell`` that none of the exported cells had (compared as written: control
    characters the sheet cannot hold were replaced), and the date a first new line starts with."""
    known = {line.strip() for text in exported for line in clean_text(text).splitlines()}
    new = [line.strip() for line in cell.splitlines() if line.strip() and line.strip() not in known]
    day = None
    if new:
        match = _LEADING_DATE.match(new[0])
        if match:
            day = match.group(1)
            new[0] = new[0][match.end():].strip()
            new = [line for line in new if line]
    return "\n".join(new), day


def apply_task_sheet(store: Any, preview: TaskSheetPreview, *, source: str = "") -> TaskSheetResult:
    """Add every valid row of ``preview`` as a progress entry, in one transaction: all, or none."""
    result = TaskSheetResult()
    label = source or f"表格 {preview.path.name}"
    try:
        with store.db.atomic():
            for row in preview.rows:
                result.progress_ids.append(store.tasks.add_progress(
                    row.task_id, row.unit_id, row.reported_on, row.note, row.done,
                    source=f"{label} 第 {row.row} 行"))
                result.completed += int(row.done)
            result.added = len(result.progress_ids)
    except (StorageError, sqlite3.DatabaseError) as exc:  # rolled back, reported in Chinese
        raise ExchangeError(f"导入失败，数据库未作任何修改：{exc}") from exc
    return result
