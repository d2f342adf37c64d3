"""Two (and three) offices exchanging data packages with the real command line: edits of
different fields both survive, an edit of the same field on both sides is a conflict that is
kept and settled by choice, edits made by direct SQL are seen, a deletion is reported as one,
and rows a package cannot carry are refused one by one with Chinese messages."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from duty_tracker.core.exchange.conflicts import list_conflicts, resolve_conflict
from duty_tracker.core.exchange.package import export_package, import_package, preview_package
from tests.conftest import small_rules
from tests.integration.fs_helpers import cli
from tests.store_helpers import bare_store

RAW_SQL_WORDS = ("SELECT", "INSERT", "UPDATE ", "DELETE FROM", "constraint failed", "sqlite", "Traceback")


def _office(path: Path) -> tuple[int, int]:
    """A department office: its unit, a leader, two records. Returns (unit id, leader id)."""
    store = bare_store(path, actor="部门")
    store.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    unit = store.people.add_unit("区司法局", "部门")
    leader = store.people.add_leader("王建国", unit, "other", "局长", "2020-01-01")
    duty = {d["title"]: d["id"] for d in store.rules.duties_for_year(2025)}["党委理论学习中心组学法"]
    store.records.add_record(performed_on="2025-03-02", title="局党组中心组学法", kind="学法",
                             leader_ids=[leader], duty_ids=[duty], place="三楼会议室")
    store.records.add_record(performed_on="2025-04-02", title="年中述法", kind="述职", leader_ids=[leader])
    store.close()
    return unit, leader


def _district(path: Path) -> None:
    store = bare_store(path, actor="区")
    store.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    store.close()


def _send(source: Path, target: Path, tmp: Path, name: str, *, via_cli: bool = False) -> dict:
    """Export the department's unit from ``source`` and import it into ``target`` — with the
    real command line in new processes, or in this process (the same functions) for speed."""
    pkg = tmp / f"{name}.dtpkg"
    with bare_store(source, migrate=False) as store:
        unit = next(u["id"] for u in store.people.units() if u["name"] == "区司法局")
        if not via_cli:
            export_package(store, unit, pkg)
    if not via_cli:
        with bare_store(target, migrate=False) as store:
            result = import_package(store, pkg).to_json()
        assert not any(w in json.dumps(result, ensure_ascii=False) for w in RAW_SQL_WORDS)
        return result
    done = cli("export-package", "--unit", str(unit), "-o", str(pkg), "--db", str(source))
    assert done.returncode == 0, done.stderr
    done = cli("import-package", str(pkg), "--json", "--db", str(target))
    assert done.returncode == 0, done.stderr
    for word in RAW_SQL_WORDS:
        assert word not in done.stdout + done.stderr, (word, done.stdout, done.stderr)
    return json.loads(done.stdout)


def _record(path: Path, title_like: str) -> dict:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM records WHERE title LIKE ?", [f"%{title_like}%"]).fetchone())
    finally:
        conn.close()


def _edit(path: Path, title_like: str, **fields: str) -> None:
    with bare_store(path, migrate=False) as store:
        store.records.update_record(_record(path, title_like)["id"], **fields)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """A department and its district, after the first package went up."""
    dept, district = tmp_path / "dept.db", tmp_path / "district.db"
    _office(dept)
    _district(district)
    first = _send(dept, district, tmp_path, "first")
    assert first["added"]["records"] == 2 and first["conflicts"] == []
    return dept, district


def test_edits_of_different_fields_survive_an_exchange_in_both_directions(pair, tmp_path: Path) -> None:
    dept, district = pair
    _edit(dept, "中心组", place="局机关五楼")          # the department corrects the place
    _edit(district, "中心组", title="局党组理论学习中心组（扩大）学法")  # the district the title
    up = _send(dept, district, tmp_path, "up", via_cli=True)
    assert up["updated"] == {"records": 1} and up["conflicts"] == []
    down = _send(district, dept, tmp_path, "down", via_cli=True)
    assert down["updated"] == {"records": 1} and down["conflicts"] == []
    for db in (dept, district):
        row = _record(db, "中心组")
        assert (row["title"], row["place"]) == ("局党组理论学习中心组（扩大）学法", "局机关五楼"), db
    # And again both ways: nothing more to do.
    assert _send(dept, district, tmp_path, "again")["updated"] == {}
    assert _send(district, dept, tmp_path, "again2")["updated"] == {}


def test_the_same_field_changed_on_both_sides_is_kept_and_settled_by_choice(pair, tmp_path: Path) -> None:
    dept, district = pair
    _edit(dept, "中心组", place="局机关五楼")
    _edit(district, "中心组", place="区委党校")
    up = _send(dept, district, tmp_path, "up")
    assert [(c["field"], c["local"], c["package"]) for c in up["conflicts"]] == [("place", "区委党校", "局机关五楼")]
    assert _record(district, "中心组")["place"] == "区委党校"  # nothing overwritten …
    # … and sending back neither overwrites the department nor doubles the conflict there.
    down = _send(district, dept, tmp_path, "down")
    assert down["conflicts"] == [] and _record(dept, "中心组")["place"] == "局机关五楼"
    with bare_store(district, migrate=False) as store:
        [conflict] = list_conflicts(store)
        assert (conflict.local_text, conflict.package_text) == ("区委党校", "局机关五楼")
        message = resolve_conflict(store, conflict.id, "package")
        assert "采用数据包的内容" in message and list_conflicts(store) == []
    assert _record(district, "中心组")["place"] == "局机关五楼"
    # The choice travels: both ways again, no conflict, one value everywhere.
    assert _send(district, dept, tmp_path, "settled")["conflicts"] == []
    assert _send(dept, district, tmp_path, "settled2")["conflicts"] == []
    assert _record(dept, "中心组")["place"] == _record(district, "中心组")["place"] == "局机关五楼"


def test_keeping_the_local_side_of_a_conflict_travels_to_the_other_office(pair, tmp_path: Path) -> None:
    dept, district = pair
    _edit(dept, "述法", title="年中述法（部门稿）")
    _edit(district, "述法", title="年中述法（区里审定稿）")
    assert len(_send(dept, district, tmp_path, "up")["conflicts"]) == 1
    with bare_store(district, migrate=False) as store:
        assert "保留本机的内容" in resolve_conflict(store, list_conflicts(store)[0].id, "local")
        with pytest.raises(Exception, match="处理过"):
            resolve_conflict(store, list_conflicts(store, include_resolved=True)[0].id, "package")
    down = _send(district, dept, tmp_path, "down")
    assert down["conflicts"] == [] and down["updated"] == {"records": 1}
    assert _record(dept, "述法")["title"] == "年中述法（区里审定稿）"
    assert _send(dept, district, tmp_path, "again")["conflicts"] == []


def test_an_edit_by_direct_sql_is_seen_by_the_merge(pair, tmp_path: Path) -> None:
    dept, district = pair
    conn = sqlite3.connect(dept)  # an administrator's sqlite3 shell: updated_at untouched
    conn.execute("UPDATE records SET minutes_number = '司法〔2025〕7号' WHERE title LIKE '%中心组%'")
    conn.commit()
    conn.close()
    up = _send(dept, district, tmp_path, "up")
    assert up["updated"] == {"records": 1} and up["conflicts"] == []
    assert _record(district, "中心组")["minutes_number"] == "司法〔2025〕7号"
    # An SQL edit on the receiving side is not overwritten by the package's edit of the same field.
    conn = sqlite3.connect(district)
    conn.execute("UPDATE records SET participants = '区领导' WHERE title LIKE '%中心组%'")
    conn.commit()
    conn.close()
    _edit(dept, "中心组", participants="局班子成员")
    up = _send(dept, district, tmp_path, "up2")
    assert [(c["local"], c["package"]) for c in up["conflicts"]] == [("区领导", "局班子成员")]
    assert _record(district, "中心组")["participants"] == "区领导"


def test_a_deletion_is_reported_as_a_deletion_and_a_restore_as_a_restore(pair, tmp_path: Path) -> None:
    dept, district = pair
    with bare_store(dept, migrate=False) as store:
        store.records.delete_records([_record(dept, "述法")["id"]])
    up = _send(dept, district, tmp_path, "deleted")
    assert up["deleted"] == {"records": 1} and up["updated"] == {}
    assert _record(district, "述法")["deleted_at"] is not None
    pkg = tmp_path / "deleted.dtpkg"
    done = cli("import-package", str(pkg), "--dry-run", "--db", str(district))
    assert "删除" not in done.stdout  # nothing left to delete
    with bare_store(dept, migrate=False) as store:
        store.records.restore_records([_record(dept, "述法")["id"]])
    with bare_store(dept, migrate=False) as store:
        unit = store.people.units()[0]["id"]
    done = cli("export-package", "--unit", str(unit), "-o", str(tmp_path / "back.dtpkg"), "--db", str(dept))
    assert done.returncode == 0
    done = cli("import-package", str(tmp_path / "back.dtpkg"), "--db", str(district))
    assert "恢复（移出回收站）：履职纪实 1" in done.stdout, done.stdout
    assert _record(district, "述法")["deleted_at"] is None


def test_three_offices_never_see_a_false_conflict(pair, tmp_path: Path) -> None:
    dept, district = pair
    city = tmp_path / "city.db"
    _district(city)
    assert _send(district, city, tmp_path, "d2c")["added"]["records"] == 2
    assert _send(dept, city, tmp_path, "a2c")["conflicts"] == []  # the same rows, by another road
    _edit(dept, "中心组", place="新址")
    _send(dept, district, tmp_path, "a2d")
    via_district = _send(district, city, tmp_path, "d2c-2")
    assert via_district["updated"] == {"records": 1} and via_district["conflicts"] == []
    assert _send(dept, city, tmp_path, "a2c-2")["updated"] == {}  # already known: nothing to do
    assert _record(city, "中心组")["place"] == "新址"


def _tamper(pkg: Path, out: Path, change) -> Path:  # noqa: ANN001
    import hashlib
    import zipfile

    with zipfile.ZipFile(pkg) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    data = json.loads(members["data.json"])
    change(data["tables"])
    members["data.json"] = json.dumps(data, ensure_ascii=False).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["files"]["data.json"] = hashlib.sha256(members["data.json"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out


def test_rows_a_package_cannot_carry_are_refused_one_by_one(tmp_path: Path) -> None:
    dept, district = tmp_path / "dept.db", tmp_path / "district.db"
    unit, _leader = _office(dept)
    _district(district)
    with bare_store(dept, migrate=False) as store:
        pkg = Path(export_package(store, unit, tmp_path / "ok.dtpkg")["path"])

    def break_rows(tables: dict) -> None:
        good, other = tables["records"]
        tables["records"] = [good]
        for index, change in enumerate([
            {"leader_uuids": ["00000000-0000-4000-8000-000000000001"]},  # a leader nobody knows
            {"leader_uuids": []},                                         # no leader at all
            {"title": 12345},                                             # a number for a title
            {"leader_uuids": "王建国"},                                    # text instead of a list
            {"place": ["三楼"]},                                           # a list instead of text
            {"kind": "吃饭"},                                              # not a record kind
            {"performed_on": "2025-02-30"},                               # no such day
            {"uuid": "not-a-uuid"},
            {"deleted_at": True},
        ]):
            row = {**other, **change}
            if "uuid" not in change:
                row["uuid"] = f"00000000-0000-4000-8000-{index:012d}"
            tables["records"].append(row)
        tables["leaders"].append("不是一行数据")
        tables["debriefs"].append({"uuid": "00000000-0000-4000-8000-00000000abcd", "leader_uuid":
                                   tables["leaders"][0]["uuid"], "year": "2025"})

    bad = _tamper(pkg, tmp_path / "bad.dtpkg", break_rows)
    with bare_store(district) as store:
        result = import_package(store, bad)
        titles = [r["title"] for r in store.db.query("SELECT title FROM records")]
        orphans = store.db.execute("SELECT count(*) FROM records WHERE id NOT IN "
                                   "(SELECT record_id FROM record_leaders)").fetchone()[0]
    assert titles == ["局党组中心组学法"] and orphans == 0
    assert len(result.refused) == 11, result.refused
    text = "\n".join(result.refused)
    for words in ("负责人既不在本机", "没有任何负责人", "“标题”应为文字，实为整数", "“负责人”应为列表，实为文字",
                  "“地点”应为文字，实为列表", "类型不正确", "不存在", "唯一标识格式不正确", "“删除时间”应为文字，实为是/否",
                  "不是对象", "“年度”应为整数，实为文字"):
        assert words in text, (words, text)
    for word in RAW_SQL_WORDS:
        assert word not in text


def test_a_package_without_version_vectors_never_overwrites_silently(pair, tmp_path: Path) -> None:
    """A package of the first format (an office still on the old program) has no history:
    a field that differs is a conflict, a blank is filled, nothing is lost."""
    dept, district = pair
    _edit(dept, "中心组", place="局机关五楼", participants="全体班子成员")
    _edit(district, "中心组", place="区委党校")
    with bare_store(dept, migrate=False) as store:
        pkg = Path(export_package(store, store.people.units()[0]["id"], tmp_path / "v2.dtpkg")["path"])

    def strip(tables: dict) -> None:
        for rows in tables.values():
            for row in rows:
                row.pop("_clock", None)

    old = _tamper(pkg, tmp_path / "old.dtpkg", strip)
    with bare_store(district) as store:
        result = preview_package(store, old)
    assert [(c.field, c.local_text, c.package_text) for c in result.conflicts] == [("place", "区委党校", "局机关五楼")]
    assert result.updated == {"records": 1}  # the blank participants are filled


def test_conflicts_are_listed_and_settled_from_the_command_line(pair, tmp_path: Path) -> None:
    dept, district = pair
    _edit(dept, "述法", title="年中述法（部门稿）")
    _edit(district, "述法", title="年中述法（区里审定稿）")
    _send(dept, district, tmp_path, "up")
    listed = cli("conflicts", "--json", "--db", str(district))
    assert listed.returncode == 0, listed.stderr
    [conflict] = json.loads(listed.stdout)
    assert (conflict["local"], conflict["package"]) == ("年中述法（区里审定稿）", "年中述法（部门稿）")
    done = cli("conflicts", "resolve", str(conflict["id"]), "--keep", "package", "--db", str(district))
    assert done.returncode == 0 and "采用数据包" in done.stdout, done.stderr
    assert _record(district, "述法")["title"] == "年中述法（部门稿）"
    assert "没有待处理的冲突" in cli("conflicts", "--db", str(district)).stdout
    again = cli("conflicts", "resolve", str(conflict["id"]), "--keep", "local", "--db", str(district))
    assert again.returncode == 1 and "处理过" in again.stderr


def test_three_offices_exchange_work_points_with_the_command_line(tmp_path: Path) -> None:
    """Department → district → city and back, as the clerks run it: the import summary names
    the work points in Chinese, the city holds every unit's progress and evidence once."""
    from tests.package_helpers import CITY, DEPARTMENT, DISTRICT, evidence, office, task, unit

    paths = {name: tmp_path / f"{name}.db" for name in ("dept", "district", "city")}
    for name, units in (("dept", (DISTRICT, DEPARTMENT)), ("district", (DISTRICT, DEPARTMENT)),
                        ("city", (CITY, DISTRICT, DEPARTMENT))):
        store = office(paths[name], units)
        if name != "city":
            own = unit(store, DEPARTMENT if name == "dept" else DISTRICT)
            scan = store.records.store_attachment_file(evidence(tmp_path, f"{name}.pdf", f"%PDF {name}".encode()))
            store.tasks.add_progress(task(store, "完善合法性审核机制")["id"], own, "2025-05-10",
                                     f"{name}已起草审核办法", attachments=[scan])
        store.close()

    def move(source: str, unit_name: str, target: str) -> str:
        with bare_store(paths[source], migrate=False) as store:
            unit_id = unit(store, unit_name)
        pkg = tmp_path / f"{source}-{target}.dtpkg"
        done = cli("export-package", "--unit", str(unit_id), "-o", str(pkg), "--db", str(paths[source]))
        assert done.returncode == 0, done.stderr
        assert "项工作任务" in done.stderr and "条任务进展" in done.stderr, done.stderr
        done = cli("import-package", str(pkg), "--db", str(paths[target]))
        assert done.returncode == 0, done.stderr
        for word in RAW_SQL_WORDS:
            assert word not in done.stdout + done.stderr, (word, done.stdout)
        return done.stdout

    assert "新增：任务进展 1、进展佐证材料 1" in move("dept", DEPARTMENT, "district")
    assert "新增：任务进展 2、进展佐证材料 2" in move("district", DISTRICT, "city")
    assert "新增：任务进展 1、进展佐证材料 1\n" in move("city", DISTRICT, "dept")
    with bare_store(paths["city"], migrate=False) as city:
        entries = city.tasks.progress([task(city, "完善合法性审核机制")["id"]])
        assert sorted(e["note"] for e in entries) == ["dept已起草审核办法", "district已起草审核办法"]
        assert all(e["attachment_count"] == 1 for e in entries) and len(city.tasks.tasks(2025)) == 2
    with bare_store(paths["dept"], migrate=False) as dept:
        assert len(dept.tasks.progress()) == 2  # the district's entry came down with the city's package
