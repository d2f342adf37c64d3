"""Screenshots for docs/使用说明.md, made offscreen from the demo data so that they stay current.

    python tools/make_user_guide_screenshots.py            # writes docs/images/*.png

Each picture is one view of the real window on a fixed demo database (12 leaders, 2 years,
fixed "today"), so running it again after a change to a page gives the new picture. A page
that does not exist (yet) is skipped with a note. With ``pdftoppm`` (poppler-utils) installed,
the first page of a year-end debrief PDF is rendered too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "images"
TODAY = date(2025, 11, 20)
SIZE = (1280, 760)

#: (file name, page class, what to do on the page before the picture)
PAGES = (
    ("02-总览.png", "DashboardPage", None),
    ("03-履职纪实列表.png", "RecordsPage", None),
    ("05-负责人与单位.png", "PeoplePage", None),
    ("06-规则与事项.png", "RulesPage", None),
    ("07-述职报告.png", "DebriefPage", None),
    ("09-数据与备份.png", "DataPage", None),
)


def _settle(app, rounds: int = 8) -> None:  # noqa: ANN001
    from PySide6.QtCore import QEventLoop, QThreadPool

    for _ in range(rounds):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThreadPool.globalInstance().waitForDone(200)


def _save(widget, name: str) -> None:  # noqa: ANN001
    path = OUT / name
    if not widget.grab().save(str(path)):
        raise SystemExit(f"cannot write {path}")
    print(f"  {path.relative_to(REPO)}")


USUAL_DATA_DIR = r"C:\Users\办公室\AppData\Roaming\duty_tracker"


def _show_usual_paths(window, data_dir: Path) -> None:  # noqa: ANN001
    """Labels that show the temporary folder show the clerk's usual data folder instead."""
    from PySide6.QtWidgets import QLabel

    for label in window.findChildren(QLabel):
        text = label.text()
        if str(data_dir) in text:
            label.setText(text.replace(str(data_dir), USUAL_DATA_DIR).replace("/", "\\")
                          .replace("demo", "duty_tracker"))


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="duty_tracker_guide_"))
    os.environ["DUTY_TRACKER_HOME"] = str(tmp / "home")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QDialog

    from duty_tracker.core.demo import build_demo
    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.app import create_application
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.dialogs.welcome_dialog import WelcomeDialog
    from duty_tracker.ui.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    app = create_application()
    print("screenshots:")

    # 1. the welcome on a brand-new database
    fresh_ledger = open_ledger(tmp / "new.db", actor="说明书")
    fresh = fresh_ledger.store
    rules = fresh.rules.rule_sets()[0]
    welcome = WelcomeDialog(db_path=Path(r"C:\Users\办公室\AppData\Roaming\duty_tracker\duty_tracker.db"),
                            rule_set_title=rules["title"], duty_count=rules["duty_count"])
    welcome.show()
    _settle(app)
    _save(welcome, "01-欢迎.png")
    welcome.close()
    fresh_ledger.close()

    # 2. every page on the demo data
    db = tmp / "demo.db"
    ledger = open_ledger(db, actor="说明书")
    store = ledger.store
    build_demo(store, leaders=12, years=2, records=30, today=TODAY)
    from duty_tracker.core.storage.backup import auto_backup

    for reason in ("每日首次启动时的自动备份", "导入数据包前的自动备份"):
        auto_backup(db, reason)  # so that the 数据 page shows a filled backup list
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(ledger=ledger, today_fn=lambda: TODAY, settings=settings)
    window = MainWindow(ctx)
    window.setWindowTitle("履职纪实 — duty_tracker.db")
    window.status_label.setText(r"数据库：C:\Users\办公室\AppData\Roaming\duty_tracker\duty_tracker.db")
    window.resize(*SIZE)
    window.show()
    _settle(app)
    for name, page, _action in PAGES:
        try:
            window.go_to(page)
        except (ImportError, StopIteration) as exc:
            print(f"  skipped {name}: {exc}")
            continue
        _settle(app)
        _show_usual_paths(window, db.parent)
        _save(window, name)

    # 3. the record form (non-blocking dialog on the records page)
    try:
        records = window.go_to("RecordsPage")
        dialog = records.new_record()
        _settle(app)
        target = dialog if dialog is not None else next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()), None)
        if target is not None:
            _save(target, "04-录入履职纪实.png")
            target.close()
    except Exception as exc:  # noqa: BLE001 - a picture missing is reported, not fatal
        print(f"  skipped 04-录入履职纪实.png: {exc}")
    _settle(app)

    # 4. a year-end debrief, first page, as printed
    if shutil.which("pdftoppm"):
        pdf = tmp / "debrief.pdf"
        env = dict(os.environ, DUTY_TRACKER_BUNDLED_FONTS_ONLY="1")
        leader = store.people.leaders()[0]["id"]
        done = subprocess.run(
            [sys.executable, "-m", "duty_tracker", "report", "--leader", str(leader), "--year",
             str(TODAY.year), "-o", str(pdf), "--db", str(db)], capture_output=True, text=True, env=env)
        if done.returncode == 0 and pdf.exists():
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                            str(pdf), str(OUT / "08-述职报告PDF")], check=True)
            print("  docs/images/08-述职报告PDF.png")
        else:
            print(f"  skipped 08-述职报告PDF.png: {done.stderr.strip()[-300:]}")
    else:
        print("  skipped 08-述职报告PDF.png: pdftoppm (poppler-utils) not installed")

    window.close()
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
