"""The window's arguments are read without building every command's parser; anything else
(a command, help, a mistake) still meets the full parser and its messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from duty_tracker.cli.main import window_arguments


@pytest.mark.parametrize("argv", [[], ["--smoke"], ["--db", "x.db", "--today", "2025-11-20"]])
def test_the_window_alone_is_read_by_the_small_parser(argv: list[str]) -> None:
    args = window_arguments(argv)
    assert args is not None and args.command is None


@pytest.mark.parametrize("argv", [["status", "--year", "2025"], ["--db", "a.db", "check"],
                                  ["-h"], ["--help"], ["--today"], ["--bogus"]])
def test_commands_help_and_mistakes_go_to_the_full_parser(argv: list[str]) -> None:
    assert window_arguments(argv) is None


def test_a_mistake_is_told_once_with_the_full_usage(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "duty_tracker", "--db", str(tmp_path / "a.db"),
                          "--bogus"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.count("--bogus") == 1
    assert "命令" in run.stderr  # the full parser's usage names the commands


def test_help_lists_the_commands() -> None:
    run = subprocess.run([sys.executable, "-m", "duty_tracker", "--help"], capture_output=True,
                         text=True, timeout=120, check=True)
    assert "status" in run.stdout and "--smoke" in run.stdout


def test_the_window_is_started_with_automatic_collection_off(monkeypatch) -> None:  # noqa: ANN001
    """Garbage is collected on the window's thread by its own timer (ui.gc_guard); the start
    turns the automatic collector off before Qt and the window's modules load."""
    import gc

    import duty_tracker.ui.app as ui_app
    from duty_tracker.cli.main import main

    seen: list[bool] = []
    monkeypatch.setattr(ui_app, "run_window", lambda **_kw: seen.append(gc.isenabled()) or 0)
    try:
        assert main(["--db", "x.db"]) == 0
    finally:
        gc.enable()
    assert seen == [False]
