"""The dashboard's and the 述职报告 page's leader lists at scale: a batch of rows at a time
(canFetchMore/fetchMore), each row worked out when shown; a sort or a search covers them all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from duty_tracker.ui.models.batched import BATCH
from tests.gui.conftest import TODAY

LEADERS = 2 * BATCH + 40


@pytest.fixture
def many_ctx(ctx):
    from duty_tracker.core.demo import build_demo

    build_demo(ctx.store, leaders=LEADERS, years=1, records=2, today=TODAY)
    return ctx


def test_dashboard_summary_fetches_a_batch_and_more_on_scroll(many_ctx, qtbot) -> None:
    from duty_tracker.ui.pages.dashboard_page import DashboardPage

    page = DashboardPage(many_ctx)
    qtbot.addWidget(page)
    model = page.summary_model
    total = model.total()
    assert total > 2 * BATCH
    assert model.rowCount() == model.fetched() == BATCH
    assert page.summary_proxy.rowCount() == BATCH
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    worked_out = len(page.data._rows)  # noqa: SLF001 - what laziness is about
    assert 0 < worked_out < BATCH  # the rows painted (and the one selected), not the list
    page.summary.scrollToBottom()
    qtbot.waitUntil(lambda: model.fetched() > BATCH)
    assert model.fetched() <= 2 * BATCH


def test_dashboard_sort_and_selection_reach_past_the_batch(many_ctx, qtbot) -> None:
    from duty_tracker.ui.pages.dashboard_page import DashboardPage

    page = DashboardPage(many_ctx)
    qtbot.addWidget(page)
    model = page.summary_model
    last = page.data.leader_ids[-1]
    page.select_leader(last)  # from a reminder, say: deep in the list
    assert page.selected_leader_id() == last
    assert model.fetched() == model.total()
    page2 = DashboardPage(many_ctx)
    qtbot.addWidget(page2)
    page2.summary.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # 未达标, most first
    proxy, source = page2.summary_proxy, page2.summary_model
    assert proxy.rowCount() == source.total()
    failed = [source.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).failed
              for r in range(proxy.rowCount())]
    assert failed == sorted(failed, reverse=True)
    assert failed[0] == max(page2.data.row(i).failed for i in page2.data.leader_ids)


def test_dashboard_reminders_count_the_whole_list(many_ctx, qtbot) -> None:
    from duty_tracker.core.domain import Status
    from duty_tracker.ui.pages.dashboard_page import DashboardPage

    page = DashboardPage(many_ctx)
    qtbot.addWidget(page)
    model = page.reminder_model
    everything = page.data.reminders + page.data.pace
    assert model.total() == len(everything)
    assert model.rowCount() == min(BATCH, len(everything))
    assert model.counts() == (sum(p.status is Status.WARNING for p in everything),
                              sum(p.status is Status.FAILED for p in everything))
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == len(everything)


def test_debrief_list_fetches_a_batch_and_tallies_only_rows_shown(many_ctx, qtbot) -> None:
    from duty_tracker.ui.pages.debrief_page import DebriefPage

    page = DebriefPage(many_ctx)
    qtbot.addWidget(page)
    model = page.leader_model
    assert model.total() > 2 * BATCH
    assert model.rowCount() == BATCH
    assert f"需述职 {model.total()} 名" in page.list_summary.text()
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    assert 0 < len(page._tallies._known) < BATCH  # noqa: SLF001 - what laziness is about
    page.leader_view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > BATCH)
    # a search covers every leader, not the batch
    last = page._year_leaders[-1]  # noqa: SLF001
    page.leader_filter.setText(last["name"])
    assert model.rowCount() == model.total()
    found = [page.leader_proxy.index(r, 0).data() for r in range(page.leader_proxy.rowCount())]
    assert last["name"] in found


def test_debrief_saved_narrative_shows_in_its_row(many_ctx, qtbot) -> None:
    from duty_tracker.ui.pages.debrief_page import DebriefPage

    page = DebriefPage(many_ctx)
    qtbot.addWidget(page)
    leader_id = page.current_leader_id()
    row = page.leader_model.find_row("id", leader_id)
    assert page.leader_model.index(row, 4).data() == "未撰写"
    page.section_edits["achievements"].setPlainText("一是带头学法。")
    assert page.save()
    assert page.leader_model.index(row, 4).data() == "已撰写"
    assert "已撰写报告 1 名" in page.list_summary.text()


def test_leader_info_reads_one_by_one_then_all_at_once(many_ctx) -> None:
    from duty_tracker.core.dashboard import LeaderInfo

    people = many_ctx.store.people
    calls = {"one": 0, "every": 0}

    def one(leader_id: int):  # noqa: ANN202
        calls["one"] += 1
        return people.leader(leader_id)

    def every():  # noqa: ANN202
        calls["every"] += 1
        return people.leaders()

    info = LeaderInfo(one, every)
    ids = [row["id"] for row in people.leaders()]
    assert info[ids[0]]["id"] == ids[0] and info.get(-1) is None
    assert calls == {"one": 2, "every": 0}
    for leader_id in ids[:LeaderInfo.ONE_BY_ONE + 5]:
        assert info[leader_id]["id"] == leader_id
    assert calls["every"] == 1 and calls["one"] <= LeaderInfo.ONE_BY_ONE + 1
    assert len(info) == len(ids)
