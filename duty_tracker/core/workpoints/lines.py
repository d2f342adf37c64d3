"""From raw text to normalised lines, keeping table rows as rows.

Every line goes through the rules reader's :func:`normalise_line` (full-width punctuation,
ASCII digits, single spaces), then half-width brackets that it leaves alone (it converts only
short ones) become full-width too, so the patterns downstream know one spelling. A line whose
cells are separated by tabs or "|" (a table copied out of Word, Excel or a web page, or read
from a .docx) is kept as a row of cells; cells separated by runs of spaces are offered as
``loose_cells`` and become a row only inside a table whose header was seen that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duty_tracker.core.rules.text_input import MAX_TEXT_CHARS, is_junk_line, normalise_line

_RE_SPACED_CELLS = re.compile(r"(?:[ \u3000]{2,})")
_RE_PIPE = re.compile(r"\s*[|｜]\s*")


@dataclass(slots=True)
class Line:
    """One line of the document. ``cells`` is set for a table row (≥ 2 non-empty cells)."""

    number: int
    text: str
    cells: list[str] | None = None
    loose_cells: list[str] | None = None

    @property
    def blank(self) -> bool:
        return not self.text and not self.cells


def canonical(text: str) -> str:
    """One normalised line or cell, brackets full-width."""
    text = normalise_line(text)
    return text.replace("(", "（").replace(")", "）")


def split_lines(text: str) -> list[Line]:
    """The document as :class:`Line` objects; web-page furniture is dropped, blank lines kept."""
    text = text[:MAX_TEXT_CHARS]
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines: list[Line] = []
    for number, raw in enumerate(text.split("\n"), 1):
        cells = _cells_of(raw)
        if cells is not None:
            lines.append(Line(number, " ".join(cells), cells=cells))
            continue
        line = canonical(raw)
        if line and is_junk_line(line):
            continue
        loose = _loose_cells(raw)
        lines.append(Line(number, line, loose_cells=loose))
    return lines


def _cells_of(raw: str) -> list[str] | None:
    """Cells of a tab- or pipe-separated row; None for an ordinary line."""
    stripped = raw.strip()
    if "\t" in stripped:
        parts = stripped.split("\t")
    elif stripped.count("|") + stripped.count("｜") >= 2:
        parts = _RE_PIPE.split(stripped.strip("|｜"))
    else:
        return None
    cells = [canonical(part) for part in parts]
    if sum(1 for cell in cells if cell) < 2:
        return None
    return cells


def _loose_cells(raw: str) -> list[str] | None:
    """Cells of a line laid out with runs of spaces (≥ 3 cells), else None."""
    stripped = raw.strip()
    if not _RE_SPACED_CELLS.search(stripped):
        return None
    parts = [canonical(part) for part in _RE_SPACED_CELLS.split(stripped)]
    parts = [part for part in parts if part]
    return parts if len(parts) >= 2 else None
