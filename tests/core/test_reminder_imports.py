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
