"""The ledger's everyday tools on the CLI: ``ledger template`` (an Excel ledger to fill in) and
``upcoming`` (reminders of replies falling due, optionally as an iCalendar feed).

``upcoming`` reads the ledger as ``audit`` does and takes every due date from the audit's
per-row evaluation (:mod:`govdisclose.ledgers.upcoming`); exit codes follow ``audit``: 0
nothing overdue, 1 a request overdue or a row that cannot be evaluated, 2 the ledger unreadable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .args import (
    EXIT_FINDINGS,
    EXIT_OK,
    Command,
    as_of_from_args,
    calendar_from_args,
    calendar_options,
    count_arg,
    date_arg,
    emit_json,
    path_arg,
    usage_error,
    write_new_output,
    write_output,
)

if TYPE_CHECKING:
    import argparse

    from ..ledgers.upcoming import Reminder, Upcoming

__all__ = ["COMMANDS", "upcoming_text"]

_DEFAULT_TEMPLATE = Path("台账.xlsx")


# -- ledger template ------------------------------------------------------------------------


def _cmd_ledger(args: argparse.Namespace) -> int:
    from ..outputs.ledger_template import write_ledger_template

    out: Path = args.output or _DEFAULT_TEMPLATE
    write_new_output(out, write_ledger_template)  # filled in by hand: never written over
    print(f"已写入 wrote {out}")
    return EXIT_OK


def _configure_ledger(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("template",),
                   help="template: write an empty ledger workbook (台账.xlsx) with the columns "
                        "audit reads, drop-down lists, date cells and an instructions sheet")
    p.add_argument("-o", "--output", type=path_arg, metavar="FILE",
                   help="the workbook to write (default 台账.xlsx; never overwritten)")


# -- upcoming -------------------------------------------------------------------------------


def _line(r: Reminder) -> str:
    if r.overdue:
        when = f"逾期 {r.working_days} 个工作日 {r.working_days} working day(s) overdue"
    elif r.working_days == 0:
        when = "今天到期 due today"
    else:
        when = f"还剩 {r.working_days} 个工作日 {r.working_days} working day(s) left"
    mark = " [provisional]" if r.provisional else ""
    return (f"  {r.due.isoformat()}  {r.id}  {when}{mark}  "
            f"(收到 received {r.received_on.isoformat()}; line {r.line})\n")


def upcoming_text(result: Upcoming) -> str:
    """The reminders as text: the overdue first, then those due soon, then the rows that
    could not be evaluated, then one summary line."""
    out = [f"{result.rulebook} {result.file}：截至 {result.as_of}，{result.within} 个工作日内"
           f"（至 {result.until}）/ as of {result.as_of}, within {result.within} working "
           f"day(s) (until {result.until})\n"]
    out.append(f"已逾期未答复 overdue ({len(result.overdue)}):\n")
    out += [_line(r) for r in result.overdue] or ["  —\n"]
    out.append(f"即将到期 due soon ({len(result.due_soon)}):\n")
    out += [_line(r) for r in result.due_soon] or ["  —\n"]
    if result.invalid:
        out.append(f"无法判断（见 govdisclose audit）rows that cannot be evaluated, see "
                   f"`govdisclose audit` ({len(result.invalid)}):\n")
        out += [f"  line {r.line}: {r.id or '(no id)'}: "
                f"{'; '.join(e['message_zh'] for e in r.errors)}\n" for r in result.invalid]
    out.append(f"{result.rows} 行 rows: {len(result.overdue)} 逾期 overdue, "
               f"{len(result.due_soon)} 即将到期 due soon, {result.open_later} 以后到期 due "
               f"later, {result.waiting} 期限未在计算 no period running, {result.closed} 已办结 "
               f"closed, {len(result.invalid)} 无法判断 invalid\n")
    return "".join(out)


def _cmd_upcoming(args: argparse.Namespace) -> int:
    from ..errors import LedgerError
    from ..ledgers.reading import open_ledger
    from ..ledgers.upcoming import upcoming
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    try:
        ledger = open_ledger(args.ledger, encoding=args.encoding)
    except LedgerError as exc:
        return usage_error(str(exc))
    calendar = calendar_from_args(args)
    as_of = as_of_from_args(args, calendar)
    try:
        result = upcoming(book, ledger, as_of=as_of, within=args.within, calendar=calendar,
                          workers=args.workers)
    except LedgerError as exc:  # the file changed on disk between its check and its reading
        return usage_error(str(exc))
    if args.ics:
        from ..outputs.ics import upcoming_ics

        text = upcoming_ics(result, book.name)
        write_output(args.ics, lambda path: path.write_text(text, encoding="utf-8",
                                                            newline=""))
    if args.json:
        emit_json(result.to_json())
    else:
        sys.stdout.write(upcoming_text(result))
        if args.ics:
            print(f"已写入 wrote {args.ics}")
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _configure_upcoming(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file")
    p.add_argument("ledger", type=path_arg, help="ledger (台账): .csv or .xlsx, as audit reads it")
    p.add_argument("--within", type=count_arg, required=True, metavar="N",
                   help="list open requests due within N working days after the as-of date "
                        "(0: due that day); overdue ones are always listed, apart")
    p.add_argument("--as-of", type=date_arg,
                   help="the day to count from (default: today's date in China, as audit)")
    p.add_argument("--ics", type=path_arg, metavar="FILE",
                   help="also write the due dates as an iCalendar file (one all-day event each)")
    p.add_argument("--json", action="store_true", help="JSON on stdout")
    p.add_argument("--encoding", help="CSV encoding (default UTF-8, BOM accepted; e.g. gbk)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for large ledgers (default: the number of CPUs)")
    calendar_options(p)


#: This module's commands, joined into the command table by :mod:`.main`.
COMMANDS: dict[str, Command] = {
    "ledger": Command("ledger (台账) tools: 'ledger template' writes an empty Excel ledger with "
                      "drop-down lists and an instructions sheet (never overwrites)",
                      _configure_ledger, _cmd_ledger),
    "upcoming": Command("open requests whose reply falls due within N working days, and the "
                        "overdue ones, from a ledger (due dates as audit computes them); "
                        "--ics writes a calendar feed; exit 1 if any is overdue or a row "
                        "cannot be evaluated, 2 if unreadable", _configure_upcoming,
                        _cmd_upcoming),
}
