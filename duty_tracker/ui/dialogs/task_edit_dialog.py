"""编辑任务: correct a stored work-point task — its short title, its deadline, its units and
their roles (for instance a name that had no unit at the import). Saved through the undo stack;
a unit that has reported progress cannot be taken off the task (the message says so)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from duty_tracker.core.helpers import optional_date
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.dialogs.task_units_dialog import TaskUnitsDialog
from duty_tracker.ui.models.workpoints_models import role_label
from duty_tracker.ui.task_commands import UpdateTaskCommand


class TaskEditDialog(FormDialog):
    def __init__(self, ctx: AppContext, task: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__("编辑任务", parent, ok_text="保存")
        self.ctx = ctx
        self.task = task
        self.unit_names = {u["id"]: u["name"] for u in ctx.store.people.units()}
        self._units = [(u["unit_id"], u["role"]) for u in task["units"]]
        self.title_edit = QLineEdit(task["title"])
        self.due_edit = QLineEdit(task["due"] or "")
        self.due_edit.setPlaceholderText("如 2017-06-30；不填表示没有完成时限")
        self.units_label = look.plain_label(wrap=True)
        self.units_button = QPushButton("修改…")
        self.units_button.clicked.connect(self.edit_units)
        units_row = QHBoxLayout()
        units_row.addWidget(self.units_label, 1)
        units_row.addWidget(self.units_button)
        self.form.addRow("任务名称(&T)：", self.title_edit)
        self.form.addRow("完成时限(&D)：", self.due_edit)
        if task.get("deadline_text"):
            self.form.addRow("", look.hint_label(f"文件原文：{task['deadline_text']}"))
        self.form.addRow("责任单位：", units_row)
        named = "、".join(f"{n['name']}（{role_label(n['role'])}）" for n in task["named_units"])
        if named:
            self.form.addRow("", look.hint_label(f"文件中写的是：{named}"))
        text = look.plain_label(" ".join((task.get("text") or "").split()), tone="source", wrap=True)
        text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(look.heading_label("任务内容"))
        self.body.addWidget(text)
        self.body.addStretch(1)
        self._show_units()
        self.resize(640, 360)

    def _show_units(self) -> None:
        parts = [f"{self.unit_names.get(u, str(u))}（{role_label(r)}）" for u, r in self._units]
        self.units_label.setText("、".join(parts) or "尚未指定")

    def edit_units(self) -> None:
        dialog = TaskUnitsDialog(list(self.ctx.store.people.units()), self._units,
                                 title="责任单位及职责", parent=self)
        dialog.accepted.connect(lambda: self._units_chosen(dialog.units()))
        dialog.open()
        self.units_dialog = dialog

    def _units_chosen(self, units: list[tuple[int, str]]) -> None:
        self._units = list(units)
        self._show_units()

    def save(self) -> None:
        title = " ".join(self.title_edit.text().split())
        if not title:
            raise ValidationError("任务名称不能为空。")
        due = optional_date(self.due_edit.text(), "完成时限")
        before = {"title": self.task["title"], "due": self.task["due"],
                  "deadline_text": self.task.get("deadline_text"),
                  "units": [(u["unit_id"], u["role"]) for u in self.task["units"]]}
        after = {"title": title, "due": due.isoformat() if due else None,
                 "deadline_text": before["deadline_text"] if (due.isoformat() if due else None) == before["due"]
                 else None, "units": list(self._units)}
        if after == before:
            return
        command = UpdateTaskCommand(self.ctx, int(self.task["id"]), before, after)
        self.ctx.undo_stack.push(command)
        if command.error is not None:
            raise ValidationError(command.error)
