"""Variants of a registered TrueType face: narrower advance widths (the 公文 character grid)
and simulated bold — both without reading the font file again.

Why they exist:

* GB/T 9704 sets 28 characters of 3号 (16 pt) on a 156 mm line, i.e. a character pitch of
  15.79 pt, narrower than the glyphs. Word does it with a document grid that places each glyph
  on the pitch. Here the same face is registered a second time with every advance width scaled
  to the pitch: glyphs keep their 16 pt size, line breaking measures the pitch, and the PDF's
  /Widths array places them on it. 28 characters then fill a line exactly.
* The third heading level "1." is bold 仿宋, and no 仿宋 has a bold face. Like Word, we
  simulate it: glyphs are filled *and* stroked with a thin line (text render mode 2). A bold
  variant is a clone whose name the text object recognises when the font is set
  (:func:`install_fake_bold`).

A variant shares the face's glyph data and cmap; it is embedded as its own subset under a name
with a suffix ("-Grid", "-Bold"), so that no two different subsets carry the same PDF name.
"""

from __future__ import annotations

import copy
from struct import unpack
from typing import Any
from weakref import WeakKeyDictionary

#: Stroke width of simulated bold, as a fraction of the font size (Word uses about 1/30).
BOLD_STROKE = 0.03

_bold_names: set[str] = set()
_installed = False


def variant_name(base: str, scale: float | None, bold: bool) -> str:
    """The registered name of a variant of ``base`` ("DTB-LXGW…-0-g9871-b")."""
    name = base
    if scale is not None:
        name += f"-g{round(scale * 10000)}"
    if bold:
        name += "-b"
    return name


def register_variant(base: str, scale: float | None, bold: bool) -> str:
    """Register (once) and return the variant of the TrueType font ``base``."""
    from reportlab.pdfbase import pdfmetrics

    name = variant_name(base, scale, bold)
    if name == base or name in pdfmetrics.getRegisteredFontNames():
        # Not getFont(name) to find out: for a name not registered yet it searches every
        # Type 1 font folder for an AFM file first (about 0.15 s a miss, in every worker).
        return name
    original = pdfmetrics.getFont(base)
    clone = copy.copy(original)
    clone.fontName = name
    clone.state = WeakKeyDictionary()  # per-document subsets of the clone's own
    face = copy.copy(original.face)
    if scale is not None:
        face.charWidths = {cp: w * scale for cp, w in original.face.charWidths.items()}
        face.defaultWidth = original.face.defaultWidth * scale
    suffix = (b"-Grid" if scale is not None else b"") + (b"-Bold" if bold else b"")
    face.name = original.face.name + suffix
    clone.face = face
    pdfmetrics.registerFont(clone)
    if bold:
        _bold_names.add(name)
        install_fake_bold()
    return name


def is_bold_variant(name: str) -> bool:
    """Whether ``name`` is a simulated-bold variant (drawn with its own text render mode)."""
    return name in _bold_names


def install_fake_bold() -> None:
    """Make reportlab's text object switch to fill-and-stroke while a bold variant is the
    current font, and back to plain fill when another font is set (idempotent).

    Paragraphs draw inside saveState/restoreState, so the render mode never leaks out."""
    global _installed
    if _installed:
        return
    from reportlab.pdfgen.textobject import PDFTextObject

    def follow(self: Any, psfontname: str, size: float) -> None:
        bold = psfontname in _bold_names
        if bold != getattr(self, "_dt_bold", False):
            if bold:
                self._code.append(f"2 Tr 0 G {size * BOLD_STROKE:.3f} w")
            else:
                self._code.append("0 Tr")
            self._dt_bold = bold

    set_font_internal, set_font = PDFTextObject._setFont, PDFTextObject.setFont

    def _set_font(self: Any, psfontname: str, size: float) -> None:  # frag by frag
        set_font_internal(self, psfontname, size)
        follow(self, psfontname, size)

    def set_font_public(self: Any, psfontname: str, size: float, leading: float | None = None
                        ) -> None:  # a paragraph in one face
        set_font(self, psfontname, size, leading)
        follow(self, psfontname, size)

    PDFTextObject._setFont = _set_font
    PDFTextObject.setFont = set_font_public
    _installed = True


def glyph_top(font_name: str, char: str, size: float) -> float | None:
    """How far above the baseline the ink of ``char`` reaches, in points (from the glyph's
    bounding box in the 'glyf' table); None when the font has no outline for it."""
    from reportlab.pdfbase import pdfmetrics

    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    gid = getattr(face, "charToGlyph", {}).get(ord(char)) if face is not None else None
    data = getattr(face, "_ttf_data", None)
    if not gid or data is None or "glyf" not in face.table:
        return None
    start = face.table["glyf"]["offset"] + face.glyphPos[gid]
    if face.glyphPos[gid + 1] == face.glyphPos[gid]:
        return None  # an empty glyph
    _contours, _x_min, _y_min, _x_max, y_max = unpack(">hhhhh", bytes(data[start:start + 10]))
    return y_max * size / face.unitsPerEm
