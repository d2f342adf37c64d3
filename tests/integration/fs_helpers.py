"""Real small and read-only file systems for fault tests, and running the real CLI.

A tmpfs of a few MB mounted inside the test gives a genuine "No space left on device"; the
same mount remounted read-only gives a genuine EROFS (root ignores file permissions, not a
read-only mount). Where mounting is impossible (not root, a container without the right)
the test is skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tmpfs(where: Path, size: str = "4m") -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(where: Path, *, read_only: bool) -> None:
    mode = "ro" if read_only else "rw"
    done = subprocess.run(["mount", "-o", f"remount,{mode}", str(where)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount {mode}: {done.stderr.strip()}")


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` up to ``leave`` free bytes."""
    filler = folder / "filler.bin"
    with filler.open("wb") as fh:
        try:
            while True:
                free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
                if free <= leave:
                    break
                fh.write(b"\0" * min(1 << 16, max(free - leave, 1)))
                fh.flush()
        except OSError:
            pass
    return filler


def cli(*args: str, timeout: int = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line in a new process (what an administrator types)."""
    return subprocess.run([sys.executable, "-m", "duty_tracker", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def assert_clean_failure(done: subprocess.CompletedProcess, *words: str) -> None:
    """A refusal the clerk can read: exit 1, a Chinese message, no traceback, no success."""
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert "已恢复" not in done.stdout
    for word in words:
        assert word in done.stderr, (word, done.stderr)
