"""Splitting a normalised rules text into preamble, chapters, articles and clauses.

The numbering schemes that occur in published 实施细则/实施办法/规定, notices and opinions:

* ``第X条`` articles (Chinese or Arabic numerals), optionally grouped in ``第X章`` chapters;
* numbered items without any 第X条: ``一、`` ``（一）`` ``1.``/``1、`` ``（1）`` ``①`` — the
  style of the document's first item is the top level (``一、`` headings that name chapters,
  such as "二、党委主要负责人职责", group the items of the next level); one item is enough;
* no numbering at all (news reports, notices and opinions written in prose): the paragraphs
  are the articles, or the sentences when the text has no paragraph breaks
  (:mod:`paragraphs`).

Inside an article the first numbering style seen at the start of a line is the clause level;
deeper levels stay inside the clause text; a list written inline ("…职责：（一）…；（二）…")
becomes the clauses of the article or paragraph it stands in. Lines broken in the middle of a
sentence (PDF copies, web pages) are joined again, and a heading run into the previous line
("…。第四条 …") is put on a line of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duty_tracker.core.rules.model import ParsedArticle, ParsedClause
from duty_tracker.core.rules.numerals import (
    CHINESE_NUMERAL_CHARS,
    CIRCLED_CHARS,
    circled_to_int,
    numeral_to_int,
)
from duty_tracker.core.rules.text_input import squeeze_cjk_spaces

_NUM = f"[{CHINESE_NUMERAL_CHARS}0-9]"
_CN = f"[{CHINESE_NUMERAL_CHARS}]"

RE_CHAPTER = re.compile(rf"^第\s?({_NUM}{{1,5}})\s?([章编])(?:\s*(.*))?$")
RE_SECTION = re.compile(rf"^第\s?({_NUM}{{1,5}})\s?节(?:\s*(.*))?$")
#: 第X条 at the start of a line, but not a cross-reference such as "第十条规定的…" or "第三条第二款".
RE_ARTICLE = re.compile(
    rf"^第\s?({_NUM}{{1,6}})\s?条(?!规定|之规定|的规定|所|中|至|、|和|及|第|款|项|的|之)[\s：:]*(.*)$"
)

#: Item styles, as (name, pattern). The value of group 1 is the item number.
ITEM_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("paren_cn", re.compile(rf"^（\s?({_CN}{{1,4}})\s?）\s*(.*)$")),
    ("cn", re.compile(rf"^({_CN}{{1,4}})\s?[、，](?!{_CN}{{1,2}}(?:、|季度|月|级|类|等|个|名|次))\s*(.*)$")),
    ("paren_num", re.compile(r"^（\s?(\d{1,2})\s?）\s*(.*)$")),
    ("num", re.compile(r"^(\d{1,2})\s?(?:\.(?!\d)|、|）(?!）))\s*(.*)$")),
    ("circled", re.compile(rf"^([{CIRCLED_CHARS}])\s*(.*)$")),
    # the 序号 cell of a table row pasted as text: "1 主持召开…  每年至少2次"
    ("num_space", re.compile(r"^(\d{1,2}) +(?=[\u4e00-\u9fff])(?![月日年号次个名人项件天时期届批])(.*)$")),
)

#: Lines after which the rules text is over (公文 版记, attachments list, web-page footers).
RE_END = re.compile(
    r"^(附件\s*[：:0-9一二三四五六七八九十]?|附\s*件$|抄送[：:]|主题词[：:]|（此件[^）]{0,20}）$|"
    r".{2,40}\s\d{4}年\d{1,2}月\d{1,2}日印发$)"
)
RE_DATE_LINE = re.compile(
    rf"^((?:19|20)\d{{2}}|[一二〇○零]{{4}})\s?年\s?({_NUM}{{1,3}})\s?月\s?({_NUM}{{1,3}})\s?日$"
)
_TERMINAL = "。；：！？;:!?）”」』"
_ORG_SUFFIX = re.compile(r"(委员会|委|政府|办公厅|办公室|厅|局|院|部|会|组|处|中心|公司|党组|机关)$")


def ends_sentence(line: str) -> bool:
    """Whether a line ends where a sentence or paragraph may end (else the next line continues it)."""
    return bool(line) and line[-1] in _TERMINAL


def is_org_line(line: str) -> bool:
    """A signature line: one or more organisation names, no sentence punctuation."""
    if not line or len(line) > 60 or any(ch in line for ch in "，。；：、《》“”"):
        return False
    return all(_ORG_SUFFIX.search(part) for part in line.split(" ") if part)


def item_match(line: str) -> tuple[str, int, str, str] | None:
    """(style, number, label, rest) if the line starts with a numbered item label."""
    for style, pattern in ITEM_STYLES:
        match = pattern.match(line)
        if not match:
            continue
        raw = match.group(1)
        value = circled_to_int(raw) if style == "circled" else numeral_to_int(raw)
        if value is None or value == 0:
            continue
        rest = match.group(2)
        if style == "cn" and line[len(raw)] == "，":
            continue  # "一，" is prose ("一，是…"), not a label
        if style == "num" and not rest:
            continue
        return style, value, canonical_label(style, raw), rest
    return None


def canonical_label(style: str, raw: str) -> str:
    """The label as an official document prints it: （一） 一、 1. （1） ①."""
    return {
        "paren_cn": f"（{raw}）",
        "cn": f"{raw}、",
        "paren_num": f"（{raw}）",
        "num": f"{raw}.",
        "circled": raw,
        "num_space": f"{raw}.",
    }[style]


_INLINE_PAREN = re.compile(rf"(?<=[：:；;。])\s*（({_CN}{{1,3}}|\d{{1,2}})）")


def split_inline_items(line: str) -> list[str]:
    """"…职责：（一）…；（二）…；（三）…。" on one line → one line per item (only when the labels
    run 一, 二, 三 … in order, so a stray "（二）" in prose does not split a sentence)."""
    if "（" not in line:
        return [line]
    matches = list(_INLINE_PAREN.finditer(line))
    chain: list[re.Match[str]] = []
    for match in matches:
        value = numeral_to_int(match.group(1))
        expected = 1 if not chain else (numeral_to_int(chain[-1].group(1)) or 0) + 1
        if value == expected:
            chain.append(match)
        elif value == 1:
            chain = [match]
    if len(chain) < 2:
        return [line]
    parts = [line[: chain[0].start()].rstrip()]
    for index, match in enumerate(chain):
        end = chain[index + 1].start() if index + 1 < len(chain) else len(line)
        parts.append(line[match.start():end].strip())
    return [part for part in parts if part]


# --- the tree --------------------------------------------------------------------------------


@dataclass
class _Node:
    """An article or clause while it is being assembled."""

    label: str
    number: int
    lines: list[str] = field(default_factory=list)
    heading_only: bool = False  # its first line is a short title ("一、总体要求")

    def add_text(self, line: str) -> None:
        """Append a line, joining it to the previous one when that broke mid-sentence."""
        if not line:
            return
        if self.lines and not ends_sentence(self.lines[-1]) and not self._short_heading():
            self.lines[-1] += line
        else:
            self.lines.append(line)

    def _short_heading(self) -> bool:
        return len(self.lines) == 1 and self.heading_only


@dataclass
class _ArticleNode(_Node):
    chapter: str | None = None
    kind: str = "article"
    lead: list[str] = field(default_factory=list)
    clauses: list[_Node] = field(default_factory=list)
    clause_style: str | None = None
    current: _Node | None = None  # the clause receiving text


@dataclass
class Structure:
    """What :func:`split_structure` finds: the preamble lines (before the first heading), the
    articles, and the lines after the last article (signature, date, attachments)."""

    preamble: list[str]
    articles: list[ParsedArticle]
    trailer: list[str]
    scheme: str  # "tiao" | "cn" | "paren" | "paragraph" | "sentence"


def _article_candidates(lines: list[str]) -> list[int]:
    """Indexes of genuine 第X条 lines: numbers must increase (a line starting with a
    cross-reference to an earlier article is text, not a heading), and a big jump is accepted
    only if no later heading fills the gap (else the jump was a reference: "第九十条 …")."""
    candidates: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        match = RE_ARTICLE.match(line)
        if match:
            value = numeral_to_int(match.group(1))
            if value:
                candidates.append((index, value))
    found: list[int] = []
    last = 0
    for position, (index, value) in enumerate(candidates):
        if value <= last:
            continue
        if value - last > 30 and any(last < later < value for _, later in candidates[position + 1:]):
            continue
        found.append(index)
        last = value
    return found


def _chapter_like(text: str) -> bool:
    return (
        len(text) <= 25
        and not any(ch in text for ch in "。；，")
        and bool(re.search(r"职责|总则|附则|总体要求|基本原则|组织实施|保障措施|监督|考核|责任追究", text))
    )


def split_structure(lines: list[str]) -> Structure:
    """Split normalised lines into preamble, articles and trailer (see module docstring).

    Returns an empty article list when the text has no numbering at all: it is then read as
    paragraphs (:func:`paragraphs.split_paragraphs`).
    """
    lines = split_run_on_headings(lines)
    expanded: list[str] = []
    for line in lines:
        expanded.extend(split_inline_items(line) if line else [line])
    article_indexes = _article_candidates(expanded)
    if article_indexes:
        return _split_tiao(expanded, set(article_indexes))
    styles = _item_styles(lines)
    if styles is not None:
        article_style, chapter_style = styles
        return _split_items(lines, article_style=article_style, chapter_style=chapter_style)
    return Structure(preamble=lines, articles=[], trailer=[], scheme="none")


#: Top-level item styles in the order official documents nest them.
_STYLE_RANK = ("cn", "paren_cn", "num", "paren_num", "circled", "num_space")


def _item_styles(lines: list[str]) -> tuple[str, str | None] | None:
    """(article style, chapter style or None) of a document numbered without 第X条, from the
    items at the start of lines: the style of the first item numbered 1 is the top level; it
    names chapters when every such heading is short and one reads like a chapter
    ("二、党委主要负责人职责") and items of another style stand under them."""
    markers = [m for line in lines if line and (m := item_match(line))]
    first = next((m for m in markers if m[1] == 1), None)
    if first is None:
        return None
    top = first[0]
    heads = [m for m in markers if m[0] == top]
    if top == "num_space" and not any(m[1] == 2 for m in heads):
        return None  # one "1 …" line is prose; table rows run 1, 2, 3 …
    position = markers.index(first)
    below = next((m[0] for m in markers[position + 1:] if m[0] != top and m[1] == 1), None)
    chapters = (
        below is not None
        and _STYLE_RANK.index(below) > _STYLE_RANK.index(top)
        and all(_looks_like_heading(h[3]) for h in heads)
        and any(_chapter_like(h[3]) for h in heads)
    )
    if chapters:
        return below, top
    return top, None


def split_run_on_headings(lines: list[str]) -> list[str]:
    """Put a heading run into the line before it on its own line: "…施行。第四条 …",
    "…职责 第四条 …" (web pages that lost their line breaks), "…。二、强化学法" — but only the
    heading that comes next in the numbering, so a cross-reference ("依照第四条…") stays."""
    state = {"article": 0, "chapter": 0, "cn": 0}
    out: list[str] = []
    for line in lines:
        if not line:
            out.append(line)
            continue
        out.extend(_split_line_at_headings(line, state))
    return out


_RUN_ON_PRECEDING = "。；！？ ：）"
_RE_RUN_ON = re.compile(
    rf"第\s?({_NUM}{{1,6}})\s?([条章])(?!规定|之规定|的规定|所|中|至|、|和|及|第|款|项|的|之)"
    rf"|(?<=[。；！？])\s?({_CN}{{1,3}})、"
)


def _split_line_at_headings(line: str, state: dict[str, int]) -> list[str]:
    if line[0] == "第":
        start_article = RE_ARTICLE.match(line)
        if start_article and (value := numeral_to_int(start_article.group(1))):
            state["article"] = max(state["article"], value)
        start_chapter = RE_CHAPTER.match(line)
        if start_chapter and (value := numeral_to_int(start_chapter.group(1))):
            state["chapter"] = max(state["chapter"], value)
    elif line[0] in CHINESE_NUMERAL_CHARS:
        item = item_match(line)
        if item and item[0] == "cn":
            state["cn"] = item[1]
    if "第" not in line[1:] and "、" not in line:
        return [line]
    cuts: list[int] = []
    for match in _RE_RUN_ON.finditer(line, 1):
        if match.group(3):
            value, kind = numeral_to_int(match.group(3)), "cn"
        else:
            if line[match.start() - 1] not in _RUN_ON_PRECEDING:
                continue
            value = numeral_to_int(match.group(1))
            kind = "article" if match.group(2) == "条" else "chapter"
        if value is None or value != state[kind] + 1 or (kind == "cn" and not state["cn"]):
            continue
        state[kind] = value
        cuts.append(match.start())
    if not cuts:
        return [line]
    pieces = [line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
    return [piece for piece in pieces if piece]


def _split_tiao(lines: list[str], article_lines: set[int]) -> Structure:
    first = min(article_lines)
    start = first
    # A chapter heading (第一章 总则) just before the first article belongs to the body.
    for index in range(first - 1, max(-1, first - 6), -1):
        if RE_CHAPTER.match(lines[index]):
            start = index
            break
        if lines[index] and not RE_SECTION.match(lines[index]):
            break
    builder = Builder(scheme="tiao")
    end = len(lines)
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        if builder.articles and (is_end(line) or signature_starts(lines, index)):
            end = index
            break
        chapter = RE_CHAPTER.match(line)
        if chapter:
            builder.set_chapter(_chapter_name(line[: chapter.end(2)], chapter.group(3) or ""))
            continue
        if RE_SECTION.match(line):
            continue  # 第一节: a sub-division of a chapter, not text of any article
        if index in article_lines:
            match = RE_ARTICLE.match(line)
            assert match is not None
            label = "第" + match.group(1).replace(" ", "") + "条"
            builder.start_article(label, numeral_to_int(match.group(1)) or 0, match.group(2))
            continue
        builder.add_line(line)
    return builder.finish(lines[:start], lines[end:])


def _split_items(lines: list[str], article_style: str, chapter_style: str | None) -> Structure:
    builder = Builder(scheme="cn" if article_style == "cn" or chapter_style else "paren")
    start = None
    end = len(lines)
    for index, line in enumerate(lines):
        if not line:
            continue
        item = item_match(line)
        if start is None:
            if item and item[0] in (article_style, chapter_style):
                start = index
            else:
                continue
        if builder.articles and (is_end(line) or signature_starts(lines, index)):
            end = index
            break
        if item and chapter_style and item[0] == chapter_style:
            builder.set_chapter(item[2] + squeeze_cjk_spaces(item[3]).replace(" ", ""), item[2])
            continue
        if item and item[0] == article_style:
            builder.start_article(
                item[2], len(builder.articles) + 1, item[3],
                heading_only=_looks_like_heading(item[3]), kind="item",
            )
            continue
        builder.add_line(line)
    if start is None:
        return Structure(preamble=lines, articles=[], trailer=[], scheme="none")
    return builder.finish(lines[:start], lines[end:])


def _looks_like_heading(text: str) -> bool:
    return 0 < len(text) <= 25 and not any(ch in text for ch in "。；，：")


def is_end(line: str) -> bool:
    return bool(RE_END.match(line) or RE_DATE_LINE.match(line))


def signature_starts(lines: list[str], index: int) -> bool:
    """Whether lines[index] starts the closing signature: organisation names up to a date line."""
    seen = 0
    for position in range(index, len(lines)):
        line = lines[position]
        if not line:
            continue
        if RE_DATE_LINE.match(line):
            return seen > 0
        if not is_org_line(line) or seen >= 4:
            return False
        seen += 1
    return False


def _chapter_name(label: str, title: str) -> str:
    label = label.replace(" ", "")
    title = squeeze_cjk_spaces(title).replace(" ", "")
    return f"{label} {title}" if title else label


class Builder:
    """Collects articles and their clauses line by line."""

    def __init__(self, scheme: str) -> None:
        self.scheme = scheme
        self.chapter: str | None = None
        self.chapter_label: str | None = None
        self.chapter_has_articles = False
        self.articles: list[_ArticleNode] = []

    def set_chapter(self, name: str, label: str | None = None) -> None:
        """Start a chapter. ``label`` is given for "一、总体要求"-style chapters: text under such
        a heading before any item becomes an article of its own (every article is kept)."""
        self.chapter = name
        self.chapter_label = label
        self.chapter_has_articles = False

    def start_article(
        self, label: str, number: int, rest: str, heading_only: bool = False, kind: str = "article"
    ) -> None:
        article = _ArticleNode(
            label=label, number=number, chapter=self.chapter, heading_only=heading_only, kind=kind
        )
        self.chapter_has_articles = True
        if rest:
            article.add_text(squeeze_cjk_spaces(rest))
        self.articles.append(article)

    def add_line(self, line: str) -> None:
        if self.chapter_label and not self.chapter_has_articles:
            self.start_article(self.chapter_label, len(self.articles) + 1, "", kind="item")
        if not self.articles:
            return  # text between a chapter heading and its first article: nothing to attach to
        self._feed(self.articles[-1], squeeze_cjk_spaces(line))

    def _feed(self, article: _ArticleNode, line: str) -> None:
        item = item_match(line)
        if item and (article.clause_style is None or article.clause_style == item[0]):
            style, number, label, rest = item
            if article.clause_style is None and not self._plausible_first_clause(article, number):
                item = None
            else:
                article.clause_style = style
                clause = _Node(label=label, number=number, heading_only=_looks_like_heading(rest))
                clause.add_text(rest)
                article.clauses.append(clause)
                article.current = clause
                return
        if article.current is not None:
            if item:
                article.current.lines.append(line)  # a sub-item: its own line inside the clause
            else:
                article.current.add_text(line)
        else:
            article.add_text(line)

    @staticmethod
    def _plausible_first_clause(article: _ArticleNode, number: int) -> bool:
        return number == 1

    def finish(self, preamble: list[str], trailer: list[str]) -> Structure:
        articles = [self._to_article(self._split_inline(node)) for node in self.articles]
        return Structure(preamble=preamble, articles=articles, trailer=trailer, scheme=self.scheme)

    def _split_inline(self, node: _ArticleNode) -> _ArticleNode:
        """An article whose clauses were written on one line ("…职责：（一）…；（二）…")."""
        if node.clauses or not any(len(split_inline_items(line)) > 1 for line in node.lines):
            return node
        fresh = _ArticleNode(
            label=node.label, number=node.number, chapter=node.chapter, kind=node.kind
        )
        for line in node.lines:
            for part in split_inline_items(line):
                self._feed(fresh, part)
        return fresh

    @staticmethod
    def _to_article(node: _ArticleNode) -> ParsedArticle:
        clauses = [
            ParsedClause(number=c.number, label=c.label, text="\n".join(c.lines)) for c in node.clauses
        ]
        text_lines = list(node.lines)
        for clause, parsed in zip(node.clauses, clauses, strict=True):
            body = parsed.text
            text_lines.append(clause.label + body if body else clause.label)
        return ParsedArticle(
            number=node.number,
            label=node.label,
            chapter=node.chapter,
            text="\n".join(text_lines),
            clauses=clauses,
            kind=node.kind,
        )
