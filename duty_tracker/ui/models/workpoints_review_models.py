"""Models of the work-points import review: the proposed tasks (keep or drop, title, units with
their roles, deadline), the document's unit names no unit was found for (and the clerk's choice
for each), and the program's units with a role each (the units editor).

Every edit goes straight into the :class:`~duty_tracker.core.services.workpoints.ImportPreview`
the dialog reviews — the preview *is* what will be stored — so nothing the clerk changed can be
lost between the table and the import. A task whose units the clerk set by hand keeps them when
a name is assigned afterwards (the assignment re-derives only the other tasks' units).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from duty_tracker.core.errors import InputError
from duty_tracker.core.helpers import optional_date
from duty_tracker.core.services.workpoints import ImportPreview, TaskProposal
from duty_tracker.core.storage.tasks_repo import MAX_TITLE, ROLE_RANK, TASK_ROLES
from duty_tracker.ui import look
from duty_tracker.ui.models.roles import (
    ALIGNMENT,
    CHECK_STATE,
    DISPLAY,
    EDIT,
    FONT,
    FOREGROUND,
    HORIZONTAL,
    TOOLTIP,
)

KEEP, TITLE, UNITS, DUE = range(4)
REVIEW_HEADERS = ("导入", "任务名称（双击修改）", "责任单位及职责", "完成时限")
#: A unit list [(unit id, role)] or a name's choice [ids] for the editors.
VALUE_ROLE = Qt.ItemDataRole.UserRole + 50
_MUTED = QBrush(QColor(look.COLOURS["muted"]))
_WARNING = QBrush(QColor(look.COLOURS["warning"]))
_ERROR = QBrush(QColor(look.COLOURS["error"]))


def proposal_units_text(proposal: TaskProposal, unit_names: dict[int, str]) -> str:
    """"市司法局（牵头）、市编委办（配合）；待对应：市委网信办"."""
    parts = [f"{unit_names.get(u, str(u))}（{TASK_ROLES[r]}）" for u, r in proposal.units]
    text = "、".join(parts) or "（无）"
    if proposal.unmatched:
        text += f"；待对应：{'、'.join(proposal.unmatched)}"
    return text


class ReviewTasksModel(QAbstractTableModel):
    """One row per proposed task. ``problem`` carries the Chinese reason an edit was refused."""

    problem = Signal(str)

    def __init__(self, preview: ImportPreview, parent: Any = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self._manual: dict[int, list[tuple[int, str]]] = {}  # rows whose units the clerk set
        self._bad: set[int] = set()
        self._italic = QFont()
        self._italic.setItalic(True)

    def proposal(self, row: int) -> TaskProposal:
        return self.preview.tasks[row]

    def kept_count(self) -> int:
        return sum(1 for t in self.preview.tasks if t.keep)

    def set_all_kept(self, keep: bool) -> None:
        for task in self.preview.tasks:
            task.keep = keep
        self._changed_all()

    def set_units(self, row: int, units: Sequence[tuple[int, str]]) -> None:
        """The clerk's units for one task: they replace the proposal's, and the names of that
        task no longer wait for a unit (the clerk decided who does it)."""
        proposal = self.preview.tasks[row]
        proposal.units = _strongest(units)
        proposal.unmatched = []
        self._manual[row] = list(proposal.units)
        self._bad.discard(row)
        self._changed_row(row)

    def choices_applied(self) -> None:
        """After a name was assigned (``choose_units`` re-derived units): hand-set rows stay."""
        for row, units in self._manual.items():
            self.preview.tasks[row].units = list(units)
            self.preview.tasks[row].unmatched = []
        self._changed_all()

    def mark_invalid(self, rows: set[int]) -> None:
        self._bad = set(rows)
        self._changed_all()

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.preview.tasks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(REVIEW_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is HORIZONTAL and role == DISPLAY:
            return REVIEW_HEADERS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == KEEP:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in (TITLE, DUE):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        task, column = self.preview.tasks[index.row()], index.column()
        if role == CHECK_STATE and column == KEEP:
            return Qt.CheckState.Checked if task.keep else Qt.CheckState.Unchecked
        if role in (DISPLAY, EDIT):
            return self._text(task, column, role == EDIT)
        if role == VALUE_ROLE and column == UNITS:
            return list(task.units)
        if role == TOOLTIP:
            return self._tip(task, column)
        if role == FOREGROUND:
            if not task.keep:
                return _MUTED
            if index.row() in self._bad:
                return _ERROR
            if column == UNITS and (task.unmatched or not task.units):
                return _WARNING
        if role == FONT and not task.keep:
            return self._italic
        return None

    def _text(self, task: TaskProposal, column: int, editing: bool) -> str:
        if column == TITLE:
            return task.title if editing else f"{task.number}. {task.title}"
        if column == UNITS:
            return proposal_units_text(task, self.preview.unit_names)
        if column == DUE:
            return f"{task.due:%Y-%m-%d}" if task.due else ("" if editing else "未定")
        return ""

    def _tip(self, task: TaskProposal, column: int) -> str | None:
        if column == KEEP:
            return "取消勾选：这一项不是工作任务，不导入"
        if column == TITLE:
            where = f"\n所属：{task.section}" if task.section else ""
            return look.plain(f"{task.title}{where}\n双击修改任务名称")
        if column == UNITS:
            named = "、".join(f"{n}（{TASK_ROLES[r]}）" for n, r in task.named_units) or "文件中未写明"
            return look.plain(f"文件中的责任单位：{named}\n双击或按“编辑责任单位…”修改")
        if column == DUE:
            said = f"文件原文：{task.deadline_text}\n" if task.deadline_text else "文件中没有写明完成时限\n"
            return look.plain(said + "双击修改，如 2017-06-30；清空表示没有完成时限")
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        task, column = self.preview.tasks[index.row()], index.column()
        if column == KEEP and role == CHECK_STATE:
            task.keep = Qt.CheckState(value) == Qt.CheckState.Checked
            self._changed_row(index.row())
            return True
        if role != EDIT:
            return False
        try:
            changed = self._edit(task, column, str(value or ""))
        except InputError as exc:
            self.problem.emit(str(exc))
            return False
        if changed:
            self._bad.discard(index.row())
            self._changed_row(index.row())
        return changed

    def _edit(self, task: TaskProposal, column: int, value: str) -> bool:
        if column == TITLE:
            title = " ".join(value.split())
            if not title:
                raise InputError("任务名称不能为空（不是工作任务的，请取消勾选“导入”）。")
            if len(title) > MAX_TITLE:
                raise InputError(f"任务名称过长（超过 {MAX_TITLE} 字）。")
            task.title = title
            return True
        if column == DUE:
            due = optional_date(value, "完成时限")
            if due != task.due:
                task.due = due
                task.deadline_text = None  # the sheet then prints the date the clerk chose
            return True
        return False

    def _changed_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(REVIEW_HEADERS) - 1))

    def _changed_all(self) -> None:
        if self.preview.tasks:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.preview.tasks) - 1,
                                                               len(REVIEW_HEADERS) - 1))


def _strongest(units: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    roles: dict[int, str] = {}
    for unit_id, role in units:
        if unit_id not in roles or ROLE_RANK[role] < ROLE_RANK[roles[unit_id]]:
            roles[unit_id] = role
    return list(roles.items())


# -- the names no unit was found for --------------------------------------------------------------
NAME, COUNT, CHOICE = range(3)
NAME_HEADERS = ("文件中的单位名称", "任务数", "对应到本程序中的单位")
#: The value of "不是本系统的单位" (the clerk's choice: an empty list of units).
NOT_OURS: list[int] = []
NOT_OURS_TEXT = "不是本系统的单位"
#: The value of "选择多个单位…" in the drop-down (the dialog opens the units editor).
SEVERAL = "several"


class UnmatchedNamesModel(QAbstractTableModel):
    """The names no unit was found for when the review opened, with the clerk's choice.

    ``choose(name, ids)`` is called for each choice (the dialog passes it on to
    ``workpoints.choose_units``); a name stays in the list once chosen, so the clerk can
    change his mind."""

    several_requested = Signal(str)

    def __init__(self, preview: ImportPreview, units: Sequence[dict[str, Any]],
                 choose: Callable[[str, list[int]], None], parent: Any = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.names = list(preview.unmatched)
        self.units = [(int(u["id"]), _unit_label(u)) for u in units]
        self._choose = choose

    def name(self, row: int) -> str:
        return self.names[row]

    def open_count(self) -> int:
        """Names still waiting for a choice."""
        return sum(1 for n in self.names if n not in self.preview.choices)

    def options(self, row: int) -> list[tuple[str, Any]]:
        """The drop-down: the suggestions first, "不是本系统的单位", every unit, several."""
        name = self.names[row]
        suggested = self.preview.candidates(name)
        first = {unit_id for unit_id, _n in suggested}
        out: list[tuple[str, Any]] = [(f"{n}（建议）", [i]) for i, n in suggested]
        out.append((NOT_OURS_TEXT, NOT_OURS))
        out += [(n, [i]) for i, n in self.units if i not in first]
        out.append(("选择多个单位…", SEVERAL))
        return out

    def choice_text(self, name: str) -> str:
        ids = self.preview.choices.get(name)
        if ids is None:
            return "请选择…"
        if not ids:
            return NOT_OURS_TEXT
        return "、".join(self.preview.unit_names.get(i, str(i)) for i in ids)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.names)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(NAME_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is HORIZONTAL and role == DISPLAY:
            return NAME_HEADERS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == CHOICE else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name = self.names[index.row()]
        if role == DISPLAY:
            if index.column() == NAME:
                return name
            if index.column() == COUNT:
                return str(sum(1 for t in self.preview.tasks if any(n == name for n, _r in t.named_units)))
            return self.choice_text(name)
        if role == VALUE_ROLE and index.column() == CHOICE:
            return self.preview.choices.get(name)
        if role == FOREGROUND and index.column() == CHOICE:
            return _WARNING if name not in self.preview.choices else None
        if role == TOOLTIP and index.column() == CHOICE:
            return "双击选择：本程序中的哪个（哪些）单位是它；选择会被记住，下次导入时自动对应"
        if role == ALIGNMENT and index.column() == COUNT:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != CHOICE or role != VALUE_ROLE:
            return False
        name = self.names[index.row()]
        if value == SEVERAL:
            self.several_requested.emit(name)
            return False
        self.set_choice(name, [int(i) for i in value])
        return True

    def set_choice(self, name: str, ids: list[int]) -> None:
        self._choose(name, ids)
        row = self.names.index(name)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(NAME_HEADERS) - 1))


# -- the units editor ---------------------------------------------------------------------------
UNIT, ROLE = range(2)
NO_ROLE = ""


class UnitRolesModel(QAbstractTableModel):
    """Every unit of the program with a tick and (``with_roles``) its role in the task;
    ticking a unit gives it the role 负责, which the clerk may change to 牵头 or 配合."""

    def __init__(self, units: Sequence[dict[str, Any]], chosen: Sequence[tuple[int, str]],
                 *, with_roles: bool = True, parent: Any = None) -> None:
        super().__init__(parent)
        roles = dict(chosen)
        # the chosen units first, in their order, then the others in the program's order
        ordered = [u for i, _r in chosen for u in units if u["id"] == i]
        ordered += [u for u in units if u["id"] not in roles]
        self._units = [(int(u["id"]), _unit_label(u)) for u in ordered]
        self._roles: dict[int, str] = {int(k): v for k, v in roles.items()}
        self.with_roles = with_roles

    def chosen(self) -> list[tuple[int, str]]:
        """(unit id, role) of the ticked units, in the list's order."""
        return [(i, self._roles[i]) for i, _n in self._units if i in self._roles]

    def unit_id(self, row: int) -> int:
        return self._units[row][0]

    def role_choices(self) -> list[tuple[str, str]]:
        return [(label, code) for code, label in TASK_ROLES.items()]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._units)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else (2 if self.with_roles else 1)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is HORIZONTAL and role == DISPLAY:
            return ("单位", "职责")[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == UNIT:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if self.unit_id(index.row()) in self._roles:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        unit_id, label = self._units[index.row()]
        current = self._roles.get(unit_id)
        if index.column() == UNIT:
            if role == DISPLAY:
                return label
            if role == CHECK_STATE:
                return Qt.CheckState.Checked if current else Qt.CheckState.Unchecked
            return None
        if role == DISPLAY:
            return TASK_ROLES[current] if current else ""
        if role == VALUE_ROLE:
            return current
        if role == TOOLTIP:
            return "双击选择：牵头、负责或配合" if current else "先勾选单位"
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        unit_id = self.unit_id(index.row())
        if index.column() == UNIT and role == CHECK_STATE:
            if Qt.CheckState(value) == Qt.CheckState.Checked:
                self._roles.setdefault(unit_id, "responsible")
            else:
                self._roles.pop(unit_id, None)
        elif index.column() == ROLE and role == VALUE_ROLE and value in TASK_ROLES and unit_id in self._roles:
            self._roles[unit_id] = value
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        return True


def _unit_label(unit: dict[str, Any]) -> str:
    level = unit.get("level")
    return f"{unit['name']}（{level}）" if level else str(unit["name"])
