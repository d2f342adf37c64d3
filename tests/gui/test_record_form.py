"""The record form as a clerk fills it: dates typed in any spelling, lists that do not move under
the mouse, several cited articles pre-filled from the duties, every invalid field at once."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from duty_tracker.ui.dialogs.record_dialog import RecordDialog
from duty_tracker.ui.widgets.date_range import DateField, read_typed_date
from tests.gui.helpers import Answers, duty_id


@pytest.fixture
def heads(ctx):
    unit = ctx.store.people.add_unit("滨江区", "区县")
    party = ctx.store.people.add_leader("赵宇", unit, "party", "区委书记", term_start="2020-01-01")
    government = ctx.store.people.add_leader("钱镕", unit, "government", "区长", term_start="2020-01-01")
    return party, government


@pytest.fixture
def dialog(ctx, heads, qtbot):
    form = RecordDialog(ctx)  # not qtbot.addWidget: its closing would ask about unsaved input
    form.show()
    qtbot.waitExposed(form)
    yield form
    form._initial = form.values()
    form.reject()
    form.deleteLater()


@pytest.mark.parametrize("typed", ["20260320", "2026-3-20", "2026年3月20日", "２０２６／３／２０", "2026.03.20"])
def test_a_date_is_taken_as_typed(qtbot, typed: str) -> None:
    field = DateField(day=date(2025, 11, 20))
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.dateChanged):
        field.edit.setText(typed)
        field.commit()
    assert field.date() == QDate(2026, 3, 20) and field.text() == "2026-03-20"


def test_a_date_typed_where_the_cursor_is_counts(qtbot) -> None:
    field = DateField(day=date(2025, 11, 20))
    qtbot.addWidget(field)
    field.show()
    field.edit.setFocus()
    field.edit.setCursorPosition(5)  # between "2025-" and "11-20"
    qtbot.keyClicks(field.edit, "20260320")
    assert field.edit.text() == "2025-2026032011-20"
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == QDate(2026, 3, 20)
    # typed before the day, where the old text and the typed one begin alike
    assert read_typed_date("2025-11-2026032020", "2025-11-20", typed="20260320") == date(2026, 3, 20)


def test_a_text_that_is_no_date_stays_marked(qtbot) -> None:
    field = DateField(day=date(2025, 11, 20))
    qtbot.addWidget(field)
    field.edit.setText("明天")
    field.commit()
    assert field.text() == "明天" and field.edit.property("invalid") and not field.is_valid()
    assert field.date() == QDate(2025, 11, 20)


def test_ticking_a_leader_never_moves_the_duty_list(dialog, heads) -> None:
    _party, government = heads
    rows_before = [dialog.duties.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(dialog.duties.list.count())]
    dialog.leaders.set_item_checked(government)
    rows_after = [dialog.duties.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(dialog.duties.list.count())]
    assert rows_after == rows_before  # same duties in the same rows: the next click hits what it aimed at
    party_duty = duty_id(dialog.store, "党委理论学习中心组学法")
    row = rows_after.index(party_duty)
    item = dialog.duties.list.item(row)
    assert not item.isHidden() and item.text().endswith("（不适用于所选负责人）")
    assert party_duty not in dialog.duties.offered_ids()


def test_chosen_duties_pre_fill_several_cited_articles(dialog, heads, ctx) -> None:
    party, _government = heads
    dialog.leaders.set_item_checked(party)
    first = duty_id(ctx.store, "党委理论学习中心组学法")
    second = next(d for d in ctx.store.rules.duties_for_year(2025)
                  if d["article_id"] not in (None, ctx.store.rules.duty(first)["article_id"]))
    dialog.duties.set_item_checked(first)
    dialog.duties.set_item_checked(second["id"])
    cited = {ctx.store.rules.duty(first)["article_id"], second["article_id"]}
    assert set(dialog.articles.checked_ids()) == cited
    other = next(i for i in dialog.articles.offered_ids() if i not in cited)
    dialog.articles.set_item_checked(other)  # one the clerk adds himself
    dialog.duties.set_item_checked(second["id"], False)
    assert set(dialog.articles.checked_ids()) == {ctx.store.rules.duty(first)["article_id"], other}
    dialog.title_edit.setText("中心组专题学法")
    assert dialog.save()
    record = ctx.store.records.record(dialog.record_id)
    assert set(record["article_ids"]) == {ctx.store.rules.duty(first)["article_id"], other}


def test_every_invalid_field_is_marked_at_once(dialog, monkeypatch) -> None:
    answers = Answers(monkeypatch)
    dialog.date_edit.edit.setText("2025年13月40日")
    assert not dialog.save()
    assert answers.warnings == [] and answers.questions == []
    for widget in (dialog.date_edit.edit, dialog.title_edit, dialog.leaders.list):
        assert widget.property("invalid"), widget
    text = dialog.problems_label.text()
    assert "履职日期" in text and "标题" in text and "负责人" in text
    dialog.title_edit.setText("补上标题")
    dialog.title_edit.textEdited.emit("补上标题")
    assert not dialog.title_edit.property("invalid")
