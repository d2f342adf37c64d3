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
* A subset made once per set of characters: the headings' font carries the same characters
  in nearly every debrief (the title, 一、…, the table headers), so its subset file and its
  deflated stream are the same bytes each time and are kept (a few, the most recent).

All are applied process-wide by :func:`tune_reportlab` (idempotent, cheap when repeated).
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from typing import Any

#: zlib level of the PDF streams (reportlab's default is zlib's, 6).
DEFLATE_LEVEL = 2

#: (id of the font file's bytes, tag) -> (those bytes, kept so that the id stays theirs; table)
_tables: dict[tuple[int, str], tuple[bytes, bytes]] = {}
_faces_done: set[int] = set()
#: (id of the font file's bytes, characters in order) -> (those bytes; the subset font file)
_subsets: OrderedDict[tuple[int, tuple[int, ...]], tuple[bytes, bytes]] = OrderedDict()
#: a font file's bytes -> deflated, for the subsets above (same bytes object, hash kept)
_deflated: OrderedDict[bytes, bytes] = OrderedDict()
_KEPT = 24
_DEFLATE_MEMO_MIN = 4096


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


def _remember(memo: OrderedDict, key: Any, value: Any) -> None:
    memo[key] = value
    if len(memo) > _KEPT:
        memo.popitem(last=False)


def _cached_make_subset(face: Any) -> Any:
    """The subset depends only on the font data and the characters (widths are written
    apart, so a grid variant and its original make the same file)."""
    original = face.makeSubset

    def make_subset(subset: list[int]) -> bytes:
        data = face._ttf_data
        key = (id(data), tuple(subset))
        hit = _subsets.get(key)
        if hit is not None and hit[0] is data:
            _subsets.move_to_end(key)
            return hit[1]
        made = original(subset)
        _remember(_subsets, key, (data, made))
        return made

    make_subset.dt_cached = True  # type: ignore[attr-defined]
    return make_subset


def share_font_tables() -> None:
    """Give every registered TrueType face the shared table and subset caches. Called before
    each document: the font variants are registered on demand, while a story is built."""
    from reportlab.pdfbase import pdfmetrics

    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if face is None or id(face) in _faces_done or not hasattr(face, "_ttf_data"):
            continue
        if not getattr(face.get_table, "dt_cached", False):
            face.get_table = _cached_get_table(face)
        if not getattr(face.makeSubset, "dt_cached", False):
            face.makeSubset = _cached_make_subset(face)
        _faces_done.add(id(face))


def _deflate(text: str | bytes) -> bytes:
    if isinstance(text, str):  # page contents: different every time
        return zlib.compress(text.encode("utf8"), DEFLATE_LEVEL)
    if len(text) < _DEFLATE_MEMO_MIN:
        return zlib.compress(text, DEFLATE_LEVEL)
    hit = _deflated.get(text)
    if hit is None:
        hit = zlib.compress(text, DEFLATE_LEVEL)
        _remember(_deflated, text, hit)
    else:
        _deflated.move_to_end(text)
    return hit


def tune_reportlab() -> None:
    """All three measures; call it before building a PDF."""
    from reportlab.pdfbase import pdfdoc

    if getattr(pdfdoc.PDFZCompress, "encode", None) is not _deflate:
        pdfdoc.PDFZCompress.encode = _deflate  # the one shared filter object, not the class
    share_font_tables()
