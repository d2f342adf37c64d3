"""Window start-up to first paint (dashboard filled) on the 250,000-record database: ≤ 0.5 s and
≤ 2.5 × a bare PySide6 window; window peak memory ≤ 150 MB (SPEC.md §6).

Both are whole processes, timed from interpreter start to the first paint of the window, as
the clerk experiences them: ``duty-tracker --smoke`` prints ``startup_ms=N``; the floor is a
script that opens an empty QMainWindow and prints the same. Best of several runs (the first
run warms the disk cache). Peak memory is the largest resident set of the --smoke runs.

    python -m bench.bench_startup [--frozen dist/DutyTracker]

``--frozen`` also times the PyInstaller build's console companion (no budget: information).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import big_db, verdict

RUNS = 7

BARE_WINDOW = r"""
import time
T0 = time.perf_counter()
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel

class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, report)
        return False

def report():
    print(f"startup_ms={round((time.perf_counter() - T0) * 1000)}", flush=True)
    app.quit()

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("履职纪实"))
window.resize(1366, 768)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_LOGGING_RULES"] = "qt.qpa.*=false"
    env["DUTY_TRACKER_HOME"] = str(home)
    return env


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(start-up seconds as printed by the program, peak RSS in MB of that process)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        _pid, status, usage = os.wait4(proc.pid, 0)
    except AttributeError:  # pragma: no cover - Windows has no wait4
        proc.wait()
        status, usage = proc.returncode, None
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    match = re.search(r"startup_ms=(\d+)", out)
    if not match:
        raise RuntimeError(f"no startup_ms from {cmd[0]} (status {status}): {err[-2000:]}")
    peak_mb = usage.ru_maxrss / 1024 if usage is not None else float("nan")  # KiB on Linux
    return int(match.group(1)) / 1000, peak_mb


def _best(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    results = [_timed(cmd, env) for _ in range(RUNS)]
    times = sorted(t for t, _m in results)
    return times[0], times[len(times) // 2], max(m for _t, m in results)


def _compile_bytecode() -> None:
    """An installed program (wheel or frozen build) starts from compiled bytecode; a checkout
    run with PYTHONDONTWRITEBYTECODE=1 would recompile every module on every start and time
    the compiler instead of the program."""
    import compileall

    package = Path(__file__).resolve().parent.parent / "duty_tracker"
    compileall.compile_dir(str(package), quiet=1)


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", type=Path, help="folder of a PyInstaller build to time as well")
    args = parser.parse_args(argv or [])
    db = big_db()
    _compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(Path(tmp))
        floor, floor_median, _ = _best([sys.executable, "-c", BARE_WINDOW], env)
        app, app_median, peak = _best(
            [sys.executable, "-m", "duty_tracker", "--smoke", "--db", str(db)], env)
        print(f"     bare PySide6 window {floor:.3f} s (median {floor_median:.3f}); "
              f"duty-tracker {app:.3f} s (median {app_median:.3f}), {RUNS} runs, {db.name}")
        ok = verdict("window start-up to first paint", app, 0.5)
        ok &= verdict("start-up vs bare PySide6 window", app / floor, 2.5, unit="×")
        ok &= verdict("window peak memory", peak, 150, unit="MB")
        if args.frozen:
            exe = args.frozen / ("duty-tracker.exe" if os.name == "nt" else "duty-tracker")
            start = time.perf_counter()
            frozen, frozen_median, frozen_peak = _best([str(exe), "--smoke", "--db", str(db)], env)
            print(f"     frozen build {frozen:.3f} s (median {frozen_median:.3f}), peak "
                  f"{frozen_peak:.0f} MB ({time.perf_counter() - start:.1f} s for {RUNS} runs)")
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main(sys.argv[1:]) else 1)
