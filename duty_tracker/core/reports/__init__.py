"""Year-end debrief (述职述法报告) PDFs and the unit summary table.

Reports are made in two steps so that the renderer never touches the database:

1. ``debrief_builder`` reads the store and the compliance engine and produces plain frozen
   dataclasses (``debrief_model``);
2. ``debrief_pdf`` / ``summary_pdf`` turn those into PDFs laid out per GB/T 9704-2012
   (``gbt9704``), with fonts chosen, embedded and per-character fallback done by ``fonts``.

``narrative`` drafts the three narrative sections from the same model. Nothing here imports Qt.
"""

from __future__ import annotations

from duty_tracker.core.reports.debrief_model import (
    AttachmentEntry,
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    PeriodResult,
    RecordEntry,
    RecordGroup,
    SummaryCell,
    SummaryDuty,
    SummaryRow,
    TermSpan,
    UnitSummary,
)
from duty_tracker.core.reports.errors import ReportError, ReportWriteError

__all__ = [
    "AttachmentEntry",
    "ComplianceRow",
    "DebriefReport",
    "NarrativeSections",
    "PeriodResult",
    "RecordEntry",
    "RecordGroup",
    "ReportError",
    "ReportWriteError",
    "SummaryCell",
    "SummaryDuty",
    "SummaryRow",
    "TermSpan",
    "UnitSummary",
]
