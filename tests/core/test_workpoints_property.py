"""The work-points parser never raises anything but WorkPointsError, keeps tasks in document
order, and gives results the rest of the program can rely on."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duty_tracker.core.workpoints import (
    ParsedWorkPoints,
    WorkPointsError,
    match_units,
    parse_workpoints_text,
)
from duty_tracker.core.workpoints.model import ROLE_LABELS

_PIECES = st.sampled_from([
    "一、", "二、", "十一、", "（一）", "(二)", "（十三）", "1.", "2、", "（1）", "①", "第一部分", "\n", "\n\n",
    "\t", "    ", " ", "　", "|", "（", "）", "(", ")", "【", "】", "：", ":", "；", "，", "、", "。", "和",
    "责任单位：", "(责任单位:", "牵头单位：", "配合单位：", "完成时限：", "牵头", "负责", "配合", "由", "会同",
    "市司法局", "市发改委", "各区、县（市）政府", "市政府各部门", "省直各部门", "各乡镇（街道）",
    "2017年年底前", "6月底前", "5月份", "上半年", "年内", "全年", "第三季度", "三季度末", "10月1日前",
    "长期坚持", "持续推进", "2019年", "二〇一九年", "《", "》", "〔2017〕62号", "工作要点", "关于印发",
    "的通知", "序号", "工作任务", "完成时间", "加强行政规范性文件合法性审查", "推进政务公开",
    "本要点", "排在第一位的为牵头单位", "抄送：",
])
_WORKPOINTSY = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=80).map("".join)


def _check(result: ParsedWorkPoints) -> None:
    assert result.tasks and result.title
    assert [t.number for t in result.tasks] == list(range(1, len(result.tasks) + 1))
    lines = [t.line for t in result.tasks]
    assert lines == sorted(lines)
    for task in result.tasks:
        assert task.title and len(task.title) <= 31
        assert task.due is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", task.due)
        assert set(task.lead_units) <= set(task.units)
        assert len(set(task.units)) == len(task.units)
        assert all(r.role in ROLE_LABELS and r.name for r in task.roles)
    result.to_dict()
    match_units(result.unit_names(), [{"id": 1, "name": "杭州市", "level": "市", "parent_id": None}])


def _parse(text: str) -> None:
    try:
        result = parse_workpoints_text(text)
    except WorkPointsError as exc:
        assert str(exc).endswith("。")
        return
    _check(result)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises_anything_else(text):
    _parse(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_WORKPOINTSY)
def test_work_points_like_text_never_raises_and_keeps_order(text):
    _parse(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["加强", "推进", "完善", "开展"]),
                          st.sampled_from(["执法监督", "政务公开", "规范性文件审查", "复议应诉"]),
                          st.sampled_from(["市司法局", "市财政局", "市政府各部门", "各区、县（市）政府"])),
                min_size=1, max_size=12))
def test_generated_documents_give_one_task_per_clause_in_order(items):
    body = "\n".join(f"{n}.{verb}{what}工作。（责任单位：{unit}）" for n, (verb, what, unit) in enumerate(items, 1))
    parsed = parse_workpoints_text(f"某市2020年法治政府建设工作要点\n一、重点任务\n{body}\n")
    assert [t.units for t in parsed.tasks] == [[unit] for _verb, _what, unit in items]
    assert [t.title for t in parsed.tasks] == [f"{verb}{what}工作" for verb, what, _unit in items]
