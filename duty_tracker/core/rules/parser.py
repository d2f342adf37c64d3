"""``parse_rules_text``: any 实施细则/实施办法/规定 text → title, articles, clauses and duties.

The steps live in their own modules (text_input → structure → metadata → quotas); this module
only guards the input and puts the result together, so that a caller gets either a complete
:class:`ParsedRules` or a :class:`RulesTextError` with a message the clerk can act on — never a
half-parsed rule set.
"""

from __future__ import annotations

from duty_tracker.core.rules.metadata import extract_metadata
from duty_tracker.core.rules.model import ParsedRules, RulesTextError
from duty_tracker.core.rules.quotas import extract_duties
from duty_tracker.core.rules.structure import split_structure
from duty_tracker.core.rules.text_input import MAX_TEXT_CHARS, junk_ratio, normalise_text

#: More articles than any real rules document has (the longest laws have a few hundred).
MAX_ARTICLES = 3000


def parse_rules_text(text: str) -> ParsedRules:
    """Parse a rules text (pasted, or from :func:`read_rules_file`).

    Raises :class:`RulesTextError` for empty text, binary junk, text over
    :data:`MAX_TEXT_CHARS` characters, and text in which no article can be found.
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
    structure = split_structure(normalise_text(text))
    if not structure.articles:
        raise RulesTextError(
            "未能在文本中识别出任何条款。规则文本的条款应以“第一条”“第1条”“一、”或“（一）”开头，"
            "请检查是否粘贴了完整的实施细则正文。"
        )
    if len(structure.articles) > MAX_ARTICLES:
        raise RulesTextError(
            f"识别出 {len(structure.articles)} 条，远多于任何一份实施细则，请只导入一份规则文件。"
        )
    body = "\n".join(article.text for article in structure.articles)
    meta = extract_metadata(structure.preamble, structure.trailer, body)
    return ParsedRules(
        title=meta.title,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        effective_date=meta.effective_date,
        articles=structure.articles,
        duties=extract_duties(structure.articles),
    )
