"""The work-points parser: a 工作要点/工作计划/任务分解方案 text → title, year, sections, tasks.

Steps: lines are normalised (:mod:`.lines`); the title is found among the lines before the
body, and the body starts after it; broken lines are joined and the body becomes an outline
tree (:mod:`.structure`); the tree's leaves become tasks (:mod:`.tasks`). Nothing here knows
one particular document: every rule is a pattern of how such documents are written.
"""

from __future__ import annotations

import re
from collections import Counter

from duty_tracker.core.rules.text_input import junk_ratio
from duty_tracker.core.workpoints.clauses import find_clauses
from duty_tracker.core.workpoints.lines import Line, split_lines
from duty_tracker.core.workpoints.model import (
    ParsedItem,
    ParsedSection,
    ParsedTask,
    ParsedWorkPoints,
    WorkPointsError,
)
from duty_tracker.core.workpoints.structure import (
    Node,
    OutlineBuilder,
    is_date_line,
    join_broken_lines,
    label_of,
)
from duty_tracker.core.workpoints.tables import header_of, is_header_cell
from duty_tracker.core.workpoints.tasks import (
    Context,
    collect_tasks,
    dividing_rank,
    heading_text,
    section_of,
    section_rank,
)
from duty_tracker.core.workpoints.titles import document_title, find_doc_number, year_in

#: How many lines at the top may hold the 通知 wrapper and the title.
_HEAD_LINES = 150
_FIRST_IS_LEAD = re.compile(
    r"(?:排|列|居)(?:在|于)?(?:第一位|首位|第一|最前)的?(?:单位|部门)?(?:为|是|系)牵头(?:单位|部门)|"
    r"第一(?:个|家)?(?:单位|部门)为牵头(?:单位|部门)|首列(?:单位|部门)为牵头"
)


def parse_workpoints_text(text: str, *, year: int | None = None) -> ParsedWorkPoints:
    """Parse a work-points text. ``year`` overrides the year read from the document (the
    clerk's choice on import); deadlines without a year ("6月底前") fall in that year.
    Raises :class:`WorkPointsError` (Chinese message) when the text holds no tasks."""
    if not isinstance(text, str) or not text.strip():
        raise WorkPointsError("文本为空：请粘贴工作要点全文，或选择 .txt / .docx 文件。")
    if junk_ratio(text) > 0.05:
        raise WorkPointsError("这段内容不像是文字（含有大量无法显示的字符），请检查文件是否选错。")
    lines = split_lines(text)
    head = _head(lines)
    title, title_index = document_title(["" if _table_line(line) else line.text for line in head])
    body_start = title_index + 1 if title_index is not None else 0
    preamble = lines[:body_start]
    doc_year = year or _document_year(title, lines)
    body = join_broken_lines(lines[body_start:])
    root = OutlineBuilder().feed_all(body)
    context = Context(doc_year, section_rank(root), bool(_FIRST_IS_LEAD.search(text[:200_000])))
    found = collect_tasks(root, context)
    rank = dividing_rank(root, found)
    if rank is not None and rank != context.section_rank:
        context.section_rank = rank
        found = collect_tasks(root, context)
    if not found:
        raise WorkPointsError(
            "没有从文本中识别出工作任务。请确认这是一份工作要点、工作计划或任务分解方案，"
            "其中的任务按“一、”“（一）”“1.”分项或逐段书写，并写明责任单位。"
        )
    tasks = [task for task, _node in found]
    parsed = ParsedWorkPoints(
        title=title or _fallback_title(head),
        year=doc_year,
        sections=_sections(root, context, found),
        tasks=tasks,
        doc_number=find_doc_number([line.text for line in (preamble or head[:20])]),
    )
    parsed.notes = _notes(parsed)
    return parsed


def _head(lines: list[Line]) -> list[Line]:
    """The lines that may hold the title: up to the first outline label after a line that
    looks like a title, or the first line naming responsible units."""
    head: list[Line] = []
    for line in lines[:_HEAD_LINES]:
        if _table_line(line) or line.text and find_clauses(line.text):
            break
        labelled = label_of(line.text) if line.text else None
        if labelled is not None and labelled[0] <= 2 and document_title([x.text for x in head])[1] is not None:
            break
        head.append(line)
    return head


def _table_line(line: Line) -> bool:
    """A table row, or a table's header laid out with spaces or one cell per line."""
    if line.cells is not None:
        return True
    if line.loose_cells and header_of(line.loose_cells) is not None:
        return True
    return bool(line.text) and is_header_cell(line.text)


def _document_year(title: str | None, lines: list[Line]) -> int | None:
    """The year of the work points: from the title, else the most frequent year in the text's
    deadlines ("2017年年底前"), else the date the document was signed."""
    from_title = year_in(title or "")
    if from_title:
        return from_title
    years = Counter()
    for line in lines:
        for match in re.finditer(r"((?:19|20)\d{2})\s?年(?:底|年底|\d{1,2}月|上半年|下半年|内|前)", line.text):
            years[int(match.group(1))] += 1
    if years:
        return years.most_common(1)[0][0]
    for line in lines[:_HEAD_LINES]:
        if line.text and is_date_line(line.text):
            return year_in(line.text)
    return None


def _fallback_title(head: list[Line]) -> str:
    """Without a line that reads as a title: the first short line before the outline starts
    that is no sentence, else a plain "工作要点" (the clerk renames it on import)."""
    for line in head:
        text = line.text
        if not text or line.cells is not None or label_of(text) is not None:
            if text and label_of(text) is not None:
                break
            continue
        if len(text) <= 40 and not re.search(r"[。；：，]", text) and not find_clauses(text):
            return text
    return "工作要点"


def _sections(root: Node, context: Context, found: list[tuple[ParsedTask, Node]]) -> list[ParsedSection]:
    """The first-level parts with their items and the numbers of their tasks (and each task's
    ``section_number``: the position of its section, as the sections list has it)."""
    if context.section_rank is None:
        return []
    by_node: dict[int, list[int]] = {}
    for task, node in found:
        for owner in _owners(node):
            by_node.setdefault(id(owner), []).append(task.number)
    sections: list[ParsedSection] = []
    section_numbers: dict[int, int] = {}
    for node in root.walk():
        if node.rank != context.section_rank or node.row is not None:
            continue
        section = ParsedSection(len(sections) + 1, node.label or "", heading_text(node))
        section_numbers[id(node)] = section.number
        for child in node.children:
            numbers = by_node.get(id(child), [])
            if numbers:
                own_heading = child.label and child.row is None and (child.children or len(numbers) > 1)
                title = heading_text(child) if own_heading else found[numbers[0] - 1][0].title
                section.items.append(ParsedItem(child.label, title[:60], numbers))
        if not node.children and id(node) in by_node:
            section.items.append(ParsedItem(None, section.title, by_node[id(node)]))
        sections.append(section)
    for task, node in found:
        owner = section_of(node, context)
        task.section_number = section_numbers.get(id(owner)) if owner is not None else None
    return sections


def _owners(node: Node) -> list[Node]:
    out = [node]
    current = node.parent
    while current is not None:
        out.append(current)
        current = current.parent
    return out


def _notes(parsed: ParsedWorkPoints) -> list[str]:
    """Remarks for the review step: what the clerk should look at."""
    notes: list[str] = []
    without_units = [t.number for t in parsed.tasks if not t.roles]
    if without_units:
        numbers = "、".join(str(n) for n in without_units[:20]) + ("等" if len(without_units) > 20 else "")
        notes.append(f"第{numbers}项任务未写明责任单位，请在导入前补充。")
    undated = [t.number for t in parsed.tasks if t.deadline_text and t.due is None
               and not re.search(r"长期|持续|常态|每|定期|常年|按年度|逐年", t.deadline_text)]
    if undated:
        numbers = "、".join(str(n) for n in undated[:20])
        notes.append(f"第{numbers}项任务的完成时限无法换算成日期（文中未写明年份），请核对。")
    if parsed.year is None:
        notes.append("未能从标题或正文中确定工作要点的年度，请在导入时指定年度。")
    return notes
