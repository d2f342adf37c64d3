"""The program collects garbage on the GUI thread only (ui/gc_guard.py), generation by
generation as Python would, and not while a bulk job has the collector paused."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QObject

from duty_tracker.core.helpers import collector_paused
from duty_tracker.ui.gc_guard import MainThreadGarbageCollector


class Cycle:
    pass


def _grow_young_generation() -> None:
    for _ in range(gc.get_threshold()[0] + 10):  # generation 0 past its threshold
        x = Cycle()
        x.me = x
        del x


@pytest.fixture
def guard(qapp):
    parent = QObject()
    yield MainThreadGarbageCollector(parent)
    parent.deleteLater()


def test_automatic_collection_is_off_and_the_timer_collects_the_young_generation(guard) -> None:
    assert not gc.isenabled()
    gc.collect()
    a, b = Cycle(), Cycle()
    a.other, b.other = b, a
    del a, b
    _grow_young_generation()
    assert gc.get_count()[0] >= gc.get_threshold()[0]
    collected_before = gc.get_stats()[0]["collected"]
    assert guard.check() == 0, "the young generation only: a full collection walks every object"
    assert gc.get_count()[0] < gc.get_threshold()[0]
    assert gc.get_stats()[0]["collected"] >= collected_before + 2, "the cycle is gone"


def test_the_older_generations_are_collected_when_their_counts_say_so(guard) -> None:
    gc.collect()
    limits = gc.get_threshold()
    for _ in range(limits[1]):  # as many young collections as make the middle one due
        gc.collect(0)
    _grow_young_generation()
    assert guard.check() == 1
    for _ in range(limits[2]):
        gc.collect(1)
    _grow_young_generation()
    assert guard.check() == 2


def test_the_timer_waits_while_a_bulk_job_has_the_collector_paused(guard) -> None:
    _grow_young_generation()
    with collector_paused():
        assert guard.check() is None
        assert gc.get_count()[0] >= gc.get_threshold()[0], "nothing collected meanwhile"
    assert not gc.isenabled(), "the window's collector stays the only one"
    assert guard.check() == 0
