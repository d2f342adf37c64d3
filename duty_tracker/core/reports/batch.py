"""Many debrief PDFs at once — ``report --all`` and the window's 批量导出 share this one path.

Large batches are spread over a pool of processes (both cores of an office PC: reportlab is
pure Python and holds the GIL). Processes are *spawned*, never forked: the window has Qt and
threads running, and a frozen Windows build can only spawn anyway. Each worker opens its own
database connection (a connection never crosses processes) and registers the fonts once.
Small batches run in-process, where starting workers would cost more than it saves.

Progress is reported after every chunk of PDFs a worker returns (a few at a time, fewer
towards the end so that both workers finish together); a cancel request stops handing out
work, lets the PDFs under way finish (each is written atomically) and returns what was
written. A worker reads a chunk's compliance in one query, and draws one PDF while the
previous one is written.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from duty_tracker.core.reports.file_names import report_file_name

#: Below this many reports a pool is not worth its start-up (imports + fonts ≈ 1 s per worker).
POOL_THRESHOLD = 12

#: The most PDFs handed to a worker at once.
BATCH_LARGEST = 10

ProgressFn = Callable[[int, int, str], None]


@dataclass
class BatchResult:
    folder: Path
    written: list[Path] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)  # (leader id, message)
    cancelled: bool = False


def export_debriefs(
    db_path: Path,
    year: int,
    leaders: Sequence[tuple[int, str]],
    folder: Path,
    *,
    today: date,
    use_draft: bool = False,
    jobs: int | None = None,
    progress: ProgressFn | None = None,
    should_cancel: Callable[[], bool] | None = None,
    word: bool = False,
    report_date: date | None = None,
) -> BatchResult:
    """One PDF (``word``: one .docx) per (leader id, name) into ``folder``. A failure for one
    leader does not stop the others; it is listed in the result."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".docx" if word else ".pdf"
    tasks = [(leader_id, str(folder / report_file_name(leader_id, name, year, suffix)))
             for leader_id, name in leaders]
    setup = (str(db_path), year, today, use_draft, report_date, word)
    names = dict(leaders)
    result = BatchResult(folder)
    total = len(tasks)
    cancel = should_cancel or (lambda: False)
    workers = max(1, min(jobs or min(2, os.cpu_count() or 1), total))
    if total < POOL_THRESHOLD:
        workers = 1

    def tally(leader_id: int, ok: bool, message: str) -> None:
        if ok:
            result.written.append(Path(message))
        else:
            result.failures.append((leader_id, message))
        if progress:
            done = len(result.written) + len(result.failures)
            progress(done, total, f"已生成 {names.get(leader_id, '')} 的述职报告（{done}/{total}）")

    if progress:
        progress(0, total, "正在准备…")
    if workers == 1:
        _worker_init(*setup)
        try:
            for task in tasks:
                if cancel():
                    result.cancelled = True
                    break
                tally(task[0], *_worker_render(task))
        finally:
            _worker_close()
        return result

    batches = plan_batches(tasks, workers)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                             initargs=setup) as pool:
        pending: set[Future] = set()
        queue = list(reversed(batches))
        while queue or pending:
            while queue and len(pending) < workers * 2 and not result.cancelled:
                pending.add(pool.submit(_worker_render_batch, queue.pop()))
            if not pending:
                break
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                for leader_id, ok, message in future.result():
                    tally(leader_id, ok, message)
            if not result.cancelled and cancel():
                result.cancelled = True
                queue.clear()
    return result


def plan_batches(tasks: Sequence[Any], workers: int, largest: int = BATCH_LARGEST
                 ) -> list[list[Any]]:
    """The tasks in order, cut into the chunks handed to the workers: up to ``largest`` at a
    time while there is plenty left (few round trips, progress every half second or so),
    then ever smaller, down to one, so that the workers finish together instead of one
    drawing a last chunk of ten while the other waits."""
    out: list[list[Any]] = []
    start = 0
    while start < len(tasks):
        size = max(1, min(largest, (len(tasks) - start) // (workers * 4)))
        out.append(list(tasks[start:start + size]))
        start += size
    return out


# -- worker side (module level, so that it pickles) -------------------------------------------
_state: dict[str, Any] = {}


def _worker_init(db: str, year: int, today: date, use_draft: bool, report_date: date | None,
                 word: bool) -> None:
    from duty_tracker.core.reports.debrief_builder import DebriefBuilder
    from duty_tracker.core.reports.fonts import get_font_set
    from duty_tracker.core.storage.store import Store

    get_font_set()  # register the fonts once per process, before the first report
    store = Store.open(db, migrate=False)
    _state.update(store=store, builder=DebriefBuilder(store, year, today=today), use_draft=use_draft,
                  report_date=report_date, word=word)


def _worker_close() -> None:
    store = _state.pop("store", None)
    if store is not None:
        store.close()
    _state.clear()


def _worker_render(task: tuple[int, str]) -> tuple[bool, str]:
    from duty_tracker.core.errors import AppError
    from duty_tracker.core.reports.debrief_docx import render_debrief_docx
    from duty_tracker.core.reports.debrief_pdf import render_debrief_pdf

    leader_id, out = task
    try:
        report = _state["builder"].build(leader_id, use_draft=_state["use_draft"],
                                         report_date=_state["report_date"])
        (render_debrief_docx if _state["word"] else render_debrief_pdf)(report, out)
    except (AppError, OSError) as exc:
        return False, str(exc)
    return True, out


def _worker_render_batch(tasks: list[tuple[int, str]]) -> list[tuple[int, bool, str]]:
    """A chunk of PDFs, each written (and synced to disk) by a thread while the next one is
    drawn: the write waits on the disk, the drawing on the CPU, so one worker keeps its core
    busy. Word files are written in turn. The chunk's compliance is read in one query."""
    from duty_tracker.core.errors import AppError

    try:
        _state["builder"].prefetch([leader_id for leader_id, _ in tasks])
    except AppError:
        pass  # each report then reads its own, and reports its own failure
    if _state["word"]:
        return [(task[0], *_worker_render(task)) for task in tasks]
    from concurrent.futures import ThreadPoolExecutor

    from duty_tracker.core.reports.debrief_pdf import render_debrief_bytes
    from duty_tracker.core.reports.pdfwrite import write_atomically

    def write(out: str, data: bytes) -> tuple[bool, str]:
        try:
            write_atomically(out, lambda fh: fh.write(data))
        except (AppError, OSError) as exc:
            return False, str(exc)
        return True, out

    results: list[tuple[int, Any]] = []
    with ThreadPoolExecutor(max_workers=1) as writer:
        for leader_id, out in tasks:
            try:
                report = _state["builder"].build(leader_id, use_draft=_state["use_draft"],
                                                 report_date=_state["report_date"])
                data = render_debrief_bytes(report)
            except (AppError, OSError) as exc:
                results.append((leader_id, (False, str(exc))))
                continue
            results.append((leader_id, writer.submit(write, out, data)))
    return [(leader_id, *(outcome if isinstance(outcome, tuple) else outcome.result()))
            for leader_id, outcome in results]
