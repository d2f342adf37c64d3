"""数据: the clerk's safety page — backups and restore, the integrity check, Excel export and
import, data packages, and the 操作日志 (audit log).

Long work (backups, checks, reading and writing files) runs off the UI thread through
``run_with_progress``; each task opens a worker store on ``ctx.db_path`` (a connection
belongs to its thread). Every action is one call to a use case (``core.services.safety`` and
``core.services.exchange``): imports are a preview shown in a dialog, then — after the clerk
confirms — the write, which the use case precedes with a backup. A restore goes through
``safety.restore_backup`` on the window's ledger; the context then tells every page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.errors import AppError
from duty_tracker.core.services import exchange, safety
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.core.storage.backup import BackupInfo, RestoreProblemsError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.audit_log_dialog import AuditLogView
from duty_tracker.ui.dialogs.import_preview_dialog import ImportPreviewDialog
from duty_tracker.ui.tasks import run_with_progress
from duty_tracker.ui.widgets.year_selector import YearSpin

EXCEL_FILTER = "Excel 文件 (*.xlsx)"
PACKAGE_FILTER = "履职纪实数据包 (*.dtpkg)"
BACKUP_FILTER = "履职纪实备份 (*.zip *.db)"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


class DataPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.addTab(self._backup_tab(), "备份与恢复")
        self.tabs.addTab(self._excel_tab(), "Excel 导入导出")
        self.tabs.addTab(self._package_tab(), "数据包")
        self.audit_view = AuditLogView(ctx, self)
        self.tabs.addTab(self.audit_view, "操作日志")
        layout = look.page_layout(self)
        layout.addWidget(look.page_header("数据", "备份与恢复、完整性检查、Excel 与数据包的导入导出，以及每一次修改的操作日志。"))
        layout.addWidget(self.tabs, 1)
        ctx.events.changed.connect(self._data_changed)
        self.refresh()

    # -- hooks -----------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.refresh()

    def _data_changed(self, kind: str) -> None:
        if kind == "all":  # possibly another database (文件 → 打开数据库)
            self.db_label.setText(str(self.ctx.db_path))
            self.att_label.setText(str(self.ctx.store.attachments_dir))
            self.refresh_backups()
            self.refresh_conflicts()
        if kind in ("people", "all"):
            self._fill_units()
        if self.isVisible():
            self.audit_view.refresh_actors()
            self.audit_view.reload()

    def refresh(self) -> None:
        self._fill_units()
        self.refresh_backups()
        self.refresh_conflicts()
        self.audit_view.refresh_actors()
        self.audit_view.reload()

    # -- 备份与恢复 ---------------------------------------------------------------------------
    def _backup_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        where = QGroupBox("数据保存在哪里")
        form = QFormLayout(where)
        self.db_label = look.plain_label(str(self.ctx.db_path))
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("数据库：", self.db_label)
        self.att_label = look.plain_label(str(self.ctx.store.attachments_dir))
        self.att_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("附件：", self.att_label)
        open_folder = QPushButton("打开数据文件夹")
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.db_path.parent))))
        folder_row = QHBoxLayout()
        folder_row.addWidget(open_folder)
        folder_row.addStretch(1)
        form.addRow("", folder_row)
        layout.addWidget(where)

        actions = QHBoxLayout()
        self.backup_now_button = QPushButton("立即备份")
        self.backup_now_button.setToolTip("在数据文件夹中保存一份经过校验的数据库副本（自动轮换，保留 30 份）")
        self.backup_to_button = QPushButton("备份到U盘或文件夹…")
        self.backup_to_button.setToolTip("数据库和全部附件打包成一个 .zip 文件，写入后重新读取校验")
        self.restore_button = QPushButton("从备份文件恢复…")
        self.check_button = QPushButton("检查完整性")
        self.check_button.setToolTip("检查数据库和每个附件文件（是否缺失、是否被改动）")
        for button in (self.backup_now_button, self.backup_to_button, self.restore_button, self.check_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.backup_now_button.clicked.connect(self.backup_now)
        self.backup_to_button.clicked.connect(self.backup_to_folder)
        self.restore_button.clicked.connect(self.restore_from_file)
        self.check_button.clicked.connect(self.check_integrity)

        box = QGroupBox("自动备份（每天首次启动时、数据库升级前、恢复和导入数据包前自动保存）")
        box_layout = QVBoxLayout(box)
        self.backup_table = QTableWidget(0, 3)
        self.backup_table.setHorizontalHeaderLabels(["备份时间", "说明", "大小"])
        self.backup_table.verticalHeader().setVisible(False)
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.backup_table.horizontalHeader()
        header.resizeSection(0, 170)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(2, 90)
        self.backup_empty = look.EmptyState(self.backup_table, lambda: (
            "尚无自动备份。点击上方“立即备份”保存一份；以后每天首次启动时也会自动备份。"))
        box_layout.addWidget(self.backup_table)
        row = QHBoxLayout()
        self.restore_selected_button = QPushButton("恢复所选备份…")
        self.restore_selected_button.clicked.connect(self.restore_selected_backup)
        self.backup_table.itemDoubleClicked.connect(lambda _item: self.restore_selected_backup())
        row.addWidget(self.restore_selected_button)
        row.addStretch(1)
        box_layout.addLayout(row)
        layout.addWidget(box, 1)
        return tab

    def refresh_backups(self) -> None:
        infos = safety.list_backups(self.ctx.db_path)
        self.backup_table.setRowCount(len(infos))
        for r, info in enumerate(infos):
            for c, text in enumerate((info.created_at, info.reason or "自动备份", _size(info.size))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(info.path))
                self.backup_table.setItem(r, c, item)
        self.restore_selected_button.setEnabled(bool(infos))

    def backup_now(self) -> None:
        db_path = self.ctx.db_path

        def work(_control) -> Path | None:  # noqa: ANN001
            return safety.backup_now(db_path)

        def done(path: Path | None) -> None:
            self.refresh_backups()
            look.inform(self, "备份", f"备份已完成并通过校验：\n{path}" if path else "数据库是空的，无需备份。")

        run_with_progress(self, "正在备份…", work, done)

    def backup_to_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择备份保存的位置（如U盘）")
        if not folder:
            return
        db_path = self.ctx.db_path

        def work(control) -> Path:  # noqa: ANN001
            def progress(done: int, total: int, text: str) -> None:
                control.check()
                control.progress(done, total, text)

            return safety.backup_to_folder(db_path, Path(folder), progress=progress)

        def done(path: Path) -> None:
            look.inform(self, "备份", f"完整备份（含附件）已保存并通过校验：\n{path}")

        run_with_progress(self, "正在备份到文件夹…", work, done)

    def restore_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(self.ctx.store.backups_dir), BACKUP_FILTER)
        if path:
            self.preview_restore(Path(path))

    def restore_selected_backup(self) -> None:
        item = self.backup_table.item(self.backup_table.currentRow(), 0)
        if item is None:
            look.inform(self, "恢复", "请先在列表中选择一份备份。")
            return
        self.preview_restore(Path(item.data(Qt.ItemDataRole.UserRole)))

    def preview_restore(self, path: Path) -> None:
        def work(_control) -> BackupInfo:  # noqa: ANN001
            return safety.describe_backup(path)

        run_with_progress(self, "正在检查备份…", work, self._confirm_restore)

    def _confirm_restore(self, info: BackupInfo) -> None:
        lines = [f"备份文件：{info.path}", f"备份时间：{info.created_at or '未知'}（{info.kind}）"]
        if info.reason:
            lines.append(f"说明：{info.reason}")
        lines.append(f"履职纪实：{info.record_count if info.record_count is not None else '?'} 条"
                     + (f"，附件文件 {info.attachment_count} 个" if info.kind == "完整备份" else ""))
        lines.append(f"当前数据库：{self.ctx.store.records.count()} 条履职纪实")
        lines.append("")
        lines.append("恢复会用这份备份替换当前数据。当前数据会先自动备份，恢复后仍可找回。" if info.ok
                     else "这份备份未通过校验，不能用于恢复。")
        dialog = ImportPreviewDialog(self, "从备份恢复", "\n".join(lines), info.problems,
                                     problems_title="校验发现的问题：", accept_text="恢复",
                                     can_accept=info.ok)
        if dialog.exec() != ImportPreviewDialog.DialogCode.Accepted:
            return
        self.restore(info.path)

    def restore(self, path: Path) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = safety.restore_backup(self.ctx.ledger, path)
        except RestoreProblemsError as exc:  # restored, but check finds problems
            QGuiApplication.restoreOverrideCursor()
            self.ctx.data_replaced()
            self.refresh()
            look.warn(self, "恢复", f"已从 {path.name} 恢复，但检查发现问题：\n{exc}"
                      + (f"\n恢复前的数据已备份为：{exc.safety.name}" if exc.safety else ""))
            return
        except AppError as exc:
            QGuiApplication.restoreOverrideCursor()
            self.ctx.data_replaced()  # the store was reopened: pages must not keep the old one
            look.warn(self, "恢复", f"恢复失败，当前数据没有改变：\n{exc}")
            return
        QGuiApplication.restoreOverrideCursor()
        self.ctx.data_replaced()
        self.refresh()
        look.inform(
            self, "恢复", f"已从 {path.name} 恢复。" + (
                f"\n恢复前的数据已备份为：{result.safety_backup.name}" if result.safety_backup else ""))

    def check_integrity(self) -> None:
        db_path = self.ctx.db_path

        def work(control) -> Any:  # noqa: ANN001
            control.progress(0, 0, "正在检查数据库和附件…")
            return safety.check(db_path)

        def done(report) -> None:  # noqa: ANN001
            if report.ok:
                look.inform(self, "检查完整性",
                                        f"检查通过：数据库完好，{report.attachments_checked} 个附件均完整。")
            else:
                ImportPreviewDialog(self, "检查完整性", f"检查发现 {len(report.problems)} 个问题：",
                                    report.problems, problems_title="", accept_text="关闭").exec()

        run_with_progress(self, "检查完整性", work, done)

    # -- Excel ------------------------------------------------------------------------------
    def _excel_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        export_box = QGroupBox("导出")
        form = QFormLayout(export_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.year_spin = YearSpin(self.ctx.today().year)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(320)
        self.ledger_check = QCheckBox("履职纪实台账")
        self.ledger_check.setChecked(True)
        self.status_check = QCheckBox("完成情况表")
        self.status_check.setChecked(True)
        checks = QHBoxLayout()
        checks.addWidget(self.ledger_check)
        checks.addWidget(self.status_check)
        checks.addStretch(1)
        form.addRow("年度：", self.year_spin)
        form.addRow("单位：", self.unit_combo)
        form.addRow("内容：", checks)
        self.export_xlsx_button = QPushButton("导出 Excel…")
        self.export_roster_button = QPushButton("导出负责人名册…")
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_xlsx_button)
        buttons.addWidget(self.export_roster_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        layout.addWidget(export_box)

        import_box = QGroupBox("导入")
        import_layout = QVBoxLayout(import_box)
        hint = look.hint_label("先逐行检查，列出有错误的行（日期、类型、负责人、履职事项）；确认后，所有有效的行在一次操作中"
                               "写入，不会只导入一半。表格格式与导出的台账或名册相同。")
        import_layout.addWidget(hint)
        row = QHBoxLayout()
        self.import_records_button = QPushButton("导入履职纪实…")
        self.import_roster_button = QPushButton("导入负责人名册…")
        row.addWidget(self.import_records_button)
        row.addWidget(self.import_roster_button)
        row.addStretch(1)
        import_layout.addLayout(row)
        layout.addWidget(import_box)
        layout.addStretch(1)
        self.export_xlsx_button.clicked.connect(self.export_xlsx)
        self.export_roster_button.clicked.connect(self.export_roster)
        self.import_records_button.clicked.connect(lambda: self.import_xlsx(roster=False))
        self.import_roster_button.clicked.connect(lambda: self.import_xlsx(roster=True))
        return tab

    def _fill_units(self) -> None:
        units = self.ctx.store.people.units()
        for combo, all_label in ((self.unit_combo, "全部单位"), (getattr(self, "package_unit_combo", None), None)):
            if combo is None:
                continue
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if all_label:
                combo.addItem(all_label, None)
            for unit in units:
                combo.addItem(f"{unit['name']}（{unit['level']}）", unit["id"])
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def export_xlsx(self) -> None:
        ledger, status = self.ledger_check.isChecked(), self.status_check.isChecked()
        if not ledger and not status:
            look.inform(self, "导出 Excel", "请至少选择台账或完成情况表。")
            return
        year, unit_id = self.year_spin.value(), self.unit_combo.currentData()
        unit_name = self.unit_combo.currentText().split("（")[0] if unit_id else ""
        suggested = f"{unit_name}{year}年履职纪实台账.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel", suggested, EXCEL_FILTER)
        if not path:
            return
        db_path = self.ctx.db_path
        options = exchange.LedgerExportOptions(path=Path(path), year=year, unit_id=unit_id,
                                               ledger=ledger, status=status, today=self.ctx.today())

        def work(control) -> dict[str, int]:  # noqa: ANN001
            control.progress(0, 0, "正在导出…")
            with open_worker_store(db_path) as store:
                return exchange.export_ledger(store, options)

        def done(counts: dict[str, int]) -> None:
            parts = "，".join(f"{sheet} {n} 行" for sheet, n in counts.items())
            look.inform(self, "导出 Excel", f"已导出：{options.target}\n{parts}")

        run_with_progress(self, "导出 Excel", work, done)

    def export_roster(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出负责人名册", "负责人名册.xlsx", EXCEL_FILTER)
        if not path:
            return
        try:
            count = exchange.export_roster(self.ctx.store, Path(path))
        except AppError as exc:
            look.warn(self, "导出负责人名册", str(exc))
            return
        look.inform(self, "导出负责人名册", f"已导出 {count} 行：{path}")

    def import_xlsx(self, *, roster: bool) -> None:
        kind = exchange.SheetKind.ROSTER if roster else exchange.SheetKind.RECORDS
        what = kind.label
        path, _ = QFileDialog.getOpenFileName(self, f"导入{what}", "", EXCEL_FILTER)
        if not path:
            return
        db_path = self.ctx.db_path

        def read(control) -> Any:  # noqa: ANN001
            control.progress(0, 0, "正在逐行检查…")
            with open_worker_store(db_path) as store:
                return exchange.preview_xlsx(store, Path(path), kind)

        def confirm(preview: Any) -> None:
            bad_rows = len({e.row for e in preview.errors})
            summary = (f"文件：{path}\n共 {preview.total_rows} 行：{preview.valid_count} 行有效，{bad_rows} 行有错误。\n\n"
                       + (f"确认后，{preview.valid_count} 行有效数据将在一次操作中全部写入（导入前自动备份）。"
                          if preview.valid_count else "没有可以导入的行。请改正表格后重新导入。"))
            dialog = ImportPreviewDialog(
                self, f"导入{what}", summary, preview.error_lines(),
                accept_text=f"导入 {preview.valid_count} 行有效数据" if preview.errors else "导入",
                can_accept=preview.valid_count > 0)
            if dialog.exec() != ImportPreviewDialog.DialogCode.Accepted:
                return

            def write(control) -> Any:  # noqa: ANN001
                control.progress(0, 0, "正在导入…")
                with open_worker_store(db_path) as store:
                    return exchange.apply_xlsx(store, preview, kind, Path(path))

            def written(outcome: Any) -> None:
                self.ctx.notify("people" if roster else "records")
                self.refresh_backups()
                look.inform(self, f"导入{what}", outcome.result.summary())

            run_with_progress(self, f"导入{what}", write, written)

        run_with_progress(self, f"导入{what}", read, confirm)

    # -- 数据包 ---------------------------------------------------------------------------------
    def _package_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        hint = look.hint_label("数据包把一个单位（含下级单位）的负责人、任期、履职纪实、附件和述职报告放进一个文件，"
                               "带有校验清单。导入后逐项合并：新的加入，对方改过的采用，本机改过的保留；"
                               "两边都改过的列为冲突，两边的内容都保存，由您选择保留哪一边。")
        layout.addWidget(hint)
        export_box = QGroupBox("导出数据包")
        form = QFormLayout(export_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.package_unit_combo = QComboBox()
        self.package_unit_combo.setMinimumWidth(320)
        form.addRow("单位：", self.package_unit_combo)
        self.export_package_button = QPushButton("导出数据包…")
        form.addRow("", self.export_package_button)
        layout.addWidget(export_box)
        import_box = QGroupBox("导入数据包")
        row = QHBoxLayout(import_box)
        self.import_package_button = QPushButton("导入数据包…")
        self.conflicts_button = QPushButton("处理冲突…")
        self.conflicts_button.setToolTip("本机和对方都修改过的内容：逐条选择保留哪一边")
        row.addWidget(self.import_package_button)
        row.addWidget(self.conflicts_button)
        row.addStretch(1)
        layout.addWidget(import_box)
        layout.addStretch(1)
        self.export_package_button.clicked.connect(self.export_package)
        self.import_package_button.clicked.connect(self.import_package)
        self.conflicts_button.clicked.connect(self.show_conflicts)
        return tab

    def refresh_conflicts(self) -> None:
        count = len(exchange.open_conflicts(self.ctx.store))
        self.conflicts_button.setText(f"处理冲突（{count}）…" if count else "处理冲突…")
        self.conflicts_button.setEnabled(bool(count))

    def show_conflicts(self) -> None:
        from duty_tracker.ui.dialogs.conflicts_dialog import ConflictsDialog

        self.conflicts_dialog = ConflictsDialog(self.ctx, self)
        self.conflicts_dialog.finished.connect(lambda _r: self.refresh_conflicts())
        self.conflicts_dialog.open()

    def export_package(self) -> None:
        unit_id = self.package_unit_combo.currentData()
        if unit_id is None:
            look.inform(self, "导出数据包", "请先在“负责人与单位”中添加单位。")
            return
        name = self.package_unit_combo.currentText().split("（")[0]
        path, _ = QFileDialog.getSaveFileName(self, "导出数据包", f"{name}数据包.dtpkg", PACKAGE_FILTER)
        if not path:
            return
        db_path = self.ctx.db_path

        def work(control) -> dict:  # noqa: ANN001
            control.progress(0, 0, "正在导出数据包…")
            with open_worker_store(db_path) as store:
                return exchange.export_package(store, unit_id, Path(path))

        def done(manifest: dict) -> None:
            c = manifest["counts"]
            look.inform(self, "导出数据包", f"已导出：{manifest['path']}\n负责人 {c['leaders']} 名，"
                                                   f"履职纪实 {c['records']} 条，附件 {c['attachments']} 个。")

        run_with_progress(self, "导出数据包", work, done)

    def import_package(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入数据包", "", PACKAGE_FILTER + ";;所有文件 (*)")
        if not path:
            return
        db_path = self.ctx.db_path

        def read(control) -> Any:  # noqa: ANN001
            control.progress(0, 0, "正在校验数据包…")
            with open_worker_store(db_path) as store:
                return exchange.preview_package(store, Path(path))

        def confirm(preview: Any) -> None:
            summary = (f"数据包：{path}\n单位：{preview.unit_name}，导出于 {preview.created_at.replace('T', ' ')}\n"
                       f"校验通过。导入将会：\n{preview.summary()}\n\n导入前会自动备份当前数据。")
            dialog = ImportPreviewDialog(self, "导入数据包", summary, [str(c) for c in preview.conflicts],
                                         problems_title="冲突（两边都修改过：合并时保留本机的内容，数据包的内容另存，"
                                                        "合并后可逐条选择）：",
                                         accept_text="合并")
            if dialog.exec() != ImportPreviewDialog.DialogCode.Accepted:
                return

            def write(control) -> Any:  # noqa: ANN001
                control.progress(0, 0, "正在合并…")
                with open_worker_store(db_path) as store:
                    return exchange.import_package(store, Path(path))

            def written(result: Any) -> None:
                self.ctx.notify("all")
                self.refresh()
                look.inform(self, "导入数据包", f"合并完成。\n{result.summary()}")
                if result.conflicts:
                    self.show_conflicts()

            run_with_progress(self, "导入数据包", write, written)

        run_with_progress(self, "导入数据包", read, confirm)
