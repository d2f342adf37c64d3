"""批量导出述职报告: which leaders (all of the year, or one unit's), into which folder, as PDF
or as editable Word files, with which 成文日期 (blank: each report's own, else the default), and
whether empty sections take the generated draft. The export itself runs as a task."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from duty_tracker.core.errors import InputError
from duty_tracker.core.reports.debrief_defaults import default_report_date
from duty_tracker.core.reports.file_names import report_file_name
from duty_tracker.core.services.reporting import BatchExport, check_report_date
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.dialogs.form_dialog import FormDialog


class DebriefBatchDialog(FormDialog):
    def __init__(self, year: int, today: date, leaders: list[dict[str, Any]],
                 units: list[dict[str, Any]], folder: str, unit_id: int | None = None,
                 parent: QWidget | None = None, *, word: bool = False) -> None:
        super().__init__(f"批量导出{year}年度述职报告", parent, ok_text="开始导出")
        self.year, self.today = year, today
        self.leaders = leaders
        self.options: BatchExport | None = None
        self.unit_combo = QComboBox()
        self.unit_combo.addItem(f"全部负责人（{len(leaders)} 名）", None)
        counts: dict[int, int] = {}
        for leader in leaders:
            counts[leader["unit_id"]] = counts.get(leader["unit_id"], 0) + 1
        for unit in units:
            if counts.get(unit["id"]):
                self.unit_combo.addItem(f"{unit['name']}（{counts[unit['id']]} 名）", unit["id"])
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit_id), 0))
        self.folder_edit = QLineEdit(folder)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        self.pdf_radio = QRadioButton("PDF（正式打印稿）")
        self.word_radio = QRadioButton("Word（可再修改的 .docx）")
        self.format_group = QButtonGroup(self)
        for button in (self.pdf_radio, self.word_radio):
            self.format_group.addButton(button)
        (self.word_radio if word else self.pdf_radio).setChecked(True)
        format_row = QHBoxLayout()
        format_row.addWidget(self.pdf_radio)
        format_row.addWidget(self.word_radio)
        format_row.addStretch(1)
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("不填则按各报告保存的日期，未保存的为"
                                          f"{default_report_date(year, today):%Y-%m-%d}")
        self.date_edit.setToolTip("全部报告使用同一成文日期时填写，如 2025-12-31 或 2025年12月31日")
        self.draft_check = QCheckBox("尚未撰写的章节使用程序生成的草稿")
        self.draft_check.setToolTip("不勾选时，未撰写的章节不出现在报告中；建议先在本页逐人核对后再导出。")
        self.form.addRow("导出范围(&R)：", self.unit_combo)
        self.form.addRow("文件格式(&F)：", format_row)
        self.form.addRow("成文日期(&D)：", self.date_edit)
        self.form.addRow("保存到文件夹：", folder_row)
        self.form.addRow("", self.draft_check)
        self.note = look.hint_label()
        self.form.addRow(self.note)
        self.format_group.buttonToggled.connect(lambda *_a: self._show_note())
        self._show_note()
        self.setMinimumWidth(600)

    @property
    def word(self) -> bool:
        return self.word_radio.isChecked()

    def _show_note(self) -> None:
        suffix = ".docx" if self.word else ".pdf"
        first = self.leaders[0] if self.leaders else {"id": 1, "name": "王明"}
        example = report_file_name(first["id"], first["name"], self.year, suffix)
        kind = "Word 文件" if self.word else "PDF 文件"
        self.note.setText(f"每名负责人一个{kind}，文件名如“{example}”；同名文件将被覆盖。")

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存述职报告的文件夹", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def save(self) -> None:
        text = self.folder_edit.text().strip()
        if not text:
            raise ValidationError("请选择保存报告的文件夹。")
        folder = Path(text)
        if folder.exists() and not folder.is_dir():
            raise ValidationError(f"{folder} 不是文件夹。")
        unit_id = self.unit_combo.currentData()
        ids = tuple(leader["id"] for leader in self.leaders if unit_id is None or leader["unit_id"] == unit_id)
        if not ids:
            raise ValidationError("所选范围内没有需要述职的负责人。")
        try:
            report_date = check_report_date(self.date_edit.text(), self.year)
        except InputError as exc:
            look.mark_invalid(self.date_edit, True)
            raise ValidationError(str(exc)) from None
        look.mark_invalid(self.date_edit, False)
        self.options = BatchExport(year=self.year, folder=folder, today=self.today,
                                   leader_ids=ids, unit_id=unit_id,
                                   use_draft=self.draft_check.isChecked(), word=self.word,
                                   report_date=report_date)
