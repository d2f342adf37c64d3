"""导出单位汇总表: who fills it in (填报单位, 填报人 — printed above the table; blank: the unit,
and a line to sign by hand) and where the PDF goes. The clerk's last answers come back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from duty_tracker.core.services.reporting import SummaryExport, with_suffix
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog


class SummaryExportDialog(FormDialog):
    def __init__(self, ctx: AppContext, year: int, unit_id: int | None, unit_name: str,
                 suggested: Path, parent: QWidget | None = None) -> None:
        super().__init__(f"导出{year}年度单位汇总表", parent, ok_text="导出")
        self.ctx, self.year, self.unit_id = ctx, year, unit_id
        self.options: SummaryExport | None = None
        settings = ctx.settings
        self.unit_edit = QLineEdit(str(settings.value("debrief/filled_by_unit", "") or ""))
        self.unit_edit.setPlaceholderText(unit_name or "不填则写所汇总的单位")
        self.person_edit = QLineEdit(str(settings.value("debrief/filled_by", "") or ""))
        self.person_edit.setPlaceholderText("不填则留出空白，打印后手写签名")
        self.path_edit = QLineEdit(str(suggested))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.form.addRow("汇总范围：", look.plain_label(unit_name or "全部单位"))
        self.form.addRow("填报单位(&U)：", self.unit_edit)
        self.form.addRow("填报人(&P)：", self.person_edit)
        self.form.addRow("保存为：", row)
        self.form.addRow(look.hint_label("填报单位、填报人和填报日期印在汇总表的表头上方。"))
        self.setMinimumWidth(560)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出单位汇总表 PDF", self.path_edit.text(),
                                              "PDF 文件 (*.pdf)")
        if path:
            self.path_edit.setText(path)

    def save(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            raise ValidationError("请选择汇总表保存的位置。")
        target = with_suffix(Path(text), ".pdf")
        if target.is_dir():
            raise ValidationError(f"{target} 是一个文件夹，请填写文件名。")
        filled_by_unit, filled_by = self.unit_edit.text().strip(), self.person_edit.text().strip()
        self.ctx.settings.setValue("debrief/filled_by_unit", filled_by_unit)
        self.ctx.settings.setValue("debrief/filled_by", filled_by)
        self.options = SummaryExport(year=self.year, output=target, today=self.ctx.today(),
                                     unit_id=self.unit_id, filled_by_unit=filled_by_unit,
                                     filled_by=filled_by)
