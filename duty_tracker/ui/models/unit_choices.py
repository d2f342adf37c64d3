"""The units a combo box offers to choose from (the dashboard's unit filter)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex

from duty_tracker.ui.models.roles import DISPLAY, USER


class UnitChoiceModel(QAbstractListModel):
    """The units of a chooser (a combo box): "全部单位" first (data None), then each unit's name
    with its id as the item's data. Set in one go: a combo filled item by item costs a city's
    900 units one call into Qt each."""

    def __init__(self, everything: str = "全部单位", parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int | None, str]] = [(None, everything)]
        self._everything = everything

    def set_units(self, units: list[tuple[int, str]]) -> None:
        self.beginResetModel()
        self._rows = [(None, self._everything), *units]
        self.endResetModel()

    def row_of(self, unit_id: int | None) -> int:
        """The row showing ``unit_id`` (0, 全部单位, when it is not listed)."""
        return next((row for row, (uid, _name) in enumerate(self._rows) if uid == unit_id), 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        unit_id, name = self._rows[index.row()]
        if role == DISPLAY:
            return name
        if role == USER:
            return unit_id
        return None
