"""年度报告: each year, the governments and departments that owe their 法治政府建设年度报告 —
with the deadline (departments by 1 March, governments by 1 April of the next year) and where
each stands (已报送 / 未到期 / 临期 / 逾期) —, and for the selected unit its report: the own
fields with their defaults as placeholders, the five parts, the generated draft (for the empty
parts, or instead of everything after asking), the facts the draft was written from, what is
still to write, a preview of the pages, 导出PDF…/导出Word…, and 标记为已报送 (undoable).

What the clerk types is never lost: it is saved after a pause in typing, before another unit or
year is shown, when the page is left and when the window closes. Long work (the files, the
preview) runs on workers (``ui.tasks``) that open their own store; the use cases are those of
``core.services.reporting``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.errors import AppError, InputError
from duty_tracker.core.helpers import parse_date
from duty_tracker.core.reports.annual_builder import default_report_date
from duty_tracker.core.reports.annual_model import ANNUAL_KEYS, AnnualReport
from duty_tracker.core.reports.debrief_model import chinese_date
from duty_tracker.core.services import annual_due, reporting
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.ui import look
from duty_tracker.ui.annual_commands import ANNUAL_REPORTS, push_mark
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.annual_submit_dialog import AnnualSubmitDialog
from duty_tracker.ui.models import annual_models as am
from duty_tracker.ui.models.simple_table_model import SORT_ROLE
from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange
from duty_tracker.ui.tasks import Task, TaskControl, run_in_background, run_with_progress
from duty_tracker.ui.widgets import page_preview
from duty_tracker.ui.widgets.annual_editor import AnnualEditor
from duty_tracker.ui.widgets.year_selector import YearSpin

AUTOSAVE_MS = 1500
DEADLINE_RULE = "部门于次年3月1日前、政府于次年4月1日前报送上一年度的报告。"
_STATE_TONES = {"逾期": "error", "临期": "warning", "已报送": "notice", "未到期": "hint"}


class AnnualPage(RefreshOnDataChange, QWidget):
    DATA_KINDS = frozenset({ANNUAL_REPORTS, "tasks", "people", "records", "debriefs", "rules"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._loading = False
        self._unsaved = False
        self._notifying = False
        self._due: annual_due.AnnualReportDue | None = None
        self._report: AnnualReport | None = None
        #: (database, unit, year) of the text in the editor: it is saved there and nowhere else
        self._key: tuple[Path, int, int] | None = None
        self._revision = 0  # grows with every change of what the preview would show
        self._preview_shown: tuple[Any, ...] | None = None
        self._preview_again = False
        self.task: Task | None = None
        self.preview_task: Task | None = None
        self.dialog: QWidget | None = None
        self.last_export: reporting.AnnualExportResult | None = None

        outer = look.page_layout(self)
        outer.addWidget(look.page_header(
            "年度报告", "各单位的法治政府建设年度报告：程序根据工作要点任务和负责人履职纪实起草，"
            "您核对、修改后导出，报送后在此标记。"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_unit_list())
        self.splitter.addWidget(self._build_report())
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([380, 840])
        outer.addWidget(self.splitter, 1)
        self._connect()
        self.year_spin.set_year(self._initial_year())
        self.watch_data(ctx)
        self.reload()

    # -- building --------------------------------------------------------------------------
    def _build_unit_list(self) -> QWidget:
        """Left: the year, the state filter, the search box and the units that report."""
        left = QWidget(self)
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 6, 0)
        selectors = QHBoxLayout()
        self.year_spin = YearSpin(self.ctx.today().year, left)
        self.year_spin.setToolTip("报告的年度（次年报送）")
        self.state_combo = QComboBox(left)
        for label, states in am.STATE_FILTERS:
            self.state_combo.addItem(label, states)
        selectors.addWidget(QLabel("年度", left))
        selectors.addWidget(self.year_spin)
        selectors.addWidget(self.state_combo, 1)
        layout.addLayout(selectors)
        self.unit_filter = QLineEdit(left)
        self.unit_filter.setPlaceholderText("查找单位（Ctrl+F）")
        self.unit_filter.setClearButtonEnabled(True)
        layout.addWidget(self.unit_filter)
        self.unit_model = am.AnnualUnitModel(self)
        self.unit_proxy = am.AnnualUnitFilter(self)
        self.unit_proxy.setSourceModel(self.unit_model)
        self.unit_proxy.setSortRole(SORT_ROLE)
        self.unit_view = look.table(self.unit_proxy, sortable=True, stretch=0,
                                    widths=(0, look.char_width(self, 4) + 12,
                                            look.char_width(self, 5) + 12,
                                            look.char_width(self, 3) + 12))
        self.unit_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.unit_empty = look.EmptyState(self.unit_view, self._empty_text)
        layout.addWidget(self.unit_view, 1)
        self.list_summary = look.hint_label(parent=left)
        layout.addWidget(self.list_summary)
        layout.addWidget(look.hint_label(DEADLINE_RULE, parent=left))
        return left

    def _build_report(self) -> QWidget:
        """Right: the unit, its deadline and state, the report in three tabs, the actions."""
        right = QWidget(self)
        layout = QVBoxLayout(right)
        layout.setContentsMargins(6, 0, 0, 0)
        head = QHBoxLayout()
        self.unit_title = look.section_label(parent=right)
        self.state_label = look.plain_label(parent=right)
        self.mark_button = QPushButton("标记为已报送…", right)
        head.addWidget(self.unit_title, 1)
        head.addWidget(self.state_label)
        head.addWidget(self.mark_button)
        layout.addLayout(head)
        self.deadline_info = look.hint_label(parent=right)
        layout.addWidget(self.deadline_info)
        self.tabs = QTabWidget(right)
        self.editor = AnnualEditor(self.tabs)
        self.tabs.addTab(self.editor, "报告正文")
        self.tabs.addTab(self._build_facts(), "草稿依据")
        self.preview_box: QWidget | None = None
        if page_preview.AVAILABLE:
            self.preview_box = self._build_preview()
            self.tabs.addTab(self.preview_box, "预览")
        self.no_unit = look.hint_label(parent=right)
        self.no_unit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.report_stack = QStackedWidget(right)
        self.report_stack.addWidget(self.tabs)
        self.report_stack.addWidget(self.no_unit)
        layout.addWidget(self.report_stack, 1)
        layout.addLayout(self._build_actions(right))
        return right

    def _build_facts(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        self.facts_intro = look.hint_label(parent=box)
        self.facts_view = QTreeView(box)
        self.facts_view.setUniformRowHeights(True)
        self.facts_view.setAlternatingRowColors(True)
        self.facts_view.setItemDelegate(look.CutOffTips(self.facts_view))
        self.facts_view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.facts_view.setModel(am.facts_model_empty(self))
        layout.addWidget(self.facts_intro)
        layout.addWidget(self.facts_view, 1)
        return box

    def _build_preview(self) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.preview_info = look.hint_label(wrap=False, parent=box)
        self.preview_button = QPushButton("刷新预览", box)
        self.preview_button.setToolTip("按已保存的内容重新生成各页")
        row.addWidget(self.preview_info, 1)
        row.addWidget(self.preview_button)
        self.preview = page_preview.PagePreview(box)
        layout.addLayout(row)
        layout.addWidget(self.preview, 1)
        return box

    def _build_actions(self, parent: QWidget) -> QHBoxLayout:
        actions = QHBoxLayout()
        self.draft_button = QPushButton("生成草稿", parent)
        self.draft_button.setToolTip("根据本年度的工作要点任务和负责人履职纪实起草；已有内容时先询问")
        self.save_state = look.hint_label(wrap=False, parent=parent)
        self.save_button = QPushButton("保存", parent)
        self.save_button.setToolTip("保存（Ctrl+S）；停止输入片刻、切换单位、离开本页或关闭窗口时也会自动保存")
        self.pdf_button = QPushButton("导出PDF…", parent)
        self.pdf_button.setDefault(True)
        self.word_button = QPushButton("导出Word…", parent)
        self.word_button.setToolTip("导出为 Word 文件（.docx），可在 Word 或 WPS 中继续修改")
        actions.addWidget(self.draft_button)
        actions.addWidget(self.save_state, 1)
        for button in (self.save_button, self.pdf_button, self.word_button):
            actions.addWidget(button)
        return actions

    def _connect(self) -> None:
        self.autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save)
        self.editor.edited.connect(self._edited)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        self.year_spin.valueChanged.connect(lambda _v: self._year_changed())
        self.state_combo.currentIndexChanged.connect(
            lambda _i: self._filter_changed(lambda: self.unit_proxy.set_states(self.state_combo.currentData())))
        self.unit_filter.textChanged.connect(
            lambda text: self._filter_changed(lambda: self.unit_proxy.set_text(text)))
        self.unit_view.selectionModel().currentRowChanged.connect(lambda *_: self._unit_changed())
        self.mark_button.clicked.connect(self.toggle_submitted)
        self.draft_button.clicked.connect(self.generate_draft)
        self.save_button.clicked.connect(self.save)
        self.pdf_button.clicked.connect(lambda: self.export(word=False))
        self.word_button.clicked.connect(lambda: self.export(word=True))
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        if self.preview_box is not None:
            self.preview_button.clicked.connect(lambda: self.refresh_preview(force=True))

    # -- page hooks ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.unit_filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.unit_filter.selectAll()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.save()  # leaving the page never loses what was typed
        super().hideEvent(event)

    def can_close(self) -> bool:
        """Closing the window saves; only a save that failed asks what to do. A preview being
        drawn is stopped first (a worker must not outlive the window)."""
        if self.preview_task is not None:
            self.preview_task.cancel()
            self.preview_task.wait(10_000)
        if self.save():
            return True
        answer = look.ask(self, "年度报告", "年度报告的修改未能保存。仍要关闭吗？关闭后这些修改将丢失。",
                          QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
                          QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Close:
            self._unsaved = False
            return True
        return False

    def _data_changed(self, kind: str) -> None:
        if self._notifying:  # the page's own saves need no reload
            return
        if kind == "all":  # another database, or a restore: the text in the editor is not its
            self._drop_foreign_text()
        super()._data_changed(kind)

    def show_unit(self, unit_id: int, year: int) -> bool:
        """Show one unit's report (from a reminder): its year, no filters, selected."""
        self.year_spin.set_year(year)
        self.state_combo.setCurrentIndex(0)
        self.unit_filter.clear()
        if self._stale:
            self.reload()
        return self.select_unit(unit_id)

    # -- the unit list ---------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.year_spin.value()

    def _initial_year(self) -> int:
        """The year the clerk worked on last, else the one whose reports are due now (last
        year's until its reports are all due, from May this year's)."""
        remembered = str(self.ctx.settings.value("annual/year", "") or "")
        if remembered.isdigit():
            return int(remembered)
        today = self.ctx.today()
        return today.year - 1 if today.month <= 4 else today.year

    def _year_changed(self) -> None:
        self.ctx.settings.setValue("annual/year", self.year)
        self.reload()

    def reload(self) -> None:
        """Re-read the year's units and their state (the selection kept), then the report."""
        self.save()
        self._stale = False
        keep = self.current_unit_id()
        try:
            states = annual_due.annual_report_states(self.ctx.store, self.year, self.ctx.today())
        except AppError as exc:
            look.warn(self, "无法读取年度报告", str(exc))
            return
        if not self._unsaved:
            self._due = None  # the editor reads the unit again
        self.unit_model.set_rows(am.due_rows(states))
        self._update_summary()
        if not (keep is not None and self.select_unit(keep)) and self.unit_proxy.rowCount():
            self.unit_view.setCurrentIndex(self.unit_proxy.index(0, 0))
        self._unit_changed()

    def refresh_data(self) -> None:
        self.reload()

    def _filter_changed(self, change: Any) -> None:
        change()
        if self.current_unit_id() is None and self.unit_proxy.rowCount():
            self.unit_view.setCurrentIndex(self.unit_proxy.index(0, 0))
        self.unit_empty.refresh()

    def _update_summary(self) -> None:
        counts = self.unit_model.counts()
        total = self.unit_model.rowCount()
        parts = "，".join(f"{state} {n}" for state, n in counts.items() if n)
        self.list_summary.setText(f"{self.year}年度应报送 {total} 个单位" + (f"：{parts}" if parts else ""))

    def _empty_text(self) -> str:
        if self.unit_proxy.active() and self.unit_model.rowCount():
            return "没有符合条件的单位。请清除查找内容或选择“全部状态”。"
        return ("没有需要报送年度报告的单位：请在“负责人与单位”中添加本级政府和部门"
                "（单位级别为市、区县、乡镇街道或部门）。")

    def current_unit_id(self) -> int | None:
        index = self.unit_view.currentIndex()
        if not index.isValid():
            return None
        return self.unit_model.row_at(self.unit_proxy.mapToSource(index).row())["id"]

    def select_unit(self, unit_id: int) -> bool:
        row = self.unit_model.find_row("id", unit_id)
        index = self.unit_proxy.mapFromSource(self.unit_model.index(row, 0)) if row >= 0 else None
        if index is None or not index.isValid():
            return False
        self.unit_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.unit_view.scrollTo(index)
        return True

    def _unit_changed(self) -> None:
        unit_id = self.current_unit_id()
        if self._due is not None and self._due.unit_id == unit_id and self._key \
                and self._key[2] == self.year:
            return
        if not self.save():  # the previous unit's text; on failure stay with it
            previous = self._key[1] if self._key else None
            if previous is not None:
                QTimer.singleShot(0, lambda: self.select_unit(previous))
            return
        row = self.unit_model.find_row("id", unit_id) if unit_id is not None else -1
        self._due = self.unit_model.row_at(row)["due"] if row >= 0 else None
        self._load_report()

    # -- the report ------------------------------------------------------------------------
    def _load_report(self) -> None:
        """The selected unit's report into the editor, its state into the header, its facts."""
        due = self._due
        self._revision += 1
        self._loading = True
        try:
            enabled = due is not None
            self.editor.set_enabled(enabled)
            for button in (self.draft_button, self.save_button, self.pdf_button, self.word_button,
                           self.mark_button):
                button.setEnabled(enabled)
            self.report_stack.setCurrentWidget(self.tabs if enabled else self.no_unit)
            if due is None:
                self._show_no_unit()
                return
            report = reporting.annual_report(self.ctx.store, due.unit_id, self.year, self.ctx.today())
            saved = self.ctx.store.annual_reports.get(due.unit_id, self.year) or {}
            self._report = report
            self._key = (Path(self.ctx.db_path), due.unit_id, self.year)
            self.editor.load({k: report.texts.text(k) for k in ANNUAL_KEYS},
                             self._saved_fields(saved), self._placeholders(report))
            self._show_state(due)
            self._show_facts(report)
            self.save_state.setText(f"上次保存：{saved['updated_at'][:16].replace('T', ' ')}"
                                    if saved.get("updated_at") else "尚未保存")
        except AppError as exc:
            look.warn(self, "无法读取年度报告", str(exc))
        finally:
            self._loading = False
            self._unsaved = False
        self._preview_if_shown()

    def _show_no_unit(self) -> None:
        self._report, self._key = None, None
        self.editor.clear()
        empty = self.unit_model.rowCount() == 0
        self.unit_title.setText("没有需要报送年度报告的单位" if empty else "请在左侧选择单位")
        self.no_unit.setText(
            "年度报告由程序根据工作要点任务和负责人的履职纪实起草。请先在“负责人与单位”中添加"
            "本级政府、部门及其党政主要负责人，在“工作要点”中导入本年度的工作要点。" if empty
            else "请在左侧选择一个单位，这里显示它的年度报告：可生成草稿、修改、预览和导出。")
        self.no_unit.setWordWrap(True)
        self.state_label.setText("")
        self.deadline_info.setText("")
        self.mark_button.setText("标记为已报送…")
        self.save_state.setText("")
        self.facts_intro.setText("")
        self.facts_view.setModel(am.facts_model_empty(self))
        if self.preview_box is not None:
            self.preview.show_message("选择单位后，这里显示报告各页的样子。")

    @staticmethod
    def _saved_fields(saved: dict[str, Any]) -> dict[str, str]:
        return {key: str(saved.get(key) or "") for key in ("title", "addressee", "signature",
                                                            "report_date")}

    def _default_date(self, report: AnnualReport) -> date:
        return default_report_date(self.year, self.ctx.today(), report.deadline or self.ctx.today())

    def _placeholders(self, report: AnnualReport) -> dict[str, str]:
        return {"title": report.default_title,
                "addressee": "不填则不印主送机关（如：中共杭州市委、杭州市人民政府）",
                "signature": report.institution,
                "report_date": self._default_date(report).isoformat()}

    def _show_state(self, due: annual_due.AnnualReportDue) -> None:
        self.unit_title.setText(due.institution)
        self.state_label.setText(f"已于{chinese_date(due.submitted_on)}报送" if due.submitted_on
                                 else due.label)
        look.set_tone(self.state_label, _STATE_TONES.get(due.status))
        if due.submitted_on:
            self.deadline_info.setText(f"报送期限：{chinese_date(due.deadline)}。已标记报送，不再提醒。")
            self.mark_button.setText("撤销报送标记")
            self.mark_button.setToolTip("标记错了：恢复为未报送（可用 Ctrl+Z 撤销）")
        else:
            self.deadline_info.setText(f"应于{chinese_date(due.deadline)}前报送{due.institution}"
                                       f"{self.year}年度的法治政府建设年度报告。")
            self.mark_button.setText("标记为已报送…")
            self.mark_button.setToolTip("报送后在此登记报送日期，提醒即停止（可撤销）")
        self.mark_button.setEnabled(self.ctx.today().year >= self.year)

    def _show_facts(self, report: AnnualReport) -> None:
        self.facts_intro.setText(am.facts_intro(report) if report.tasks or report.heads else (
            f"{report.institution}在{self.year}年度的工作要点中没有任务，也没有登记党政主要负责人："
            "草稿无据可写。请先在“工作要点”页导入工作要点，在“负责人与单位”中登记负责人。"))
        model = am.facts_model(report, self)
        self.facts_view.setModel(model)
        for row in range(model.rowCount()):  # the two headings take the whole line
            self.facts_view.setFirstColumnSpanned(row, QModelIndex(), True)
        self.facts_view.expandToDepth(1)
        header = self.facts_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, chars in ((1, 3), (2, 7), (3, 6), (4, 9)):
            self.facts_view.setColumnWidth(column, look.char_width(self, chars) + 12)
        self.tabs.setTabText(1, f"草稿依据（任务 {len(report.tasks)} 项）")

    # -- editing and saving ----------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading or self._key is None:
            return
        self._unsaved = True
        self._revision += 1
        self.save_state.setText("有未保存的修改…")
        self.autosave_timer.start()

    def _fields_to_save(self) -> dict[str, Any]:
        """The editor's text, the own fields (a default typed out saved as the default), and
        the 成文日期 when it is a date of the report's year or the next (else left out)."""
        report = self._report
        fields = self.editor.field_texts()
        out: dict[str, Any] = dict(self.editor.texts())
        out["title"] = None if report and fields["title"] == report.default_title else fields["title"]
        out["signature"] = None if report and fields["signature"] == report.institution \
            else fields["signature"]
        out["addressee"] = fields["addressee"]
        day = self._typed_date(fields["report_date"])
        if day is not False:
            out["report_date"] = day
        return out

    def _typed_date(self, text: str) -> date | None | bool:
        """The typed 成文日期 (None: blank, the default); False when it is no usable date."""
        if not text:
            look.mark_invalid(self.editor.date_edit, False)
            return None
        try:
            day = parse_date(text, "成文日期")
            if day.year not in (self.year, self.year + 1):
                raise InputError(f"成文日期应在{self.year}年或{self.year + 1}年")
        except InputError as exc:
            look.mark_invalid(self.editor.date_edit, True)
            self.editor.date_edit.setToolTip(f"{exc}。{self.editor.date_edit.toolTip()}")
            return False
        look.mark_invalid(self.editor.date_edit, False)
        return day

    def save(self) -> bool:
        """Write the selected unit's report when it changed; True when nothing is left unsaved."""
        self.autosave_timer.stop()
        if not self._unsaved or self._key is None:
            return True
        db, unit_id, year = self._key
        if Path(self.ctx.db_path) != db:
            return True  # the database was switched: the text belonged to the other one
        fields = self._fields_to_save()
        try:
            reporting.save_annual_report(self.ctx.store, unit_id, year, **fields)
        except AppError as exc:
            self.save_state.setText("保存失败")
            look.warn(self, "保存年度报告失败", f"{exc}\n\n您输入的内容仍在编辑框中，请稍后再试。")
            return False
        self._unsaved = False
        bad_date = "report_date" not in fields
        self.save_state.setText(f"已保存 {datetime.now():%H:%M}"
                                + ("（成文日期不正确，未保存该项）" if bad_date else ""))
        self._saved_refresh(unit_id, year)
        return True

    def _saved_refresh(self, unit_id: int, year: int) -> None:
        """The list's 报告 column after a save, and the news for the other pages."""
        states = annual_due.annual_report_states(self.ctx.store, year, self.ctx.today())
        fresh = next((s for s in states if s.unit_id == unit_id), None)
        row = self.unit_model.find_row("id", unit_id)
        if fresh is not None and row >= 0 and year == self.year:
            self.unit_model.row_at(row)["due"] = fresh
            self.unit_model.dataChanged.emit(self.unit_model.index(row, 0),
                                             self.unit_model.index(row, self.unit_model.columnCount() - 1))
            if self._due is not None and self._due.unit_id == unit_id:
                self._due = fresh
        self._notifying = True
        try:
            self.ctx.notify(ANNUAL_REPORTS)
        finally:
            self._notifying = False

    def _drop_foreign_text(self) -> None:
        """After a switch of database the editor's text is not the new one's: never save it
        there (it was saved to its own database on the last pause in typing)."""
        if self._key is not None and Path(self.ctx.db_path) != self._key[0]:
            self._unsaved = False
            self._key = None
            self._due = None

    # -- the draft -------------------------------------------------------------------------
    def ask_draft_mode(self) -> str | None:
        """"empty" (fill the empty parts), "all" (replace everything) or None (cancel)."""
        box = QMessageBox(QMessageBox.Icon.Question, "生成草稿",
                          "部分内容已经撰写。要如何使用生成的草稿？\n"
                          "（全部替换后，可在各部分中按 Ctrl+Z 找回原来的文字。）", parent=self)
        fill = box.addButton("只填空白部分", QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton("全部替换", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(fill)
        self.draft_box = box
        box.exec()
        clicked = box.clickedButton()
        return "empty" if clicked is fill else "all" if clicked is replace else None

    def generate_draft(self) -> list[str]:
        """Draft the parts (the empty ones, or all after asking); returns the keys written."""
        if self._due is None:
            return []
        filled = self.editor.filled_keys()
        mode = self.ask_draft_mode() if filled else "empty"
        if mode is None:
            return []
        try:
            draft = reporting.annual_draft(self.ctx.store, self._due.unit_id, self.year,
                                           self.ctx.today())
        except AppError as exc:
            look.warn(self, "生成草稿失败", str(exc))
            return []
        keys = [k for k in ANNUAL_KEYS if mode == "all" or k not in filled]
        for key in keys:
            self.editor.replace_text(key, draft.text(key))  # undoable with Ctrl+Z in the box
        self.save()
        items = self.editor.items()
        note = f"，还有 {len(items)} 处待完善" if items else ""
        self.ctx.notify_status(f"已生成草稿：{'、'.join(am.part_name(k) for k in keys)}{note}" if keys
                               else "各部分都已有内容，未作改动（要重新起草，请选择“全部替换”）")
        if items:
            self.editor.show_item(items[0])
        return keys

    # -- exporting -------------------------------------------------------------------------
    def _last_folder(self) -> str:
        folder = str(self.ctx.settings.value("annual/folder", "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def export(self, word: bool) -> Task | None:
        """导出PDF… / 导出Word…: what is saved, written on a worker; then the notes."""
        due = self._due
        if due is None or not self.save():
            return None
        suffix, kind = (".docx", "Word 文件 (*.docx)") if word else (".pdf", "PDF 文件 (*.pdf)")
        suggested = Path(self._last_folder()) / reporting.annual_file_name(
            self.ctx.store, due.unit_id, self.year, suffix)
        path, _ = QFileDialog.getSaveFileName(self, f"导出年度报告（{'Word' if word else 'PDF'}）",
                                              str(suggested), kind)
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        options = reporting.AnnualReportExport(due.unit_id, self.year, target, self.ctx.today())
        self.ctx.settings.setValue("annual/folder", str(options.target.parent))
        db_path = self.ctx.db_path

        def work(_control: TaskControl) -> reporting.AnnualExportResult:
            with open_worker_store(db_path) as store:
                return reporting.export_annual_report(store, options)

        self.task = run_with_progress(self, "正在生成年度报告", work, on_success=self._exported,
                                      on_failure=self._export_failed)
        return self.task

    def _exported(self, result: reporting.AnnualExportResult) -> None:
        self.task = None
        self.last_export = result
        self.ctx.notify_status(f"已导出年度报告：{result.path.name}")
        lines = [f"已导出：{result.path}"]
        if result.warning:
            lines.append(result.warning)
        if result.font_notice:
            lines.append(result.font_notice)
        answer = look.ask(self, "导出年度报告", "\n\n".join(lines) + "\n\n现在打开吗？",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))

    def _export_failed(self, message: str) -> None:
        self.task = None
        look.warn(self, "导出年度报告失败", message)

    # -- the preview -----------------------------------------------------------------------
    def _tab_changed(self) -> None:
        if self.preview_box is not None and self.tabs.currentWidget() is self.preview_box:
            self.refresh_preview()

    def _preview_if_shown(self) -> None:
        if self.preview_box is not None and self.tabs.currentWidget() is self.preview_box \
                and self.isVisible():
            self.refresh_preview()

    def refresh_preview(self, force: bool = False) -> Task | None:
        """The pages of what is saved, drawn on a worker (once per change)."""
        due = self._due
        if self.preview_box is None:
            return None
        if due is None or not self.save():
            return None
        wanted = (self._key, self._revision)
        if wanted == self._preview_shown and not force:
            return None
        if self.preview_task is not None:
            self._preview_again = True
            return self.preview_task
        self.preview_info.setText("正在生成预览…")
        if not self.preview.pages:
            self.preview.show_message("正在生成预览…")
        db_path, unit_id, year, today = self.ctx.db_path, due.unit_id, self.year, self.ctx.today()

        def work(control: TaskControl) -> list[Any]:
            with open_worker_store(db_path) as store:
                data = reporting.annual_report_bytes(store, unit_id, year, today, use_draft=False)
            return page_preview.render_pdf(data, should_stop=lambda: control.cancelled)

        def done(images: list[Any]) -> None:
            self.preview_task = None
            self._preview_shown = wanted
            self.preview.show_pages(images)
            self.preview_info.setText(f"共 {len(images)} 页 · 按已保存的内容生成，与导出的 PDF 相同"
                                      "（空白的部分不印出）")
            self._preview_next()

        def failed(message: str) -> None:
            self.preview_task = None
            self.preview_info.setText("")
            self.preview.show_message(message)
            self._preview_next()

        self.preview_task = run_in_background(self, work, done, failed)
        return self.preview_task

    def _preview_next(self) -> None:
        if self._preview_again:
            self._preview_again = False
            self._preview_if_shown()

    # -- the submission --------------------------------------------------------------------
    def toggle_submitted(self) -> QWidget | None:
        """标记为已报送… (asks the day), or 撤销报送标记 when it is marked."""
        due = self._due
        if due is None:
            return None
        if due.submitted_on is not None:
            push_mark(self.ctx, due.unit_id, self.year, None, due.submitted_on, due.institution,
                      on_error=lambda m: look.warn(self, "撤销报送标记", m))
            return None
        dialog = AnnualSubmitDialog(due.institution, self.year, due.deadline, self.ctx.today(), self)
        dialog.accepted.connect(lambda: push_mark(
            self.ctx, due.unit_id, due.year, dialog.chosen, None, due.institution,
            on_error=lambda m: look.warn(self, "标记为已报送", m)))
        self.dialog = dialog
        dialog.open()
        return dialog
