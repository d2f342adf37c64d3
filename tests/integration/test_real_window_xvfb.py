"""The real window on a real X server (Xvfb), QT_QPA_PLATFORM unset.

Every other GUI test runs on Qt's offscreen platform, which needs none of the xcb libraries a
clerk's desktop uses; a fresh machine once failed with "Could not load the Qt platform plugin
xcb" while the whole offscreen suite passed. This test starts the program as ``run.sh`` does,
on the xcb platform, and fails when a library the plugin links is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the xcb platform exists on Linux only")


@pytest.fixture
def xvfb_display():
    """A private Xvfb server; its display number is chosen by Xvfb itself (-displayfd)."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is missing: scripts/system-packages.sh installs the Debian package xvfb"
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write_fd), "-screen", "0", "1366x768x24",
                             "-nolisten", "tcp"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    proc.terminate()
    proc.wait(timeout=10)


def test_window_starts_on_the_xcb_platform(xvfb_display: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_LOGGING_RULES")}
    env["DISPLAY"] = xvfb_display
    env["DUTY_TRACKER_HOME"] = str(tmp_path / "home")
    proc = subprocess.run(
        [sys.executable, "-m", "duty_tracker", "--db", str(tmp_path / "ledger.db"), "--smoke"],
        env=env, capture_output=True, text=True, timeout=120)
    assert "Could not load the Qt platform plugin" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "startup_ms=" in proc.stdout
