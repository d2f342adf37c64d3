"""Packages written by older versions of the program still read: format version 1 (evidence
under its stored path, no version vectors) and version 2 of the day this version began (no work
points, one cited article per record). What they do not carry is left as it is here. The
packages in tests/data/packages were written by those versions (see make_old_packages.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from duty_tracker.core.exchange.package import (
    VERSION,
    import_package,
    preview_package,
    verify_package,
)
from duty_tracker.core.storage.backup import integrity_problems
from duty_tracker.core.storage.records_repo import RecordFilter
from duty_tracker.core.storage.store import Store
from tests.conftest import small_rules

PACKAGES = Path(__file__).resolve().parents[1] / "data" / "packages"


@pytest.fixture
def district(tmp_path: Path):
    store = Store.open(tmp_path / "district.db", actor="区")
    store.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    yield store
    store.close()


def _copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copy(PACKAGES / name, tmp_path / name))


def _titles(store: Store, *, deleted: bool = False) -> list[str]:
    return sorted(r["title"] for r in store.records.search(RecordFilter(deleted=deleted)))


@pytest.mark.parametrize("version", [1, 2])
def test_a_package_of_an_older_version_still_reads_and_merges(district, tmp_path: Path, version: int) -> None:
    pkg = _copy(f"v{version}-department.dtpkg", tmp_path)
    assert verify_package(pkg).version == version < VERSION
    assert preview_package(district, pkg).added["records"] == (2 if version == 2 else 1)
    result = import_package(district, pkg)
    assert not result.refused and not result.conflicts, result.to_json()
    assert result.added["units"] == result.added["leaders"] == result.added["debriefs"] == 1
    assert result.deleted == {"records": 1} and result.files_added == 1 and result.added["rule_sets"] == 0
    assert _titles(district) == ["局党组中心组学法"] + (["年中述法"] if version == 2 else [])
    assert _titles(district, deleted=True) == ["误录的一条"]
    [scan] = district.db.query("SELECT stored_path FROM attachments")
    assert (district.attachments_dir / scan["stored_path"]).read_bytes() == b"%PDF-1.4 minutes of 2025-03-02"
    leader = district.people.leaders()[0]["id"]
    assert district.debriefs.get(leader, 2025)["achievements"] == "带头学法，推进依法行政。"
    again = import_package(district, pkg)
    assert not again.added and not again.updated and not again.conflicts, again.to_json()
    assert not integrity_problems(district.path)


def test_a_version_2_package_brings_the_debriefs_own_fields_and_the_cited_article(district, tmp_path: Path) -> None:
    """Version 2 wrote every column of a debrief, but the merge of that day read only the old
    three; and a record's one cited article came without its link row, so the record showed
    no article at all."""
    import_package(district, _copy("v2-department.dtpkg", tmp_path))
    debrief = district.debriefs.get(district.people.leaders()[0]["id"], 2025)
    assert (debrief["byline"], debrief["study"]) == ("区司法局局长 王建国", "带头学习宪法和民法典。")
    [record] = district.db.query("SELECT id, hours FROM records WHERE title = '年中述法'")
    cited = district.records.record(record["id"])["article_ids"]
    assert [district.db.execute("SELECT label FROM articles WHERE id = ?", [a]).fetchone()[0] for a in cited] == [
        "第九条"]
    assert record["hours"] == 2
    assert district.tasks.tasks(2025) == [] and district.annual_reports.for_year(2025) == {}  # not in version 2


def test_a_version_2_package_does_not_take_away_what_it_cannot_carry(district, tmp_path: Path) -> None:
    """The office here cites two articles; the older package knows only the first."""
    pkg = _copy("v2-department.dtpkg", tmp_path)
    import_package(district, pkg)
    [record] = district.db.query("SELECT id FROM records WHERE title = '年中述法'")
    articles = [a["id"] for a in district.db.query("SELECT id FROM articles ORDER BY number")]
    district.records.update_record(record["id"], article_ids=[articles[0], articles[2]])
    result = import_package(district, pkg)
    assert not result.updated and not result.conflicts, result.to_json()
    assert district.records.record(record["id"])["article_ids"] == [articles[0], articles[2]]
