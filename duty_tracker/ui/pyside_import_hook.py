"""PySide6 looks at every module imported after it: for its ``from __feature__ import`` switches
it reads each module's whole source through ``inspect.getsource`` (linecache, tokenizer) and
records whether the text mentions "PySide6". The window's start imports some 120 modules after
Qt, and that reading cost ~20 ms of it. The same answer comes from reading the file's bytes.

Only the file reading is replaced; where PySide's internals differ from what this expects
(another PySide release) nothing is changed."""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - installs the import hook this quickens

#: What PySide looks for in a module's text (``shibokensupport.feature._mod_uses_pyside``).
MARKER = b"PySide6"


def quicken() -> bool:
    """Replace PySide's source reading with a plain read of the module's file; True when the
    quick reading is (now) in place."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None:
        return False
    if getattr(original, "quick_reading", False):
        return True

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return MARKER in source.read()
            except OSError:  # what inspect.getsource meets too: PySide then says False
                return False
        return original(module)

    mod_uses_pyside.quick_reading = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mod_uses_pyside  # noqa: SLF001 - PySide's own hook
    return True
