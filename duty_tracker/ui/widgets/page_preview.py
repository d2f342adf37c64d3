"""A finished PDF shown as its pages, one under the other, as they will print.

Why pictures of the real PDF rather than a text mock-up: the clerk checks the layout the file
will have (GB/T 9704 margins, headings, the task table, where a page breaks), so the preview
renders exactly the bytes an export would write. The pages are drawn by PDFium (``pypdfium2``)
through :mod:`duty_tracker.ui.pdf_pages`, whose lock serialises every call into PDFium (it is not
thread-safe); rendering runs on a worker (``ui.tasks``) and gives ``QImage``s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from duty_tracker.ui import look
from duty_tracker.ui.pdf_pages import PrintError, render_pages

#: The preview engine ships with the program (a dependency), so the preview is always there.
AVAILABLE = True
#: Resolution of the preview: an A4 page about 700 pixels wide, sharp on a 1366×768 screen.
PREVIEW_DPI = 84
#: The preview's failures are the print module's (one PDFium lock, one wording).
PreviewError = PrintError


def render_pdf(data: bytes, dpi: float = PREVIEW_DPI, *,
               should_stop: Callable[[], bool] | None = None) -> list[QImage]:
    """Every page of the PDF in ``data`` as an image (stops early when ``should_stop``),
    through :mod:`duty_tracker.ui.pdf_pages` — PDFium's one lock is shared with the debrief's
    preview and print, which may run on another worker at the same time."""
    return list(render_pages(data, dpi, should_stop=should_stop))


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
