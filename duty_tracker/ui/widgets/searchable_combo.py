"""A drop-down the clerk can type into to find one of many (leaders, units, duties, articles):
the typed text matches anywhere in an item, and text that matches nothing falls back to the
chosen item when the clerk leaves the field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget


def searchable_combo(parent: QWidget, all_text: str) -> QComboBox:
    """A combo whose first item ``all_text`` (data None) means "no filter"."""
    combo = QComboBox(parent)
    combo.addItem(all_text, None)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMinimumContentsLength(8)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.lineEdit().setPlaceholderText(all_text)

    def finished() -> None:  # typed text that matches nothing: back to the chosen item
        if combo.findText(combo.currentText()) < 0:
            combo.setEditText(combo.itemText(combo.currentIndex()))

    combo.lineEdit().editingFinished.connect(finished)
    return combo
