"""The ledger sub-command (audit) registered on the CLI.

They parse arguments, read the ledger and call the library; every format they write comes from
:mod:`govdisclose.outputs`.
"""

from __future__ import annotations

import os
import sys
from functools import partial
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
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path
    from typing import TextIO

    from ..ledgers.audit_rows import AuditTally


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
    """Audit as a stream: the ledger is checked whole first (so that a ledger refused is
    refused before any output), then read, audited and written a chunk at a time, each
    chunk rendered by the worker that audited it (docs/ci.md)."""
    from ..errors import LedgerError
    from ..ledgers.audit import AuditHead
    from ..ledgers.audit_stream import audit_parts
    from ..ledgers.reading import open_ledger
    from ..outputs.audit_parts import AuditRender
    from ..outputs.csv_files import write_audit_csv_parts
    from ..outputs.html_audit import write_audit_html_parts
    from ..outputs.json_files import write_audit_json_parts
    from ..outputs.text import audit_summary_text, write_audit_text_parts
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    try:
        ledger = open_ledger(args.ledger, encoding=args.encoding)
    except LedgerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    calendar = calendar_from_args(args)
    as_of = as_of_from_args(args, calendar)
    head = AuditHead(book.id, ledger.file, as_of, ledger.unknown_columns)
    kinds = ("json",) if args.json else ("csv", "text") if args.csv else \
        ("html", "text") if args.html else ("text",)
    render = AuditRender(kinds, ledger.file, getattr(sys.stdout, "encoding", None) or "utf-8")
    parts = audit_parts(book, ledger, as_of=as_of, render=render, calendar=calendar,
                        workers=args.workers,
                        progress=None if args.json else _progress_printer())  # type: ignore[arg-type]
    try:
        if args.json:
            tally = write_audit_json_parts(head, _first(parts), sys.stdout)
        elif args.csv or args.html:
            # the text is printed while the file is written, from the same pass over the rows
            echoed = _echo_second(parts)
            if args.csv:
                tally = _write_csv(partial(write_audit_csv_parts, headers=args.csv_headers),
                                   echoed, args.csv)
            else:
                tally = _write(lambda path: write_audit_html_parts(head, echoed, path),
                               args.html)
            sys.stdout.write(audit_summary_text(tally))
        else:
            tally = write_audit_text_parts(_first(parts), sys.stdout)
    except LedgerError as exc:  # the file changed on disk between its check and its reading
        print(f"\nerror: {exc}", file=sys.stderr)
        for written in (args.csv, args.html):
            if written is not None and written.is_file():
                written.unlink()  # half a report is no report
        return EXIT_USAGE
    return EXIT_OK if tally.ok else EXIT_FINDINGS


def _first(parts: Iterable[tuple[AuditTally, tuple[str, ...]]]
           ) -> Iterator[tuple[AuditTally, str]]:
    for tally, texts in parts:
        yield tally, texts[0]


def _echo_second(parts: Iterable[tuple[AuditTally, tuple[str, ...]]]
                 ) -> Iterator[tuple[AuditTally, str]]:
    """The first text of each part passed on, the second (the text output) printed."""
    for tally, (text, printed) in parts:
        if printed:
            sys.stdout.write(printed)
        yield tally, text


def _write(write: Callable[[Path], AuditTally], path: Path) -> AuditTally:
    """``write(path)``'s result; a path that cannot be written is a usage error."""
    out: list[AuditTally] = []
    write_output(path, lambda target: out.append(write(target)))
    return out[0]


def _write_csv(write: Callable[[Iterable[tuple[AuditTally, str]], TextIO], AuditTally],
               parts: Iterable[tuple[AuditTally, str]], path: Path) -> AuditTally:
    def to_file(target: Path) -> AuditTally:
        # UTF-8 with a BOM, so that Excel opens it (outputs.csv_files.write_audit_csv)
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            return write(parts, handle)

    return _write(to_file, path)


def _configure_audit(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file")
    p.add_argument("ledger", type=path_arg,
                   help="ledger (台账): .csv or .xlsx; or Parquet, a .parquet file or a directory "
                        "of them (needs the extra govdisclose[scale])")
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
    p.add_argument("--csv-headers", choices=("en", "zh"), default="en",
                   help="with --csv: the header row as field names (en, the default, as in "
                        "--json) or in Chinese (zh: 编号、收到申请日期、答复期限…)")


#: This module's commands, joined into the command table by :mod:`.main`.
COMMANDS: dict[str, Command] = {
    "audit": Command("audit a ledger (台账) for late or missing replies; exit 1 on "
        "problems, 2 if unreadable", _configure_audit, _cmd_audit),
}

__all__ = ["COMMANDS"]
