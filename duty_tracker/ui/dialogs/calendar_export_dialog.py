"""文件 → 导出日历…: the deadlines of a year as an .ics file the clerk imports into Outlook, WPS or
a phone's calendar — every period end of every duty (with who answers for it and how far each
is) and every work-point deadline, as events with reminders; for all leaders or one.

The dialog only collects the options (``exchange.CalendarExport``); the file is written by
``exchange.export_calendar`` on a worker that opens its own store.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from duty_tracker.core.services import exchange, reporting
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.tasks import Task, TaskControl, run_with_progress
from duty_tracker.ui.widgets.year_selector import YearSpin

ICS_FILTER = "日历文件 (*.ics)"


class CalendarExportDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("导出日历", parent, ok_text="导出")
        self.ctx = ctx
        self.options: exchange.CalendarExport | None = None
        self.written: int | None = None  # events in the file, once written
        self.task: Task | None = None
        self.year_spin = YearSpin(ctx.today().year)
        self.leader_combo = QComboBox()
        self.leader_combo.setMinimumContentsLength(18)
        self.tasks_check = QCheckBox("包括工作要点任务的完成时限")
        self.tasks_check.setChecked(True)
        self.tasks_check.setToolTip("选择一名负责人时，只包括其所在单位承担的任务")
        folder = str(ctx.settings.value("calendar/folder", "") or Path.home())
        self.path_edit = QLineEdit()
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.form.addRow("年度(&Y)：", self.year_spin)
        self.form.addRow("负责人(&L)：", self.leader_combo)
        self.form.addRow("", self.tasks_check)
        self.form.addRow("保存为：", row)
        self.form.addRow(look.hint_label(
            "每个履职事项的每个周期截止日、每项工作任务的完成时限各为一个日程，并提前提醒；"
            "日程中写明截至今天的完成情况。可在 Outlook、WPS 或手机日历中导入。"))
        self._folder = folder
        self.year_spin.valueChanged.connect(lambda _y: self._fill_leaders())
        self.leader_combo.currentIndexChanged.connect(lambda _i: self._suggest_path())
        self._fill_leaders()
        self.setMinimumWidth(560)

    def _fill_leaders(self) -> None:
        """Everyone in office during the year, by unit."""
        current = self.leader_combo.currentData()
        self.leader_combo.blockSignals(True)
        self.leader_combo.clear()
        self.leader_combo.addItem("全部负责人", None)
        for leader in reporting.leaders_to_report(self.ctx.store, self.year_spin.value()):
            self.leader_combo.addItem(f"{leader['name']}（{leader.get('unit_name') or ''}）", leader["id"])
        self.leader_combo.setCurrentIndex(max(self.leader_combo.findData(current), 0))
        self.leader_combo.blockSignals(False)
        self._suggest_path()

    def _suggest_path(self) -> None:
        name = self.leader_combo.currentText().split("（")[0] if self.leader_combo.currentData() else ""
        folder = Path(self.path_edit.text()).parent if self.path_edit.text().strip() else Path(self._folder)
        self.path_edit.setText(str(folder / f"{name}{self.year_spin.value()}年度履职截止日期.ics"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出日历", self.path_edit.text(), ICS_FILTER)
        if path:
            self.path_edit.setText(path)

    def save(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            raise ValidationError("请选择日历文件保存的位置。")
        self.options = exchange.CalendarExport(
            path=Path(text), year=self.year_spin.value(), today=self.ctx.today(),
            leader_id=self.leader_combo.currentData(), tasks=self.tasks_check.isChecked())
        if self.options.target.is_dir():
            raise ValidationError(f"{self.options.target} 是一个文件夹，请填写文件名。")
        self.ctx.settings.setValue("calendar/folder", str(self.options.target.parent))


def export_calendar(parent: QWidget, ctx: AppContext) -> CalendarExportDialog:
    """Open the dialog; when the clerk confirms, write the file on a worker and say how many
    events it holds."""
    dialog = CalendarExportDialog(ctx, parent)

    def start() -> None:
        options = dialog.options
        if options is None:
            return
        db_path = ctx.db_path

        def work(_control: TaskControl) -> int:
            with open_worker_store(db_path) as store:
                return exchange.export_calendar(store, options)

        def done(count: int) -> None:
            dialog.written = count
            ctx.notify_status(f"已导出 {count} 个日程到 {options.target.name}")
            look.inform(parent, "导出日历", f"已导出 {count} 个日程：\n{options.target}\n\n"
                        "在 Outlook 或 WPS 日历中选择“导入”即可看到这些截止日期。")

        dialog.task = run_with_progress(parent, "导出日历", work, on_success=done)

    dialog.accepted.connect(start)
    dialog.open()
    return dialog
