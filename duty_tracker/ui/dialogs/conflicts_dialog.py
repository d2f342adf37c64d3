"""处理冲突: the fields that this office and another both changed since they last exchanged a
data package. Nothing was discarded: the ledger kept this office's value and the package's is
stored beside it. The clerk picks, row by row, which one stays; the choice goes to the other
office with the next package (``core.services.exchange.resolve_conflict``)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.errors import AppError
from duty_tracker.core.services import exchange
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.models.simple_table_model import Column, SimpleTableModel


class ConflictModel(SimpleTableModel):
    COLUMNS = (
        Column("内容", lambda r: r["conflict"].what, tooltip=lambda r: r["conflict"].what),
        Column("本机", lambda r: r["conflict"].local_text, tooltip=lambda r: r["conflict"].local_text),
        Column("数据包", lambda r: r["conflict"].package_text,
               tooltip=lambda r: r["conflict"].package_text),
        Column("来自", lambda r: r["conflict"].source),
        Column("发现于", lambda r: r["conflict"].detected_at.replace("T", " ")[:16]),
    )


class ConflictsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("处理数据包冲突")
        look.roomy_dialog(self)
        self.resize(960, 480)
        self.model = ConflictModel(self)
        self.view = look.table(self.model, multi=True, widths=(260, 220, 220, 120), stretch=1)
        self.summary = look.hint_label()
        self.keep_local = QPushButton("保留本机的内容")
        self.take_package = QPushButton("采用数据包的内容")
        self.keep_local.clicked.connect(lambda: self.resolve("local"))
        self.take_package.clicked.connect(lambda: self.resolve("package"))
        layout = QVBoxLayout(self)
        layout.addWidget(look.plain_label(
            "以下内容本机和对方都修改过。合并时暂时保留了本机的内容，对方的内容也已保存，没有丢失。"
            "请逐条选择保留哪一边；您的选择会随下一个数据包带给对方。", wrap=True))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_local)
        buttons.addWidget(self.take_package)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def reload(self) -> None:
        found = exchange.open_conflicts(self.ctx.store)
        self.model.set_rows([{"conflict": c} for c in found])
        self.summary.setText(f"待处理 {len(found)} 处冲突。" if found else "没有待处理的冲突。")
        self._update_buttons()

    def _selected(self) -> list[int]:
        rows = {index.row() for index in self.view.selectionModel().selectedRows()}
        return [self.model.row_at(r)["conflict"].id for r in sorted(rows)]

    def _update_buttons(self) -> None:
        chosen = bool(self._selected())
        self.keep_local.setEnabled(chosen)
        self.take_package.setEnabled(chosen)

    def resolve(self, choice: str) -> None:
        done, failed = 0, []
        for conflict_id in self._selected():
            try:
                exchange.resolve_conflict(self.ctx.store, conflict_id, choice)
                done += 1
            except AppError as exc:
                failed.append(str(exc))
        self.ctx.notify("all")
        self.reload()
        if failed:
            look.warn(self, "处理冲突", "以下冲突未能处理：\n" + "\n".join(failed[:8]))
        elif done:
            self.ctx.notify_status(f"已处理 {done} 处冲突。")
