"""The record list as a lazily filled table model: the first page comes from
``store.records.search()`` (SQL ``LIMIT/OFFSET``), further pages when the view scrolls to the
end (``canFetchMore``/``fetchMore``), so 250,000 records never sit in memory. Sorting is the
SQL ``ORDER BY`` of :meth:`sort`; the total comes from ``store.records.count()``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from duty_tracker.core.exchange.record_list_xlsx import LIST_COLUMNS, header_of
from duty_tracker.core.storage.records_repo import RecordFilter
from duty_tracker.core.storage.store import Store
from duty_tracker.ui.models.roles import ALIGNMENT, DISPLAY, TOOLTIP

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 200
#: Below this many matches the query scans and sorts instead of walking the date index.
SELECTIVE_BELOW = 2000

_SORT_KEYS = {"performed_on": "performed_on", "title": "title", "kind": "kind", "place": "place",
              "minutes_number": "minutes_number", "created_at": "created_at"}
#: (row key, header, ORDER BY key or None when the column cannot be sorted in SQL); the headers
#: are the ones the list's .xlsx export writes.
COLUMNS: tuple[tuple[str, str, str | None], ...] = tuple(
    (key, column.header, _SORT_KEYS.get(key)) for key, column in LIST_COLUMNS.items())
COLUMN_OF = {key: i for i, (key, _h, _s) in enumerate(COLUMNS)}
#: Columns a new list hides until the clerk shows them (column chooser): study hours matter
#: only where the rules count 学时.
HIDDEN_BY_DEFAULT = frozenset({"hours"})
#: Columns the 导出当前列表 workbook can carry.
EXPORTABLE = frozenset(LIST_COLUMNS)


def hours_text(value: object) -> str:
    """"2", "1.5" ("" when the record carries no hours)."""
    if value is None or value == "":
        return ""
    try:
        return f"{float(value):g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


class RecordTableModel(QAbstractTableModel):
    total_changed = Signal(int)
    #: the view should show this sort indicator (after a click on a column that cannot sort)
    sort_changed = Signal(int, Qt.SortOrder)

    def __init__(self, store: Store | Callable[[], Store], parent: Any = None) -> None:
        """``store`` may be a callable returning the current store (a restore replaces it)."""
        super().__init__(parent)
        self._store = store
        self._filter = RecordFilter()
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self._order_by = "performed_on"
        self._descending = True
        self._selective = False

    @property
    def store(self) -> Store:
        return self._store() if callable(self._store) else self._store

    # -- loading ---------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def record_filter(self) -> RecordFilter:
        return self._filter

    def set_filter(self, flt: RecordFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self, keep_rows: int = 0) -> None:
        """Count and load the first page (or as many rows as were shown, up to ``keep_rows``)."""
        self.beginResetModel()
        self._total = self.store.records.count(self._filter)
        self._selective = self._total < SELECTIVE_BELOW
        want = max(PAGE_SIZE, min(keep_rows, 5000))
        self._rows = self._page(0, want) if self._total else []
        self.endResetModel()
        self.total_changed.emit(self._total)

    def _page(self, offset: int, limit: int) -> list[dict[str, Any]]:
        return self.store.records.search(
            self._filter, order_by=self._order_by, descending=self._descending,
            limit=limit, offset=offset, selective=self._selective)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008 - Qt API
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008 - Qt API
        if parent.isValid():
            return
        more = self._page(len(self._rows), PAGE_SIZE)
        if not more:
            self._total = len(self._rows)
            self.total_changed.emit(self._total)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        if key is None:
            self.sort_changed.emit(self.sort_column(), self.sort_order())
            return
        if key == "created_at" and self._filter.deleted:
            key = "deleted_at"
        self._order_by = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    @property
    def order_by(self) -> str:
        """The SQL sort key of the list (the export writes the rows in the same order)."""
        return self._order_by

    @property
    def descending(self) -> bool:
        return self._descending

    def sort_column(self) -> int:
        key = "created_at" if self._order_by == "deleted_at" else self._order_by
        return COLUMN_OF.get(key, 0)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    # -- access ----------------------------------------------------------------------------
    def record_id(self, row: int) -> int:
        return int(self._rows[row]["id"])

    def row_dict(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def row_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r["id"] == record_id), -1)

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == DISPLAY:
            key, header, _sort = COLUMNS[section]
            return header_of(key, deleted=self._filter.deleted) if key in LIST_COLUMNS else header
        if role == TOOLTIP and COLUMNS[section][2] is None:
            return "此列不能排序"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == DISPLAY:
            if key == "created_at":
                value = row.get("deleted_at") if self._filter.deleted else row.get("created_at")
                return (value or "").replace("T", " ")[:16]
            if key == "attachment_count":
                return str(row[key]) if row.get(key) else ""
            if key == "hours":
                return hours_text(row.get("hours"))
            value = row.get(key)
            return "" if value is None else str(value)
        if role == ID_ROLE:
            return row["id"]
        if role == ALIGNMENT and key in ("performed_on", "kind", "attachment_count",
                                                                 "hours"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
