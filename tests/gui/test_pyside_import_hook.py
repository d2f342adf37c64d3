"""The quick answer to PySide's per-import question is the answer PySide itself gives."""

from __future__ import annotations

import sys
import types

import pytest

import duty_tracker.ui  # noqa: F401 - puts the quick reading in place
from duty_tracker.ui import pyside_import_hook


@pytest.fixture
def feature():  # noqa: ANN201
    module = sys.modules.get("shibokensupport.feature")
    if module is None or not hasattr(module, "_mod_uses_pyside"):
        pytest.skip("this PySide has no __feature__ import hook")
    return module


def test_the_quick_reading_is_in_place(feature) -> None:  # noqa: ANN001
    assert getattr(feature._mod_uses_pyside, "quick_reading", False)  # noqa: SLF001
    assert pyside_import_hook.quicken() is True  # once is enough: not wrapped twice


def test_it_answers_as_pyside_reads_the_source(feature, tmp_path) -> None:  # noqa: ANN001
    import inspect

    import duty_tracker.core.domain as core_module
    import duty_tracker.ui.look as ui_module

    for module in (core_module, ui_module, inspect, pytest):
        expected = "PySide6" in inspect.getsource(module)
        assert feature._mod_uses_pyside(module) is expected, module.__name__  # noqa: SLF001
    gone = types.ModuleType("gone")
    gone.__file__ = str(tmp_path / "gone.py")  # a file that is not there: PySide says False
    assert feature._mod_uses_pyside(gone) is False  # noqa: SLF001
    assert feature._mod_uses_pyside(sys) is False  # a built-in module  # noqa: SLF001
