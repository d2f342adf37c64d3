"""The start-up reminder: a non-blocking window listing what is due soon (预警), overdue
(未达标) or behind an even pace (进度落后), the work-point tasks due soon or overdue and last
year's annual reports not yet submitted; shown only when there is something, with 今天不再提醒.
A double-click on any line goes where it can be dealt with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.domain import Status
from duty_tracker.ui import look
from duty_tracker.ui.models.status_table_model import ReminderModel
from duty_tracker.ui.widgets.reminder_table import setup_reminder_table
from duty_tracker.ui.widgets.status_style import PACE_COLOUR, PACE_LABEL, STATUS_COLOURS

if TYPE_CHECKING:  # the services bring the report and spreadsheet writers: not at start-up
    from duty_tracker.core.services.annual_due import AnnualReportDue
    from duty_tracker.core.services.workpoints import TaskReminder


class ReminderDialog(QDialog):
    #: the clerk double-clicked an item: (leader id, duty id)
    item_chosen = Signal(int, int)
    #: a work-point task double-clicked: its id
    task_chosen = Signal(int)
    #: an annual report double-clicked: (unit id, year)
    report_chosen = Signal(int, int)
    muted_today = Signal()

    def __init__(self, model: ReminderModel, year: int, parent: QWidget | None = None, *,
                 tasks: Sequence[TaskReminder] = (),
                 reports: Sequence[AnnualReportDue] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"履职提醒 — {year}年")
        self.setModal(False)
        look.roomy_dialog(self)
        self.model = model
        warning, failed = model.counts()
        behind = model.behind_count()
        pace = (f"、<span style='color:{PACE_COLOUR}'>{behind} 项{PACE_LABEL}</span>" if behind else "")
        self.heading = QLabel(
            f"<b>{year}年度有 <span style='color:{STATUS_COLOURS[Status.WARNING][1]}'>"
            f"{warning} 项即将到期（预警）</span>、<span style='color:{STATUS_COLOURS[Status.FAILED][1]}'>"
            f"{failed} 项已逾期未完成（未达标）</span>{pace}。</b>"
            "<br>双击一项可转到总览中该负责人的履职情况"
            + ("；进度落后指按周期均匀安排，截至今天应完成的次数尚未完成。" if behind else "。")
            if model.rowCount() else f"<b>{year}年度的履职事项没有需要提醒的。</b>", self)
        self.heading.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setModel(model)
        setup_reminder_table(self.table)
        self.tasks_heading, self.tasks = self._side_list(
            f"工作要点任务：{len(tasks)} 项逾期或临期（双击转到该任务）",
            [(t.message, t.task_id) for t in tasks])
        self.reports_heading, self.reports = self._side_list(
            f"年度报告：{len(reports)} 个单位逾期或临期未报送（双击转到该单位的报告）",
            [(r.message, (r.unit_id, r.year)) for r in reports])
        from PySide6.QtWidgets import QDialogButtonBox  # with the dialog, not the dashboard

        buttons = QDialogButtonBox(self)
        self.mute_button = buttons.addButton("今天不再提醒", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("知道了", QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.tasks_heading)
        layout.addWidget(self.tasks)
        layout.addWidget(self.reports_heading)
        layout.addWidget(self.reports)
        layout.addWidget(buttons)
        self.mute_button.clicked.connect(self._mute)
        self.close_button.clicked.connect(self.accept)
        self.table.doubleClicked.connect(self._chosen)
        self.tasks.itemDoubleClicked.connect(
            lambda item: self.task_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.reports.itemDoubleClicked.connect(
            lambda item: self.report_chosen.emit(*item.data(Qt.ItemDataRole.UserRole)))
        self.table.setVisible(bool(model.rowCount()))
        self.resize(900, 420 if model.rowCount() else 260)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _side_list(self, heading: str, items: list[tuple[str, object]]) -> tuple[QLabel, QListWidget]:
        """A heading and a short list (at most five rows high) under the table; hidden when empty."""
        label = look.heading_label(heading, parent=self)
        listing = QListWidget(self)
        for text, data in items:
            item = QListWidgetItem(text, listing)
            item.setData(Qt.ItemDataRole.UserRole, data)
        listing.setMaximumHeight(look.row_height(listing) * min(max(len(items), 1), 5) + 8)
        for widget in (label, listing):
            widget.setVisible(bool(items))
        return label, listing

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        """In the middle of the main window (the window manager would put it mid-screen)."""
        super().showEvent(event)
        look.center_on(self, self.parentWidget())

    def _mute(self) -> None:
        self.muted_today.emit()
        self.accept()

    def _chosen(self, index) -> None:  # noqa: ANN001
        p = self.model.period_at(index.row())
        self.item_chosen.emit(p.leader_id, p.duty_id)
