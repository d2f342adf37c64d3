"""新增/修改单位: name, level and the parent unit."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from duty_tracker.core.domain import UNIT_LEVELS
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog


class UnitDialog(FormDialog):
    def __init__(self, ctx: AppContext, unit: dict[str, Any] | None = None,
                 parent_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("修改单位" if unit else "新增单位", parent)
        self.ctx = ctx
        self.unit = unit
        self.unit_id: int | None = unit["id"] if unit else None
        self.name_edit = QLineEdit(unit["name"] if unit else "")
        self.name_edit.setPlaceholderText("如：杭州市西湖区")
        self.level_combo = QComboBox()
        self.level_combo.addItems(list(UNIT_LEVELS))
        if unit:
            self.level_combo.setCurrentText(unit["level"])
        self.parent_combo = QComboBox()
        self.parent_combo.addItem("（无，顶级单位）", None)
        for other in ctx.store.people.units():
            if unit and other["id"] == unit["id"]:
                continue
            self.parent_combo.addItem(f"{other['name']}（{other['level']}）", other["id"])
        wanted = unit["parent_id"] if unit else parent_id
        found = self.parent_combo.findData(wanted)
        self.parent_combo.setCurrentIndex(max(found, 0))
        if not unit and wanted is not None:
            self.level_combo.setCurrentText(self._child_level(wanted))
        self.form.addRow("单位名称(&N)：", self.name_edit)
        self.form.addRow("层级(&L)：", self.level_combo)
        self.form.addRow("上级单位(&P)：", self.parent_combo)
        self.setMinimumWidth(420)

    def _child_level(self, parent_id: int) -> str:
        level = self.ctx.store.people.unit(parent_id)["level"]
        return {"市": "区县", "区县": "乡镇街道"}.get(level, "部门")

    def save(self) -> None:
        name = self.name_edit.text()
        level = self.level_combo.currentText()
        parent_id = self.parent_combo.currentData()
        people = self.ctx.store.people
        if self.unit_id is None:
            self.unit_id = people.add_unit(name, level, parent_id)
        else:
            people.update_unit(self.unit_id, name=name, level=level, parent_id=parent_id)
