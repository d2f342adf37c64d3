"""Entry point of ``duty-tracker``: with no subcommand it opens the window, otherwise it runs one
command on the use cases of the core (``core.services``).

Each family of commands lives in its own module exposing ``register(subparsers)``; the module
adds its subparsers and sets ``func`` (a callable taking the parsed ``argparse.Namespace`` and
returning the exit code). Errors meant for the clerk are ``AppError`` from any layer, printed
to stderr in Chinese with exit code 1 (2 for usage errors, ``UserError(…, 2)``, as argparse).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from typing import NoReturn

from duty_tracker import __version__
from duty_tracker.cli.common import UserError, add_db_argument, date_argument
from duty_tracker.core.errors import AppError

#: Command modules, each with ``register(subparsers)``. Add a line to add a family.
COMMAND_MODULES = (
    "duty_tracker.cli.data_commands",
    "duty_tracker.cli.exchange_commands",
    "duty_tracker.cli.report_commands",
    "duty_tracker.cli.record_commands",
    "duty_tracker.cli.task_commands",
)


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    """The options of the program itself (no command: the window)."""
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_db_argument(parser)
    parser.add_argument(
        "--smoke", action="store_true",
        help="打开主窗口，首次绘制后输出 startup_ms=N 并退出（用于基准测试与打包检查）",
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="窗口以该日期为“今天”（演示、测试用；默认为系统日期）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="duty-tracker",
        description="履职纪实 — 党政主要负责人履行推进法治建设第一责任人职责纪实台账",
    )
    _add_window_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


class _NotPlainWindow(Exception):
    pass


class _WindowParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotPlainWindow(message)


def window_arguments(argv: list[str] | None) -> argparse.Namespace | None:
    """The arguments when only the window is asked for (no command, no help, nothing amiss),
    else None. The window's start need not build the parsers of some forty commands (about
    30 ms); anything else — a command, ``--help``, a mistake — goes to the full parser, which
    also gives the error messages."""
    parser = _WindowParser(prog="duty-tracker", add_help=False)
    _add_window_options(parser)
    parser.add_argument("command", nargs="?")
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotPlainWindow:
        return None
    return args if args.command is None and not rest else None


def main(argv: list[str] | None = None) -> int:
    _force_utf8_stdio()
    args = window_arguments(argv) or build_parser().parse_args(argv)
    try:
        if args.command is None:
            # The window collects garbage itself, on its own thread (ui.gc_guard): from here,
            # not only from its first line, so that loading Qt and the window's modules runs
            # no collections of the half-built module graph (~6 ms of the start).
            gc.disable()
            from duty_tracker.ui.app import run_window  # Qt only when the window is wanted

            today = date_argument(args.today, "--today") if args.today else None
            return run_window(db_path=args.db, smoke=args.smoke, today=today)
        return int(args.func(args) or 0)
    except AppError as exc:  # every error meant for the clerk, from any layer
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code if isinstance(exc, UserError) else 1
    except BrokenPipeError:  # output piped into `head` and the like
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130


def _force_utf8_stdio() -> None:
    """JSON output is UTF-8 by contract, also on a Chinese Windows console (cp936)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass


if __name__ == "__main__":
    sys.exit(main())
