"""The start-up check of the window: ``PRAGMA integrity_check`` and the day's first backup,
run on the one task mechanism (``ui.tasks``) right after the window appears, so the clerk can
start at once. A damaged database is reported with the way out: restore a backup."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from duty_tracker.core.services.safety import StartupReport, startup_check
from duty_tracker.ui import look
from duty_tracker.ui.context import AppContext
from duty_tracker.ui.tasks import Task, run_in_background


def damaged_message(report: StartupReport) -> str:
    good = report.newest_good_backup
    return (f"数据库完整性检查发现问题：{'；'.join(report.problems[:3])}\n\n为避免损失，请不要继续录入。"
            + (f"\n最近一份完好的自动备份：{good.name}。可在“数据 → 备份与恢复”中恢复（当前文件会先保留）。"
               if good else "\n没有找到完好的自动备份，请用U盘上的备份恢复，或联系管理员。"))


def show_report(window: QWidget, report: StartupReport) -> None:
    if report.damaged:
        look.fail(window, "数据库损坏", damaged_message(report))
        go_to = getattr(window, "go_to", None)
        if callable(go_to):
            go_to("DataPage")
    elif report.backup_error:
        status_bar = getattr(window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(f"今天的自动备份未能完成：{report.backup_error}", 15000)


def start_startup_check(window: QWidget, ctx: AppContext) -> Task:
    db_path = ctx.db_path
    return run_in_background(window, lambda _control: startup_check(db_path),
                             on_success=lambda report: show_report(window, report))
