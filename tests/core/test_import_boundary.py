"""The core must never import Qt: it runs in the CLI, in worker processes and in tests without
a display."""

import subprocess
import sys


def test_core_and_cli_do_not_import_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, duty_tracker.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'duty_tracker.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import duty_tracker.cli.main, duty_tracker.cli.data_commands\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


ABOVE_STORAGE = ("duty_tracker.core.rules", "duty_tracker.core.exchange", "duty_tracker.core.reports",
                 "duty_tracker.core.seeding", "duty_tracker.core.services", "duty_tracker.core.demo",
                 "duty_tracker.core.workpoints", "duty_tracker.ui", "duty_tracker.cli")


def test_storage_imports_nothing_above_it() -> None:
    """Storage points only down. Every storage module is imported (nothing above storage may then
    be loaded), and its source is read as well, so that a lazy import inside a function that the
    import does not run is caught too."""
    import ast
    import pathlib

    import duty_tracker.core.storage as storage

    code = (
        "import sys, pkgutil, importlib, duty_tracker.core.storage as s\n"
        "for m in pkgutil.walk_packages(s.__path__, 'duty_tracker.core.storage.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = [m for m in sys.modules if m.startswith({ABOVE_STORAGE!r})]\n"
        "print(','.join(sorted(bad)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    for path in pathlib.Path(storage.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.startswith(ABOVE_STORAGE)], f"{path.name} imports {names}"
