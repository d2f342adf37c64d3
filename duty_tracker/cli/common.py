"""Helpers shared by the command modules: the ``--db`` option, user-facing errors, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
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
