"""新增/修改负责人: name, unit, position, role and the terms of office (任职起止日期).

Terms are edited in a table here and written together with the leader in one transaction
(``PeopleRepo.save_leader``); an overlap is refused by the repository and its Chinese message
is shown while the dialog stays open."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from duty_tracker.core.domain import LEADER_ROLES, guess_leader_role
from duty_tracker.core.storage.errors import ValidationError
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.dialogs.form_dialog import FormDialog
from duty_tracker.ui.models.people_models import TermTableModel
from duty_tracker.ui.widgets.date_range import DateField

DATE_FORMAT = "yyyy-MM-dd"


def make_date_edit(day: date) -> DateField:
    """A date field that takes the date as typed (20210301, 2021-3-1, 2021年3月1日)."""
    return DateField(day=day)


def to_date(edit: DateField) -> date:
    qd = edit.date()
    return date(qd.year(), qd.month(), qd.day())


class TermDialog(FormDialog):
    """One term: start date, and an end date unless still in office."""

    def __init__(self, today: date, term: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__("修改任期" if term else "新增任期", parent)
        start = date.fromisoformat(term["start_date"]) if term else today
        end = date.fromisoformat(term["end_date"]) if term and term["end_date"] else None
        self.start_edit = make_date_edit(start)
        self.end_edit = make_date_edit(end or today)
        self.open_check = QCheckBox("仍在任（无结束日期）")
        self.open_check.toggled.connect(lambda on: self.end_edit.setEnabled(not on))
        self.open_check.setChecked(end is None)
        self.form.addRow("任职开始(&S)：", self.start_edit)
        self.form.addRow("任职结束(&E)：", self.end_edit)
        self.form.addRow("", self.open_check)
        self.result_term: dict[str, Any] | None = None

    def save(self) -> None:
        start = to_date(self.start_edit)
        end = None if self.open_check.isChecked() else to_date(self.end_edit)
        if end is not None and end < start:
            raise ValidationError("任职结束日期不能早于开始日期。")
        self.result_term = {"start_date": start.isoformat(), "end_date": end.isoformat() if end else None}


class LeaderDialog(FormDialog):
    """A new leader's term is typed here, in the dialog itself (start date, 仍在任 or an end
    date); "另有多段任期…" and editing a leader show the table of all terms instead. 类别 follows
    what 职务 says (区长 → 政府主要负责人) until the clerk chooses it himself."""

    def __init__(self, ctx: AppContext, leader: dict[str, Any] | None = None,
                 unit_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("修改负责人" if leader else "新增负责人", parent)
        self.ctx = ctx
        self.leader_id: int | None = leader["id"] if leader else None
        self._role_chosen = leader is not None  # a stored role is the clerk's choice
        self._build_fields(leader, unit_id)
        terms = leader["terms"] if leader and "terms" in leader else (
            ctx.store.people.terms(leader["id"]) if leader else [])
        self.body.addWidget(self._build_terms([dict(t) for t in terms]))
        self.no_term_hint = look.warning_label("尚未填写任期：没有任期的负责人不计入任何年度的履职统计和述职报告。")
        self.body.addWidget(self.no_term_hint)
        self._show_terms()
        self.setMinimumWidth(560)
        self.term_dialog: TermDialog | None = None

    def _build_fields(self, leader: dict[str, Any] | None, unit_id: int | None) -> None:
        self.name_edit = QLineEdit(leader["name"] if leader else "")
        self.name_edit.setPlaceholderText("姓名")
        self.position_edit = QLineEdit(leader.get("position", "") if leader else "")
        self.position_edit.setPlaceholderText("如：区委书记、区长、局长")
        self.unit_combo = QComboBox()
        for unit in self.ctx.store.people.units():
            self.unit_combo.addItem(f"{unit['name']}（{unit['level']}）", unit["id"])
        wanted = leader["unit_id"] if leader else unit_id
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(wanted), 0))
        self.role_combo = QComboBox()
        for role in LEADER_ROLES:
            self.role_combo.addItem(role.label, role.value)
        if leader:
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(leader["role"]), 0))
        self.role_combo.activated.connect(lambda _i: setattr(self, "_role_chosen", True))
        self.position_edit.textEdited.connect(self._guess_role)
        self.form.addRow("姓名(&N)：", self.name_edit)
        self.form.addRow("所在单位(&U)：", self.unit_combo)
        self.form.addRow("职务(&P)：", self.position_edit)
        self.form.addRow("负责人类别(&R)：", self.role_combo)

    def _guess_role(self, position: str) -> None:
        """类别 from 职务, while the clerk has not chosen it himself."""
        role = guess_leader_role(position)
        if role is not None and not self._role_chosen:
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(role.value), 0))

    def _build_terms(self, terms: list[dict[str, Any]]) -> QGroupBox:
        box = QGroupBox("任职起止日期")
        outer = QVBoxLayout(box)
        today = self.ctx.today()
        self.first_term = QWidget()
        row = QHBoxLayout(self.first_term)
        row.setContentsMargins(0, 0, 0, 0)
        self.start_edit = make_date_edit(today)
        self.end_edit = make_date_edit(today)
        self.open_check = QCheckBox("仍在任")
        self.open_check.setChecked(True)
        self.open_check.toggled.connect(lambda on: self.end_edit.setEnabled(not on))
        self.end_edit.setEnabled(False)
        self.more_terms_button = QPushButton("另有多段任期…")
        self.more_terms_button.setToolTip("同一负责人先后有几段任期时，逐段填写")
        self.more_terms_button.clicked.connect(self.add_term)
        for widget in (QLabel("任职开始(&S)："), self.start_edit, self.open_check, QLabel("任职结束："),
                       self.end_edit):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.more_terms_button)
        row.itemAt(0).widget().setBuddy(self.start_edit)
        outer.addWidget(self.first_term)

        self.terms_table = QWidget()
        box_layout = QHBoxLayout(self.terms_table)
        box_layout.setContentsMargins(0, 0, 0, 0)
        self.terms_model = TermTableModel(self)
        self.terms_model.set_rows(terms)
        self.terms_view = look.table(self.terms_model)
        self.terms_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.terms_view.setMinimumHeight(120)
        self.terms_view.doubleClicked.connect(lambda _i: self.edit_term())
        box_layout.addWidget(self.terms_view, 1)
        buttons = QVBoxLayout()
        self.add_term_button = QPushButton("添加任期…")
        self.edit_term_button = QPushButton("修改任期…")
        self.remove_term_button = QPushButton("删除任期")
        self.add_term_button.clicked.connect(self.add_term)
        self.edit_term_button.clicked.connect(self.edit_term)
        self.remove_term_button.clicked.connect(self.remove_term)
        for button in (self.add_term_button, self.edit_term_button, self.remove_term_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box_layout.addLayout(buttons)
        outer.addWidget(self.terms_table)
        return box

    def _uses_first_term(self) -> bool:
        """A new leader without a table of terms: the term typed in the dialog counts."""
        return self.leader_id is None and self.terms_model.rowCount() == 0

    def _show_terms(self) -> None:
        inline = self._uses_first_term()
        self.first_term.setVisible(inline)
        self.terms_table.setVisible(not inline)
        self.no_term_hint.setVisible(not inline and self.terms_model.rowCount() == 0)

    def first_term_value(self) -> dict[str, Any]:
        start = to_date(self.start_edit)
        end = None if self.open_check.isChecked() else to_date(self.end_edit)
        if end is not None and end < start:
            raise ValidationError("任职结束日期不能早于开始日期。")
        return {"id": None, "start_date": start.isoformat(), "end_date": end.isoformat() if end else None}

    # -- terms -----------------------------------------------------------------------------
    def _selected_term_row(self) -> int:
        rows = self.terms_view.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return self.terms_model.rowCount() - 1 if self.terms_model.rowCount() == 1 else -1

    def _open_term_dialog(self, term: dict[str, Any] | None, on_ok) -> None:  # noqa: ANN001
        if term is None and self._uses_first_term():  # start from what is typed in the dialog
            start = to_date(self.start_edit).isoformat()
            end = None if self.open_check.isChecked() else to_date(self.end_edit).isoformat()
            term = {"start_date": start, "end_date": end if end and end >= start else None}
            dialog = TermDialog(self.ctx.today(), term, self)
            dialog.setWindowTitle("新增任期")
        else:
            dialog = TermDialog(self.ctx.today(), term, self)
        self.term_dialog = dialog
        dialog.accepted.connect(lambda: on_ok(dialog.result_term))
        dialog.open()

    def add_term(self) -> None:
        def done(result: dict[str, Any]) -> None:
            rows = self.terms_model.rows() + [{"id": None, **result}]
            self._set_terms(rows)
        self._open_term_dialog(None, done)

    def edit_term(self) -> None:
        row = self._selected_term_row()
        if row < 0:
            return
        term = self.terms_model.row_at(row)

        def done(result: dict[str, Any]) -> None:
            rows = self.terms_model.rows()
            rows[row] = {**term, **result}
            self._set_terms(rows)
        self._open_term_dialog(term, done)

    def remove_term(self) -> None:
        row = self._selected_term_row()
        if row < 0:
            return
        rows = self.terms_model.rows()
        del rows[row]
        self._set_terms(rows)

    def _set_terms(self, rows: list[dict[str, Any]]) -> None:
        self.terms_model.set_rows(sorted(rows, key=lambda t: t["start_date"]))
        self._show_terms()
        self.show_error("")

    def terms(self) -> list[dict[str, Any]]:
        """The terms to store: the table's, or for a new leader the one typed in the dialog."""
        return [self.first_term_value()] if self._uses_first_term() else self.terms_model.rows()

    # -- save ------------------------------------------------------------------------------
    def save(self) -> None:
        if self.unit_combo.currentData() is None:
            raise ValidationError("请先新增单位，再添加负责人。")
        self.leader_id = self.ctx.store.people.save_leader(
            self.leader_id,
            name=self.name_edit.text(),
            unit_id=self.unit_combo.currentData(),
            role=self.role_combo.currentData(),
            position=self.position_edit.text(),
            terms=[(t.get("id"), t["start_date"], t["end_date"]) for t in self.terms()],
        )
