"""填报进展: one progress entry of a unit on a work-point task — the date (typed as everywhere:
20170630, 2017-6-30, 2017年6月30日), what was done, whether the unit has completed the task,
and evidence files (added with 添加… or dragged onto the list; copied in when saving).

Ctrl+S saves through the undo stack (Ctrl+Z in the main window takes the entry back); every
invalid field is framed in red with the reasons below; a failed save keeps what was typed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.services import workpoints as wp
from duty_tracker.core.services.records import FieldProblem
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.models.workpoints_models import role_label
from duty_tracker.ui.task_commands import SaveProgressCommand
from duty_tracker.ui.widgets.attachment_list import AttachmentList
from duty_tracker.ui.widgets.date_range import from_qdate, make_date_edit, to_qdate

_PATH_ROLE = Qt.ItemDataRole.UserRole
_ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1
FILE_FILTER = ("常用文件 (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx *.ofd *.tif *.tiff);;"
               "所有文件 (*)")


class ProgressDialog(QDialog):
    """New entry (``progress_id`` None) for ``task`` (a ``store.tasks.task`` row), by default
    of ``unit_id``; or an existing entry to correct. ``saved(progress_id)`` after saving."""

    saved = Signal(int)

    def __init__(self, ctx: AppContext, task: dict[str, Any], *, unit_id: int | None = None,
                 progress_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task = task
        self.progress_id = progress_id
        self._removed: list[int] = []
        self.setWindowTitle("修改进展" if progress_id else "填报进展")
        look.roomy_dialog(self)
        self._build()
        if progress_id is not None:
            self._load(ctx.store.tasks.progress_entry(progress_id))
        else:
            self._choose_unit(unit_id)
            self.date_edit.setDate(to_qdate(ctx.today()))
        self._initial = self.values()
        self.resize(640, 520)

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        title = look.plain_label(f"{self.task['number']}. {self.task['title']}", role="section", wrap=True)
        title.setToolTip(look.plain(" ".join((self.task.get("text") or "").split())))
        self.unit_combo = QComboBox(self)
        for unit in self.task["units"]:
            self.unit_combo.addItem(f"{unit['unit_name']}（{role_label(unit['role'])}）", unit["unit_id"])
        self.date_edit = make_date_edit(self)
        self.date_edit.setToolTip("进展发生（或填报）的日期")
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("做了什么、取得什么成效，如：已出台《……实施方案》，召开推进会 2 次")
        self.done_check = QCheckBox("该单位已完成这项任务(&F)", self)
        self.attachments = AttachmentList(self)
        self.attachments.setMaximumHeight(96)
        self.add_file_button = QPushButton("添加…", self)
        self.open_file_button = QPushButton("打开", self)
        self.remove_file_button = QPushButton("移除", self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("填报单位(&U)：", self.unit_combo)
        form.addRow("进展日期(&D)：", self.date_edit)
        form.addRow("进展情况(&N)：", self.note_edit)
        form.addRow("", self.done_check)
        files = QVBoxLayout()
        files.addWidget(self.attachments)
        file_buttons = QHBoxLayout()
        for button in (self.add_file_button, self.open_file_button, self.remove_file_button):
            file_buttons.addWidget(button)
        file_buttons.addStretch(1)
        file_buttons.addWidget(look.hint_label("可把文件拖入列表", wrap=False))
        files.addLayout(file_buttons)
        form.addRow("佐证材料：", files)
        self.problems_label = look.error_label(parent=self)
        self.problems_label.hide()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存 (Ctrl+S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.add_file_button.clicked.connect(self.choose_files)
        self.open_file_button.clicked.connect(self.open_selected_attachment)
        self.remove_file_button.clicked.connect(self.remove_selected_attachments)
        self.attachments.files_dropped.connect(self.add_files)
        self.attachments.itemDoubleClicked.connect(lambda _item: self.open_selected_attachment())
        self.note_edit.textChanged.connect(lambda: look.mark_invalid(self.note_edit, False))
        self.note_edit.setFocus()

    def _choose_unit(self, unit_id: int | None) -> None:
        index = self.unit_combo.findData(unit_id) if unit_id is not None else -1
        self.unit_combo.setCurrentIndex(max(index, 0))

    def _load(self, entry: dict[str, Any]) -> None:
        self._choose_unit(entry["unit_id"])
        self.unit_combo.setEnabled(False)  # an entry stays with the unit that reported it
        self.date_edit.setDate(to_qdate(date.fromisoformat(entry["reported_on"])))
        self.note_edit.setPlainText(entry["note"] or "")
        self.done_check.setChecked(bool(entry["done"]))
        for attachment in entry["attachments"]:
            item = QListWidgetItem(attachment["file_name"], self.attachments)
            item.setData(_ATTACHMENT_ROLE, attachment)

    # -- values ----------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {"unit_id": self.unit_combo.currentData(), "date": self.date_edit.text(),
                "note": self.note_edit.toPlainText(), "done": self.done_check.isChecked(),
                "files": [str(p) for p in self.pending_files()], "removed": list(self._removed)}

    def is_dirty(self) -> bool:
        return self.values() != self._initial

    def pending_files(self) -> list[Path]:
        return [Path(self.attachments.item(i).data(_PATH_ROLE)) for i in range(self.attachments.count())
                if self.attachments.item(i).data(_PATH_ROLE)]

    def draft(self) -> wp.ProgressDraft:
        day = from_qdate(self.date_edit.date()).isoformat() if self.date_edit.is_valid() else self.date_edit.text()
        return wp.ProgressDraft(
            task_id=int(self.task["id"]), unit_id=self.unit_combo.currentData(), reported_on=day,
            note=self.note_edit.toPlainText().strip(), done=self.done_check.isChecked(),
            new_files=self.pending_files(), removed_attachment_ids=list(self._removed))

    # -- files -----------------------------------------------------------------------------
    def choose_files(self) -> None:
        last = str(self.ctx.settings.value("progress_dialog/last_dir", "") or "")
        files, _filter = QFileDialog.getOpenFileNames(self, "选择佐证材料", last, FILE_FILTER)
        if files:
            self.ctx.settings.setValue("progress_dialog/last_dir", str(Path(files[0]).parent))
            self.add_files([Path(f) for f in files])

    def add_files(self, files: list[Path]) -> None:
        present = {str(p) for p in self.pending_files()}
        for path in map(Path, files):
            if str(path) in present or not path.is_file():
                continue
            item = QListWidgetItem(f"{path.name}（待保存）", self.attachments)
            item.setData(_PATH_ROLE, str(path))
            item.setToolTip(look.plain(str(path)))
        look.mark_invalid(self.attachments, False)

    def open_selected_attachment(self) -> None:
        item = self.attachments.currentItem()
        if item is not None:
            attachment = item.data(_ATTACHMENT_ROLE)
            path = self.ctx.store.records.attachment_path(attachment) if attachment else Path(item.data(_PATH_ROLE))
            open_file(self, path)

    def remove_selected_attachments(self) -> None:
        for item in self.attachments.selectedItems():
            attachment = item.data(_ATTACHMENT_ROLE)
            if attachment:
                self._removed.append(int(attachment["id"]))
            self.attachments.takeItem(self.attachments.row(item))

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Check every field at once, then save through the undo stack."""
        if not self.task["units"]:
            self.show_problems([FieldProblem("unit_id", "这项任务还没有责任单位，请先在“编辑任务…”中指定。")])
            return False
        self.date_edit.commit()
        draft = self.draft()
        if not self.show_problems(wp.check_progress(self.ctx.store, draft)):
            return False
        command = SaveProgressCommand(self.ctx, draft, self.progress_id, self.task["title"])
        self.ctx.undo_stack.push(command)
        if command.error is not None or command.change is None:
            look.warn(self, "保存失败", f"进展未能保存：{command.error or '未知错误'}\n\n您填写的内容仍保留在窗口中。")
            return False
        self.progress_id = command.change.progress_id
        self._initial = self.values()
        self.saved.emit(self.progress_id)
        self.accept()
        return True

    def show_problems(self, problems: list[FieldProblem]) -> bool:
        widgets = {"reported_on": self.date_edit.edit, "note": self.note_edit, "unit_id": self.unit_combo,
                   "new_files": self.attachments}
        bad = {p.field for p in problems}
        for name, widget in widgets.items():
            look.mark_invalid(widget, name in bad)
        self.problems_label.setText("尚不能保存：" + "；".join(p.message.rstrip("。") for p in problems) + "。"
                                    if problems else "")
        self.problems_label.setVisible(bool(problems))
        if problems:
            widgets.get(problems[0].field, self.note_edit).setFocus()
        return not problems

    def reject(self) -> None:
        if self.is_dirty():
            answer = look.ask(self, "放弃填写", "有尚未保存的内容，确定放弃吗？",
                              QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                              QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def open_file(parent: QWidget, path: Path) -> bool:
    """Open an evidence file with the system's viewer, or say why not."""
    if not path.exists():
        look.warn(parent, "无法打开文件", f"文件不存在：{path}\n可在“数据”页运行完整性检查。")
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        look.warn(parent, "无法打开文件", f"系统没有可打开此类文件的程序：{path.name}")
        return False
    return True
