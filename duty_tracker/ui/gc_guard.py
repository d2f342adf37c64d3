"""Python's garbage collector runs on whatever thread happens to allocate when a threshold is
crossed. If that is a worker (a PDF batch, a rules import) and the garbage holds a Qt widget
(a closed dialog in a reference cycle), Qt deletes the widget off the GUI thread and the
program crashes. Seen here in the test suite; Anki handles it the same way: automatic
collection is switched off and the collector runs on the GUI thread from a timer.

The timer collects as Python itself would have: the young generation each time it has grown
past its threshold, the older ones only when their own counts say so. A full collection every
two seconds walked every object the program holds — 150 ms and more while a district's
package is being merged on a worker, the window frozen meanwhile. While a bulk job runs with
the collector paused (``core.helpers.collector_paused``), the timer waits for it."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from duty_tracker.core.helpers import collector_held

INTERVAL_MS = 2000


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    def check(self) -> int | None:
        """Collect when the young generation has grown as it would have before a collection,
        the generation Python would have collected; returns which (None: none)."""
        if collector_held():
            return None
        counts, limits = gc.get_count(), gc.get_threshold()
        if counts[0] < limits[0]:
            return None
        # as Python picks it: the oldest generation whose count (the younger one's collections
        # since its own last) has reached its threshold
        generation = next((g for g in (2, 1) if counts[g] >= limits[g]), 0)
        gc.collect(generation)
        return generation


def install(app: QObject) -> MainThreadGarbageCollector:
    return MainThreadGarbageCollector(app)
