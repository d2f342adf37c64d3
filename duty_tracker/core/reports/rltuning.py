"""Two costs of reportlab that a batch of debriefs pays thousands of times, taken out.

* TrueType tables read once per process instead of once per embedded subset: reportlab copies
  a table out of the font file every time it builds a subset, and for the 'glyf' table of a
  CJK font that is the whole outline data (14 MB for LXGW WenKai). A debrief embeds five
  subsets, so 2,000 debriefs copied about 140 GB. The tables never change, so each is copied
  once and shared by every face reading the same file data (a font's grid and bold variants
  share their original's data).
* Streams deflated at zlib level 2 instead of 6: the embedded font subsets are most of a
  debrief's bytes and compress slowly; level 2 takes about half the time for files about 5 %
  larger. Every PDF reader inflates both alike, and the content is the same.

Both are applied process-wide by :func:`tune_reportlab` (idempotent, cheap when repeated).
"""

from __future__ import annotations

import zlib
from typing import Any

#: zlib level of the PDF streams (reportlab's default is zlib's, 6).
DEFLATE_LEVEL = 2

#: (id of the font file's bytes, tag) -> (those bytes, kept so that the id stays theirs; table)
_tables: dict[tuple[int, str], tuple[bytes, bytes]] = {}
_faces_done: set[int] = set()


def _cached_get_table(face: Any) -> Any:
    original = face.get_table

    def get_table(tag: str) -> bytes:
        data = face._ttf_data
        key = (id(data), tag)
        hit = _tables.get(key)
        if hit is None or hit[0] is not data:
            hit = (data, original(tag))
            _tables[key] = hit
        return hit[1]

    get_table.dt_cached = True  # type: ignore[attr-defined]
    return get_table


def share_font_tables() -> None:
    """Give every registered TrueType face the shared table cache. Called before each
    document: the font variants are registered on demand, while a story is built."""
    from reportlab.pdfbase import pdfmetrics

    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if face is None or id(face) in _faces_done or not hasattr(face, "_ttf_data"):
            continue
        if not getattr(face.get_table, "dt_cached", False):
            face.get_table = _cached_get_table(face)
        _faces_done.add(id(face))


def _deflate(text: str | bytes) -> bytes:
    data = text.encode("utf8") if isinstance(text, str) else text
    return zlib.compress(data, DEFLATE_LEVEL)


def tune_reportlab() -> None:
    """Both measures; call it before building a PDF."""
    from reportlab.pdfbase import pdfdoc

    if getattr(pdfdoc.PDFZCompress, "encode", None) is not _deflate:
        pdfdoc.PDFZCompress.encode = _deflate  # the one shared filter object, not the class
    share_font_tables()
