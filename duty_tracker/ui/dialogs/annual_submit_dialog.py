"""标记为已报送: the day a unit's annual report was submitted (today unless the clerk says
otherwise). Once it is marked, the yearly reminder of that report stops."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from duty_tracker.core.reports.debrief_model import chinese_date
from duty_tracker.ui import look
from duty_tracker.ui.widgets.date_range import from_qdate, make_date_edit, to_qdate


class AnnualSubmitDialog(QDialog):
    """Asks for the submission day of ``institution``'s report of ``year``."""

    def __init__(self, institution: str, year: int, deadline: date, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("标记为已报送")
        self.setMinimumWidth(look.char_width(self, 36))
        layout = QVBoxLayout(self)
        layout.addWidget(look.plain_label(f"{institution}{year}年法治政府建设年度报告", role="heading",
                                          wrap=True))
        late = "" if today <= deadline else "（已超过报送期限，仍可标记，列表中显示实际报送日期）"
        layout.addWidget(look.hint_label(f"报送期限：{chinese_date(deadline)}{late}。"
                                         "标记后不再提醒报送；标记错了可以撤销。"))
        form = QFormLayout()
        self.date_edit = make_date_edit(self, today)
        self.date_edit.setMinimumDate(to_qdate(date(year, 1, 1)))
        self.date_edit.setMaximumDate(to_qdate(today))
        form.addRow("报送日期", self.date_edit)
        layout.addLayout(form)
        self.error = look.error_label(parent=self)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("标记为已报送")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.year, self.today = year, today
        self.chosen: date | None = None

    def accept(self) -> None:
        self.date_edit.commit()
        day = self.date_edit.typed_date()
        if day is None:
            self.error.setText(f"报送日期不正确：应在{self.year}年1月1日至今天之间。")
            self.error.show()
            return
        self.chosen = day
        super().accept()

    def set_day(self, day: date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def day(self) -> date:
        return from_qdate(self.date_edit.date())
