"""Reports as the clerk asks for them: one leader's debrief, the debriefs of a whole year (or of
a unit), the unit summary table.

The options are plain dataclasses that the window's dialogs and the CLI's arguments both fill;
each export is one call. A debrief is built from the store into a plain model and then rendered
(``core.reports``); the batch spreads the rendering over worker processes that open their own
connections, which is why it takes the database path rather than a store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from duty_tracker.core.helpers import os_reason
from duty_tracker.core.reports.batch import BatchResult, export_debriefs
from duty_tracker.core.reports.debrief_builder import (
    build_debrief,
    build_unit_summary,
    leaders_of_year,
)
from duty_tracker.core.reports.debrief_model import NarrativeSections
from duty_tracker.core.reports.debrief_pdf import render_debrief_pdf
from duty_tracker.core.reports.errors import ReportError
from duty_tracker.core.reports.file_names import report_file_name, summary_file_name
from duty_tracker.core.reports.narrative import draft_narrative
from duty_tracker.core.reports.summary_pdf import render_summary_pdf
from duty_tracker.core.services.ledger import open_worker_store
from duty_tracker.core.storage.store import Store

ProgressFn = Callable[[int, int, str], None]


def with_suffix(path: Path, suffix: str) -> Path:
    """``path`` with ``suffix`` added unless it already ends so (case-insensitive)."""
    path = Path(path)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


@dataclass(frozen=True, slots=True)
class DebriefExport:
    """One leader's debrief of ``year`` into ``output``.

    ``use_draft`` fills the narrative sections the clerk left empty with the generated draft.
    """

    leader_id: int
    year: int
    output: Path
    today: date
    use_draft: bool = False

    @property
    def target(self) -> Path:
        return with_suffix(self.output, ".pdf")


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    #: Chinese sentence when the bundled fonts replaced the official ones, else None.
    font_notice: str | None = None


def export_debrief(store: Store, options: DebriefExport) -> ExportResult:
    report = build_debrief(store, options.leader_id, options.year, today=options.today,
                           use_draft=options.use_draft)
    return ExportResult(render_debrief_pdf(report, options.target))


def draft_sections(store: Store, leader_id: int, year: int, today: date) -> NarrativeSections:
    """The generated draft of the narrative sections, from the year's ledger (nothing saved)."""
    return draft_narrative(build_debrief(store, leader_id, year, today=today))


def debrief_file_name(store: Store, leader_id: int, year: int, suffix: str = ".pdf") -> str:
    """The suggested file name of one debrief (the same rule as the batch)."""
    return report_file_name(leader_id, store.people.leader(leader_id)["name"], year, suffix)


@dataclass(frozen=True, slots=True)
class BatchExport:
    """The debriefs of ``year`` into ``folder``, one file per leader.

    ``leader_ids`` None: every leader in office during the year (of ``unit_id`` and the units
    below it, when given). ``jobs``: worker processes (default: the cores, at most 2).
    """

    year: int
    folder: Path
    today: date
    leader_ids: tuple[int, ...] | None = None
    unit_id: int | None = None
    use_draft: bool = False
    jobs: int | None = None


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
                           should_cancel=should_cancel)


@dataclass(frozen=True, slots=True)
class SummaryExport:
    """The summary table of every leader × duty of ``unit_id`` (and below), or of all units."""

    year: int
    output: Path
    today: date
    unit_id: int | None = None

    @property
    def target(self) -> Path:
        return with_suffix(self.output, ".pdf")


def export_summary(store: Store, options: SummaryExport) -> ExportResult:
    summary = build_unit_summary(store, options.year, options.unit_id, today=options.today)
    return ExportResult(render_summary_pdf(summary, options.target))


def summary_name(store: Store, year: int, unit_id: int | None) -> str:
    """The suggested file name of a summary table."""
    unit = store.people.unit(unit_id)["name"] if unit_id is not None else "全部单位"
    return summary_file_name(year, unit)
