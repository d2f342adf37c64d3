"""Rule-set use cases: read and recognise a rules text, check what the clerk kept, import it.

Why a use case: the window's import review and ``duty-tracker rules import`` both turn a text
into a stored rule set. Before this module each did its own reading, its own checks (the
window checked every duty, the CLI none, so a bad quota reached the repository's first error)
and its own summary sentence. Here the text is read once (encodings, size limits: see
``core.rules.text_input``), every kept duty is checked with the repository's own rule before
anything is written, and the import is one transaction (``RulesRepo.import_parsed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from duty_tracker.core.errors import InputError
from duty_tracker.core.rules import ParsedRules, parse_rules_text, read_rules_file
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.core.storage.fields import as_date
from duty_tracker.core.storage.rules_repo import validate_duty
from duty_tracker.core.storage.store import Store

__all__ = ["RulesImport", "RulesText", "duty_problem", "import_rules", "metadata_problem",
           "parse_text", "read_rules"]


@dataclass(frozen=True, slots=True)
class RulesText:
    """A rules text and what the parser recognised in it."""

    text: str
    parsed: ParsedRules


def read_rules(path: Path | str) -> RulesText:
    """Read a rules file (UTF-8, GBK, .docx …) and recognise it; Chinese errors on failure."""
    text = read_rules_file(Path(path))
    return RulesText(text, parse_rules_text(text))


def parse_text(text: str) -> RulesText:
    """Recognise a pasted rules text."""
    return RulesText(text, parse_rules_text(text))


def duty_problem(duty: object) -> str | None:
    """Why a recognised (or edited) duty cannot be stored, or None: the repository's rule."""
    try:
        validate_duty({"title": getattr(duty, "title", ""), "role": getattr(duty, "role", ""),
                       "period": getattr(duty, "period", ""),
                       "min_count": getattr(duty, "min_count", 0), "due": getattr(duty, "due", None),
                       "unit": getattr(duty, "unit", "times")})
    except ValidationError as exc:
        return str(exc)
    return None


def metadata_problem(title: str, effective_date: str | None) -> str | None:
    """Why the rule set's name or 施行日期 cannot be stored, or None."""
    if not (title or "").strip():
        return "规则名称不能为空。"
    if (effective_date or "").strip():
        try:
            as_date(effective_date.strip(), "施行日期")
        except ValidationError as exc:
            return str(exc)
    return None


@dataclass(frozen=True, slots=True)
class RulesImport:
    """What an import stored."""

    rule_set_id: int
    title: str
    articles: int
    duties: int

    @property
    def message(self) -> str:
        return (f"已导入规则“{self.title}”（编号 {self.rule_set_id}）：{self.articles} 条，"
                f"{self.duties} 个履职事项。")


def import_rules(store: Store, parsed: ParsedRules, source_text: str, *, scope: str = "main",
                 from_year: int | None = None, to_year: int | None = None) -> RulesImport:
    """Store ``parsed`` (all or nothing) after checking its name, date and every duty; the
    first problem is raised as :class:`InputError` naming the duty and how many more there are."""
    problem = metadata_problem(parsed.title or "未命名规则", parsed.effective_date)
    if problem:
        raise InputError(problem)
    bad = [(i, d, m) for i, d in enumerate(parsed.duties) if (m := duty_problem(d))]
    if bad:
        index, duty, message = bad[0]
        more = f"（另有 {len(bad) - 1} 项也需要修改）" if len(bad) > 1 else ""
        raise InputError(f"第 {index + 1} 项履职事项“{duty.title}”：{message}{more}")
    rule_set_id = store.rules.import_parsed(parsed, source_text, scope=scope, from_year=from_year,
                                            to_year=to_year)
    return RulesImport(rule_set_id, parsed.title or "未命名规则", len(parsed.articles),
                       len(parsed.duties))
