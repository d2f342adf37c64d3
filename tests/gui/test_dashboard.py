"""The dashboard: per-leader summary, duties × periods grid, reminders, start-up reminder."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from duty_tracker.core.domain import Status, tenure_text
from duty_tracker.core.status import year_status
from duty_tracker.ui.models.status_table_model import PERIOD_ROLE
from duty_tracker.ui.pages.dashboard_page import DashboardPage
from duty_tracker.ui.widgets.status_style import status_colour
from tests.gui.conftest import TODAY
from tests.gui.helpers import duty_id


def _government_head(ctx, name="李志强", start="2020-01-01"):  # noqa: ANN001, ANN202
    unit = ctx.store.people.add_unit("萧山区", "区县")
    return unit, ctx.store.people.add_leader(name, unit, "government", "区长", term_start=start)


def test_summary_matches_year_status(demo_ctx, qtbot):
    page = DashboardPage(demo_ctx)
    qtbot.addWidget(page)
    status = year_status(demo_ctx.store, TODAY.year, today=TODAY)
    assert page.year_selector.year() == TODAY.year
    assert page.summary_model.rowCount() == len(status.leaders)
    failed = {p.leader_id for p in status.periods if p.status is Status.FAILED}
    for row in range(page.summary_model.rowCount()):
        entry = page.summary_model.row_at(row)
        assert (entry.failed > 0) == (entry.leader_id in failed)
        assert entry.done <= entry.required


def test_grid_cells_carry_status_colour_and_spans(ctx, qtbot):
    _unit, leader = _government_head(ctx)
    half = duty_id(ctx.store, "政府常务会议听取法治政府建设情况汇报")
    ctx.store.records.add_record(performed_on="2025-03-02", title="常务会议听取汇报", kind="听取汇报",
                                 leader_ids=[leader], duty_ids=[half])
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.select_leader(leader)
    model = page.grid_model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3, 5)] == ["上半年", "下半年"]
    first = model.cell_of(half, "上半年")
    second = model.cell_of(half, "下半年")
    assert first.data() == "1/1 达标" and second.data() == "0/1 进行中"
    assert first.data(Qt.ItemDataRole.BackgroundRole) == status_colour(Status.DONE)
    yearly = model.cell_of(duty_id(ctx.store, "政府常务会议集体学法"))
    assert page.grid.columnSpan(yearly.row(), yearly.column()) == 2  # the year spans both halves
    assert model.index(first.row(), model.year_column()).data() == "进行中"
    # a party duty does not bind a government head
    assert model.row_of_duty(duty_id(ctx.store, "党委理论学习中心组学法")) == -1


def test_a_grid_cell_works_its_tooltip_out_only_when_asked_for_it(ctx, qtbot, monkeypatch):
    """Painting asks every role of a cell but the tooltip: the tooltip's text (the longest to
    build) is not worked out for them."""
    from duty_tracker.ui.models.status_table_model import DutyGridModel

    _unit, leader = _government_head(ctx)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.select_leader(leader)
    model = page.grid_model
    built: list[int] = []
    original = DutyGridModel._tooltip
    monkeypatch.setattr(DutyGridModel, "_tooltip", staticmethod(
        lambda duty, p: built.append(1) or original(duty, p)))
    painted = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
               Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
               Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.DecorationRole)
    cells = [model.index(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())]
    texts = [cell.data(role) for cell in cells for role in painted]
    assert built == [] and any(texts)
    tips = [cell.data(Qt.ItemDataRole.ToolTipRole) for cell in cells]
    assert built and any(tip and "双击" in tip for tip in tips)


def test_partial_term_is_shown(ctx, qtbot):
    _unit, leader = _government_head(ctx, start="2025-07-01")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    row = page.summary_model.row_of(leader)
    assert page.summary_model.index(row, 3).data() == "2025-07-01起"
    page.select_leader(leader)
    half = duty_id(ctx.store, "政府常务会议听取法治政府建设情况汇报")
    assert page.grid_model.cell_of(half, "上半年").data() == "不适用"
    assert "2025-07-01起" in page.grid_title.text()


def test_tenure_text():
    from duty_tracker.core.domain import Term

    assert tenure_text((Term(date(2020, 1, 1)),), 2025) == "全年"
    assert tenure_text((Term(date(2020, 1, 1), date(2025, 6, 30)),), 2025) == "至2025-06-30"
    assert tenure_text((Term(date(2025, 3, 1), date(2025, 9, 30)),), 2025) == "2025-03-01至2025-09-30"


def test_reminder_list_content(ctx, qtbot):
    _unit, leader = _government_head(ctx)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    texts = [page.reminder_model.row_texts(r) for r in range(page.reminder_model.rowCount())]
    # the first half-year ended without the 常务会议 report: overdue
    assert ["未达标", "李志强", "萧山区", "政府常务会议听取法治政府建设情况汇报", "上半年", "0/1",
            "2025-06-30", "逾期 143 天"] in texts
    # 41 days to year end: nothing within 30 days yet (进度落后 is a pace mark, not a status)
    assert all(t[0] in ("未达标", "进度落后") for t in texts)
    page.warn_days.setValue(45)
    texts = [page.reminder_model.row_texts(r) for r in range(page.reminder_model.rowCount())]
    assert texts[0][0] == "预警" and texts[0][6] == "2025-12-31" and texts[0][7] == "还剩 41 天"
    assert {t[3] for t in texts if t[0] == "预警"} >= {"政府常务会议集体学法", "年终述职"}
    # unit filter
    other = ctx.store.people.add_unit("桐庐县", "区县")
    ctx.notify("people")
    page.reload()
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(other))
    assert page.reminder_model.rowCount() == 0
    assert page.summary_model.rowCount() == 0


def test_startup_reminder_can_be_muted_for_today(ctx, qtbot):
    _unit, leader = _government_head(ctx)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    dialog = page.after_window_shown()
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.model.rowCount() >= 1
    qtbot.mouseClick(dialog.mute_button, Qt.MouseButton.LeftButton)
    assert ctx.settings.value("dashboard/muted_on") == TODAY.isoformat()
    assert page.after_window_shown() is None


def test_no_startup_reminder_when_nothing_is_due(ctx, qtbot):
    page = DashboardPage(ctx)  # no leaders at all
    qtbot.addWidget(page)
    assert page.after_window_shown() is None
    assert page.reminder_title.text() == "履职事项没有需要提醒的。"


def test_double_click_empty_cell_opens_prefilled_record(ctx, qtbot):
    _unit, leader = _government_head(ctx)
    half = duty_id(ctx.store, "政府常务会议听取法治政府建设情况汇报")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.select_leader(leader)
    cell = page.grid_model.cell_of(half, "上半年")
    assert cell.data(PERIOD_ROLE).done == 0
    dialog = page.open_period(cell.data(PERIOD_ROLE))
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.leaders.checked_ids() == [leader]
    assert dialog.duties.checked_ids() == [half]
    assert dialog.performed_on() == date(2025, 6, 30)  # inside the (past) period
    assert dialog.kind_combo.currentText() == "听取汇报"
    dialog._initial = dialog.values()
    dialog.reject()


def test_year_and_unit_are_remembered(demo_ctx, qtbot):
    page = DashboardPage(demo_ctx)
    qtbot.addWidget(page)
    page.year_selector.set_year(TODAY.year - 1)
    unit = page.unit_combo.itemData(2)
    page.unit_combo.setCurrentIndex(2)
    again = DashboardPage(demo_ctx)
    qtbot.addWidget(again)
    assert again.year_selector.year() == TODAY.year - 1
    assert again.unit_combo.currentData() == unit
    assert all(again.summary_model.row_at(r).unit_id == unit for r in range(again.summary_model.rowCount()))


def test_the_unit_filter_lists_every_unit_and_keeps_the_choice(ctx, qtbot):
    """The unit combo is one model set in one go: "全部单位" first, each unit with its id."""
    first = ctx.store.people.add_unit("上城区", "区县")
    second = ctx.store.people.add_unit("<b>下城区</b>", "区县")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    combo = page.unit_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["全部单位", "上城区", "<b>下城区</b>"]
    assert [combo.itemData(i) for i in range(combo.count())] == [None, first, second]
    combo.setCurrentIndex(combo.findData(second))
    page.reload()
    assert combo.currentData() == second and combo.currentText() == "<b>下城区</b>"
    assert page.summary_model.rowCount() == 0  # nobody in 下城区 yet
