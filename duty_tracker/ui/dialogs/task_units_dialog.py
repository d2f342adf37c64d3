"""Choosing the units of a work-point task and their roles (牵头/负责/配合) — in the import
review and when editing a stored task — or, without roles, the units a document's name stands
for ("市政府相关部门" → several departments). A search box narrows the list; the units already
chosen come first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QWidget

from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.models.workpoints_review_models import ROLE, UNIT, VALUE_ROLE, UnitRolesModel
from duty_tracker.ui.widgets.options_delegate import OptionsDelegate


class TaskUnitsDialog(FormDialog):
    """``units()`` gives the (unit id, role) pairs ticked; with ``with_roles`` False the role
    column is hidden and every pair has the role 负责 (only the ids matter)."""

    def __init__(self, units: Sequence[dict[str, Any]], chosen: Sequence[tuple[int, str]], *,
                 title: str = "责任单位及职责", hint: str = "", with_roles: bool = True,
                 allow_none: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.allow_none = allow_none
        if hint:
            label = look.hint_label(hint)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.body.addWidget(label)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("搜索单位名称…")
        self.search.setClearButtonEnabled(True)
        self.body.addWidget(self.search)
        self.model = UnitRolesModel(units, chosen, with_roles=with_roles, parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(UNIT)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        look.setup_table(self.view, stretch=UNIT, editable=True)
        self.view.setItemDelegate(OptionsDelegate(self._options, VALUE_ROLE, self.view))
        self.view.setEditTriggers(QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed
                                  | QTableView.EditTrigger.SelectedClicked)
        if with_roles:
            self.view.horizontalHeader().setSectionResizeMode(ROLE, QHeaderView.ResizeMode.Fixed)
            self.view.setColumnWidth(ROLE, look.char_width(self, 5))
        self.body.addWidget(self.view, 1)
        self.count_label = look.hint_label(wrap=False)
        self.body.addWidget(self.count_label)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.model.dataChanged.connect(lambda *_: self._count())
        self._count()
        self.resize(520, 560)

    def _options(self, index: QModelIndex | QPersistentModelIndex) -> list[tuple[str, Any]]:
        if index.column() != ROLE:
            return []
        return [(label, code) for label, code in self.model.role_choices()]

    def _count(self) -> None:
        chosen = self.model.chosen()
        if not chosen:
            self.count_label.setText("尚未选择单位")
            return
        if not self.model.with_roles:
            self.count_label.setText(f"已选 {len(chosen)} 个单位")
            return
        by_role = {}
        for _unit, role in chosen:
            by_role[role] = by_role.get(role, 0) + 1
        words = "，".join(f"{label} {by_role[code]}" for label, code in self.model.role_choices() if code in by_role)
        self.count_label.setText(f"已选 {len(chosen)} 个单位：{words}（双击“职责”一栏可修改）")

    def units(self) -> list[tuple[int, str]]:
        return self.model.chosen()

    def unit_ids(self) -> list[int]:
        return [unit_id for unit_id, _role in self.model.chosen()]

    def save(self) -> None:
        if not self.allow_none and not self.model.chosen():
            raise ValidationError("请至少勾选一个单位。")
