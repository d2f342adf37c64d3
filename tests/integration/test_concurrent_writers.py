"""Three processes writing to one database at once: every save succeeds.

Each writer reads inside its transaction before it writes (as the repositories do: validate,
then insert). With a deferred ``BEGIN`` SQLite refuses such a transaction at once with
"database is locked" when another process is writing, whatever the busy timeout; a third of
the saves failed that way. Transactions now take the write lock when they begin and wait.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from duty_tracker.core.storage.store import Store

SAVES = 40
WRITER = r"""
import sys
from duty_tracker.core.storage.store import Store
store = Store.open(sys.argv[1], migrate=False, actor=sys.argv[3])
leader, failures = int(sys.argv[2]), 0
for i in range(SAVES):
    try:
        with store.db.atomic():
            before = store.db.execute("SELECT count(*) FROM records").fetchone()[0]
            store.records.add_record(performed_on="2025-03-01", title=f"{sys.argv[3]} {i} {before}",
                                     kind="会议", leader_ids=[leader])
    except Exception as exc:
        failures += 1
        print(type(exc).__name__, exc, file=sys.stderr)
print(failures)
""".replace("SAVES", str(SAVES))


def test_three_writers_at_once_all_succeed(store: Store, unit_id: int, tmp_path: Path) -> None:
    leader = store.people.add_leader("王建国", unit_id, "party", "区委书记", "2020-01-01")
    path = str(store.path)
    store.close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, str(script), path, str(leader), f"写入{n}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _out, err in results]
    assert [out.strip() for out, _err in results] == ["0", "0", "0"], [err for _o, err in results]
    with Store.open(path) as reopened:
        count = reopened.db.execute("SELECT count(*) FROM records").fetchone()[0]
    assert count == 3 * SAVES
