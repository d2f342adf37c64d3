"""The rule-set use cases: one reading of a file, every duty checked before anything is
written, one sentence for what was imported — the same for the window and the CLI."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from duty_tracker.core.errors import InputError
from duty_tracker.core.services import rules

TEXT = """某区党政主要负责人履行推进法治建设第一责任人职责实施办法

第一条 为推动党政主要负责人切实履行推进法治建设第一责任人职责，制定本办法。
第二条 党委主要负责人每年至少听取一次法治建设工作汇报。
第三条 政府常务会议每年集体学法不少于4次。
"""


def test_a_gbk_file_is_read_recognised_and_imported(store, tmp_path: Path) -> None:
    path = tmp_path / "实施办法.txt"
    path.write_bytes(TEXT.encode("gbk"))
    source = rules.read_rules(path)
    assert source.text.startswith("某区党政主要负责人") and source.parsed.duties
    before = len(store.rules.rule_sets())
    result = rules.import_rules(store, source.parsed, source.text)
    assert len(store.rules.rule_sets()) == before + 1
    assert result.message.startswith(f"已导入规则“{source.parsed.title}”（编号 {result.rule_set_id}）")
    assert f"{len(source.parsed.duties)} 个履职事项" in result.message


def test_a_bad_duty_is_named_and_nothing_is_written(store) -> None:
    source = rules.parse_text(TEXT)
    broken = [replace(d, min_count=0) for d in source.parsed.duties]
    parsed = replace(source.parsed, duties=broken)
    before = len(store.rules.rule_sets())
    with pytest.raises(InputError, match=r"第 1 项履职事项“.+”："):
        rules.import_rules(store, parsed, source.text)
    assert len(store.rules.rule_sets()) == before
    assert rules.duty_problem(broken[0]) and rules.duty_problem(source.parsed.duties[0]) is None


def test_the_name_and_date_are_checked() -> None:
    assert rules.metadata_problem(" ", None) == "规则名称不能为空。"
    assert "施行日期" in rules.metadata_problem("实施办法", "2019-02-30")
    assert rules.metadata_problem("实施办法", "2019-03-01") is None
