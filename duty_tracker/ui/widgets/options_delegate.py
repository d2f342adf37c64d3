"""A drop-down editor for a cell whose value is one of a few options (a unit's role, the unit a
document's name means). The model gives the options of a cell — ``(label, value)`` pairs — and
reads and writes the value on its own role, so the displayed text and the stored value never
have to be parsed back from each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QTimer
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

Options = Callable[[QModelIndex | QPersistentModelIndex], list[tuple[str, Any]]]


class OptionsDelegate(QStyledItemDelegate):
    """For the cells ``options(index)`` returns choices for: a combo box (opened at once, so
    one double-click or F2 is enough); the choice goes to the model on ``value_role``. Other
    cells get the default editor."""

    def __init__(self, options: Options, value_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._options = options
        self._role = value_role

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        choices = self._options(index)
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setMaxVisibleItems(20)
        for position, (label, _value) in enumerate(choices):
            combo.addItem(label, position)
        combo.activated.connect(lambda _i, c=combo: self._chosen(c))
        QTimer.singleShot(0, combo.showPopup)
        return combo

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if not isinstance(editor, QComboBox):
            super().setEditorData(editor, index)
            return
        current = index.data(self._role)
        choices = self._options(index)
        editor.setCurrentIndex(next((i for i, (_l, v) in enumerate(choices)
                                     if current is not None and v == current), -1))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if not isinstance(editor, QComboBox):
            super().setModelData(editor, model, index)
            return
        if editor.currentIndex() < 0 or editor.property("committed"):
            return  # nothing chosen, or already handed over (the focus-out after a choice)
        editor.setProperty("committed", True)
        choices = self._options(index)
        model.setData(index, choices[editor.currentData()][1], self._role)
