"""The 工作要点 models without a window: the tree of sections and tasks (lazy, per unit), and the
import review's models whose edits go straight into the preview that will be stored."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from duty_tracker.core.services import workpoints as wp
from duty_tracker.ui.models import workpoints_models as tm
from duty_tracker.ui.models import workpoints_review_models as rm
from tests.workpoints_helpers import add_city_units

TODAY = date(2025, 11, 20)
TEXT = """某市2025年法治政府建设工作要点

一、深化改革
（一）完成相对集中行政复议权改革。6月底前完成。（责任单位：市司法局牵头，市编委办配合）
（二）建立政府法律顾问队伍，年底前实现全覆盖。（责任单位：市法制办）
二、严格执法
（三）推行行政执法公示制度。第三季度完成。（责任单位：市政府各部门）
（四）加强行政复议规范化建设。（责任单位：市委网信办）
"""


@pytest.fixture
def units(ctx) -> dict[str, int]:
    return add_city_units(ctx.store)


@pytest.fixture
def views(ctx, units) -> list[wp.TaskView]:
    preview = wp.preview_import(ctx.store, text=TEXT)
    wp.choose_units(ctx.store, preview, {"市委网信办": []})
    wp.import_workpoints(ctx.store, preview)
    return wp.list_tasks(ctx.store, wp.TaskFilter(2025), TODAY)


def _text(model, row: int, column: int, parent: QModelIndex | None = None) -> str:  # noqa: ANN001
    return model.index(row, column, parent or QModelIndex()).data()


def test_the_tree_groups_the_tasks_by_section_in_document_order(views) -> None:
    model = tm.TaskTreeModel()
    model.set_views(views)
    assert model.rowCount() == 2 and model.task_count() == 4
    first = model.index(0, 0)
    assert _text(model, 0, tm.TITLE).startswith("一、深化改革") and "2 项" in _text(model, 0, tm.TITLE)
    assert model.rowCount(first) == 2 and model.rowCount(model.index(1, 0)) == 2
    assert _text(model, 0, tm.TITLE, first) == "1. 完成相对集中行政复议权改革"
    assert _text(model, 0, tm.UNITS, first) == "市司法局（牵头）、市编委办（配合）"
    assert _text(model, 0, tm.DUE, first) == "2025-06-30"
    assert _text(model, 0, tm.STATUS, first).startswith("逾期")
    overdue = model.index(0, tm.STATUS, first)
    assert overdue.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.parent(overdue) == first and model.view_at(first) is None
    assert model.view_at(model.index(0, 0, first)).title == "完成相对集中行政复议权改革"
    assert tm.counts_text(model.status_counts()) == "逾期 2，未开始 2"


def test_a_task_without_units_says_so_and_many_units_are_counted(views) -> None:
    model = tm.TaskTreeModel()
    model.set_views(views)
    second = model.index(1, 0)
    assert "等 17 个单位" in _text(model, 0, tm.UNITS, second)
    assert _text(model, 1, tm.UNITS, second) == "市委网信办（未对应到单位）"
    assert model.index(1, tm.UNITS, second).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_for_one_unit_every_cell_is_that_units(ctx, views, units) -> None:
    unit = units["市编委办"]
    task = views[0]
    ctx.store.tasks.add_progress(task.id, unit, "2025-05-01", "已报送方案", done=True)
    mine = wp.list_tasks(ctx.store, wp.TaskFilter(2025, unit_id=unit), TODAY)
    model = tm.TaskTreeModel()
    model.set_views(mine, unit)
    first = model.index(0, 0)
    assert model.task_count() == 2  # its own task and 市政府各部门's
    assert model.headerData(tm.STATUS, Qt.Orientation.Horizontal) == "本单位状态"
    assert _text(model, 0, tm.UNITS, first) == "配合（共 2 个单位）"
    assert _text(model, 0, tm.STATUS, first) == "已完成"  # the unit's own, the task is still overdue
    assert _text(model, 0, tm.PROGRESS, first) == "2025-05-01 已报送方案"


def test_long_sections_reach_the_view_in_batches(views, monkeypatch) -> None:
    monkeypatch.setattr(tm, "BATCH", 1)
    model = tm.TaskTreeModel()
    model.set_views(views)
    first = model.index(0, 0)
    assert model.rowCount(first) == 1 and model.canFetchMore(first)
    model.fetchMore(first)
    assert model.rowCount(first) == 2 and not model.canFetchMore(first)
    last = model.index_of_task(views[-1].id)  # fetched up to it when asked for
    assert last.isValid() and model.view_at(last).id == views[-1].id


# -- the import review ---------------------------------------------------------------------------
@pytest.fixture
def preview(ctx, units) -> wp.ImportPreview:
    return wp.preview_import(ctx.store, text=TEXT)


def test_review_edits_go_into_the_preview(preview) -> None:
    model = rm.ReviewTasksModel(preview)
    problems: list[str] = []
    model.problem.connect(problems.append)
    assert model.setData(model.index(0, rm.TITLE), "  复议体制改革 ")
    assert preview.tasks[0].title == "复议体制改革"
    assert model.setData(model.index(0, rm.DUE), "2025年7月31日")
    assert preview.tasks[0].due == date(2025, 7, 31) and preview.tasks[0].deadline_text is None
    assert model.setData(model.index(1, rm.DUE), "")
    assert preview.tasks[1].due is None
    assert not model.setData(model.index(0, rm.DUE), "下个月")
    assert preview.tasks[0].due == date(2025, 7, 31) and problems and "完成时限" in problems[-1]
    assert not model.setData(model.index(0, rm.TITLE), "  ")
    assert preview.tasks[0].title == "复议体制改革"
    model.setData(model.index(2, rm.KEEP), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not preview.tasks[2].keep and model.kept_count() == 3


def test_units_set_by_hand_survive_a_name_assigned_later(ctx, preview, units) -> None:
    model = rm.ReviewTasksModel(preview)
    assert "待对应：市委网信办" in model.index(3, rm.UNITS).data()
    model.set_units(3, [(units["市财政局"], "lead"), (units["市财政局"], "assist")])
    assert preview.tasks[3].units == [(units["市财政局"], "lead")] and preview.unmatched == []
    wp.choose_units(ctx.store, preview, {"市委网信办": [units["市公安局"]]})
    model.choices_applied()
    assert preview.tasks[3].units == [(units["市财政局"], "lead")]
    assert model.index(3, rm.UNITS).data() == "市财政局（牵头）"


def test_an_unmatched_name_offers_the_units_and_not_ours(ctx, preview, units) -> None:
    chosen: list[tuple[str, list[int]]] = []

    def choose(name: str, ids: list[int]) -> None:
        chosen.append((name, ids))
        wp.choose_units(ctx.store, preview, {name: ids})

    model = rm.UnmatchedNamesModel(preview, ctx.store.people.units(), choose)
    assert model.rowCount() == 1 and model.name(0) == "市委网信办" and model.open_count() == 1
    options = model.options(0)
    labels = [label for label, _v in options]
    assert rm.NOT_OURS_TEXT in labels and labels[-1] == "选择多个单位…"
    assert len(options) == len(units) + 2
    requested: list[str] = []
    model.several_requested.connect(requested.append)
    assert not model.setData(model.index(0, rm.CHOICE), rm.SEVERAL, rm.VALUE_ROLE) and requested == ["市委网信办"]
    assert model.setData(model.index(0, rm.CHOICE), [units["市公安局"]], rm.VALUE_ROLE)
    assert chosen == [("市委网信办", [units["市公安局"]])] and model.open_count() == 0
    assert model.index(0, rm.CHOICE).data() == "市公安局" and preview.tasks[3].units == [(units["市公安局"], "responsible")]
    model.setData(model.index(0, rm.CHOICE), rm.NOT_OURS, rm.VALUE_ROLE)
    assert model.index(0, rm.CHOICE).data() == rm.NOT_OURS_TEXT and preview.tasks[3].units == []


def test_suggested_units_come_first(ctx, units) -> None:
    preview = wp.preview_import(ctx.store, text=TEXT.replace("市委网信办", "市财政"))
    names = rm.UnmatchedNamesModel(preview, ctx.store.people.units(), lambda *_: None)
    assert names.rowCount() == 1
    suggested = preview.candidates(names.name(0))
    assert suggested, "a name this close has a suggestion"
    assert names.options(0)[0] == (f"{suggested[0][1]}（建议）", [suggested[0][0]])


def test_the_units_editor_ticks_units_and_changes_roles(ctx, units) -> None:
    model = rm.UnitRolesModel(ctx.store.people.units(), [(units["市司法局"], "lead")])
    assert model.index(0, rm.UNIT).data().startswith("市司法局") and model.chosen() == [(units["市司法局"], "lead")]
    row = next(r for r in range(model.rowCount()) if model.unit_id(r) == units["市编委办"])
    assert not model.flags(model.index(row, rm.ROLE)) & Qt.ItemFlag.ItemIsEditable
    model.setData(model.index(row, rm.UNIT), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.index(row, rm.ROLE).data() == "负责"
    model.setData(model.index(row, rm.ROLE), "assist", rm.VALUE_ROLE)
    assert model.chosen() == [(units["市司法局"], "lead"), (units["市编委办"], "assist")]
    model.setData(model.index(0, rm.UNIT), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.chosen() == [(units["市编委办"], "assist")]
