"""The ledger sub-command (audit) registered on the CLI.

They parse arguments, read the ledger and call the library; every format they write comes from
:mod:`govdisclose.outputs`.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from .args import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    as_of_from_args,
    calendar_from_args,
    calendar_options,
    date_arg,
    path_arg,
    write_output,
)

if TYPE_CHECKING:
    import argparse


def _progress_printer() -> object:
    """A progress line on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r审计中 auditing: {done:,}/{total:,} rows")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _cmd_audit(args: argparse.Namespace) -> int:
    from ..errors import LedgerError
    from ..ledgers.audit import audit_ledger
    from ..ledgers.reading import read_ledger
    from ..outputs.csv_files import write_audit_csv
    from ..outputs.html_audit import write_audit_html
    from ..outputs.json_files import write_audit_json
    from ..outputs.text import audit_text
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    try:
        ledger = read_ledger(args.ledger, encoding=args.encoding)
    except LedgerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    calendar = calendar_from_args(args)
    as_of = as_of_from_args(args, calendar)
    progress = None if args.json else _progress_printer()
    result = audit_ledger(book, ledger, as_of=as_of, workers=args.workers, calendar=calendar,
                          progress=progress)  # type: ignore[arg-type]
    if args.csv:
        write_output(args.csv, lambda path: write_audit_csv(result, path))
    if args.html:
        write_output(args.html, lambda path: write_audit_html(result, path))
    if args.json:
        write_audit_json(result, sys.stdout)
    else:
        sys.stdout.write(audit_text(result))
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _configure_audit(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file")
    p.add_argument("ledger", type=path_arg, help="ledger (台账): .csv or .xlsx")
    p.add_argument("--as-of", type=date_arg,
                   help="judge overdue replies as of this date (default: today's date in China)")
    p.add_argument("--encoding", help="CSV encoding (default UTF-8, BOM accepted; e.g. gbk)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for large ledgers (default: the number of CPUs)")
    calendar_options(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON on stdout")
    out.add_argument("--csv", type=path_arg, metavar="OUT", help="write one CSV line per row")
    out.add_argument("--html", type=path_arg, metavar="OUT", help="write a self-contained HTML page")


#: This module's commands, joined into the command table by :mod:`.main`.
COMMANDS: dict[str, Command] = {
    "audit": Command("audit a ledger (台账) for late or missing replies; exit 1 on "
        "problems, 2 if unreadable", _configure_audit, _cmd_audit),
}

__all__ = ["COMMANDS"]
