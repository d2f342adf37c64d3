"""负责人与单位 page: units, leaders with terms, handover — through the real dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def page(ctx, qtbot):
    from duty_tracker.ui.pages.people_page import PeoplePage

    widget = PeoplePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def test_add_unit_then_leader_with_term_through_dialogs(page, ctx) -> None:
    page.add_unit()
    dialog = page.dialog
    dialog.name_edit.setText("杭州市西湖区")
    dialog.level_combo.setCurrentText("区县")
    dialog.ok_button.click()
    [unit] = ctx.store.people.units()
    assert (unit["name"], unit["level"]) == ("杭州市西湖区", "区县")
    assert page.current_unit_id() == unit["id"]

    page.add_leader()
    dialog = page.dialog
    assert dialog.unit_combo.currentData() == unit["id"]
    dialog.name_edit.setText("王明")
    dialog.position_edit.setText("区委书记")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("party"))
    dialog.add_term()
    term_dialog = dialog.term_dialog
    term_dialog.start_edit.setDate(QDate(2021, 3, 1))
    assert term_dialog.open_check.isChecked()
    term_dialog.ok_button.click()
    assert dialog.terms_model.rowCount() == 1
    dialog.ok_button.click()

    [leader] = ctx.store.people.leaders(unit["id"])
    assert (leader["name"], leader["position"], leader["role"]) == ("王明", "区委书记", "party")
    assert [(t["start_date"], t["end_date"]) for t in leader["terms"]] == [("2021-03-01", None)]
    assert page.leader_model.rowCount() == 1
    assert page.leader_model.index(0, 4).data() == "在任"
    assert page.current_leader_id() == leader["id"]


def test_child_unit_goes_under_its_parent(page, ctx) -> None:
    city = ctx.store.people.add_unit("杭州市", "市")
    page.reload()
    page.select_unit(city)
    page.add_unit(child=True)
    dialog = page.dialog
    assert dialog.parent_combo.currentData() == city
    assert dialog.level_combo.currentText() == "区县"
    dialog.name_edit.setText("上城区")
    dialog.ok_button.click()
    child = next(u for u in ctx.store.people.units() if u["name"] == "上城区")
    assert child["parent_id"] == city
    assert page.unit_model.item(0, 0).child(0, 0).text() == "上城区"


def test_overlapping_terms_are_refused_with_the_repository_message(page, ctx) -> None:
    unit = ctx.store.people.add_unit("西湖区", "区县")
    leader_id = ctx.store.people.add_leader("王明", unit, "party", "区委书记", term_start="2020-01-01")
    page.reload()
    page.select_leader(leader_id)
    page.edit_leader()
    dialog = page.dialog
    dialog.add_term()
    dialog.term_dialog.start_edit.setDate(QDate(2022, 1, 1))
    dialog.term_dialog.ok_button.click()
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "重叠" in dialog.error_label.text()
    assert len(ctx.store.people.terms(leader_id)) == 1


def test_handover_mid_year_to_a_new_leader(page, ctx) -> None:
    unit = ctx.store.people.add_unit("西湖区", "区县")
    old = ctx.store.people.add_leader("王明", unit, "government", "区长", term_start="2021-01-01")
    page.reload()
    assert page.select_leader(old)
    assert page.handover_button.isEnabled()
    page.handover()
    dialog = page.dialog
    assert dialog.new_radio.isChecked()  # nobody else in that role yet
    dialog.name_edit.setText("李华")
    dialog.date_edit.setDate(QDate(2025, 7, 1))
    assert "2025-06-30" in dialog.effect_label.text()
    dialog.ok_button.click()

    assert [(t["start_date"], t["end_date"]) for t in ctx.store.people.terms(old)] == [
        ("2021-01-01", "2025-06-30")]
    new = next(leader for leader in ctx.store.people.leaders(unit) if leader["name"] == "李华")
    assert (new["role"], new["position"]) == ("government", "区长")
    assert [(t["start_date"], t["end_date"]) for t in new["terms"]] == [("2025-07-01", None)]
    assert page.current_leader_id() == new["id"]


def test_handover_to_an_existing_leader(page, ctx) -> None:
    unit = ctx.store.people.add_unit("西湖区", "区县")
    old = ctx.store.people.add_leader("王明", unit, "party", "区委书记", term_start="2021-01-01")
    successor = ctx.store.people.add_leader("赵强", unit, "party", "区委书记")
    page.reload()
    page.select_leader(old)
    page.handover()
    dialog = page.dialog
    assert dialog.existing_radio.isChecked()
    assert dialog.successor_combo.currentData() == successor
    dialog.date_edit.setDate(QDate(2025, 4, 15))
    dialog.ok_button.click()
    assert ctx.store.people.terms(old)[0]["end_date"] == "2025-04-14"
    assert ctx.store.people.terms(successor)[0]["start_date"] == "2025-04-15"


def test_deleting_a_unit_with_leaders_is_refused_with_a_message(page, ctx, monkeypatch) -> None:
    unit = ctx.store.people.add_unit("西湖区", "区县")
    ctx.store.people.add_leader("王明", unit, "party")
    page.reload()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    page.delete_unit()
    assert warnings and "负责人" in warnings[0]
    assert len(ctx.store.people.units()) == 1


def test_page_lists_demo_units_and_filters(demo_ctx, qtbot) -> None:
    from duty_tracker.ui.pages.people_page import PeoplePage

    page = PeoplePage(demo_ctx)
    qtbot.addWidget(page)
    units = demo_ctx.store.people.units()
    assert page.unit_proxy.rowCount() >= 1
    target = units[-1]["name"]
    page.unit_filter.setText(target)
    assert page.unit_proxy.match(page.unit_proxy.index(0, 0), Qt.ItemDataRole.DisplayRole, target, 1,
                                 Qt.MatchFlag.MatchRecursive)
    others = [u["name"] for u in units if target not in u["name"]]
    assert others and not page.unit_proxy.match(page.unit_proxy.index(0, 0), Qt.ItemDataRole.DisplayRole,
                                                others[-1], 1, Qt.MatchFlag.MatchRecursive)


def test_a_new_leader_gets_his_term_and_category_in_one_dialog(page, ctx) -> None:
    notes: list[str] = []
    ctx.events.status.connect(notes.append)
    unit = ctx.store.people.add_unit("萧山区", "区县")
    page.reload()
    page.select_unit(unit)
    page.add_leader()
    dialog = page.dialog
    assert dialog.first_term.isVisibleTo(dialog) and not dialog.terms_table.isVisibleTo(dialog)
    dialog.name_edit.setText("李志强")
    dialog.position_edit.setText("区委副书记、区长")
    dialog.position_edit.textEdited.emit("区委副书记、区长")
    assert dialog.role_combo.currentData() == "government"  # 区长 → 政府主要负责人
    dialog.start_edit.edit.setText("2023年7月1日")
    dialog.ok_button.click()
    assert dialog.term_dialog is None and not dialog.isVisible()
    [leader] = ctx.store.people.leaders(unit)
    assert leader["role"] == "government"
    assert notes == ["已新增负责人“李志强”"]
    assert [(t["start_date"], t["end_date"]) for t in leader["terms"]] == [("2023-07-01", None)]


def test_a_chosen_category_is_not_overridden_by_the_post(page, ctx) -> None:
    unit = ctx.store.people.add_unit("萧山区", "区县")
    page.reload()
    page.select_unit(unit)
    page.add_leader()
    dialog = page.dialog
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("other"))
    dialog.role_combo.activated.emit(dialog.role_combo.currentIndex())
    dialog.position_edit.textEdited.emit("区长")
    assert dialog.role_combo.currentData() == "other"
    dialog.reject()
