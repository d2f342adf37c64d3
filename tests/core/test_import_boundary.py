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
