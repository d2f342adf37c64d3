"""A thin read-only table model over a list of dict rows (Vorta's shape: column constants and
``set_rows()``), shared by the people, rules and debrief pages. Each column says how to show a
row; sorting goes through a QSortFilterProxyModel on :data:`SORT_ROLE`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from duty_tracker.ui import look
from duty_tracker.ui.models.roles import ALIGNMENT, DISPLAY, FOREGROUND, HORIZONTAL, TOOLTIP

Row = dict[str, Any]
#: The value a proxy sorts by (numbers and ISO dates sort correctly, unlike display text).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The whole row dict, for views that need more than one cell.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

MUTED = QBrush(QColor(look.COLOURS["muted"]))
ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    header: str
    display: Callable[[Row], Any]
    sort: Callable[[Row], Any] | None = None
    tooltip: Callable[[Row], str | None] | None = None
    align: int = ALIGN_LEFT



class SimpleTableModel(QAbstractTableModel):
    COLUMNS: Sequence[Column] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    # -- rows ------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def find_row(self, key: str, value: Any) -> int:
        return next((i for i, r in enumerate(self._rows) if r.get(key) == value), -1)

    def is_muted(self, row: Row) -> bool:
        """Rows shown in grey (a leader out of office, an inactive duty)."""
        return False

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == DISPLAY:
            value = column.display(row)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            value = (column.sort or column.display)(row)
            return "" if value is None else value
        if role == ROW_ROLE:
            return row
        if role == TOOLTIP and column.tooltip:
            tip = column.tooltip(row)
            return look.plain(str(tip)) if tip else None
        if role == ALIGNMENT:
            return column.align
        if role == FOREGROUND and self.is_muted(row):
            return MUTED
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation is HORIZONTAL and role == DISPLAY:
            return self.COLUMNS[section].header
        return None
