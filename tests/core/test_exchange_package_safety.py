"""Hostile and odd data packages: decompression bombs, a package from a newer version or with
a nonsense version, NUL bytes and odd names, duplicate uuids, a unit that is its own parent,
huge cells, evidence with ":" or "\\" in its extension — refused, or merged, never a crash."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from duty_tracker.core.exchange.package import (
    VERSION,
    PackageError,
    export_package,
    import_package,
    preview_package,
)
from duty_tracker.core.storage.backup import integrity_problems
from duty_tracker.core.storage.integrity import check_database
from duty_tracker.core.storage.store import Store
from tests.conftest import small_rules
from tests.store_helpers import bare_store


@pytest.fixture
def office(store, unit_id, duty_ids, tmp_path: Path):
    leader = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    rid = store.records.add_record(performed_on="2025-03-02", title="中心组学法", kind="学法",
                                   leader_ids=[leader], duty_ids=[duty_ids["党委理论学习中心组学法"]])
    for name in ("纪要.p:df", "照片.jp\\g"):
        scan = tmp_path / name
        scan.write_bytes(name.encode() * 100)
        store.records.add_attachment(rid, scan)
    return store


@pytest.fixture
def package(office, unit_id, tmp_path: Path) -> Path:
    return Path(export_package(office, unit_id, tmp_path / "西湖区.dtpkg")["path"])


def _receiver(tmp_path: Path, name: str = "victim.db") -> Store:
    s = bare_store(tmp_path / name)
    s.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    return s


def _members(pkg: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pkg) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _write(out: Path, members: dict[str, bytes], *, relist: bool = True) -> Path:
    if relist:
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in members.items() if n != "manifest.json"}
        members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def _refused(tmp_path: Path, pkg: Path, match: str) -> None:
    victim = _receiver(tmp_path)
    before = victim.db.execute("SELECT count(*) FROM records").fetchone()[0]
    with pytest.raises(PackageError, match=match):
        import_package(victim, pkg)
    assert victim.db.execute("SELECT count(*) FROM records").fetchone()[0] == before
    assert not integrity_problems(victim.path)
    victim.close()


def test_evidence_with_a_colon_or_backslash_in_its_extension_travels(office, package, tmp_path: Path) -> None:
    names = set(_members(package))
    assert all(":" not in n and "\\" not in n for n in names)
    receiver = _receiver(tmp_path)
    result = import_package(receiver, package)
    assert result.added["attachments"] == 2 and result.files_added == 2 and not result.refused
    stored = [r[0] for r in receiver.db.execute("SELECT stored_path FROM attachments ORDER BY id")]
    assert all(":" not in s and "\\" not in s for s in stored), stored
    assert check_database(receiver.path).ok
    receiver.close()


def test_a_data_part_that_would_inflate_beyond_reason_is_refused_unread(package, tmp_path: Path) -> None:
    members = _members(package)
    bomb = tmp_path / "bomb.dtpkg"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        manifest = json.loads(members["manifest.json"])
        with zf.open("data.json", "w", force_zip64=True) as fh:
            fh.write(b'{"tables": {}, "padding": "')
            chunk = b" " * (1 << 20)
            for _ in range(300):
                fh.write(chunk)
            fh.write(b'"}')
        manifest["files"] = {"data.json": "0" * 64}
        zf.writestr("manifest.json", json.dumps(manifest))
    assert bomb.stat().st_size < 2 << 20
    _refused(tmp_path, bomb, "解压后")


def test_a_package_from_a_newer_or_unknown_version_is_refused_clearly(package, tmp_path: Path) -> None:
    for version, words in ((VERSION + 1, "较新版本"), ("2", "格式版本不正确"), (None, "格式版本不正确"), (True, "格式版本不正确")):
        members = _members(package)
        manifest = json.loads(members["manifest.json"])
        manifest["version"] = version
        members["manifest.json"] = json.dumps(manifest).encode()
        _refused(tmp_path, _write(tmp_path / "v.dtpkg", members, relist=False), words)


def test_odd_member_names_and_structures_are_refused(package, tmp_path: Path) -> None:
    cases = {
        "attachments/a\x00b": "不安全|不符", "attachments/../x": "不安全", "attachments/C:/x": "不安全",
        "extra.txt": "意外的文件",
    }
    for name, words in cases.items():
        members = _members(package)
        members[name] = b"x"
        _refused(tmp_path, _write(tmp_path / "odd.dtpkg", members), words)
    for data, words in ((b"not json", "无法读取"), (b"[]", "无法读取|格式不正确"),
                        (b'{"tables": []}', "格式不正确"), (b'{"tables": {"records": {}}}', "格式不正确"),
                        (b'{"tables": {"records": [' + b"[" * 100000 + b"]" * 100000 + b"]}}", "无法读取")):
        members = _members(package)
        members["data.json"] = data
        _refused(tmp_path, _write(tmp_path / "data.dtpkg", members), words)
    members = _members(package)
    members["manifest.json"] = b'"just a string"'
    _refused(tmp_path, _write(tmp_path / "m.dtpkg", members, relist=False), "不是履职纪实数据包")


def _tables(pkg: Path, out: Path, change) -> Path:  # noqa: ANN001
    members = _members(pkg)
    data = json.loads(members["data.json"])
    change(data["tables"])
    members["data.json"] = json.dumps(data, ensure_ascii=False).encode()
    return _write(out, members)


def test_duplicate_uuids_a_unit_that_is_its_own_parent_and_huge_cells(package, tmp_path: Path) -> None:
    def odd(tables: dict) -> None:
        record = tables["records"][0]
        tables["records"].append({**record, "title": "同一个唯一标识的第二行"})
        unit = tables["units"][0]
        unit["parent_uuid"] = unit["uuid"]
        tables["units"].append({**unit, "uuid": "00000000-0000-4000-8000-0000000000aa", "name": "甲",
                                "parent_uuid": "00000000-0000-4000-8000-0000000000bb"})
        tables["units"].append({**unit, "uuid": "00000000-0000-4000-8000-0000000000bb", "name": "乙",
                                "parent_uuid": "00000000-0000-4000-8000-0000000000aa"})
        tables["records"].append({**record, "uuid": "00000000-0000-4000-8000-0000000000cc",
                                  "description": "很长" * 500_000, "title": "超长的情况说明\x00带空字符"})

    receiver = _receiver(tmp_path)
    result = import_package(receiver, _tables(package, tmp_path / "odd.dtpkg", odd))
    titles = sorted(r[0] for r in receiver.db.execute("SELECT title FROM records"))
    # the record whose 情况说明 runs to a million characters is refused, with its reason
    assert len(titles) == 1 and "超长的情况说明\x00带空字符" not in titles
    assert any("情况说明过长" in line for line in result.refused)
    parents = dict(receiver.db.execute("SELECT name, parent_id IS NOT NULL FROM units").fetchall())
    assert parents["西湖区"] == 0  # a unit is never its own parent
    assert not integrity_problems(receiver.path)
    assert check_database(receiver.path).ok
    assert all("Traceback" not in line for line in result.refused)
    receiver.close()


def test_a_preview_writes_nothing_not_even_sync_bookkeeping(package, tmp_path: Path) -> None:
    receiver = _receiver(tmp_path)
    before = receiver.path.read_bytes()
    result = preview_package(receiver, package)
    assert result.added["records"] == 1 and result.added["attachments"] == 2
    assert receiver.path.read_bytes() == before
    assert not receiver.attachments_dir.exists() or not any(receiver.attachments_dir.rglob("*"))
    receiver.close()


def test_a_receiver_whose_evidence_folder_holds_a_link_is_not_written_through_it(package, tmp_path: Path) -> None:
    receiver = _receiver(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    receiver.attachments_dir.mkdir(parents=True)
    with zipfile.ZipFile(package) as zf:
        sha = next(n for n in zf.namelist() if n.startswith("attachments/")).split("/")[1]
    (receiver.attachments_dir / sha[:2]).symlink_to(outside, target_is_directory=True)
    with pytest.raises(PackageError):
        import_package(receiver, package)
    assert list(outside.iterdir()) == []
    receiver.close()


def test_dates_typed_loosely_in_another_office_merge_without_conflicts(package, tmp_path: Path) -> None:
    def loose(tables: dict) -> None:
        tables["records"][0]["performed_on"] = "2025-3-2 10:00"
        tables["terms"][0]["start_date"] = "２０２０－０１－０１"

    receiver = _receiver(tmp_path)
    first = import_package(receiver, package)
    assert first.added["records"] == 1
    again = import_package(receiver, _tables(package, tmp_path / "loose.dtpkg", loose))
    assert not again.conflicts and not again.refused and not again.updated, again.to_json()
    assert receiver.db.execute("SELECT performed_on FROM records").fetchone()[0] == "2025-03-02"
    fresh = _receiver(tmp_path, "fresh.db")
    result = import_package(fresh, _tables(package, tmp_path / "loose2.dtpkg", loose))
    assert not result.refused
    assert fresh.db.execute("SELECT start_date FROM terms").fetchone()[0] == "2020-01-01"
    receiver.close()
    fresh.close()
