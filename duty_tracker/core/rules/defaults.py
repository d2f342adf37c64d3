"""The default rule set the program ships with: the official Hangzhou 2019 实施细则 text in
``resources/rules/``, run through the same parser as any imported text, so that the shipped
duties and the parser can never disagree."""

from __future__ import annotations

import sys
from pathlib import Path

from duty_tracker.core.rules.model import ParsedRules, RulesTextError
from duty_tracker.core.rules.parser import parse_rules_text
from duty_tracker.core.rules.text_input import read_rules_file

DEFAULT_RULES_FILE = "hangzhou-2019.txt"


def default_rules_path() -> Path:
    """Path of the shipped rules text (source tree, or a PyInstaller bundle)."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources" / "rules" / DEFAULT_RULES_FILE)
    candidates.append(Path(__file__).resolve().parents[3] / "resources" / "rules" / DEFAULT_RULES_FILE)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise RulesTextError(f"找不到内置的默认规则文本 {DEFAULT_RULES_FILE}，程序安装可能不完整。")


def load_default_rules() -> tuple[ParsedRules, str]:
    """The parsed default rule set and its source text (to store with the rule set)."""
    text = read_rules_file(default_rules_path())
    return parse_rules_text(text), text
