"""From the outline tree to tasks: which nodes are tasks, their units, deadline and title.

A task is a leaf of the outline (a paragraph, an item without sub-items, a table row). A leaf
whose text carries several responsibility clauses ("…。（责任单位：A）…。（责任单位：B）") or
several sentences that each name their units in prose is several tasks. A task without units of
its own takes those of the nearest item or section that names some; the same for a deadline
given as a field ("完成时限：…") on an item or section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duty_tracker.core.workpoints.clauses import Clause, find_clauses, prose_roles
from duty_tracker.core.workpoints.deadlines import Deadline, choose_due, find_deadlines
from duty_tracker.core.workpoints.model import LEAD, RESPONSIBLE, ParsedTask, UnitRole
from duty_tracker.core.workpoints.structure import CLOSING, PARAGRAPH, Node
from duty_tracker.core.workpoints.titles import TITLE_MAX, short_title
from duty_tracker.core.workpoints.units import merge_roles, parse_unit_list

_CJK = re.compile(r"[\u4e00-\u9fff]")
#: A sub-item label inside a paragraph, at its start or after a full stop or colon.
_RE_INLINE_LABEL = re.compile(r"(?:^|(?<=[。；;：:]))\s*(\d{1,2}[.、](?!\d)|（\d{1,2}）|[①②③④⑤⑥⑦⑧⑨⑩])")
#: Parts of a plan that frame the tasks rather than hold them (unless a unit is named there).
_NOT_TASKS = re.compile(
    r"^(?:指导思想|总体要求|总体目标|主要目标|工作目标|目标任务|基本原则|保障措施|工作要求|组织保障|"
    r"有关要求|工作保障|实施步骤|工作步骤|工作措施和要求)$"
)


@dataclass(slots=True)
class Segment:
    """A piece of a leaf's text that is one task, with the clauses found in it."""

    text: str
    clauses: list[Clause] = field(default_factory=list)


@dataclass(slots=True)
class Context:
    """What every task of the document needs: its year, the outline's section rank, and
    whether the document says that the first unit listed leads ("排在首位的为牵头单位")."""

    year: int | None
    section_rank: int | None
    first_is_lead: bool = False


def section_rank(root: Node) -> int | None:
    """The rank of the document's first-level parts (一、 usually; （一） when it has no 一、)."""
    ranks = [node.rank for node in root.walk() if node.rank < PARAGRAPH and node.label is not None]
    return min(ranks) if ranks else None


def dividing_rank(root: Node, found: list[tuple[ParsedTask, Node]]) -> int | None:
    """The first outline level that divides the tasks. A level whose only task-holding part
    sits among parts without tasks ("第二部分 重点任务" between "第一部分 主要目标" and "第三部分
    保障措施") frames the document; the level below it holds the sections."""
    chains = [[a for a in _ancestors(node) if a.label is not None] for _task, node in found]
    ranks = sorted({a.rank for chain in chains for a in chain})
    for rank in ranks:
        holding = {id(a) for chain in chains for a in chain if a.rank == rank}
        if len(holding) > 1:
            return rank
        others = [n for n in root.walk() if n.rank == rank and n.label is not None and id(n) not in holding]
        if not others:
            return rank
    return ranks[0] if ranks else None


def collect_tasks(root: Node, context: Context) -> list[tuple[ParsedTask, Node]]:
    """Every task of the tree in document order, each with the leaf it comes from."""
    out: list[tuple[ParsedTask, Node]] = []
    for node in root.walk():
        if node.children or not _is_task_node(node, context):
            continue
        segments = split_segments(node.text)
        for index, segment in enumerate(segments):
            task = _task(node, segment, context, index, len(segments))
            if task is not None:
                out.append((task, node))
    for number, (task, _node) in enumerate(out, 1):
        task.number = number
    return out


def _is_task_node(node: Node, context: Context) -> bool:
    own = bool(find_clauses(node.text) or _extra_clauses(node) or node.row and node.row.units)
    if not own and any(_NOT_TASKS.match(heading_text(a)) for a in _ancestors(node) + [node] if a.label is not None):
        return False
    if node.parent is not None and node.parent.rank < 0 and node.label is None:
        # before the first heading: the introduction, unless it names units
        return own or bool(prose_roles(node.text)) and context.section_rank is None
    if node.rank == context.section_rank and node.row is None:
        return own or ("，" in node.text and len(node.text) > 20)
    if node.label is None and node.row is None and not own and CLOSING.search(node.text):
        return False
    return bool(_CJK.search(node.text))


def split_segments(text: str) -> list[Segment]:
    """The tasks of one leaf's text: one per group of clauses that closes a sentence."""
    clauses = find_clauses(text)
    groups = _clause_groups(clauses, text)
    if len(groups) <= 1:
        if not clauses:
            return _prose_segments(text)
        return [Segment(text, clauses)]
    segments: list[Segment] = []
    start = 0
    for group in groups:
        end = group[-1].end
        while end < len(text) and text[end] in "。；; ":
            end += 1
        segments.append(Segment(text[start:end], group))
        start = end
    tail = text[start:]
    if len(_CJK.findall(tail)) >= 8:
        segments.append(Segment(tail, []))
    elif tail.strip():
        segments[-1].text += tail
    return _rebase(segments)


def _clause_groups(clauses: list[Clause], text: str) -> list[list[Clause]]:
    """Clauses next to each other ("责任单位：A。完成时限：年底前。") are one group."""
    groups: list[list[Clause]] = []
    for clause in clauses:
        if groups and text[groups[-1][-1].end:clause.start].strip(" 。；;，,") == "":
            groups[-1].append(clause)
        else:
            groups.append([clause])
    return groups


def _rebase(segments: list[Segment]) -> list[Segment]:
    """Clause offsets relative to their own segment."""
    offset = 0
    for segment in segments:
        segment.clauses = [Clause(c.start - offset, c.end - offset, c.roles, c.deadline_values, c.keyed)
                           for c in segment.clauses]
        offset += len(segment.text)
    return segments


def _prose_segments(text: str) -> list[Segment]:
    """Sentences that each name their units in prose are separate tasks; a sentence without
    units stays with the one before it."""
    sentences = [s for s in re.split(r"(?<=。)", text) if s.strip()]
    anchored = [bool(prose_roles(s)) for s in sentences]
    if sum(anchored) <= 1:
        return [Segment(text)]
    segments: list[Segment] = []
    last_anchored = False
    for sentence, anchor in zip(sentences, anchored, strict=True):
        if not segments or (anchor and last_anchored):
            segments.append(Segment(sentence))
        else:
            segments[-1].text += sentence
        last_anchored = last_anchored or anchor
    return segments


def _extra_clauses(node: Node) -> list[Clause]:
    out: list[Clause] = []
    for line in node.extra:
        out.extend(find_clauses(line))
    return out


def strip_clauses(text: str, clauses: list[Clause]) -> str:
    """The text without its responsibility clauses (their content is in the roles)."""
    out = text
    for clause in sorted(clauses, key=lambda c: c.start, reverse=True):
        out = out[:clause.start] + out[clause.end:]
    out = re.sub(r"。\s*。", "。", out)
    out = re.sub(r"[，；、]\s*([。；])", r"\1", out)
    return out.strip(" ，；、")


def _task(node: Node, segment: Segment, context: Context, index: int, count: int) -> ParsedTask | None:
    """The task of one segment (``index`` of ``count``) of a leaf."""
    text = strip_clauses(segment.text, segment.clauses)
    clauses = segment.clauses + (_extra_clauses(node) if index == count - 1 else [])
    item = _item_label(node, context)
    inline = _RE_INLINE_LABEL.search(text) if count > 1 else None
    if inline is not None and len(text) - inline.end() >= 4:
        # "（一）规范执法。1.开展评查（责任单位：A）；2.推进公示（责任单位：B）": one task each
        text = text[inline.end():]
        item = f"{item or ''}{inline.group(1).replace('、', '.')}"
    roles, units_from = _roles(node, segment, clauses, text, context)
    deadline = _deadline(node, clauses, text, context.year)
    if not _CJK.search(text):
        return None  # only a clause, or no words: not a task
    section = _section_of(node, context)
    task = ParsedTask(
        number=0,
        section=_heading(section) if section is not None else "",
        title=_title(node, text, context),
        text=text,
        roles=roles,
        due=deadline.iso if deadline else None,
        deadline_text=deadline.phrase if deadline else None,
        item=item,
        item_title=_item_title(node, context),
        units_from=units_from,
        source_text=segment.text.strip(),
        line=node.line,
    )
    return task


def _roles(node: Node, segment: Segment, clauses: list[Clause], text: str,
           context: Context) -> tuple[list[UnitRole], str | None]:
    roles: list[UnitRole] = []
    if node.row is not None:
        for cell, role in node.row.units:
            roles.extend(parse_unit_list(cell, role))
    for clause in clauses:
        roles.extend(clause.roles)
    roles = merge_roles(roles)
    if roles:
        _leads_from_prose(roles, text)
        if context.first_is_lead and not any(r.role == LEAD for r in roles):
            roles[0].role = LEAD
        return roles, "task"
    prose = prose_roles(text)
    if prose:
        return prose, "task"
    for ancestor in _ancestors(node):
        inherited = merge_roles([r for c in find_clauses(ancestor.text) + _extra_clauses(ancestor) for r in c.roles])
        if inherited:
            if context.first_is_lead and not any(r.role == LEAD for r in inherited):
                inherited[0].role = LEAD
            where = "section" if ancestor.rank == context.section_rank else "item"
            return [UnitRole(r.name, r.role) for r in inherited], where
    return [], None


def _leads_from_prose(roles: list[UnitRole], text: str) -> None:
    """"（责任单位：A、B）" with "由A会同B…" in the text: A leads."""
    if any(r.role == LEAD for r in roles):
        return
    leads = {r.name for r in prose_roles(text) if r.role == LEAD}
    for role in roles:
        if role.name in leads and role.role == RESPONSIBLE:
            role.role = LEAD


def _deadline(node: Node, clauses: list[Clause], text: str, year: int | None) -> Deadline | None:
    values = [v for c in clauses for v in c.deadline_values]
    if node.row is not None and node.row.due:
        values.append(node.row.due)
    if values:
        found = [d for v in values for d in find_deadlines(v, year, field=True)]
        if found:
            return choose_due(found)
    found = find_deadlines(text, year)
    if found:
        return choose_due(found)
    for ancestor in _ancestors(node):
        values = [v for c in find_clauses(ancestor.text) + _extra_clauses(ancestor) for v in c.deadline_values]
        found = [d for v in values for d in find_deadlines(v, year, field=True)]
        if found:
            return choose_due(found)
    return None


def _ancestors(node: Node) -> list[Node]:
    out: list[Node] = []
    current = node.parent
    while current is not None and current.rank >= 0:
        out.append(current)
        current = current.parent
    return out


def section_of(node: Node, context: Context) -> Node | None:
    """The section a node belongs to (itself when it is one), or None."""
    return _section_of(node, context)


def _section_of(node: Node, context: Context) -> Node | None:
    if context.section_rank is None:
        return None
    for candidate in [node, *_ancestors(node)]:
        if candidate.rank == context.section_rank and candidate.row is None:
            return candidate
    return None


def heading_text(node: Node) -> str:
    """A section's or item's heading: its text up to the first full stop, clauses removed."""
    text = strip_clauses(node.text, find_clauses(node.text))
    first = re.split(r"[。！？]", text, maxsplit=1)[0]
    return first.strip(" ：:；，") or text


def _heading(node: Node) -> str:
    return f"{node.label or ''}{heading_text(node)}"


def _item_nodes(node: Node, context: Context) -> list[Node]:
    """Labelled nodes between the section and the task (the task included), top down."""
    chain = [n for n in [node, *_ancestors(node)] if n.label and (
        context.section_rank is None or n.rank > context.section_rank or n.row is not None)]
    return list(reversed(chain))


def _item_label(node: Node, context: Context) -> str | None:
    labels = [n.label for n in _item_nodes(node, context) if n.label]
    return "".join(labels) or None


def _item_title(node: Node, context: Context) -> str | None:
    items = [n for n in _item_nodes(node, context) if n.row is None]
    return heading_text(items[0])[:60] if items else None


def _title(node: Node, text: str, context: Context) -> str:
    if node.row is not None and node.row.task:
        return short_title(strip_clauses(node.row.task, find_clauses(node.row.task)))
    parent = node.parent
    if (parent is not None and parent.label and parent.rank < PARAGRAPH and node.label is None
            and (context.section_rank is None or parent.rank > context.section_rank)
            and len(parent.children) == 1):
        heading = heading_text(parent)
        if 4 <= len(heading) <= TITLE_MAX:
            return short_title(heading)
    return short_title(text)
