"""``annual-report`` through the command-line entry point on a demo database with the Hangzhou
2017 work points imported and progress reported by the city's 司法局: the PDF and the Word
file of a unit with tasks and heads, the report of a district the work points do not name,
the reminder of the deadline, recording the submission, and the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from duty_tracker.cli import main as cli_main
from tests.core.test_report_support import needs_poppler, pdffonts, pdftotext, squash

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "hangzhou-2017-workpoints.txt"
TODAY = "2018-02-20"
BUREAU = 15  # 杭州市司法局: the demo's first department after the city and its 13 districts
DISTRICT = 2  # 上城区: named by no task of the 2017 work points

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="shared seeds not available")


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = cli_main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("annual") / "demo.db"
    assert cli_main.main(["--db", str(path), "demo", "--leaders", "34", "--years", "1",
                          "--records", "8", "--today", "2017-12-31"]) == 0
    assert cli_main.main(["--db", str(path), "tasks", "import", str(SEED), "--yes"]) == 0
    return path


@pytest.fixture(scope="module")
def bureau_tasks(db: Path) -> dict[str, int]:
    """The bureau's tasks by title, with progress reported on three of them."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main.main(["--db", str(db), "tasks", "list", "--year", "2017", "--unit",
                              str(BUREAU), "--json"]) == 0
    tasks = {t["title"]: t["id"] for t in json.loads(out.getvalue())}
    for title, day, note, done in (
        ("调整杭州市全面推进依法行政工作领导小组名称、充实成员", "2017-05-26",
         "市政府印发通知，领导小组更名为市法治政府建设工作领导小组", True),
        ("加强行政规范性文件备案审查", "2017-12-20", "全年审查备案行政规范性文件86件", True),
        ("完成市本级相对集中复议权工作", "2017-11-30", "完成机构设置和人员划转方案", False),
    ):
        argv = ["--db", str(db), "tasks", "progress", str(tasks[title]), "--unit", str(BUREAU),
                "--date", day, "--note", note] + (["--done"] if done else [])
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli_main.main(argv) == 0
    return tasks


@needs_poppler
def test_the_bureaus_report_as_pdf(db: Path, bureau_tasks, tmp_path: Path,
                                   capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "司法局.pdf"
    code, stdout, err = run(capsys, "--db", str(db), "annual-report", "--unit", str(BUREAU),
                            "--year", "2017", "-o", str(out), "--draft", "--today", TODAY)
    assert code == 0, err
    assert stdout.strip() == str(out)
    text = squash(pdftotext(out))
    assert text.startswith("杭州市司法局2017年法治政府建设年度报告")
    assert f"承担工作任务{len(bureau_tasks)}项" in text and "已完成2项" in text
    for heading in ("一、主要举措和成效", "二、党政主要负责人履行推进法治建设第一责任人职责情况",
                    "三、存在的不足和原因", "四、下一年度工作安排"):
        assert heading in text
    assert "市政府印发通知，领导小组更名为市法治政府建设工作领导小组" in text
    assert "完成机构设置和人员划转方案" in text and "已于12月20日完成" in text
    assert "中共杭州市司法局党组书记" in text and "杭州市司法局局长" in text
    assert "附件：2017年度工作任务完成情况表" in text and "杭州市司法局2018年2月20日" in text
    assert "【" not in text
    assert all(f.embedded for f in pdffonts(out))


def test_the_bureaus_report_as_word(db: Path, bureau_tasks, tmp_path: Path,
                                    capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "司法局.docx"
    code, _stdout, err = run(capsys, "--db", str(db), "annual-report", "--unit", str(BUREAU),
                             "--year", "2017", "-o", str(out), "--draft", "--today", TODAY,
                             "--date", "2018-02-26", "--no-table")
    assert code == 0, err
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、主要举措和成效" and len(headings) == 4
    assert ("落款", "2018年2月26日") in [(p.style.name, p.text) for p in doc.paragraphs]
    assert doc.tables == []  # --no-table


@needs_poppler
def test_a_district_named_by_no_task_gets_notes_to_fill_in(db: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "上城区.pdf"
    code, _stdout, err = run(capsys, "--db", str(db), "annual-report", "--unit", str(DISTRICT),
                             "--year", "2017", "-o", str(out), "--draft", "--today", TODAY)
    assert code == 0 and "【】标出的待填写内容" in err
    text = squash(pdftotext(out))
    assert text.startswith("杭州市上城区人民政府2017年法治政府建设年度报告")
    assert "没有列明由杭州市上城区人民政府承担的具体任务" in text
    assert "【《杭州市2017年法治政府建设工作要点》中没有本单位承担的任务。" in text
    assert "杭州市上城区党政主要负责人" in text and "中共杭州市上城区委书记" in text
    assert "附件" not in text  # no tasks, no task table


def test_without_the_draft_unwritten_parts_are_left_out_and_said(db: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture):
    code, _out, err = run(capsys, "--db", str(db), "annual-report", "--unit", str(BUREAU),
                          "--year", "2017", "-o", str(tmp_path / "空.pdf"), "--today", TODAY)
    assert code == 0 and "尚未填写，未印出" in err


def test_the_deadline_is_reminded_until_the_report_is_submitted(db: Path,
                                                                capsys: pytest.CaptureFixture):
    code, out, _err = run(capsys, "--db", str(db), "annual-report", "--due", "--today", TODAY,
                          "--json")
    due = {d["unit_id"]: d for d in json.loads(out)}
    assert code == 0 and due[BUREAU]["label"] == "临期（还有 9 天）"
    assert due[BUREAU]["deadline"] == "2018-03-01" and DISTRICT not in due  # 4月1日: not yet
    code, out, _err = run(capsys, "--db", str(db), "annual-report", "--unit", str(BUREAU),
                          "--year", "2017", "--submitted", "2018-02-25")
    assert code == 0 and "2018-02-25" in out
    code, out, _err = run(capsys, "--db", str(db), "annual-report", "--due", "--today",
                          "2018-03-20")
    assert "杭州市司法局" not in out and "【临期（还有 12 天）】杭州市上城区人民政府" in out
    run(capsys, "--db", str(db), "annual-report", "--unit", str(BUREAU), "--year", "2017",
        "--submitted", "")
    code, out, _err = run(capsys, "--db", str(db), "annual-report", "--due", "--today",
                          "2018-03-20")
    assert "【逾期 19 天】杭州市司法局2017年法治政府建设年度报告应于2018年3月1日前报送" in out


@pytest.mark.parametrize(("argv", "code", "message"), [
    (("--unit", "999", "--year", "2017", "-o", "x.pdf"), 1, "单位（编号 999）不存在"),
    (("--unit", "15", "--year", "2017"), 2, "请用 -o 指定报告文件"),
    (("--year", "2017", "-o", "x.pdf"), 2, "请指定 --unit"),
    (("--unit", "15", "--year", "2017", "-o", "x.pdf", "--date", "2016-05-01"), 1,
     "与报告年度2017年不符"),
])
def test_errors_are_chinese_sentences(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                                      argv, code, message) -> None:
    args = [a if a != "x.pdf" else str(tmp_path / "x.pdf") for a in argv]
    got, out, err = run(capsys, "--db", str(db), "annual-report", *args, "--today", TODAY)
    assert got == code and message in err and "Traceback" not in err and out == ""
