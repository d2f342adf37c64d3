"""``parse_rules_text``: any 实施细则/实施办法/规定 text → title, articles, clauses and duties.

The steps live in their own modules (text_input → structure → metadata → quotas); this module
only guards the input and puts the result together, so that a caller gets either a complete
:class:`ParsedRules` or a :class:`RulesTextError` with a message the clerk can act on — never a
half-parsed rule set.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from duty_tracker.core.rules.metadata import extract_metadata
from duty_tracker.core.rules.model import ParsedArticle, ParsedRules, RulesTextError
from duty_tracker.core.rules.paragraphs import split_paragraphs
from duty_tracker.core.rules.quotas import DutyScan, extract_duties
from duty_tracker.core.rules.roles import role_of_words
from duty_tracker.core.rules.structure import split_structure
from duty_tracker.core.rules.text_input import MAX_TEXT_CHARS, junk_ratio, normalise_text

_RE_CJK = re.compile(r"[\u3400-\u9fff]")
#: More articles than any real rules document has (the longest laws have a few hundred).
MAX_ARTICLES = 3000


def parse_rules_text(text: str) -> ParsedRules:
    """Parse a rules text (pasted, or from :func:`read_rules_file`).

    Raises :class:`RulesTextError` for empty text, binary junk, text over
    :data:`MAX_TEXT_CHARS` characters and text without any Chinese. Any other text gives
    articles (numbered articles, items, else paragraphs or sentences); a text without quotas
    gives no duties and says so in ``warnings``.
    """
    if not isinstance(text, str):
        raise RulesTextError("规则文本必须是文字。")
    if not text.strip():
        raise RulesTextError("规则文本为空，请粘贴或选择实施细则/实施办法的全文。")
    if len(text) > MAX_TEXT_CHARS:
        raise RulesTextError(
            f"文本过长（{len(text):,} 字符，上限 {MAX_TEXT_CHARS:,}），不像是一份规则文件；"
            "请只导入实施细则本身的文字。"
        )
    if junk_ratio(text) > 0.05:
        raise RulesTextError("文本中含有大量乱码或二进制内容，无法识别。请确认选择的是规则文本（.txt 或 .docx）。")
    lines = normalise_text(text)
    if not any(_RE_CJK.search(line) for line in lines):
        raise RulesTextError(
            "文本中没有中文正文（网页栏目文字已略去），不像是一份规则文件。"
            "请粘贴或选择实施细则、实施办法、通知或新闻报道的全文。"
        )
    structure = split_structure(lines)
    if not structure.articles:
        structure = split_paragraphs(lines)
    if len(structure.articles) > MAX_ARTICLES:
        raise RulesTextError(
            f"识别出 {len(structure.articles)} 条，远多于任何一份实施细则，请只导入一份规则文件。"
        )
    body = "\n".join(article.text for article in structure.articles)
    meta = extract_metadata(structure.preamble, structure.trailer, body)
    doc_date = _doc_date(meta.notice_date or meta.effective_date)
    articles = structure.articles
    if structure.scheme not in ("tiao", "paragraph", "sentence"):
        articles = _with_lead_paragraphs(structure.preamble, articles, doc_date)
    scan = extract_duties(articles, doc_date=doc_date, default_role=role_of_words(meta.title) or "all")
    return ParsedRules(
        title=meta.title,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        effective_date=meta.effective_date,
        articles=articles,
        duties=scan.duties,
        warnings=_warnings(structure.scheme, len(articles), scan),
    )


def _with_lead_paragraphs(
    preamble: list[str], articles: list[ParsedArticle], doc_date: date | None
) -> list[ParsedArticle]:
    """Prose before the first numbered item that holds a quota ("近日…印发《规定》，要求党委主要
    负责人每年至少…。《规定》明确了以下职责：一、…") is kept as paragraph articles ahead of
    the items, so that no quota of the text is lost; the items are numbered after them."""
    lead = [
        article for article in split_paragraphs(preamble).articles
        if article.kind == "paragraph" and extract_duties([article], doc_date).duties
    ]
    if not lead:
        return articles
    renumbered = [
        replace(article, number=position, label=f"第{position}段")
        for position, article in enumerate(lead, start=1)
    ]
    offset = len(renumbered)
    return renumbered + [replace(article, number=article.number + offset) for article in articles]


def _doc_date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _warnings(scheme: str, article_count: int, scan: DutyScan) -> list[str]:
    """What the clerk should know before saving: how a text without numbering was cut up, which
    one-off tasks were left out, and that a text without quotas gives no duties (it is still
    kept, article by article)."""
    duties = scan.duties
    warnings: list[str] = []
    if scan.skipped_tasks:
        example = scan.skipped_tasks[0]
        warnings.append(
            f"文本中有{len(scan.skipped_tasks)}项限期完成的一次性工作任务（如“{example}”）没有落到"
            "主要负责人本人，属于工作要点的任务，未列为履职事项；如需跟踪，请作为工作要点导入。"
        )
    if scheme == "paragraph":
        warnings.append(
            f"文本中没有“第一条”“一、”“1.”之类的条款编号，已按段落拆分为{article_count}段，"
            "每段作为一条保存，请核对。"
        )
    elif scheme == "sentence":
        warnings.append(
            f"文本中既没有条款编号也没有分段，已按句子拆分为{article_count}句，每句作为一条保存，请核对。"
        )
    if not duties:
        warnings.append(
            "文本中没有找到规定次数、学时或期限的要求（如“每年至少召开1次”“不少于40学时”"
            "“每年3月1日前报告”），因此没有生成履职事项；全部内容已作为条文保留，"
            "可供履职纪实引用，也可以在审核时手工添加履职事项。"
        )
    return warnings
