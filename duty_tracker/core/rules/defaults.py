"""The default rule set the program ships with: the official Hangzhou 2019 实施细则 text in
``resources/rules/``, run through the same parser as any imported text, so that the shipped
duties and the parser can never disagree (``core.seeding`` stores it at first start)."""

from __future__ import annotations

from pathlib import Path

from duty_tracker.core.rules.model import ParsedRules, RulesTextError
from duty_tracker.core.rules.parser import parse_rules_text
from duty_tracker.core.rules.text_input import read_rules_file

DEFAULT_RULES_FILE = "rules/hangzhou-2019.txt"


def default_rules_path() -> Path:
    """Path of the shipped rules text (source tree, wheel or PyInstaller bundle)."""
    from duty_tracker.paths import resource_path  # the one module that knows where files are

    try:
        return resource_path(DEFAULT_RULES_FILE)
    except FileNotFoundError as exc:
        raise RulesTextError(str(exc)) from None


def load_default_rules() -> tuple[ParsedRules, str]:
    """The parsed default rule set and its source text (to store with the rule set)."""
    text = read_rules_file(default_rules_path())
    return parse_rules_text(text), text
