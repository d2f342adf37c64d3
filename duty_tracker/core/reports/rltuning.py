"""Costs of reportlab that a batch of debriefs pays thousands of times, taken out.

* TrueType tables read once per process instead of once per embedded subset: reportlab copies
  a table out of the font file every time it builds a subset, and for the 'glyf' table of a
  CJK font that is the whole outline data (14 MB for LXGW WenKai). A debrief embeds five
  subsets, so 2,000 debriefs copied about 140 GB. The tables never change, so each is copied
  once and shared by every face reading the same file data (a font's grid and bold variants
  share their original's data).
* Streams deflated at zlib level 2 instead of 6: the embedded font subsets are most of a
  debrief's bytes and compress slowly; level 2 takes about half the time for files about 5 %
  larger. Every PDF reader inflates both alike, and the content is the same. Where the
  ``isal`` package (Intel's ISA-L deflate) is installed, it writes the same zlib format at
  its level 2 about five times as fast, in files of the same size; without it, zlib does.
* A subset's font file made from the cached tables with ``struct`` directly
  (:func:`subset_font_file`, the bytes reportlab's ``makeSubset`` makes).
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
  codes (most lines, after the first paragraphs) is split from those codes directly.

* The canvas state saved in one step: every ``saveState`` (a few hundred a debrief: each
  paragraph and cell is drawn inside one or two) copies the canvas's two dozen state
  attributes one by one; the same dictionary is made with one ``itemgetter`` call.

All are applied process-wide by :func:`tune_reportlab` (idempotent, cheap when repeated).
"""

from __future__ import annotations

import functools
import operator
import re
import zlib
from collections import OrderedDict
from itertools import groupby
from struct import pack, pack_into, unpack_from
from typing import Any

#: zlib level of the PDF streams (reportlab's default is zlib's, 6).
DEFLATE_LEVEL = 2
#: ISA-L's level when it is used (its levels are 0–3; 2 compresses about as zlib's 2).
ISAL_LEVEL = 2


def pick_compressor(use_isal: bool = True) -> tuple[Any, int]:
    """(compress function, level) for the PDF streams: ISA-L's zlib-compatible deflate when
    the ``isal`` package is there (and wanted), else zlib's."""
    if use_isal:
        try:
            from isal import isal_zlib
        except ImportError:  # not installed (or no wheel for this machine): zlib does it
            pass
        else:
            return isal_zlib.compress, ISAL_LEVEL
    return zlib.compress, DEFLATE_LEVEL


_compress, _level = pick_compressor()

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

    def make_subset(subset: list[int]) -> bytes:
        data = face._ttf_data
        key = (id(data), tuple(subset))
        hit = _subsets.get(key)
        if hit is not None and hit[0] is data:
            _subsets.move_to_end(key)
            return hit[1]
        made = subset_font_file(face, subset)
        _remember(_subsets, key, (data, made))
        return made

    make_subset.dt_cached = True  # type: ignore[attr-defined]
    return make_subset


def _subset_glyphs(face: Any, subset: list[int]) -> tuple[list[int], dict[int, int],
                                                          dict[int, int]]:
    """The glyphs of a subset as reportlab's ``makeSubset`` numbers them: 0 first, then each
    character's glyph in order, then the components of composite glyphs (in the order they
    are met); (new → old glyph, old → new glyph, character → new glyph)."""
    from reportlab.pdfbase.ttfonts import (
        GF_MORE_COMPONENTS,
    )

    char_to_glyph = face.charToGlyph
    glyph_map, glyph_set, code_to_glyph = [0], {0: 0}, {}
    for code in subset:
        old = char_to_glyph.get(code, 0)
        if old not in glyph_set:
            glyph_set[old] = len(glyph_map)
            glyph_map.append(old)
        code_to_glyph[code] = glyph_set[old]
    glyf, where = face.get_table("glyf"), face.glyphPos
    n = 0
    while n < len(glyph_map):
        start = where[glyph_map[n]]
        length = where[glyph_map[n] + 1] - start
        n += 1
        if not length or unpack_from(">h", glyf, start)[0] >= 0:
            continue
        at, flags = start + 10, GF_MORE_COMPONENTS  # a composite glyph: its components
        while flags & GF_MORE_COMPONENTS:
            flags, component = unpack_from(">HH", glyf, at)
            if component not in glyph_set:
                glyph_set[component] = len(glyph_map)
                glyph_map.append(component)
            at = _after_component(at, flags)
    return glyph_map, glyph_set, code_to_glyph


def _after_component(at: int, flags: int) -> int:
    """Where the next component record of a composite glyph starts ('glyf' table: the glyph
    index, then two arguments of one or two bytes each, then an optional transform)."""
    from reportlab.pdfbase.ttfonts import (
        GF_ARG_1_AND_2_ARE_WORDS,
        GF_WE_HAVE_A_SCALE,
        GF_WE_HAVE_A_TWO_BY_TWO,
        GF_WE_HAVE_AN_X_AND_Y_SCALE,
    )

    at += 8 if flags & GF_ARG_1_AND_2_ARE_WORDS else 6
    if flags & GF_WE_HAVE_A_SCALE:
        return at + 2
    if flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
        return at + 4
    if flags & GF_WE_HAVE_A_TWO_BY_TWO:
        return at + 8
    return at


def _subset_glyf(face: Any, glyph_map: list[int], glyph_set: dict[int, int]
                 ) -> tuple[bytes, list[int]]:
    """The subset's 'glyf' table and glyph offsets, as ``makeSubset`` writes them: each
    glyph's data with composite references renumbered, padded to 4 bytes."""
    from reportlab.pdfbase.ttfonts import (
        GF_MORE_COMPONENTS,
    )

    glyf, where = face.get_table("glyf"), face.glyphPos
    offsets: list[int] = []
    out: list[bytes] = []
    pos = 0
    for old in glyph_map:
        offsets.append(pos)
        start = where[old]
        length = where[old + 1] - start
        data = glyf[start:start + length]
        if length > 2 and unpack_from(">h", data)[0] < 0:
            data = bytearray(data)
            at, flags = 10, GF_MORE_COMPONENTS
            while flags & GF_MORE_COMPONENTS:
                flags, component = unpack_from(">HH", data, at)
                pack_into(">H", data, at + 2, glyph_set[component])
                at = _after_component(at, flags)
            data = bytes(data)
        out.append(data)
        pos += length
        if pos % 4:
            out.append(b"\0" * (4 - pos % 4))
            pos += 4 - pos % 4
    offsets.append(pos)
    return b"".join(out), offsets


def subset_font_file(face: Any, subset: list[int]) -> bytes:
    """The font file of one embedded subset: the bytes reportlab's ``TTFontFile.makeSubset``
    makes (a test compares them), read from the cached tables with ``struct`` directly
    instead of reportlab's seek-and-read per glyph. WenQuanYi Micro Hei builds most of its
    Chinese glyphs from components, so the composite walk is most of a subset's cost."""
    from reportlab.pdfbase.ttfonts import TTFontMaker, _set_ushort

    glyph_map, glyph_set, code_to_glyph = _subset_glyphs(face, subset)
    output = TTFontMaker()
    for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):
        try:
            output.add(tag, face.get_table(tag))
        except KeyError:  # the optional ones
            pass
    output.add("post", b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16)
    hmtx: list[int] = []
    for old in glyph_map:
        aw, lsb = face.hmetrics[old]
        hmtx += (int(aw), int(lsb))
    n = len(hmtx) - 2
    while n and hmtx[n] == hmtx[n - 2]:
        n -= 2
    n += 2  # a run of equal advances from n on: only their side bearings are written
    hmtx = hmtx[:n] + hmtx[n + 1::2]
    output.add("hmtx", pack(f">{len(hmtx)}H", *hmtx))
    output.add("hhea", _set_ushort(face.get_table("hhea"), 34, n >> 1))
    output.add("maxp", _set_ushort(face.get_table("maxp"), 4, len(glyph_map)))
    cmap = [0, 1, 1, 0, 0, 12, 6, 10 + len(subset) * 2, 0, 0, len(subset),
            *map(code_to_glyph.get, subset)]
    output.add("cmap", pack(f">{len(cmap)}H", *cmap))
    glyf, offsets = _subset_glyf(face, glyph_map, glyph_set)
    output.add("glyf", glyf)
    if (offsets[-1] + 1) >> 1 > 0xFFFF:
        loca, index_format = pack(f">{len(offsets)}L", *offsets), 1
    else:
        loca = pack(f">{len(offsets)}H", *(offset >> 1 for offset in offsets))
        index_format = 0
    output.add("loca", loca)
    output.add("head", _set_ushort(face.get_table("head"), 50, index_format))
    return output.makeStream()


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
        return _compress(text.encode("utf8"), _level)
    if len(text) < _DEFLATE_MEMO_MIN:
        return _compress(text, _level)
    hit = _deflated.get(text)
    if hit is None:
        hit = _compress(text, _level)
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


class _NumberTexts(dict):  # type: ignore[type-arg]
    """number -> its ``fp_str`` bytes, made on first use: a font's /Widths repeat a handful
    of values (every Chinese glyph has the same advance). Equal numbers (1000 and 1000.0,
    0 and -0.0) have equal texts, so one entry serves both."""

    def __missing__(self, number: float) -> bytes:
        from reportlab.lib.rl_accel import fp_str

        text = self[number] = fp_str(number).encode("ascii")
        return text


_numbers = _NumberTexts()


def _numbers_array_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803
    """``PDFArray.format`` for an array of numbers: the same bytes, without the general
    per-element dispatch."""
    from reportlab import rl_config

    seq = self.sequence
    if not seq or not all(type(e) is int or type(e) is float for e in seq):
        return _array_format(self, document, IND)
    if len(_numbers) > 20000:
        _numbers.clear()
    items = list(map(_numbers.__getitem__, seq))
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
        hit = _split_assigned(state.assignments, text) if isinstance(text, str) else None
        if hit is None:  # a character without its code yet: reportlab gives it one
            hit = _split_string(self, text, doc, encoding)
        kept[text] = hit
    return list(hit)


def _split_assigned(assignments: dict[int, int], text: str) -> list[tuple[int, bytes]] | None:
    """``splitString`` of a text whose characters all have their codes in this document
    already (most lines, once the first paragraphs are drawn): the runs of one subset, each
    as the bytes of its codes — what reportlab's loop makes, with the loop in C. None when a
    character is new (or is U+00A0, which reportlab prints as a space): reportlab decides."""
    try:
        codes = list(map(assignments.__getitem__, map(ord, text)))
    except KeyError:
        return None
    if not codes:
        return []
    high = max(codes) >> 8
    if min(codes) >> 8 == high:
        return [(high, bytes(map((high << 8).__rsub__, codes)) if high else bytes(codes))]
    return [(subset, bytes([code & 0xFF for code in run]))
            for subset, run in groupby(codes, key=lambda code: code >> 8)]


_state_getters: dict[int, tuple[Any, Any]] = {}
_reportlab_push_state: Any = None  # reportlab's Canvas.push_state_stack


def _push_state_stack(self: Any) -> None:
    """``Canvas.push_state_stack``: the same dictionary of the state attributes, pushed."""
    names = self.STATE_ATTRIBUTES
    hit = _state_getters.get(id(names))
    if hit is None or hit[0] is not names:
        if len(names) < 2:  # itemgetter of one name gives the value, not a tuple
            _reportlab_push_state(self)
            return
        hit = _state_getters[id(names)] = (names, operator.itemgetter(*names))
    self.state_stack.append(dict(zip(names, hit[1](self.__dict__), strict=True)))
    self._extgstate = self._extgstate.pushCopy()


def tune_reportlab() -> None:
    """All the measures; call it before building a PDF."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import TTFont

    global _array_format, _split_string, _reportlab_push_state
    if getattr(pdfdoc.PDFZCompress, "encode", None) is not _deflate:
        pdfdoc.PDFZCompress.encode = _deflate  # the one shared filter object, not the class
    if pdfdoc.pdfdocEnc is not _pdfdoc_enc:
        pdfdoc.pdfdocEnc = _pdfdoc_enc  # looked up by name in pdfdoc's own functions
    if not hasattr(pdfdoc.PDFName, "cache_info"):
        pdfdoc.PDFName = functools.lru_cache(maxsize=4096)(pdfdoc.PDFName)
    if pdfdoc.PDFArray.format is not _numbers_array_format:
        _array_format = pdfdoc.PDFArray.format
        pdfdoc.PDFArray.format = _numbers_array_format
    from reportlab.pdfgen.canvas import Canvas

    if Canvas.push_state_stack is not _push_state_stack:
        _reportlab_push_state = Canvas.push_state_stack
        Canvas.push_state_stack = _push_state_stack
    if TTFont.splitString is not _kept_split_string:
        _split_string = TTFont.splitString
        TTFont.splitString = _kept_split_string
    share_font_tables()
