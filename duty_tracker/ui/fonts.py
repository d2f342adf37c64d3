"""Chinese text in the window on every machine: when the system has no font for Simplified
Chinese (a bare Linux box, a stripped-down Windows image), the bundled TrueType font is
registered and used; on Windows the system's 微软雅黑 is preferred."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from duty_tracker.paths import resource_path

BUNDLED_UI_FONT = "fonts/wqy-microhei.ttc"
PREFERRED_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                      "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei")


def install_ui_font(app: QApplication, point_size: int = 10) -> str:
    """Choose (and if needed register) the UI font; returns the family used."""
    families = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    family = next((f for f in PREFERRED_FAMILIES if f in families), None)
    if family is None:
        try:
            font_id = QFontDatabase.addApplicationFont(str(resource_path(BUNDLED_UI_FONT)))
        except FileNotFoundError:
            font_id = -1
        loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = loaded[0] if loaded else (sorted(families)[0] if families else None)
    if family is None:
        print("警告：未找到可显示中文的字体。", file=sys.stderr)
        return app.font().family()
    font = QFont(family, point_size)
    app.setFont(font)
    return family
