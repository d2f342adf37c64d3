"""What the window's start makes before its first paint.

PySide makes a Qt class's Python type (and its enums) on first use, and a call whose overloads
take a QIcon or a QGradient makes those types too, just to rule the overloads out
(QBrush(QColor) alone: 1.6 ms, QIcon: 1.5 ms). On Python 3.11 each dataclass compiles its
generated methods when its module is imported (0.2–0.9 ms a class, a twentieth of the start
for twenty of them): the value types the start uses are NamedTuples (a fifth of the cost),
the objects holding a lock or a connection plain classes. The start uses none of these; a
later change that brings one back slows every start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Qt types the first paint of the dashboard does not need.
NOT_AT_START = {
    "QtGui": ("QIcon", "QGradient", "QImage", "QPixmap"),
    "QtWidgets": ("QMessageBox", "QFileDialog", "QGridLayout", "QDialog"),
}

#: Dataclasses the start may make, and why each stays one.
START_DATACLASSES = {
    "RecordFilter": "the record list's query, edited field by field and compared as a whole",
}

#: Run the window on a database with records; at the first paint, print the types Qt has made
#: and the dataclasses of the program's modules loaded by then.
PROBE = r"""
import builtins, os, sys
_print = builtins.print
def report(*args, **kwargs):
    _print(*args, **kwargs)
    if args and str(args[0]).startswith("startup_ms"):
        import PySide6.QtGui, PySide6.QtWidgets
        for module in (PySide6.QtGui, PySide6.QtWidgets):
            _print(module.__name__.split(".")[-1], *sorted(module.__dict__), flush=True)
        made = {name for mod_name, mod in list(sys.modules.items())
                if mod_name.startswith("duty_tracker") for name, value in vars(mod).items()
                if isinstance(value, type) and value.__module__ == mod_name
                and "__dataclass_fields__" in vars(value)}
        _print("dataclasses", *sorted(made), flush=True)
        os._exit(0)
builtins.print = report
from duty_tracker.cli.main import main
main(["--smoke", "--today", "2025-11-20", "--db", sys.argv[1]])
"""


def test_the_first_paint_makes_no_icon_gradient_dialog_or_stray_dataclass(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DUTY_TRACKER_HOME=str(tmp_path))
    db = tmp_path / "demo.db"
    made = subprocess.run(
        [sys.executable, "-m", "duty_tracker", "demo", "--leaders", "4", "--years", "1",
         "--records", "10", "--db", str(db)], capture_output=True, text=True, timeout=120, env=env)
    assert made.returncode == 0, made.stderr
    run = subprocess.run([sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True,
                         timeout=60, env=env)
    assert "startup_ms=" in run.stdout, run.stderr
    loaded = {line.split()[0]: set(line.split()[1:]) for line in run.stdout.splitlines()
              if line.startswith(("QtGui ", "QtWidgets ", "dataclasses"))}
    assert "QColor" in loaded["QtGui"]  # the probe does see what the start made
    for module, names in NOT_AT_START.items():
        assert not loaded[module] & set(names), f"{module}: {sorted(loaded[module] & set(names))}"
    assert loaded["dataclasses"] <= set(START_DATACLASSES), sorted(
        loaded["dataclasses"] - set(START_DATACLASSES))
