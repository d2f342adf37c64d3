"""Qt's item roles as plain ints, for the models' ``data``.

A role arrives from Qt as an int, and ``role == Qt.ItemDataRole.DisplayRole`` looks the enum
member up on every comparison (about 0.25 µs, seven times an int comparison). A painted cell is
asked some seven roles and each answer walks a few comparisons: at the window's first paint the
lookups alone took milliseconds."""

from __future__ import annotations

from PySide6.QtCore import Qt

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FONT = int(Qt.ItemDataRole.FontRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
CHECK_STATE = int(Qt.ItemDataRole.CheckStateRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
EDIT = int(Qt.ItemDataRole.EditRole)
USER = int(Qt.ItemDataRole.UserRole)
#: A header's orientation (compared by identity; looked up once here, not on every call).
HORIZONTAL = Qt.Orientation.Horizontal
