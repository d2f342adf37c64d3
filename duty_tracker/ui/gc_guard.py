"""Python's garbage collector runs on whatever thread happens to allocate when a threshold is
crossed. If that is a worker (a PDF batch, a rules import) and the garbage holds a Qt widget
(a closed dialog in a reference cycle), Qt deletes the widget off the GUI thread and the
program crashes. Seen here in the test suite; Anki handles it the same way: automatic
collection is switched off and the collector runs on the GUI thread from a timer."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 2000


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()[0]
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    def check(self) -> None:
        """Collect when the first generation has grown as it would have before a collection."""
        if gc.get_count()[0] >= self._threshold:
            gc.collect()


def install(app: QObject) -> MainThreadGarbageCollector:
    return MainThreadGarbageCollector(app)
