"""A checkable list with a search box: choose several leaders or duties out of many.

Items are (id, text, tooltip). Checked items stay checked (and visible) when the offered items
change, so nothing the clerk chose silently disappears; those no longer offered are marked.
:meth:`CheckList.mark` greys items out in place — no item moves or vanishes under the mouse
while the clerk is ticking, which is what rebuilding the list did."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from duty_tracker.ui import look

ID_ROLE = Qt.ItemDataRole.UserRole


class CheckList(QWidget):
    changed = Signal()

    def __init__(self, placeholder: str = "搜索…", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setUniformItemSizes(True)
        self.summary = look.hint_label(wrap=False, parent=self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        self.search.textChanged.connect(self._apply_search)
        self.list.itemChanged.connect(self._item_changed)
        self._offered: list[tuple[int, str, str]] = []
        self._texts: dict[int, str] = {}
        self._checked: list[int] = []
        self._marked: set[int] = set()
        self._mark_suffix = ""
        self.setFocusProxy(self.list)

    # -- content ---------------------------------------------------------------------------
    def set_items(self, items: Iterable[tuple[int, str, str]], stale_suffix: str = "（不适用）") -> None:
        """Offer ``items``; checked ids not among them stay, marked with ``stale_suffix``."""
        self._offered = list(items)
        self._marked = set()
        for item_id, text, _tip in self._offered:
            self._texts[item_id] = text
        offered_ids = {item_id for item_id, _t, _tip in self._offered}
        self.list.blockSignals(True)
        self.list.clear()
        for item_id in self._checked:
            if item_id not in offered_ids:
                self._add(item_id, self._texts.get(item_id, str(item_id)) + stale_suffix, "", True, stale=True)
        checked = set(self._checked)  # chosen ones first: never lost among 500 names
        for item_id, text, tip in sorted(self._offered, key=lambda item: item[0] not in checked):
            self._add(item_id, text, tip, item_id in checked)
        self.list.blockSignals(False)
        self._apply_search(self.search.text())
        self._update_summary()

    def _add(self, item_id: int, text: str, tip: str, checked: bool, stale: bool = False) -> None:
        item = QListWidgetItem(text, self.list)
        item.setData(ID_ROLE, item_id)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if tip:
            item.setToolTip(look.plain(tip))
        if stale:
            item.setForeground(QBrush(QColor("#9c2318")))

    def checked_ids(self) -> list[int]:
        return list(self._checked)

    def set_checked(self, ids: Iterable[int]) -> None:
        self._checked = list(dict.fromkeys(ids))
        self.set_items(self._offered)
        self.changed.emit()

    def set_item_checked(self, item_id: int, checked: bool = True) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == item_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise KeyError(item_id)

    def offered_ids(self) -> list[int]:
        """The items offered and not marked as not fitting."""
        return [item_id for item_id, _t, _tip in self._offered if item_id not in self._marked]

    def mark(self, ids: Iterable[int], suffix: str) -> None:
        """Grey out these offered items with ``suffix`` (and restore the others), in place."""
        self._marked = set(ids)
        self._mark_suffix = suffix
        offered = {item_id for item_id, _t, _tip in self._offered}
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            item_id = item.data(ID_ROLE)
            if item_id not in offered:
                continue  # a stale checked item keeps its own mark
            marked = item_id in self._marked
            item.setText(self._texts[item_id] + (suffix if marked else ""))
            item.setForeground(QBrush(QColor(look.COLOURS["muted"])) if marked else QBrush())
        self.list.blockSignals(False)

    def text_of(self, item_id: int) -> str:
        return self._texts.get(item_id, "")

    # -- behaviour -------------------------------------------------------------------------
    def _item_changed(self, item: QListWidgetItem) -> None:
        item_id = item.data(ID_ROLE)
        if item.checkState() == Qt.CheckState.Checked:
            if item_id not in self._checked:
                self._checked.append(item_id)
        elif item_id in self._checked:
            self._checked.remove(item_id)
        self._update_summary()
        self.changed.emit()

    def _apply_search(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = bool(needle) and needle not in item.text().lower() and item.checkState() != Qt.CheckState.Checked
            item.setHidden(hidden)

    def _update_summary(self) -> None:
        self.summary.setText(f"已选 {len(self._checked)} 项" if self._checked else "未选择")
