"""Lists shown a batch at a time (Qt's canFetchMore/fetchMore).

A city has 2,000 leaders and a screen shows thirty: the views build nothing for rows never
scrolled to, and the models work a row out only when it is painted. The mixin holds the one
fetching rule for every such table model; a model says how long its list is
(:meth:`FetchInBatches._batch_total`) and resets ``_shown`` with :meth:`_first_batch`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

#: Rows a list exposes at a time.
BATCH = 200

Index = QModelIndex | QPersistentModelIndex


class FetchInBatches:
    """Mixin before a Qt table model: rowCount, canFetchMore and fetchMore over a list."""

    _shown: int = 0

    def _batch_total(self) -> int:
        """Rows of the whole list, fetched or not."""
        raise NotImplementedError

    def _first_batch(self) -> None:
        """Call between beginResetModel and endResetModel, once the list is set."""
        self._shown = min(BATCH, self._batch_total())

    def fetched(self) -> int:
        return self._shown

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008 - Qt API
        return not parent.isValid() and self._shown < self._batch_total()

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008 - Qt API
        if not parent.isValid():
            self.fetch_to(self._shown + BATCH - 1)

    def fetch_to(self, row: int) -> None:
        """Expose the rows up to ``row`` (a selection deep in the list, a sort of all)."""
        last = min(row, self._batch_total() - 1)
        if last < self._shown:
            return
        self.beginInsertRows(QModelIndex(), self._shown, last)  # type: ignore[attr-defined]
        self._shown = last + 1
        self.endInsertRows()  # type: ignore[attr-defined]

    def fetch_all(self) -> None:
        self.fetch_to(self._batch_total() - 1)
