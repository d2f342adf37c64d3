"""Make the data packages of older program versions that ``tests/core/test_exchange_package_old.py``
reads. Run with the *old* program on the path, from a checkout of the commit that wrote that
format (the packages in this folder were made so):

    git -C /work/main archive 53b4415 | tar -x -C /tmp/v1    # format version 1
    PYTHONPATH=/tmp/v1 python tests/data/packages/make_old_packages.py 1 tests/data/packages/v1-department.dtpkg
    git -C /work/main archive 4de177a | tar -x -C /tmp/v2    # format version 2
    PYTHONPATH=/tmp/v2 python tests/data/packages/make_old_packages.py 2 tests/data/packages/v2-department.dtpkg

The department: 区司法局 with its head 王建国 (a term from 2020), three records of 2025 (one
with a scanned minutes file, one deleted), his 2025 debrief. Version 2 adds what the program
of that day could hold: study hours, a record citing two articles, the debrief's byline and
sections, a work plan with a task and progress, and the unit's annual report.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from duty_tracker.core.exchange.package import export_package
from duty_tracker.core.storage.store import Store
from tests.conftest import small_rules


def _common(store: Store, folder: Path) -> tuple[int, int, dict[str, int]]:
    store.rules.import_parsed(small_rules(), "测试文本", is_default=True)
    duties = {d["title"]: d["id"] for d in store.rules.duties(store.db.execute(
        "SELECT id FROM rule_sets").fetchone()[0])}
    unit = store.people.add_unit("区司法局", "部门")
    leader = store.people.add_leader("王建国", unit, "party", "局长", "2020-01-01")
    first = store.records.add_record(performed_on="2025-03-02", title="局党组中心组学法", kind="学法",
                                     leader_ids=[leader], duty_ids=[duties["党委理论学习中心组学法"]],
                                     place="三楼会议室")
    scan = folder / "纪要.pdf"
    scan.write_bytes(b"%PDF-1.4 minutes of 2025-03-02")
    store.records.add_attachment(first, scan)
    gone = store.records.add_record(performed_on="2025-04-02", title="误录的一条", kind="其他", leader_ids=[leader])
    store.records.delete_records([gone])
    store.debriefs.save(leader, 2025, achievements="带头学法，推进依法行政。")
    return unit, leader, duties


def _version_two(store: Store, unit: int, leader: int) -> None:
    from duty_tracker.core.storage.tasks_repo import PlanDraft, SectionDraft, TaskDraft

    articles = [a["id"] for a in store.db.query("SELECT id FROM articles ORDER BY number")]
    store.records.add_record(performed_on="2025-06-18", title="年中述法", kind="述职", leader_ids=[leader],
                             hours=2, article_ids=articles[:2])
    store.debriefs.save(leader, 2025, byline="区司法局局长 王建国", study="带头学习宪法和民法典。")
    plan = store.tasks.add_plan(PlanDraft("2025年法治政府建设工作要点", 2025, sections=[SectionDraft("依法行政", "一、")],
                                          tasks=[TaskDraft("完善合法性审核机制", section=0, due="2025-12-31",
                                                           units=[(unit, "lead")])]))
    task = store.tasks.tasks(plan_id=plan)[0]["id"]
    store.tasks.add_progress(task, unit, "2025-05-10", "已起草审核办法")
    store.annual_reports.save(unit, 2025, measures="全面推行合法性审核。")


def main(version: int, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store.open(folder / "department.db", actor="区司法局") as store:
            unit, leader, _duties = _common(store, folder)
            if version >= 2:
                _version_two(store, unit, leader)
            manifest = export_package(store, unit, out)
    assert manifest["version"] == version, manifest["version"]
    print(manifest["path"])


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
