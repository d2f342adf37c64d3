"""任务分解表 rows: a table of tasks (序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限 …) read from
a .docx, or flattened to text with tabs, runs of spaces, "|", or one cell per line.

The header row says which column is which; its words vary (工作任务/重点任务/具体任务/任务内容,
牵头单位/牵头部门, 配合单位/协办单位, 完成时限/时间节点 …). A row with fewer cells than the
header (merged or empty cells) is aligned by what its cells look like: a number is the 序号, a
deadline is the 完成时限, lists of unit names are the unit columns in header order, the longest
remaining text is the task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duty_tracker.core.workpoints.deadlines import find_deadlines
from duty_tracker.core.workpoints.model import ASSIST, LEAD, RESPONSIBLE
from duty_tracker.core.workpoints.units import is_unit_name, split_unit_names

NUMBER, CATEGORY, TASK, DETAIL, LEAD_COL, RESP_COL, ASSIST_COL, DUE, OTHER = (
    "number", "category", "task", "detail", "lead", "responsible", "assist", "due", "other")
_HEADER_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (NUMBER, re.compile(r"^(?:序号|编号|序|项次|No\.?)$")),
    (CATEGORY, re.compile(r"^(?:类别|项目|工作类别|任务类别|板块|领域|重点领域|工作领域|类型|一级任务|工作板块|分类)$")),
    (LEAD_COL, re.compile(r"^(?:牵头单位|牵头部门|主办单位|主责单位|牵头责任单位|责任牵头单位|牵头)$")),
    (ASSIST_COL, re.compile(r"^(?:配合单位|配合部门|协办单位|参与单位|协助单位|协同单位|配合)$")),
    (RESP_COL, re.compile(r"^(?:责任单位|责任部门|承办单位|实施单位|落实单位|责任主体|负责单位|主体单位|单位)$")),
    (DUE, re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|完成期限|时间要求|进度安排|时间安排|时限|"
                     r"办结时限|截止时间|完成时间节点|时间)$")),
    (DETAIL, re.compile(r"^(?:具体措施|工作措施|主要措施|具体内容|工作要求|目标要求|具体要求|主要内容|推进措施|"
                        r"工作举措|具体举措|二级任务|工作目标)$")),
    (TASK, re.compile(r"^(?:工作任务|重点任务|具体任务|主要任务|任务内容|工作内容|工作事项|任务|具体工作|"
                      r"任务名称|改革举措|工作要点|重点工作|任务事项|事项|内容|工作)$")),
    (OTHER, re.compile(r"^(?:备注|责任人|分管领导|责任领导|牵头领导|联系人|进展情况|完成情况|成果形式|"
                       r"考核标准|评价标准|状态)$")),
)
_UNIT_COLUMNS = {LEAD_COL: LEAD, RESP_COL: RESPONSIBLE, ASSIST_COL: ASSIST}


@dataclass(slots=True)
class Header:
    """Field of each column, left to right."""

    columns: list[str]

    @property
    def has_number(self) -> bool:
        return NUMBER in self.columns


@dataclass(slots=True)
class RowTask:
    """One table row read into fields; ``units`` is (text of the cell, role) per unit column."""

    number: str | None = None
    category: str | None = None
    task: str = ""
    detail: str = ""
    units: list[tuple[str, str]] = field(default_factory=list)
    due: str | None = None

    @property
    def text(self) -> str:
        if self.task and self.detail:
            joiner = "" if self.task[-1] in "。；：:" else "："
            return f"{self.task}{joiner}{self.detail}"
        return self.task or self.detail


def column_kind(text: str) -> str | None:
    """The field a header cell names (序号 → number, 牵头单位 → lead …), or None."""
    name = re.sub(r"\s", "", text)
    return next((kind for kind, pattern in _HEADER_WORDS if pattern.match(name)), None)


def header_of(cells: list[str]) -> Header | None:
    """The header, when at least two cells are column names and one of them names the task or
    the units (so that an ordinary row of a table is never taken for a header)."""
    columns: list[str] = []
    known = 0
    for cell in cells:
        kind = column_kind(cell)
        columns.append(kind or OTHER)
        known += kind is not None
    important = {TASK, DETAIL, LEAD_COL, RESP_COL, ASSIST_COL} & set(columns)
    if known >= 2 and important and known >= len([c for c in cells if c]) - 1:
        if TASK not in columns and DETAIL in columns:
            columns[columns.index(DETAIL)] = TASK
        return Header(columns)
    return None


def is_header_cell(text: str) -> bool:
    """Whether a line alone names a column (a header flattened one cell per line)."""
    return column_kind(text) not in (None, OTHER)


def read_row(cells: list[str], header: Header | None) -> RowTask:
    """The fields of one row (cells aligned with the header when their count matches)."""
    if header is not None and len(cells) == len(header.columns):
        pairs = list(zip(header.columns, cells, strict=True))
    else:
        pairs = _align(cells, header)
    row = RowTask()
    for kind, cell in pairs:
        cell = cell.strip()
        if not cell:
            continue
        if kind == NUMBER:
            row.number = cell.rstrip(".、．")
        elif kind == CATEGORY:
            row.category = cell
        elif kind == TASK:
            row.task = f"{row.task}{cell}" if not row.task else f"{row.task}；{cell}"
        elif kind == DETAIL:
            row.detail = cell
        elif kind in _UNIT_COLUMNS:
            row.units.append((cell, _UNIT_COLUMNS[kind]))
        elif kind == DUE:
            row.due = cell
    return row


def _align(cells: list[str], header: Header | None) -> list[tuple[str, str]]:
    """Guess each cell's column from its content (merged or missing cells)."""
    unit_columns = [c for c in (header.columns if header else []) if c in _UNIT_COLUMNS] or [RESP_COL]
    pairs: list[tuple[str, str]] = []
    text_cells: list[int] = []
    for index, cell in enumerate(cells):
        value = cell.strip()
        if not value:
            continue
        if index == 0 and re.fullmatch(r"\d{1,3}[.、．]?", value):
            pairs.append((NUMBER, value))
        elif len(value) <= 20 and find_deadlines(value, 2000, field=True) and not looks_like_units(value):
            pairs.append((DUE, value))
        elif looks_like_units(value) and unit_columns:
            pairs.append((unit_columns.pop(0), value))
        else:
            pairs.append((TASK, value))
            text_cells.append(len(pairs) - 1)
    if len(text_cells) > 1 and header is not None and CATEGORY in header.columns:
        first = text_cells[0]
        pairs[first] = (CATEGORY, pairs[first][1])
    return pairs


def looks_like_units(text: str) -> bool:
    """Whether a cell lists unit names (and nothing else)."""
    names = split_unit_names(text)
    return bool(names) and all(is_unit_name(name) for name in names)


def is_section_row(cells: list[str], header: Header | None) -> str | None:
    """A row that is a heading inside the table ("一 | 深化放管服改革", "一、深化放管服改革" with
    empty cells): its heading text with a label, else None."""
    values = [c.strip() for c in cells if c.strip()]
    if not values or len(values) > 2:
        return None
    first = values[0]
    if len(values) == 2 and re.fullmatch(r"[一二三四五六七八九十]{1,3}[、.．]?", first):
        if looks_like_units(values[1]) or find_deadlines(values[1], 2000, field=True):
            return None
        return f"{first.rstrip('、.．')}、{values[1]}"
    if len(values) == 1 and re.match(r"^[一二三四五六七八九十]{1,3}、", first):
        return first
    return None
