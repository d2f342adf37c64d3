"""导入名册: the preview of a roster .xlsx (``core.exchange.roster_xlsx.preview_roster``) — what
each row will do, and every row's errors. Importing is offered only when the file has no errors,
so a roster is never half-imported; the import itself is one transaction (``apply_roster``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableView,
    QWidget,
)

from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.models.simple_table_model import ALIGN_CENTER, Column, SimpleTableModel


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


class RosterRowModel(SimpleTableModel):
    COLUMNS = (
        Column("行", lambda r: r.row, align=ALIGN_CENTER),
        Column("单位", lambda r: r.unit),
        Column("姓名", lambda r: r.name),
        Column("职务", lambda r: r.position),
        Column("类别", lambda r: r.role.label),
        Column("任职开始", lambda r: _iso(r.start), align=ALIGN_CENTER),
        Column("任职结束", lambda r: _iso(r.end), align=ALIGN_CENTER),
        Column("处理", lambda r: r.action),
    )


class RosterImportDialog(FormDialog):
    def __init__(self, ctx: AppContext, preview: Any, parent: QWidget | None = None) -> None:
        super().__init__("导入名册 — 核对", parent, ok_text="导入")
        self.ctx = ctx
        self.preview = preview
        self.result_summary = ""
        errors = preview.error_lines()
        summary = look.plain_label(
            f"文件：{preview.path.name}　共 {preview.total_rows} 行，可导入 {preview.valid_count} 行"
            + (f"，发现 {len(errors)} 处错误。" if errors else "，未发现错误。"), wrap=True)
        if errors:
            look.set_tone(summary, "error")
        self.body.addWidget(summary)
        self.model = RosterRowModel(self)
        self.model.set_rows(preview.rows)
        view = QTableView()
        view.setModel(self.model)
        view.verticalHeader().hide()
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setAlternatingRowColors(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        self.body.addWidget(view, 1)
        self.error_list = QListWidget()
        self.error_list.addItems(errors)
        look.set_tone(self.error_list, "error")
        self.error_list.setVisible(bool(errors))
        self.error_list.setMaximumHeight(140)
        self.body.addWidget(self.error_list)
        if errors:
            hint = QLabel("请在 Excel 中改正以上错误后重新导入；为避免只导入一部分，存在错误时不导入任何一行。")
            hint.setWordWrap(True)
            self.body.addWidget(hint)
        self.ok_button.setEnabled(not errors and preview.valid_count > 0)
        self.resize(900, 560)

    def save(self) -> None:
        from duty_tracker.core.exchange.roster_xlsx import apply_roster

        self.result_summary = apply_roster(self.ctx.store, self.preview).summary()
