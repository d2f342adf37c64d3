"""预览述职报告: the report exactly as it prints — the PDF is made on a worker from what is
saved, its pages rendered (``ui.pdf_pages``) and shown one below the other — with 打印…
(the system print dialog: printer, copies, page range) and the exports beside it.

Nothing is written where the clerk keeps files: the preview's PDF lives in a temporary folder
that goes when the dialog closes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPageSize, QPixmap, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from duty_tracker.core.services import reporting
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.ui import look, pdf_pages
from duty_tracker.ui.tasks import Task, TaskControl, run_in_background, run_with_progress

#: Rendered finely enough for 150 % on a high-density screen; shown scaled to the zoom.
PREVIEW_DPI = 144
#: The zoom choices: (label, factor of the page's real size at 96 dpi, or "page"/"width": the
#: whole page, the width of the window). A preview opens on whole pages, as a print preview does.
ZOOMS = (("整页", "page"), ("适合页宽", "width"), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0),
         ("150%", 1.5))


class DebriefPreviewDialog(QDialog):
    """The pages of one debrief; ``export_requested(word)`` asks the page for a file."""

    export_requested = Signal(bool)

    def __init__(self, db_path: Path, options: reporting.DebriefExport, leader_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"述职报告预览 — {leader_name}")
        look.roomy_dialog(self)
        self.db_path = db_path
        self._folder = Path(tempfile.mkdtemp(prefix="duty-tracker-preview-"))
        self.options = replace(options, output=self._folder / "述职报告预览.pdf")
        self.pdf_path: Path | None = None
        self.images: list[QImage] = []
        self.page_labels: list[QLabel] = []
        self.task: Task | None = None
        self.print_task: Task | None = None
        self.printed: int | None = None
        self._build()
        self.finished.connect(lambda _r: self._clean_up())
        self.resize(980, 720)

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        self.zoom_combo = QComboBox(self)
        for label, factor in ZOOMS:
            self.zoom_combo.addItem(label, factor)
        self.zoom_combo.currentIndexChanged.connect(lambda _i: self._show_pages())
        self.page_count_label = look.hint_label(wrap=False, parent=self)
        self.print_button = QPushButton("打印(&P)…", self)
        self.print_button.setToolTip("选择打印机、份数和页码范围（Ctrl+P）")
        self.pdf_button = QPushButton("导出PDF…", self)
        self.word_button = QPushButton("导出Word…", self)
        self.close_button = QPushButton("关闭", self)
        self.print_button.clicked.connect(self.print_document)
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit(False))
        self.word_button.clicked.connect(lambda: self.export_requested.emit(True))
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("显示比例", self))
        bar.addWidget(self.zoom_combo)
        bar.addWidget(self.page_count_label, 1)
        for button in (self.print_button, self.pdf_button, self.word_button, self.close_button):
            bar.addWidget(button)
        self.notice = look.warning_label(parent=self)
        self.notice.hide()
        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("previewPages")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setSpacing(16)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.state_label = look.hint_label("正在生成预览…", parent=self.pages_widget)
        self.pages_layout.addWidget(self.state_label)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setBackgroundRole(self.palette().ColorRole.Mid)
        self.scroll.setWidget(self.pages_widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.scroll, 1)
        self._set_ready(False)

    def _set_ready(self, ready: bool) -> None:
        for button in (self.print_button, self.pdf_button, self.word_button):
            button.setEnabled(ready)

    # -- making the preview ----------------------------------------------------------------
    def start(self) -> Task:
        """The PDF and its pages, on a worker; the pages appear when they are ready."""
        db_path, options = self.db_path, self.options

        def work(control: TaskControl) -> tuple[reporting.ExportResult, list[QImage]]:
            with open_worker_store(db_path) as store:
                result = reporting.export_debrief(store, options)
            images = list(pdf_pages.render_pages(result.path, PREVIEW_DPI,
                                                 should_stop=lambda: control.cancelled))
            return result, images

        self.task = run_in_background(self, work, self._ready, self._failed)
        return self.task

    def _ready(self, outcome: tuple[reporting.ExportResult, list[QImage]]) -> None:
        if not isValid(self):
            return
        result, self.images = outcome
        self.pdf_path = result.path
        self.task = None
        self.state_label.hide()
        self.page_count_label.setText(f"共 {len(self.images)} 页（按打印效果显示）")
        self.notice.setText(result.font_notice or "")
        self.notice.setVisible(bool(result.font_notice))
        self._set_ready(bool(self.images))
        self._show_pages()

    def _failed(self, message: str) -> None:
        if not isValid(self):
            return
        self.task = None
        self.state_label.setText(f"无法生成预览：{message}")
        look.set_tone(self.state_label, "error")

    def _width_for(self, image: QImage) -> int:
        factor = self.zoom_combo.currentData()
        room = self.scroll.viewport().size()
        if factor == "width":  # the width of the window, with a little room around the page
            return max(200, room.width() - 48)
        if factor == "page":  # a whole page in view
            return max(160, min(room.width() - 48,
                                round((room.height() - 24) * image.width() / image.height())))
        return round(image.width() / PREVIEW_DPI * 96 * factor)  # the page at its real size

    def _show_pages(self) -> None:
        """One label per page, scaled to the zoom (the rendering is kept; scaling is cheap)."""
        while len(self.page_labels) < len(self.images):
            label = QLabel(self.pages_widget)
            label.setObjectName("previewPage")
            label.setFrameShape(QLabel.Shape.Box)
            self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        ratio = self.devicePixelRatioF()
        for label, image in zip(self.page_labels, self.images, strict=False):
            width = self._width_for(image)
            pixmap = QPixmap.fromImage(image.scaledToWidth(
                round(width * ratio), Qt.TransformationMode.SmoothTransformation))
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            label.setToolTip(f"第 {self.page_labels.index(label) + 1} 页")

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().resizeEvent(event)
        if self.images and isinstance(self.zoom_combo.currentData(), str):
            QTimer.singleShot(0, self._show_pages)

    def current_page(self) -> int:
        """The page at the top of the view (1-based), for 打印当前页."""
        top = self.scroll.verticalScrollBar().value()
        for number, label in enumerate(self.page_labels, 1):
            if label.geometry().bottom() >= top:
                return number
        return 1

    # -- printing --------------------------------------------------------------------------
    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the PDF carries the margins of the official layout
        printer.setDocName(self.windowTitle().replace("预览 — ", "—"))
        return printer

    def print_document(self) -> Task | None:
        """打印…: the system print dialog (printer, copies, pages), then the print on a worker."""
        if self.pdf_path is None or not self.images:
            return None
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印述职报告")
        options = QAbstractPrintDialog.PrintDialogOption
        dialog.setOptions(options.PrintPageRange | options.PrintCurrentPage
                          | options.PrintCollateCopies | options.PrintShowPageSize)
        dialog.setMinMax(1, len(self.images))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> Task:
        """Send the pages the printer's settings ask for (copies, range) to ``printer``."""
        plan = pdf_pages.print_plan(printer, len(self.images), self.current_page())
        path = self.pdf_path
        self.printed = None

        def work(control: TaskControl) -> int:
            return pdf_pages.print_pdf(path, printer, plan, progress=control.progress,
                                       should_stop=lambda: control.cancelled)

        def done(sheets: int) -> None:
            self.print_task = None
            self.printed = sheets
            copies = printer.copyCount()
            what = f"{len(plan.pages)} 页" + (f"，共 {copies} 份" if copies > 1 else "")
            where = (f"已打印到文件“{printer.outputFileName()}”" if printer.outputFileName()
                     else f"已发送到打印机“{printer.printerName()}”" if printer.printerName()
                     else "已发送到打印机")
            look.inform(self, "打印述职报告", f"{where}：{what}。")

        self._printer = printer  # alive until the worker is done with it
        self.print_task = run_with_progress(self, "正在打印述职报告", work, on_success=done,
                                            on_failure=lambda m: look.warn(self, "打印失败", m))
        return self.print_task

    # -- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self._clean_up()
        super().closeEvent(event)

    def _clean_up(self) -> None:
        """Stop the rendering, let a print finish (both read the temporary PDF), then remove
        the folder."""
        for task, stop in ((self.task, True), (self.print_task, False)):  # a print goes on
            if task is not None and isValid(task) and task.isRunning():
                task.control.cancelled = stop
                task.wait(60000)
        shutil.rmtree(self._folder, ignore_errors=True)
