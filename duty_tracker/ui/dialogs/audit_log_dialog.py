"""数据 → 操作日志: who changed what and when, with before/after.

``AuditTableModel`` is a thin QAbstractTableModel over ``core.storage.audit_queries`` that
fetches pages of 200 rows from SQL as the view scrolls (``canFetchMore``/``fetchMore``), so a
long log never sits in memory. ``AuditLogView`` adds the filters, the before/after pane, export
to .xlsx and the 恢复 button; ``AuditLogDialog`` shows it in its own window (e.g. the history of
one record: ``AuditLogDialog(ctx, row_uuid=…)``).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.errors import AppError
from duty_tracker.core.services.exchange import export_audit_log
from duty_tracker.core.storage import audit_queries as aq
from duty_tracker.ui import look
from duty_tracker.ui.models.roles import DISPLAY, FOREGROUND, HORIZONTAL, TOOLTIP

PAGE = 200
COLUMNS = ("时间", "用户", "操作", "数据", "内容")
NO_DATE = QDate(2000, 1, 1)
_ACTION_COLOURS = {"insert": "#1d6b35", "update": "#14396b", "delete": "#a23b2a"}


class AuditTableModel(QAbstractTableModel):
    def __init__(self, log_fn, parent=None) -> None:  # noqa: ANN001 - returns the store's audit log
        super().__init__(parent)
        self._log_fn = log_fn
        self.filter = aq.AuditFilter()
        self.rows: list[dict[str, Any]] = []
        self.total = 0

    def reload(self, flt: aq.AuditFilter | None = None) -> None:
        self.beginResetModel()
        if flt is not None:
            self.filter = flt
        log = self._log_fn()
        self.total = log.count(self.filter)
        self.rows = log.page(self.filter, limit=PAGE, offset=0)
        self.endResetModel()

    def row_at(self, index: int) -> dict[str, Any] | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        more = self._log_fn().page(self.filter, limit=PAGE, offset=len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation is HORIZONTAL and role == DISPLAY:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == DISPLAY:
            return (
                row["at"].replace("T", " "), row["actor"], aq.ACTION_LABELS.get(row["action"], row["action"]),
                aq.TABLE_LABELS.get(row["table_name"], row["table_name"]), row["summary"],
            )[column]
        if role == FOREGROUND and column == 2:
            return QColor(_ACTION_COLOURS.get(row["action"], "#000000"))
        if role == TOOLTIP and column == 4:
            return look.plain(row["summary"])
        return None


def diff_html(row: dict[str, Any]) -> str:
    changes = aq.diff(row)
    head = (f"<p><b>{escape(row['at'].replace('T', ' '))}</b>　{escape(row['actor'])}　"
            f"{aq.ACTION_LABELS.get(row['action'], '')}{aq.TABLE_LABELS.get(row['table_name'], row['table_name'])}"
            f"：{escape(row['summary'])}</p>")
    if not changes:
        return head + ("<p>（内容没有变化，只记录了修改时间）</p>" if row["action"] == "update" else "<p>（没有可显示的字段）</p>")
    cells = "".join(
        f"<tr><td style='color:#555;padding:2px 8px'>{escape(k)}</td>"
        f"<td style='background:#fbe9e7;padding:2px 8px'>{escape(b).replace(chr(10), '<br>')}</td>"
        f"<td style='background:#e8f5e9;padding:2px 8px'>{escape(a).replace(chr(10), '<br>')}</td></tr>"
        for k, b, a in changes)
    return (head + "<table cellspacing='0' style='border-collapse:collapse'>"
            "<tr><th align='left'>字段</th><th align='left'>修改前</th><th align='left'>修改后</th></tr>"
            f"{cells}</table>")


def _bound(edit: QDateEdit):  # noqa: ANN202
    return None if edit.date() == NO_DATE else edit.date().toPython()


class AuditLogView(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None, *, row_uuid: str | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.row_uuid = row_uuid
        self.model = AuditTableModel(lambda: self.ctx.store.audit_log, self)

        self.table_combo = QComboBox()
        self.table_combo.addItem("全部数据", None)
        for key, label in aq.TABLE_LABELS.items():
            self.table_combo.addItem(label, key)
        self.actor_combo = QComboBox()
        self.action_combo = QComboBox()
        self.action_combo.addItem("全部操作", None)
        for key, label in aq.ACTION_LABELS.items():
            self.action_combo.addItem(label, key)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText("不限")  # shown at the minimum date: no bound
            edit.setDate(NO_DATE)
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText("搜索内容（标题、姓名…）")
        self.text_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.export_button = QPushButton("导出 Excel…")
        self.restore_button = QPushButton("恢复")
        self.restore_button.setToolTip("恢复所选的被删除的数据")
        self.restore_button.setEnabled(False)

        filters = QHBoxLayout()
        for widget in (self.table_combo, self.actor_combo, self.action_combo, QLabel("从"), self.date_from,
                       QLabel("到"), self.date_to):
            filters.addWidget(widget)
        filters.addWidget(self.text_edit, 1)
        filters.addWidget(self.export_button)
        filters.addWidget(self.restore_button)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        for column, width in enumerate((150, 90, 56, 90)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.detail = QTextBrowser()
        self.detail.setPlaceholderText("选择一条日志，查看修改前后的内容")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setSizes([420, 200])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        for combo in (self.table_combo, self.actor_combo, self.action_combo):
            combo.currentIndexChanged.connect(self.reload)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        self.text_edit.returnPressed.connect(self.reload)
        self.text_edit.textChanged.connect(lambda t: self.reload() if not t else None)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.export_button.clicked.connect(self.export)
        self.restore_button.clicked.connect(self.restore_selected)
        self.refresh_actors()
        self.reload()

    def refresh_actors(self) -> None:
        current = self.actor_combo.currentData()
        self.actor_combo.blockSignals(True)
        self.actor_combo.clear()
        self.actor_combo.addItem("全部用户", None)
        for actor in self.ctx.store.audit_log.actors():
            self.actor_combo.addItem(actor, actor)
        index = self.actor_combo.findData(current)
        self.actor_combo.setCurrentIndex(max(index, 0))
        self.actor_combo.blockSignals(False)

    def current_filter(self) -> aq.AuditFilter:
        return aq.AuditFilter(
            table=self.table_combo.currentData(), actor=self.actor_combo.currentData(),
            action=self.action_combo.currentData(), date_from=_bound(self.date_from),
            date_to=_bound(self.date_to), text=self.text_edit.text(), row_uuid=self.row_uuid)

    def reload(self) -> None:
        self.model.reload(self.current_filter())
        self.count_label.setText(f"共 {self.model.total} 条操作记录")
        self.detail.clear()
        self.restore_button.setEnabled(False)

    def selected_row(self) -> dict[str, Any] | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row())
        if row is None:
            self.detail.clear()
            self.restore_button.setEnabled(False)
            return
        self.detail.setHtml(diff_html(row))
        self.restore_button.setEnabled(self.ctx.store.audit_log.restorable(row))

    def restore_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        answer = look.ask(self, "恢复", f"恢复被删除的数据“{row['summary']}”？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            message = self.ctx.store.audit_log.restore(row["id"])
        except AppError as exc:
            look.warn(self, "恢复", str(exc))
            return
        self.ctx.notify("records" if row["table_name"].startswith("record") else "all")
        self.refresh_actors()
        self.reload()
        look.inform(self, "恢复", message)

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出操作日志", "操作日志.xlsx", "Excel 文件 (*.xlsx)")
        if not path:
            return
        try:
            count = export_audit_log(self.ctx.store, Path(path), self.current_filter())
        except AppError as exc:
            look.warn(self, "导出操作日志", str(exc))
            return
        look.inform(self, "导出操作日志", f"已导出 {count} 条操作记录到：\n{path}")


class AuditLogDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None, *, row_uuid: str | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("操作日志" if row_uuid is None else "修改历史")
        look.roomy_dialog(self)
        self.resize(1100, 680)
        layout = QVBoxLayout(self)
        self.view = AuditLogView(ctx, self, row_uuid=row_uuid)
        layout.addWidget(self.view)
