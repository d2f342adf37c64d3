"""duty_tracker.paths: one helper finds the bundled files in a checkout, an installed wheel and a
PyInstaller folder, and puts the data folder where the clerk expects it (portable mode too).

The layouts are simulated here by pointing the module at temporary folders; the real wheel
and the real frozen build are checked by tests/integration/test_packaging*.py (slow)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from duty_tracker import paths

REPO = Path(__file__).resolve().parents[2]


def test_checkout_finds_every_bundled_resource() -> None:
    assert paths.resource_path("rules/hangzhou-2019.txt") == REPO / "resources" / "rules" / "hangzhou-2019.txt"
    fonts = paths.resource_path("fonts")
    assert any(fonts.glob("*.tt[fc]")) and any((fonts / "LICENSES").iterdir())
    assert paths.resource_path("icons/app.png").is_file()
    assert paths.resource_path("icons/app.ico").is_file()
    assert sorted(paths.migrations_dir().glob("*.sql"))
    assert paths.program_dir() == REPO


def test_missing_resource_says_so_in_chinese() -> None:
    with pytest.raises(FileNotFoundError, match="程序文件缺失.*no-such-file"):
        paths.resource_path("no-such-file.txt")


def _fake_tree(root: Path, marker: str) -> Path:
    (root / "resources" / "rules").mkdir(parents=True)
    (root / "resources" / "rules" / "hangzhou-2019.txt").write_text(marker, encoding="utf-8")
    (root / "db" / "migrations").mkdir(parents=True)
    (root / "db" / "migrations" / "0001_initial.sql").write_text(f"-- {marker}", encoding="utf-8")
    return root


def test_installed_wheel_reads_the_copy_inside_the_package(tmp_path: Path, monkeypatch) -> None:
    site = tmp_path / "site-packages"
    package = site / "duty_tracker"
    _fake_tree(package / "_bundled", "wheel")
    _fake_tree(site, "stray folder of another package")  # site-packages/resources: never used
    monkeypatch.setattr(paths, "_PACKAGE_DIR", package)
    rules = paths.resource_path("rules/hangzhou-2019.txt")
    assert rules.read_text(encoding="utf-8") == "wheel"
    assert paths.migrations_dir() == package / "_bundled" / "db" / "migrations"
    assert paths.program_dir() == Path(sys.prefix)  # not a checkout: the environment


def test_frozen_build_reads_meipass_and_lives_beside_the_executable(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "DutyTracker"
    internal = _fake_tree(folder / "_internal", "frozen")
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "DutyTracker.exe"))
    monkeypatch.setattr(paths, "_PACKAGE_DIR", internal / "duty_tracker")
    assert paths.is_frozen()
    assert paths.resource_path("rules/hangzhou-2019.txt").read_text(encoding="utf-8") == "frozen"
    assert paths.migrations_dir() == internal / "db" / "migrations"
    assert paths.program_dir() == folder


def test_frozen_resources_win_over_a_checkout(tmp_path: Path, monkeypatch) -> None:
    internal = _fake_tree(tmp_path / "_internal", "frozen")
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    assert paths.resource_path("rules/hangzhou-2019.txt").parent.parent.parent == internal


def test_data_folder_override_for_administrators_and_tests(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DUTY_TRACKER_HOME", str(tmp_path / "elsewhere"))
    assert paths.user_data_dir() == tmp_path / "elsewhere"
    assert paths.default_db_path() == tmp_path / "elsewhere" / "duty_tracker.db"


def test_windows_data_folder_is_under_appdata(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DUTY_TRACKER_HOME", raising=False)
    monkeypatch.setattr(paths, "program_dir", lambda: tmp_path / "program")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert paths.user_data_dir() == tmp_path / "Roaming" / "duty_tracker"
    assert paths.portable_settings_file() is None


def test_linux_data_folder_follows_xdg(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DUTY_TRACKER_HOME", raising=False)
    monkeypatch.setattr(paths, "program_dir", lambda: tmp_path / "program")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.user_data_dir() == tmp_path / "xdg" / "duty_tracker"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.user_data_dir() == tmp_path / "home" / ".local" / "share" / "duty_tracker"


def test_portable_marker_keeps_data_and_settings_beside_the_program(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DUTY_TRACKER_HOME", raising=False)
    program = tmp_path / "U盘" / "DutyTracker"
    program.mkdir(parents=True)
    monkeypatch.setattr(paths, "program_dir", lambda: program)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert not paths.is_portable()
    (program / "portable.txt").mkdir()  # a folder of that name is not the marker
    assert not paths.is_portable()
    (program / "portable.txt").rmdir()
    (program / "portable.txt").write_text("", encoding="utf-8")
    assert paths.is_portable()
    assert paths.user_data_dir() == program / "data"
    assert paths.default_db_path() == program / "data" / "duty_tracker.db"
    assert paths.portable_settings_file() == program / "data" / "settings.ini"


def test_attachments_and_backups_travel_with_the_database(tmp_path: Path) -> None:
    db = tmp_path / "台账" / "西湖区.db"
    assert paths.attachments_dir_for(db) == tmp_path / "台账" / "西湖区_attachments"
    assert paths.backups_dir_for(db) == tmp_path / "台账" / "西湖区_backups"


def test_paths_module_is_pure_python() -> None:
    source = Path(paths.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in source and "import Qt" not in source
