"""负责人与单位: the unit tree on the left, the selected unit's leaders on the right, with the
dialogs to add, edit and delete them, the 交接 (handover) action and the roster .xlsx buttons.

The page holds no SQL: it reads and writes through ``ctx.store.people`` and broadcasts
``ctx.notify("people")`` after every change."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.storage.errors import StorageError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.handover_dialog import HandoverDialog
from duty_tracker.ui.dialogs.leader_dialog import LeaderDialog
from duty_tracker.ui.dialogs.unit_dialog import UnitDialog
from duty_tracker.ui.models.people_models import UNIT_ID_ROLE, LeaderTableModel, UnitTreeModel
from duty_tracker.ui.models.simple_table_model import SORT_ROLE
from duty_tracker.ui.pages.data_refresh import RefreshOnDataChange

ROSTER_MODULE = "duty_tracker.core.exchange.roster_xlsx"

def roster_available() -> bool:
    try:
        return importlib.util.find_spec(ROSTER_MODULE) is not None
    except ModuleNotFoundError:
        return False


class PeoplePage(RefreshOnDataChange, QWidget):
    DATA_KINDS = frozenset({"people"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self.dialog: QWidget | None = None  # the dialog currently open (tests reach it here)

        outer = look.page_layout(self)
        outer.addLayout(self._build_header())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)
        splitter.addWidget(self._build_units())
        splitter.addWidget(self._build_leaders())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 780])

        self.unit_view.selectionModel().currentChanged.connect(lambda *_: self._unit_changed())
        self.leader_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.watch_data(ctx)
        self.reload()

    def _build_header(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.addWidget(look.page_header("负责人与单位", "维护单位层级、党政主要负责人及其任职起止日期；"
                                       "任期决定负责人对哪些周期的履职事项负责。"), 1)
        self.import_roster_button = QPushButton("导入名册…")
        self.export_roster_button = QPushButton("导出名册…")
        self.import_roster_button.setToolTip("从 Excel 名册（.xlsx）导入单位、负责人和任期")
        self.export_roster_button.setToolTip("把单位、负责人和任期导出为 Excel 名册（.xlsx）")
        self.import_roster_button.clicked.connect(self.import_roster)
        self.export_roster_button.clicked.connect(self.export_roster)
        has_roster = roster_available()
        for button in (self.import_roster_button, self.export_roster_button):
            button.setVisible(has_roster)
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return top

    def _build_units(self) -> QWidget:
        """The unit tree with its filter and buttons (left)."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        self.unit_filter = QLineEdit()
        self.unit_filter.setPlaceholderText("查找单位（Ctrl+F）")
        self.unit_filter.setClearButtonEnabled(True)
        left_layout.addWidget(self.unit_filter)
        self.unit_model = UnitTreeModel(self)
        self.unit_proxy = QSortFilterProxyModel(self)
        self.unit_proxy.setSourceModel(self.unit_model)
        self.unit_proxy.setRecursiveFilteringEnabled(True)
        self.unit_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.unit_proxy.setFilterKeyColumn(0)
        self.unit_filter.textChanged.connect(self._filter_units)
        self.unit_view = QTreeView()
        look.name(self.unit_view, "unitTree")
        self.unit_view.setModel(self.unit_proxy)
        self.unit_view.setUniformRowHeights(True)
        self.unit_view.setAlternatingRowColors(True)
        self.unit_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.unit_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.unit_view.doubleClicked.connect(lambda _i: self.edit_unit())
        self.unit_empty = look.EmptyState(self.unit_view, lambda: (
            f"没有名称含“{self.unit_filter.text().strip()}”的单位。" if self.unit_filter.text().strip()
            else "尚无单位。点击下方“新增单位…”建立本单位，或用右上方“导入名册…”从 Excel 名册导入。"))
        left_layout.addWidget(self.unit_view, 1)
        unit_buttons = QHBoxLayout()
        self.add_unit_button = QPushButton("新增单位…")
        self.add_child_button = QPushButton("新增下级…")
        self.edit_unit_button = QPushButton("修改…")
        self.delete_unit_button = QPushButton("删除")
        self.add_unit_button.clicked.connect(self.add_unit)
        self.add_child_button.clicked.connect(lambda: self.add_unit(child=True))
        self.edit_unit_button.clicked.connect(self.edit_unit)
        self.delete_unit_button.clicked.connect(self.delete_unit)
        for button in (self.add_unit_button, self.add_child_button, self.edit_unit_button, self.delete_unit_button):
            unit_buttons.addWidget(button)
        left_layout.addLayout(unit_buttons)
        return left

    def _build_leaders(self) -> QWidget:
        """The selected unit's leaders with their buttons (right)."""
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        self.unit_title = look.section_label()
        right_layout.addWidget(self.unit_title)
        self.leader_model = LeaderTableModel(self.ctx.today(), self)
        self.leader_proxy = QSortFilterProxyModel(self)
        self.leader_proxy.setSourceModel(self.leader_model)
        self.leader_proxy.setSortRole(SORT_ROLE)
        self.leader_view = look.table(self.leader_proxy, sortable=True, stretch=1,
                                      widths=(90, 170, 130, 190, 70))
        self.leader_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # party head first, as stored
        self.leader_view.doubleClicked.connect(lambda _i: self.edit_leader())
        right_layout.addWidget(self.leader_view, 1)
        self.empty_hint = look.hint_label()
        right_layout.addWidget(self.empty_hint)
        leader_buttons = QHBoxLayout()
        self.add_leader_button = QPushButton("新增负责人…")
        self.edit_leader_button = QPushButton("修改…")
        self.delete_leader_button = QPushButton("删除")
        self.handover_button = QPushButton("交接…")
        self.handover_button.setToolTip("原负责人任期于交接日前一天结束，接任者自交接日起任职")
        self.add_leader_button.clicked.connect(self.add_leader)
        self.edit_leader_button.clicked.connect(self.edit_leader)
        self.delete_leader_button.clicked.connect(self.delete_leader)
        self.handover_button.clicked.connect(self.handover)
        for button in (self.add_leader_button, self.edit_leader_button, self.delete_leader_button):
            leader_buttons.addWidget(button)
        leader_buttons.addStretch(1)
        leader_buttons.addWidget(self.handover_button)
        right_layout.addLayout(leader_buttons)
        return right

    # -- page hooks ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.unit_filter.setFocus()
        self.unit_filter.selectAll()

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        keep_unit = self.current_unit_id()
        keep_leader = self.current_leader_id()
        people = self.ctx.store.people
        self._all_leaders = people.leaders()
        counts = Counter(leader["unit_id"] for leader in self._all_leaders)
        self.unit_model.set_units(people.units(), counts)
        self.unit_view.expandAll()
        self._stale = False
        if keep_unit is None or not self.select_unit(keep_unit):
            first = self.unit_proxy.index(0, 0)
            if first.isValid():
                self.unit_view.setCurrentIndex(first)
        self._unit_changed()
        if keep_leader is not None:
            self.select_leader(keep_leader)
        self._update_buttons()

    def _filter_units(self, text: str) -> None:
        self.unit_proxy.setFilterFixedString(text.strip())
        self.unit_view.expandAll()

    def current_unit_id(self) -> int | None:
        index = self.unit_view.currentIndex()
        if not index.isValid():
            return None
        return self.unit_proxy.index(index.row(), 0, index.parent()).data(UNIT_ID_ROLE)

    def current_unit(self) -> dict[str, Any] | None:
        unit_id = self.current_unit_id()
        return None if unit_id is None else self.ctx.store.people.unit(unit_id)

    def select_unit(self, unit_id: int) -> bool:
        source = self.unit_model.index_of_unit(unit_id)
        if source is None:
            return False
        index = self.unit_proxy.mapFromSource(source)
        if not index.isValid():
            return False
        self.unit_view.setCurrentIndex(index)
        self.unit_view.scrollTo(index)
        return True

    def current_leader(self) -> dict[str, Any] | None:
        rows = self.leader_view.selectionModel().selectedRows() if self.leader_view.selectionModel() else []
        if not rows:
            return None
        return self.leader_model.row_at(self.leader_proxy.mapToSource(rows[0]).row())

    def current_leader_id(self) -> int | None:
        leader = self.current_leader() if hasattr(self, "leader_model") else None
        return leader["id"] if leader else None

    def select_leader(self, leader_id: int) -> bool:
        row = self.leader_model.find_row("id", leader_id)
        if row < 0:
            return False
        index = self.leader_proxy.mapFromSource(self.leader_model.index(row, 0))
        self.leader_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.leader_view.scrollTo(index)
        return True

    def _unit_changed(self) -> None:
        unit = self.current_unit()
        self.leader_model.today = self.ctx.today()
        if unit is None:
            self.unit_title.setText("尚无单位")
            self.leader_model.set_rows([])
            self.empty_hint.setText("请先点击左下方“新增单位…”建立单位，再为单位添加负责人。")
        else:
            leaders = [leader for leader in self._all_leaders if leader["unit_id"] == unit["id"]]
            self.unit_title.setText(f"{unit['name']}（{unit['level']}）　负责人 {len(leaders)} 名")
            self.leader_model.set_rows(leaders)
            self.empty_hint.setText("" if leaders else "该单位尚无负责人，点击“新增负责人…”添加。")
        self.empty_hint.setVisible(bool(self.empty_hint.text()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_unit = self.current_unit_id() is not None
        leader = self.current_leader()
        for button in (self.add_child_button, self.edit_unit_button, self.delete_unit_button, self.add_leader_button):
            button.setEnabled(has_unit)
        for button in (self.edit_leader_button, self.delete_leader_button):
            button.setEnabled(leader is not None)
        self.handover_button.setEnabled(
            leader is not None and any(t["end_date"] is None for t in leader["terms"]))

    def _changed(self, note: str = "已保存") -> None:
        self.ctx.notify("people")
        self.ctx.notify_status(note)
        if not self.isVisible():
            self.reload()

    # -- units -----------------------------------------------------------------------------
    def _open(self, dialog: QWidget, on_accepted) -> None:  # noqa: ANN001
        """Open ``dialog`` window-modal (not blocking: tests and the event loop keep running)."""
        self.dialog = dialog
        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()

    def add_unit(self, child: bool = False) -> None:
        parent_id = self.current_unit_id() if child else None
        dialog = UnitDialog(self.ctx, parent_id=parent_id, parent=self)

        def done() -> None:
            self._changed(f"已新增单位“{dialog.name_edit.text().strip()}”")
            self.select_unit(dialog.unit_id)
        self._open(dialog, done)

    def edit_unit(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        dialog = UnitDialog(self.ctx, unit, parent=self)
        self._open(dialog, lambda: self._changed(f"已保存单位“{dialog.name_edit.text().strip()}”"))

    def delete_unit(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        answer = look.ask(
            self, "删除单位", f"确定删除单位“{unit['name']}”吗？\n其下级单位将成为顶级单位。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ctx.store.people.delete_unit(unit["id"])
        except StorageError as exc:
            look.warn(self, "无法删除单位", str(exc))
            return
        self._changed(f"已删除单位“{unit['name']}”")

    # -- leaders ---------------------------------------------------------------------------
    def add_leader(self) -> None:
        dialog = LeaderDialog(self.ctx, unit_id=self.current_unit_id(), parent=self)

        def done() -> None:
            self._changed(f"已新增负责人“{dialog.name_edit.text().strip()}”")
            leader = self.ctx.store.people.leader(dialog.leader_id)
            self.select_unit(leader["unit_id"])
            self.select_leader(dialog.leader_id)
        self._open(dialog, done)

    def edit_leader(self) -> None:
        leader = self.current_leader()
        if leader is None:
            return
        dialog = LeaderDialog(self.ctx, self.ctx.store.people.leader(leader["id"]), parent=self)
        self._open(dialog, lambda: self._changed(f"已保存负责人“{dialog.name_edit.text().strip()}”"))

    def delete_leader(self) -> None:
        leader = self.current_leader()
        if leader is None:
            return
        answer = look.ask(
            self, "删除负责人", f"确定删除负责人“{leader['name']}”及其任期记录吗？\n"
            "有履职纪实的负责人不能删除；已离任的请在任期中填写结束日期。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ctx.store.people.delete_leader(leader["id"])
        except StorageError as exc:
            look.warn(self, "无法删除负责人", str(exc))
            return
        self._changed(f"已删除负责人“{leader['name']}”")

    def handover(self) -> None:
        leader = self.current_leader()
        if leader is None:
            return
        dialog = HandoverDialog(self.ctx, leader, parent=self)

        def done() -> None:
            self._changed(f"已完成交接：{leader['name']}的任期已结束")
            if dialog.successor_id is not None:
                self.select_leader(dialog.successor_id)
        self._open(dialog, done)

    # -- roster ----------------------------------------------------------------------------
    def export_roster(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出名册", str(Path.home() / "负责人名册.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        roster = importlib.import_module(ROSTER_MODULE)
        try:
            count = roster.export_roster(self.ctx.store, Path(path))
        except (StorageError, ValueError, OSError) as exc:
            look.warn(self, "导出名册失败", str(exc))
            return
        look.inform(self, "导出名册", f"已导出 {count} 行到：\n{path}")

    def import_roster(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入名册", str(Path.home()), "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        roster = importlib.import_module(ROSTER_MODULE)
        try:
            preview = roster.preview_roster(self.ctx.store, Path(path))
        except (StorageError, ValueError, OSError) as exc:
            look.warn(self, "导入名册失败", str(exc))
            return
        from duty_tracker.ui.dialogs.roster_import_dialog import RosterImportDialog

        dialog = RosterImportDialog(self.ctx, preview, parent=self)

        def done() -> None:
            self._changed()
            look.inform(self, "导入名册", f"名册已导入。{dialog.result_summary}")
        self._open(dialog, done)

    def index_for_unit(self, unit_id: int) -> QModelIndex | None:
        source = self.unit_model.index_of_unit(unit_id)
        return self.unit_proxy.mapFromSource(source) if source is not None else None
