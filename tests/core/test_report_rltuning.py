"""The reportlab tuning of the debrief PDFs: font tables shared instead of copied, streams
deflated faster — and the PDF still says the same."""

from __future__ import annotations

import re
import zlib

import pytest
from reportlab.pdfbase import pdfmetrics

from duty_tracker.core.reports import rltuning
from duty_tracker.core.reports.debrief_builder import fill_with_draft
from duty_tracker.core.reports.debrief_pdf import render_debrief_bytes
from duty_tracker.core.reports.fonts import get_font_set
from duty_tracker.core.reports.samples import sample_debrief


def _faces() -> list:
    faces = []
    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if face is not None and hasattr(face, "_ttf_data"):
            faces.append(face)
    return faces


def test_glyph_table_is_read_once_and_is_the_fonts_own() -> None:
    get_font_set()
    render_debrief_bytes(sample_debrief("孙喆", records_per_group=2))  # registers variants
    faces = _faces()
    assert faces
    for face in faces:
        first = face.get_table("glyf")
        assert face.get_table("glyf") is first  # shared, not copied again
        pos, length = face.get_table_pos("glyf")
        assert first == face._ttf_data[pos:pos + length]


def test_streams_inflate_and_the_text_is_unchanged() -> None:
    import pypdfium2

    report = fill_with_draft(sample_debrief("孙喆", records_per_group=3))
    data = render_debrief_bytes(report)
    assert rltuning.DEFLATE_LEVEL < 6
    streams = [data[m.end():m.end() + int(m.group(1))]
               for m in re.finditer(rb"/Filter \[ /FlateDecode \] /Length (\d+)\s*>>\s*stream\r?\n", data)]
    assert len(streams) >= 5  # the embedded font subsets and their ToUnicode maps
    for raw in streams:
        assert zlib.decompress(raw)  # plain deflate, as every reader expects
    pdf = pypdfium2.PdfDocument(data)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "孙喆" in text and report.narrative.text("problems").strip()[:6] in text.replace(
        "\r\n", "").replace("\n", "")


def test_tuning_twice_changes_nothing() -> None:
    rltuning.tune_reportlab()
    rltuning.tune_reportlab()
    from reportlab.pdfbase import pdfdoc

    compress, level = rltuning.pick_compressor()
    assert pdfdoc.PDFZCompress.encode(b"abc" * 100) == compress(b"abc" * 100, level)
    assert zlib.decompress(pdfdoc.PDFZCompress.encode(b"abc" * 100)) == b"abc" * 100
    for face in _faces():
        assert getattr(face.get_table, "dt_cached", False)


def test_a_subset_made_again_is_the_same_file() -> None:
    """The headings' subset repeats from one debrief to the next and is kept; what is kept
    is exactly what reportlab makes from the font for those characters."""
    report = fill_with_draft(sample_debrief("孙喆", records_per_group=2))
    render_debrief_bytes(report)
    face = next(f for f in _faces() if getattr(f.makeSubset, "dt_cached", False))
    chars = [ord(c) for c in "述职报告一二三"]
    first = face.makeSubset(chars)
    assert face.makeSubset(list(chars)) is first
    from reportlab.pdfbase.ttfonts import TTFontFile

    assert TTFontFile.makeSubset(face, chars) == first  # reportlab's own, uncached
    assert face.makeSubset(chars[:-1]) != first


def test_pdfdoc_encoding_is_reportlabs_for_every_character() -> None:
    """The ASCII shortcut gives reportlab's bytes, and refuses what reportlab refuses."""
    from reportlab.pdfbase import pdfdoc

    rltuning.tune_reportlab()
    assert pdfdoc.pdfdocEnc is rltuning._pdfdoc_enc
    samples = [chr(i) for i in range(256)] + ["/Type /Font", "F1+0 12 Tf", "€", "法", b"raw"]
    for text in samples:
        try:
            expected: object = text.encode("extpdfdoc") if isinstance(text, str) else text
        except UnicodeEncodeError:
            expected = UnicodeEncodeError
        try:
            got: object = rltuning._pdfdoc_enc(text)
        except UnicodeEncodeError:
            got = UnicodeEncodeError
        assert got == expected, repr(text)


@pytest.mark.parametrize("seq", [
    [], [1], [0, 500, 1000], list(range(37)), [0.5, 1e-7, 1000.25, -3, 12.0] * 7,
    [0.0, -0.0, 0, 1000, 1000.0, 987.0417955568056, 1e300, float("inf")],
    [1, "x", 2], [True, 2], [1.5, pdfmetrics],
])
@pytest.mark.parametrize("multiline", [True, False, "forced"])
def test_number_arrays_are_formatted_as_reportlab_formats_them(seq: list,
                                                               multiline: object) -> None:
    from reportlab.pdfbase import pdfdoc

    rltuning.tune_reportlab()
    doc = pdfdoc.PDFDocument()
    array = pdfdoc.PDFArray(seq)
    array.multiline = multiline
    try:
        expected: object = rltuning._array_format(array, doc)
    except Exception as exc:  # noqa: BLE001 - an array reportlab cannot format
        expected = type(exc)
    try:
        got: object = pdfdoc.PDFArray.format(array, doc)
    except Exception as exc:  # noqa: BLE001
        got = type(exc)
    assert got == expected


def test_a_string_is_split_once_per_document_and_never_across_documents() -> None:
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import TTFont

    from duty_tracker.core.reports.fonts import FontRole

    rltuning.tune_reportlab()
    assert TTFont.splitString is rltuning._kept_split_string
    font = pdfmetrics.getFont(get_font_set().font_name(FontRole.FANGSONG))
    doc_a, doc_b = pdfdoc.PDFDocument(), pdfdoc.PDFDocument()
    first = font.splitString("依法治国", doc_a)
    again = font.splitString("依法治国", doc_a)
    assert again == first and again is not first  # each caller its own list
    again.append("x")
    assert font.splitString("依法治国", doc_a) == first
    font.splitString("行政决策", doc_b)  # other characters take doc_b's first codes
    in_b = font.splitString("依法治国", doc_b)
    assert in_b != first
    assert in_b == rltuning._split_string(font, "依法治国", doc_b)  # what reportlab says


def test_pdf_names_are_escaped_as_reportlab_escapes_them() -> None:
    from reportlab.pdfbase import pdfdoc

    rltuning.tune_reportlab()
    kept = pdfdoc.PDFName
    original = kept.__wrapped__
    for name in ("Type", "F3+0", "a b", "x#(y)", "名", "Font", "Font", "\x01", "~"):
        assert kept(name) == original(name)
    assert kept.cache_info().hits >= 1
    rltuning.tune_reportlab()
    assert pdfdoc.PDFName is kept  # not wrapped twice


def test_a_split_of_characters_with_codes_is_reportlabs_split() -> None:
    """The shortcut for text whose characters all have their codes: the same runs and bytes
    as reportlab's loop, over two subsets; new characters and U+00A0 are left to reportlab."""
    import random

    from reportlab.pdfbase import pdfdoc

    from duty_tracker.core.reports.fonts import FontRole

    rltuning.tune_reportlab()
    font = pdfmetrics.getFont(get_font_set().font_name(FontRole.FANGSONG))
    doc = pdfdoc.PDFDocument()
    han = "".join(chr(cp) for cp in range(0x4E00, 0x4E00 + 400))
    rltuning._split_string(font, "Ab 1," + han, doc)  # codes in subsets 0 and 1
    state = font.state[doc]
    rng = random.Random(7)
    pool = han + "Ab 1,"
    for _ in range(300):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        got = rltuning._split_assigned(state.assignments, text)
        assert got == rltuning._split_string(font, text, doc), text
    assert len(rltuning._split_assigned(state.assignments, han[:300])) == 2  # both subsets
    assert rltuning._split_assigned(state.assignments, "一\u00a0丁") is None
    assert rltuning._split_assigned(state.assignments, "一" + chr(0x9FA0)) is None  # new


def test_new_characters_get_the_codes_reportlab_gives_them() -> None:
    """Two documents fed the same strings, one through reportlab's own split and one through
    the kept split: the same results string by string, and the same codes and subsets."""
    import random

    from reportlab.pdfbase import pdfdoc

    from duty_tracker.core.reports.fonts import FontRole

    rltuning.tune_reportlab()
    font = pdfmetrics.getFont(get_font_set().font_name(FontRole.FANGSONG))
    ours, theirs = pdfdoc.PDFDocument(), pdfdoc.PDFDocument()
    rng = random.Random(11)
    pool = [chr(cp) for cp in range(0x4E00, 0x4E00 + 700)] + list("Ab 1,\u00a0\u3000😀") + ["\x00"]
    for _ in range(400):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert font.splitString(text, ours) == rltuning._split_string(font, text, theirs), text
    mine, reference = font.state[ours], font.state[theirs]
    assert mine.assignments == reference.assignments and mine.subsets == reference.subsets
    assert len(mine.subsets) >= 3  # past two subset boundaries


@pytest.mark.parametrize("role_name", ["FANGSONG", "HEITI"])
def test_a_subset_file_is_the_one_reportlab_makes(role_name: str) -> None:
    """Subsets with ASCII, Chinese, characters the font lacks and (Micro Hei builds most of
    its glyphs from components) composite glyphs: byte for byte reportlab's file."""
    import random

    from reportlab.pdfbase.ttfonts import TTFontFile

    from duty_tracker.core.reports.fonts import FontRole

    rltuning.tune_reportlab()
    face = pdfmetrics.getFont(get_font_set().font_name(FontRole[role_name])).face
    rng = random.Random(3)
    han = list(range(0x4E00, 0x9FA5))
    for size in (1, 30, 255):
        subset = [0, *range(32, 40), *rng.sample(han, size), 0x2212, 0x10FFFF]
        assert rltuning.subset_font_file(face, subset) == TTFontFile.makeSubset(face, subset)


def test_streams_are_deflated_by_isal_when_it_is_there_and_by_zlib_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins
    import os

    data = os.urandom(2000) + "依法行政".encode() * 3000
    compress, level = rltuning.pick_compressor(use_isal=False)
    assert (compress, level) == (zlib.compress, rltuning.DEFLATE_LEVEL)
    real_import = builtins.__import__

    def no_isal(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("isal"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_isal)
    assert rltuning.pick_compressor() == (zlib.compress, rltuning.DEFLATE_LEVEL)
    monkeypatch.undo()
    isal_zlib = pytest.importorskip("isal.isal_zlib")
    compress, level = rltuning.pick_compressor()
    assert compress is isal_zlib.compress and level == rltuning.ISAL_LEVEL
    packed = compress(data, level)
    assert zlib.decompress(packed) == data  # the zlib format every PDF reader inflates
    assert len(packed) < len(zlib.compress(data, 1)) * 1.05


def test_the_saved_canvas_state_is_reportlabs() -> None:
    import io

    from reportlab.pdfgen.canvas import Canvas

    rltuning.tune_reportlab()
    assert Canvas.push_state_stack is rltuning._push_state_stack
    canvas = Canvas(io.BytesIO())
    canvas.setFont("Helvetica", 13)
    canvas.translate(5, 7)
    canvas.saveState()
    ours = canvas.state_stack[-1]
    rltuning._reportlab_push_state(canvas)
    theirs = canvas.state_stack[-1]
    assert list(ours) == list(theirs) == canvas.STATE_ATTRIBUTES
    assert all(ours[k] == theirs[k] for k in ours if k != "_extgstate")  # a fresh copy each
    canvas.restoreState()
    canvas.setFont("Courier", 9)
    canvas.restoreState()
    assert (canvas._fontname, canvas._fontsize) == ("Helvetica", 13)
