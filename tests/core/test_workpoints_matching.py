"""Responsible-unit names of a document mapped to the program's units: exact, normalised,
aliases of the 2018–2019 reforms, the clerk's remembered choices, collective names; nothing
guessed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from duty_tracker.core.workpoints import LEAD, ParsedTask, UnitRole, match_units
from duty_tracker.core.workpoints.aliases import MOVED, SAME_BODY
from duty_tracker.core.workpoints.matching import normalise_name

CITY = [
    (1, "杭州市", "市", None),
    (2, "西湖区", "区县", 1), (3, "富阳区人民政府", "区县", 1), (4, "建德市", "区县", 1),
    (10, "杭州市司法局", "部门", 1), (11, "杭州市发展和改革委员会", "部门", 1),
    (12, "杭州市人力资源和社会保障局", "部门", 1), (13, "杭州市规划和自然资源局", "部门", 1),
    (14, "杭州市市场监督管理局", "部门", 1), (15, "中共杭州市委机构编制委员会办公室", "部门", 1),
    (16, "杭州市人民政府办公厅", "部门", 1), (17, "杭州仲裁委员会", "事业单位", 1),
    (18, "杭州市生态环境局", "部门", 1), (19, "杭州市城市管理局（杭州市综合行政执法局）", "部门", 1),
    (20, "西湖区司法局", "部门", 2), (21, "区司法局", "部门", 3), (22, "杭州市城投集团", "国企", 1),
    (30, "西湖街道", "乡镇街道", 2), (31, "富春街道", "乡镇街道", 3), (32, "灵桥镇", "乡镇街道", 3),
]


def units(rows=CITY):
    return [{"id": i, "name": n, "level": lv, "parent_id": p} for i, n, lv, p in rows]


def one(name, rows=CITY, **kwargs):
    return match_units([name], units(rows), **kwargs).matches[name]


def test_exact_name():
    match = one("杭州市司法局")
    assert (match.unit_ids, match.method) == ([10], "exact")


@pytest.mark.parametrize(("name", "unit"), [
    ("市司法局", 10), ("杭州市人民政府办公厅", 16), ("市政府办公厅", 16), ("杭州仲裁委", 17),
    ("富阳区政府", 3), ("中共杭州市委", 1), ("市政府", 1), ("富阳区司法局", 21),
    ("市综合行政执法局", 19), ("杭州市城投集团", 22),
])
def test_normalised_names(name, unit):
    match = one(name)
    assert match.unit_ids == [unit] and match.method in ("exact", "normalised"), match


@pytest.mark.parametrize(("name", "unit"), [
    ("市法制办", 10), ("市政府法制办公室", 10), ("市编委办", 15), ("市委编办", 15), ("市编办", 15),
    ("市发改委", 11), ("市发展改革委", 11), ("市人力社保局", 12), ("市人社局", 12),
    ("市规划局", 13), ("市国土局", 13), ("市国土资源局", 13), ("市工商局", 14), ("市质监局", 14),
    ("市食药监局", 14), ("市市场监管局", 14), ("市环保局", 18), ("市城管委", 19),
])
def test_aliases_short_forms_and_reform_renamings(name, unit):
    match = one(name)
    assert (match.unit_ids, match.method) == ([unit], "alias"), match
    assert match.note


def test_alias_note_says_why():
    assert "2018年机构改革" in one("市法制办").note


def test_old_name_matches_itself_when_the_program_still_has_it():
    rows = CITY + [(40, "杭州市法制办", "部门", 1)]
    assert one("市法制办", rows).unit_ids == [40]


def test_a_reform_that_split_an_office_is_not_guessed():
    match = one("市物价局")
    assert match.unit_ids == [] and sorted(match.candidates) == [11, 14]
    assert "请选择" in match.note


def test_province_level_office_renamed():
    rows = [(1, "湖南省", "市", None), (2, "湖南省司法厅", "部门", 1), (3, "湖南省发展和改革委员会", "部门", 1)]
    assert one("省法制办", rows).unit_ids == [2]
    assert one("省发展改革委", rows).unit_ids == [3]


def test_remembered_choice_wins():
    match = one("市林水局", remembered={"市林水局": 13})
    assert (match.unit_ids, match.method) == ([13], "remembered")
    assert one("市法制办", remembered={"市法制办": 16}).unit_ids == [16]


def test_remembered_choice_of_a_deleted_unit_is_ignored():
    assert one("市法制办", remembered={"市法制办": 999}).unit_ids == [10]


def test_remembered_choice_may_be_several_units():
    assert one("市政府相关部门", remembered={"市政府相关部门": [10, 14]}).unit_ids == [10, 14]


@pytest.mark.parametrize(("name", "ids"), [
    ("市政府各部门", [10, 11, 12, 13, 14, 15, 16, 18, 19]),
    ("市直各部门", [10, 11, 12, 13, 14, 15, 16, 18, 19]),
    ("市级各部门", [10, 11, 12, 13, 14, 15, 16, 18, 19]),
    ("市直各单位", [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]),
    ("市属各国有企业", [22]),
    ("各区、县（市）政府", [2, 3, 4]),
    ("各区县（市）", [2, 3, 4]),
    ("各县（市、区）人民政府", [2, 3, 4]),
    ("各乡镇（街道）", [30, 31, 32]),
    ("各乡镇人民政府、街道办事处", [30, 31, 32]),
    ("各区、县（市）司法局", [20, 21]),
])
def test_collective_names(name, ids):
    match = one(name)
    assert (sorted(match.unit_ids), match.method) == (ids, "collective"), match


def test_collective_under_a_district_home():
    rows = [(1, "富阳区", "区县", None), (2, "富阳区司法局", "部门", 1), (3, "富阳区财政局", "部门", 1),
            (4, "富春街道", "乡镇街道", 1), (5, "灵桥镇", "乡镇街道", 1)]
    assert sorted(one("区政府各部门", rows).unit_ids) == [2, 3]
    assert sorted(one("各乡镇（街道）", rows).unit_ids) == [4, 5]


def test_province_departments_in_a_city_program_are_not_the_citys():
    match = one("省直各部门")
    assert match.unit_ids == [] and "请手工选择" in match.note


def test_province_departments_in_a_province_program():
    rows = [(1, "湖南省", "市", None), (2, "湖南省司法厅", "部门", 1), (3, "长沙市", "市", 1)]
    assert one("省直各部门", rows).unit_ids == [2]


@pytest.mark.parametrize("name", ["市政府相关部门", "各有关单位", "市林水局", "市西博办"])
def test_unmatched_names_are_reported_not_guessed(name):
    mapping = match_units([name], units())
    assert mapping.unmatched == [name]
    assert mapping.matches[name].unit_ids == [] and mapping.matches[name].method is None


def test_ambiguous_generic_name_between_two_districts():
    rows = [(1, "杭州市", "市", None), (2, "西湖区", "区县", 1), (3, "滨江区", "区县", 1),
            (4, "区司法局", "部门", 2), (5, "区司法局", "部门", 3)]
    match = one("区司法局", rows)
    assert match.unit_ids == [] and sorted(match.candidates) == [4, 5]
    assert one("滨江区司法局", rows).unit_ids == [5]


def test_suggestions_for_an_unmatched_name():
    rows = CITY + [(41, "杭州市数据资源管理局", "部门", 1)]
    match = one("市数据资源管理中心", rows)
    assert match.unit_ids == [] and 41 in match.candidates


def test_units_as_objects_and_without_a_single_root():
    @dataclass
    class Unit:
        id: int
        name: str
        level: str
        parent_id: int | None = None

    flat = [Unit(1, "市司法局", "部门"), Unit(2, "市财政局", "部门"), Unit(3, "区司法局", "部门")]
    mapping = match_units(["市司法局", "市法制办", "市政府各部门"], flat)
    assert mapping.ids_for("市司法局") == [1] and mapping.ids_for("市法制办") == [1]
    assert mapping.ids_for("市政府各部门") == []  # no government to hang them under: asked


def test_task_units_expand_collectives_and_keep_the_strongest_role():
    task = ParsedTask(number=1, section="", title="t", text="t",
                      roles=[UnitRole("市司法局", LEAD), UnitRole("市政府各部门", "responsible"),
                             UnitRole("市林水局", "assist")])
    mapping = match_units([r.name for r in task.roles], units())
    pairs = dict(mapping.task_units(task))
    assert pairs[10] == LEAD and pairs[14] == "responsible" and len(pairs) == 9
    assert mapping.unmatched == ["市林水局"]
    assert mapping.to_dict()["unmatched"] == ["市林水局"]


def test_alias_table_is_consistent():
    """No spelling belongs to two bodies, and every renaming says what happened."""
    seen: dict[str, int] = {}
    for index, group in enumerate(SAME_BODY):
        for name in group:
            key = normalise_name(name)
            assert seen.setdefault(key, index) == index, name
    for old, heirs, why in MOVED:
        assert old and heirs and len(why) >= 8
        assert not {normalise_name(n) for n in old} & {normalise_name(n) for n in heirs}, old


def test_normalise_name():
    assert normalise_name("中共杭州市委机构编制委员会办公室") == "杭州市委机构编制委办"
    assert normalise_name("杭州市人民政府办公厅") == "杭州市政府办"
    assert normalise_name("共青团杭州市委") == "杭州市团委"
    assert normalise_name("杭州市城市管理局（杭州市综合行政执法局）") == "杭州市城市管理局"
