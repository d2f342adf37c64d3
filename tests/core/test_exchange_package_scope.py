"""A department's supplementary rule set travels with the records that cite it, but does not
start counting at the district: a supplement counts for every leader of the ledger it is in,
and the department meant its own. It arrives unused, the clerk is told why in the import
summary, the records keep their links, and the department's own copy stays a supplement."""

from __future__ import annotations

from pathlib import Path

import pytest

from duty_tracker.core.status import year_status
from tests.conftest import FakeArticle, FakeDuty, FakeRules
from tests.package_helpers import CITY, DEPARTMENT, DISTRICT, office, send, unit

SUPPLEMENT = FakeRules(title="西湖区司法局领导干部学法用法补充清单", articles=[
    FakeArticle(1, "第一条", None, "局领导班子每季度集体学法不少于1次。")],
    duties=[FakeDuty(1, None, "all", "quarter", 1, "局领导班子集体学法")])


@pytest.fixture
def offices(tmp_path: Path):
    dept = office(tmp_path / "dept.db", (DISTRICT, DEPARTMENT))
    district = office(tmp_path / "district.db", (DISTRICT, DEPARTMENT))
    city = office(tmp_path / "city.db", (CITY, DISTRICT, DEPARTMENT))
    yield dept, district, city
    for store in (dept, district, city):
        store.close()


def _duties(store) -> list[str]:
    return sorted(d["title"] for d in store.rules.duties_for_year(2025))


def test_a_departments_supplement_arrives_unused_and_stays_a_supplement_at_home(offices, tmp_path: Path) -> None:
    dept, district, city = offices
    supplement = dept.rules.import_parsed(SUPPLEMENT, "补充清单全文", scope="supplement", from_year=2025)
    duty = dept.rules.duties(supplement)[0]["id"]
    head = dept.people.add_leader("王建国", unit(dept, DEPARTMENT), "other", "局长", "2020-01-01")
    dept.records.add_record(performed_on="2025-03-20", title="一季度局领导班子集体学法", kind="学法",
                            leader_ids=[head], duty_ids=[duty])
    district_head = district.people.add_leader("李明", unit(district, DISTRICT), "party", "区委书记", "2020-01-01")
    before = _duties(district)
    counted_before = {p.duty_id for p in year_status(district, 2025, leader_ids=[district_head]).periods}

    result = send(dept, DEPARTMENT, district, tmp_path, "up")
    assert result.added["rule_sets"] == 1 and not result.refused
    assert district.rules.supplements_for_year(2025) == [] and _duties(district) == before
    assert "《西湖区司法局领导干部学法用法补充清单》是报送单位的补充规则（2025年起计入）" in result.summary()
    assert "已作为未启用的规则加入" in result.summary()
    counted_after = {p.duty_id for p in year_status(district, 2025, leader_ids=[district_head]).periods}
    assert counted_after == counted_before, "the district's own heads owe nothing more"
    arrived = district.db.execute("SELECT id, scope, from_year, is_default FROM rule_sets WHERE title = ?",
                                  [SUPPLEMENT.title]).fetchone()
    assert tuple(arrived[1:]) == ("main", None, 0)
    assert district.rules.rule_set_for_year(2025) != arrived[0]
    linked = district.db.execute("SELECT d.title FROM record_duties rd JOIN duties d ON d.id = rd.duty_id").fetchall()
    assert linked == [("局领导班子集体学法",)], "the record keeps its duty"

    # Back home the supplement is the department's own, unchanged; further up it stays unused.
    back = send(district, DEPARTMENT, dept, tmp_path, "down")
    assert not back.added["rule_sets"] and not back.notes
    assert dept.rules.supplements_for_year(2025) == [supplement]
    assert not send(district, DISTRICT, city, tmp_path, "city").refused
    assert city.rules.supplements_for_year(2025) == []

    # The district's clerk decides it applies there too: nothing in later packages undoes that.
    district.rules.set_scope(arrived[0], "supplement", 2025)
    assert not send(dept, DEPARTMENT, district, tmp_path, "again").notes
    assert district.rules.supplements_for_year(2025) == [arrived[0]]


def test_a_supplement_without_years_is_described_as_counting_every_year(offices, tmp_path: Path) -> None:
    dept, district, _city = offices
    supplement = dept.rules.import_parsed(SUPPLEMENT, "补充清单全文", scope="supplement")
    head = dept.people.add_leader("王建国", unit(dept, DEPARTMENT), "other", "局长", "2020-01-01")
    dept.records.add_record(performed_on="2025-03-20", title="集体学法", kind="学法", leader_ids=[head],
                            duty_ids=[dept.rules.duties(supplement)[0]["id"]])
    assert "（各年度计入）" in send(dept, DEPARTMENT, district, tmp_path, "up").summary()
