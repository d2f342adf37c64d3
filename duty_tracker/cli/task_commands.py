"""Commands on the year's work points (工作要点): ``tasks parse`` (more operations join the same
``tasks`` group: import, list, export-xlsx)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from duty_tracker.cli.common import UserError, print_json

if TYPE_CHECKING:
    from duty_tracker.core.workpoints import ParsedWorkPoints


def register(subparsers: argparse._SubParsersAction) -> None:
    tasks = subparsers.add_parser("tasks", help="工作要点：解析、导入任务，查看进展")
    tasks_sub = tasks.add_subparsers(dest="tasks_command", metavar="操作", required=True)
    register_parse(tasks_sub)


def register_parse(tasks_sub: argparse._SubParsersAction) -> None:
    p = tasks_sub.add_parser("parse", help="解析工作要点文本并输出任务，不保存")
    p.add_argument("file", type=Path, help="工作要点文件（.txt 或 .docx）")
    p.add_argument("--year", type=int, default=None, help="年度（默认从标题或正文中识别）")
    p.add_argument("--json", action="store_true", help="输出 JSON（默认即为 JSON）")
    p.set_defaults(func=cmd_tasks_parse)


def parse_file(path: Path, year: int | None = None) -> ParsedWorkPoints:
    """Read and parse a work-points file; errors become :class:`UserError` (Chinese). Shared by
    the commands of the group (parse now; import later) so they read files the same way."""
    from duty_tracker.core.workpoints import (
        WorkPointsError,
        parse_workpoints_text,
        read_workpoints_file,
    )

    if year is not None and not 1990 <= year <= 2100:
        raise UserError(f"年度不正确：{year}（应为四位年份，如 2019）。", 2)
    try:
        return parse_workpoints_text(read_workpoints_file(path), year=year)
    except WorkPointsError as exc:
        raise UserError(str(exc)) from exc


def cmd_tasks_parse(args: argparse.Namespace) -> int:
    print_json(parse_file(args.file, args.year).to_dict())
    return 0
