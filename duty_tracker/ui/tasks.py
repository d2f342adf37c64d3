"""Long work off the UI thread, in one shape (as Anki's ``QueryOp``): a plain function runs on a
worker thread and never touches widgets; ``succeeded``/``failed`` arrive back on the UI thread.

The function receives a :class:`TaskControl` to report progress and to check for cancel. A
sqlite connection belongs to the thread that opened it, so a task that needs the database opens
its own store inside the function (``core.services.ledger.open_worker_store(ctx.db_path)``).
An :class:`~duty_tracker.core.errors.AppError` from the function reaches ``failed`` as its
Chinese message, unchanged; anything else is a bug, logged and reported as such.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from duty_tracker.core.errors import AppError
from duty_tracker.core.helpers import os_reason
from duty_tracker.ui import look


class TaskCancelled(Exception):
    """Raised inside a task function when the clerk pressed 取消."""


class TaskControl:
    def __init__(self, task: Task) -> None:
        self._task = task
        self.cancelled = False

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._task.progressed.emit(done, total, text)

    def check(self) -> None:
        """Call between steps: stops the task cleanly when cancel was pressed."""
        if self.cancelled:
            raise TaskCancelled()


class Task(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: Callable[[TaskControl], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self.control = TaskControl(self)

    def cancel(self) -> None:
        self.control.cancelled = True

    def run(self) -> None:  # worker thread
        try:
            result = self._fn(self.control)
        except TaskCancelled:
            self.cancelled.emit()
        except AppError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"操作失败：{os_reason(exc)}")
        except Exception as exc:  # noqa: BLE001 - shown to the clerk, never a crash
            traceback.print_exc()
            self.failed.emit(f"操作失败（程序错误）：{exc}")
        else:
            self.succeeded.emit(result)


def run_with_progress(
    parent: QWidget,
    title: str,
    fn: Callable[[TaskControl], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
) -> Task:
    """Run ``fn`` on a worker with a modal-less progress dialog and a 取消 button."""

    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = Task(fn, parent)

    def progressed(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(done)
        if text:
            dialog.setLabelText(text)

    def finished_ok(result: Any) -> None:
        dialog.close()
        if on_success:
            on_success(result)

    def finished_bad(message: str) -> None:
        dialog.close()
        if on_failure:
            on_failure(message)
        else:
            look.warn(parent, title, message)

    task.progressed.connect(progressed)
    task.succeeded.connect(finished_ok)
    task.failed.connect(finished_bad)
    task.cancelled.connect(dialog.close)
    dialog.canceled.connect(task.cancel)
    task.finished.connect(task.deleteLater)
    task.start()
    return task


def run_in_background(
    parent: QObject,
    fn: Callable[[TaskControl], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
) -> Task:
    """Run ``fn`` on a worker without a progress dialog (work the clerk did not ask for, such
    as the start-up check); the results arrive on the UI thread like any task's."""
    task = Task(fn, parent)
    if on_success:
        task.succeeded.connect(on_success)
    if on_failure:
        task.failed.connect(on_failure)
    task.finished.connect(task.deleteLater)
    task.start()
    return task
