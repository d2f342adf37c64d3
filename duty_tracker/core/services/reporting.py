"""Reports as the clerk asks for them: one leader's debrief, the debriefs of a whole year (or of
a unit), the unit summary table, and each unit's annual 法治政府建设年度报告 (its text saved per
unit and year, the generated draft for the parts not written, the yearly duty to submit it).

The options are plain dataclasses that the window's dialogs and the CLI's arguments both fill;
each export is one call. A debrief is built from the store into a plain model and then rendered
(``core.reports``); the batch spreads the rendering over worker processes that open their own
connections, which is why it takes the database path rather than a store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from duty_tracker.core.errors import InputError
from duty_tracker.core.helpers import os_reason, parse_date
from duty_tracker.core.reports.annual_builder import (
    build_annual_report,
    institution_name,
)
from duty_tracker.core.reports.annual_model import (
    AnnualReport,
    AnnualTexts,
)
from duty_tracker.core.reports.annual_narrative import draft_annual
from duty_tracker.core.reports.annual_render import (
    render_annual_bytes,
    render_annual_docx,
    render_annual_pdf,
)
from duty_tracker.core.reports.batch import BatchResult, export_debriefs
from duty_tracker.core.reports.debrief_builder import (
    build_debrief,
    build_unit_summary,
    leaders_of_year,
)
from duty_tracker.core.reports.debrief_defaults import default_report_date
from duty_tracker.core.reports.debrief_docx import render_debrief_docx
from duty_tracker.core.reports.debrief_model import NarrativeSections
from duty_tracker.core.reports.debrief_pdf import render_debrief_pdf
from duty_tracker.core.reports.errors import ReportError
from duty_tracker.core.reports.file_names import (
    annual_report_file_name,
    report_file_name,
    summary_file_name,
)
from duty_tracker.core.reports.font_notice import font_notice, word_font_notice
from duty_tracker.core.reports.narrative import draft_narrative
from duty_tracker.core.reports.summary_pdf import render_summary_pdf
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.core.storage.store import Store

ProgressFn = Callable[[int, int, str], None]


def with_suffix(path: Path, suffix: str) -> Path:
    """``path`` with ``suffix`` added unless it already ends so (case-insensitive)."""
    path = Path(path)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


#: What a debrief can be written as: the official PDF, or the same report as an editable Word file.
DEBRIEF_SUFFIXES = (".pdf", ".docx")


def debrief_target(output: Path) -> Path:
    """``output`` as a debrief file: .pdf or .docx as given, else .pdf added."""
    output = Path(output)
    return output if output.suffix.lower() in DEBRIEF_SUFFIXES else with_suffix(output, ".pdf")


@dataclass(frozen=True, slots=True)
class DebriefExport:
    """One leader's debrief of ``year`` into ``output`` (.pdf, or .docx for Word).

    ``use_draft`` fills the narrative sections the clerk left empty with the generated draft;
    ``report_date`` (成文日期) wins over the date saved with the debrief and over the default
    (31 December of the year, or today while the year is not over).
    """

    leader_id: int
    year: int
    output: Path
    today: date
    use_draft: bool = False
    report_date: date | None = None

    @property
    def target(self) -> Path:
        return debrief_target(self.output)

    @property
    def word(self) -> bool:
        return self.target.suffix.lower() == ".docx"


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    #: Chinese sentence when the bundled fonts replaced the official ones, else None.
    font_notice: str | None = None


def export_debrief(store: Store, options: DebriefExport) -> ExportResult:
    """Build the debrief from the ledger and write it; the result says when the bundled fonts
    stood in for the official ones (the clerk should know before printing)."""
    report = build_debrief(store, options.leader_id, options.year, today=options.today,
                           use_draft=options.use_draft, report_date=options.report_date)
    if options.word:
        return ExportResult(render_debrief_docx(report, options.target),
                            word_font_notice().message or None)
    return ExportResult(render_debrief_pdf(report, options.target), font_notice().message or None)


def draft_sections(store: Store, leader_id: int, year: int, today: date) -> NarrativeSections:
    """The generated draft of the narrative sections, from the year's ledger (nothing saved)."""
    return draft_narrative(build_debrief(store, leader_id, year, today=today))


@dataclass(frozen=True, slots=True)
class DebriefDefaults:
    """What a debrief prints where the clerk leaves its own fields blank (the window shows them
    as the fields' placeholders), and the head's role, on which a section title depends."""

    title: str
    byline: str
    signature: str
    report_date: date
    role: str


def debrief_defaults(store: Store, leader_id: int, year: int, today: date) -> DebriefDefaults:
    """The defaults of one leader's debrief of ``year`` (nothing saved)."""
    report = build_debrief(store, leader_id, year, today=today)
    blank = replace(report, title="", byline="", signature="")
    return DebriefDefaults(blank.effective_title, blank.effective_byline,
                           blank.effective_signature, default_report_date(year, today),
                           report.role)


def check_report_date(value: date | str | None, year: int) -> date | None:
    """A 成文日期 as the clerk typed it ("2025-12-31", "2025年12月31日"; blank: the default),
    checked against the report's year: a report of 2025 is dated in 2025 or early 2026."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    day = parse_date(value, "成文日期")
    if day.year not in (year, year + 1):
        raise InputError(f"成文日期{day.isoformat()}与报告年度{year}年不符，"
                         f"请填写{year}年或{year + 1}年的日期。")
    return day


def pdf_font_notice() -> str:
    """The sentence the clerk sees when this PC lacks the official faces and the bundled ones
    stand in ("" when every face is the official one). The first call looks for the fonts
    (about half a second): call it off the UI thread."""
    return font_notice().message


def word_font_notice_text() -> str:
    """The same for Word files: they name the official faces, which this PC may not have."""
    return word_font_notice().message


def debrief_file_name(store: Store, leader_id: int, year: int, suffix: str = ".pdf") -> str:
    """The suggested file name of one debrief (the same rule as the batch)."""
    return report_file_name(leader_id, store.people.leader(leader_id)["name"], year, suffix)


@dataclass(frozen=True, slots=True)
class BatchExport:
    """The debriefs of ``year`` into ``folder``, one file per leader.

    ``leader_ids`` None: every leader in office during the year (of ``unit_id`` and the units
    below it, when given). ``jobs``: worker processes (default: the cores, at most 2).
    ``word``: .docx files instead of PDFs; ``report_date`` as for one debrief.
    """

    year: int
    folder: Path
    today: date
    leader_ids: tuple[int, ...] | None = None
    unit_id: int | None = None
    use_draft: bool = False
    jobs: int | None = None
    word: bool = False
    report_date: date | None = None


def leaders_to_report(store: Store, year: int, unit_id: int | None = None) -> list[dict[str, Any]]:
    """Leaders with a term touching ``year`` (of ``unit_id`` and below), as the batch takes them."""
    return leaders_of_year(store, year, unit_id)


def _prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise ReportError(f"“{folder}”是一个文件，需要一个文件夹。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"无法创建文件夹“{folder}”：{os_reason(exc)}") from exc


def export_debrief_batch(
    db_path: Path,
    options: BatchExport,
    *,
    progress: ProgressFn | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> BatchResult:
    """Write the batch; a failure for one leader does not stop the others (see the result)."""
    folder = Path(options.folder)
    _prepare_folder(folder)
    with open_worker_store(db_path) as store:
        if options.leader_ids is None:
            rows = leaders_to_report(store, options.year, options.unit_id)
        else:
            names = {row["id"]: row for row in store.people.leaders()}
            rows = [names[i] for i in options.leader_ids if i in names]
    leaders = [(int(row["id"]), str(row["name"])) for row in rows]
    if not leaders:
        return BatchResult(folder)
    return export_debriefs(db_path, options.year, leaders, folder, today=options.today,
                           use_draft=options.use_draft, jobs=options.jobs, progress=progress,
                           should_cancel=should_cancel, word=options.word,
                           report_date=options.report_date)


@dataclass(frozen=True, slots=True)
class SummaryExport:
    """The summary table of every leader × duty of ``unit_id`` (and below), or of all units."""

    year: int
    output: Path
    today: date
    unit_id: int | None = None
    filled_by_unit: str = ""  # 填报单位
    filled_by: str = ""  # 填报人

    @property
    def target(self) -> Path:
        return with_suffix(self.output, ".pdf")


def export_summary(store: Store, options: SummaryExport) -> ExportResult:
    summary = build_unit_summary(store, options.year, options.unit_id, today=options.today)
    if options.filled_by_unit or options.filled_by:
        summary = replace(summary, filled_by_unit=options.filled_by_unit, filled_by=options.filled_by)
    return ExportResult(render_summary_pdf(summary, options.target), font_notice().message or None)


def summary_name(store: Store, year: int, unit_id: int | None) -> str:
    """The suggested file name of a summary table."""
    unit = store.people.unit(unit_id)["name"] if unit_id is not None else "全部单位"
    return summary_file_name(year, unit)


# -- the unit's annual 法治政府建设年度报告 ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AnnualReportExport:
    """The annual report of ``unit_id`` for ``year`` into ``output`` (.pdf, or .docx for Word).

    ``use_draft`` fills the parts the clerk left empty with the generated draft;
    ``report_date`` (成文日期) wins over the saved date and the default (today, at the latest
    the day the report is due); ``with_task_table`` attaches the 工作任务完成情况表.
    """

    unit_id: int
    year: int
    output: Path
    today: date
    report_date: date | None = None
    use_draft: bool = False
    with_task_table: bool = True

    @property
    def target(self) -> Path:
        return debrief_target(self.output)

    @property
    def word(self) -> bool:
        return self.target.suffix.lower() == ".docx"


@dataclass(frozen=True, slots=True)
class AnnualExportResult(ExportResult):
    """What was written; besides the font notice, the parts left out of the print because
    they have no text (``empty_sections``) and those whose text still holds a 【…】 note to
    fill in (``to_fill``) — the clerk should see both before the report is sent."""

    empty_sections: tuple[str, ...] = ()
    to_fill: tuple[str, ...] = ()

    @property
    def warning(self) -> str:
        """One Chinese sentence about the parts still to write ("" when none)."""
        parts = []
        if self.to_fill:
            parts.append(f"{'、'.join(self.to_fill)}中还有【】标出的待填写内容")
        if self.empty_sections:
            parts.append(f"{'、'.join(self.empty_sections)}尚未填写，未印出")
        return ("报告" + "；".join(parts) + "，请补充后再报送。") if parts else ""


def annual_report(store: Store, unit_id: int, year: int, today: date, *,
                  use_draft: bool = False) -> AnnualReport:
    """The unit's annual report as saved (``use_draft``: empty parts from the draft): what the
    window's editor shows, with the facts it was written from."""
    return build_annual_report(store, unit_id, year, today=today, use_draft=use_draft)


def annual_draft(store: Store, unit_id: int, year: int, today: date) -> AnnualTexts:
    """The generated draft of every part, from the ledger (nothing saved): offered for the
    parts the clerk has not written, or to start again."""
    return draft_annual(build_annual_report(store, unit_id, year, today=today))


def save_annual_report(store: Store, unit_id: int, year: int, **fields: Any) -> int:
    """Save the clerk's text of some parts (opening, measures, leadership, problems, plans)
    and own fields (title, addressee, signature, report_date); only those given change."""
    return store.annual_reports.save(unit_id, year, **fields)


def mark_annual_report_submitted(store: Store, unit_id: int, year: int,
                                 on: date | None) -> None:
    """The report was submitted on ``on`` (None: not after all): the reminder stops."""
    store.people.unit(unit_id)  # a clear "单位不存在"
    store.annual_reports.mark_submitted(unit_id, year, on)


def export_annual_report(store: Store, options: AnnualReportExport) -> AnnualExportResult:
    """Build the unit's annual report from the ledger and write it; the result carries the font
    notice and the parts still to write."""
    report = build_annual_report(store, options.unit_id, options.year, today=options.today,
                                 use_draft=options.use_draft, report_date=options.report_date,
                                 with_task_table=options.with_task_table)
    if options.word:
        path, notice = render_annual_docx(report, options.target), word_font_notice()
    else:
        path, notice = render_annual_pdf(report, options.target), font_notice()
    return AnnualExportResult(path, notice.message or None, report.empty_sections,
                              report.to_fill)


def annual_report_bytes(store: Store, unit_id: int, year: int, today: date, *,
                        use_draft: bool = True) -> bytes:
    """The report's PDF in memory, for a preview (the draft fills empty parts by default)."""
    return render_annual_bytes(build_annual_report(store, unit_id, year, today=today,
                                                   use_draft=use_draft))


def annual_file_name(store: Store, unit_id: int, year: int, suffix: str = ".pdf") -> str:
    """The suggested file name ("杭州市司法局2025年法治政府建设年度报告.pdf")."""
    unit = store.people.unit(unit_id)
    parent = store.people.unit(unit["parent_id"]) if unit.get("parent_id") else None
    return annual_report_file_name(year, institution_name(unit, parent), suffix)
