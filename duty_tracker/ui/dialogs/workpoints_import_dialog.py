"""Importing a year's work points (工作要点): the source dialog — a .txt/.docx file or pasted
text, and the year when the document does not say it — and the review, where the clerk checks
what the parser proposed before anything is stored:

- every task: keep it or not (an item that is not a task is unticked), its title, its units with
  their roles (牵头/负责/配合), its deadline; the whole text of the selected task below;
- every name of the document no unit was found for, with the program's units to choose from
  (the suggestions first, "不是本系统的单位", several units); the choices are remembered and
  proposed by themselves the next time.

The source dialog stays open while the text is parsed (on the task runner) and after a parse
error, with the text as it was pasted; the page keeps the text until it was imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.services import workpoints as wp
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.dialogs.task_units_dialog import TaskUnitsDialog
from duty_tracker.ui.models import workpoints_review_models as rm
from duty_tracker.ui.widgets.options_delegate import OptionsDelegate
from duty_tracker.ui.widgets.year_selector import YearSpin

WORKPOINTS_FILE_FILTER = "工作要点 (*.txt *.docx);;纯文本 (*.txt);;Word 文档 (*.docx);;所有文件 (*)"


class WorkpointsSourceDialog(QDialog):
    """导入工作要点: choose a file or paste the text, then 识别. ``parse_requested(text, path,
    year)`` asks the page to parse (``path`` "" for pasted text, ``year`` 0 for "from the
    document"); the dialog stays open until :meth:`accept`, and :meth:`show_error` says why
    it failed with the text left as it was."""

    parse_requested = Signal(str, str, int)

    def __init__(self, parent: QWidget | None = None, text: str = "", year: int | None = None,
                 folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("导入工作要点")
        look.roomy_dialog(self)
        self.folder = folder
        layout = QVBoxLayout(self)
        layout.addWidget(look.hint_label(
            "选择工作要点文件（.txt 或 .docx），或把全文（含标题和“一、”“（一）”……）从网页、Word 复制后粘贴到"
            "下面，然后点击“识别”。程序会找出各项任务、责任单位和完成时限，导入前可逐项核对修改。"))
        file_row = QHBoxLayout()
        self.file_edit = QLineEdit(self)
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("未选择文件：将识别下面粘贴的文本")
        self.choose_button = QPushButton("选择文件…", self)
        self.clear_file_button = QPushButton("改为粘贴文本", self)
        file_row.addWidget(QLabel("文件："))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.clear_file_button)
        layout.addLayout(file_row)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlaceholderText("在此粘贴工作要点全文（Ctrl+V）")
        self.text_edit.setPlainText(text)
        layout.addWidget(self.text_edit, 1)
        year_row = QHBoxLayout()
        self.year_spin = YearSpin(year, self, none_text="从文件中识别")
        self.year_spin.setToolTip("文件中写明了年度（如“2017年法治政府建设工作要点”）时不必选择")
        year_row.addWidget(QLabel("年度："))
        year_row.addWidget(self.year_spin)
        year_row.addStretch(1)
        layout.addLayout(year_row)
        self.error_label = look.error_label()
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("识别")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._parse)
        self.buttons.rejected.connect(self.reject)
        self.choose_button.clicked.connect(self.choose_file)
        self.clear_file_button.clicked.connect(lambda: self.set_file(""))
        self.text_edit.textChanged.connect(self._update)
        self.set_file("")
        self.resize(780, 580)

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def path(self) -> str:
        return self.file_edit.text()

    def year(self) -> int | None:
        return self.year_spin.year()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择工作要点文件", self.folder or str(Path.home()),
                                              WORKPOINTS_FILE_FILTER)
        if path:
            self.folder = str(Path(path).parent)
            self.set_file(path)

    def set_file(self, path: str) -> None:
        """A chosen file is read instead of the text box (whose text stays, greyed)."""
        self.file_edit.setText(path)
        self.text_edit.setEnabled(not path)
        self.clear_file_button.setVisible(bool(path))
        self.show_error("")
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.path() or self.text().strip()))

    def _parse(self) -> None:
        self.show_error("")
        self.set_busy(True)
        self.parse_requested.emit("" if self.path() else self.text(), self.path(), self.year() or 0)

    def set_busy(self, busy: bool) -> None:
        """While the text is parsed it cannot be edited or sent twice."""
        self.text_edit.setReadOnly(busy)
        self.choose_button.setEnabled(not busy)
        self.ok_button.setEnabled(not busy and bool(self.path() or self.text().strip()))

    def show_error(self, message: str) -> None:
        """The parse failed: say why; the text (or the chosen file) stays as it was."""
        self.set_busy(False)
        self.error_label.setText(f"无法识别：{message}" if message else "")
        self.error_label.setVisible(bool(message))


class WorkpointsReviewDialog(FormDialog):
    """核对工作要点 — nothing is stored here: 导入 (``import_requested``) hands the reviewed
    preview to the page, which imports it on a worker and then accepts the dialog (or shows
    the reason here with every edit kept)."""

    import_requested = Signal(bool, bool)  # allow_unmatched, allow_duplicate

    def __init__(self, ctx: AppContext, preview: wp.ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__("核对工作要点", parent, ok_text="导入")
        self.ctx = ctx
        self.preview = preview
        self.units = ctx.store.people.units()
        self._build_meta()
        self._build_tables()
        self._update_counts()
        if self.tasks_model.rowCount():
            self.tasks_view.selectRow(0)
        self.resize(1180, 680)

    # -- building --------------------------------------------------------------------------
    def _build_meta(self) -> None:
        preview = self.preview
        self.title_edit = QLineEdit(preview.title)
        self.doc_number_edit = QLineEdit(preview.doc_number or "")
        self.doc_number_edit.setPlaceholderText("如：杭政办函〔2017〕62号（可不填）")
        self.year_label = look.plain_label(f"{preview.year}年" if preview.year else "未识别")
        self.year_label.setToolTip("年度不对时：点“取消”，在“导入工作要点”窗口中选择年度后重新识别"
                                   "（“6月底前”等时限按该年度计算）")
        self.units_dialog: QWidget | None = None
        meta = QHBoxLayout()
        meta.addWidget(self.title_edit, 3)
        meta.addWidget(QLabel("文号："))
        meta.addWidget(self.doc_number_edit, 2)
        meta.addWidget(QLabel("年度："))
        meta.addWidget(self.year_label)
        self.form.addRow("标题(&T)：", meta)
        source = f"来源：{preview.source_name}　" if preview.source_name else "来源：粘贴的文本　"
        sections = len({t.section_index for t in preview.tasks if t.section_index is not None})
        self.summary_label = look.plain_label(
            f"{source}共识别出 {sections} 个部分、{len(preview.tasks)} 项任务。", wrap=True)
        self.body.addWidget(self.summary_label)
        notes = list(preview.notes)
        if preview.duplicates:
            first = preview.duplicates[0]
            notes.insert(0, f"{preview.year} 年的《{first['title']}》已经导入过（{first['task_count']} 项任务）；"
                            "再导入会多出一份，导入前会请您确认。")
        self.notes_label = look.warning_label("\n".join(notes))
        self.notes_label.setVisible(bool(notes))
        self.body.addWidget(self.notes_label)
        self.body.addWidget(look.hint_label(
            "请逐项核对：不是工作任务的取消勾选；双击任务名称、完成时限可修改（时限写作 2017-06-30，清空表示没有）；"
            "双击“责任单位及职责”可增减单位、改为牵头或配合。"))

    def _build_tables(self) -> None:
        self.tasks_model = rm.ReviewTasksModel(self.preview, self)
        self.tasks_view = QTableView()
        self.tasks_view.setModel(self.tasks_model)
        look.setup_table(self.tasks_view, stretch=rm.TITLE, editable=True,
                         widths=(look.char_width(self, 2.5), 0, look.char_width(self, 15),
                                 look.char_width(self, 6)))
        self.tasks_view.setEditTriggers(QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed)
        self.tasks_view.doubleClicked.connect(self._double_clicked)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tasks_view, 1)
        self.source_label = look.plain_label(tone="source", wrap=True)
        self.source_label.setMinimumHeight(60)
        self.source_label.setMaximumHeight(110)
        self.source_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left_layout.addWidget(self.source_label)
        left_layout.addLayout(self._task_buttons())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self._build_names())
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([780, 380])
        self.splitter.setChildrenCollapsible(False)
        self.body.addWidget(self.splitter, 1)
        self.tasks_model.dataChanged.connect(lambda *_: self._update_counts())
        self.tasks_model.problem.connect(self.show_error)
        self.tasks_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_source(cur.row()))

    def _task_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.units_button = QPushButton("编辑责任单位…")
        self.keep_all_button = QPushButton("全部勾选")
        self.keep_none_button = QPushButton("全部取消")
        self.units_button.clicked.connect(self.edit_units)
        self.keep_all_button.clicked.connect(lambda: self.tasks_model.set_all_kept(True))
        self.keep_none_button.clicked.connect(lambda: self.tasks_model.set_all_kept(False))
        self.kept_label = QLabel()
        for button in (self.units_button, self.keep_all_button, self.keep_none_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.kept_label)
        return row

    def _build_names(self) -> QWidget:
        """The document's names no unit was found for, with the clerk's choice."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.names_model = rm.UnmatchedNamesModel(self.preview, self.units, self._choose, self)
        self.names_title = look.heading_label()
        layout.addWidget(self.names_title)
        layout.addWidget(look.hint_label(
            "双击“对应到”一栏选择本程序中的单位；不属于本系统的（如上级机关）选“不是本系统的单位”。"
            "选择会被记住，下次导入时自动对应。"))
        self.names_view = QTableView()
        self.names_view.setModel(self.names_model)
        look.setup_table(self.names_view, stretch=rm.CHOICE, editable=True,
                         widths=(look.char_width(self, 9), look.char_width(self, 3.5)))
        self.names_view.setItemDelegate(OptionsDelegate(self._name_options, rm.VALUE_ROLE, self.names_view))
        self.names_view.setEditTriggers(QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed
                                        | QTableView.EditTrigger.SelectedClicked)
        self.names_view.horizontalHeader().setSectionResizeMode(rm.NAME, QHeaderView.ResizeMode.Interactive)
        self.names_empty = look.EmptyState(self.names_view, lambda: "文件中的单位名称都已对应到本程序中的单位。")
        layout.addWidget(self.names_view, 1)
        self.names_model.several_requested.connect(self.choose_several)
        self.names_model.dataChanged.connect(lambda *_: self._update_counts())
        return box

    # -- editing ---------------------------------------------------------------------------
    def _name_options(self, index: QModelIndex | QPersistentModelIndex) -> list[tuple[str, Any]]:
        return self.names_model.options(index.row()) if index.column() == rm.CHOICE else []

    def _choose(self, name: str, ids: list[int]) -> None:
        wp.choose_units(self.ctx.store, self.preview, {name: ids})
        self.tasks_model.choices_applied()

    def choose_several(self, name: str) -> None:
        current = self.preview.choices.get(name) or []
        dialog = TaskUnitsDialog(
            self.units, [(i, "responsible") for i in current], title=f"“{name}”指哪些单位",
            hint=f"勾选文件中“{name}”所指的本程序中的单位（可多选）。", with_roles=False,
            allow_none=False, parent=self)
        dialog.accepted.connect(lambda: self.names_model.set_choice(name, dialog.unit_ids()))
        dialog.open()
        self.units_dialog = dialog

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == rm.UNITS:
            self.edit_units()

    def edit_units(self) -> None:
        row = self.tasks_view.currentIndex().row()
        if row < 0:
            return
        proposal = self.tasks_model.proposal(row)
        named = "、".join(f"{n}（{rm.TASK_ROLES[r]}）" for n, r in proposal.named_units) or "未写明"
        dialog = TaskUnitsDialog(
            self.units, proposal.units, title=f"第 {proposal.number} 项的责任单位",
            hint=f"文件中写的是：{named}", parent=self)
        dialog.accepted.connect(lambda: self.tasks_model.set_units(row, dialog.units()))
        dialog.open()
        self.units_dialog = dialog

    def _show_source(self, row: int) -> None:
        if row < 0:
            self.source_label.setText("")
            return
        proposal = self.tasks_model.proposal(row)
        text = " ".join((proposal.source_text or proposal.text).split())
        where = f"【{proposal.section}】" if proposal.section else ""
        self.source_label.setText(f"{where}原文：{text}" if text else f"{where}（无原文）")

    def _update_counts(self) -> None:
        kept, total = self.tasks_model.kept_count(), self.tasks_model.rowCount()
        waiting = len(self.preview.unmatched)
        self.kept_label.setText(f"导入 {kept} / {total} 项")
        names = self.names_model.rowCount()
        if not names:
            self.names_title.setText("单位名称：都已对应")
        elif waiting:
            self.names_title.setText(f"待对应的单位名称（还有 {waiting} 个未选择）")
        else:
            self.names_title.setText(f"单位名称对应（{names} 个，均已选择）")

    # -- importing -------------------------------------------------------------------------
    def edited_preview(self) -> wp.ImportPreview:
        """The preview with the title and document number as the clerk left them."""
        self.preview.title = " ".join(self.title_edit.text().split()) or self.preview.title
        self.preview.doc_number = self.doc_number_edit.text().strip() or None
        return self.preview

    def check(self) -> None:
        """What the import would refuse, found before asking: a title, a task kept."""
        if not " ".join(self.title_edit.text().split()):
            raise ValidationError("工作要点的标题不能为空。")
        if not self.tasks_model.kept_count():
            raise ValidationError("没有要导入的工作任务：请至少勾选一项。")
        bad = {row for row in range(self.tasks_model.rowCount())
               if self.tasks_model.proposal(row).keep and not self.tasks_model.proposal(row).title.strip()}
        self.tasks_model.mark_invalid(bad)
        if bad:
            raise ValidationError(f"第 {min(bad) + 1} 行的任务名称为空。")

    def accept(self) -> None:
        """导入: check, ask about names left without a unit, then hand over to the page."""
        try:
            self.check()
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        waiting = self.preview.unmatched
        if waiting and not self._confirm(
                "尚有单位名称未对应",
                f"以下单位名称还没有对应到本程序中的单位：{'、'.join(waiting)}。\n\n"
                "仍要导入吗？涉及的任务暂不分配给这些名称（以后可在任务的“编辑任务…”中指定单位）。"):
            return
        self.edited_preview()
        duplicates = self.ctx.store.tasks.find_plans(self.preview.title, self.preview.year or 0)
        if duplicates and not self._confirm(
                "已经导入过", f"{self.preview.year} 年的《{self.preview.title}》已经导入过"
                f"（{duplicates[0]['task_count']} 项任务）。\n\n确需再导入一份吗？"):
            return
        self.set_busy(True)
        self.import_requested.emit(bool(waiting), bool(duplicates))

    def _confirm(self, title: str, text: str) -> bool:
        answer = look.ask(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)

    def import_failed(self, message: str) -> None:
        self.set_busy(False)
        self.show_error(message)

    def imported(self) -> None:
        """The page stored it: close."""
        self.set_busy(False)
        QDialog.accept(self)
