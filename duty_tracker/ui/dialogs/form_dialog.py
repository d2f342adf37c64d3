"""The common shape of the editing dialogs: a form, a red line for the repository's Chinese
error message, and 确定/取消. ``save()`` writes through the store; when it raises, the dialog
stays open with the message shown, so nothing the clerk typed is lost."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.storage.errors import StorageError
from duty_tracker.ui import look


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None, ok_text: str = "确定") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        look.roomy_dialog(self)
        self.outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(self.form.labelAlignment())
        self.outer.addLayout(self.form)
        self.body = QVBoxLayout()
        self.outer.addLayout(self.body)
        self.error_label = look.error_label()
        self.error_label.setObjectName("formError")
        self.error_label.hide()
        self.outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.outer.addWidget(self.buttons)

    @property
    def ok_button(self):  # noqa: ANN201 - QPushButton
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def save(self) -> None:
        """Write through the store; raise StorageError/ValueError with a Chinese message."""

    def accept(self) -> None:
        try:
            self.save()
        except (StorageError, ValueError) as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        super().accept()
