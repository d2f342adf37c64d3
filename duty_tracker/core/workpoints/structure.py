"""The outline of a work-points body: sections, items, paragraphs and table rows as a tree.

Labels rank as official documents use them: 第X部分 > 一、 > （一） > 1. / 1、 > （1） > ①;
an unlabelled paragraph or a table row sits under the nearest label above it. A line that only
says who or by when ("责任单位：…", "（牵头单位：…）", "完成时限：…") belongs to the node above
it: to a task when it follows one, to an item or a section when it follows its heading (its
tasks inherit it). Lines broken inside a sentence (PDF copies) are joined first: inside an
open bracket, after "、" "，" "：", or at the document's wrap width.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from duty_tracker.core.rules.numerals import CHINESE_NUMERAL_CHARS, CIRCLED_CHARS, numeral_to_int
from duty_tracker.core.workpoints.clauses import RE_KEY_COLON, find_clauses
from duty_tracker.core.workpoints.lines import Line
from duty_tracker.core.workpoints.tables import (
    Header,
    RowTask,
    column_kind,
    header_of,
    is_header_cell,
    is_section_row,
    read_row,
)

_CN = f"[{CHINESE_NUMERAL_CHARS}]"
_LABELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"^(第\s?({_CN}{{1,3}}|\d{{1,2}})\s?(?:部分|章|篇))\s*(.*)$")),
    (1, re.compile(rf"^(({_CN}{{1,3}})\s?[、.])\s*(.*)$")),
    (2, re.compile(rf"^(（\s?({_CN}{{1,3}})\s?）)\s*(.*)$")),
    (3, re.compile(r"^((\d{1,2})\s?[.、])(?!\d)\s*(.+)$")),
    (4, re.compile(r"^(（\s?(\d{1,2})\s?）|(\d{1,2})）)\s*(.+)$")),
    (5, re.compile(rf"^(([{CIRCLED_CHARS}]))\s*(.+)$")),
)
PARAGRAPH = 9
_TERMINAL = "。；;！？!?）】”"
_CONTINUES = "、，,：:（【和及与或"
_RE_UNITS_LINE = re.compile(rf"^(?:{RE_KEY_COLON.pattern})|^[（【\[]\s*(?:{RE_KEY_COLON.pattern})")
_RE_STOP = re.compile(r"^(?:抄送[：:]|抄报[：:]|主题词[：:]|.{2,40}\s?\d{4}年\d{1,2}月\d{1,2}日印发$)")
#: A paragraph that closes the document ("各地各部门要按照本要点要求……"), not a task.
CLOSING = re.compile(r"本(?:要点|方案|计划|通知|意见|清单)|上述(?:任务|工作)|以上(?:任务|工作)|请各(?:地|单位|部门)")
_RE_DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日$")


@dataclass(eq=False)
class Node:
    """A section, item, paragraph or table row; ``extra`` holds its attached units lines."""

    rank: int
    label: str | None
    number: int | None
    text: str
    line: int
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    row: RowTask | None = None

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    def walk(self) -> list[Node]:
        out: list[Node] = []
        for child in self.children:
            out.append(child)
            out.extend(child.walk())
        return out


def label_of(text: str) -> tuple[int, str, int, str] | None:
    """(rank, label, number, rest) when ``text`` starts with an outline label."""
    for rank, pattern in _LABELS:
        match = pattern.match(text)
        if not match:
            continue
        groups = [g for g in match.groups() if g is not None]
        label, raw, rest = groups[0], groups[1], groups[-1] if len(groups) > 2 else ""
        number = (CIRCLED_CHARS.index(raw) + 1) if rank == 5 else numeral_to_int(raw)
        if not number or number > 60:
            continue
        if rank == 1 and (text[len(label) - 1:len(label)] == "." and not rest):
            continue
        return rank, label.replace(" ", ""), number, rest.strip()
    return None


def is_heading(node: Node) -> bool:
    """Whether a labelled node's text is only a heading ("加强组织领导", "深化行政审批制度改革。"):
    short, one sentence. The paragraphs after a heading are its tasks."""
    text = node.text
    for clause in reversed(find_clauses(text)):
        text = text[:clause.start] + text[clause.end:]
    text = text.strip(" 。；;：:")
    return len(text) <= 40 and not re.search(r"[。；;！？]", text) and (len(text) <= 30 or "，" not in text)


def is_units_line(text: str) -> bool:
    """A line that only says who does the task above it, or by when."""
    return bool(_RE_UNITS_LINE.match(text))


def is_stop_line(text: str) -> bool:
    """The 版记 at the end of a 公文 (抄送, 印发 date): the text is over."""
    return bool(_RE_STOP.match(text))


def is_date_line(text: str) -> bool:
    return bool(_RE_DATE_LINE.match(text))


# --- joining broken lines -------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def wrap_width(lines: list[Line]) -> int | None:
    """The width at which a hard-wrapped text (a PDF copy) breaks its lines, or None."""
    widths = [_width(line.text) for line in lines if line.text and line.cells is None and not line.loose_cells]
    long = [w for w in widths if w >= 40]
    if len(long) < 6:
        return None
    common, _ = Counter(long).most_common(1)[0]
    near = sum(1 for w in long if abs(w - common) <= 3)
    peak = max(w for w in long if abs(w - common) <= 3)
    return peak if near >= max(4, len(long) * 0.3) else None


def _depth(text: str) -> int:
    return sum(text.count(ch) for ch in "（【") - sum(text.count(ch) for ch in "）】")


def _joins(current: str, following: Line, width: int | None) -> bool:
    nxt = following.text
    if following.cells is not None or not nxt or is_stop_line(nxt):
        return False
    labelled = label_of(nxt)
    if _depth(current) > 0:
        return labelled is None or labelled[0] >= 3
    if labelled is not None or is_units_line(nxt):
        return False
    if current[-1] in _CONTINUES or RE_KEY_COLON.search(current[-8:]) and current.endswith(("：", ":")):
        return True
    return bool(width) and _width(current) >= width - 3 and current[-1] not in _TERMINAL


def join_broken_lines(lines: list[Line]) -> list[Line]:
    """Lines broken inside a sentence joined again (table rows are left alone)."""
    width = wrap_width(lines)
    out: list[Line] = []
    index = 0
    loose_table = False
    while index < len(lines):
        line = lines[index]
        loose_table = loose_table or bool(line.loose_cells and header_of(line.loose_cells))
        if line.cells is not None or not line.text or (loose_table and line.loose_cells):
            out.append(line)
            index += 1
            continue
        text = line.text
        steps = 0
        while index + 1 < len(lines) and steps < 8 and _joins(text, lines[index + 1], width):
            text += lines[index + 1].text
            index += 1
            steps += 1
        out.append(Line(line.number, text, loose_cells=line.loose_cells if steps == 0 else None))
        index += 1
    return out


# --- the tree -------------------------------------------------------------------------------

class OutlineBuilder:
    """Feeds the body's lines one by one into a tree under ``root``."""

    def __init__(self) -> None:
        self.root = Node(-1, None, None, "", 0)
        self.stack: list[Node] = [self.root]
        self.last: Node | None = None
        self.after_blank = True
        self.header: Header | None = None
        self.loose = False
        self.pending_header: list[Line] = []
        self.cell_lines: list[str] | None = None
        self.cell_row_line = 0

    def feed_all(self, lines: list[Line]) -> Node:
        for line in lines:
            if line.text and is_stop_line(line.text):
                break
            self.feed(line)
        self._flush_cell_lines()
        self._flush_pending_header()
        return self.root

    def feed(self, line: Line) -> None:
        if line.blank:
            self.after_blank = True
            return
        if line.cells is not None:
            self._flush_pending_header()
            self._row(line, line.cells)
        elif self._table_text(line):
            pass
        else:
            self._text(line)
        self.after_blank = False

    # text lines -----------------------------------------------------------------------------

    def _text(self, line: Line) -> None:
        text = line.text
        if is_units_line(text):
            if self.last is not None:
                self.last.extra.append(text)
            return
        if is_date_line(text):
            return
        labelled = label_of(text)
        if labelled is not None:
            self._labelled(line, *labelled)
            return
        last = self.last
        if (last is not None and last.rank == PARAGRAPH and last.row is None and not self.after_blank
                and last.text and last.text[-1] not in _TERMINAL and not last.extra):
            last.text += text
            return
        self._paragraph(line)

    def _paragraph(self, line: Line) -> None:
        """An unlabelled paragraph: a task under the heading above it; the continuation of an
        item that is a whole task without units of its own; a sibling of an item that is a
        whole task with its units; outside the outline when it closes the document."""
        parent = self.stack[-1]
        text = line.text
        if CLOSING.search(text) and not find_clauses(text):
            self.last = self.root.add(Node(PARAGRAPH, None, None, text, line.number))
            return
        first_below = parent is self.last and parent.rank >= 0 and not parent.children
        if first_below and parent.rank > 1 and not is_heading(parent):
            if not (find_clauses(parent.text) or parent.extra):
                parent.text += text
                return
            self.stack.pop()
            parent = self.stack[-1]
        self.last = parent.add(Node(PARAGRAPH, None, None, text, line.number))

    def _labelled(self, line: Line, rank: int, label: str, number: int, rest: str) -> None:
        while len(self.stack) > 1 and self.stack[-1].rank >= rank:
            self.stack.pop()
        node = self.stack[-1].add(Node(rank, label, number, rest, line.number))
        self.stack.append(node)
        self.last = node

    # tables ---------------------------------------------------------------------------------

    def _row(self, line: Line, cells: list[str]) -> None:
        header = header_of(cells)
        if header is not None:
            self.header = header
            return
        heading = is_section_row(cells, self.header)
        if heading is not None:
            self._text(Line(line.number, heading))
            return
        row = read_row(cells, self.header)
        if not row.text:
            return
        while len(self.stack) > 1 and self.stack[-1].rank >= PARAGRAPH:
            self.stack.pop()
        if row.category:
            self._category(row.category, line.number)
        number = numeral_to_int(row.number) if row.number else None
        node = Node(PARAGRAPH, row.number, number, row.text, line.number, row=row)
        self.last = self.stack[-1].add(node)

    def _category(self, category: str, number: int) -> None:
        """A table's 类别 column is an outline level of its own: a new value starts a part
        (labelled "一、…" when the cell says so, else with an empty label)."""
        labelled = label_of(category)
        heading = labelled[3] if labelled else category
        top = self.stack[-1]
        if top.rank >= 0 and top.text == heading and (top.label == "" or labelled):
            return
        if top.label == "":
            self.stack.pop()  # the part of the previous category ends
        if labelled is not None:
            self._labelled(Line(number, category), *labelled)
            return
        parent = self.stack[-1]
        node = parent.add(Node(max(parent.rank + 1, 1), "", None, category, number))
        self.stack.append(node)
        self.last = node

    def _table_text(self, line: Line) -> bool:
        """Loose (space-laid-out) and one-cell-per-line tables; True when the line was used."""
        if line.loose_cells and len(line.loose_cells) >= 2:
            if header_of(line.loose_cells) is not None:
                self.header, self.loose = header_of(line.loose_cells), True
                return True
            if self.loose:
                self._row(line, line.loose_cells)
                return True
        if self.loose and self.last is not None and self.last.row is not None and label_of(line.text) is None \
                and not is_units_line(line.text):
            self.last.row.task += line.text
            self.last.text = self.last.row.text
            return True
        return self._cell_per_line(line)

    def _cell_per_line(self, line: Line) -> bool:
        text = line.text
        if self.cell_lines is None and len(text) <= 8 and is_header_cell(text):
            self.pending_header.append(line)
            return True
        if self.pending_header:
            if len(self.pending_header) >= 3:
                self.header = Header([_kind(h.text) for h in self.pending_header])
                self.pending_header = []
                self.cell_lines = []
            else:
                self._flush_pending_header()
        if self.cell_lines is None or self.header is None:
            return False
        if label_of(text) is not None and not re.fullmatch(r"\d{1,3}[.、]?", text):
            self._flush_cell_lines()
            self.cell_lines = []
            return False
        starts_row = self.header.has_number and re.fullmatch(r"\d{1,3}[.、]?", text)
        full = not self.header.has_number and len(self.cell_lines) >= len(self.header.columns)
        if (starts_row or full) and self.cell_lines:
            self._flush_cell_lines()
            self.cell_lines = []
        if not self.cell_lines:
            self.cell_row_line = line.number
        self.cell_lines.append(text)
        return True

    def _flush_cell_lines(self) -> None:
        if self.cell_lines:
            self._row(Line(self.cell_row_line, " ".join(self.cell_lines)), list(self.cell_lines))
        self.cell_lines = [] if self.cell_lines is not None else None

    def _flush_pending_header(self) -> None:
        pending, self.pending_header = self.pending_header, []
        for line in pending:
            self._text(line)


def _kind(text: str) -> str:
    return column_kind(text) or "other"
