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


# -- import, list, progress and the 任务分解表 through the entry point ----------------------------
@pytest.fixture
def city_db(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    from duty_tracker.core.storage.store import Store
    from tests.workpoints_helpers import add_city_units

    path = tmp_path / "city.db"
    with Store.open(path, actor="测试员") as store:
        units = add_city_units(store)
    return path, units


def test_hangzhou_2017_end_to_end_through_import_and_list(capsys: pytest.CaptureFixture, city_db):
    if not SEED.exists():
        pytest.skip("shared seeds not available")
    db, units = city_db
    code, out, err = run(capsys, "--db", str(db), "tasks", "import", str(SEED))
    assert code == 1 and out == "" and "市政府相关部门（7 项任务）" in err and "--map" in err
    code, out, err = run(capsys, "--db", str(db), "tasks", "import", str(SEED), "--json")
    assert code == 1 and json.loads(out) == {"imported": False, "unmatched": [
        {"name": "市政府相关部门", "candidates": []}]}
    code, out, err = run(capsys, "--db", str(db), "tasks", "import", str(SEED), "--map", "市政府相关部门=",
                         "--json")
    assert code == 0, err
    result = json.loads(out)
    assert len(result["task_ids"]) == 30 and result["unmatched"] == [] and result["backup"]
    code, out, err = run(capsys, "--db", str(db), "tasks", "list", "--year", "2017", "--today", "2017-12-10",
                         "--json")
    assert code == 0, err
    tasks = json.loads(out)
    _code, parsed, _err = run(capsys, "tasks", "parse", str(SEED), "--json")
    parsed_tasks = json.loads(parsed)["tasks"]
    assert [t["title"] for t in tasks] == [t["title"] for t in parsed_tasks]
    for task, source in zip(tasks, parsed_tasks, strict=True):
        assert [n["name"] for n in task["named_units"]] == source["units"]  # every (责任单位：…)
        names = {u["unit"] for u in task["units"]}
        if "市法制办" in source["units"]:
            assert "市司法局" in names  # 市法制办 ↔ 市司法局
        if "市政府各部门" in source["units"]:
            assert len(names) >= 17
        assert task["status"] in {"未开始", "临期"}
        assert all(u["status"] in {"未开始", "临期"} for u in task["units"])
    adviser = next(t for t in tasks if "法律顾问队伍" in t["text"])
    assert adviser["due"] == "2017-12-31" and adviser["status"] == "临期" and adviser["days_left"] == 21
    own = json.loads(run(capsys, "--db", str(db), "tasks", "list", "--year", "2017", "--unit",
                         str(units["富阳区"]), "--json")[1])
    assert [t["title"] for t in own] == ["探索深化权力清单和行政执法责任制相融合的机制"]
    code, _out, err = run(capsys, "--db", str(db), "tasks", "import", str(SEED))
    assert code == 1 and "已经导入过" in err and "--again" in err


def test_progress_export_fill_and_import_back(capsys: pytest.CaptureFixture, city_db, tmp_path: Path):
    from openpyxl import load_workbook

    db, units = city_db
    text = tmp_path / "要点.txt"
    text.write_text("某市2018年法治政府建设工作要点\n一、深化改革\n（一）完成相对集中行政复议权改革。"
                    "6月底前完成。（责任单位：市司法局牵头，市编委办配合）\n（二）推行行政执法公示制度。"
                    "（责任单位：市司法局）\n", encoding="gbk")
    code, out, err = run(capsys, "--db", str(db), "tasks", "import", str(text))
    assert code == 0, err
    listed = json.loads(run(capsys, "--db", str(db), "tasks", "list", "--year", "2018", "--json")[1])
    reform, publish = listed[0]["id"], listed[1]["id"]
    evidence = tmp_path / "方案.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    justice = str(units["市司法局"])
    code, out, err = run(capsys, "--db", str(db), "tasks", "progress", str(reform), "--unit", justice,
                         "--date", "2018-03-01", "--note", "起草实施方案", "--attach", str(evidence))
    assert code == 0 and out.strip().isdigit(), err
    code, _out, err = run(capsys, "--db", str(db), "tasks", "progress", str(reform), "--unit",
                          str(units["市财政局"]), "--date", "2018-03-01", "--note", "x")
    assert code == 1 and "不是任务" in err
    sheet = tmp_path / "司法局.xlsx"
    code, out, err = run(capsys, "--db", str(db), "tasks", "export-xlsx", "--year", "2018", "--unit", justice,
                         "-o", str(sheet), "--today", "2018-05-01")
    assert code == 0 and "2 项任务" in err
    wb = load_workbook(sheet)
    for row in wb.active.iter_rows(min_row=2):
        if row[0].value == 1:
            row[5].value = f"{row[5].value}\n2018-05-20 方案已印发"
            row[6].value = "已完成"
        if row[0].value == 2:
            row[7].value = "市公安局"
            row[5].value = "已公示"
    wb.save(sheet)
    code, out, err = run(capsys, "--db", str(db), "tasks", "import-xlsx", str(sheet), "--json")
    assert code == 1 and json.loads(out)["imported"] == 0 and "第 4 行（填报单位）" in err
    code, out, err = run(capsys, "--db", str(db), "tasks", "import-xlsx", str(sheet), "--yes", "--json")
    assert code == 0 and json.loads(out)["imported"] == 1, err
    listed = json.loads(run(capsys, "--db", str(db), "tasks", "list", "--year", "2018", "--status", "已完成",
                            "--today", "2018-06-01", "--json")[1])
    assert [t["id"] for t in listed] == [reform]
    assert listed[0]["units"][0]["done_on"] == "2018-05-20"
    code, _out, err = run(capsys, "--db", str(db), "tasks", "list", "--year", "2018", "--status", "完了")
    assert code == 2 and "状态不正确" in err
    assert publish


def test_map_after_an_import_with_yes(capsys: pytest.CaptureFixture, city_db, tmp_path: Path):
    db, units = city_db
    text = tmp_path / "要点.txt"
    text.write_text("某市2019年工作要点\n一、改革\n（一）加强网络普法。（责任单位：市委网信办）\n", encoding="utf-8")
    code, _out, err = run(capsys, "--db", str(db), "tasks", "import", str(text), "--yes")
    assert code == 0 and "市委网信办" in err
    code, _out, err = run(capsys, "--db", str(db), "tasks", "map", f"市委网信办={units['市政府办公厅']}")
    assert code == 0 and "补上任务单位 1 处" in err
    listed = json.loads(run(capsys, "--db", str(db), "tasks", "list", "--year", "2019", "--json")[1])
    assert [u["unit"] for u in listed[0]["units"]] == ["市政府办公厅"]
    code, _out, err = run(capsys, "--db", str(db), "tasks", "map", "没有等号")
    assert code == 2 and "格式不正确" in err
