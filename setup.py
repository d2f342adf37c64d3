"""Packaging glue that pyproject.toml cannot express: a wheel must carry the top-level
``resources/`` and ``db/`` folders, which live outside the package so that they are easy to
review. They are copied into ``duty_tracker/_bundled/`` of the built package, where
``duty_tracker.paths`` looks for them. An editable install reads them from the checkout and
gets no copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("resources", "db", "docs")  # docs: the user guide the 帮助 menu opens


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "duty_tracker" / "_bundled"
        for name in BUNDLED:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"missing folder {source}: cannot build a complete package")
            shutil.copytree(source, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithResources})
