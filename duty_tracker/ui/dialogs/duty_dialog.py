"""新增/修改履职事项: title, the article/clause it comes from, whom it binds, period, the
quota (at least N 次, or N 学时 for study counted in hours), deadline and whether it is active.
Validated by ``rules_repo.validate_duty`` (Chinese messages) before the repository stores it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from duty_tracker.core.domain import DUTY_ROLES, Period
from duty_tracker.core.storage.rules_repo import validate_duty
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog

#: What a quota counts, as the clerk says it.
UNIT_CHOICES = (("times", "次"), ("hours", "学时"))


class DutyDialog(FormDialog):
    def __init__(self, ctx: AppContext, rule_set_id: int, duty: dict[str, Any] | None = None,
                 article_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("修改履职事项" if duty else "新增履职事项", parent)
        self.ctx = ctx
        self.rule_set_id = rule_set_id
        self.duty_id: int | None = duty["id"] if duty else None
        self.articles = ctx.store.rules.articles(rule_set_id)
        self._source_text = (duty.get("source_text") or "") if duty else ""

        self.title_edit = QLineEdit(duty["title"] if duty else "")
        self.title_edit.setPlaceholderText("如：党委理论学习中心组专题学法")
        self.article_combo = QComboBox()
        self.article_combo.addItem("（不引用条文）", None)
        for article in self.articles:
            chapter = f"{article['chapter']}　" if article.get("chapter") else ""
            first_line = (article["text"] or "").split("\n", 1)[0]
            short = first_line[:24] + ("…" if len(first_line) > 24 else "")
            self.article_combo.addItem(f"{article['label']}　{short}", article["id"])
            self.article_combo.setItemData(self.article_combo.count() - 1, look.plain(chapter + first_line),
                                           Qt.ItemDataRole.ToolTipRole)
        self.clause_combo = QComboBox()
        self.article_combo.currentIndexChanged.connect(lambda _i: self._fill_clauses())
        wanted_article = duty["article_id"] if duty else article_id
        self.article_combo.setCurrentIndex(max(self.article_combo.findData(wanted_article), 0))
        self._fill_clauses()
        if duty and duty.get("clause_id"):
            self.clause_combo.setCurrentIndex(max(self.clause_combo.findData(duty["clause_id"]), 0))
        self.role_combo = QComboBox()
        for role in DUTY_ROLES:
            self.role_combo.addItem(role.label, role.value)
        self.period_combo = QComboBox()
        for period in Period:
            self.period_combo.addItem(period.label, period.value)
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 999)
        self.unit_combo = QComboBox()
        for value, label in UNIT_CHOICES:
            self.unit_combo.addItem(label, value)
        self.unit_combo.setToolTip("按次数计算（会议、学法的场次），或按学时计算（如“年度学法不少于40学时”）")
        self.unit_combo.currentIndexChanged.connect(lambda _i: self._unit_changed())
        self.due_edit = QLineEdit((duty.get("due") or "") if duty else "")
        self.due_edit.setPlaceholderText("可不填；每年3月1日前写 03-01，一次性事项写 2025-06-30")
        self.active_check = QCheckBox("启用（停用的事项不计入达标统计）")
        if duty:
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(duty["role"]), 0))
            self.period_combo.setCurrentIndex(max(self.period_combo.findData(duty["period"]), 0))
            self.count_spin.setValue(int(duty["min_count"]))
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(duty.get("unit") or "times"), 0))
            self.active_check.setChecked(bool(duty["active"]))
        else:
            self.active_check.setChecked(True)
        self.form.addRow("事项名称(&T)：", self.title_edit)
        self.form.addRow("依据条文(&A)：", self.article_combo)
        self.form.addRow("款项(&C)：", self.clause_combo)
        self.form.addRow("适用对象(&R)：", self.role_combo)
        self.form.addRow("周期(&P)：", self.period_combo)
        quota = QHBoxLayout()
        quota.addWidget(self.count_spin)
        quota.addWidget(self.unit_combo)
        quota.addStretch(1)
        self.form.addRow("每周期不少于(&N)：", quota)
        self.form.addRow("截止日期(&D)：", self.due_edit)
        self.form.addRow("", self.active_check)
        if duty and duty.get("source_text"):
            source = QPlainTextEdit(duty["source_text"])
            source.setReadOnly(True)
            source.setMaximumHeight(70)
            self.form.addRow("原文：", source)
        self.clause_text = look.hint_label()
        self.clause_combo.currentIndexChanged.connect(lambda _i: self._show_clause_text())
        self.form.addRow("", self.clause_text)
        self._show_clause_text()
        self._unit_changed()
        self.setMinimumWidth(560)

    def _unit_changed(self) -> None:
        hours = self.unit_combo.currentData() == "hours"
        self.count_spin.setRange(1, 9999 if hours else 999)

    def _current_article(self) -> dict[str, Any] | None:
        article_id = self.article_combo.currentData()
        return next((a for a in self.articles if a["id"] == article_id), None)

    def _fill_clauses(self) -> None:
        self.clause_combo.clear()
        self.clause_combo.addItem("（整条，不指定款项）", None)
        article = self._current_article()
        for clause in article["clauses"] if article else []:
            text = clause["text"][:30] + ("…" if len(clause["text"]) > 30 else "")
            self.clause_combo.addItem(f"{clause['label']}　{text}", clause["id"])
        self.clause_combo.setEnabled(self.clause_combo.count() > 1)

    def _show_clause_text(self) -> None:
        article = self._current_article()
        clause_id = self.clause_combo.currentData()
        text = ""
        if article:
            clause = next((c for c in article["clauses"] if c["id"] == clause_id), None)
            text = clause["text"] if clause else (article["text"] or "").split("\n", 1)[0]
        self.clause_text.setText(text)
        self.clause_text.setVisible(bool(text) and text.strip() != self._source_text.strip())

    def fields(self) -> dict[str, Any]:
        return {
            "title": self.title_edit.text().strip(),
            "article_id": self.article_combo.currentData(),
            "clause_id": self.clause_combo.currentData(),
            "role": self.role_combo.currentData(),
            "period": self.period_combo.currentData(),
            "min_count": self.count_spin.value(),
            "unit": self.unit_combo.currentData(),
            "due": self.due_edit.text().strip() or None,
            "active": int(self.active_check.isChecked()),
        }

    def save(self) -> None:
        fields = self.fields()
        validate_duty(fields)
        rules = self.ctx.store.rules
        if self.duty_id is None:
            self.duty_id = rules.add_duty(self.rule_set_id, **fields)
        else:
            rules.update_duty(self.duty_id, **fields)
