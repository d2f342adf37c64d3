"""Texts without any numbering: paragraphs (or sentences) are the articles.

News reports of a new rule ("近日，市委办公室、市政府办公室印发《…规定》。规定明确…"), notices
and opinions written in prose are what clerks often paste. Their quotas are as real as those of
a 实施细则 with 第X条, so the text is cut into units a clerk can recognise: its paragraphs,
numbered in order and labelled "第3段"; or, when the text has no paragraph breaks at all (a web
page pasted as one block), its sentences, labelled "第5句". Short lines without punctuation
between paragraphs ("党委主要负责人职责") are headings: they become the chapter of the
paragraphs under them, which also tells whom those paragraphs bind.
"""

from __future__ import annotations

import re

from duty_tracker.core.rules.structure import (
    RE_DATE_LINE,
    Builder,
    Structure,
    ends_sentence,
    is_end,
    is_org_line,
    signature_starts,
)
from duty_tracker.core.rules.text_input import squeeze_cjk_spaces

#: A heading between paragraphs: short, no sentence punctuation ("二、" style headings are
#: numbered items and never reach this module).
_HEADING_MAX = 20
_SENTENCE_PUNCT = "，。；！？："
#: A title line: short, without sentence punctuation, and not already a quota.
_TITLE_MAX = 60
_RE_QUOTA_HINT = re.compile(r"每年|每半年|每季度|每月|不少于|至少|不低于")
#: 主送 line of a notice: "各区、县（市）人民政府，市政府各部门：".
_RE_ADDRESSEES = re.compile(
    r"^各.{0,78}：$|(?:党委|政府|部门|单位|机关|党组|委员会|直属|乡镇|街道|党工委)[^：]{0,8}：$"
)
#: A heading under the title ("党委主要负责人职责", "保障措施"), not a second title line.
_RE_SECTION_HEADING = re.compile(r"^.{0,16}(?:职责|要求|原则|措施|机制|保障|任务|总则|附则|分工)$")
_RE_SENTENCE = re.compile(r"[^。！？]+(?:[。！？]+[”’」』）]*|$)")
#: One paragraph of three sentences, or of two this long, is a text without paragraph breaks.
_SENTENCE_MODE_MIN = 120


def split_paragraphs(lines: list[str]) -> Structure:
    """Paragraph articles ("第1段" …) of a text without numbering; sentence articles when the
    body is one block of several sentences. Never returns an empty article list for a text
    with at least one non-empty line."""
    start = body_start(lines)
    end = body_end(lines, start)
    units = _paragraphs(lines[start:end])
    if not units:
        start, end = 0, len(lines)
        units = _paragraphs(lines)
        if not units:
            units = [(None, line) for line in lines if line]
    kind = "paragraph"
    if len(units) == 1:
        sentences = split_sentences(units[0][1])
        if len(sentences) >= 3 or (len(sentences) == 2 and len(units[0][1]) >= _SENTENCE_MODE_MIN):
            units = [(units[0][0], sentence) for sentence in sentences]
            kind = "sentence"
    builder = Builder(scheme=kind)
    suffix = "段" if kind == "paragraph" else "句"
    for number, (chapter, text) in enumerate(units, start=1):
        builder.chapter = chapter
        builder.start_article(f"第{number}{suffix}", number, text, kind=kind)
    return builder.finish(lines[:start], lines[end:])


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？ (closing quotes stay with their sentence)."""
    return [m.group(0).strip() for m in _RE_SENTENCE.finditer(text) if len(m.group(0).strip()) >= 2]


def paragraph_texts(lines: list[str]) -> list[str]:
    """The paragraphs of some lines, broken lines joined (headings dropped)."""
    return [text for chapter, text in _paragraphs(lines) if text]


def body_start(lines: list[str]) -> int:
    """Index of the first line of the body: after a 通知 wrapper (signature and date followed
    by more text) and after the title block (title, subtitle, 文号, 主送)."""
    index = _after_notice_wrapper(lines)
    taken = 0
    while index < len(lines):
        line = lines[index]
        if not line:
            index += 1
            continue
        if taken >= 6 or not _is_title_line(line) or (taken and _RE_SECTION_HEADING.search(line)):
            break
        taken += 1
        index += 1
    return index


def body_end(lines: list[str], start: int) -> int:
    """Index of the first line after the body: attachments, 版记, a closing signature."""
    seen_body = False
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        if seen_body and (is_end(line) or signature_starts(lines, index)):
            return index
        seen_body = True
    return len(lines)


def _is_title_line(line: str) -> bool:
    if _RE_ADDRESSEES.search(line) and "。" not in line:
        return True
    return (
        len(line) <= _TITLE_MAX
        and not any(ch in line for ch in _SENTENCE_PUNCT)
        and not _RE_QUOTA_HINT.search(line)
    )


def _after_notice_wrapper(lines: list[str]) -> int:
    """The line after the date of a 通知 that wraps the text (signature above the date, prose
    after it); 0 when the text has no such wrapper."""
    for index, line in enumerate(lines):
        if not RE_DATE_LINE.match(line):
            continue
        above = next((lines[i] for i in range(index - 1, -1, -1) if lines[i]), "")
        if not is_org_line(above):
            continue
        after = [text for text in lines[index + 1:] if text]
        if len(after) >= 2 and any("。" in text for text in after):
            return index + 1
    return 0


def _is_heading(text: str) -> bool:
    return 0 < len(text) <= _HEADING_MAX and not any(ch in text for ch in _SENTENCE_PUNCT)


def _paragraphs(lines: list[str]) -> list[tuple[str | None, str]]:
    """(chapter, text) of each paragraph. A line continues the paragraph when the paragraph
    does not yet end a sentence (PDF and web line breaks), blank lines or not."""
    units: list[tuple[str | None, str]] = []
    chapter: str | None = None
    current = ""
    for raw in lines:
        line = squeeze_cjk_spaces(raw).strip()
        if not line:
            continue
        if current and not ends_sentence(current) and not _is_heading(current):
            current += line
            continue
        if current:
            chapter = _close(units, current, chapter)
        current = line
    if current:
        if _is_heading(current) and units:
            units.append((chapter, current))
        else:
            _close(units, current, chapter)
    return units


def _close(units: list[tuple[str | None, str]], text: str, chapter: str | None) -> str | None:
    """Add a finished paragraph; a heading becomes the chapter of what follows instead."""
    if _is_heading(text):
        return text
    units.append((chapter, text))
    return chapter
