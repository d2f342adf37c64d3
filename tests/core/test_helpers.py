"""The shared helpers: dates as clerks type them, atomic writes with the normal file mode."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from duty_tracker.core.errors import InputError
from duty_tracker.core.helpers import (
    FileWriteError,
    os_user,
    parse_date,
    sha256_of,
    write_atomically,
)


@pytest.mark.parametrize("text", [
    "2025-05-05", "2025-5-5", "2025/5/5", "2025.5.5", "2025年5月5日", "20250505",
    "2025-5-5 10:00", "2025-05-05T10:00:00", "２０２５－０５－０５", "２０２５年５月５日",
    " 2025-5-5 ", "2025年5月5日 10:30",
])
def test_parse_date_accepts_what_clerks_type(text: str) -> None:
    assert parse_date(text) == date(2025, 5, 5)


@pytest.mark.parametrize("text, words", [
    ("", "为空"), ("2025-02-30", "不存在"), ("五月五日", "格式不正确"), ("1800-01-01", "超出范围"),
])
def test_parse_date_refuses_with_a_chinese_message(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_date(text, "履职日期")


def test_atomic_write_gives_the_normal_file_mode(tmp_path: Path) -> None:
    """mkstemp creates 0600 files; a report a clerk shares must be readable like any file."""
    target = write_atomically(tmp_path / "报告.pdf", lambda fh: fh.write(b"%PDF-1.4"))
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert sha256_of(target) == sha256_of(target)  # readable
    assert [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]  # no temporary file left


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")

    def broken(fh) -> None:  # noqa: ANN001
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(FileWriteError, match="写入文件"):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_the_computers_name_is_the_one_the_network_modules_give() -> None:
    """The locks name the computer without loading socket: the same name all the same."""
    import socket

    from duty_tracker.core.helpers import host_name

    assert host_name() == socket.gethostname()


def test_a_window_start_registers_as_a_writer_without_the_uuid_and_socket_modules(tmp_path) -> None:  # noqa: ANN001
    """Registering as a writer happens on every start: it needs neither uuid (with platform)
    nor socket, ~8 ms of imports (a separate process: this one has loaded them long ago)."""
    import subprocess
    import sys

    code = ("import sys\nfrom duty_tracker.core.storage.writer_lock import WriterLock\n"
            f"lock = WriterLock({str(tmp_path / 'x.db')!r}).acquire()\n"
            "print(sorted(m for m in ('uuid', 'socket', 'platform') if m in sys.modules))\n"
            "lock.release()\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert run.stdout.strip() == "[]"



def test_the_collector_is_paused_for_a_bulk_job_and_on_again_after_it() -> None:
    import gc

    from duty_tracker.core.helpers import collector_paused

    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled(), "on again after a failure too"
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled(), "left off where the window had switched it off"
    finally:
        gc.enable()


def test_pauses_of_two_jobs_at_once_end_with_the_last() -> None:
    import gc
    import threading

    from duty_tracker.core.helpers import collector_held, collector_paused

    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def other_job() -> None:
        first_in.wait(5)
        with collector_paused():
            pass
        seen.append(gc.isenabled())
        second_done.set()

    thread = threading.Thread(target=other_job)
    thread.start()
    with collector_paused():
        first_in.set()
        second_done.wait(5)
        assert seen == [False], "the other job's end leaves it off while this one runs"
        assert collector_held()
    thread.join(5)
    assert gc.isenabled() and not collector_held()


@pytest.mark.parametrize("variable", ["LOGNAME", "USER", "LNAME", "USERNAME"])
def test_the_login_name_is_what_getpass_would_say(monkeypatch: pytest.MonkeyPatch,
                                                  variable: str) -> None:
    import getpass

    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "张三")
    assert os_user() == getpass.getuser() == "张三"


def test_without_login_variables_the_account_database_names_the_user(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    assert os_user() == getpass.getuser() != ""
