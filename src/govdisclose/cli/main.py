"""The ``govdisclose`` command line.  Exit codes: 0 ok, 1 findings or invalid input, 2 usage
or unreadable input, 3 an internal error (a bug: reported with the version and the traceback).
Every command takes its dates as arguments; none reads "today" unless its help says so.

The command table is explicit: each command module exports its ``COMMANDS``; this module joins
them in the order ``--help`` shows.  Command modules import :mod:`.args`, never each other.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import TYPE_CHECKING

from ..errors import ArgumentError, GovDiscloseError
from . import annual, calendar, engine, ledgers, pictures, rulebooks
from .args import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Command
from .console import console_streams

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["COMMANDS", "EXIT_INTERNAL", "build_parser", "main"]

#: Exit code of an internal error: an exception that is not a :class:`GovDiscloseError`.
EXIT_INTERNAL = 3

COMMANDS: dict[str, Command] = {
    **rulebooks.COMMANDS,
    **engine.COMMANDS,
    **ledgers.COMMANDS,
    **annual.COMMANDS,
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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govdisclose")
    except PackageNotFoundError:
        return "unknown"


def _internal_error(argv: Sequence[str] | None) -> int:
    """Report the exception being handled as a bug: what to do, the version, the traceback."""
    shown = " ".join(sys.argv[1:] if argv is None else argv)
    print(f"internal error, please report / 内部错误，请报告: govdisclose {_version()}, Python "
          f"{sys.version.split()[0]}, command: govdisclose {shown}\n"
          "Please report it with this message, the traceback below and the input files "
          "involved. / 请将本信息、以下回溯信息和所涉输入文件一并报告。", file=sys.stderr)
    traceback.print_exc(file=sys.stderr)
    return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (argparse exits 2 itself on a usage error).

    Bad input is a typed error (a :class:`GovDiscloseError`) reported in one located message:
    exit 2 for an :class:`ArgumentError`, 1 for the others.  Any other exception is a bug,
    never reported as if the user had erred: exit 3 with the version and the full traceback
    on stderr.  Output survives any console encoding (:mod:`.console`).
    """
    with console_streams():
        parser = build_parser()
        args = parser.parse_args(argv)
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
        except Exception:
            return _internal_error(argv)
        return code
