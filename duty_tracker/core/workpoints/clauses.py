"""Where a task says who does it and by when.

Three forms occur, in any document:

* a field clause: "（责任单位：A、B牵头，C、D负责）", "（牵头单位：A；配合单位：B；完成时限：
  6月底前）", "【责任单位：…】", or unbracketed "责任单位：A。完成时限：年底前。" (also on a line
  of its own, which the structure step attaches to the task above it);
* a bracket of names with role words and no field name: "（市司法局牵头，各区县政府负责）",
  or of names alone at the end of a sentence when every one reads as a unit name: "（市司法局、
  市财政局）";
* prose: "由A会同B制定…", "由A牵头，B配合", "A牵头，B配合", "由A负责…".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from duty_tracker.core.workpoints.deadlines import find_deadlines
from duty_tracker.core.workpoints.model import ASSIST, LEAD, RESPONSIBLE, UnitRole
from duty_tracker.core.workpoints.units import (
    all_unit_names,
    has_level_prefix,
    is_unit_name,
    merge_roles,
    parse_unit_list,
    split_top_level,
    split_unit_names,
)

_UNIT_KEYS: dict[str, str] = {
    "牵头单位": LEAD, "牵头部门": LEAD, "主办单位": LEAD, "主责单位": LEAD, "主责部门": LEAD,
    "牵头责任单位": LEAD, "责任牵头单位": LEAD, "主要责任单位": LEAD, "牵头责任部门": LEAD,
    "责任单位": RESPONSIBLE, "责任部门": RESPONSIBLE, "承办单位": RESPONSIBLE,
    "实施单位": RESPONSIBLE, "落实单位": RESPONSIBLE, "责任主体": RESPONSIBLE,
    "负责单位": RESPONSIBLE, "具体负责单位": RESPONSIBLE, "执行单位": RESPONSIBLE,
    "主体单位": RESPONSIBLE, "完成单位": RESPONSIBLE, "责任处室": RESPONSIBLE,
    "配合单位": ASSIST, "配合部门": ASSIST, "协办单位": ASSIST, "协办部门": ASSIST,
    "参与单位": ASSIST, "参与部门": ASSIST, "协助单位": ASSIST, "协同单位": ASSIST,
    "协作单位": ASSIST, "参加单位": ASSIST, "配合处室": ASSIST,
}
#: Short field names, only with a colon ("牵头：A；配合：B").
_SHORT_KEYS: dict[str, str] = {"牵头": LEAD, "责任": RESPONSIBLE, "负责": RESPONSIBLE,
                               "配合": ASSIST, "协办": ASSIST, "参与": ASSIST}
_DEADLINE_KEYS = ("完成时间节点", "完成时限", "完成时间", "完成期限", "时间节点", "时限要求",
                  "时间要求", "进度安排", "时间安排", "办结时限", "截止时间", "进度要求", "时限")
_IGNORED_KEYS = ("责任领导", "分管领导", "牵头领导", "联系领导", "分管市领导", "责任人",
                 "联系人", "备注", "工作目标", "成果形式", "目标要求")
_ALL_KEYS = sorted([*_UNIT_KEYS, *_DEADLINE_KEYS, *_IGNORED_KEYS], key=len, reverse=True)
_KEY_ALT = "|".join(_ALL_KEYS)
_SHORT_ALT = "|".join(_SHORT_KEYS)
#: A field name and its separator; inside a bracket the colon may be a space or "为".
RE_KEY = re.compile(rf"(?P<key>{_KEY_ALT})\s*(?:[：:]|为|\s)\s*|(?P<short>{_SHORT_ALT})\s*[：:]\s*")
#: A field name with a colon: what starts an unbracketed clause or a units line.
RE_KEY_COLON = re.compile(rf"(?:{_KEY_ALT}|{_SHORT_ALT})\s*[：:]")
#: A bracket without any of these characters names no unit and no field (fast rejection).
_RE_UNITISH_CHAR = re.compile(r"[局委办厅部院会心府司团所站队处科室署馆社联校台区县市镇乡道关位门组庭狱场园宫盟旗州体限间]")
_OPENERS = {"（": "）", "【": "】", "[": "]", "〔": "〕"}
_SENTENCE_END = "。；;！？!?"


@dataclass(slots=True)
class Clause:
    """A responsibility clause at ``start``…``end`` of a text."""

    start: int
    end: int
    roles: list[UnitRole] = field(default_factory=list)
    deadline_values: list[str] = field(default_factory=list)
    keyed: bool = True


def parse_fields(body: str) -> tuple[list[UnitRole], list[str]] | None:
    """Units and deadline values of a clause body with field names ("牵头单位：A；配合单位：B；
    完成时限：年底前"). Text before the first field name counts as a list of units. None when the
    body names no field."""
    keys = [m for m in RE_KEY.finditer(body) if _at_field_start(body, m.start())]
    if not keys:
        return None
    roles: list[UnitRole] = []
    deadlines: list[str] = []
    lead_in = body[: keys[0].start()].strip(" ；;，,。")
    if lead_in:
        roles.extend(parse_unit_list(lead_in, RESPONSIBLE))
    for index, match in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(body)
        value = body[match.end():end].strip(" ；;，,。")
        key = match.group("key") or match.group("short")
        if key in _UNIT_KEYS or key in _SHORT_KEYS:
            role = _UNIT_KEYS.get(key) or _SHORT_KEYS[key]
            roles.extend(parse_unit_list(value, role))
        elif key in _DEADLINE_KEYS and value:
            deadlines.append(value)
    return merge_roles(roles), deadlines


def _at_field_start(body: str, index: int) -> bool:
    return index == 0 or body[index - 1] in "；;，,。 （(【、"


def find_clauses(text: str) -> list[Clause]:
    """Every responsibility clause of ``text``, in order. (The outline asks about the same
    text several times; the answer is kept for the texts seen last.)"""
    return [Clause(c.start, c.end, [UnitRole(r.name, r.role) for r in c.roles], list(c.deadline_values), c.keyed)
            for c in _find_clauses(text)]


@lru_cache(maxsize=2048)
def _find_clauses(text: str) -> tuple[Clause, ...]:
    return tuple(_find_clauses_uncached(text))


def _find_clauses_uncached(text: str) -> list[Clause]:
    clauses = _bracketed(text)
    taken = [(c.start, c.end) for c in clauses]
    for match in RE_KEY_COLON.finditer(text):
        start = match.start()
        if any(a <= start < b for a, b in taken) or not _at_field_start(text, start):
            continue
        end = _sentence_end(text, start)
        parsed = parse_fields(text[start:end])
        if parsed is None:
            continue
        clauses.append(Clause(start, end, parsed[0], parsed[1]))
        taken.append((start, end))
    clauses.sort(key=lambda c: c.start)
    return clauses


def _sentence_end(text: str, start: int) -> int:
    """End of an unbracketed clause: the "。" that closes it (included), a bracket closing
    around it, or the end of the text."""
    depth = 0
    for index in range(start, len(text)):
        ch = text[index]
        if ch in "（【[〔《":
            depth += 1
        elif ch in "）】]〕》":
            if depth == 0:
                return index
            depth -= 1
        elif ch == "。" and depth == 0:
            return index + 1
    return len(text)


def _bracketed(text: str) -> list[Clause]:
    """Bracketed clauses, outermost first: a clause's inner brackets ("县（市）") are its own."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    closers = set(_OPENERS.values())
    for index, ch in enumerate(text):
        if ch in _OPENERS:
            stack.append(index)
        elif ch in closers and stack:
            pairs[stack.pop()] = index
    clauses: list[Clause] = []
    taken_until = 0
    for start in sorted(pairs):
        end = pairs[start]
        if start < taken_until or end - start > 402:
            continue
        clause = _bracket_clause(text, start, end)
        if clause is not None:
            clauses.append(clause)
            taken_until = end + 1
    return clauses


def _bracket_clause(text: str, start: int, end: int) -> Clause | None:
    body = text[start + 1:end].strip()
    if not 2 <= len(body) <= 400 or not _RE_UNITISH_CHAR.search(body):
        return None
    if RE_KEY.match(body) or RE_KEY_COLON.search(body):
        parsed = parse_fields(body)
        if parsed is not None and (parsed[0] or parsed[1]):
            return Clause(start, end + 1, parsed[0], parsed[1])
    groups = split_top_level(body, "，,；;")
    deadlines = [g for g in groups if _is_deadline_value(g)]
    names = "，".join(g for g in groups if g not in deadlines)
    roles = parse_unit_list(names, RESPONSIBLE) if names else []
    if not all_unit_names(roles):
        return None
    has_role_word = _has_role_word(names)
    closes_sentence = end + 1 >= len(text) or text[end + 1] in _SENTENCE_END or start == 0 or text[start - 1] in "。；"
    prefixed = all(has_level_prefix(r.name) for r in roles)
    if has_role_word or (prefixed and (closes_sentence or deadlines)):
        return Clause(start, end + 1, roles, deadlines, keyed=False)
    return None


def _is_deadline_value(group: str) -> bool:
    """"年底前", "2019年6月底前", "长期坚持": a group of a bracket that only says by when."""
    found = find_deadlines(group, 2000, field=True)
    return bool(found) and sum(d.end - d.start for d in found) >= len(group.strip()) - 2


_ROLE_WORD = re.compile(r"(?:牵头|负责|配合|参与|协助|协办|主办|落实)")


def _has_role_word(body: str) -> bool:
    return any(_ROLE_WORD.search(group) for group in split_top_level(body, "，,；;"))


# --- prose ------------------------------------------------------------------------------------

_VERBS = ("制定", "开展", "组织", "建立", "推进", "落实", "完成", "研究", "起草", "出台", "做好",
          "加强", "抓好", "负责", "牵头", "配合", "联合", "共同", "分别", "具体", "统筹", "协调",
          "指导", "督促", "定期", "每年", "进行", "编制", "提出", "修订", "完善", "健全", "印发",
          "报送", "实施", "部署", "审查", "清理", "评估", "梳理", "拟定", "细化", "按照", "根据",
          "结合", "围绕", "针对", "参照", "做", "对", "在", "于", "按", "将", "向", "就", "以", "于",
          "抓", "搞", "办", "建", "推", "会", "形成", "启动", "召开", "举办", "承担", "开发", "汇总")
_RE_UNDER = re.compile(r"由(?P<a>[^，。；由]{2,60}?)(?P<how>会同|牵头|负责|组织|承担|具体负责|联合)")
_RE_LEAD_ASSIST = re.compile(r"(?P<a>[^，。；由]{2,60}?)牵头[，,、]?(?P<b>[^，。；]{2,100}?)(?:配合|参与|协助|协办)")
_RE_JOINTLY = re.compile(r"(?:^|[，。；])(?P<a>[^，。；由]{2,40}?)会同(?P<b>[^，。；]{2,100})")
_RE_ASSISTED = re.compile(r"^[，,]?(?P<b>[^，。；]{2,100}?)(?:配合|参与|协助|协办)")


def prose_roles(text: str) -> list[UnitRole]:
    """Units named in running text ("由A会同B…", "A牵头，B配合", "由A负责…"), sentence by
    sentence; only names that read as unit names are taken."""
    return [UnitRole(r.name, r.role) for r in _prose_roles(text)]


@lru_cache(maxsize=2048)
def _prose_roles(text: str) -> tuple[UnitRole, ...]:
    roles: list[UnitRole] = []
    for sentence in re.split(r"(?<=[。；;])", text):
        roles.extend(_sentence_roles(sentence))
    return tuple(merge_roles(roles))


def _sentence_roles(sentence: str) -> list[UnitRole]:
    match = _RE_UNDER.search(sentence)
    if match and _names(match.group("a")):
        lead_role = RESPONSIBLE if match.group("how") in ("负责", "具体负责", "承担", "组织") else LEAD
        roles = [UnitRole(n, lead_role) for n in _names(match.group("a"))]
        rest = sentence[match.end():]
        if match.group("how") in ("会同", "联合"):
            roles += [UnitRole(n, ASSIST) for n in leading_units(rest)]
        elif match.group("how") == "牵头":
            assisted = _RE_ASSISTED.match(rest)
            if assisted:
                roles += [UnitRole(n, ASSIST) for n in _names(assisted.group("b"))]
        return roles
    for pattern in (_RE_LEAD_ASSIST, _RE_JOINTLY):
        for found in pattern.finditer(sentence):
            lead = _names(found.group("a").lstrip("，。；"))
            if not lead:
                continue
            b = found.group("b")
            assist = _names(b) if pattern is _RE_LEAD_ASSIST else leading_units(b)
            if assist:
                return [UnitRole(n, LEAD) for n in lead] + [UnitRole(n, ASSIST) for n in assist]
    return _phrase_roles(sentence)


_RE_SUBJECT_FUZE = re.compile(r"^(?P<a>[^，。；]{2,40}?)(?:负责|牵头)(?!同志|人|的|任|制|单位|部门)(?=[\u4e00-\u9fff])")


def _phrase_roles(sentence: str) -> list[UnitRole]:
    """Clauses that are only units and their role ("县政府办、县司法局负责", "县直有关部门配合"),
    and a clause that starts with its unit ("县司法局负责审查……")."""
    roles: list[UnitRole] = []
    for clause in split_top_level(sentence.rstrip("。；;"), "，,；;"):
        if is_units_phrase(clause):
            roles.extend(parse_unit_list(clause, RESPONSIBLE))
            continue
        match = _RE_SUBJECT_FUZE.match(clause)
        if match and _names(match.group("a")):
            role = LEAD if clause[match.end("a"):].startswith("牵头") else RESPONSIBLE
            roles.extend(UnitRole(n, role) for n in _names(match.group("a")))
    return roles


def strip_subject(clause: str) -> str:
    """"县司法局负责审查县政府各类合同" → "审查县政府各类合同" (for a title: the units are
    listed apart)."""
    match = _RE_SUBJECT_FUZE.match(clause)
    if match and _names(match.group("a")) and len(clause) - match.end() >= 4:
        return clause[match.end():]
    return clause


def is_units_phrase(clause: str) -> bool:
    """Whether a clause only names units and their role: "县政府办、县司法局负责"."""
    text = clause.strip(" 。；;，,")
    if not _ROLE_WORD.search(text[-4:]):
        return False
    roles = parse_unit_list(text, RESPONSIBLE)
    return bool(roles) and all(is_unit_name(r.name) for r in roles) and len("".join(r.name for r in roles)) >= len(text) - 8


def _names(text: str) -> list[str]:
    """The names of a list when every piece is a unit name, else none."""
    names = split_unit_names(text.strip())
    return names if names and all(is_unit_name(n) for n in names) else []


def leading_units(text: str) -> list[str]:
    """The unit names a phrase starts with: "市发改委、市财政局制定实施办法" → both names."""
    names: list[str] = []
    for piece in split_top_level(text, "、"):
        if is_unit_name(piece):
            names.append(piece)
            continue
        head = _unit_before_verb(piece)
        if head:
            names.extend(split_unit_names(head))
        break
    return [n for n in names if is_unit_name(n)]


def _unit_before_verb(piece: str) -> str | None:
    """The longest start of ``piece`` that is a unit name followed by a verb."""
    for cut in range(min(len(piece) - 1, 30), 1, -1):
        head, rest = piece[:cut], piece[cut:]
        if rest.startswith(_VERBS) and is_unit_name(head):
            return head
    return None
