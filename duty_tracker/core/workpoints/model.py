"""Result types of the work-points parser (工作要点 / 工作计划 / 任务分解方案).

Plain dataclasses without database ids: the CLI prints them as JSON (``to_dict``), the import
dialog lets the clerk review and edit them, and the storage layer persists what the clerk kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from duty_tracker.core.errors import InputError

#: Roles a unit can have in a task, as stored codes; the Chinese words are what documents say.
LEAD = "lead"
RESPONSIBLE = "responsible"
ASSIST = "assist"
ROLE_LABELS: dict[str, str] = {LEAD: "牵头", RESPONSIBLE: "负责", ASSIST: "配合"}
#: Order in which roles are listed (the lead first, as a 任务分解表 prints them).
ROLE_ORDER: dict[str, int] = {LEAD: 0, RESPONSIBLE: 1, ASSIST: 2}


class WorkPointsError(InputError):
    """The text cannot be turned into work-point tasks; ``str(exc)`` is a Chinese sentence."""


@dataclass(slots=True)
class UnitRole:
    """One responsible unit of a task, spelled as the document spells it, with its role."""

    name: str
    role: str = RESPONSIBLE

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role}


@dataclass(slots=True)
class ParsedTask:
    """One task of the work points.

    ``text`` is the task as written, without the "（责任单位：…）" clause (its content is in
    ``roles``); ``source_text`` keeps the paragraph exactly as it stands. ``units_from`` says
    where the units come from: "task" (its own clause), "item" or "section" (inherited), or
    None when the document names none. ``deadline_text`` is the phrase ``due`` was read from
    ("2017年年底前", "长期坚持") so that the clerk can check it.
    """

    number: int
    section: str
    title: str
    text: str
    roles: list[UnitRole] = field(default_factory=list)
    due: str | None = None
    deadline_text: str | None = None
    section_number: int | None = None
    item: str | None = None
    item_title: str | None = None
    units_from: str | None = None
    source_text: str = ""
    line: int = 0

    @property
    def units(self) -> list[str]:
        """Every responsible unit (lead, responsible and assisting), in document order."""
        return [r.name for r in self.roles]

    @property
    def lead_units(self) -> list[str]:
        return [r.name for r in self.roles if r.role == LEAD]

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "section": self.section,
            "section_number": self.section_number,
            "item": self.item,
            "item_title": self.item_title,
            "title": self.title,
            "text": self.text,
            "units": self.units,
            "lead_units": self.lead_units,
            "roles": [r.to_dict() for r in self.roles],
            "units_from": self.units_from,
            "due": self.due,
            "deadline_text": self.deadline_text,
            "source_text": self.source_text,
            "line": self.line,
        }


@dataclass(slots=True)
class ParsedItem:
    """An item of a section: a labelled one ("（二）") or an unlabelled paragraph (label None)."""

    label: str | None
    title: str
    task_numbers: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "title": self.title, "tasks": list(self.task_numbers)}


@dataclass(slots=True)
class ParsedSection:
    """A first-level part of the work points ("一、深化行政审批制度改革")."""

    number: int
    label: str
    title: str
    items: list[ParsedItem] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """Label and title as the document prints them; what ``ParsedTask.section`` holds."""
        return f"{self.label}{self.title}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "label": self.label,
            "title": self.title,
            "heading": self.heading,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(slots=True)
class ParsedWorkPoints:
    """A parsed work-points document. ``notes`` are Chinese remarks for the review step
    (tasks without units, deadlines that could not be read …), never errors."""

    title: str
    year: int | None
    sections: list[ParsedSection]
    tasks: list[ParsedTask]
    doc_number: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``duty-tracker tasks parse FILE --json``."""
        return {
            "title": self.title,
            "year": self.year,
            "doc_number": self.doc_number,
            "sections": [section.to_dict() for section in self.sections],
            "tasks": [task.to_dict() for task in self.tasks],
            "notes": list(self.notes),
        }

    def unit_names(self) -> list[str]:
        """Every distinct unit name of the tasks, in order of first mention: what the unit
        matcher is given."""
        seen: dict[str, None] = {}
        for task in self.tasks:
            for name in task.units:
                seen.setdefault(name, None)
        return list(seen)
