"""Rules-text parser: any text of rules with quotas → articles, clauses and quantified duties.

A 实施细则 with 第X条, a notice numbered 一、 or 1、, or a news report and an opinion written in
paragraphs: the units are numbered articles, numbered items, else paragraphs or sentences, and
every quota in them (times or study hours, each period, deadlines) becomes a duty. Pure Python
(no Qt). Typical use::

    text = read_rules_file(path)          # .txt in any Chinese encoding, or .docx
    rules = parse_rules_text(text)        # ParsedRules, or RulesTextError with a Chinese message
    rules.warnings                        # what the clerk should know (read as paragraphs …)
    print(rules.to_dict())                # the JSON of ``duty-tracker rules parse FILE --json``
"""

from duty_tracker.core.rules.defaults import default_rules_path, load_default_rules
from duty_tracker.core.rules.model import (
    ParsedArticle,
    ParsedClause,
    ParsedDuty,
    ParsedRules,
    RulesTextError,
)
from duty_tracker.core.rules.parser import parse_rules_text
from duty_tracker.core.rules.text_input import read_rules_file

__all__ = [
    "ParsedArticle",
    "ParsedClause",
    "ParsedDuty",
    "ParsedRules",
    "RulesTextError",
    "default_rules_path",
    "load_default_rules",
    "parse_rules_text",
    "read_rules_file",
]
