"""Draw the application icon with QPainter: a red rounded square (the colour of official
documents) holding a white ledger sheet with a ruled list and a check mark.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py

writes ``resources/icons/app.png`` (256 px, the window icon), ``app-<N>.png`` for the small
sizes and ``app.ico`` (16–256 px, for the Windows executables and the installer). Small sizes
are drawn, not scaled down, with fewer details so that they stay crisp. Pillow writes the
multi-size .ico (Qt's ICO writer stores a single image).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
RED_TOP, RED_BOTTOM = QColor("#d23a2f"), QColor("#9e1c17")
GOLD = QColor("#f4c542")
INK = QColor("#9aa3ad")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256.0  # every coordinate below is on a 256-unit grid

    # background: a rounded square with a soft vertical gradient
    margin = 8 * s if size >= 32 else 0.5
    bg = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    gradient = QLinearGradient(bg.topLeft(), bg.bottomLeft())
    gradient.setColorAt(0, RED_TOP)
    gradient.setColorAt(1, RED_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(gradient)
    p.drawRoundedRect(bg, 48 * s, 48 * s)

    # the ledger sheet with a folded corner
    left, top, right, bottom, fold = 62 * s, 40 * s, 194 * s, 216 * s, 36 * s
    sheet = QPainterPath(QPointF(left, top))
    sheet.lineTo(right - fold, top)
    sheet.lineTo(right, top + fold)
    sheet.lineTo(right, bottom)
    sheet.lineTo(left, bottom)
    sheet.closeSubpath()
    p.setBrush(QColor("#ffffff"))
    p.drawPath(sheet)
    corner = QPainterPath(QPointF(right - fold, top))
    corner.lineTo(right - fold, top + fold)
    corner.lineTo(right, top + fold)
    corner.closeSubpath()
    p.setBrush(QColor("#e3d6d4"))
    p.drawPath(corner)

    # ruled lines of the list (left out below 32 px, where they would only be noise)
    if size >= 32:
        pen = QPen(INK, max(1.0, 10 * s), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        for y in (92, 124, 156):
            p.drawLine(QPointF(84 * s, y * s), QPointF(150 * s, y * s))
        p.setPen(QPen(RED_TOP, max(1.0, 10 * s), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(84 * s, 188 * s), QPointF(120 * s, 188 * s))

    # the check mark in a gold disc, bottom right, overlapping the sheet
    cx, cy, r = 178 * s, 182 * s, (50 if size >= 32 else 62) * s
    p.setPen(QPen(QColor("#ffffff"), max(1.0, 8 * s)))
    p.setBrush(GOLD)
    p.drawEllipse(QPointF(cx, cy), r, r)
    check = QPainterPath(QPointF(cx - 24 * s, cy + 1 * s))
    check.lineTo(cx - 6 * s, cy + 19 * s)
    check.lineTo(cx + 26 * s, cy - 17 * s)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(RED_BOTTOM, max(1.5, 14 * s), Qt.PenStyle.SolidLine,
                  Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.drawPath(check)
    p.end()
    return image


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    images = {size: draw(size) for size in SIZES}
    for size, image in images.items():
        name = "app.png" if size == 256 else f"app-{size}.png"
        if not image.save(str(OUT / name)):
            print(f"cannot write {name}", file=sys.stderr)
            return 1
    from PIL import Image

    big = Image.open(OUT / "app.png")
    extra = [Image.open(OUT / f"app-{size}.png") for size in SIZES if size != 256]
    big.save(OUT / "app.ico", format="ICO", sizes=[(s, s) for s in SIZES], append_images=extra)
    print(f"icons written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
