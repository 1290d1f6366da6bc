"""The ``govdisclose`` command line.  Exit codes: 0 ok, 1 findings or invalid input, 2 usage
or unreadable input.  Every command takes its dates as arguments; none reads "today" unless
its help says so.

The command table is explicit: each command module exports its ``COMMANDS``; this module joins
them in the order ``--help`` shows.  Command modules import :mod:`.args`, never each other.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import ArgumentError, GovDiscloseError
from . import calendar, engine, ledgers, pictures, rulebooks
from .args import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Command

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS: dict[str, Command] = {
    **rulebooks.COMMANDS,
    **engine.COMMANDS,
    **ledgers.COMMANDS,
    **pictures.COMMANDS,
    **calendar.COMMANDS,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govdisclose",
        description="政府信息公开规则与期限计算 / Chinese government-information-disclosure "
                    "rules and deadlines")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.help, description=command.help)
        command.configure(p)
        p.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # Bad input is a typed error with a plain message; anything else is a bug and keeps its
    # traceback (a stray ValueError is never reported as if the user had erred).
    try:
        code: int = args.run(args)
    except ArgumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GovDiscloseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    except BrokenPipeError:
        return EXIT_OK
    return code
