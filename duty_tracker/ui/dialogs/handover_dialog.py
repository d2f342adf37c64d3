"""交接: a leader hands over to a successor (existing or new) in the same unit and role. The
predecessor's term ends the day before the handover date, the successor's starts on it — one
transaction in the repository."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QComboBox, QLabel, QLineEdit, QRadioButton, QWidget

from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.dialogs.leader_dialog import make_date_edit, to_date
from duty_tracker.ui.models.people_models import office_state, role_label


class HandoverDialog(FormDialog):
    def __init__(self, ctx: AppContext, leader: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__("负责人交接", parent, ok_text="确认交接")
        self.ctx = ctx
        self.leader = leader
        self.successor_id: int | None = None
        people = ctx.store.people
        open_terms = [t for t in people.terms(leader["id"]) if t["end_date"] is None]
        since = open_terms[-1]["start_date"] if open_terms else None
        intro = QLabel(
            f"原负责人：<b>{look.esc(leader['name'])}</b>"
            f"（{look.esc(leader.get('position') or role_label(leader['role']))}，"
            f"{look.esc(leader.get('unit_name', ''))}）<br>"
            + (f"当前任期：{since} 至今" if since else look.span("没有正在进行的任期，无法交接。", "error")))
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setWordWrap(True)
        self.form.addRow(intro)

        self.existing_radio = QRadioButton("现有负责人(&X)：")
        self.new_radio = QRadioButton("新负责人(&W)：")
        group = QButtonGroup(self)
        group.addButton(self.existing_radio)
        group.addButton(self.new_radio)
        self.successor_combo = QComboBox()
        today = ctx.today()
        for other in people.leaders(leader["unit_id"]):
            if other["id"] == leader["id"] or other["role"] != leader["role"]:
                continue
            state = office_state(other["terms"], today)
            self.successor_combo.addItem(f"{other['name']}（{other.get('position') or '—'}，{state}）", other["id"])
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("新任负责人姓名")
        self.position_edit = QLineEdit(leader.get("position") or "")
        self.position_edit.setPlaceholderText("职务")
        self.form.addRow(self.existing_radio, self.successor_combo)
        self.form.addRow(self.new_radio, self.name_edit)
        self.form.addRow("新负责人职务：", self.position_edit)
        self.date_edit = make_date_edit(today)
        self.form.addRow("交接日期(&D)：", self.date_edit)
        self.effect_label = look.hint_label()
        self.form.addRow(self.effect_label)
        has_existing = self.successor_combo.count() > 0
        self.existing_radio.setEnabled(has_existing)
        self.successor_combo.setEnabled(has_existing)
        (self.existing_radio if has_existing else self.new_radio).setChecked(True)
        self.existing_radio.toggled.connect(self._update)
        self.date_edit.dateChanged.connect(self._update)
        self.name_edit.textEdited.connect(lambda _t: self.new_radio.setChecked(True))
        self.ok_button.setEnabled(since is not None)
        self._update()
        self.setMinimumWidth(480)

    def _update(self) -> None:
        day = to_date(self.date_edit)
        new_mode = self.new_radio.isChecked()
        self.position_edit.setEnabled(new_mode)
        self.effect_label.setText(
            f"交接后：{self.leader['name']}的任期至 {(day - timedelta(days=1)).isoformat()} 结束；"
            f"新负责人自 {day.isoformat()} 起任职（{role_label(self.leader['role'])}）。")

    def save(self) -> None:
        day = to_date(self.date_edit)
        people = self.ctx.store.people
        if self.new_radio.isChecked():
            if not self.name_edit.text().strip():
                raise ValidationError("请填写新负责人的姓名。")
            self.successor_id = people.handover_to_new_leader(
                self.leader["id"], self.name_edit.text(), self.position_edit.text(), day)
        else:
            successor_id = self.successor_combo.currentData()
            if successor_id is None:
                raise ValidationError("请选择接任的负责人。")
            people.handover(self.leader["id"], successor_id, day)
            self.successor_id = successor_id
