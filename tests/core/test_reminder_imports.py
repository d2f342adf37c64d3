"""The dashboard's notes (work-point tasks due, annual reports due) are worked out just after
the window first paints, on the UI thread: their use cases must not load openpyxl, reportlab,
python-docx or the text parsers, which take longer to load than the notes take to work out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NOTES = r"""
import sys
from datetime import date
from duty_tracker.core.services.annual_due import annual_reports_due
from duty_tracker.core.services.ledger import open_ledger
from duty_tracker.core.services.workpoints import task_reminders
ledger = open_ledger(sys.argv[1], purpose="测试", window=False)
task_reminders(ledger.store, 2025, date(2025, 6, 1))
annual_reports_due(ledger.store, date(2026, 2, 20))
ledger.close()
heavy = ("openpyxl", "reportlab", "docx", "duty_tracker.core.rules.parser",
         "duty_tracker.core.workpoints.parser")
print(sorted(m for m in heavy if m in sys.modules))
"""


def test_the_dashboards_notes_load_no_document_libraries(tmp_path: Path) -> None:
    from duty_tracker.core.services.ledger import open_ledger

    path = tmp_path / "ledger.db"
    open_ledger(path, purpose="测试", window=False).close()  # created and seeded first
    run = subprocess.run([sys.executable, "-c", NOTES, str(path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    assert run.stdout.strip() == "[]"


CACHED_STATUS = r"""
import sys
from datetime import date
from duty_tracker.core.services.ledger import open_ledger
from duty_tracker.core.status_cache import cached_year_status
ledger = open_ledger(sys.argv[1], purpose="测试", window=False)
cached_year_status(ledger.store, 2025, today=date(2025, 6, 1), warn_days=30)
ledger.close()
print("dateutil" in sys.modules)
"""


def test_the_years_status_read_back_from_the_cache_loads_no_dateutil(tmp_path: Path) -> None:
    """The window's start with an unchanged file paints from the cache: the periods' date
    library is loaded only when periods are really worked out (the first run here)."""
    from duty_tracker.core.services.ledger import open_ledger
    path = tmp_path / "ledger.db"
    ledger = open_ledger(path, purpose="测试", window=False)
    unit_id = ledger.store.people.add_unit("西湖区", "区县")
    ledger.store.people.add_leader("王明", unit_id, "party", term_start="2020-01-01")
    ledger.close()
    runs = [subprocess.run([sys.executable, "-c", CACHED_STATUS, str(path)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, check=True).stdout.strip()
            for _ in range(2)]
    assert runs == ["True", "False"]
