"""What the 述职报告 page makes of the reports: one leader's PDF or Word file, the preview and
print of it, all files of a year or a unit (PDF or Word), and the unit summary table.

Every export is the same shape: collect the options (a file dialog, the batch or summary dialog),
run one use case of ``core.services.reporting`` on a worker that opens its own store, then show
the result — with the font notice when the bundled faces stood in for the official ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from duty_tracker.core.services import reporting
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.ui import look
from duty_tracker.ui.dialogs.debrief_batch_dialog import DebriefBatchDialog
from duty_tracker.ui.dialogs.summary_export_dialog import SummaryExportDialog
from duty_tracker.ui.tasks import TaskControl, run_in_background, run_with_progress

FORMATS = {False: ("PDF", "PDF 文件 (*.pdf)", ".pdf"), True: ("Word", "Word 文档 (*.docx)", ".docx")}


class _FontProbe(QObject):
    """Looks once per run of the program for the official faces (half a second, off the UI
    thread) and tells every page that asks; the answer is kept."""

    ready = Signal(str)

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.notice: str | None = None
        self._started = False

    def ask(self) -> None:
        if self.notice is not None:
            self.ready.emit(self.notice)
        elif not self._started:
            self._started = True
            run_in_background(self, lambda _c: reporting.pdf_font_notice(), self._found,
                              lambda _m: self._found(""))

    def _found(self, notice: str) -> None:
        self.notice = notice
        self.ready.emit(notice)


_probe: _FontProbe | None = None


def font_probe() -> _FontProbe:
    global _probe
    if _probe is None or _probe.parent() is not QCoreApplication.instance():
        _probe = _FontProbe()
    return _probe


class DebriefExports:
    """Mixin of the 述职报告 page: needs ``ctx``, ``year``, ``save()``, ``_leader``,
    ``_year_leaders``, ``_units`` and ``unit_combo``."""

    task: Any
    last_pdf: Path | None
    last_export: reporting.ExportResult | None
    batch_dialog: DebriefBatchDialog | None
    summary_dialog: SummaryExportDialog | None
    last_batch: dict[str, Any] | None

    # -- folders and messages --------------------------------------------------------------
    def _last_folder(self) -> str:
        folder = self.ctx.settings.value("debrief/folder", "")
        return str(folder) if folder and Path(str(folder)).is_dir() else str(Path.home())

    def _remember_folder(self, folder: Path) -> None:
        self.ctx.settings.setValue("debrief/folder", str(folder))

    def _offer_to_open(self, title: str, message: str, target: Path) -> None:
        answer = look.ask(self, title, f"{message}\n\n现在打开吗？",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    @staticmethod
    def _exported_text(result: reporting.ExportResult) -> str:
        return f"已导出：{result.path}" + (f"\n\n{result.font_notice}" if result.font_notice else "")

    def _failed(self, title: str):  # noqa: ANN202
        def show(message: str) -> None:
            self.task = None
            look.warn(self, title, message)
        return show

    # -- one leader ------------------------------------------------------------------------
    def export_pdf(self) -> None:
        self.export_one(word=False)

    def export_word(self) -> None:
        self.export_one(word=True)

    def export_one(self, *, word: bool, parent: QWidget | None = None) -> None:
        """导出PDF… / 导出Word…: the file, then the report on a worker."""
        leader = self._leader
        if leader is None or not self.save():
            return
        label, file_filter, suffix = FORMATS[word]
        suggested = Path(self._last_folder()) / reporting.debrief_file_name(
            self.ctx.store, leader["id"], self.year, suffix)
        path, _ = QFileDialog.getSaveFileName(parent or self, f"导出述职报告（{label}）",
                                              str(suggested), file_filter)
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        options = reporting.DebriefExport(leader_id=leader["id"], year=self.year, output=target,
                                          today=self.ctx.today())
        self._remember_folder(options.target.parent)
        db_path = self.ctx.db_path

        def work(_control: TaskControl) -> reporting.ExportResult:
            with open_worker_store(db_path) as store:
                return reporting.export_debrief(store, options)

        def done(result: reporting.ExportResult) -> None:
            self.task = None
            self.last_export = result
            if not word:
                self.last_pdf = result.path
            self._offer_to_open("导出述职报告", self._exported_text(result), result.path)

        self.task = run_with_progress(self, f"正在生成述职报告（{label}）", work, on_success=done,
                                      on_failure=self._failed("导出述职报告失败"))

    def preview(self) -> QWidget | None:
        """预览/打印…: the report as it will print, page by page, with 打印…."""
        from duty_tracker.ui.dialogs.debrief_preview_dialog import DebriefPreviewDialog

        leader = self._leader
        if leader is None or not self.save():
            return None
        options = reporting.DebriefExport(leader_id=leader["id"], year=self.year,
                                          output=Path("preview.pdf"), today=self.ctx.today())
        dialog = DebriefPreviewDialog(self.ctx.db_path, options, leader["name"], parent=self)
        dialog.export_requested.connect(lambda word: self.export_one(word=word, parent=dialog))
        self.preview_dialog = dialog
        dialog.show()
        dialog.start()
        return dialog

    # -- a year, a unit --------------------------------------------------------------------
    def export_batch(self) -> None:
        if not self.save():
            return
        dialog = DebriefBatchDialog(self.year, self.ctx.today(), self._year_leaders, self._units,
                                    self._last_folder(), self.unit_combo.currentData(), parent=self,
                                    word=str(self.ctx.settings.value("debrief/batch_word", "")) == "true")
        self.batch_dialog = dialog
        dialog.accepted.connect(lambda: self._run_batch(dialog.options))
        dialog.open()

    def _run_batch(self, options: reporting.BatchExport | None) -> None:
        if options is None:
            return
        self._remember_folder(options.folder)
        self.ctx.settings.setValue("debrief/batch_word", "true" if options.word else "false")
        db_path = self.ctx.db_path
        names = {row["id"]: row["name"] for row in self._year_leaders}

        def work(control: TaskControl) -> dict[str, Any]:
            result = reporting.export_debrief_batch(db_path, options, progress=control.progress,
                                                    should_cancel=lambda: control.cancelled)
            control.check()  # a cancelled batch ends as cancelled (the files written so far stay)
            failures = [(names.get(i, str(i)), message) for i, message in result.failures]
            notice = reporting.word_font_notice_text() if options.word else reporting.pdf_font_notice()
            return {"written": result.written, "failures": failures, "folder": result.folder,
                    "font_notice": notice}

        def done(result: dict[str, Any]) -> None:
            self.task = None
            self.last_batch = result
            written, failures = result["written"], result["failures"]
            kind = "Word 文件" if options.word else "PDF 文件"
            message = f"已导出 {len(written)} 份述职报告（{kind}）到：{result['folder']}"
            if failures:
                message += f"\n\n{len(failures)} 份未能导出：\n" + "\n".join(m for _i, m in failures[:8])
            if result["font_notice"]:
                message += f"\n\n{result['font_notice']}"
            self._offer_to_open("批量导出述职报告", message, Path(result["folder"]))

        self.task = run_with_progress(
            self, f"批量导出{options.year}年度述职报告", work,
            on_success=done, on_failure=self._failed("批量导出失败"))
        self.task.cancelled.connect(lambda: setattr(self, "task", None))

    def export_summary(self) -> None:
        """单位汇总表…: 填报单位, 填报人 and the file, then the table on a worker."""
        unit_id = self.unit_combo.currentData()
        unit_name = self.unit_combo.currentText() if unit_id is not None else ""
        suggested = Path(self._last_folder()) / reporting.summary_name(self.ctx.store, self.year, unit_id)
        dialog = SummaryExportDialog(self.ctx, self.year, unit_id, unit_name, suggested, parent=self)
        self.summary_dialog = dialog
        dialog.accepted.connect(lambda: self._run_summary(dialog.options))
        dialog.open()

    def _run_summary(self, options: reporting.SummaryExport | None) -> None:
        if options is None:
            return
        self._remember_folder(options.target.parent)
        db_path = self.ctx.db_path

        def work(_control: TaskControl) -> reporting.ExportResult:
            with open_worker_store(db_path) as store:
                return reporting.export_summary(store, options)

        def done(result: reporting.ExportResult) -> None:
            self.task = None
            self.last_pdf = result.path
            self.last_export = result
            self._offer_to_open("单位汇总表", self._exported_text(result), result.path)

        self.task = run_with_progress(self, "正在生成单位汇总表", work, on_success=done,
                                      on_failure=self._failed("导出单位汇总表失败"))
