"""Screenshots of the 负责人与单位, 规则与事项 and 述职报告 pages and their dialogs, taken
offscreen at 1366×768 on a demo database, to look at the layout without a display.

    python tools/screenshot_people_rules.py [--db /tmp/shot2.db] [--out /tmp/shots]

The demo database is made with ``duty-tracker demo --leaders 40 --years 3 --records 30`` when
it does not exist yet.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

RULES_SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "rules" / "county-arabic-articles.txt"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/shot2.db")
    parser.add_argument("--out", default="/tmp/shots")
    args = parser.parse_args()
    db = Path(args.db)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not db.exists():
        subprocess.run([sys.executable, "-m", "duty_tracker", "demo", "--leaders", "40", "--years", "3",
                        "--records", "30", "--db", str(db)], check=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from duty_tracker.core.rules import parse_rules_text, read_rules_file
    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.app import create_application
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.main_window import MainWindow

    app = create_application([sys.argv[0]])
    ledger = open_ledger(db)
    store = ledger.store
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(ledger=ledger, settings=settings)
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def shoot(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    people = window.go_to("PeoplePage")
    # a unit with several leaders, so the table is not empty
    busiest = max(store.people.units(), key=lambda u: len(store.people.leaders(u["id"])))
    people.select_unit(busiest["id"])
    leaders = store.people.leaders(busiest["id"])
    if leaders:
        people.select_leader(leaders[0]["id"])
    shoot(window, "01_people_page")

    from duty_tracker.ui.dialogs.handover_dialog import HandoverDialog
    from duty_tracker.ui.dialogs.leader_dialog import LeaderDialog, TermDialog
    from duty_tracker.ui.dialogs.unit_dialog import UnitDialog

    for dialog, name in (
        (UnitDialog(ctx, store.people.unit(busiest["id"]), parent=window), "02_unit_dialog"),
        (LeaderDialog(ctx, store.people.leader(leaders[0]["id"]), parent=window), "03_leader_dialog"),
        (TermDialog(ctx.today(), None, parent=window), "04_term_dialog"),
        (HandoverDialog(ctx, store.people.leader(leaders[0]["id"]), parent=window), "05_handover_dialog"),
    ):
        dialog.show()
        shoot(dialog, name)
        dialog.close()

    rules = window.go_to("RulesPage")
    shoot(window, "06_rules_page")
    rules.tabs.setCurrentIndex(1)
    shoot(window, "07_rules_articles")
    rules.tabs.setCurrentIndex(0)

    from duty_tracker.ui.dialogs.duty_dialog import DutyDialog
    from duty_tracker.ui.dialogs.rules_import_dialog import RulesImportDialog, RulesPasteDialog

    duty = rules.duty_model.row_at(0)
    rule_set_id = rules.current_rule_set_id()
    text = read_rules_file(RULES_SAMPLE)
    for dialog, name in (
        (DutyDialog(ctx, rule_set_id, store.rules.duty(duty["id"]), parent=window), "08_duty_dialog"),
        (RulesPasteDialog(window), "09_paste_dialog"),
        (RulesImportDialog(ctx, parse_rules_text(text), text, RULES_SAMPLE.name, parent=window),
         "10_rules_import_review"),
    ):
        dialog.show()
        shoot(dialog, name)
        dialog.close()

    debrief = window.go_to("DebriefPage")
    debrief.year_spin.setValue(ctx.today().year - 1)
    if debrief.leader_model.rowCount():
        debrief.ask_draft_mode = lambda: "all"  # no modal question in a script
        debrief.generate_draft()
    shoot(window, "11_debrief_page")

    from duty_tracker.ui.dialogs.debrief_batch_dialog import DebriefBatchDialog

    batch = DebriefBatchDialog(debrief.year, ctx.today(), debrief._year_leaders, debrief._units, str(out),
                               parent=window)
    batch.show()
    shoot(batch, "12_batch_dialog")
    batch.close()

    window.close()
    ledger.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
