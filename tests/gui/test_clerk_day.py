"""A clerk's day, end to end: a new unit and party head, two 学法 sessions recorded through the
form, and the dashboard cell of 党委理论学习中心组学法 (2 a year) turning 达标."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from duty_tracker.core.domain import Status
from duty_tracker.ui.main_window import MainWindow
from tests.gui.helpers import Answers, duty_id

STUDY = "党委理论学习中心组学法"


def _cell(dashboard, duty):  # noqa: ANN001, ANN202
    index = dashboard.grid_model.cell_of(duty)
    return dashboard.grid_model.period_at(index), index.data()


def test_two_study_sessions_make_the_duty_done(ctx, qtbot, monkeypatch):
    answers = Answers(monkeypatch)
    unit = ctx.store.people.add_unit("余杭区", "区县")
    leader = ctx.store.people.add_leader("王建国", unit, "party", "区委书记", term_start="2021-03-01")
    duty = duty_id(ctx.store, STUDY)

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    dashboard = window.page_by_class("DashboardPage")
    dashboard.warn_days.setValue(45)  # year ends in 41 days: 预警
    dashboard.select_leader(leader)
    period, text = _cell(dashboard, duty)
    assert period.status is Status.WARNING and period.done == 0
    assert text == "0/2 预警"

    records = window.go_to("RecordsPage")
    for day, law in ((date(2025, 3, 12), "宪法"), (date(2025, 9, 8), "民法典")):
        dialog = records.new_record()
        qtbot.waitUntil(dialog.isVisible)
        dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
        dialog.title_edit.setText(f"中心组专题学习《{law}》")
        dialog.kind_combo.setCurrentText("学法")
        dialog.leaders.set_item_checked(leader)
        dialog.duties.set_item_checked(duty)
        dialog.place_edit.setText("区委第一会议室")
        with qtbot.waitSignal(dialog.saved):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()

    assert answers.warnings == [] and answers.questions == []
    window.go_to("DashboardPage")
    qtbot.waitUntil(lambda: _cell(dashboard, duty)[0].done == 2)
    period, text = _cell(dashboard, duty)
    assert period.status is Status.DONE
    assert text == "2/2 达标"
    row = dashboard.summary_model.row_of(leader)
    assert dashboard.summary_model.row_at(row).done >= 1
    # the records page lists exactly the two sessions
    records.show_records(leader_id=leader)
    assert records.model.total == 2
    assert {records.model.row_dict(r)["kind"] for r in range(2)} == {"学法"}
