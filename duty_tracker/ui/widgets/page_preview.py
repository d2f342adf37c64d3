"""A finished PDF shown as its pages, one under the other, as they will print.

Why pictures of the real PDF rather than a text mock-up: the clerk checks the layout the file
will have (GB/T 9704 margins, headings, the task table, where a page breaks), so the preview
renders exactly the bytes an export would write. The pages are drawn by PDFium (``pypdfium2``)
when it is installed; without it :data:`AVAILABLE` is False and the page offers no preview.

PDFium is not thread-safe, so every call into it holds :data:`_PDFIUM`; rendering runs on a
worker (``ui.tasks``) and gives ``QImage``s, which may be made off the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from duty_tracker.core.errors import AppError
from duty_tracker.ui import look

try:  # an optional engine: the window works without it, only the preview is missing
    import pypdfium2 as _pdfium
except ImportError:  # pragma: no cover - depends on the installation
    _pdfium = None

AVAILABLE = _pdfium is not None
#: Resolution of the preview: an A4 page about 700 pixels wide, sharp on a 1366×768 screen.
PREVIEW_DPI = 84
_POINTS_PER_INCH = 72.0
_PDFIUM = threading.Lock()


class PreviewError(AppError):
    """The pages could not be drawn; ``str()`` says why in Chinese."""


def render_pdf(data: bytes, dpi: float = PREVIEW_DPI, *,
               should_stop: Callable[[], bool] | None = None) -> list[QImage]:
    """Every page of the PDF in ``data`` as an image (stops early when ``should_stop``)."""
    if _pdfium is None:
        raise PreviewError("未安装 PDF 预览组件（pypdfium2），无法预览；请导出 PDF 后用阅读器查看。")
    images: list[QImage] = []
    with _PDFIUM:
        try:
            document = _pdfium.PdfDocument(data)
        except _pdfium.PdfiumError as exc:
            raise PreviewError(f"无法读取生成的 PDF：{exc}") from exc
        try:
            for index in range(len(document)):
                if should_stop is not None and should_stop():
                    break
                images.append(_render_page(document, index, dpi / _POINTS_PER_INCH))
        finally:
            document.close()
    return images


def _render_page(document: object, index: int, scale: float) -> QImage:
    page = document[index]  # type: ignore[index]
    try:
        bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
        try:
            view = memoryview(bitmap.buffer).cast("B")
            image = QImage(view, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888)
            return image.copy()  # the bitmap's memory is freed below
        finally:
            bitmap.close()
    finally:
        page.close()


class PagePreview(QScrollArea):
    """The pages, centred, with a thin frame each, scrolled as one column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._holder = QWidget(self)
        self._layout = QVBoxLayout(self._holder)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._layout.setSpacing(12)
        self.message = look.hint_label(parent=self._holder)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.message)
        self.setWidget(self._holder)
        self.pages: list[QLabel] = []

    def show_message(self, text: str) -> None:
        """No pages, a sentence instead ("正在生成预览…", what went wrong)."""
        self._clear()
        self.message.setText(text)
        self.message.show()

    def show_pages(self, images: Sequence[QImage]) -> None:
        self._clear()
        self.message.hide()
        for number, image in enumerate(images, 1):
            label = QLabel(self._holder)
            pixmap = QPixmap.fromImage(image)
            label.setPixmap(pixmap)
            label.setFrameShape(QFrame.Shape.Box)
            label.setLineWidth(1)
            label.setFixedSize(pixmap.width() + 2, pixmap.height() + 2)
            label.setToolTip(f"第 {number} 页，共 {len(images)} 页")
            self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.pages.append(label)

    def _clear(self) -> None:
        for label in self.pages:
            self._layout.removeWidget(label)
            label.deleteLater()
        self.pages = []
