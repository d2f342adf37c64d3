"""Small helpers shared by the GUI tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


class Answers:
    """Replaces QMessageBox.question/warning/information: records the calls, answers as told."""

    def __init__(self, monkeypatch, answer=QMessageBox.StandardButton.Yes) -> None:  # noqa: ANN001
        self.answer = answer
        self.questions: list[str] = []
        self.warnings: list[str] = []
        monkeypatch.setattr(QMessageBox, "question", self._question)
        monkeypatch.setattr(QMessageBox, "warning", self._warning)
        monkeypatch.setattr(QMessageBox, "information", self._warning)

    def _question(self, _parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN202
        self.questions.append(f"{title}：{text}")
        return self.answer

    def _warning(self, _parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN202
        self.warnings.append(f"{title}：{text}")
        return QMessageBox.StandardButton.Ok


def duty_id(store, title: str, year: int = 2025) -> int:  # noqa: ANN001
    return next(d["id"] for d in store.rules.duties_for_year(year) if d["title"] == title)


def double_click(widget, pos) -> None:  # noqa: ANN001
    """A real double-click as a window system delivers it (press, release, double-click,
    release); QTest.mouseDClick on the offscreen platform loses the double-click event."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    point = QPointF(pos)
    left = Qt.MouseButton.LeftButton
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                 QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease):
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else left
        QApplication.sendEvent(widget, QMouseEvent(kind, point, widget.mapToGlobal(point), left, held,
                                                   Qt.KeyboardModifier.NoModifier))
