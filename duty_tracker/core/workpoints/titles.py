"""Titles: the document's (and its year), and a short readable title for each task.

A task's title is what the task *does*, as a clerk would write it in a 任务分解表: the heading
sentence of an item when it has one ("深化行政审批制度改革。……"), otherwise the first clause
that is an action — not the basis it cites ("贯彻落实《……》（……号）精神", "根据……要求"), not
its deadline ("在2017年年底前"), not filler adverbs ("进一步", "切实"). At most
:data:`TITLE_MAX` characters, cut where a reader would cut (an enumeration keeps its first item
and "等", a long clause ends at a comma or an enumeration comma).
"""

from __future__ import annotations

import re

from duty_tracker.core.rules.numerals import chinese_to_int
from duty_tracker.core.rules.text_input import squeeze_cjk_spaces
from duty_tracker.core.workpoints.clauses import is_units_phrase, strip_subject
from duty_tracker.core.workpoints.deadlines import find_deadlines
from duty_tracker.core.workpoints.units import split_top_level

TITLE_MAX = 30
_KEYWORDS = re.compile(
    r"(工作要点|工作计划|工作方案|实施方案|任务分解|责任分工|重点任务|工作安排|任务清单|行动计划|"
    r"推进计划|工作任务|任务书|责任清单|要点|计划|方案)"
)
_WRAPPER = re.compile(r"关于印发(?:《)?(?P<title>.+?)(?:》)?的通知")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}〔\s?(?:19|20)\d{2}\s?〕\s?\d{1,4}\s?号")
_YEAR = re.compile(r"((?:19|20)\d{2})\s?年|(二[〇○零][一二三四五六七八九〇○零]{2})\s?年")
#: A clause that states what the task rests on, not what it does: "根据……", "贯彻落实《……》
#: （……号）精神", "落实……的要求".
_BASIS = re.compile(
    r"^(?:根据|按照|依据|依照|围绕|结合|对照|遵照|为了|为|在.{1,12}(?:下|中))|"
    r"^(?:认真|深入|全面)?(?:贯彻落实|贯彻|落实)(?:《|.*(?:精神|要求|部署|的规定)$)"
)
_FILLERS = ("进一步", "切实", "认真", "着力", "积极", "继续", "大力", "不断", "扎实", "努力",
            "坚决", "全力", "要", "还要", "同时", "另外", "此外", "重点", "今年", "年内将", "将")
_CITATION = re.compile(r"《[^》]{0,200}》|（[^（）]{0,80}）|〔[^〕]{0,20}〕")


def document_title(lines: list[str]) -> tuple[str | None, int | None]:
    """The work points' title and the index of the line that carries it (None when the title
    only comes out of the 通知 wrapper "关于印发《…》的通知")."""
    own: tuple[str, int] | None = None
    wrapped: str | None = None
    for index, line in enumerate(lines):
        candidate = _standalone_title(line)
        if candidate is None and index + 1 < len(lines):
            joined = _standalone_title(line + lines[index + 1]) if _short(line) and _short(lines[index + 1]) else None
            if joined and not _KEYWORDS.search(line):
                candidate = joined
        if candidate:
            own = (candidate, index)
        match = _WRAPPER.search(line) or (
            _WRAPPER.search(line + lines[index + 1]) if index + 1 < len(lines) and line.endswith("关于印发") else None
        )
        if match and wrapped is None:
            wrapped = _clean_title(match.group("title"))
    if own:
        return own[0], own[1]
    return wrapped, None


def _short(line: str) -> bool:
    return 0 < len(line) <= 30 and not any(ch in line for ch in "。，；：")


def _standalone_title(line: str) -> str | None:
    text = _clean_title(line)
    if not text or len(text) > 60 or any(ch in text for ch in "。，；：！？"):
        return None
    if "通知" in text or text.startswith(("关于印发", "印发")) or not _KEYWORDS.search(text):
        return None
    if re.match(r"^[（(]?[一二三四五六七八九十0-9]{1,3}[、.）)]", text):
        return None
    return text


def _clean_title(text: str) -> str:
    text = _DOC_NUMBER.sub("", text)
    text = re.sub(r"（\s*）|\(\s*\)", "", text)
    return squeeze_cjk_spaces(text.strip(" 《》\u3000"))


def find_doc_number(lines: list[str]) -> str | None:
    """The document number (文号) such as 杭政办函〔2017〕62号, from the lines before the body."""
    for line in lines:
        match = _DOC_NUMBER.search(line)
        if match:
            return re.sub(r"\s", "", match.group(0))
    return None


def year_in(text: str) -> int | None:
    """The first year written in ``text`` (2017年, 二〇一九年)."""
    match = _YEAR.search(text or "")
    if not match:
        return None
    if match.group(1):
        return int(match.group(1))
    value = chinese_to_int(match.group(2).replace("○", "〇"))
    return value if value and 1990 <= value <= 2100 else None


def short_title(text: str, limit: int = TITLE_MAX) -> str:
    """A readable title of at most ``limit`` characters for a task whose text is ``text``."""
    text = squeeze_cjk_spaces(text.strip())
    heading = _heading_sentence(text, limit)
    if heading:
        return heading
    for clause in split_top_level(text, "，,；;。：:！？"):
        candidate = _clean_clause(clause)
        if is_units_phrase(clause):
            continue
        if candidate and len(candidate) >= 4 and not _BASIS.match(clause.strip()):
            return _shorten(candidate, limit)
    for clause in split_top_level(text, "，,；;。！？"):
        candidate = _clean_clause(_CITATION.sub("", clause))
        if len(candidate) >= 4:
            return _shorten(candidate, limit)
    return _shorten(text.strip("。；，") or text, limit)


def _heading_sentence(text: str, limit: int) -> str | None:
    """"深化行政审批制度改革。全面清理……" → its heading sentence, when it is short."""
    match = re.match(r"^([^。；！？]{4,60}?)[。；！？]\s*\S", text)
    if not match:
        return None
    sentence = match.group(1).strip()
    if "，" in sentence or "《" in sentence or len(sentence) > limit or _BASIS.match(sentence):
        return None
    cleaned = _clean_clause(sentence)
    return cleaned if len(cleaned) >= 4 else None


def _clean_clause(clause: str) -> str:
    """A clause without fillers, deadline phrases and cited document numbers."""
    text = strip_subject(clause.strip())
    for deadline in reversed(find_deadlines(text, None)):
        start, end = deadline.start, deadline.end
        while start > 0 and text[start - 1] in "在于到至前":
            start -= 1
        if text[start - 2:start] in ("力争", "争取", "确保"):
            start -= 2
        text = text[:start] + text[end:]
    text = re.sub(r"（[^（）]{0,60}(?:号|令|〔)[^（）]{0,30}）", "", text)
    changed = True
    while changed:
        changed = False
        for filler in _FILLERS:
            if text.startswith(filler) and len(text) > len(filler) + 3:
                text = text[len(filler):]
                changed = True
    return text.strip(" 。；，：、")


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a boundary a reader would choose."""
    text = text.strip(" 。；，：")
    if len(text) <= limit:
        return text
    enumerated = _first_of_enumeration(text)
    if enumerated and len(enumerated) <= limit:
        return enumerated
    window = text[: limit + 1]
    for marks, suffix in (("，；", ""), ("、", "等"), ("和及与", "等"), ("”》", "")):
        cut = max(window.rfind(mark) for mark in marks)
        if cut >= limit // 2:
            kept = window[:cut + 1] if marks == "”》" else window[:cut]
            kept = kept.rstrip("、，；和及与") + suffix
            noun = _RE_SHARED_NOUN.search(text)
            if suffix and noun and not kept.endswith(noun.group(0)) and len(kept) + len(noun.group(0)) <= limit:
                kept += noun.group(0)
            return kept
    return text[: limit - 1] + "…"


#: The noun an enumeration shares ("A、B、C制度"): kept after "等" when the list is cut.
_RE_SHARED_NOUN = re.compile(r"(?:制度|机制|工作|改革|建设|体系|清单|管理|服务|监督|试点|活动|行动|平台|规定|办法)$")


def _first_of_enumeration(text: str) -> str | None:
    """"开展A、B、C等方面的立法工作" → "开展A等方面的立法工作"."""
    parts = split_top_level(text, "、")
    if len(parts) < 3:
        return None
    tail = parts[-1]
    index = tail.find("等")
    if index < 0:
        return None
    return parts[0] + tail[index:]
