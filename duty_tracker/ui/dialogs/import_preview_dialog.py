"""Before an import writes anything: what the file holds, the row-by-row error list, and the
choice — import the valid rows (all in one transaction) or cancel. Also used for data packages
(added / updated / conflicts) and for restores (what a backup contains)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.ui import look


class ImportPreviewDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        summary: str,
        problems: list[str],
        *,
        problems_title: str = "以下行有错误，不会导入：",
        accept_text: str = "导入",
        can_accept: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        look.roomy_dialog(self)
        self.resize(720, 480 if problems else 220)
        layout = QVBoxLayout(self)
        head = look.plain_label(summary, role="section", wrap=True)
        head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(head)
        self.problem_list = QListWidget()
        if problems:
            caption = look.error_label(problems_title)
            layout.addWidget(caption)
            self.problem_list.addItems(problems)
            layout.addWidget(self.problem_list, 1)
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setEnabled(can_accept)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if not can_accept:
            self.accept_button.setToolTip("没有可导入的内容")
