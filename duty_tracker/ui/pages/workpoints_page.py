"""工作要点: the year's work-point tasks grouped by the sections of their document, each with its
units (role, status) and progress; the selected task whole on the right.

- Filters: the year, the document (when a year has several), the unit — one unit's tasks with
  its own status is the 本单位任务 view —, the status, the deadline and a search box.
- 填报进展 (Enter, or the button): date, note, 已完成, evidence files; Ctrl+Z takes it back.
  编辑任务 corrects title, deadline and units; Delete sends a task to the recycle bin (undoable).
- 导入工作要点: a file or pasted text, parsed on the task runner, then the review dialog; the
  pasted text is kept until it was imported.
- 任务分解表: the sheet offices exchange (all tasks, or the chosen unit's), and the same sheet
  filled in by the units read back: every row checked first, then all valid rows in one go.

Status words and rules are those of ``core/workpoints/status.py`` (the ⓘ tooltip repeats them).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.services import workpoints as wp
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.storage.store import Store
from duty_tracker.core.workpoints.status import REMINDER_STATUSES, TaskStatus
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.import_preview_dialog import ImportPreviewDialog
from duty_tracker.ui.dialogs.progress_dialog import ProgressDialog, open_file
from duty_tracker.ui.dialogs.task_edit_dialog import TaskEditDialog
from duty_tracker.ui.dialogs.workpoints_import_dialog import (
    WorkpointsReviewDialog,
    WorkpointsSourceDialog,
)
from duty_tracker.ui.models import workpoints_models as tm
from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange
from duty_tracker.ui.pages.workpoints_detail import task_html
from duty_tracker.ui.task_commands import (
    DeletePlanCommand,
    DeleteProgressCommand,
    DeleteTasksCommand,
)
from duty_tracker.ui.tasks import Task, TaskControl, run_with_progress
from duty_tracker.ui.widgets.searchable_combo import searchable_combo
from duty_tracker.ui.widgets.year_selector import YearSpin

EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
#: The status filter: label → statuses (None: every status).
STATUS_CHOICES: tuple[tuple[str, frozenset[TaskStatus] | None], ...] = (
    ("全部状态", None),
    ("逾期和临期", frozenset(REMINDER_STATUSES)),
    ("未完成", frozenset(set(TaskStatus) - {TaskStatus.DONE})),
    *((status.value, frozenset({status})) for status in tm.STATUS_ORDER),
)
DUE_CHOICES = ("不限", "已过完成时限", "今后 30 天内", "第一季度", "第二季度", "第三季度", "第四季度",
               "上半年", "下半年")


def due_range(choice: str, year: int, today: date) -> tuple[date | None, date | None]:
    """The deadline bounds of a 完成时限 choice (quarters and halves of the chosen year)."""
    if choice == "已过完成时限":
        return None, today - timedelta(days=1)
    if choice == "今后 30 天内":
        return today, today + timedelta(days=30)
    spans = {"第一季度": (1, 3), "第二季度": (4, 6), "第三季度": (7, 9), "第四季度": (10, 12),
             "上半年": (1, 6), "下半年": (7, 12)}
    if choice in spans:
        first, last = spans[choice]
        end = date(year + (last == 12), last % 12 + 1, 1) - timedelta(days=1)
        return date(year, first, 1), end
    return None, None


class WorkpointsPage(RefreshOnDataChange, QWidget):
    DATA_KINDS = frozenset({"tasks", "people", "records"})

    @property
    def store(self) -> Store:
        """Always the context's store: a restore from backup replaces it."""
        return self.ctx.store

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._loading = True
        self._pasted_text = ""  # kept until a document made from it is imported
        self.task: Task | None = None
        self.dialog: QWidget | None = None
        self.model = tm.TaskTreeModel(self)
        self._build()
        self._text_timer = QTimer(self, singleShot=True, interval=250)
        self._text_timer.timeout.connect(self.reload)
        self._connect()
        self.year_spin.set_year(self._initial_year())
        self._loading = False
        self.watch_data(ctx)
        self.reload()

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        layout = look.page_layout(self)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_filters())
        self.notice_label = look.plain_label(tone="notice", wrap=True)
        self.notice_label.hide()
        layout.addWidget(self.notice_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self._build_tree())
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([800, 420])
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        state = self.ctx.settings.value("workpoints/splitter")
        if isinstance(state, QByteArray | bytes):
            self.splitter.restoreState(state)

    def _build_header(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.addWidget(look.page_header(
            "工作要点", "本年度法治政府建设工作要点的各项任务：责任单位、完成时限和进展。"
            "选中任务后按 Enter 填报进展。"), 1)
        self.import_button = QPushButton("导入工作要点…", self)
        self.import_button.setToolTip("导入 .txt、.docx 文件或粘贴全文，识别出任务和责任单位，核对后保存")
        self.sheet_button = QToolButton(self)
        look.name(self.sheet_button, "menuButton")
        self.sheet_button.setText("任务分解表…")
        self.sheet_button.setToolTip("导出任务分解表（Excel），或导入各单位填报了进展的任务分解表")
        self.sheet_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.sheet_button)
        self.export_action = menu.addAction("导出任务分解表…", self.export_sheet)
        self.import_sheet_action = menu.addAction("导入填报的任务分解表…", self.import_sheet)
        menu.addSeparator()
        self.delete_plan_action = menu.addAction("删除本年度的工作要点…", self.delete_plan)
        self.sheet_button.setMenu(menu)
        for widget in (self.import_button, self.sheet_button):
            top.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        return top

    def _build_filters(self) -> QHBoxLayout:
        self.year_spin = YearSpin(self.ctx.today().year, self)
        self.plan_combo = QComboBox(self)
        self.plan_combo.addItem("全部文件", None)
        self.plan_combo.setMinimumContentsLength(14)
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_label = QLabel("文件", self)
        self.unit_combo = searchable_combo(self, "全部单位")
        self.unit_combo.setToolTip("选择一个单位：只列出它的任务，状态和进展都是该单位自己的（本单位任务）")
        self.status_combo = QComboBox(self)
        for label, statuses in STATUS_CHOICES:
            self.status_combo.addItem(label, statuses)
        self.due_combo = QComboBox(self)
        self.due_combo.addItems(DUE_CHOICES)
        self.due_combo.setToolTip("按完成时限筛选（季度和半年指所选年度的）；没有完成时限的任务此时不列出")
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("搜索任务名称和内容（Ctrl+F）")
        self.search_edit.setClearButtonEnabled(True)
        self.clear_button = QPushButton("清除筛选", self)
        row = QHBoxLayout()
        row.addWidget(QLabel("年度", self))
        row.addWidget(self.year_spin)
        row.addWidget(self.plan_label)
        row.addWidget(self.plan_combo, 2)
        row.addWidget(QLabel("单位", self))
        row.addWidget(self.unit_combo, 2)
        row.addWidget(QLabel("状态", self))
        row.addWidget(self.status_combo)
        row.addWidget(QLabel("完成时限", self))
        row.addWidget(self.due_combo)
        row.addWidget(self.search_edit, 3)
        row.addWidget(self.clear_button)
        return row

    def _build_tree(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeView(box)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setItemDelegate(look.CutOffTips(self.tree))
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(tm.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, chars in ((tm.UNITS, 11), (tm.DUE, 6), (tm.STATUS, 7), (tm.PROGRESS, 9)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, look.char_width(self, chars))
        self.empty_state = look.EmptyState(self.tree, self._empty_text)
        self.count_label = look.plain_label(role="count", parent=box)
        self.filter_label = look.plain_label("已筛选", tone="warning", parent=box)
        self.filter_label.setToolTip("列表只显示符合筛选条件的任务；点击“清除筛选”显示全部")
        self.rules_button = QToolButton(box)
        self.rules_button.setText("状态如何判定？")
        self.rules_button.setAutoRaise(True)
        self.rules_button.setToolTip(look.plain("\n".join(wp.STATUS_RULES)))
        self.rules_button.clicked.connect(
            lambda: look.inform(self, "任务状态如何判定", "\n".join(wp.STATUS_RULES)))
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.filter_label)
        counts.addWidget(self.rules_button)
        layout.addWidget(self.tree, 1)
        layout.addLayout(counts)
        return box

    def _build_detail(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.progress_button = QPushButton("填报进展…", self)
        self.progress_button.setToolTip("Enter：为选中的任务填报一条进展（可用 Ctrl+Z 撤销）")
        self.edit_button = QPushButton("编辑任务…", self)
        self.edit_button.setToolTip("修改任务名称、完成时限、责任单位及其职责")
        self.delete_button = QPushButton("删除任务", self)
        self.delete_button.setToolTip("Delete：不是工作任务的可删除（移入回收站，可用 Ctrl+Z 撤销）")
        for button in (self.progress_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.detail = QTextBrowser(box)
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("选中一项任务，这里显示它的全文、进展和佐证材料。")
        layout.addLayout(buttons)
        layout.addWidget(self.detail, 1)
        return box

    def _connect(self) -> None:
        self.year_spin.valueChanged.connect(lambda _v: self._year_changed())
        for combo in (self.plan_combo, self.unit_combo, self.status_combo, self.due_combo):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.search_edit.textChanged.connect(lambda _t: self._text_timer.start())
        self.search_edit.returnPressed.connect(self.reload)
        self.clear_button.clicked.connect(self.clear_filters)
        self.import_button.clicked.connect(self.import_workpoints)
        self.progress_button.clicked.connect(self.add_progress)
        self.edit_button.clicked.connect(self.edit_task)
        self.delete_button.clicked.connect(self.delete_task)
        self.detail.anchorClicked.connect(self._link_clicked)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._show_current())
        self.tree.activated.connect(self._activated)
        self.tree.verticalScrollBar().valueChanged.connect(self._maybe_fetch_more)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.tree, self.delete_task)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.splitter.splitterMoved.connect(
            lambda *_: self.ctx.settings.setValue("workpoints/splitter", self.splitter.saveState()))

    # -- choices ---------------------------------------------------------------------------
    def _initial_year(self) -> int:
        """The year the clerk looked at last, else this year's documents, else the newest."""
        years = [p["year"] for p in self.store.tasks.plans()]
        remembered = str(self.ctx.settings.value("workpoints/year", "") or "")
        if remembered.isdigit() and int(remembered) in years:
            return int(remembered)
        today = self.ctx.today().year
        return today if today in years or not years else years[0]

    def _fill_choices(self) -> None:
        """Units and the year's documents; the choice made stays when it is still there."""
        _refill(self.unit_combo, [(u["name"], u["id"]) for u in self.store.people.units()])
        plans = self.store.tasks.plans(self.year_spin.value())
        _refill(self.plan_combo, [(f"《{p['title']}》（{p['task_count']} 项）", p["id"]) for p in plans])
        several = len(plans) > 1
        self.plan_combo.setVisible(several)
        self.plan_label.setVisible(several)
        self.delete_plan_action.setEnabled(bool(plans))

    def current_filter(self) -> wp.TaskFilter:
        year = self.year_spin.value()
        due_from, due_to = due_range(self.due_combo.currentText(), year, self.ctx.today())
        return wp.TaskFilter(year, unit_id=self.unit_combo.currentData(), statuses=self.status_combo.currentData(),
                             due_from=due_from, due_to=due_to, plan_id=self.plan_combo.currentData(),
                             text=self.search_edit.text().strip())

    def filter_active(self) -> bool:
        """True when a filter narrows the list (the year and the unit are views, not filters)."""
        flt = self.current_filter()
        return bool(flt.statuses is not None or flt.due_from or flt.due_to or flt.plan_id is not None or flt.text)

    def clear_filters(self) -> None:
        self._loading = True
        self.search_edit.clear()
        for combo in (self.plan_combo, self.status_combo, self.due_combo, self.unit_combo):
            combo.setCurrentIndex(0)
        self._loading = False
        self.reload()

    def _year_changed(self) -> None:
        if self._loading:
            return
        self.ctx.settings.setValue("workpoints/year", self.year_spin.value())
        self.notice_label.hide()
        self.reload()

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        if self._loading:
            return
        self._stale = False
        self._text_timer.stop()
        self._loading = True
        try:
            self._fill_choices()
        finally:
            self._loading = False
        selected = self.current_task_id()
        flt = self.current_filter()
        try:
            views = wp.list_tasks(self.store, flt, self.ctx.today())
        except StorageError as exc:
            look.warn(self, "无法读取工作要点", str(exc))
            return
        self.model.set_views(views, flt.unit_id)
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.tree.expandAll()
        self._show_counts()
        self.filter_label.setVisible(self.filter_active())
        self.clear_button.setEnabled(self.filter_active() or flt.unit_id is not None)
        if selected is None or not self.select_task(selected):
            first = self.model.views()
            if not first or not self.select_task(first[0].id):
                self._show_current()

    def refresh_data(self) -> None:
        self.reload()

    def _show_counts(self) -> None:
        total = self.model.task_count()
        unit = self.unit_combo.currentText() if self.unit_combo.currentData() is not None else ""
        what = f"{unit}的任务" if unit else "任务"
        counts = tm.counts_text(self.model.status_counts())
        self.count_label.setText(f"{what}共 {total} 项" + (f"：{counts}" if counts else ""))

    def _empty_text(self) -> str:
        year = self.year_spin.value()
        if not self.store.tasks.plans(year):
            others = sorted({p["year"] for p in self.store.tasks.plans()}, reverse=True)
            also = f"\n已导入的年度：{'、'.join(f'{y}年' for y in others)}（在左上角“年度”中切换）。" if others else ""
            return f"尚未导入{year}年度工作要点，点击 “导入工作要点…”（可选择 .txt、.docx 文件或粘贴全文）。{also}"
        if self.filter_active():
            return "没有符合筛选条件的任务。点击上方“清除筛选”显示全部任务。"
        if self.unit_combo.currentData() is not None:
            return (f"{self.unit_combo.currentText()}在{year}年的工作要点中没有任务。"
                    "如文件中写的是它的旧名称或简称，可在任务的“编辑任务…”中指定。")
        return "没有任务。"

    def _maybe_fetch_more(self, value: int) -> None:
        """At the bottom of the list: the next tasks of the sections not yet whole."""
        if value < self.tree.verticalScrollBar().maximum():
            return
        for row in range(self.model.rowCount()):
            index = self.model.section_index(row)
            if self.model.canFetchMore(index):
                self.model.fetchMore(index)
                return

    # -- selection and details -------------------------------------------------------------
    def current_view(self) -> wp.TaskView | None:
        return self.model.view_at(self.tree.currentIndex())

    def current_task_id(self) -> int | None:
        view = self.current_view()
        return view.id if view else None

    def select_task(self, task_id: int) -> bool:
        index = self.model.index_of_task(task_id)
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.tree.selectionModel().setCurrentIndex(index, flags)
        self.tree.scrollTo(index)
        self._show_current()
        return True

    def show_task(self, task_id: int) -> bool:
        """Show one task (from the dashboard's reminders): its year, no filters, selected."""
        try:
            task = self.store.tasks.task(task_id)
        except StorageError:
            return False
        self._loading = True
        self.year_spin.set_year(task["year"])
        self._loading = False
        self.clear_filters()
        return self.select_task(task_id)

    def _show_current(self) -> None:
        view = self.current_view()
        for button in (self.progress_button, self.edit_button, self.delete_button):
            button.setEnabled(view is not None)
        if view is None:
            self.detail.clear()
            return
        full = wp.list_tasks(self.store, wp.TaskFilter(view.year, task_ids=[view.id]), self.ctx.today(),
                             entries=True)
        if not full:
            self.detail.clear()
            return
        files = {e["id"]: self.store.tasks.progress_attachments(e["id"])
                 for u in full[0].units for e in u.entries if e.get("attachment_count")}
        self.detail.setHtml(task_html(full[0], files, self.model.unit_id))

    def _activated(self, index: QModelIndex) -> None:
        if self.model.view_at(index) is not None:
            self.add_progress()
        else:
            self.tree.setExpanded(index.siblingAtColumn(0), not self.tree.isExpanded(index.siblingAtColumn(0)))

    def _link_clicked(self, url: QUrl) -> None:
        kind, _colon, number = url.toString().partition(":")
        if not number.isdigit():
            return
        item_id = int(number)
        if kind == "att":
            self.open_attachment(item_id)
        elif kind == "edit":
            self.edit_progress(item_id)
        elif kind == "del":
            self.delete_progress(item_id)
        elif kind == "rec":
            self.open_record(item_id)

    # -- actions ---------------------------------------------------------------------------
    def _task_row(self) -> dict[str, Any] | None:
        view = self.current_view()
        if view is None:
            return None
        try:
            return self.store.tasks.task(view.id)
        except StorageError as exc:
            look.warn(self, "工作要点", str(exc))
            return None

    def _open(self, dialog: QWidget) -> QWidget:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def add_progress(self) -> ProgressDialog | None:
        """填报进展 for the selected task (of the chosen unit, in 本单位任务)."""
        task = self._task_row()
        if task is None:
            return None
        if not task["units"]:
            look.inform(self, "填报进展", "这项任务还没有责任单位。请先点击“编辑任务…”指定责任单位。")
            return None
        dialog = ProgressDialog(self.ctx, task, unit_id=self.unit_combo.currentData(), parent=self)
        return self._open(dialog)

    def edit_progress(self, progress_id: int) -> ProgressDialog | None:
        task = self._task_row()
        if task is None:
            return None
        try:
            dialog = ProgressDialog(self.ctx, task, progress_id=progress_id, parent=self)
        except StorageError as exc:
            look.warn(self, "修改进展", str(exc))
            return None
        return self._open(dialog)

    def delete_progress(self, progress_id: int) -> bool:
        answer = look.ask(self, "删除进展", "确定删除这条进展吗？\n可用 Ctrl+Z 撤销。",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.ctx.undo_stack.push(DeleteProgressCommand(self.ctx, [progress_id]))
        return True

    def edit_task(self) -> TaskEditDialog | None:
        task = self._task_row()
        return self._open(TaskEditDialog(self.ctx, task, parent=self)) if task else None

    def delete_task(self) -> bool:
        view = self.current_view()
        if view is None:
            return False
        answer = look.ask(
            self, "删除任务", f"确定删除任务“{view.title}”吗？\n它的进展一并移入回收站，可用 Ctrl+Z 撤销。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.ctx.undo_stack.push(DeleteTasksCommand(self.ctx, [view.id], view.title))
        return True

    def delete_plan(self) -> bool:
        plans = self.store.tasks.plans(self.year_spin.value())
        chosen = self.plan_combo.currentData()
        plan = next((p for p in plans if p["id"] == chosen), plans[0] if len(plans) == 1 else None)
        if plan is None:
            look.inform(self, "删除工作要点", "本年度有几份工作要点，请先在“文件”中选择要删除的一份。")
            return False
        answer = look.ask(
            self, "删除工作要点", f"确定删除《{plan['title']}》及其 {plan['task_count']} 项任务和全部进展吗？\n"
            "可用 Ctrl+Z 撤销。", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.ctx.undo_stack.push(DeletePlanCommand(self.ctx, plan["id"], plan["title"]))
        return True

    def open_attachment(self, attachment_id: int) -> bool:
        view = self.current_view()
        if view is None:
            return False
        for entry in self.store.tasks.progress([view.id]):
            for attachment in self.store.tasks.progress_attachments(entry["id"]):
                if attachment["id"] == attachment_id:
                    return open_file(self, self.store.records.attachment_path(attachment))
        return False

    def open_record(self, record_id: int) -> QWidget | None:
        from duty_tracker.ui.dialogs.record_dialog import RecordDialog

        try:
            dialog = RecordDialog(self.ctx, record_id, parent=self)
        except StorageError as exc:
            look.warn(self, "无法打开纪实", str(exc))
            return None
        return self._open(dialog)

    # -- importing the work points -----------------------------------------------------------
    def import_workpoints(self) -> WorkpointsSourceDialog:
        """The source dialog; it stays open while parsing and after a parse error."""
        folder = str(self.ctx.settings.value("workpoints/import_dir", "") or "")
        dialog = WorkpointsSourceDialog(self, self._pasted_text, None, folder)
        dialog.parse_requested.connect(lambda text, path, year: self._parse(dialog, text, path, year))
        self.source_dialog = dialog
        dialog.open()
        return dialog

    def _parse(self, dialog: WorkpointsSourceDialog, text: str, path: str, year: int) -> None:
        if path:
            self.ctx.settings.setValue("workpoints/import_dir", str(Path(path).parent))
        else:
            self._pasted_text = text
        db_path = self.ctx.db_path

        def work(control: TaskControl) -> wp.ImportPreview:
            control.progress(0, 0, f"正在读取并识别 {Path(path).name} …" if path else "正在识别工作要点 …")
            with open_worker_store(db_path) as store:
                preview = wp.preview_import(store, path=path or None, text=None if path else text,
                                            year=year or None)
            control.check()  # 取消 pressed meanwhile: back to the text, nothing reviewed
            return preview

        def parsed(preview: wp.ImportPreview) -> None:
            self.task = None
            if preview.year is None:
                dialog.show_error("没有从文本中识别出年度。请在下方“年度”中选择后，再点击“识别”。")
                dialog.year_spin.setFocus()
                return
            dialog.accept()
            self.review(preview)

        self.task = run_with_progress(dialog, "识别工作要点", work, on_success=parsed, on_failure=dialog.show_error)
        self.task.cancelled.connect(lambda: dialog.set_busy(False))

    def review(self, preview: wp.ImportPreview) -> WorkpointsReviewDialog:
        dialog = WorkpointsReviewDialog(self.ctx, preview, parent=self)
        dialog.import_requested.connect(lambda unmatched, again: self._import(dialog, unmatched, again))
        self.review_dialog = dialog
        dialog.open()
        return dialog

    def _import(self, dialog: WorkpointsReviewDialog, allow_unmatched: bool, allow_duplicate: bool) -> None:
        preview = dialog.preview
        db_path = self.ctx.db_path

        def work(control: TaskControl) -> wp.WorkPointsImport:
            control.progress(0, 0, "正在备份并导入 …")
            with open_worker_store(db_path) as store:
                return wp.import_workpoints(store, preview, allow_unmatched=allow_unmatched,
                                            allow_duplicate=allow_duplicate)

        def done(result: wp.WorkPointsImport) -> None:
            self.task = None
            dialog.imported()
            if preview.source_text.strip() == self._pasted_text.strip():
                self._pasted_text = ""
            self._loading = True
            self.year_spin.set_year(int(preview.year or self.year_spin.value()))
            self._loading = False
            self.ctx.settings.setValue("workpoints/year", self.year_spin.value())
            self.ctx.notify("tasks")
            self.clear_filters()
            backed_up = f"导入前已自动备份（{result.backup.name}）。" if result.backup else ""
            self.show_notice(f"已导入《{preview.title}》：{result.summary()}{backed_up}")
            self.ctx.notify_status(f"已导入工作要点《{preview.title}》")

        self.task = run_with_progress(dialog, "导入工作要点", work, on_success=done, on_failure=dialog.import_failed)

    def show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    # -- the 任务分解表 ----------------------------------------------------------------------------
    def export_sheet(self) -> Task | None:
        """The sheet of the year (of the chosen unit's tasks in 本单位任务)."""
        year, unit_id = self.year_spin.value(), self.unit_combo.currentData()
        if not self.store.tasks.plans(year):
            look.inform(self, "导出任务分解表", f"{year}年尚未导入工作要点，没有可导出的任务。")
            return None
        unit = self.unit_combo.currentText() if unit_id is not None else ""
        folder = str(self.ctx.settings.value("workpoints/export_dir", "") or Path.home())
        path, _ = QFileDialog.getSaveFileName(self, "导出任务分解表", str(Path(folder) / f"{unit}{year}年工作要点任务分解表.xlsx"),
                                              EXCEL_FILTER)
        if not path:
            return None
        options = wp.TaskSheetExport(Path(path), year, self.ctx.today(), unit_id)
        self.ctx.settings.setValue("workpoints/export_dir", str(options.target.parent))
        db_path = self.ctx.db_path

        def work(control: TaskControl) -> int:
            control.progress(0, 0, "正在导出任务分解表 …")
            with open_worker_store(db_path) as store:
                return wp.export_task_sheet(store, options)

        def done(count: int) -> None:
            self.task = None
            self.ctx.notify_status(f"已导出 {count} 项任务到 {options.target.name}")
            look.inform(self, "导出任务分解表", f"已导出 {count} 项任务：\n{options.target}\n\n"
                        "各单位可在“进展情况”栏填写进展、在“状态”栏填“已完成”，交回后用“导入填报的任务分解表…”读入。")

        self.task = run_with_progress(self, "导出任务分解表", work, on_success=done)
        return self.task

    def import_sheet(self) -> Task | None:
        """Every row checked first (a preview with the row errors), then all valid rows at once."""
        folder = str(self.ctx.settings.value("workpoints/export_dir", "") or Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "导入填报的任务分解表", folder, EXCEL_FILTER)
        if not path:
            return None
        db_path, today = self.ctx.db_path, self.ctx.today()

        def read(control: TaskControl) -> Any:
            control.progress(0, 0, "正在逐行检查 …")
            with open_worker_store(db_path) as store:
                return wp.preview_task_sheet(store, Path(path), today)

        self.task = run_with_progress(self, "导入任务分解表", read, on_success=lambda p: self._confirm_sheet(p, path))
        return self.task

    def _confirm_sheet(self, preview: Any, path: str) -> None:
        self.task = None
        summary = (f"文件：{path}\n共 {preview.total_rows} 行任务：{preview.valid_count} 行有新的进展，"
                   f"{preview.unchanged} 行没有变化，{preview.invalid_rows} 行有错误。\n\n"
                   + (f"确认后，{preview.valid_count} 条进展将在一次操作中全部写入（导入前自动备份）。"
                      if preview.valid_count else "没有可以导入的进展。请改正表格后重新导入。"))
        dialog = ImportPreviewDialog(
            self, "导入任务分解表", summary, preview.error_lines(),
            accept_text=f"导入 {preview.valid_count} 条有效进展" if preview.errors else "导入",
            can_accept=preview.valid_count > 0)
        self.sheet_dialog = dialog
        dialog.accepted.connect(lambda: self._apply_sheet(preview))
        dialog.open()

    def _apply_sheet(self, preview: Any) -> None:
        db_path = self.ctx.db_path

        def write(control: TaskControl) -> Any:
            control.progress(0, 0, "正在导入 …")
            with open_worker_store(db_path) as store:
                return wp.apply_task_sheet(store, preview)

        def written(outcome: Any) -> None:
            self.task = None
            self.ctx.notify("tasks")
            backed_up = f"导入前已自动备份（{outcome.backup.name}）。" if outcome.backup else ""
            self.show_notice(f"{outcome.result.summary()}{backed_up}")
            self.ctx.notify_status(outcome.result.summary())

        self.task = run_with_progress(self, "导入任务分解表", write, on_success=written)

    # -- page hooks ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _data_changed(self, kind: str) -> None:
        if kind == "all":  # another database (or a restore): its own years and units
            self._loading = True
            self.year_spin.set_year(self._initial_year())
            self._loading = False
            self.notice_label.hide()
        super()._data_changed(kind)


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """New items under the combo's first one ("全部…"); the current choice kept when it is there."""
    current = combo.currentData()
    combo.blockSignals(True)
    first = combo.itemText(0)
    combo.clear()
    combo.addItem(first, None)
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
