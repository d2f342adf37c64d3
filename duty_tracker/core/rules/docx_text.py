"""The text of a .docx as a clerk sees it in Word: paragraphs and tables in document order, with
the labels of Word's automatic numbering written out.

Offices number 一、（一）1. with Word's list feature more often than by typing; python-docx's
``paragraph.text`` leaves those labels out, and its ``document.tables`` puts every table after
the last paragraph. Either would cost the parser the structure of the document, so this module
walks the body itself and renders each numbered paragraph's label from ``numbering.xml``
(format, level text, start value, restarts).
"""

from __future__ import annotations

from typing import Any

from duty_tracker.core.rules.numerals import CIRCLED_CHARS

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _chinese(value: int, digits: str = _CN_DIGITS, ten: str = "十") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (how Word's 中文计数 prints)."""
    if value <= 0:
        return str(value)
    if value < 10:
        return digits[value]
    if value < 20:
        return ten + (digits[value % 10] if value % 10 else "")
    if value < 100:
        return digits[value // 10] + ten + (digits[value % 10] if value % 10 else "")
    hundreds, rest = divmod(value, 100)
    if rest == 0:
        return digits[hundreds] + "百"
    middle = "零" if rest < 10 else ""
    tail = digits[rest] if rest < 10 else _chinese(rest, digits, ten)
    if 10 <= rest < 20:
        tail = digits[1] + tail  # 一百一十二
    return digits[hundreds] + "百" + middle + tail


def _roman(value: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for amount, letters in numerals:
        while value >= amount:
            out += letters
            value -= amount
    return out


def format_number(value: int, fmt: str) -> str:
    """A counter in one of Word's number formats (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese(value)
    if fmt == "chineseLegalSimplified":
        return _chinese(value, _CN_LEGAL, "拾")
    if fmt in ("ideographTraditional", "ideographZodiac") and 1 <= value <= 10:
        return _HEAVENLY_STEMS[value - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return CIRCLED_CHARS[value - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(ch) + 0xFEE0) for ch in str(value))
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(_W + tag) if element is not None else None
    return child.get(_W + "val") if child is not None else None


class Numbering:
    """Counters of Word's lists, fed paragraph by paragraph in document order."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstract → ilvl → spec
        self.abstract_of: dict[str, str] = {}  # numId → abstractNumId
        self.overrides: dict[str, dict[int, int]] = {}  # numId → ilvl → start
        self.counters: dict[str, dict[int, int]] = {}  # abstract → ilvl → current value
        self.seen_nums: set[str] = set()
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            root = None
        if root is not None:
            self._read_numbering(root)
        self._read_styles(document)

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iter(_W + "abstractNum"):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in abstract.iter(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl", "0"))
                start = int(_val(lvl, "start") or "1")
                levels[ilvl] = (start, _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
            self.levels[abstract.get(_W + "abstractNumId", "")] = levels
        for num in root.iter(_W + "num"):
            num_id = num.get(_W + "numId", "")
            self.abstract_of[num_id] = _val(num, "abstractNumId") or ""
            for override in num.iter(_W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    ilvl = int(override.get(_W + "ilvl", "0"))
                    self.overrides.setdefault(num_id, {})[ilvl] = int(start)

    def _read_styles(self, document: Any) -> None:
        try:
            styles = document.styles.element
        except (KeyError, AttributeError):
            return
        for style in styles.iter(_W + "style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None and _val(num_pr, "numId"):
                ilvl = int(_val(num_pr, "ilvl") or "0")
                self.style_num[style.get(_W + "styleId", "")] = (_val(num_pr, "numId") or "", ilvl)

    def label(self, paragraph: Any) -> str:
        """The label Word shows before this paragraph ("一、", "（二）", "3.") or ""."""
        num_id, ilvl = self._num_of(paragraph)
        if not num_id or num_id == "0" or num_id not in self.abstract_of:
            return ""
        abstract = self.abstract_of[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.seen_nums:
            self.seen_nums.add(num_id)
            for level, start in self.overrides.get(num_id, {}).items():
                counters[level] = start - 1
        start, _fmt, text = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        for level in range(ilvl - 1, -1, -1):
            if level in levels and level not in counters:
                counters[level] = levels[level][0]
        for level in range(8, -1, -1):  # %10 does not exist; replace %9 before %1
            if f"%{level + 1}" in text and level in levels:
                value = counters.get(level, levels[level][0])
                text = text.replace(f"%{level + 1}", format_number(value, levels[level][1]))
        return text

    def _num_of(self, paragraph: Any) -> tuple[str | None, int]:
        p_pr = paragraph.find(_W + "pPr")
        num_pr = p_pr.find(_W + "numPr") if p_pr is not None else None
        if num_pr is not None:
            return _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or "0")
        style = _val(p_pr, "pStyle") if p_pr is not None else None
        if style and style in self.style_num:
            return self.style_num[style]
        return None, 0


def _paragraph_text(element: Any) -> str:
    """Visible text of a w:p: runs, tabs and line breaks (deleted revisions left out)."""
    parts: list[str] = []
    for node in element.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        tag = node.tag
        if tag == _W + "t":
            parts.append(node.text or "")
        elif tag == _W + "tab":
            parts.append(" ")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
    return "".join(parts)


def docx_lines(document: Any) -> list[str]:
    """One line per paragraph and per table row, in the order of the document body."""
    numbering = Numbering(document)
    lines: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == _W + "p":
            text = _paragraph_text(block)
            label = numbering.label(block) if text.strip() else ""
            lines.append(label + text)
        elif block.tag == _W + "tbl":
            lines.extend(_table_lines(block))
    return lines


def _table_lines(table: Any) -> list[str]:
    """One line per row, cells separated by a space; a 序号 cell ("3") becomes the row's label
    ("3."), so that a 职责清单 table reads as numbered items."""
    lines: list[str] = []
    for row in table.iter(_W + "tr"):
        cells: list[str] = []
        for cell in row.iter(_W + "tc"):
            text = "".join(_paragraph_text(p) for p in cell.iter(_W + "p")).strip()
            if text and text not in cells:  # merged cells repeat their text
                cells.append(text)
        if len(cells) >= 2 and cells[0].isdigit() and len(cells[0]) <= 3:
            lines.append(f"{cells[0]}.{' '.join(cells[1:])}")
        else:
            lines.append(" ".join(cells))
    return lines
