"""帮助 → 使用说明: the user guide shipped with the program (``docs/使用说明.md``), shown inside
the window — no browser, no network. Its pictures are scaled to the width of the window so a
screenshot never needs sideways scrolling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from duty_tracker import APP_NAME
from duty_tracker.paths import user_guide_path
from duty_tracker.ui import look


class GuideBrowser(QTextBrowser):
    """A text browser whose images fit its width."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802 - Qt API
        if kind == QTextDocument.ResourceType.ImageResource.value:
            name = url.toString() if isinstance(url, QUrl) else str(url)
            image = QImage(str(self.folder / QUrl.fromPercentEncoding(name.encode())))
            if not image.isNull():
                width = max(320, self.viewport().width() - 40)
                return image.scaledToWidth(min(width, image.width()), Qt.TransformationMode.SmoothTransformation)
        return super().loadResource(kind, url)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            self.scrollToAnchor(url.fragment())


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, guide: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} 使用说明")
        look.roomy_dialog(self)
        self.setModal(False)
        try:
            guide = guide or user_guide_path()
            text = guide.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            guide, text = Path("."), f"# 使用说明\n\n无法打开使用说明：{exc}。请重新安装程序。"
        self.browser = GuideBrowser(guide.parent, self)
        self.browser.setMarkdown(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(960, 720)
