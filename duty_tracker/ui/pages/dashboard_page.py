"""总览: the year at a glance.

Top left, every leader's completion for the year (达标 x/y, 未达标, 预警, overall status, the
duties 进度落后; a partial term shows as "2025-07-01起"); top right, the reminders (预警,
未达标, then 进度落后: under way, short of an even pace) and the work-point tasks due soon or
overdue; below, the selected leader's duties × periods with done/required and the status
colour (a period behind pace says so, its status unchanged). Double-click a
cell: the records behind it, or a new record for that leader, duty and period when there are
none. Everything comes from ONE ``year_status`` call per year (≈0.2 s for 500 leaders), kept
until the data changes; selecting leaders or units only regroups it. The lists show a batch of
rows at a time, each worked out when painted; the notes on work-point tasks and annual reports
fill in once the page is first painted (their services take longer to load than the year).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.compliance import DEFAULT_WARN_DAYS, PeriodStatus
from duty_tracker.core.dashboard import LeaderInfo
from duty_tracker.core.domain import Role, Status
from duty_tracker.core.errors import AppError
from duty_tracker.core.status_cache import cached_year_status
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.storage.store import Store
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.models.status_table_model import (
    SORT_ROLE,
    DashboardData,
    DutyGridModel,
    FetchAllProxy,
    LeaderSummaryModel,
    ReminderModel,
)
from duty_tracker.ui.models.unit_choices import UnitChoiceModel
from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange
from duty_tracker.ui.widgets.reminder_table import setup_reminder_table
from duty_tracker.ui.widgets.status_style import PACE_COLOUR, PACE_LABEL, STATUS_COLOURS
from duty_tracker.ui.widgets.year_selector import YearSelector

if TYPE_CHECKING:  # the services bring the report and spreadsheet writers: see _notes_changed
    from duty_tracker.core.services.annual_due import AnnualReportDue
    from duty_tracker.core.services.workpoints import TaskReminder
    from duty_tracker.ui.widgets.reminder_dialog import ReminderDialog


class DashboardPage(RefreshOnDataChange, QWidget):
    DATA_KINDS = frozenset({"records", "people", "rules"})

    @property
    def store(self) -> Store:
        """Always the context's store: a restore from backup replaces it."""
        return self.ctx.store

    #: the clerk asked for the records behind a cell: (leader, duty, from, to)
    records_requested = Signal(int, int, object, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: DashboardData | None = None
        self._stale = False
        self._loading = True
        self.reminder_dialog: ReminderDialog | None = None
        self.task_reminders: list[TaskReminder] = []
        self.report_reminders: list[AnnualReportDue] = []
        self._painted = False
        self._notes_loaded = False
        self.summary_model = LeaderSummaryModel(self)
        self.summary_proxy = FetchAllProxy(self)
        self.summary_proxy.setSourceModel(self.summary_model)
        self.summary_proxy.setSortRole(SORT_ROLE)
        self.grid_model = DutyGridModel(self)
        self.reminder_model = ReminderModel(self)
        self._build()
        self._restore_settings()
        self._loading = False
        self.reload()
        self._connect()
        self.watch_data(ctx)

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        bar = self._build_filter_bar()
        self._build_tables()
        summary_box = QGroupBox("负责人年度完成情况", self)
        QVBoxLayout(summary_box).addWidget(self.summary)
        reminder_box = QGroupBox("提醒：即将到期、逾期未完成与进度落后", self)
        reminder_layout = QVBoxLayout(reminder_box)
        reminder_layout.addWidget(self.reminder_title)
        reminder_layout.addWidget(self.reminders)
        reminder_layout.addWidget(self.task_note)
        reminder_layout.addWidget(self.report_note)
        grid_box = QGroupBox("履职情况明细（双击单元格查看对应纪实，无纪实时新建）", self)
        grid_layout = QVBoxLayout(grid_box)
        title_row = QHBoxLayout()  # the leader and the colour legend share one line
        title_row.addWidget(self.grid_title, 1)
        title_row.addWidget(self.grid_note)
        grid_layout.addLayout(title_row)
        grid_layout.addWidget(self.grid, 1)

        self.top_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.top_splitter.addWidget(summary_box)
        self.top_splitter.addWidget(reminder_box)
        self.top_splitter.setSizes([600, 610])  # at 1366 pixels both lists show every column
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.top_splitter)
        self.splitter.addWidget(grid_box)
        self.splitter.setSizes([360, 300])
        # on a small screen the clerk may drag a pane shut (the reminders, the grid) for room
        for splitter in (self.top_splitter, self.splitter):
            splitter.setChildrenCollapsible(True)
            splitter.setHandleWidth(7)

        layout = look.page_layout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

    def _build_filter_bar(self) -> QHBoxLayout:
        self.year_selector = YearSelector(self)
        self.unit_combo = QComboBox(self)
        self.unit_choices = UnitChoiceModel(parent=self.unit_combo)
        self.unit_combo.setModel(self.unit_choices)
        self.unit_combo.setMinimumContentsLength(12)
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.leader_search = QLineEdit(self)
        self.leader_search.setPlaceholderText("按姓名、单位、职务查找负责人（Ctrl+F）")
        self.leader_search.setClearButtonEnabled(True)
        self.warn_days = QSpinBox(self)
        self.warn_days.setRange(1, 180)
        self.warn_days.setSuffix(" 天")
        self.warn_days.setValue(DEFAULT_WARN_DAYS)
        self.warn_days.setToolTip("周期结束前多少天起未完成即显示“预警”")
        self.refresh_button = QPushButton(self)  # with its text: the overloads load QIcon's type
        self.refresh_button.setText("刷新")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.setToolTip("重新计算（F5）")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year_selector)
        bar.addSpacing(8)
        bar.addWidget(QLabel("单位"))
        bar.addWidget(self.unit_combo, 2)
        bar.addSpacing(8)
        bar.addWidget(self.leader_search, 3)
        bar.addSpacing(8)
        bar.addWidget(QLabel("提前预警"))
        bar.addWidget(self.warn_days)
        bar.addWidget(self.refresh_button)
        return bar

    def _build_tables(self) -> None:
        self.summary = look.table(self.summary_proxy, parent=self, sortable=True, stretch=0,
                                  widths=[look.char_width(self, c) + 14
                                          for c in (6, 3, 4.5, 6, 2.5, 3, 2.5, 3, 4)])
        self.summary.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.summary.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep roster order until asked

        self.summary_empty = look.EmptyState(self.summary, lambda: (
            "没有符合条件的负责人。" if self.leader_search.text().strip() or self.unit_combo.currentData()
            else "尚无负责人。请先在“负责人与单位”（Ctrl+3）中添加单位、负责人及其任期。"))
        self.reminders = QTableView(self)
        self.reminders.setModel(self.reminder_model)
        setup_reminder_table(self.reminders)
        self.reminder_title = QLabel(self)
        self.task_note = self._link_note(self.open_task_reminders)
        self.report_note = self._link_note(self.open_report_reminders)

        self.grid = look.table(self.grid_model, parent=self, alternate=False)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.verticalHeader().setDefaultSectionSize(look.row_height(self) + 2)
        look.name(self.grid, "statusGrid")
        self.grid_empty = look.EmptyState(self.grid, lambda: (
            "该负责人本年度没有需要履行的事项：其类别不适用这些事项，或任期不在本年度。"
            if self.grid_model.leader_id is not None else ""))
        self.grid_title = look.section_label(parent=self)
        self.grid_note = QLabel(self)
        self.grid_note.setTextFormat(Qt.TextFormat.RichText)
        self.grid_note.setText(_legend())
        self.grid_note.setToolTip("x/y：已完成次数（学时）/要求；* 任期只覆盖该周期的一部分；\n"
                                  "进度落后：按周期均匀安排，截至今天应完成的尚未完成（状态不变）")

    def _connect(self) -> None:
        self.year_selector.year_changed.connect(lambda _y: self.reload())
        self.unit_combo.currentIndexChanged.connect(self._filter_changed)
        self.leader_search.textChanged.connect(self._filter_changed)
        self.warn_days.valueChanged.connect(lambda _v: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.summary.selectionModel().currentRowChanged.connect(self._leader_selected)
        # activated is a double-click (or Enter): one signal, one form — connecting doubleClicked
        # as well opened two identical forms for one double-click
        self.grid.activated.connect(self.open_cell)
        self.reminders.selectionModel().currentRowChanged.connect(self._reminder_selected)
        self.reminders.activated.connect(self._reminder_opened)
        for splitter, key in ((self.top_splitter, "top_splitter"), (self.splitter, "splitter")):
            splitter.splitterMoved.connect(
                lambda *_a, s=splitter, k=key: self.ctx.settings.setValue(f"dashboard/{k}", s.saveState()))
        for table, key in ((self.summary, "summary_header"), (self.reminders, "reminder_header")):
            table.horizontalHeader().sectionResized.connect(
                lambda *_a, t=table, k=key: self.ctx.settings.setValue(
                    f"dashboard/{k}", t.horizontalHeader().saveState()))

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Compute the selected year once (one ``year_status`` call, or the status the last start
        left when the file has not changed since) and show it."""
        if self._loading:
            return
        self._stale = False
        year = self.year_selector.year() or self.ctx.today().year
        keep_leader = self.selected_leader_id() or _as_int(self.ctx.settings.value("dashboard/leader"))
        try:
            status = cached_year_status(self.store, year, today=self.ctx.today(),
                                        warn_days=self.warn_days.value())
            people = self.store.people  # a leader's unit and post read when his row is shown
            self.data = DashboardData(status, LeaderInfo(people.leader, people.leaders),
                                      self.store.rules.duties_for_year(year))
        except StorageError as exc:
            look.warn(self, "无法计算履职情况", str(exc))
            return
        self.ctx.settings.setValue("dashboard/year", year)
        self.ctx.settings.setValue("dashboard/warn_days", self.warn_days.value())
        self._fill_units()
        self.summary_model.set_data(self.data)
        self.summary_model.set_filter(self.unit_combo.currentData(), self.leader_search.text())
        self.reminder_model.set_data(self.data, self.unit_combo.currentData())
        self._notes_changed()
        self._show_reminder_title()
        self.select_leader(keep_leader)

    def _fill_units(self) -> None:
        current = self.unit_combo.currentData()
        if current is None:
            current = _as_int(self.ctx.settings.value("dashboard/unit"))
        self.unit_combo.blockSignals(True)
        self.unit_choices.set_units(self.store.people.unit_labels())
        self.unit_combo.setCurrentIndex(self.unit_choices.row_of(current))
        self.unit_combo.blockSignals(False)

    def _filter_changed(self, *_args: object) -> None:
        keep = self.selected_leader_id()
        unit_id = self.unit_combo.currentData()
        self.ctx.settings.setValue("dashboard/unit", unit_id if unit_id is not None else "")
        self.summary_model.set_filter(unit_id, self.leader_search.text())
        self.reminder_model.set_unit(unit_id)
        self._notes_changed()
        self._show_reminder_title()
        self.select_leader(keep)

    def _link_note(self, slot: Callable[[], object]) -> QLabel:
        """A warning line under the reminders whose 查看 link opens the page it speaks of."""
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        look.set_tone(label, "warning")
        label.linkActivated.connect(lambda _link: slot())
        label.hide()
        return label

    def _notes_changed(self) -> None:
        """The notes under the reminders (work-point tasks, annual reports) come from services
        that bring the report and spreadsheet writers, half a second to load: until the page
        is first painted they wait, so the window shows the year's status first."""
        self._notes_loaded = False
        if self._painted:
            self._load_notes()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._ensure_notes)

    def _ensure_notes(self) -> None:
        if not self._notes_loaded:
            self._load_notes()

    def _load_notes(self) -> None:
        """The work-point tasks of the year (of the chosen unit) overdue or due soon, and the
        annual reports of last year due soon or overdue."""
        from duty_tracker.core.services.workpoints import task_reminders
        from duty_tracker.core.workpoints.status import TaskStatus

        self._notes_loaded = True
        year = self.data.year if self.data else self.ctx.today().year
        try:
            self.task_reminders = task_reminders(self.store, year, self.ctx.today(),
                                                 unit_id=self.unit_combo.currentData(),
                                                 warn_days=self.warn_days.value())
        except AppError:
            self.task_reminders = []
        tasks = self.task_reminders
        overdue = sum(1 for t in tasks if t.status is TaskStatus.OVERDUE)
        self.task_note.setText(f"工作要点任务：{_late_and_due(overdue, len(tasks) - overdue, '项')}　"
                               "<a href='tasks'>查看</a>" if tasks else "")
        self.task_note.setToolTip(look.plain("\n".join(t.message for t in tasks[:30])))
        self.task_note.setVisible(bool(tasks))
        self.report_reminders = self._annual_reminders()
        reports = self.report_reminders
        late = sum(1 for r in reports if r.status == "逾期")
        self.report_note.setText(f"{reports[0].year}年度法治政府建设年度报告："
                                 f"{_late_and_due(late, len(reports) - late, '个单位')}未报送　"
                                 "<a href='reports'>查看</a>" if reports else "")
        self.report_note.setToolTip(look.plain("\n".join(r.message for r in reports[:30])))
        self.report_note.setVisible(bool(reports))

    def _annual_reminders(self) -> list[AnnualReportDue]:
        """Last year's annual reports not submitted, due soon or overdue (of the chosen unit)."""
        from duty_tracker.core.services.annual_due import annual_reports_due

        try:
            due = annual_reports_due(self.store, self.ctx.today(), warn_days=self.warn_days.value())
        except AppError:
            return []
        unit_id = self.unit_combo.currentData()
        return [r for r in due if unit_id is None or r.unit_id == unit_id]

    def open_task_reminders(self, task_id: int | None = None) -> QWidget | None:
        """The 工作要点 page on the reminded task (the most urgent one by default)."""
        self._ensure_notes()
        if task_id is None and self.task_reminders:
            task_id = self.task_reminders[0].task_id
        go_to = getattr(self.window(), "go_to", None)
        if task_id is None or not callable(go_to):
            return None
        page = go_to("WorkpointsPage")
        page.show_task(task_id)
        return page

    def open_report_reminders(self, unit_id: int | None = None, year: int | None = None) -> QWidget | None:
        """The 年度报告 page on the reminded unit's report (the most urgent one by default)."""
        self._ensure_notes()
        if unit_id is None and self.report_reminders:
            unit_id, year = self.report_reminders[0].unit_id, self.report_reminders[0].year
        go_to = getattr(self.window(), "go_to", None)
        if unit_id is None or year is None or not callable(go_to):
            return None
        page = go_to("AnnualPage")
        page.show_unit(unit_id, year)
        return page

    def _show_reminder_title(self) -> None:
        warning, failed = self.reminder_model.counts()
        behind = self.reminder_model.behind_count()
        if not warning and not failed and not behind:
            self.reminder_title.setText("履职事项没有需要提醒的。")
            return
        self.reminder_title.setText(
            f"<span style='color:{STATUS_COLOURS[Status.WARNING][1]}'>预警 {warning} 项</span>　"
            f"<span style='color:{STATUS_COLOURS[Status.FAILED][1]}'>未达标 {failed} 项</span>　"
            f"<span style='color:{PACE_COLOUR}'>{PACE_LABEL} {behind} 项</span>　"
            + look.span(f"（{self.warn_days.value()} 天内到期、已逾期或按均匀进度应完成而未完成）", "hint"))

    # -- selection -------------------------------------------------------------------------
    def selected_leader_id(self) -> int | None:
        return self.grid_model.leader_id

    def select_leader(self, leader_id: int | None) -> None:
        """Select the leader in the summary (the first one when absent) and show his grid."""
        row = self.summary_model.row_of(leader_id) if leader_id is not None else -1
        if row < 0 and self.summary_model.rowCount():
            row = 0
        if row < 0:
            self._show_grid(None)
            return
        proxy_index = self.summary_proxy.mapFromSource(self.summary_model.index(row, 0))
        self.summary.selectionModel().setCurrentIndex(
            proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.summary.scrollTo(proxy_index)
        self._show_grid(self.summary_model.row_at(row).leader_id)

    def _leader_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.summary_proxy.mapToSource(current).row()
            self._show_grid(self.summary_model.row_at(row).leader_id)

    def _show_grid(self, leader_id: int | None) -> None:
        if leader_id == self.grid_model.leader_id and self.grid_model.rowCount() and self.data is self._grid_data():
            return
        self.grid_model.set_leader(self.data, leader_id)
        self.grid.clearSpans()
        for row, column, span in self.grid_model.spans():
            self.grid.setSpan(row, column, 1, span)
        self._size_grid()
        if leader_id is None or self.data is None:
            self.grid_title.setText("（没有负责人）" if self.data else "")
            return
        self.ctx.settings.setValue("dashboard/leader", leader_id)
        info = self.data.info.get(leader_id, {})
        spec = self.data.specs[leader_id]
        row = self.summary_model.row_of(leader_id)
        tenure = self.summary_model.row_at(row).tenure if row >= 0 else ""
        tenure = "" if tenure == "全年" else f"　任期：{tenure}"
        self.grid_title.setText(
            f"{spec.name}　{info.get('unit_name', '')} {info.get('position', '')}"
            f"（{Role(spec.role).label}）　{self.data.year}年{tenure}")

    def _grid_data(self) -> DashboardData | None:
        return getattr(self.grid_model, "_data", None)

    def _size_grid(self) -> None:
        fm = self.fontMetrics()
        unit = fm.horizontalAdvance("汉")
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        widest = max((fm.horizontalAdvance(self.grid_model.duty_at(r).title)
                      for r in range(self.grid_model.rowCount())), default=unit * 12)
        self.grid.setColumnWidth(0, min(widest + 24, unit * 22))
        refs = [fm.horizontalAdvance(self.grid_model.duty_at(r).article_ref) for r in range(self.grid_model.rowCount())]
        needs = [fm.horizontalAdvance(self.grid_model.duty_at(r).requirement)
                 for r in range(self.grid_model.rowCount())]
        self.grid.setColumnWidth(1, max([unit * 4, *refs]) + 16)
        self.grid.setColumnWidth(2, max([unit * 5, *needs]) + 16)
        slots = self.grid_model.columnCount() - 4
        slot_width = {1: unit * 14, 2: unit * 9, 4: unit * 6}.get(slots, unit * 4 + 8)
        for column in range(3, 3 + slots):
            self.grid.setColumnWidth(column, slot_width)
        self.grid.setColumnWidth(self.grid_model.year_column(), unit * 5 + 10)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _reminder_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            p = self.reminder_model.period_at(current.row())
            self.show_leader_duty(p.leader_id, p.duty_id, p.period.label)

    def _reminder_opened(self, index: QModelIndex) -> None:
        p = self.reminder_model.period_at(index.row())
        self.open_period(p)

    def show_leader_duty(self, leader_id: int, duty_id: int, period_label: str | None = None) -> None:
        """Select the leader and the duty's cell in the grid (from a reminder)."""
        if self.summary_model.row_of(leader_id) < 0:
            self.leader_search.clear()
            self.unit_combo.setCurrentIndex(0)
        self.select_leader(leader_id)
        cell = self.grid_model.cell_of(duty_id, period_label)
        if cell.isValid():
            self.grid.setCurrentIndex(cell)
            self.grid.scrollTo(cell)

    # -- cell actions ----------------------------------------------------------------------
    def open_cell(self, index: QModelIndex) -> None:
        p = self.grid_model.period_at(index)
        if p is None and index.isValid() and index.column() == self.grid_model.year_column():
            return
        if p is not None:
            self.open_period(p)

    def open_period(self, p: PeriodStatus) -> object:
        """The records behind a period, or (none yet) the form for a new one. Returns the
        records page or the record dialog."""
        start = p.window_start or p.period.start
        end = p.window_end or p.period.end
        if p.done:
            self.records_requested.emit(p.leader_id, p.duty_id, start, end)
            go_to = getattr(self.window(), "go_to", None)
            if callable(go_to):
                page = go_to("RecordsPage")
                page.show_records(leader_id=p.leader_id, duty_id=p.duty_id, date_from=start, date_to=end)
                return page
            return None
        if p.status is Status.NOT_APPLICABLE:
            look.inform(self, "不适用", "该负责人的任期未覆盖这一周期的一半以上，无需履行。")
            return None
        today = self.ctx.today()
        day = min(max(today, start), end)
        from duty_tracker.ui.dialogs.record_dialog import RecordDialog

        dialog = RecordDialog(self.ctx, preset={"leader_ids": [p.leader_id], "duty_ids": [p.duty_id],
                                                "performed_on": day}, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- page hooks ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.leader_search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.leader_search.selectAll()

    def new_record(self) -> object:
        leader = self.selected_leader_id()
        from duty_tracker.ui.dialogs.record_dialog import RecordDialog

        dialog = RecordDialog(self.ctx, preset={"leader_ids": [leader] if leader else []}, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def after_window_shown(self) -> ReminderDialog | None:
        """At start-up: the reminders of the current year, unless muted for today."""
        today = self.ctx.today()
        if str(self.ctx.settings.value("dashboard/muted_on", "")) == today.isoformat():
            return None
        if self.year_selector.year() != today.year:
            self.year_selector.set_year(today.year)
        if self.data is None or self.data.year != today.year:
            self.reload()
        model = ReminderModel(self)
        model.set_data(self.data)
        tasks, reports = self._all_units_notes(today)
        if not model.rowCount() and not tasks and not reports:
            return None
        from duty_tracker.ui.widgets.reminder_dialog import ReminderDialog  # after the first paint

        dialog = ReminderDialog(model, today.year, self, tasks=tasks, reports=reports)
        dialog.muted_today.connect(lambda: self.ctx.settings.setValue("dashboard/muted_on", today.isoformat()))
        dialog.item_chosen.connect(self.show_leader_duty)
        dialog.task_chosen.connect(self.open_task_reminders)
        dialog.report_chosen.connect(self.open_report_reminders)
        self.reminder_dialog = dialog
        dialog.show()
        return dialog

    def _all_units_notes(self, today: date) -> tuple[list[TaskReminder], list[AnnualReportDue]]:
        """The start-up reminder's tasks and reports, of every unit: the notes' own when no unit
        is chosen (computed once), else read again."""
        if self.unit_combo.currentData() is None:
            self._ensure_notes()
            return list(self.task_reminders), list(self.report_reminders)
        from duty_tracker.core.services.annual_due import annual_reports_due
        from duty_tracker.core.services.workpoints import task_reminders

        try:
            return (task_reminders(self.store, today.year, today, warn_days=self.warn_days.value()),
                    annual_reports_due(self.store, today, warn_days=self.warn_days.value()))
        except AppError:
            return [], []

    # -- settings --------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.ctx.settings
        today = self.ctx.today()
        bounds = self.store.records.year_bounds()
        first = min(bounds[0] if bounds else today.year, today.year - 4)
        last = max(bounds[1] if bounds else today.year, today.year + 1)
        year = _as_int(s.value("dashboard/year")) or today.year
        self.year_selector.set_range(min(first, year), max(last, year), year)
        self.warn_days.setValue(_as_int(s.value("dashboard/warn_days")) or DEFAULT_WARN_DAYS)
        for splitter, key in ((self.top_splitter, "top_splitter"), (self.splitter, "splitter")):
            state = s.value(f"dashboard/{key}")
            if isinstance(state, QByteArray | bytes):
                splitter.restoreState(state)
        for table, key in ((self.summary, "summary_header"), (self.reminders, "reminder_header")):
            state = s.value(f"dashboard/{key}")
            if isinstance(state, QByteArray | bytes):
                table.horizontalHeader().restoreState(state)


def _legend() -> str:
    chips = "　".join(
        f"<span style='background:{bg}; color:{fg}'>&nbsp;{status.value}&nbsp;</span>"
        for status, (bg, fg) in STATUS_COLOURS.items())
    pace = f"<b style='color:{PACE_COLOUR}'>{PACE_LABEL}</b>"
    return f"{chips}　{pace}　　" + look.span("x/y：已完成/要求；* 部分任期", "hint")


def _as_int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _late_and_due(late: int, due: int, word: str) -> str:
    """"逾期 2 项、临期 1 项", without the part that is zero."""
    return "、".join(f"{label} {n} {word}" for label, n in (("逾期", late), ("临期", due)) if n)
