"""Year-end debrief (述职述法报告) in PDF and Word, and the unit summary table.

Reports are made in three steps so that no renderer touches the database:

1. ``debrief_builder`` reads the store and the compliance engine and produces plain frozen
   dataclasses (``debrief_model``); ``sections`` says which body section each duty and record
   belongs to, ``narrative`` drafts the sections' text from them;
2. ``debrief_document`` lays the report out once as a list of blocks (title, byline, headed
   sections, 附件说明, signature, appendices with their tables);
3. ``debrief_pdf`` and ``debrief_docx`` turn those blocks into a PDF (reportlab, GB/T 9704
   geometry in ``gbt9704``, fonts chosen, embedded and per-character fallback done by
   ``fonts``) and an editable Word file; ``summary_pdf`` draws the unit summary.

The unit's annual 法治政府建设年度报告 follows the same three steps: ``annual_builder`` →
``annual_model`` (drafted by ``annual_narrative``), ``annual_document`` lays it out in the
debrief's blocks, and ``annual_render`` prints them with the debrief's PDF and Word renderers.

Nothing here imports Qt.
"""

from __future__ import annotations

from duty_tracker.core.reports.debrief_model import (
    AttachmentEntry,
    ComplianceRow,
    DebriefReport,
    NarrativeSections,
    PeriodResult,
    RecordEntry,
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
    "ReportError",
    "ReportWriteError",
    "SummaryCell",
    "SummaryDuty",
    "SummaryRow",
    "TermSpan",
    "UnitSummary",
]
