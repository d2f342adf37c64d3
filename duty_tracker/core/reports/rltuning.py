"""Costs of reportlab that a batch of debriefs pays thousands of times, taken out.

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

* Plain ASCII encoded as ASCII: every name, number and keyword of the PDF's objects goes
  through ``pdfdoc.pdfdocEnc``, which encodes it with reportlab's own PDFDocEncoding codec,
  written in Python (about 1,500 calls a debrief). For ASCII that codec gives the ASCII
  bytes, except for the eight characters U+0018–U+001F, which it maps elsewhere or refuses:
  text without them is encoded by Python's built-in codec, anything else as before.

* PDF names escaped once: ``pdfdoc.PDFName`` escapes a dictionary key ("Type", "Font",
  "F3+0" …) character by character every time an object is written, a few hundred times a
  debrief, always the same few dozen names; the result depends on the name alone and is
  kept (``functools.lru_cache``).
* Arrays of numbers formatted in one go: each embedded subset carries its /Widths, a few
  hundred numbers, which reportlab formats one by one through its general ``pdfdoc.format``
  (type checks, the codec). An array of plain ints and floats is formatted with the same
  ``fp_str`` and laid out as ``PDFArray.format`` lays it out; any other array as before.

* A string split into its subsets once per document: reportlab maps a TrueType string to
  the codes of the document's subsets character by character each time it is drawn, and a
  debrief draws the same short strings again and again (a table's "学法", "会议", dates,
  the headers on every page). Once every character of a string has its code, which a first
  split gives it, the split is fixed for that document; it is kept with the document's
  font state (and goes with it). A string not split before whose characters all have their
  codes (most lines, after the first paragraphs) is split from those codes directly; one
  with new characters first gives them their codes as reportlab would, in order.

All are applied process-wide by :func:`tune_reportlab` (idempotent, cheap when repeated).
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import OrderedDict
from itertools import groupby
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


#: The ASCII characters PDFDocEncoding does not map to themselves.
_NOT_PDFDOC_ASCII = re.compile("[\x18-\x1f]")


def _pdfdoc_enc(x: Any) -> Any:
    """``pdfdoc.pdfdocEnc``, the same bytes (or the same error) sooner for plain ASCII."""
    if isinstance(x, str):
        if x.isascii() and not _NOT_PDFDOC_ASCII.search(x):
            return x.encode("ascii")
        return x.encode("extpdfdoc")
    return x


_array_format: Any = None  # reportlab's PDFArray.format, kept for the other arrays


def _numbers_array_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803
    """``PDFArray.format`` for an array of numbers: the same bytes, without the general
    per-element dispatch."""
    from reportlab import rl_config
    from reportlab.lib.rl_accel import fp_str

    seq = self.sequence
    if not seq or not all(type(e) is int or type(e) is float for e in seq):
        return _array_format(self, document, IND)
    items = [fp_str(e).encode("ascii") for e in seq]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        return b"[ " + IND.join(items) + b" ]"
    for i in reversed(range(10, len(items), 10)):  # broken up every 10 elements
        items.insert(i, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


_split_string: Any = None  # reportlab's TTFont.splitString


def _kept_split_string(self: Any, text: Any, doc: Any, encoding: str = "utf-8") -> list[Any]:
    """``TTFont.splitString``, remembered per document and string (a copy of the list)."""
    state = self.state.get(doc)
    if state is None:  # the first string of this font in this document makes its state
        return _split_string(self, text, doc, encoding)
    kept = state.__dict__.get("_dt_splits")
    if kept is None:
        kept = state.__dict__["_dt_splits"] = {}
    hit = kept.get(text)
    if hit is None:
        hit = _split_new(self, state, text, doc, encoding) if isinstance(text, str) else None
        if hit is None:
            hit = _split_string(self, text, doc, encoding)
        kept[text] = hit
    return list(hit)


def _split_new(font: Any, state: Any, text: str, doc: Any, encoding: str
               ) -> list[tuple[int, bytes]] | None:
    """The split of a string not seen before in this document. reportlab gives each new
    character the next code in the order the characters first appear; its own split of just
    those characters, in that order, hands out the very same codes. Then every character has
    one, and the string is split from the codes."""
    assignments = state.assignments
    new = [ch for ch in dict.fromkeys(text) if ord(ch) not in assignments]
    if new:
        _split_string(font, "".join(new), doc, encoding)
    return _split_assigned(assignments, text)


def _split_assigned(assignments: dict[int, int], text: str) -> list[tuple[int, bytes]] | None:
    """``splitString`` of a text whose characters all have their codes in this document
    already (most lines, once the first paragraphs are drawn): the runs of one subset, each
    as the bytes of its codes — what reportlab's loop makes, without the loop. None when a
    character is new (or is U+00A0, which reportlab prints as a space): reportlab decides."""
    get = assignments.get
    codes = [get(code) for code in map(ord, text)]
    if None in codes:
        return None
    if not codes:
        return []
    low, high = min(codes) >> 8, max(codes) >> 8  # type: ignore[type-var]
    if low == high:
        return [(low, bytes([code & 0xFF for code in codes]))]  # type: ignore[operator]
    return [(subset, bytes([code & 0xFF for code in run]))  # type: ignore[operator]
            for subset, run in groupby(codes, key=lambda code: code >> 8)]  # type: ignore[operator]


def tune_reportlab() -> None:
    """All the measures; call it before building a PDF."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import TTFont

    global _array_format, _split_string
    if getattr(pdfdoc.PDFZCompress, "encode", None) is not _deflate:
        pdfdoc.PDFZCompress.encode = _deflate  # the one shared filter object, not the class
    if pdfdoc.pdfdocEnc is not _pdfdoc_enc:
        pdfdoc.pdfdocEnc = _pdfdoc_enc  # looked up by name in pdfdoc's own functions
    if not hasattr(pdfdoc.PDFName, "cache_info"):
        pdfdoc.PDFName = functools.lru_cache(maxsize=4096)(pdfdoc.PDFName)
    if pdfdoc.PDFArray.format is not _numbers_array_format:
        _array_format = pdfdoc.PDFArray.format
        pdfdoc.PDFArray.format = _numbers_array_format
    if TTFont.splitString is not _kept_split_string:
        _split_string = TTFont.splitString
        TTFont.splitString = _kept_split_string
    share_font_tables()
