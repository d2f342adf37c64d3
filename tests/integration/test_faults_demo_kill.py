"""kill -9 of a large demo build (drawn in a second process) at any moment: the ledger passes
``check`` and holds the whole demo or nothing of it, and no scratch file of the build is left
in the temporary folder — the second process removes its bigram file once the building
process is gone, whenever that happens."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duty_tracker.core.storage.integrity import check_database
from tests.store_helpers import bare_store

#: About 48,000 records: drawn in a second process (see demo.PARALLEL_FROM).
SIZE = ["--leaders", "400", "--years", "4", "--records", "30", "--today", "2025-11-20"]


def _demo(target: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "duty_tracker", "demo", *SIZE, "--db", str(target)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _count(db: Path) -> int:
    with bare_store(db) as store:  # opening sweeps what a killed process left
        return store.records.count()


def _scratch_left(folder: Path, wait: float) -> list[str]:
    """What is still in ``folder`` once the orphaned second process had ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while any(folder.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.slow
def test_a_demo_build_killed_at_any_moment_leaves_all_or_nothing(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "TEMP": str(scratch), "TMP": str(scratch)}
    whole = tmp_path / "whole" / "duty.db"
    whole.parent.mkdir()
    assert _demo(whole, env).wait(timeout=300) == 0
    full = _count(whole)
    assert full > 40_000 and _scratch_left(scratch, 0) == []
    rng = random.Random(16)
    for attempt in range(4):
        target = tmp_path / f"try{attempt}" / "duty.db"
        target.parent.mkdir()
        proc = _demo(target, env)
        time.sleep(rng.uniform(1.0, 6.0))  # drawing, writing, indexing or committing
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        assert _scratch_left(scratch, 60) == [], attempt
        if target.exists():
            report = check_database(target)
            assert report.ok, (attempt, report.problems)
            assert _count(target) in (0, full), attempt
