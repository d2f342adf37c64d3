"""The program collects garbage on the GUI thread only (ui/gc_guard.py)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject

from duty_tracker.ui.gc_guard import MainThreadGarbageCollector


def test_automatic_collection_is_off_and_the_timer_collects(qapp) -> None:
    parent = QObject()
    guard = MainThreadGarbageCollector(parent)
    try:
        assert not gc.isenabled()

        class Cycle:
            pass

        a, b = Cycle(), Cycle()
        a.other, b.other = b, a
        del a, b
        for _ in range(gc.get_threshold()[0]):  # grow generation 0 past its threshold
            x = Cycle()
            x.me = x
            del x
        assert gc.get_count()[0] >= gc.get_threshold()[0]
        guard.check()
        assert gc.get_count()[0] < gc.get_threshold()[0]
    finally:
        parent.deleteLater()
