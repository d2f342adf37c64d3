"""Every page and the main dialogs as a clerk sees them: the real window on a real X server
(Xvfb, 1366×768×24, the xcb platform — not offscreen), on a demo database, saved as PNGs to
look at (cut-off text, crowded panes, missing glyphs).

    python tools/screenshot_clerk_xvfb.py [--db /tmp/clerk.db] [--out /tmp/clerk-shots] [--size 1366x768]

Without a display the script starts its own Xvfb and runs itself again inside it. The demo
database is made with ``duty-tracker demo --leaders 40 --years 2 --records 30`` when missing.
Each picture is the window's own rendering (``QWidget.grab``); ``screen-*.png`` are grabs of the
whole X screen, with the dialog where the window system put it. ``report-*`` and ``pace-*`` show
the 述职报告 page with a whole report, its preview, the batch and summary dialogs, the dashboard's
pace marks, and study hours (the record form, a prose rules text reviewed as paragraphs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RULES_SAMPLE = REPO / "tests" / "data" / "rules" / "county-arabic-articles.txt"
WORKPOINTS_SAMPLE = REPO.parent / "shared" / "seeds" / "hangzhou-2017-workpoints.txt"
#: Units a city's program has for the Hangzhou 2017 document's names (the demo has a few).
CITY_DEPARTMENTS = ("市政府办公厅", "市编委办", "市审管办", "市财政局", "市数据资源管理局", "市交通运输局",
                    "市城管委", "市市场监管局", "市人力社保局", "市环保局", "杭州仲裁委员会")


def _in_xvfb(size: str) -> int:
    """Run this script again on a private Xvfb server of ``size``."""
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        print("Xvfb is missing: bash scripts/system-packages.sh installs it", file=sys.stderr)
        return 1
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write_fd), "-screen", "0", f"{size}x24",
                               "-nolisten", "tcp"], pass_fds=(write_fd,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_LOGGING_RULES")}
    env["DISPLAY"] = f":{number}"
    try:
        return subprocess.run([sys.executable, *sys.argv], env=env, check=False).returncode
    finally:
        server.terminate()
        server.wait(timeout=10)


def _settle(app, rounds: int = 6) -> None:  # noqa: ANN001
    from PySide6.QtCore import QEventLoop, QThread

    for _ in range(rounds):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(30)


class Shooter:
    def __init__(self, app, out: Path) -> None:  # noqa: ANN001
        self.app, self.out = app, out

    def window(self, widget, name: str) -> None:  # noqa: ANN001
        _settle(self.app)
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    def screen(self, name: str) -> None:
        _settle(self.app)
        path = self.out / f"screen-{name}.png"
        self.app.primaryScreen().grabWindow(0).save(str(path))
        print(path)


def _pages(shot: Shooter, window) -> None:  # noqa: ANN001
    from duty_tracker.ui.main_window import PAGES

    names = ("dashboard", "records", "people", "rules", "debrief", "data", "workpoints", "annual")
    for index, name in zip(range(len(PAGES)), names, strict=True):
        window.show_page(index)
        page = window.page(index)
        if name == "records" and page.model.rowCount():
            page.table.selectRow(1)
        if name == "rules":
            page.tabs.setCurrentIndex(0)
        shot.window(window, f"page-{index + 1}-{name}")
    window.show_page(3)
    window.page(3).tabs.setCurrentIndex(1)
    shot.window(window, "page-4-rules-articles")


def _close(dialog) -> None:  # noqa: ANN001
    if hasattr(dialog, "values"):
        dialog._initial = dialog.values()  # noqa: SLF001 - no "discard?" question
    dialog.reject() if hasattr(dialog, "reject") else dialog.close()


def _dialogs(shot: Shooter, window, ctx) -> None:  # noqa: ANN001
    from duty_tracker.core.rules import parse_rules_text, read_rules_file
    from duty_tracker.ui.dialogs.rules_import_dialog import RulesImportDialog, RulesPasteDialog

    dashboard = window.go_to("DashboardPage")
    reminder = dashboard.after_window_shown()
    if reminder is not None:
        shot.window(reminder, "dialog-reminder")
        shot.screen("reminder")
        reminder.close()
    records = window.go_to("RecordsPage")
    records.table.selectRow(0)
    edit = records.open_selected()
    if edit is not None:
        shot.window(edit, "dialog-record-edit")
        shot.screen("record-edit")
        _close(edit)
    new = records.new_record()
    new.title_edit.setText("")
    new.save()  # every invalid field marked at once
    shot.window(new, "dialog-record-new-invalid")
    _close(new)
    people = window.go_to("PeoplePage")
    people.add_leader()
    people.dialog.position_edit.setText("区委副书记、区长")
    people.dialog.position_edit.textEdited.emit("区委副书记、区长")
    shot.window(people.dialog, "dialog-leader-new")
    _close(people.dialog)
    rows = people.leader_model.rowCount()
    if rows:
        people.leader_view.selectRow(0)
        people.handover()
        shot.window(people.dialog, "dialog-handover")
        _close(people.dialog)
    rules = window.go_to("RulesPage")
    paste = RulesPasteDialog(rules, "这不是规则文本。")
    paste.show()
    paste.show_error("未能在文本中识别出任何条款。规则文本的条款应以“第一条”“第1条”开头。")
    shot.window(paste, "dialog-rules-paste-error")
    paste.reject()
    text = read_rules_file(RULES_SAMPLE)
    review = RulesImportDialog(ctx, parse_rules_text(text), text, RULES_SAMPLE.name, parent=rules)
    review.show()
    shot.window(review, "dialog-rules-review")
    review.reject()
    guide = window.show_guide()
    shot.window(guide, "dialog-guide")
    guide.close()
    from duty_tracker.ui.dialogs.welcome_dialog import WelcomeDialog

    welcome = WelcomeDialog(db_path=ctx.db_path, rule_set_title="杭州市党政主要负责人履行推进法治建设第一责任人职责实施细则",
                            duty_count=13, parent=window)
    welcome.show()
    shot.window(welcome, "dialog-welcome")
    welcome.reject()


PROSE_RULES = """关于进一步加强领导干部学法用法工作的通知

为深入贯彻落实全面依法治国要求，推动领导干部带头尊法学法守法用法，现就有关事项通知如下。

各级党政主要负责人要切实履行推进法治建设第一责任人职责，每年至少听取一次法治建设工作汇报。

领导干部年度学法不少于40学时，党委理论学习中心组每年集中学法不少于2次。

各地各部门要结合实际认真贯彻落实。
"""


def _wait(app, done, seconds: float = 30) -> None:  # noqa: ANN001
    import time

    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        _settle(app, 2)


def _reports_and_pace(shot: Shooter, window, ctx) -> None:  # noqa: ANN001
    """The 述职报告 page with a whole report, its preview and dialogs; pace on the dashboard;
    study hours in the record form and in the review of a prose rules text."""
    from duty_tracker.ui.dialogs.calendar_export_dialog import CalendarExportDialog

    debrief = window.go_to("DebriefPage")
    debrief.ask_draft_mode = lambda: "all"  # noqa: SLF001 - no question box in a screenshot
    debrief.generate_draft()
    debrief.editor.show_key("study")
    shot.window(window, "report-1-debrief-full")
    preview = debrief.preview()
    if preview is not None:
        preview.resize(1000, 720)
        _wait(shot.app, lambda: bool(preview.images) or preview.task is None)
        shot.window(preview, "report-2-preview")
        preview.close()
    debrief.export_batch()
    shot.window(debrief.batch_dialog, "report-3-batch-dialog")
    debrief.batch_dialog.reject()
    debrief.export_summary()
    shot.window(debrief.summary_dialog, "report-4-summary-dialog")
    debrief.summary_dialog.reject()
    calendar = CalendarExportDialog(ctx, window)
    calendar.show()
    shot.window(calendar, "report-5-calendar-dialog")
    calendar.reject()
    from datetime import date

    year = ctx.today().year
    ctx.today_fn = lambda: date(year, 9, 15)  # mid-September: a quota can slip, none is due yet
    dashboard = window.go_to("DashboardPage")
    dashboard.reload()
    data = dashboard.data
    behind = next(iter(data.behind_by_leader), None) if data else None
    if behind is not None:
        dashboard.select_leader(behind)
    shot.window(window, "pace-1-dashboard")
    _hours(shot, window, ctx)


def _hours(shot: Shooter, window, ctx) -> None:  # noqa: ANN001
    from duty_tracker.core.rules import parse_rules_text
    from duty_tracker.ui.dialogs.record_dialog import RecordDialog
    from duty_tracker.ui.dialogs.rules_import_dialog import RulesImportDialog

    year = ctx.today().year
    duties = ctx.store.rules.duties_for_year(year)
    hours = next((d["id"] for d in duties if d.get("unit") == "hours"), None)
    if hours is None:
        rule_set = ctx.store.rules.rule_sets_for_year(year)[0]
        hours = ctx.store.rules.add_duty(rule_set, title="领导干部年度学法", role="all",
                                         period="year", min_count=40, unit="hours")
    leader = ctx.store.people.leaders_in_office(ctx.today())[0]["id"]
    form = RecordDialog(ctx, preset={"leader_ids": [leader], "duty_ids": [hours]}, parent=window)
    form.title_edit.setText("参加全市领导干部法治专题培训班")
    form.show()
    shot.window(form, "pace-2-record-hours-asked")
    form.hours_edit.setText("1.5")
    form._update_hint()  # noqa: SLF001
    shot.window(form, "pace-3-record-hours-typed")
    _close(form)
    rules = window.go_to("RulesPage")
    review = RulesImportDialog(ctx, parse_rules_text(PROSE_RULES), PROSE_RULES, "通知.txt", parent=rules)
    review.show()
    shot.window(review, "pace-4-rules-review-prose")
    title = review.title_edit.text()
    known = next((r["id"] for r in ctx.store.rules.rule_sets() if r["title"] == title), None)
    if known is None:
        review.accept()  # stored as a main set that no year uses: nothing else changes
        known = review.rule_set_id
    else:
        review.reject()
    rules.reload(select_rule_set=known)
    rules.tabs.setCurrentIndex(1)
    shot.window(window, "pace-6-rules-paragraphs")
    rules.tabs.setCurrentIndex(0)
    records = window.go_to("RecordsPage")
    action = next(a for a in records.columns_menu.actions() if a.text() == "学时")
    action.setChecked(True)
    shot.window(window, "pace-5-records-hours-column")
    action.setChecked(False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/clerk.db")
    parser.add_argument("--out", default="/tmp/clerk-shots")
    parser.add_argument("--size", default="1366x768")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        return _in_xvfb(args.size)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db = Path(args.db)
    if not db.exists():
        subprocess.run([sys.executable, "-m", "duty_tracker", "demo", "--leaders", "40", "--years", "2",
                        "--records", "30", "--db", str(db)], check=True)

    from PySide6.QtCore import QSettings

    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.app import create_application
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.main_window import MainWindow

    app = create_application()
    print(f"platform: {app.platformName()}, screen: {app.primaryScreen().size().toTuple()}")
    ledger = open_ledger(db)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(ledger=ledger, settings=settings)
    window = MainWindow(ctx)
    width, height = (int(v) for v in args.size.split("x"))
    window.setGeometry(0, 0, width, height)  # no window manager under Xvfb to maximise it
    window.show()
    shot = Shooter(app, out)
    _pages(shot, window)
    shot.screen("main")
    _dialogs(shot, window, ctx)
    _reports_and_pace(shot, window, ctx)
    window.close()
    ledger.close()
    if WORKPOINTS_SAMPLE.exists():
        _workpoints(shot, db, width, height)
        _annual(shot, db, width, height)
    _empty_ledger(shot, Path(tempfile.mkdtemp()) / "空台账.db", width, height)
    return 0


def _workpoints(shot: Shooter, db: Path, width: int, height: int) -> None:
    """The 工作要点 page as a clerk in October 2017 sees it, with the Hangzhou 2017 work points:
    the review of the import (the names the demo's units lack), the page with some progress,
    one unit's tasks, the progress form and the record form's 佐证任务."""
    from datetime import date

    from PySide6.QtCore import QSettings

    from duty_tracker.core.services import workpoints as wp
    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.main_window import MainWindow

    ledger = open_ledger(db)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "w.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(ledger=ledger, settings=settings, today_fn=lambda: date(2017, 10, 20))
    window = MainWindow(ctx)
    window.setGeometry(0, 0, width, height)
    window.show()
    page = window.go_to("WorkpointsPage")
    if not ctx.store.tasks.plans(2017):
        review = page.review(wp.preview_import(ctx.store, path=WORKPOINTS_SAMPLE))
        shot.window(review, "dialog-workpoints-review")
        review.tasks_view.selectRow(3)
        review.edit_units()
        shot.window(review.units_dialog, "dialog-workpoints-units")
        review.units_dialog.reject()
        review.reject()
        _import_sample(ctx)
        ctx.notify("tasks")
    shot.window(window, "page-7-workpoints")
    source = page.import_workpoints()
    source.text_edit.setPlainText("这是一段不含工作任务的文字。")
    source.show_error("没有从文本中识别出工作任务。工作要点的任务一般以“（一）”“1.”开头，或写明“（责任单位：……）”。")
    shot.window(source, "dialog-workpoints-paste-error")
    source.reject()
    views = page.model.views()
    if views:
        page.select_task(views[min(4, len(views) - 1)].id)
        dialog = page.add_progress()
        dialog.note_edit.setPlainText("已制定工作方案，召开推进会 1 次。")
        shot.window(dialog, "dialog-workpoints-progress")
        _close(dialog)
        edit = page.edit_task()
        shot.window(edit, "dialog-workpoints-task-edit")
        edit.reject()
        from duty_tracker.ui.dialogs.record_dialog import RecordDialog

        record = RecordDialog(ctx, preset={"performed_on": date(2017, 6, 20), "title": "市政府常务会议听取依法行政工作汇报"},
                              parent=window)
        record.show()
        record.side_tabs.setCurrentWidget(record.task_links)
        record.task_links.tasks.set_checked([views[0].id])
        shot.window(record, "dialog-record-tasks")
        _close(record)
    unit = next((u["id"] for u in ctx.store.people.units() if u["name"] == "杭州市司法局"), None)
    if unit is not None:
        page.unit_combo.setCurrentIndex(page.unit_combo.findData(unit))
        shot.window(window, "page-7-workpoints-one-unit")
    window.close()
    ledger.close()


def _import_sample(ctx) -> None:  # noqa: ANN001
    """Import the Hangzhou 2017 document onto the demo: the city's departments added first, a
    few names confirmed as not ours, some progress entered in 2017."""
    from duty_tracker.core.services import workpoints as wp

    city = next(u["id"] for u in ctx.store.people.units() if u["name"] == "杭州市")
    known = {u["name"] for u in ctx.store.people.units()}
    for name in CITY_DEPARTMENTS:
        if name not in known:
            ctx.store.people.add_unit(name, "部门", city)
    preview = wp.preview_import(ctx.store, path=WORKPOINTS_SAMPLE)
    wp.choose_units(ctx.store, preview, {name: [] for name in preview.unmatched})
    result = wp.import_workpoints(ctx.store, preview)
    for number, task_id in enumerate(result.task_ids[:12]):
        task = ctx.store.tasks.task(task_id)
        if not task["units"]:
            continue
        unit = task["units"][0]["unit_id"]
        day = f"2017-0{3 + number % 6}-1{number % 9}"
        wp.save_progress(ctx.store, wp.ProgressDraft(task_id, unit, day, f"第 {number + 1} 项：已制定方案并推进落实。",
                                                    done=number % 3 == 0))


def _wait(app, done, rounds: int = 400) -> None:  # noqa: ANN001
    """Let a worker finish (the preview) while the window keeps drawing."""
    for _ in range(rounds):
        if done():
            break
        _settle(app, 1)
    _settle(app)


def _annual_window(db: Path, today, width: int, height: int):  # noqa: ANN001, ANN202
    from PySide6.QtCore import QSettings

    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.main_window import MainWindow

    ledger = open_ledger(db)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "a.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(ledger=ledger, settings=settings, today_fn=lambda: today)
    if not ctx.store.tasks.plans(2017):
        _import_sample(ctx)
    window = MainWindow(ctx)
    window.setGeometry(0, 0, width, height)
    window.show()
    page = window.go_to("AnnualPage")
    unit = next((u["id"] for u in ctx.store.people.units() if u["name"] == "杭州市司法局"), None)
    return ctx, ledger, window, page, unit


def _annual(shot: Shooter, db: Path, width: int, height: int) -> None:
    """The 年度报告 page on 20 February 2018, when the 2017 reports of the departments are due
    within days: the Hangzhou 2017 tasks of 杭州市司法局 with the progress entered, the draft,
    its facts, the preview, the submission dialog and the list after it; then, a year after the
    demo's first year, the 2025 report of the same unit, whose heads have records."""
    from datetime import date

    ctx, ledger, window, page, unit = _annual_window(db, date(2018, 2, 20), width, height)
    if unit is not None and page.select_unit(unit):
        shot.window(window, "page-8-annual-2017")
        page.ask_draft_mode = lambda: "empty"
        page.generate_draft()
        shot.window(window, "page-8-annual-draft")
        page.editor.show_key("measures")
        shot.window(window, "page-8-annual-measures")
        page.tabs.setCurrentIndex(1)
        shot.window(window, "page-8-annual-facts")
        if page.preview_box is not None:
            page.tabs.setCurrentWidget(page.preview_box)
            _wait(shot.app, lambda: page.preview_task is None and bool(page.preview.pages))
            shot.window(window, "page-8-annual-preview")
        page.tabs.setCurrentIndex(0)
        dialog = page.toggle_submitted()
        shot.window(dialog, "dialog-annual-submit")
        dialog.accept()
        shot.window(window, "page-8-annual-submitted")
        ctx.undo_stack.undo()
    window.close()
    ledger.close()
    ctx, ledger, window, page, unit = _annual_window(db, date(2026, 2, 20), width, height)
    if unit is not None and page.select_unit(unit):
        page.ask_draft_mode = lambda: "empty"
        page.generate_draft()
        page.editor.show_key("leadership")
        shot.window(window, "page-8-annual-2025-leadership")
        page.tabs.setCurrentIndex(1)
        page.facts_view.expandAll()
        page.facts_view.collapse(page.facts_view.model().index(0, 0))
        shot.window(window, "page-8-annual-2025-facts")
    window.close()
    ledger.close()


def _empty_ledger(shot: Shooter, path: Path, width: int, height: int) -> None:
    """A fresh ledger: what the empty pages say."""
    from PySide6.QtCore import QSettings

    from duty_tracker.core.services.ledger import open_ledger
    from duty_tracker.ui.context import AppContext
    from duty_tracker.ui.main_window import MainWindow

    ledger = open_ledger(path)
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(AppContext(ledger=ledger, settings=settings))
    window.setGeometry(0, 0, width, height)
    window.show()
    for index, name in ((0, "dashboard"), (1, "records"), (2, "people"), (6, "workpoints"), (7, "annual")):
        window.show_page(index)
        shot.window(window, f"empty-{index + 1}-{name}")
    window.close()
    ledger.close()


if __name__ == "__main__":
    sys.exit(main())
