"""履职纪实: the ledger as a sortable, filterable list that stays fast with 250,000 records
(lazy SQL paging in :class:`RecordTableModel`), with the selected record's details below.

Keyboard: Ctrl+N new (the main window calls :meth:`new_record`), Ctrl+F search, Enter opens,
Delete deletes (to the 回收站, undoable with Ctrl+Z). Newest first; the clerk may drag columns
into another order, resize them, hide them (列… or a right-click on the header) — all
remembered with the filters and the splitter. 导出当前列表 writes what the list shows to .xlsx.
An active filter is announced beside the count; another database starts unfiltered.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QWidget,
)

from duty_tracker.core.domain import RECORD_KINDS
from duty_tracker.core.services import exchange
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.core.storage.errors import StorageError
from duty_tracker.core.storage.records_repo import RecordFilter
from duty_tracker.core.storage.store import Store
from duty_tracker.ui import look
from duty_tracker.ui.commands import DeleteRecordsCommand, RestoreRecordsCommand
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.record_dialog import RecordDialog
from duty_tracker.ui.models.record_table_model import (
    COLUMN_OF,
    COLUMNS,
    EXPORTABLE,
    HIDDEN_BY_DEFAULT,
    RecordTableModel,
    hours_text,
)
from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange
from duty_tracker.ui.tasks import Task, TaskControl, run_with_progress
from duty_tracker.ui.widgets.date_range import DateRangeFilter
from duty_tracker.ui.widgets.searchable_combo import searchable_combo

_DEFAULT_WIDTHS = (92, 290, 64, 110, 220, 140, 120, 44, 120, 56)


class RecordsPage(RefreshOnDataChange, QWidget):
    DATA_KINDS = frozenset({"records", "people", "rules"})

    @property
    def store(self) -> Store:
        """Always the context's store: a restore from backup replaces it."""
        return self.ctx.store

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self._restoring = True
        self._user_sized = False
        self._fitting = False
        self.export_task: Task | None = None
        self.model = RecordTableModel(lambda: ctx.store, self)
        self._build()
        self._fill_choices()
        self._restore_settings()
        self._restoring = False
        self._text_timer = QTimer(self, singleShot=True, interval=250)
        self._text_timer.timeout.connect(self.apply_filter)
        self._connect()
        self.apply_filter()
        self.watch_data(ctx)

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        filters = self._build_filters()
        actions = self._build_actions()
        self._build_table()
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([480, 130])
        self.splitter.setChildrenCollapsible(False)

        layout = look.page_layout(self)
        for row in filters:
            layout.addLayout(row)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)
        self.restore_button.setVisible(False)

    def _build_filters(self) -> list[QHBoxLayout]:
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("搜索标题、内容、地点、参加人员、纪要文号（Ctrl+F）")
        self.search_edit.setClearButtonEnabled(True)
        self.leader_combo = searchable_combo(self, "全部负责人")
        self.unit_combo = searchable_combo(self, "全部单位")
        self.duty_combo = searchable_combo(self, "全部履职事项")
        self.article_combo = searchable_combo(self, "全部条款")
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem("全部类型", None)
        for kind in RECORD_KINDS:
            self.kind_combo.addItem(kind, kind)
        self.date_range = DateRangeFilter(self.ctx.today, self)
        self.clear_button = QPushButton("清除筛选", self)
        row1 = QHBoxLayout()
        row1.addWidget(self.search_edit, 3)
        row1.addWidget(QLabel("负责人"))
        row1.addWidget(self.leader_combo, 2)
        row1.addWidget(QLabel("单位"))
        row1.addWidget(self.unit_combo, 2)
        row1.addWidget(QLabel("类型"))
        row1.addWidget(self.kind_combo)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel("履职事项"))
        row2.addWidget(self.duty_combo, 3)
        row2.addWidget(QLabel("条款"))
        row2.addWidget(self.article_combo, 2)
        row2.addWidget(QLabel("日期"))
        row2.addWidget(self.date_range)
        row2.addWidget(self.clear_button)
        return [row1, row2]

    def _build_actions(self) -> QHBoxLayout:
        self.new_button = QPushButton("新建纪实", self)
        self.new_button.setToolTip("Ctrl+N")
        self.open_button = QPushButton("打开", self)
        self.open_button.setToolTip("Enter")
        self.delete_button = QPushButton("删除", self)
        self.delete_button.setToolTip("Delete，可用 Ctrl+Z 撤销")
        self.restore_button = QPushButton("恢复", self)
        self.restore_button.setToolTip("把选中的纪实从回收站恢复")
        self.bin_button = QToolButton(self)
        self.bin_button.setText("回收站")
        self.bin_button.setCheckable(True)
        self.bin_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.columns_button = QToolButton(self)
        self.columns_button.setText("选择列…")
        look.name(self.columns_button, "menuButton")
        self.columns_button.setToolTip("选择列表显示哪些列（也可在列标题上单击右键）；拖动列标题可调整顺序")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button = QPushButton("导出当前列表…", self)
        self.export_button.setToolTip("把当前筛选出的纪实按列表的列和顺序导出为 Excel（.xlsx）")
        self.filter_label = look.plain_label("已筛选", tone="warning", parent=self)
        self.filter_label.setToolTip("列表只显示符合筛选条件的纪实；点击“清除筛选”显示全部")
        self.count_label = look.plain_label(role="count", parent=self)
        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.delete_button, self.restore_button):
            actions.addWidget(button)
        actions.addSpacing(12)
        actions.addWidget(self.bin_button)
        actions.addStretch(1)
        actions.addWidget(self.filter_label)
        actions.addWidget(self.count_label)
        actions.addSpacing(8)
        actions.addWidget(self.columns_button)
        actions.addWidget(self.export_button)
        return actions

    def _build_table(self) -> None:
        self.table = look.table(self.model, parent=self, multi=True, sortable=True,
                                widths=_DEFAULT_WIDTHS)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.columns_menu = QMenu(self)
        for column, (_key, title, _sort) in enumerate(COLUMNS):
            action = self.columns_menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(True)
            action.setData(column)
            action.toggled.connect(lambda on, c=column: self.show_column(c, on))
        self.columns_button.setMenu(self.columns_menu)
        self._hide_new_columns(set())
        self.empty_state = look.EmptyState(self.table, self._empty_text)
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("选中一条纪实，这里显示详细内容。")

    def _fill_choices(self) -> None:
        """The filter choices: leaders, units, duties and articles of every rule set."""
        def refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            all_text = combo.itemText(0)
            combo.clear()
            combo.addItem(all_text, None)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

        refill(self.leader_combo, [(f"{row['name']}（{row['unit_name']}）", row["id"])
                                   for row in self.store.people.leaders()])
        refill(self.unit_combo, [(row["name"], row["id"]) for row in self.store.people.units()])
        rule_sets = self.store.rules.rule_sets()
        several = len(rule_sets) > 1
        duties, articles = [], []
        for rule_set in rule_sets:
            prefix = f"〔{rule_set['title'][:10]}〕" if several else ""
            for row in self.store.rules.duties(rule_set["id"], active_only=False):
                duties.append((f"{prefix}{row['article_ref']} {row['title']}".strip(), row["id"]))
            for row in self.store.rules.articles(rule_set["id"]):
                text = " ".join(row["text"].split())
                articles.append((f"{prefix}{row['label']} {text[:18]}…", row["id"]))
        refill(self.duty_combo, duties)
        refill(self.article_combo, articles)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(lambda _t: self._text_timer.start())
        self.search_edit.returnPressed.connect(self.apply_filter)
        for combo in (self.leader_combo, self.unit_combo, self.duty_combo, self.article_combo, self.kind_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.date_range.changed.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.bin_button.toggled.connect(self._bin_toggled)
        self.new_button.clicked.connect(self.new_record)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.total_changed.connect(self._show_count)
        self.model.sort_changed.connect(lambda c, o: self.table.horizontalHeader().setSortIndicator(c, o))
        self.model.modelReset.connect(self._selection_changed)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        header = self.table.horizontalHeader()
        header.sectionResized.connect(self._section_resized)
        header.sectionMoved.connect(lambda *_: self._save_header())
        header.sortIndicatorChanged.connect(lambda *_: self._save_header())
        header.customContextMenuRequested.connect(
            lambda pos: self.columns_menu.popup(header.mapToGlobal(pos)))
        self.export_button.clicked.connect(self.export_list)
        self.splitter.splitterMoved.connect(
            lambda *_: self.ctx.settings.setValue("records/splitter", self.splitter.saveState()))

    # -- filtering -------------------------------------------------------------------------
    def current_filter(self) -> RecordFilter:
        start, end = self.date_range.range()
        return RecordFilter(
            date_from=start, date_to=end,
            leader_id=self.leader_combo.currentData(), unit_id=self.unit_combo.currentData(),
            duty_id=self.duty_combo.currentData(), article_id=self.article_combo.currentData(),
            kind=self.kind_combo.currentData(), text=self.search_edit.text().strip(),
            deleted=self.bin_button.isChecked())

    def apply_filter(self) -> None:
        if self._restoring:
            return
        self._text_timer.stop()
        selected = self.selected_ids()
        try:
            self.model.set_filter(self.current_filter())
        except StorageError as exc:
            look.warn(self, "无法读取纪实", str(exc))
            return
        self._reselect(selected)
        self._save_filters()
        self._show_filter_state()

    def _empty_text(self) -> str:
        if self.bin_button.isChecked():
            return "回收站是空的：删除的纪实会先放在这里，可以恢复。"
        if self.filter_active():
            return "没有符合筛选条件的纪实。点击上方“清除筛选”显示全部纪实。"
        return "尚无履职纪实，按 Ctrl+N 新建（或点击“新建纪实”）。"

    def filter_active(self) -> bool:
        """True when a filter narrows the list (the recycle bin is a view, not a filter)."""
        flt = self.current_filter()
        return any((flt.date_from, flt.date_to, flt.leader_id is not None, flt.unit_id is not None,
                    flt.duty_id is not None, flt.article_id is not None, flt.kind, flt.text))

    def _show_filter_state(self) -> None:
        active = self.filter_active()
        self.filter_label.setVisible(active)
        self.clear_button.setEnabled(active)

    def clear_filters(self) -> None:
        self._restoring = True
        self.search_edit.clear()
        for combo in (self.leader_combo, self.unit_combo, self.duty_combo, self.article_combo, self.kind_combo):
            combo.setCurrentIndex(0)
        self.date_range.set_range(None, None)
        self._restoring = False
        self.apply_filter()

    def show_records(
        self, *, leader_id: int | None = None, duty_id: int | None = None,
        date_from: date | None = None, date_to: date | None = None,
    ) -> None:
        """Show exactly these records (from the dashboard): the other filters are cleared."""
        self._restoring = True
        self.bin_button.setChecked(False)
        self.search_edit.clear()
        for combo in (self.unit_combo, self.article_combo, self.kind_combo):
            combo.setCurrentIndex(0)
        self.leader_combo.setCurrentIndex(max(0, self.leader_combo.findData(leader_id)))
        self.duty_combo.setCurrentIndex(max(0, self.duty_combo.findData(duty_id)))
        self.date_range.set_range(date_from, date_to)
        self._restoring = False
        self.apply_filter()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _show_count(self, total: int) -> None:
        where = "回收站中" if self.bin_button.isChecked() else ""
        self.count_label.setText(f"{where}共 {total:,} 条".replace(",", ","))

    def _bin_toggled(self, on: bool) -> None:
        self.restore_button.setVisible(on)
        self.delete_button.setVisible(not on)
        self.new_button.setEnabled(not on)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.apply_filter()

    # -- selection and details -------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.record_id(r) for r in rows if r < self.model.rowCount()]

    def _reselect(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        for i, record_id in enumerate(ids):
            row = self.model.row_of(record_id)
            if row >= 0:
                flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                selection.select(self.model.index(row, 0), flags)
                if i == 0:
                    selection.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def _selection_changed(self, *_args: object) -> None:
        ids = self.selected_ids()
        self.open_button.setEnabled(len(ids) == 1 and not self.bin_button.isChecked())
        self.delete_button.setEnabled(bool(ids))
        self.restore_button.setEnabled(bool(ids))
        if len(ids) != 1:
            self.detail.setHtml("" if not ids else f"已选中 {len(ids)} 条纪实。")
            return
        try:
            record = self.store.records.record(ids[0])
        except StorageError:
            self.detail.clear()
            return
        self.detail.setHtml(self._detail_html(record))

    def _detail_html(self, record: dict[str, Any]) -> str:
        esc = html.escape
        row = self.model.row_dict(self.model.row_of(record["id"])) if self.model.row_of(record["id"]) >= 0 else {}
        parts = [f"<b style='font-size:11pt'>{esc(record['title'])}</b>"
                 + look.span(f"　{record['performed_on']} · {record['kind']}", "hint")]
        facts = [("负责人", row.get("leaders", "")), ("履职事项", row.get("duties", "")),
                 ("地点", record.get("place")), ("参加人员", record.get("participants")),
                 ("纪要文号", record.get("minutes_number")), ("学时", hours_text(record.get("hours")))]
        parts.append("<br>".join(f"{look.span(k + '：', 'hint')}{esc(str(v))}" for k, v in facts if v))
        if record.get("description"):
            parts.append(esc(record["description"]).replace("\n", "<br>"))
        if record["attachments"]:
            names = "、".join(esc(a["file_name"]) for a in record["attachments"])
            parts.append(f"{look.span('附件：', 'hint')}{names}")
        return "<p style='margin:0'>" + "</p><p style='margin:4px 0 0 0'>".join(parts) + "</p>"

    # -- actions ---------------------------------------------------------------------------
    def new_record(self, preset: dict[str, Any] | None = None) -> RecordDialog | None:
        """Open the form for a new record (non-blocking); returns the dialog."""
        if self.bin_button.isChecked():
            self.bin_button.setChecked(False)
        if preset is None:
            preset = {}
            if self.leader_combo.currentData() is not None:
                preset["leader_ids"] = [self.leader_combo.currentData()]
            if self.duty_combo.currentData() is not None:
                preset["duty_ids"] = [self.duty_combo.currentData()]
        dialog = RecordDialog(self.ctx, preset=preset, parent=self)
        dialog.saved.connect(self._after_save)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_selected(self) -> RecordDialog | None:
        ids = self.selected_ids()
        if len(ids) != 1 or self.bin_button.isChecked():
            return None
        try:
            dialog = RecordDialog(self.ctx, ids[0], parent=self)
        except StorageError as exc:
            look.warn(self, "无法打开纪实", str(exc))
            return None
        dialog.saved.connect(self._after_save)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _after_save(self, record_id: int) -> None:
        """Only the saved record is selected. (``selectRow`` would follow the keyboard: with Ctrl
        still down from Ctrl+S it toggled the row into the old selection, and the next 删除
        removed more than the clerk meant.)"""
        self.select_only(record_id)

    def select_only(self, record_id: int) -> bool:
        row = self.model.row_of(record_id)
        selection = self.table.selectionModel()
        if row < 0:
            selection.clearSelection()
            return False
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag
        selection.setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index)
        return True

    def delete_selected(self) -> bool:
        ids = self.selected_ids()
        if not ids or self.bin_button.isChecked():
            return False
        what = f"“{self.model.row_dict(self.model.row_of(ids[0]))['title']}”" if len(ids) == 1 else f"选中的 {len(ids)} 条纪实"
        answer = look.ask(
            self, "删除纪实", f"确定删除{what}吗？\n删除的纪实移入回收站，可用 Ctrl+Z 撤销或在回收站中恢复。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.ctx.undo_stack.push(DeleteRecordsCommand(self.ctx, ids))
        return True

    def restore_selected(self) -> bool:
        ids = self.selected_ids()
        if not ids or not self.bin_button.isChecked():
            return False
        self.ctx.undo_stack.push(RestoreRecordsCommand(self.ctx, ids))
        return True

    # -- page hooks ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def refresh_data(self) -> None:
        self._refresh()

    def _data_changed(self, kind: str) -> None:
        if kind in ("people", "rules", "all"):
            self._fill_choices()  # the filter choices follow at once, visible or not
        if kind == "all":  # another database (or a restore): its list starts unfiltered
            self.clear_filters()
            return
        super()._data_changed(kind)

    def _refresh(self) -> None:
        self._stale = False
        selected = self.selected_ids()
        scroll = self.table.verticalScrollBar().value()
        try:
            self.model.reload(keep_rows=self.model.rowCount())
        except StorageError as exc:
            look.warn(self, "无法读取纪实", str(exc))
            return
        self._reselect(selected)
        self.table.verticalScrollBar().setValue(scroll)

    # -- settings --------------------------------------------------------------------------
    def _save_filters(self) -> None:
        s = self.ctx.settings
        s.setValue("records/text", self.search_edit.text())
        for key, combo in self._combos().items():
            s.setValue(f"records/{key}", combo.currentData() if combo.currentData() is not None else "")
        s.setValue("records/dates", self.date_range.state())

    def _save_header(self) -> None:
        self.ctx.settings.setValue("records/header", self.table.horizontalHeader().saveState())
        self.ctx.settings.setValue("records/columns", ",".join(key for key, _h, _s in COLUMNS))

    def _hide_new_columns(self, known: set[str]) -> None:
        """Columns hidden by default stay hidden until the clerk shows them — also after a
        header saved before they existed is restored (Qt would show a new column)."""
        header = self.table.horizontalHeader()
        for key in HIDDEN_BY_DEFAULT - known:
            header.setSectionHidden(COLUMN_OF[key], True)
        self._sync_column_menu()

    # -- columns ---------------------------------------------------------------------------
    def show_column(self, column: int, visible: bool) -> None:
        header = self.table.horizontalHeader()
        if not visible and header.count() - header.hiddenSectionCount() <= 1:
            self._sync_column_menu()  # the last visible column stays
            return
        self._fitting = True  # showing a column resizes it: that is not the clerk sizing columns
        try:
            header.setSectionHidden(column, not visible)
        finally:
            self._fitting = False
        self._sync_column_menu()
        self._fit_columns()
        self._save_header()

    def visible_columns(self) -> list[str]:
        """The keys of the columns shown, in the order the clerk arranged them."""
        header = self.table.horizontalHeader()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [COLUMNS[i][0] for i in logical if not header.isSectionHidden(i)]

    def _sync_column_menu(self) -> None:
        header = self.table.horizontalHeader()
        for action in self.columns_menu.actions():
            action.blockSignals(True)
            action.setChecked(not header.isSectionHidden(action.data()))
            action.blockSignals(False)

    def _section_resized(self, *_args: object) -> None:
        if not self._fitting and not self._user_sized:
            self._user_sized = True  # the clerk sized a column: keep his widths from now on
            self.ctx.settings.setValue("records/user_sized", True)
        self._save_header()

    def _fit_columns(self) -> None:
        """Until the clerk sizes columns himself, 标题 and 履职事项 take the room left — or give
        it up, down to ten characters each, so that the list needs no sideways scrolling."""
        if self._user_sized or not self.table.isVisible():
            return
        header = self.table.horizontalHeader()
        bar = self.table.verticalScrollBar()
        room = self.table.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width())
        free = room - header.length()  # the scroll bar's width kept free: it comes with the rows
        grow = [(COLUMN_OF[k], share) for k, share in (("title", 0.55), ("duties", 0.45))
                if not header.isSectionHidden(COLUMN_OF[k])]
        if not free or not grow:
            return
        least = look.char_width(self, 10)
        self._fitting = True
        try:
            total = sum(share for _c, share in grow)
            left = free
            for position, (column, share) in enumerate(grow):
                delta = left if position == len(grow) - 1 else round(free * share / total)
                left -= delta
                header.resizeSection(column, max(least, header.sectionSize(column) + delta))
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_columns)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_columns)

    # -- export ----------------------------------------------------------------------------
    def export_list(self) -> Task | None:
        """导出当前列表: what the list shows (filter, visible columns in order, sort) to .xlsx."""
        folder = str(self.ctx.settings.value("records/export_dir", "") or Path.home())
        name = "回收站中的纪实.xlsx" if self.bin_button.isChecked() else "履职纪实列表.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出当前列表", str(Path(folder) / name),
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        options = exchange.RecordListExport(
            path=Path(path), filter=self.current_filter(),
            columns=tuple(c for c in self.visible_columns() if c in EXPORTABLE),
            order_by=self.model.order_by, descending=self.model.descending)
        self.ctx.settings.setValue("records/export_dir", str(options.target.parent))
        db_path = self.ctx.db_path

        def work(control: TaskControl) -> int:
            control.progress(0, 0, f"正在导出 {self.model.total:,} 条纪实…")
            with open_worker_store(db_path) as store:
                return exchange.export_record_list(store, options)

        def done(count: int) -> None:
            self.export_task = None
            self.ctx.notify_status(f"已导出 {count:,} 条纪实到 {options.target.name}")
            look.inform(self, "导出当前列表", f"已导出 {count:,} 条纪实：\n{options.target}")

        self.export_task = run_with_progress(self, "导出当前列表", work, on_success=done)
        return self.export_task

    def _combos(self) -> dict[str, QComboBox]:
        return {"leader": self.leader_combo, "unit": self.unit_combo, "duty": self.duty_combo,
                "article": self.article_combo, "kind": self.kind_combo}

    def _restore_settings(self) -> None:
        s = self.ctx.settings
        self.search_edit.setText(str(s.value("records/text", "") or ""))
        for key, combo in self._combos().items():
            value = s.value(f"records/{key}", "")
            if value not in (None, ""):
                data = value if key == "kind" else _as_int(value)
                combo.setCurrentIndex(max(0, combo.findData(data)))
        self.date_range.restore(str(s.value("records/dates", "不限") or "不限"))
        header = s.value("records/header")
        if isinstance(header, QByteArray | bytes) and self.table.horizontalHeader().restoreState(header):
            # the clerk's widths, as he left them (widths the page fitted keep following the window)
            self._user_sized = str(s.value("records/user_sized", "")).lower() == "true"
            self._hide_new_columns(set(str(s.value("records/columns", "") or "").split(",")))
            # the sort shown by the restored header is the sort used
            self.model._order_by = COLUMNS[self.table.horizontalHeader().sortIndicatorSection()][2] or "performed_on"
            self.model._descending = self.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        splitter = s.value("records/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(splitter)


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
