"""Qt Widgets layer: models, views and dialogs over the core. Holds no SQL and no business rules.

Importing it first makes PySide's per-import check cheap (``pyside_import_hook``): every module
of this layer and the core it loads is imported after Qt."""

from duty_tracker.ui import pyside_import_hook as _pyside_import_hook

_pyside_import_hook.quicken()
