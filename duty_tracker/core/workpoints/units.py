"""Responsible units in a work-points text: lists of names and their roles.

A list of units is written "A、B、C", "A，B", "A和B", "A B" (spaces in a table cell), with
collective names that contain a separator themselves ("各区、县（市）政府", "各县（市、区）").
Roles come from the field's name (牵头单位 → lead, 责任单位 → responsible, 配合单位 → assist) or
from a role word after a group of names ("A、B牵头，C、D负责", "A牵头，B配合", "A（牵头）").
Prose says it too: "由A会同B制定…" (A leads, B assists), "由A牵头，B配合", "由A负责".

Whether a piece of text is a unit name is decided by its form: a unit name ends with an
institution word (局、委、办、厅、中心、政府 …) and contains no digits, titles or sentences.
"""

from __future__ import annotations

import re

from duty_tracker.core.workpoints.model import ASSIST, LEAD, RESPONSIBLE, ROLE_ORDER, UnitRole

_UNIT_END = re.compile(
    r"(?:局|委|办|厅|部|院|会|中心|政府|公司|集团|所|站|队|处|科|室|署|馆|社|团|联|校|台|"
    r"区|县|市|镇|乡|街道|党委|党组|机关|单位|部门|组|庭|狱|场|园|宫|盟|旗|州|军区|武警|"
    r"银行|法院|检察院|人大|政协|大学|学院|医院|管委会|指挥部|分局)$"
)
_NOT_UNIT = re.compile(r"[0-9《》“”\"]|号|年|月|工作$|制度|机制|建设$|^(?:加强|推进|完善|建立|健全|开展|召开|组织|"
                       r"制定|落实|实施|深化|推动|做好|规范|提高|强化|完成|坚持|贯彻|探索|继续|进一步|全面|深入|"
                       r"切实|认真|积极|严格|依法|按照|根据|围绕|结合|确保|鼓励|支持|引导|培育|打造|构建|形成)")
_TRAILING_BRACKETS = re.compile(r"(?:（[^（）]{0,12}）)+$")
#: Roles said after a group of names; longest first.
_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("按职责分工负责", RESPONSIBLE), ("按职责分工落实", RESPONSIBLE), ("按职责负责", RESPONSIBLE),
    ("为牵头单位", LEAD), ("为牵头部门", LEAD), ("为责任单位", RESPONSIBLE), ("为配合单位", ASSIST),
    ("共同牵头", LEAD), ("牵头负责", LEAD), ("牵头抓总", LEAD), ("负总责", LEAD), ("牵头", LEAD),
    ("主办", LEAD), ("主责", LEAD),
    ("配合落实", ASSIST), ("共同参与", ASSIST), ("配合", ASSIST), ("参与", ASSIST),
    ("协助", ASSIST), ("协办", ASSIST), ("协同", ASSIST),
    ("分别负责", RESPONSIBLE), ("具体负责", RESPONSIBLE), ("共同负责", RESPONSIBLE),
    ("负责落实", RESPONSIBLE), ("组织实施", RESPONSIBLE), ("具体实施", RESPONSIBLE),
    ("负责", RESPONSIBLE), ("落实", RESPONSIBLE), ("承办", RESPONSIBLE), ("实施", RESPONSIBLE),
)
_MARKER = re.compile(r"（(牵头|牵头单位|牵头部门|主办|配合|配合单位|协办|参与|负责|责任单位)）")
_MARKER_ROLE = {"牵头": LEAD, "牵头单位": LEAD, "牵头部门": LEAD, "主办": LEAD,
                "配合": ASSIST, "配合单位": ASSIST, "协办": ASSIST, "参与": ASSIST,
                "负责": RESPONSIBLE, "责任单位": RESPONSIBLE}
_OPEN, _CLOSE = "（【[〔“《", "）】]〕”》"
_SEPARATORS = "、，,；;/／"
_CONJUNCTIONS = ("以及", "和", "及", "与")
_REGION_FRAGMENT = re.compile(r"各?(?:区|县|市|乡|镇|街道|区县|县区|乡镇|镇街){1,2}")
_LEADING_JUNK = re.compile(r"^(?:由|请|各有关单位：)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TRAILING_ETC = re.compile(r"(?:等(?:有关|相关)?(?:单位|部门)?|等)$")


def is_unit_name(text: str) -> bool:
    """Whether ``text`` reads as the name of one unit (or a collective such as 市政府各部门)."""
    name = _TRAILING_BRACKETS.sub("", text.strip())
    if not 2 <= len(name) <= 30 or " " in name:
        return False
    if _NOT_UNIT.search(name):
        return False
    return bool(_UNIT_END.search(name))


def has_level_prefix(name: str) -> bool:
    """Names as a city's or province's documents write its own units start with the level
    (市司法局, 省发展改革委, 区政府, 各乡镇): the evidence a bare bracket "（A、B）" lists units."""
    return bool(re.match(r"^(?:市|省|区|县|州|盟|镇|乡|街道|各|全市|全省|全区|全县|团市委|中共)", name)) or (
        "政府" in name or "委员会" in name
    )


def split_top_level(text: str, separators: str) -> list[str]:
    """``text`` split at ``separators`` that are not inside brackets, quotes or titles."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def split_unit_names(text: str) -> list[str]:
    """"市政府办公厅、市法制办" → both names; "各区、县（市）政府" stays one collective name;
    "A和B" splits only when both sides are unit names (市人力资源和社会保障局 does not)."""
    text = _split_conjunctions(text.strip().strip("。.；;，,"))
    merged: list[str] = []
    for piece in split_top_level(text, _SEPARATORS + " "):
        if merged and _continues_collective(merged[-1], piece):
            merged[-1] = f"{merged[-1]}、{piece}"
        else:
            merged.append(piece)
    return [name for name in (_clean_name(piece) for piece in merged) if name]


def _split_conjunctions(text: str) -> str:
    """Replace 和/及/与/以及 between two unit names by "、"."""
    for conj in _CONJUNCTIONS:
        start = 0
        while (index := text.find(conj, start)) > 0:
            left = re.split(r"[、，,；;\s]", text[:index])[-1]
            right = re.split(r"[、，,；;\s]", text[index + len(conj):])[0]
            if _unitish(left) and (_unitish(right) or right.startswith("各")):
                text = f"{text[:index]}、{text[index + len(conj):]}"
            start = index + 1
    return text


def _unitish(piece: str) -> bool:
    return is_unit_name(_clean_name(piece) or "")


def _continues_collective(previous: str, piece: str) -> bool:
    """"各区" + "县（市）政府" is one name; so is "各乡镇人民政府" + "街道办事处"."""
    if _REGION_FRAGMENT.fullmatch(previous) and re.match(r"^(?:区|县|市|乡|镇|街道)", piece):
        return True
    return previous.startswith("各") and re.match(r"^(?:街道|乡|镇)", piece) is not None and "各" not in piece


def _clean_name(piece: str) -> str:
    name = _LEADING_JUNK.sub("", piece.strip().strip("。.：:"))
    name = _MARKER.sub("", name).strip()
    stripped = _TRAILING_ETC.sub("", name)
    if stripped != name and is_unit_name(stripped):
        name = stripped
    return name


def parse_unit_list(text: str, default_role: str = RESPONSIBLE) -> list[UnitRole]:
    """Names and roles of a list such as "A、B牵头，C、D负责" or "A（牵头）、B、C"; a group
    without a role word takes ``default_role`` (the role its field's name gives)."""
    roles: list[UnitRole] = []
    for group in split_top_level(text, "，,；;"):
        group_role, names_text = _group_role(group, default_role)
        for piece in _raw_pieces(names_text):
            match = _MARKER.search(piece)
            role = _MARKER_ROLE[match.group(1)] if match else group_role
            for name in split_unit_names(piece):
                if _CJK.search(name):
                    roles.append(UnitRole(name, role))
    return merge_roles(roles)


_ROLE_OF_WORD = dict(_ROLE_WORDS)
_RE_GROUP_ROLE = re.compile(
    "(?:作为|为)?(" + "|".join(re.escape(word) for word, _role in _ROLE_WORDS) + ")(?:单位|部门)?$"
)


def _group_role(group: str, default_role: str) -> tuple[str, str]:
    """The role a trailing word gives a group of names, and the names without it."""
    text = group.strip().strip("。")
    match = _RE_GROUP_ROLE.search(text)
    if match and match.start() > 0:
        rest = text[: match.start()].rstrip("、，,和及").strip()
        if rest:
            return _ROLE_OF_WORD[match.group(1)], rest
    return default_role, text


def _raw_pieces(text: str) -> list[str]:
    """Pieces at top-level "、" and spaces, collective fragments rejoined, markers kept."""
    pieces = split_top_level(_split_conjunctions(text), "、/／ ")
    merged: list[str] = []
    for piece in pieces:
        if merged and _continues_collective(merged[-1], piece):
            merged[-1] = f"{merged[-1]}、{piece}"
        else:
            merged.append(piece)
    return merged


def merge_roles(roles: list[UnitRole]) -> list[UnitRole]:
    """One entry per name, in order of first mention, with its strongest role."""
    by_name: dict[str, UnitRole] = {}
    for item in roles:
        known = by_name.get(item.name)
        if known is None:
            by_name[item.name] = UnitRole(item.name, item.role)
        elif ROLE_ORDER[item.role] < ROLE_ORDER[known.role]:
            known.role = item.role
    return list(by_name.values())


def all_unit_names(roles: list[UnitRole]) -> bool:
    """Whether every name read is a unit name (used to accept a bracket without a field name)."""
    return bool(roles) and all(is_unit_name(r.name) for r in roles)
