"""A non-editable ``pip install .`` carries the rules text, fonts, icons and migrations inside
the package (``duty_tracker/_bundled``) and the installed ``duty-tracker`` works without the
source checkout.

Slow (builds and installs the project, about 10 s): run by CI. The temporary environment
borrows the test environment's dependencies through a .pth file, so nothing is downloaded
except what pip's isolated build needs (setuptools, wheel)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                 ".ruff_cache", ".hypothesis", "*.db", "_bundled", ".venv", "venv")


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    shutil.copytree(REPO, source, ignore=IGNORED)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(subprocess.run(
        [str(_bin(venv, "python")), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    # dependencies (and pip) from the test environment; the .pth files there (the editable
    # install of this checkout) are not processed for a path added this way
    (site / "borrowed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run(
        [str(_bin(venv, "python")), "-m", "pip", "install", "--no-deps", "--quiet",
         "--disable-pip-version-check", str(source)],
        capture_output=True, text=True, timeout=600, cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.rmtree(source)  # the installed program must not need the checkout
    return venv


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["DUTY_TRACKER_HOME"] = str(cwd / "home")
    return subprocess.run(list(args), capture_output=True, text=True, encoding="utf-8",
                          timeout=120, cwd=cwd, env=env)


def test_installed_package_carries_its_resources(installed: Path, tmp_path: Path) -> None:
    code = ("import duty_tracker, json; from duty_tracker import paths; print(json.dumps("
            "[duty_tracker.__file__, str(paths.resource_path('rules/hangzhou-2019.txt')),"
            " str(paths.resource_path('fonts/LICENSES')), str(paths.resource_path('icons/app.png')),"
            " str(paths.migrations_dir()), str(paths.user_guide_path()),"
            " str(paths.user_guide_path().parent / 'images' / '02-总览.png')]))")
    done = _run(installed, str(_bin(installed, "python")), "-c", code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    package, *found = json.loads(done.stdout)
    assert Path(package).is_relative_to(installed)
    for path in found:
        assert "_bundled" in Path(path).parts, path
        assert Path(path).exists()


def test_installed_cli_lists_the_default_duties(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, str(_bin(installed, "duty-tracker")), "duties", "--json",
                "--db", str(tmp_path / "tmp.db"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    duties = json.loads(done.stdout)
    assert len(duties) > 10
    assert all(d["title"] and d["min_count"] >= 1 for d in duties)
    done = _run(installed, str(_bin(installed, "duty-tracker")), "check",
                "--db", str(tmp_path / "tmp.db"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
