"""Data packages: export, merge by uuid (new / updated / conflict), and refusal of unsafe or
damaged packages before anything is written."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from duty_tracker.core.exchange.package import (
    PackageError,
    export_package,
    import_package,
    preview_package,
    verify_package,
)
from duty_tracker.core.storage.backup import integrity_problems
from duty_tracker.core.storage.store import Store
from tests.conftest import small_rules


@pytest.fixture
def office(store, unit_id, duty_ids, tmp_path: Path):
    """A department office with a leader, two records (one with an attachment) and a debrief."""
    party = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    r1 = store.records.add_record(performed_on="2025-03-02", title="中心组学法", kind="学法",
                                  leader_ids=[party], duty_ids=[duty_ids["党委理论学习中心组学法"]])
    scan = tmp_path / "纪要.pdf"
    scan.write_bytes(b"%PDF-1.4 minutes")
    store.records.add_attachment(r1, scan)
    store.records.add_record(performed_on="2025-04-02", title="述职", kind="述职", leader_ids=[party],
                             duty_ids=[duty_ids["年终述职"]])
    return store


def _district(tmp_path: Path, name: str = "district.db") -> Store:
    s = Store.open(tmp_path / name)
    s.rules.import_parsed(small_rules(), "测试文本", is_default=True)  # same text, other uuids
    return s


def _counts(store) -> dict[str, int]:
    return {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("units", "leaders", "terms", "records", "record_leaders", "record_duties",
                      "attachments", "rule_sets", "duties")}


def test_export_then_import_adds_everything_and_files(office, unit_id, tmp_path: Path) -> None:
    pkg = Path(export_package(office, unit_id, tmp_path / "西湖区")["path"])
    assert pkg.suffix == ".dtpkg" and verify_package(pkg).manifest["unit"]["name"] == "西湖区"
    district = _district(tmp_path)
    preview = preview_package(district, pkg)
    assert preview.added["records"] == 2 and _counts(district)["records"] == 0  # preview wrote nothing
    result = import_package(district, pkg)
    assert result.added["records"] == 2 and result.added["units"] == 1 and result.added["leaders"] == 1
    assert result.added["rule_sets"] == 0, "the same rule text is recognised, not doubled"
    assert result.files_added == 1 and not result.conflicts
    att = district.db.execute("SELECT stored_path, sha256 FROM attachments").fetchone()
    assert (district.attachments_dir / att[0]).read_bytes() == b"%PDF-1.4 minutes"
    links = district.db.execute(
        "SELECT r.title, d.title FROM records r JOIN record_duties rd ON rd.record_id = r.id "
        "JOIN duties d ON d.id = rd.duty_id ORDER BY r.performed_on").fetchall()
    assert links == [("中心组学法", "党委理论学习中心组学法"), ("述职", "年终述职")]
    # Importing again changes nothing.
    before = _counts(district)
    again = import_package(district, pkg)
    assert not again.added and not again.updated and not again.conflicts
    assert _counts(district) == before
    assert not integrity_problems(district.path)
    district.close()


def test_edits_merge_field_by_field_and_a_field_changed_on_both_sides_is_a_kept_conflict(
        office, unit_id, tmp_path: Path) -> None:
    pkg1 = Path(export_package(office, unit_id, tmp_path / "v1.dtpkg")["path"])
    district = _district(tmp_path)
    import_package(district, pkg1)
    # The department edits one record and adds another; both edit the place of a third.
    rec = {r["title"]: r["id"] for r in office.db.query("SELECT id, title FROM records")}
    office.records.update_record(rec["中心组学法"], place="区委大楼")
    leader = office.people.leaders()[0]["id"]
    office.records.add_record(performed_on="2025-05-05", title="新增的", kind="会议", leader_ids=[leader])
    local = district.db.execute("SELECT id FROM records WHERE title = '述职'").fetchone()[0]
    district.records.update_record(local, place="本机修改")
    office.records.update_record(rec["述职"], place="部门修改")
    pkg2 = Path(export_package(office, unit_id, tmp_path / "v2.dtpkg")["path"])
    result = import_package(district, pkg2)
    assert result.added["records"] == 1
    assert result.updated["records"] == 1
    assert [(c.label, c.field, c.local_text, c.package_text) for c in result.conflicts] == [
        ("“述职”（2025-04-02）", "place", "本机修改", "部门修改")]
    assert "两边都修改过" in str(result.conflicts[0])
    places = dict(district.db.execute("SELECT title, place FROM records").fetchall())
    assert places == {"中心组学法": "区委大楼", "述职": "本机修改", "新增的": ""}
    kept = district.db.execute("SELECT local_value, package_value FROM merge_conflicts").fetchall()
    assert kept == [('"本机修改"', '"部门修改"')]
    district.close()


def _rewrite(pkg: Path, out: Path, change) -> Path:  # noqa: ANN001
    with zipfile.ZipFile(pkg) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    members = change(members) or members
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def _assert_refused_and_untouched(tmp_path: Path, pkg: Path, match: str) -> None:
    district = _district(tmp_path, "victim.db")
    before = _counts(district)
    with pytest.raises(PackageError, match=match):
        import_package(district, pkg)
    assert _counts(district) == before
    assert not list(district.attachments_dir.rglob("*")) if district.attachments_dir.exists() else True
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/dt-evil.txt").exists()
    assert not integrity_problems(district.path)
    district.close()


def test_zip_slip_paths_are_refused(office, unit_id, tmp_path: Path) -> None:
    pkg = Path(export_package(office, unit_id, tmp_path / "ok.dtpkg")["path"])
    for bad in ("attachments/../../evil.txt", "/tmp/dt-evil.txt", "attachments/..\\..\\evil.txt",
                "C:/evil.txt"):
        def add(m, bad=bad):
            m[bad] = b"x"
            manifest = json.loads(m["manifest.json"])
            manifest["files"][bad] = __import__("hashlib").sha256(b"x").hexdigest()
            m["manifest.json"] = json.dumps(manifest).encode()
        _assert_refused_and_untouched(tmp_path, _rewrite(pkg, tmp_path / "slip.dtpkg", add), "不安全的路径")


def test_an_attachment_row_pointing_outside_the_folder_is_refused(office, unit_id, tmp_path: Path) -> None:
    pkg = Path(export_package(office, unit_id, tmp_path / "ok.dtpkg")["path"])

    def evil(m):
        data = json.loads(m["data.json"])
        data["tables"]["attachments"][0]["stored_path"] = "../../evil.txt"
        m["data.json"] = json.dumps(data).encode()
        manifest = json.loads(m["manifest.json"])
        manifest["files"]["data.json"] = __import__("hashlib").sha256(m["data.json"]).hexdigest()
        m["manifest.json"] = json.dumps(manifest).encode()
    _assert_refused_and_untouched(tmp_path, _rewrite(pkg, tmp_path / "evil.dtpkg", evil), "不安全")


def test_links_are_refused(office, unit_id, tmp_path: Path) -> None:
    pkg = Path(export_package(office, unit_id, tmp_path / "ok.dtpkg")["path"])
    out = tmp_path / "link.dtpkg"
    with zipfile.ZipFile(pkg) as src, zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("attachments/"):
                info.external_attr = (0o120777 << 16)  # a symbolic link
            zf.writestr(info, data)
    _assert_refused_and_untouched(tmp_path, out, "链接")


def test_hash_mismatch_and_manifest_mismatch_are_refused(office, unit_id, tmp_path: Path) -> None:
    pkg = Path(export_package(office, unit_id, tmp_path / "ok.dtpkg")["path"])

    def tamper(m):
        name = next(n for n in m if n.startswith("attachments/"))
        m[name] = b"forged evidence"
    _assert_refused_and_untouched(tmp_path, _rewrite(pkg, tmp_path / "t.dtpkg", tamper), "校验值不符")

    def tamper_data(m):
        m["data.json"] = m["data.json"].replace("中心组学法".encode(), "伪造的标题".encode())
    _assert_refused_and_untouched(tmp_path, _rewrite(pkg, tmp_path / "d.dtpkg", tamper_data), "校验值不符")

    def extra(m):
        m["attachments/zz/unlisted.pdf"] = b"x"
    _assert_refused_and_untouched(tmp_path, _rewrite(pkg, tmp_path / "e.dtpkg", extra), "清单与内容不符")

    garbage = tmp_path / "garbage.dtpkg"
    garbage.write_bytes(b"PK\x03\x04 not really a zip")
    _assert_refused_and_untouched(tmp_path, garbage, "无法读取|不是")
