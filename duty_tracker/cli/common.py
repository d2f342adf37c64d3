"""Helpers shared by the command modules: the ``--db`` option, user-facing errors, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any


class UserError(Exception):
    """An error the clerk or administrator can act on; the message is Chinese."""

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
    """One UTF-8 JSON document on stdout (SPEC.md §5)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def db_path_of(args: argparse.Namespace) -> Path:
    """``--db`` or the per-user default database."""
    from duty_tracker.paths import default_db_path

    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def open_store(args_or_path: argparse.Namespace | Path, *, must_exist: bool = False) -> Any:
    """Open (create, migrate) the store; storage errors become :class:`UserError`."""
    from duty_tracker.core.storage.errors import StorageError
    from duty_tracker.core.storage.store import Store

    path = args_or_path if isinstance(args_or_path, Path) else db_path_of(args_or_path)
    if must_exist and not path.exists():
        raise UserError(f"数据库不存在：{path}")
    try:
        return Store.open(path)
    except StorageError as exc:
        raise UserError(str(exc)) from exc


def add_today_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", help="以该日期为“今天”（测试用），格式 2025-12-31")


def today_of(args: argparse.Namespace) -> date:
    """``--today`` (tests, reproducible runs) or the real date."""
    value = getattr(args, "today", None)
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"--today 日期格式不正确：{value}（应为 2025-12-31）", 2) from None
