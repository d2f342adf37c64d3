"""Screenshots of the dashboard, the record list and a filled record form at 1366×768, for
looking at the window without a display:

    duty-tracker demo --leaders 40 --years 3 --records 30 --db /tmp/shot.db
    QT_QPA_PLATFORM=offscreen python tools/screenshot_views.py --db /tmp/shot.db -o /tmp/shots
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("-o", "--out", default="/tmp/shots")
    parser.add_argument("--scale", default="1", help="QT_SCALE_FACTOR (High-DPI check: 1.5)")
    args = parser.parse_args()
    os.environ["QT_SCALE_FACTOR"] = args.scale
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.app import create_application
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.main_window import MainWindow

    app = create_application()
    ledger = open_ledger(args.db)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(ledger=ledger, settings=settings)
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    suffix = "" if args.scale == "1" else f"@{args.scale}"

    def shot(widget, name: str) -> None:  # noqa: ANN001
        app.processEvents()
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    dashboard = window.page_by_class("DashboardPage")
    rows = dashboard.summary_model.rowCount()
    target = next((dashboard.summary_model.row_at(r).leader_id for r in range(rows)
                   if dashboard.summary_model.row_at(r).tenure != "全年"), None)
    if target is not None:
        dashboard.select_leader(target)
    shot(window, "dashboard")
    reminder = dashboard.after_window_shown()
    if reminder is not None:
        shot(reminder, "reminders")
        reminder.close()

    records = window.go_to("RecordsPage")
    records.table.selectRow(2)
    shot(window, "records")
    dialog = records.open_selected()
    if dialog is not None:
        dialog.description_edit.setPlainText("会议传达学习了习近平法治思想，研究部署本年度法治建设重点任务。\n形成决定三项。")
        dialog.participants_edit.setText("党委班子成员、各部门主要负责人")
        shot(dialog, "record_dialog")
        dialog._initial = dialog.values()
        dialog.close()
    new = records.new_record()
    shot(new, "record_dialog_new")
    new._initial = new.values()
    new.close()
    window.close()
    QApplication.processEvents()
    ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
