"""The pages of a finished PDF as pictures: the preview of a debrief, and its print.

Why pypdfium2: it is PDFium — the PDF engine of Chrome, which draws Chinese official documents
(embedded TrueType subsets, 避头尾 layout) exactly as the PDF says — behind a maintained Python
binding under Apache-2.0/BSD-3 licences, with wheels that carry the library itself for Windows
and Linux: nothing to install on the clerk's PC and nothing for the packager to find on the
system. Qt's own PDF module (QtPdf) is not part of PySide6-Essentials, and poppler would be a
GPL system library.

PDFium is not thread-safe, not even across documents, so every call goes through one lock and
every PDFium object is closed explicitly inside it (never left to a finaliser that could run on
another thread). Rendering runs on workers (``ui.tasks``); a page becomes a ``QImage``, which
may be made off the UI thread, and so may painting on a ``QPrinter``.

Printing sends each page at the printer's resolution (capped at :data:`MAX_PRINT_DPI`, finer
than paper shows), in strips of :data:`STRIP_ROWS` rows, so a 1200-dpi A4 page never needs more
than a few megabytes at once. Copies and the page range come from the system print dialog; the
program repeats the pages itself only when the printer cannot make copies on its own.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from duty_tracker.core.errors import AppError

#: Finer than this a print looks no sharper on paper, and a page costs hundreds of megabytes.
MAX_PRINT_DPI = 600
#: Rows of one strip of a printed page (at 600 dpi an A4 strip is about 10 MB).
STRIP_ROWS = 512
_POINTS_PER_INCH = 72.0
_PDFIUM = threading.Lock()


class PrintError(AppError):
    """The preview or the print failed; ``str()`` says why in Chinese."""


@dataclass(frozen=True, slots=True)
class PrintPlan:
    """What the print dialog asked for: page numbers (1-based, in print order) and how many
    times the program itself repeats them (1 when the printer makes the copies)."""

    pages: tuple[int, ...]
    copies: int = 1
    collate: bool = True

    @property
    def sheets(self) -> int:
        return len(self.pages) * self.copies


def _open(source: Path | bytes) -> pdfium.PdfDocument:
    """A document from a file or from the bytes an export would write."""
    try:
        return pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    except (pdfium.PdfiumError, OSError) as exc:
        name = "生成的PDF" if isinstance(source, bytes) else f"PDF文件“{Path(source).name}”"
        raise PrintError(f"无法读取{name}：{exc}") from exc


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Width and height of every page, in points."""
    with _PDFIUM:
        document = _open(path)
        try:
            return [tuple(document.get_page_size(i)) for i in range(len(document))]
        finally:
            document.close()


def _image(bitmap: pdfium.PdfBitmap) -> QImage:
    """A copy of an RGBx bitmap as a QImage (the bitmap can then be closed)."""
    view = memoryview(bitmap.buffer).cast("B")
    image = QImage(view, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
    return image.copy()


def _render(page: pdfium.PdfPage, scale: float, top: int = 0, rows: int | None = None) -> QImage:
    """Rows ``top``..``top+rows`` of the page at ``scale`` pixels per point (all rows: None).
    The crop is given a quarter pixel short so that PDFium's rounding up lands on ``top``."""
    height = math.ceil(page.get_height() * scale)
    rows = height - top if rows is None else min(rows, height - top)
    crop_top = max(top - 0.25, 0) / scale
    crop_bottom = max(height - top - rows - 0.25, 0) / scale
    bitmap = page.render(scale=scale, crop=(0, crop_bottom, 0, crop_top), rev_byteorder=True,
                         prefer_bgrx=True, draw_annots=True)
    try:
        return _image(bitmap)
    finally:
        bitmap.close()


def render_pages(source: Path | bytes, dpi: float, *,
                 should_stop: Callable[[], bool] | None = None) -> Iterator[QImage]:
    """Every page of the PDF (a file, or its bytes) at ``dpi``, one after the other (for the
    preview)."""
    with _PDFIUM:
        document = _open(source)
        count = len(document)
    try:
        for index in range(count):
            if should_stop is not None and should_stop():
                return
            with _PDFIUM:
                page = document[index]
                try:
                    image = _render(page, dpi / _POINTS_PER_INCH)
                finally:
                    page.close()
            image.setDotsPerMeterX(round(dpi / 0.0254))
            image.setDotsPerMeterY(round(dpi / 0.0254))
            yield image
    finally:
        with _PDFIUM:
            document.close()


def print_plan(printer: QPrinter, page_total: int, current_page: int = 1) -> PrintPlan:
    """The pages and copies the clerk chose in the print dialog (call on the UI thread)."""
    mode = printer.printRange()
    if mode == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        pages = [n for n in range(1, page_total + 1) if ranges.contains(n)] if not ranges.isEmpty() \
            else list(range(max(printer.fromPage(), 1), min(printer.toPage() or page_total, page_total) + 1))
    elif mode == QPrinter.PrintRange.CurrentPage:
        pages = [min(max(current_page, 1), page_total)]
    else:
        pages = list(range(1, page_total + 1))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    return PrintPlan(tuple(pages), copies, printer.collateCopies())


def _sheets(plan: PrintPlan) -> list[int]:
    if plan.collate:
        return [n for _copy in range(plan.copies) for n in plan.pages]
    return [n for n in plan.pages for _copy in range(plan.copies)]


def print_pdf(path: Path, printer: QPrinter, plan: PrintPlan, *,
              progress: Callable[[int, int, str], None] | None = None,
              should_stop: Callable[[], bool] | None = None) -> int:
    """Print the planned pages of the PDF on ``printer`` (full-page mode: the PDF carries its
    own margins); returns the sheets sent. A stop request aborts the job."""
    sheets = _sheets(plan)
    if not sheets:
        raise PrintError("没有要打印的页：请检查打印对话框中的页码范围。")
    with _PDFIUM:
        document = _open(path)
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise PrintError("无法开始打印：请检查打印机是否已连接、开机并有纸。")
        for done, number in enumerate(sheets):
            if should_stop is not None and should_stop():
                printer.abort()
                return done
            if progress is not None:
                progress(done, len(sheets), f"正在打印第 {done + 1} 页，共 {len(sheets)} 页…")
            if done:
                printer.newPage()
            _print_page(painter, printer, document, number - 1)
        return len(sheets)
    finally:
        if painter.isActive():
            painter.end()
        with _PDFIUM:
            document.close()


def _print_page(painter: QPainter, printer: QPrinter, document: pdfium.PdfDocument,
                index: int) -> None:
    """One page, fitted into the paper (never enlarged), centred, drawn strip by strip."""
    dpi = printer.resolution()
    paper = printer.pageLayout().fullRectPixels(dpi)
    with _PDFIUM:
        page = document[index]
        width_pt, height_pt = page.get_width(), page.get_height()
    try:
        fit = min(1.0, paper.width() / (width_pt / _POINTS_PER_INCH * dpi),
                  paper.height() / (height_pt / _POINTS_PER_INCH * dpi))
        device_dpi = dpi * fit
        step = max(1, math.ceil(device_dpi / MAX_PRINT_DPI))  # device pixels per rendered pixel
        scale = device_dpi / step / _POINTS_PER_INCH
        rows_total = math.ceil(height_pt * scale)
        width_px = math.ceil(width_pt * scale)
        left = (paper.width() - width_px * step) // 2
        top = (paper.height() - rows_total * step) // 2
        for first in range(0, rows_total, STRIP_ROWS):
            with _PDFIUM:
                strip = _render(page, scale, first, STRIP_ROWS)
            painter.drawImage(QRectF(left, top + first * step, strip.width() * step,
                                     strip.height() * step), strip)
    finally:
        with _PDFIUM:
            page.close()


def pages_of(numbers: Sequence[int]) -> str:
    """"第1—3、5页" for a message."""
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "第" + "、".join(f"{r[0]}—{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) + "页"
