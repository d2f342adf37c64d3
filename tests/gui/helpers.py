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
