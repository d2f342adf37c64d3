"""Three offices that exchange data packages: a department (西湖区司法局), its district (西湖区)
and the city (杭州市). Each entered its units and imported the city's work-points document on
its own (other uuids, the same content), as offices really do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from duty_tracker.core.exchange.merge import MergeResult
from duty_tracker.core.exchange.package import export_package, import_package
from duty_tracker.core.storage.store import Store
from duty_tracker.core.storage.tasks_repo import PlanDraft, SectionDraft, TaskDraft
from tests.conftest import small_rules

PLAN_TEXT = "杭州市2025年法治政府建设工作要点\n一、依法行政\n1.完善合法性审核机制。\n2.推行行政执法三项制度。"
CITY, DISTRICT, DEPARTMENT = "杭州市", "西湖区", "西湖区司法局"


def office(path: Path, units: tuple[str, ...]) -> Store:
    """An office with the small rule set, the given units (each under the one before) and the
    city's document, its two tasks assigned to the office's units."""
    store = Store.open(path, actor=path.stem)
    store.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    levels = {CITY: "市", DISTRICT: "区县", DEPARTMENT: "部门"}
    parent = None
    ids = {}
    for name in units:
        parent = ids[name] = store.people.add_unit(name, levels[name], parent)
    mine = [(ids[DEPARTMENT], "lead")] + ([(ids[DISTRICT], "responsible")] if DISTRICT in ids else [])
    store.tasks.add_plan(PlanDraft(
        "杭州市2025年法治政府建设工作要点", 2025, "杭政办〔2025〕1号", "要点.txt", PLAN_TEXT,
        sections=[SectionDraft("依法行政", "一、")],
        tasks=[TaskDraft("完善合法性审核机制", "完善合法性审核机制。", "2025-06-30", "6月底前", section=0,
                         source_text="1.完善合法性审核机制。", named_units=[("市司法局", "lead")], units=mine),
               TaskDraft("推行行政执法三项制度", "推行行政执法三项制度。", "2025-12-31", "年底前", section=0,
                         source_text="2.推行行政执法三项制度。", units=mine)]))
    return store


def unit(store: Store, name: str) -> int:
    return next(u["id"] for u in store.people.units() if u["name"] == name)


def task(store: Store, title: str) -> dict[str, Any]:
    return next(t for t in store.tasks.tasks(2025) + store.tasks.tasks(2025, deleted=True) if t["title"] == title)


def send(source: Store, unit_name: str, target: Store, folder: Path, name: str) -> MergeResult:
    """Export ``unit_name`` (with the units below it) from ``source`` and merge it into ``target``."""
    pkg = Path(export_package(source, unit(source, unit_name), folder / f"{name}.dtpkg")["path"])
    return import_package(target, pkg)


def evidence(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def tampered(pkg: Path, out: Path, change: Any) -> Path:
    """A copy of ``pkg`` whose rows ``change(tables)`` altered, re-listed with the new hash (as a
    careless or hostile tool would write it)."""
    import hashlib
    import json
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
