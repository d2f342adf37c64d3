"""Helpers shared by the command modules: the ``--db`` option, opening the ledger, user-facing
errors, JSON output, dates given on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from duty_tracker.core.errors import AppError, InputError
from duty_tracker.core.helpers import parse_date


class UserError(AppError):
    """A usage error of a command (exit code 2, as argparse uses) or another clear refusal."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def add_db_argument(parser: argparse.ArgumentParser, *, in_subcommand: bool = False) -> None:
    """``--db PATH`` is accepted both before and after the subcommand.

    In a subcommand the default is SUPPRESS so that a value given before the subcommand is kept.
    """
    parser.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS if in_subcommand else None,
        metavar="PATH",
        help="数据库文件路径（默认：用户数据文件夹中的 duty_tracker.db）",
    )


def print_json(data: Any) -> None:
    """One UTF-8 JSON document on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def db_path_of(args: argparse.Namespace) -> Path:
    """``--db`` or the per-user default database."""
    from duty_tracker.paths import default_db_path

    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def open_ledger(args: argparse.Namespace, *, must_exist: bool = False) -> Any:
    """The ledger of ``--db``, opened for writing (migrated, seeded, registered as a writer) —
    the same door the window uses. Use it as a context manager; ``.store`` is the store."""
    from duty_tracker.core.services.ledger import open_ledger as open_for_writing

    path = db_path_of(args)
    if must_exist and not path.exists():
        raise UserError(f"数据库不存在：{path}")
    return open_for_writing(path, purpose=f"命令行 duty-tracker {args.command}")


def add_today_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", help="以该日期为“今天”（测试用），格式 2025-12-31")


def today_of(args: argparse.Namespace) -> date:
    """``--today`` (tests, reproducible runs) or the real date."""
    value = getattr(args, "today", None)
    return date_argument(value, "--today") if value else date.today()


def date_argument(value: str, option: str) -> date:
    """A date given on the command line (2025-12-31, 2025年12月31日, 20251231 …)."""
    try:
        return parse_date(value, f"{option} 日期")
    except InputError as exc:
        raise UserError(str(exc), 2) from None
