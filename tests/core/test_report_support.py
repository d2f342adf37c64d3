"""Helpers for the report tests: poppler's pdftotext/pdffonts/pdfinfo through subprocess.

The report tests check what a reader gets out of the PDF (text, fonts, geometry), not our own
objects. Tests that need poppler skip cleanly where it is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

HAVE_POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdfinfo"))
needs_poppler = pytest.mark.skipif(not HAVE_POPPLER, reason="poppler-utils not installed")


def pdftotext(pdf: Path, *, first: int | None = None, last: int | None = None,
              layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def squash(text: str) -> str:
    """Text without whitespace: pdftotext breaks lines where the PDF wraps them."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class FontInfo:
    name: str
    type: str
    embedded: bool


def pdffonts(pdf: Path) -> list[FontInfo]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    fonts = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        emb = parts[-5]
        fonts.append(FontInfo(parts[0], parts[1], emb == "yes"))
    return fonts


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    return int(re.search(r"Pages:\s+(\d+)", out.stdout).group(1))


def page_size(pdf: Path) -> tuple[float, float]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out.stdout)
    return float(m.group(1)), float(m.group(2))


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float  # from the top of the page, as pdftotext reports it
    x1: float
    y1: float


def words(pdf: Path) -> list[Word]:
    """Every word with its box (points, origin top left), via ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    result: list[Word] = []
    page = 0
    for line in out.splitlines():
        if line.lstrip().startswith("<page "):
            page += 1
            continue
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
                      line)
        if m:
            result.append(Word(page, m.group(5), *(float(m.group(i)) for i in range(1, 5))))
    return result


@needs_poppler
def test_helpers_read_a_plain_pdf(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "plain.pdf"
    c = Canvas(str(pdf))
    c.drawString(100, 700, "hello")
    c.save()
    assert "hello" in pdftotext(pdf)
    assert page_count(pdf) == 1
    assert [w.text for w in words(pdf)] == ["hello"]


def open_seeded(db: Path):  # noqa: ANN201 - a Store (imported late: keep this module light)
    """A store on ``db`` with the default rules seeded, as the program opens a new ledger
    (whichever layer does the seeding, the store alone does not have to)."""
    from duty_tracker.core.seeding import seed_default_rule_set
    from duty_tracker.core.storage.store import Store

    store = Store.open(db)
    if not store.rules.has_rule_sets():
        seed_default_rule_set(store)
    return store
