"""The annual report as a PDF or an editable Word file: laid out by ``annual_document`` and
drawn by the debrief's renderers, so that both reports share one GB/T 9704 page, one font
handling and one Word set-up."""

from __future__ import annotations

import os
from pathlib import Path

from duty_tracker.core.reports.annual_document import plan_annual
from duty_tracker.core.reports.annual_model import AnnualReport
from duty_tracker.core.reports.debrief_docx import render_plan_docx, render_plan_docx_bytes
from duty_tracker.core.reports.debrief_pdf import render_plan_bytes, render_plan_pdf


def render_annual_pdf(report: AnnualReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` as a PDF (atomically); a file open in a viewer gives a
    :class:`~duty_tracker.core.reports.errors.ReportWriteError`."""
    return render_plan_pdf(plan_annual(report), path)


def render_annual_bytes(report: AnnualReport) -> bytes:
    """The PDF in memory (the window's preview, tests)."""
    return render_plan_bytes(plan_annual(report))


def render_annual_docx(report: AnnualReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` as a .docx (atomically)."""
    return render_plan_docx(plan_annual(report), path)


def render_annual_docx_bytes(report: AnnualReport) -> bytes:
    """The .docx in memory (tests)."""
    return render_plan_docx_bytes(plan_annual(report))
