"""Test setup shared by every group.

Qt aborts without a display unless QT_QPA_PLATFORM=offscreen is set before it is imported, so
it is set here, first. The data folder is pointed at a temporary directory so no test ever
touches a real user's ledger.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from dataclasses import dataclass, field  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_data_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("data_home")
    monkeypatch.setenv("DUTY_TRACKER_HOME", str(home))
    return home


# -- a tiny rule set, independent of the parser, for storage and compliance tests -------------
@dataclass
class FakeClause:
    number: int
    label: str
    text: str


@dataclass
class FakeArticle:
    number: int
    label: str
    chapter: str | None
    text: str
    clauses: list = field(default_factory=list)


@dataclass
class FakeDuty:
    article: int
    clause: int | None
    role: str
    period: str
    min_count: int
    title: str
    source_text: str = ""
    target: str | None = None
    due: str | None = None


@dataclass
class FakeRules:
    title: str
    articles: list
    duties: list
    issuer: str | None = None
    doc_number: str | None = None
    effective_date: str | None = None


def small_rules() -> FakeRules:
    a9 = FakeArticle(9, "第九条", "第二章 党委主要负责人职责", "（二）中心组学法每年不少于2次。",
                     [FakeClause(2, "（二）", "中心组学法每年不少于2次。")])
    a14 = FakeArticle(14, "第十四条", "第三章 政府主要负责人职责", "（二）每半年听取1次汇报。",
                      [FakeClause(2, "（二）", "每半年听取1次汇报。")])
    a20 = FakeArticle(20, "第二十条", "第四章 述职", "年终述职。", [])
    return FakeRules(
        title="测试实施细则",
        articles=[a9, a14, a20],
        duties=[
            FakeDuty(9, 2, "party", "year", 2, "党委理论学习中心组学法"),
            FakeDuty(14, 2, "government", "half_year", 1, "常务会议听取法治政府建设情况汇报"),
            FakeDuty(20, None, "all", "year", 1, "年终述职"),
            FakeDuty(20, None, "all", "quarter", 1, "季度法治工作例会"),
        ],
    )


@pytest.fixture
def store(tmp_path: Path):
    """An open store on a fresh database with the small rule set (no parser involved)."""
    from duty_tracker.core.storage.store import Store

    s = Store.open(tmp_path / "test.db", actor="测试员")
    s.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    yield s
    s.close()


@pytest.fixture
def duty_ids(store) -> dict[str, int]:
    return {d["title"]: d["id"] for d in store.rules.duties_for_year(2025)}


@pytest.fixture
def unit_id(store) -> int:
    return store.people.add_unit("西湖区", "区县")


D = date
