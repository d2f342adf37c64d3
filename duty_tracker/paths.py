"""The one module that knows where files are: bundled resources and migrations (from source, an
installed wheel, or a PyInstaller folder) and the per-user data folder.

Resources live at the repository top level (``resources/``, ``db/``, and the user guide in
``docs/``) so that they are easy to review. The three layouts, searched in this order:

* frozen (PyInstaller one-folder build): ``sys._MEIPASS/resources``, ``sys._MEIPASS/db``
  (build_installer.spec copies them there);
* installed from a wheel (``pip install .``): ``duty_tracker/_bundled/resources`` and
  ``duty_tracker/_bundled/db`` inside the package (setup.py's build step copies them);
* source checkout or editable install: the repository root.

Every caller goes through :func:`resource_path` and :func:`migrations_dir`, so the layouts never
leak into the rest of the code. This module is pure Python (no Qt).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "duty_tracker"
DB_FILE_NAME = "duty_tracker.db"
#: A file with this name beside the executable (or the repository root) keeps the data folder
#: next to the program instead of in %APPDATA% — for running from a USB stick.
PORTABLE_MARKER = "portable.txt"

#: Name of the settings file kept in the data folder in portable mode (no registry use).
SETTINGS_FILE_NAME = "settings.ini"

_PACKAGE_DIR = Path(__file__).resolve().parent
#: Where a wheel carries ``resources/`` and ``db/`` (see setup.py).
BUNDLED_DIR_NAME = "_bundled"


def is_frozen() -> bool:
    """True inside the PyInstaller build."""
    return bool(getattr(sys, "frozen", False))


def _checkout_root() -> Path | None:
    """The repository root when running from a source checkout or an editable install."""
    root = _PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() else None


def _candidate_roots() -> list[Path]:
    roots: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        roots.append(Path(frozen_root))
    roots.append(_PACKAGE_DIR / BUNDLED_DIR_NAME)  # non-editable install (wheel)
    checkout = _checkout_root()
    if checkout is not None:  # source checkout or editable install
        roots.append(checkout)
    return roots


def _find(relative: str) -> Path:
    for root in _candidate_roots():
        candidate = root / relative
        if candidate.exists():
            return candidate
    searched = ", ".join(str(r) for r in _candidate_roots())
    raise FileNotFoundError(f"程序文件缺失：找不到 {relative}（已查找：{searched}），请重新安装程序。")


def resource_path(relative: str) -> Path:
    """A file or folder below ``resources/``, e.g. ``resource_path("fonts/wqy-microhei.ttc")``."""
    return _find(f"resources/{relative}")


def user_guide_path() -> Path:
    """The user guide (使用说明) the 帮助 menu shows, with its pictures in ``images/`` beside it."""
    return _find("docs/使用说明.md")


def migrations_dir() -> Path:
    """The folder of versioned schema migrations (``db/migrations``)."""
    return _find("db/migrations")


def program_dir() -> Path:
    """Where the program is: the folder holding the executables (frozen), the repository root
    (source checkout), else the environment it is installed in (``sys.prefix``)."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return _checkout_root() or Path(sys.prefix)


def is_portable() -> bool:
    """Portable mode: a ``portable.txt`` beside the executable (contents do not matter)."""
    return (program_dir() / PORTABLE_MARKER).is_file()


def user_data_dir() -> Path:
    """Where the database, attachments and backups live.

    Order: ``DUTY_TRACKER_HOME`` (administrators, tests), portable mode, then the platform's
    per-user folder (%APPDATA% on Windows, XDG_DATA_HOME or ~/.local/share elsewhere).
    """
    override = os.environ.get("DUTY_TRACKER_HOME")
    if override:
        return Path(override)
    if is_portable():
        return program_dir() / "data"
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / APP_DIR_NAME
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / APP_DIR_NAME


def default_db_path() -> Path:
    return user_data_dir() / DB_FILE_NAME


def portable_settings_file() -> Path | None:
    """In portable mode the window's settings go to an .ini file in the data folder (so that
    nothing of the program stays on a PC the USB stick was plugged into); else ``None`` (the
    platform's usual place)."""
    return user_data_dir() / SETTINGS_FILE_NAME if is_portable() else None


def attachments_dir_for(db_path: Path) -> Path:
    """Evidence files sit in a folder beside the database, named after it, so that a database
    chosen with ``--db`` carries its own attachments."""
    return db_path.parent / f"{db_path.stem}_attachments"


def backups_dir_for(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}_backups"


def cache_dir_for(db_path: Path) -> Path:
    """What the program can always work out again from the database (the year's status for
    the next start): deleting the folder loses nothing."""
    return db_path.parent / f"{db_path.stem}_cache"
