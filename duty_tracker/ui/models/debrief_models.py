"""The leader list of the 述职报告 page: who reports for the year, how far their duties are
done, and whether the narrative has been written.

A city has 2,000 leaders: the list exposes them a batch at a time (canFetchMore/fetchMore), and
a row's tally and saved narrative are looked up when the row is first shown, not for every
leader before the page appears."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from duty_tracker.core.reports.sections import SECTION_ORDER
from duty_tracker.core.status import LeaderTally
from duty_tracker.ui.models.batched import FetchInBatches
from duty_tracker.ui.models.simple_table_model import ALIGN_CENTER, Column, Row, SimpleTableModel
from duty_tracker.ui.models.status_table_model import FetchAllProxy

__all__ = ["DebriefLeaderModel", "FetchAllProxy", "is_written", "narrative_state"]

_NO_TALLY = LeaderTally({})
Index = QModelIndex | QPersistentModelIndex


def _tally(row: Row) -> LeaderTally:
    return row.get("tally") or _NO_TALLY


def is_written(saved: Mapping[str, Any] | None) -> bool:
    """Whether a saved narrative has any section written."""
    return bool(saved) and any((saved.get(k) or "").strip() for k in SECTION_ORDER)


def narrative_state(row: Row) -> str:
    return "已撰写" if is_written(row.get("debrief")) else "未撰写"


class DebriefLeaderModel(FetchInBatches, SimpleTableModel):
    """姓名 | 单位 | 达标 | 问题 | 报告. A shown row carries ``tally`` (``LeaderTally``) and
    ``debrief`` (the saved narrative): its own keys (:meth:`set_rows`) or looked up when the
    row is first shown (:meth:`set_year`)."""

    COLUMNS = (
        Column("姓名", lambda r: r["name"], tooltip=lambda r: f"{r['name']}　{r.get('position') or ''}"),
        Column("单位", lambda r: r.get("unit_name") or "", tooltip=lambda r: r.get("unit_name")),
        Column("达标", lambda r: _tally(r).completion_text(), align=ALIGN_CENTER,
               sort=lambda r: _tally(r).done, tooltip=lambda r: _tally(r).tooltip()),
        Column("问题", lambda r: _tally(r).problems_text(),
               sort=lambda r: _tally(r).failed, tooltip=lambda r: _tally(r).tooltip()),
        Column("报告", narrative_state, align=ALIGN_CENTER),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._shown = 0
        self._tallies: Mapping[int, LeaderTally] | None = None
        self._saved: Mapping[int, dict[str, Any]] = {}
        self._complete: set[int] = set()  # rows whose tally and narrative are looked up

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Rows that carry their own ``tally`` and ``debrief``."""
        self.set_year(rows, None, {})

    def set_year(self, rows: Sequence[Row], tallies: Mapping[int, LeaderTally] | None,
                 saved: Mapping[int, dict[str, Any]]) -> None:
        """The leaders of the year (as the service lists them), their tallies and narratives
        by leader id (``tallies`` None: the rows carry their own)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._tallies, self._saved = tallies, saved
        self._complete = set() if tallies is not None else set(range(len(self._rows)))
        self._first_batch()
        self.endResetModel()

    def update_saved(self, leader_id: int, saved: dict[str, Any] | None) -> None:
        """A narrative just saved: its row shows it."""
        if isinstance(self._saved, dict) and saved is not None:
            self._saved[leader_id] = saved
        row = next((i for i, r in enumerate(self._rows) if r.get("id") == leader_id), -1)
        if row < 0:
            return
        if self._tallies is None:
            self._rows[row] = {**self._rows[row], "debrief": saved}
        self._complete.discard(row)
        if row < self._shown:
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _complete_row(self, row: int) -> Row:
        if row not in self._complete:
            base = self._rows[row]
            self._rows[row] = {**base, "tally": (self._tallies or {}).get(base["id"]),
                               "debrief": self._saved.get(base["id"])}
            self._complete.add(row)
        return self._rows[row]

    def row_at(self, row: int) -> Row:
        return self._complete_row(row)

    def rows(self) -> list[Row]:
        """Every row as the service gave it (without looking up tallies)."""
        return list(self._rows)

    def find_row(self, key: str, value: Any) -> int:
        """The row (fetched up to it), -1 when none."""
        row = super().find_row(key, value)
        if row >= 0:
            self.fetch_to(row)
        return row

    def written_count(self) -> int:
        """Leaders of the list with a narrative written."""
        if self._tallies is None:
            return sum(1 for r in self._rows if is_written(r.get("debrief")))
        return sum(1 for r in self._rows if is_written(self._saved.get(r["id"])))

    # -- fetched a batch at a time (see ``batched``) ----------------------------------------
    def _batch_total(self) -> int:
        return len(self._rows)

    def total(self) -> int:
        """Rows of the list, fetched or not."""
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < self._shown:
            self._complete_row(index.row())
        return super().data(index, role)
