"""An empty list says what to do next, and why it is empty (nothing yet, or a filter)."""

from __future__ import annotations

from duty_tracker.ui.main_window import MainWindow


def _shown(state) -> bool:  # noqa: ANN001
    return state.isVisibleTo(state.view)


def test_a_fresh_ledger_tells_the_clerk_where_to_start(ctx, qtbot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    dashboard = window.page_by_class("DashboardPage")
    assert _shown(dashboard.summary_empty) and "负责人与单位" in dashboard.summary_empty.text()
    records = window.go_to("RecordsPage")
    assert _shown(records.empty_state) and "Ctrl+N" in records.empty_state.text()
    people = window.go_to("PeoplePage")
    assert _shown(people.unit_empty) and "新增单位" in people.unit_empty.text()
    debrief = window.go_to("DebriefPage")
    assert _shown(debrief.leader_empty) and "任期" in debrief.leader_empty.text()
    rules = window.go_to("RulesPage")
    assert not _shown(rules.rule_set_empty)  # the default rules are there


def test_a_filter_that_matches_nothing_says_so(demo_ctx, qtbot) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    records = window.go_to("RecordsPage")
    assert not _shown(records.empty_state)
    records.search_edit.setText("没有这样的纪实标题")
    records.apply_filter()
    assert _shown(records.empty_state) and "清除筛选" in records.empty_state.text()
    records.clear_filters()
    assert not _shown(records.empty_state)
    records.bin_button.setChecked(True)
    assert _shown(records.empty_state) and "回收站" in records.empty_state.text()
    people = window.go_to("PeoplePage")
    people.unit_filter.setText("火星")
    assert _shown(people.unit_empty) and "火星" in people.unit_empty.text()
