"""How a rule set counts: as a *main* set (used by a year only once the clerk chooses it there,
or marks it 默认) or as a *supplement* — a district's or department's own list whose duties
count alongside the year's main set in the years given. The box is shown in the import review
(before the set is stored) and, for a stored set, in :class:`RuleUseDialog` (规则用途…)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.widgets.year_selector import YearSpin


class RuleUseBox(QGroupBox):
    """主规则 or 补充规则 with its years."""

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__("这份规则怎样计入", parent)
        self.main_radio = QRadioButton("主规则：在“年度适用规则”中为某一年度选用（或设为默认）后，才用于该年度的统计")
        self.supplement_radio = QRadioButton("补充规则：本地区、本部门自己的清单，其事项与年度适用规则同时计入")
        group = QButtonGroup(self)
        group.addButton(self.main_radio)
        group.addButton(self.supplement_radio)
        self.from_spin = YearSpin(year, none_text="不限")
        self.to_spin = YearSpin(None, none_text="不限")
        years = QHBoxLayout()
        years.setContentsMargins(24, 0, 0, 0)
        years.addWidget(QLabel("适用年度：自"))
        years.addWidget(self.from_spin)
        years.addWidget(QLabel("至"))
        years.addWidget(self.to_spin)
        years.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.main_radio)
        layout.addWidget(self.supplement_radio)
        layout.addLayout(years)
        self.main_radio.setChecked(True)
        self.supplement_radio.toggled.connect(self._enable_years)
        self._enable_years(False)

    def _enable_years(self, on: bool) -> None:
        self.from_spin.setEnabled(on)
        self.to_spin.setEnabled(on)

    def scope(self) -> tuple[str, int | None, int | None]:
        if self.main_radio.isChecked():
            return "main", None, None
        return "supplement", self.from_spin.year(), self.to_spin.year()

    def set_scope(self, scope: str, from_year: int | None, to_year: int | None) -> None:
        (self.supplement_radio if scope == "supplement" else self.main_radio).setChecked(True)
        if scope == "supplement":
            self.from_spin.set_year(from_year)
            self.to_spin.set_year(to_year)


class RuleUseDialog(FormDialog):
    """规则用途: make a stored rule set a main set or a supplement."""

    def __init__(self, ctx: AppContext, rule_set: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__("规则用途", parent)
        self.ctx = ctx
        self.rule_set_id = int(rule_set["id"])
        self.body.addWidget(look.plain_label(f"《{rule_set['title']}》", role="heading", wrap=True))
        self.use_box = RuleUseBox(ctx.today().year, self)
        self.use_box.set_scope(rule_set.get("scope") or "main", rule_set.get("from_year"),
                               rule_set.get("to_year"))
        self.body.addWidget(self.use_box)
        self.setMinimumWidth(640)

    def save(self) -> None:
        scope, first, last = self.use_box.scope()
        self.ctx.store.rules.set_scope(self.rule_set_id, scope, first, last)
