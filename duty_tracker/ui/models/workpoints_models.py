"""The 工作要点 page's list: the year's tasks grouped by the sections of their document, as a
two-level tree (section → task) over :class:`~duty_tracker.core.task_status.TaskView`s.

Why a tree model of its own: the sections are the document's structure the clerk knows ("二、
深化行政审批制度改革"), and a year may hold several documents with hundreds of tasks. The
sections are all there at once (a handful); their tasks are handed to the view in batches
(``canFetchMore``/``fetchMore``), so a long document opens as fast as a short one.

With a unit chosen (本单位任务) every cell speaks for that unit: its role, its own status, its
latest note. Without one, for the task as a whole: every unit with its role, the task's status
(the rules: ``core/workpoints/status.py``), the latest note of any unit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from duty_tracker.core.domain import Status
from duty_tracker.core.services.workpoints import TaskStatus, TaskView, by_section
from duty_tracker.core.storage.tasks_repo import TASK_ROLES
from duty_tracker.core.workpoints.model import RESPONSIBLE
from duty_tracker.ui import look
from duty_tracker.ui.models.batched import BATCH  # tasks handed to the view at a time, per section
from duty_tracker.ui.models.roles import (
    ALIGNMENT,
    BACKGROUND,
    DISPLAY,
    FONT,
    FOREGROUND,
    HORIZONTAL,
    TOOLTIP,
)
from duty_tracker.ui.widgets.status_style import status_colour

TITLE, UNITS, DUE, STATUS, PROGRESS = range(5)
HEADERS = ("工作任务", "责任单位", "完成时限", "状态", "最新进展")
#: The TaskView of a task row (None on a section row).
VIEW_ROLE = Qt.ItemDataRole.UserRole + 40
#: Order of the statuses in counts ("逾期 2，临期 1，…").
STATUS_ORDER = (TaskStatus.OVERDUE, TaskStatus.DUE_SOON, TaskStatus.IN_PROGRESS,
                TaskStatus.NOT_STARTED, TaskStatus.DONE)
#: The compliance colours the other pages use, by meaning; 未开始 keeps the plain background.
STATUS_LOOK: dict[TaskStatus, Status] = {
    TaskStatus.DONE: Status.DONE, TaskStatus.IN_PROGRESS: Status.IN_PROGRESS,
    TaskStatus.DUE_SOON: Status.WARNING, TaskStatus.OVERDUE: Status.FAILED,
}
_MUTED = QBrush(QColor(look.COLOURS["muted"]))
_WARNING = QBrush(QColor(look.COLOURS["warning"]))


def role_label(role: str) -> str:
    return TASK_ROLES.get(role, role)


def one_line(text: str) -> str:
    return " ".join((text or "").split())


def units_text(view: TaskView, unit_id: int | None = None, *, most: int = 3) -> str:
    """The 责任单位 cell: "市司法局（牵头）、市编委办、市财政局（配合）" — 负责, the role most
    units have, goes unsaid —, "…等 17 个单位"; for one unit its role among how many; the
    document's names when no unit of the program was found."""
    if unit_id is not None and view.unit(unit_id) is not None:
        unit = view.unit(unit_id)
        return role_label(unit.role) + (f"（共 {len(view.units)} 个单位）" if len(view.units) > 1 else "")
    if not view.units:
        names = "、".join(n["name"] for n in view.named_units)
        return f"{names}（未对应到单位）" if names else "尚未指定"
    shown = [u.unit_name + ("" if u.role == RESPONSIBLE else f"（{role_label(u.role)}）")
             for u in view.units[:most]]
    more = len(view.units) - most
    return "、".join(shown) + (f"等 {len(view.units)} 个单位" if more > 0 else "")


def units_tip(view: TaskView) -> str:
    """Every unit with its role and status, one a line (the 责任单位 cell's tooltip)."""
    lines = [f"{u.unit_name}（{role_label(u.role)}）：{u.verdict.label}" for u in view.units]
    named = "、".join(n["name"] for n in view.named_units)
    if named:
        lines.append(f"文件中的表述：{named}")
    return "\n".join(lines)


def latest_note(view: TaskView, unit_id: int | None = None) -> str:
    """The newest note of the unit (or of any unit): "2017-06-30 已出台实施方案"."""
    units = [u for u in view.units if unit_id is None or u.unit_id == unit_id]
    reported = [u for u in units if u.last_note and u.verdict.last_on]
    if not reported:
        return ""
    unit = max(reported, key=lambda u: u.verdict.last_on)
    who = f"{unit.unit_name}：" if unit_id is None and len(view.units) > 1 else ""
    return f"{unit.verdict.last_on:%Y-%m-%d} {who}{one_line(unit.last_note)}"


def verdict_of(view: TaskView, unit_id: int | None) -> Any:
    unit = view.unit(unit_id) if unit_id is not None else None
    return unit.verdict if unit else view.verdict


@dataclass(slots=True)
class _Group:
    heading: str
    views: list[TaskView]
    loaded: int


class TaskTreeModel(QAbstractItemModel):
    """Sections (top level) and their tasks (children). ``internalId`` is 0 for a section and
    the section's row + 1 for its tasks."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._unit_id: int | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content ---------------------------------------------------------------------------
    def set_views(self, views: list[TaskView], unit_id: int | None = None) -> None:
        """Show ``views`` grouped by section; with ``unit_id`` every cell is that unit's."""
        several = len({v.plan_id for v in views}) > 1
        self.beginResetModel()
        self._unit_id = unit_id
        self._groups = []
        for heading, items in by_section(views):
            label = heading or "（未归入部分的任务）"
            if several:
                label = f"《{items[0].plan_title}》{label}"
            self._groups.append(_Group(label, items, min(BATCH, len(items))))
        self.endResetModel()

    @property
    def unit_id(self) -> int | None:
        return self._unit_id

    def views(self) -> list[TaskView]:
        return [view for group in self._groups for view in group.views]

    def task_count(self) -> int:
        return sum(len(group.views) for group in self._groups)

    def status_counts(self) -> Counter[TaskStatus]:
        """How many tasks are in each status (the unit's own status in 本单位任务)."""
        return Counter(view.status_for(self._unit_id) for view in self.views())

    def view_at(self, index: QModelIndex | QPersistentModelIndex) -> TaskView | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1]
        return group.views[index.row()] if index.row() < group.loaded else None

    def index_of_task(self, task_id: int) -> QModelIndex:
        """The task's row (its section's rows fetched up to it); invalid when not shown."""
        for number, group in enumerate(self._groups):
            position = next((i for i, v in enumerate(group.views) if v.id == task_id), -1)
            if position < 0:
                continue
            parent = self.index(number, 0)
            while group.loaded <= position:
                self.fetchMore(parent)
            return self.index(position, 0, parent)
        return QModelIndex()

    def section_index(self, row: int) -> QModelIndex:
        return self.index(row, 0)

    # -- Qt: structure -----------------------------------------------------------------------
    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return self._groups[parent.row()].loaded
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        if not parent.isValid():
            return bool(self._groups)
        return parent.internalId() == 0 and parent.column() == 0 and bool(self._groups[parent.row()].views)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if not parent.isValid() or parent.internalId() != 0:
            return False
        group = self._groups[parent.row()]
        return group.loaded < len(group.views)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        group = self._groups[parent.row()]
        more = min(BATCH, len(group.views) - group.loaded)
        self.beginInsertRows(self.index(parent.row(), 0), group.loaded, group.loaded + more - 1)
        group.loaded += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is not HORIZONTAL or role != DISPLAY:
            return None
        if self._unit_id is not None and section in (UNITS, STATUS, PROGRESS):
            return ("本单位职责", "本单位状态", "本单位最新进展")[(UNITS, STATUS, PROGRESS).index(section)]
        return HEADERS[section]

    # -- Qt: cells ---------------------------------------------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._section_data(self._groups[index.row()], index.column(), role)
        view = self.view_at(index)
        if view is None:
            return None
        if role == VIEW_ROLE:
            return view
        if role == DISPLAY:
            return self._task_text(view, index.column())
        if role == TOOLTIP:
            return self._task_tip(view, index.column())
        status = view.status_for(self._unit_id)
        if role == BACKGROUND and index.column() == STATUS and status in STATUS_LOOK:
            return status_colour(STATUS_LOOK[status])
        if role == FOREGROUND:
            if index.column() == STATUS and status in STATUS_LOOK:
                return status_colour(STATUS_LOOK[status], foreground=True)
            if index.column() == UNITS and not view.units:
                return _WARNING
            if index.column() == DUE and view.due is None:
                return _MUTED
        if role == ALIGNMENT and index.column() in (DUE, STATUS):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _task_text(self, view: TaskView, column: int) -> str:
        if column == TITLE:
            return f"{view.number}. {one_line(view.title)}"
        if column == UNITS:
            return units_text(view, self._unit_id)
        if column == DUE:
            return f"{view.due:%Y-%m-%d}" if view.due else "未定"
        if column == STATUS:
            return verdict_of(view, self._unit_id).label
        return latest_note(view, self._unit_id)

    def _task_tip(self, view: TaskView, column: int) -> str | None:
        if column == TITLE:
            return look.plain(one_line(view.text) or view.title)
        if column == UNITS:
            return look.plain(units_tip(view)) or None
        if column == DUE:
            return look.plain(f"文件原文：{view.deadline_text}") if view.deadline_text else "文件中没有写明完成时限"
        if column == PROGRESS:
            note = latest_note(view, self._unit_id)
            return look.plain(note) if note else "尚未填报进展"
        return None

    def _section_data(self, group: _Group, column: int, role: int) -> Any:
        """A section row spans the columns (the view spans it): its heading and its counts."""
        if column != TITLE:
            return None
        if role == DISPLAY:
            done = sum(v.status_for(self._unit_id) is TaskStatus.DONE for v in group.views)
            return f"{group.heading}　（{len(group.views)} 项，已完成 {done} 项）"
        if role == FONT:
            return self._bold
        if role == TOOLTIP:
            return look.plain(group.heading)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def counts_text(counts: Counter[TaskStatus]) -> str:
    """"逾期 2，临期 1，推进中 5，未开始 19，已完成 3" (statuses with no task left out)."""
    return "，".join(f"{status.value} {counts[status]}" for status in STATUS_ORDER if counts[status])
