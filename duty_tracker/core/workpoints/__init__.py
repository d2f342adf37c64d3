"""Work points (工作要点 / 工作计划 / 任务分解方案): parsing tasks and mapping their units.

Pure Python, no Qt, no storage. Typical use::

    text = read_workpoints_file(path)            # .txt in any Chinese encoding, or .docx
    parsed = parse_workpoints_text(text)         # ParsedWorkPoints, or WorkPointsError
    parsed.to_dict()                             # the JSON of ``duty-tracker tasks parse``
    mapping = match_units(parsed.unit_names(), units, remembered=choices)
    mapping.unmatched                            # names the clerk must assign by hand
"""

from duty_tracker.core.workpoints.matching import UnitMapping, UnitMatch, UnitRef, match_units
from duty_tracker.core.workpoints.model import (
    ASSIST,
    LEAD,
    RESPONSIBLE,
    ROLE_LABELS,
    ParsedItem,
    ParsedSection,
    ParsedTask,
    ParsedWorkPoints,
    UnitRole,
    WorkPointsError,
)
from duty_tracker.core.workpoints.parser import parse_workpoints_text
from duty_tracker.core.workpoints.reading import read_workpoints_file

__all__ = [
    "ASSIST",
    "LEAD",
    "RESPONSIBLE",
    "ROLE_LABELS",
    "ParsedItem",
    "ParsedSection",
    "ParsedTask",
    "ParsedWorkPoints",
    "UnitMapping",
    "UnitMatch",
    "UnitRef",
    "UnitRole",
    "WorkPointsError",
    "match_units",
    "parse_workpoints_text",
    "read_workpoints_file",
]
