"""``report`` and ``summary`` through the command-line entry point on a demo database."""

from __future__ import annotations

from pathlib import Path

import pytest

from duty_tracker.cli import main as cli_main
from tests.core.test_report_support import needs_poppler, page_size, pdffonts, pdftotext, squash

TODAY = "2025-11-20"
MODULE = "duty_tracker.cli.report_commands"


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands are in COMMAND_MODULES once the lead wires them; until then, add them."""
    if MODULE not in cli_main.COMMAND_MODULES:
        monkeypatch.setattr(cli_main, "COMMAND_MODULES", (*cli_main.COMMAND_MODULES, MODULE))


def run(*argv: str) -> int:
    return cli_main.main(list(argv))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("rep") / "demo.db"
    assert cli_main.main(["--db", str(db), "demo", "--leaders", "6", "--years", "1",
                          "--records", "15", "--today", TODAY]) == 0
    return db


@needs_poppler
def test_report_for_one_leader(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "one.pdf"
    assert run("--db", str(demo_db), "report", "--leader", "1", "--year", "2025", "-o", str(out),
               "--today", TODAY, "--draft") == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = squash(pdftotext(out))
    assert "履行推进法治建设第一责任人职责情况的述职述法报告" in text
    assert "一、履行第一责任人职责、统筹部署法治建设" in text and "存在的问题和不足" in text
    assert "下一步工作打算" not in text  # leader 1 of this demo left in March: no plans
    assert "附件1" in text and "法定履职事项完成情况统计表" in text
    assert all(f.embedded for f in pdffonts(out))
    assert round(page_size(out)[0]) == 595


def test_report_all_writes_one_pdf_per_leader(demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "all"
    assert run("report", "--db", str(demo_db), "--all", "--year", "2025", "-o", str(folder),
               "--today", TODAY, "--jobs", "2") == 0
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) >= 6
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert pdfs[0].name.startswith("2025年度述职报告-0001-")
    assert not list(folder.glob("*.tmp"))


@needs_poppler
def test_summary(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    assert run("summary", "--db", str(demo_db), "--year", "2025", "-o", str(out),
               "--today", TODAY) == 0
    w, h = page_size(out)
    assert w > h
    assert "汇总表" in squash(pdftotext(out))


def test_errors_are_chinese_and_non_zero(demo_db: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture) -> None:
    assert run("report", "--db", str(demo_db), "--leader", "999", "--year", "2025",
               "-o", str(tmp_path / "x.pdf")) == 1
    assert "负责人（编号 999）不存在" in capsys.readouterr().err
    assert run("report", "--db", str(tmp_path / "missing.db"), "--leader", "1", "--year",
               "2025", "-o", str(tmp_path / "x.pdf")) == 1
    assert "数据库不存在" in capsys.readouterr().err
    file = tmp_path / "a-file"
    file.write_text("x")
    assert run("report", "--db", str(demo_db), "--all", "--year", "2025", "-o", str(file)) == 1
    assert "需要一个文件夹" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # --leader and --all together: a usage error
        run("report", "--db", str(demo_db), "--all", "--leader", "1", "--year", "2025",
            "-o", str(tmp_path))
