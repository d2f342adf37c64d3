"""First start: the database is seeded with the shipped default rule set (the Hangzhou 2019
实施细则), parsed by the program's own parser from the official text in ``resources/`` — so the
shipped duties and the parser can never disagree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from duty_tracker.paths import resource_path

if TYPE_CHECKING:
    from duty_tracker.core.storage.store import Store

DEFAULT_RULES_FILE = "rules/hangzhou-2019.txt"


def seed_default_rule_set(store: Store) -> int:
    from duty_tracker.core.rules import parse_rules_text, read_rules_file

    path = resource_path(DEFAULT_RULES_FILE)
    text = read_rules_file(path)
    parsed = parse_rules_text(text)
    return store.rules.import_parsed(parsed, text, is_default=True)
