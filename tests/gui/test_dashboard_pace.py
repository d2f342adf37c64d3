"""Pace on the dashboard: a quota slipping long before its last 30 days — 4 常务会议学法 a year
with 1 done by November — is marked 进度落后 in the grid, on the leader's row and in the
reminders (with how many an even pace would have by now), without changing any status; and the
work-point tasks due soon or overdue join the reminders."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from duty_tracker.core.domain import Status
from duty_tracker.core.services import workpoints as wp
from duty_tracker.ui.models.status_table_model import PERIOD_ROLE
from duty_tracker.ui.pages.dashboard_page import DashboardPage
from duty_tracker.ui.widgets.status_style import pace_colour, status_colour
from tests.gui.helpers import duty_id

STUDY = "政府常务会议集体学法"


def _head_with_one_study(ctx):  # noqa: ANN001, ANN202
    unit = ctx.store.people.add_unit("萧山区", "区县")
    leader = ctx.store.people.add_leader("李志强", unit, "government", "区长", term_start="2020-01-01")
    study = duty_id(ctx.store, STUDY)
    ctx.store.records.add_record(performed_on="2025-03-02", title="常务会议学习民法典", kind="学法",
                                 leader_ids=[leader], duty_ids=[study])
    return unit, leader, study


def test_a_quota_slipping_is_marked_in_the_grid_without_changing_its_status(ctx, qtbot) -> None:
    _unit, leader, study = _head_with_one_study(ctx)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.select_leader(leader)
    cell = page.grid_model.cell_of(study)
    period = cell.data(PERIOD_ROLE)
    assert period.status is Status.IN_PROGRESS and period.behind
    assert cell.data() == f"1/{period.required} 进行中 进度落后"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) == status_colour(Status.IN_PROGRESS)
    assert cell.data(Qt.ItemDataRole.ForegroundRole) == pace_colour()
    assert cell.data(Qt.ItemDataRole.FontRole).bold()
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert f"进度落后：应完成约{period.expected_by_now}次，已完成1次" in tip
    year_cell = page.grid_model.index(cell.row(), page.grid_model.year_column())
    assert year_cell.data() == "进行中"  # the five statuses are untouched
    # a duty done in full is never behind
    half = page.grid_model.cell_of(duty_id(ctx.store, "政府常务会议听取法治政府建设情况汇报"), "上半年")
    assert "进度落后" not in half.data()


def test_the_leader_row_counts_the_duties_behind(ctx, qtbot) -> None:
    _unit, leader, study = _head_with_one_study(ctx)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    model = page.summary_model
    column = model.COLUMNS.index("进度落后")
    row = model.row_of(leader)
    entry = model.row_at(row)
    assert entry.behind >= 1
    index = model.index(row, column)
    assert index.data() == f"{entry.behind}项"
    assert f"{STUDY}（全年）：应完成约" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, 7).data() == entry.status.value  # 状态 unchanged


def test_reminders_list_the_pace_after_the_statuses(ctx, qtbot) -> None:
    _unit, leader, study = _head_with_one_study(ctx)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    model = page.reminder_model
    texts = [model.row_texts(r) for r in range(model.rowCount())]
    states = [t[0] for t in texts]
    assert "进度落后" in states and "未达标" in states
    assert states.index("进度落后") > max(i for i, s in enumerate(states) if s == "未达标")
    row = next(r for r, t in enumerate(texts) if t[0] == "进度落后" and t[3] == STUDY)
    assert texts[row][5].startswith("1/")
    tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("状态：进行中。进度落后：应完成约") and "已完成1次" in tip
    assert "进度落后 " in page.reminder_title.text() and "项" in page.reminder_title.text()
    dialog = page.after_window_shown()
    assert dialog is not None and "项进度落后" in dialog.heading.text()
    assert not dialog.tasks.isVisibleTo(dialog)  # no work points in this ledger
    dialog.close()


TASKS = """某区2025年法治政府建设工作要点

一、深化改革
（一）完成行政复议体制改革。10月底前完成。（责任单位：萧山区）
（二）推行行政执法公示制度。12月10日前完成。（责任单位：萧山区）
（三）建立政府法律顾问队伍。2026年底前完成。（责任单位：萧山区）
"""


def test_work_point_tasks_due_soon_or_overdue_join_the_reminders(ctx, qtbot) -> None:
    _unit, _leader, _study = _head_with_one_study(ctx)
    preview = wp.preview_import(ctx.store, text=TASKS)
    wp.import_workpoints(ctx.store, preview)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(page.task_note.isVisible)  # filled once the page is on screen
    assert page.task_note.text().startswith("工作要点任务：逾期 1 项、临期 1 项　")
    assert "<a href" in page.task_note.text()  # 查看 leads to the page
    assert "完成行政复议体制改革" in page.task_note.toolTip()
    dialog = page.after_window_shown()
    assert dialog is not None and dialog.tasks.isVisibleTo(dialog)
    messages = [dialog.tasks.item(i).text() for i in range(dialog.tasks.count())]
    assert len(messages) == 2 and messages[0].startswith("【逾期")
    assert "推行行政执法公示制度" in messages[1]
    dialog.close()


def test_a_reminded_task_opens_on_the_work_points_page(ctx, qtbot) -> None:
    from duty_tracker.ui.main_window import MainWindow

    _head_with_one_study(ctx)
    wp.import_workpoints(ctx.store, wp.preview_import(ctx.store, text=TASKS))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    dashboard = window.go_to("DashboardPage")
    dashboard.task_note.linkActivated.emit("tasks")
    assert window.stack.currentWidget().layout().itemAt(0).widget() is window.page_by_class("WorkpointsPage")
    page = window.page_by_class("WorkpointsPage")
    assert page.current_view() is not None
    assert page.current_view().id == dashboard.task_reminders[0].task_id
    dialog = window.go_to("DashboardPage").after_window_shown()
    other = dialog.tasks.item(1)
    dialog.tasks.itemDoubleClicked.emit(other)
    assert page.current_view().id == dashboard.task_reminders[1].task_id
    dialog.close()


def test_last_years_annual_reports_not_submitted_are_reminded_and_open(ctx, qtbot) -> None:
    from duty_tracker.ui.main_window import MainWindow

    unit, _leader, _study = _head_with_one_study(ctx)  # a 区县 reports to the city each year
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    dashboard = window.go_to("DashboardPage")
    window.show()
    qtbot.waitUntil(lambda: dashboard.report_note.isVisibleTo(dashboard))
    assert dashboard.report_note.text().startswith("2024年度法治政府建设年度报告：逾期 1 个单位未报送")
    assert "萧山区" in dashboard.report_note.toolTip()
    dialog = dashboard.after_window_shown()
    assert dialog.reports.count() == 1 and dialog.reports.item(0).text().startswith("【逾期")
    dialog.reports.itemDoubleClicked.emit(dialog.reports.item(0))
    annual = window.page_by_class("AnnualPage")
    assert annual.year == 2024 and annual.current_unit_id() == unit
    dialog.close()
    # once submitted, the reminder goes
    from duty_tracker.core.services.reporting import mark_annual_report_submitted

    mark_annual_report_submitted(ctx.store, unit, 2024, date(2025, 2, 20))
    dashboard.reload()
    assert not dashboard.report_note.isVisibleTo(dashboard)


def test_with_only_a_report_due_the_reminder_window_shows_no_empty_table(ctx, qtbot) -> None:
    ctx.store.people.add_unit("萧山区", "区县")  # no leaders yet: no duty to remind of
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.report_note.isVisibleTo(page))
    assert page.report_note.text().startswith("2024年度法治政府建设年度报告：逾期 1 个单位未报送")
    dialog = page.after_window_shown()
    assert dialog is not None and not dialog.table.isVisibleTo(dialog)
    assert "没有需要提醒的" in dialog.heading.text() and dialog.reports.count() == 1
    dialog.close()


def test_the_notes_wait_for_the_first_paint_and_follow_the_filters(ctx, qtbot, monkeypatch) -> None:
    """The task and report notes come from heavy services: none is asked before the page is
    painted; once painted, a change of unit asks again at once."""
    import duty_tracker.core.services.workpoints as services

    calls: list[int | None] = []
    real = services.task_reminders

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(kwargs.get("unit_id"))
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "task_reminders", counting)
    unit, _leader, _study = _head_with_one_study(ctx)
    wp.import_workpoints(ctx.store, wp.preview_import(ctx.store, text=TASKS))
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    assert calls == [] and not page.task_note.isVisibleTo(page)
    page.show()
    qtbot.waitUntil(lambda: calls == [None])
    assert page.task_note.isVisible()
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(unit))
    assert calls == [None, unit]
