"""The table models on their own: a QApplication, but no widget is built or shown. Each model
is fed what its page feeds it and read through the Qt model API a view would use."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt

from duty_tracker.core.dashboard import DashboardData
from duty_tracker.core.domain import Status
from duty_tracker.core.status import leader_tallies, year_status
from duty_tracker.ui.models.debrief_models import DebriefLeaderModel
from duty_tracker.ui.models.people_models import (
    UNIT_ID_ROLE,
    LeaderTableModel,
    TermTableModel,
    UnitTreeModel,
)
from duty_tracker.ui.models.rules_models import (
    CHOICE_ROLE,
    REVIEW_COUNT,
    REVIEW_KEEP,
    REVIEW_PERIOD,
    REVIEW_TITLE,
    DutyTableModel,
    ProposedDutiesModel,
    RuleSetTableModel,
)
from duty_tracker.ui.models.simple_table_model import MUTED, SORT_ROLE
from duty_tracker.ui.models.status_table_model import (
    ID_ROLE,
    DutyGridModel,
    LeaderSummaryModel,
    ReminderModel,
)
from duty_tracker.ui.widgets.status_style import status_colour
from tests.conftest import small_rules
from tests.gui.conftest import TODAY

TOOLTIP = Qt.ItemDataRole.ToolTipRole
H = Qt.Orientation.Horizontal


@pytest.fixture
def year_data(demo_ctx) -> DashboardData:
    store = demo_ctx.store
    status = year_status(store, TODAY.year, today=TODAY)
    return DashboardData(status, store.people.leaders(), store.rules.duties_for_year(TODAY.year))


def test_leader_summary_rows_filter_and_sort_keys(year_data) -> None:
    model = LeaderSummaryModel()
    model.set_data(year_data)
    assert model.rowCount() == len(year_data.rows) > 0
    assert [model.headerData(c, H) for c in range(model.columnCount())][:2] == ["单位", "姓名"]
    first = model.row_at(0)
    assert model.index(0, 1).data() == first.name
    assert model.index(0, 4).data() == f"{first.done}/{first.required}"
    assert model.index(0, 0).data(ID_ROLE) == first.leader_id
    assert model.index(0, 7).data(Qt.ItemDataRole.BackgroundRole) == status_colour(first.status)
    unit_id = first.unit_id
    model.set_filter(unit_id, "")
    assert model.rowCount() >= 1 and all(model.row_at(r).unit_id == unit_id for r in range(model.rowCount()))
    model.set_filter(None, first.name)
    assert model.row_of(first.leader_id) >= 0
    model.set_filter(None, "没有这个人")
    assert model.rowCount() == 0
    model.set_filter(None, "")
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(5, Qt.SortOrder.DescendingOrder)  # 未达标 count, most first
    failed = [model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).failed for r in range(proxy.rowCount())]
    assert failed == sorted(failed, reverse=True)


def test_duty_grid_of_one_leader(year_data) -> None:
    model = DutyGridModel()
    leader_id = year_data.rows[0].leader_id
    model.set_leader(year_data, leader_id)
    assert model.leader_id == leader_id
    assert model.rowCount() > 0
    assert model.headerData(0, H) == "履职事项"
    assert model.headerData(model.year_column(), H) == "全年状态"
    duty = model.duty_at(0)
    assert model.index(0, 0).data() == duty.title
    cell = model.cell_of(duty.id)
    period = model.period_at(cell)
    assert period is not None and period.duty_id == duty.id and period.leader_id == leader_id
    assert cell.data() == DutyGridModel.cell_text(period)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) == status_colour(period.status)
    assert "双击" in cell.data(TOOLTIP)
    model.set_leader(year_data, None)
    assert model.rowCount() == 0


def test_reminders_by_unit(year_data) -> None:
    model = ReminderModel()
    model.set_data(year_data)
    assert model.rowCount() == len(year_data.reminders)
    warning, failed = model.counts()
    assert warning + failed == model.rowCount()
    if model.rowCount():
        p = model.period_at(0)
        assert p.status in (Status.WARNING, Status.FAILED)
        texts = model.row_texts(0)
        assert texts[0] == p.status.value and texts[1] == year_data.leader_name(p.leader_id)
        unit_id = year_data.specs[p.leader_id].unit_id
        model.set_unit(unit_id)
        assert all(year_data.specs[model.period_at(r).leader_id].unit_id == unit_id
                   for r in range(model.rowCount()))


def test_unit_tree_nests_children_and_survives_a_cycle() -> None:
    model = UnitTreeModel()
    units = [
        {"id": 1, "name": "杭州市", "level": "市", "parent_id": None},
        {"id": 2, "name": "西湖区", "level": "区县", "parent_id": 1},
        {"id": 3, "name": "西溪街道", "level": "乡镇街道", "parent_id": 2},
        {"id": 4, "name": "甲", "level": "部门", "parent_id": 5},
        {"id": 5, "name": "乙", "level": "部门", "parent_id": 4},
    ]
    model.set_units(units, {2: 3})
    city = model.index_of_unit(1)
    district = model.index_of_unit(2)
    assert district.parent() == city
    assert model.index_of_unit(3).parent() == district
    assert model.index(district.row(), 2, city).data() == "3"
    assert district.data(UNIT_ID_ROLE) == 2
    assert model.index_of_unit(4) is not None and model.index_of_unit(5) is not None  # a cycle stays visible
    assert model.headerData(0, H) == "单位"


def test_leader_table_shows_office_state_and_greys_out_former_leaders() -> None:
    model = LeaderTableModel(date(2025, 11, 20))
    rows = [
        {"id": 1, "name": "王明", "position": "区委书记", "role": "party",
         "terms": [{"start_date": "2021-05-01", "end_date": None}]},
        {"id": 2, "name": "赵强", "position": "区长", "role": "government",
         "terms": [{"start_date": "2018-01-01", "end_date": "2021-04-30"}]},
        {"id": 3, "name": "钱程", "position": "", "role": "other", "terms": []},
    ]
    model.set_rows(rows)
    assert [model.index(r, 4).data() for r in range(3)] == ["在任", "离任", "无任期"]
    assert model.index(0, 3).data() == "2021-05-01 至 今"
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) == MUTED
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(2, 3).data(TOOLTIP) == "无任期记录"
    assert model.find_row("id", 2) == 1

    terms = TermTableModel()
    terms.set_rows([{"start_date": "2021-05-01", "end_date": None}])
    assert terms.index(0, 1).data() == "至今（在任）"


def test_rule_set_and_duty_tables(store) -> None:
    sets = RuleSetTableModel()
    sets.set_rows(store.rules.rule_sets())
    assert sets.index(0, 0).data() == "测试实施细则"
    assert sets.index(0, 4).data() == str(len(small_rules().duties))
    duties = DutyTableModel()
    rows = store.rules.duties(store.rules.rule_set_for_year(2025), active_only=False)
    rows[0]["active"] = 0
    duties.set_rows(rows)
    assert duties.index(0, 6).data() == "停用"
    assert duties.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == MUTED
    assert [duties.index(r, 3).data() for r in range(duties.rowCount())] == ["每年", "每半年", "每年", "每季度"]


def test_proposed_duties_are_edited_and_kept_before_anything_is_stored() -> None:
    model = ProposedDutiesModel(small_rules())
    assert model.rowCount() == 4 and model.kept_count() == 4
    model.set_kept(0, False)
    assert model.kept_count() == 3
    assert model.index(0, REVIEW_KEEP).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(model.index(1, REVIEW_TITLE), "  听取汇报  ")
    assert model.setData(model.index(1, REVIEW_COUNT), "3")
    assert not model.setData(model.index(1, REVIEW_COUNT), "三")
    assert model.setData(model.index(1, REVIEW_PERIOD), "quarter", CHOICE_ROLE)
    kept = model.kept_duties()
    assert [d.title for d in kept][0] == "听取汇报"
    assert kept[0].min_count == 3 and kept[0].period == "quarter"
    model.mark_invalid({2})
    assert model.index(2, REVIEW_TITLE).data(Qt.ItemDataRole.BackgroundRole) is not None
    model.setData(model.index(2, REVIEW_TITLE), "年终述职述法")
    assert model.index(2, REVIEW_TITLE).data(Qt.ItemDataRole.BackgroundRole) is None


def test_debrief_leader_list(demo_ctx) -> None:
    store = demo_ctx.store
    tallies = leader_tallies(year_status(store, TODAY.year, today=TODAY))
    leader = store.people.leaders()[0]
    model = DebriefLeaderModel()
    model.set_rows([{**leader, "tally": tallies.get(leader["id"]), "debrief": None},
                    {**leader, "id": -1, "tally": None, "debrief": {"achievements": "已写"}}])
    assert model.index(0, 0).data() == leader["name"]
    assert model.index(0, 4).data() == "未撰写" and model.index(1, 4).data() == "已撰写"
    assert model.index(1, 2).data() == "—"  # no tally yet: a dash, not an error
    assert leader["name"] in model.index(0, 0).data(TOOLTIP)
