"""Result types of the rules-text parser.

They are plain dataclasses (no database ids) so that the CLI can print them as JSON
(``to_dict`` is the JSON of ``rules parse --json``), the storage layer can persist them, and the
GUI import dialog can let the clerk review them before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from duty_tracker.core.errors import InputError

#: Units a quota can count: occasions, or hours of study.
QUOTA_UNITS = ("times", "hours")
#: Study days are converted to hours at this rate: cadre-training rules count one day of
#: training as 6 学时 (half a day as 3), e.g. "每天按6学时折算".
HOURS_PER_DAY = 6


class RulesTextError(InputError):
    """The text cannot be turned into a rule set; ``str(exc)`` is a Chinese message for the clerk."""


@dataclass(slots=True)
class ParsedClause:
    """One numbered item of an article: （二） → number 2, label "（二）"; ``text`` has no label."""

    number: int
    label: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "label": self.label, "text": self.text}


#: What an article of a parsed text is: a numbered article (第十四条), a numbered item of a
#: document without 第X条 (一、 （一） 1. （1） ①), or — for texts without any numbering (news
#: reports, notices and opinions written in prose) — a paragraph or, when the text has no
#: paragraph breaks either, a sentence.
ARTICLE_KINDS = ("article", "item", "paragraph", "sentence")


@dataclass(slots=True)
class ParsedArticle:
    """One article (条). ``number`` is its value (第十四条 → 14) or, for documents numbered
    "一、" instead of "第X条" and for paragraphs, its position in the document; ``label`` keeps
    the original label ("第十四条", "一、") or names the position ("第3段", "第5句") so that a
    clerk can find it in the source. ``text`` is the whole article without its label, one clause
    (with its label) per line. ``kind`` is one of :data:`ARTICLE_KINDS`."""

    number: int
    label: str
    chapter: str | None
    text: str
    clauses: list[ParsedClause] = field(default_factory=list)
    kind: str = "article"

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "label": self.label,
            "kind": self.kind,
            "chapter": self.chapter,
            "text": self.text,
            "clauses": [clause.to_dict() for clause in self.clauses],
        }


@dataclass(slots=True)
class ParsedDuty:
    """A quantified obligation found in an article or clause.

    ``due`` is "YYYY-MM-DD" for a once-duty with a full date, "MM-DD" for an in-period deadline
    of a recurring duty (每年3月1日前 → period "year", due "03-01"; 年底前 → "12-31").
    ``target`` names the body of a duty expanded from "分别听取A、B、C…" (e.g. "人大").
    ``unit`` says what ``min_count`` counts: "times" (occasions: 次, 期, 场 …) or "hours" (study
    hours: 学时, 小时; days of study are converted at :data:`HOURS_PER_DAY`).
    ``role`` is "party", "government", "all" (both heads) or "other" (heads of departments and
    units that the text binds by name).
    """

    article: int
    clause: int | None
    role: str
    period: str
    min_count: int
    title: str
    source_text: str
    target: str | None = None
    due: str | None = None
    unit: str = "times"

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "clause": self.clause,
            "role": self.role,
            "period": self.period,
            "min_count": self.min_count,
            "title": self.title,
            "source_text": self.source_text,
            "target": self.target,
            "due": self.due,
            "unit": self.unit,
        }


@dataclass(slots=True)
class ParsedRules:
    """A parsed rules document: metadata, every article (quantified or not) and the duties."""

    title: str
    issuer: str | None
    doc_number: str | None
    effective_date: str | None
    articles: list[ParsedArticle]
    duties: list[ParsedDuty]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``duty-tracker rules parse FILE --json``; ``warnings`` are complete
        Chinese sentences for the clerk (text read as paragraphs, no quota found …)."""
        return {
            "title": self.title,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "effective_date": self.effective_date,
            "articles": [article.to_dict() for article in self.articles],
            "duties": [duty.to_dict() for duty in self.duties],
            "warnings": list(self.warnings),
        }

    def article(self, number: int) -> ParsedArticle | None:
        """The article with this number, or None."""
        for article in self.articles:
            if article.number == number:
                return article
        return None
