"""``duty-tracker tasks parse FILE --json`` through the entry point and as a process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from duty_tracker.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "workpoints"
SEED = ROOT.parent / "shared" / "seeds" / "hangzhou-2017-workpoints.txt"


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = cli_main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_prints_the_contract_json(capsys: pytest.CaptureFixture):
    if not SEED.exists():
        pytest.skip("shared seeds not available")
    code, out, err = run(capsys, "tasks", "parse", str(SEED), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["title"] == "杭州市2017年法治政府建设工作要点" and data["year"] == 2017
    assert len(data["tasks"]) == 30
    for task in data["tasks"]:
        assert {"section", "title", "text", "units", "lead_units", "due"} <= set(task)
        assert isinstance(task["units"], list) and all(isinstance(u, str) for u in task["units"])
        assert task["due"] is None or len(task["due"]) == 10
    adviser = next(t for t in data["tasks"] if "法律顾问队伍" in t["text"])
    assert adviser["due"] == "2017-12-31" and adviser["units"] == ["市政府相关部门"]


def test_parse_a_gbk_file_with_a_year_given(capsys: pytest.CaptureFixture, tmp_path: Path):
    text = (DATA / "county-task-table-2020.txt").read_text(encoding="utf-8").replace("2020年", "")
    path = tmp_path / "方案.txt"
    path.write_bytes(text.encode("gbk"))
    code, out, _err = run(capsys, "tasks", "parse", str(path), "--year", "2023", "--json")
    data = json.loads(out)
    assert code == 0 and data["year"] == 2023
    assert data["tasks"][0]["due"] == "2023-06-30" and data["tasks"][0]["lead_units"] == ["县委编办"]


def test_parse_errors_are_chinese_with_exit_1(capsys: pytest.CaptureFixture, tmp_path: Path):
    code, out, err = run(capsys, "tasks", "parse", str(tmp_path / "无.txt"), "--json")
    assert code == 1 and out == "" and "找不到文件" in err
    empty = tmp_path / "空.txt"
    empty.write_text("这是一段与工作要点无关的文字", encoding="utf-8")
    code, out, err = run(capsys, "tasks", "parse", str(empty))
    assert code == 1 and "没有从文本中识别出工作任务" in err and "Traceback" not in err


def test_parse_as_a_separate_process(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "duty_tracker", "tasks", "parse", str(DATA / "province-yifa-xingzheng-2019.txt"),
         "--json"], capture_output=True, cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["tasks"][0]["lead_units"] == ["省司法厅"]
    assert [t["due"] for t in data["tasks"]][2] == "2019-06-30"
