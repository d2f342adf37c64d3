"""Work points (工作要点 / 工作计划 / 任务分解方案): parsing tasks and mapping their units.

Pure Python, no Qt, no storage. Typical use::

    text = read_workpoints_file(path)            # .txt in any Chinese encoding, or .docx
    parsed = parse_workpoints_text(text)         # ParsedWorkPoints, or WorkPointsError
    parsed.to_dict()                             # the JSON of ``duty-tracker tasks parse``
    mapping = match_units(parsed.unit_names(), units, remembered=choices)
    mapping.unmatched                            # names the clerk must assign by hand
"""

from __future__ import annotations

import importlib
from typing import Any

#: Where each name lives. Loaded when first asked for: the dashboard's task reminders need the
#: model, not the parser (which brings the rules parser) nor the .docx reader.
_HOMES = {
    "ASSIST": "model", "LEAD": "model", "RESPONSIBLE": "model", "ROLE_LABELS": "model",
    "ParsedItem": "model", "ParsedSection": "model", "ParsedTask": "model",
    "ParsedWorkPoints": "model", "UnitRole": "model", "WorkPointsError": "model",
    "UnitMapping": "matching", "UnitMatch": "matching", "UnitRef": "matching",
    "match_units": "matching",
    "parse_workpoints_text": "parser",
    "read_workpoints_file": "reading",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
