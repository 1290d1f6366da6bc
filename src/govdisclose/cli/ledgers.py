"""Ledger sub-commands (audit, annual-report) registered on the CLI.

They parse arguments, read the ledger and call the library; every format they write comes from
:mod:`govdisclose.outputs`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
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
    emit_json,
    write_output,
    year_arg,
)

if TYPE_CHECKING:
    from ..annual.table import AnnualTable


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
    p.add_argument("ledger", type=Path, help="ledger (台账): .csv or .xlsx")
    p.add_argument("--as-of", type=date_arg,
                   help="judge overdue replies as of this date (default: today's date in China)")
    p.add_argument("--encoding", help="CSV encoding (default UTF-8, BOM accepted; e.g. gbk)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for large ledgers (default: the number of CPUs)")
    calendar_options(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON on stdout")
    out.add_argument("--csv", type=Path, metavar="OUT", help="write one CSV line per row")
    out.add_argument("--html", type=Path, metavar="OUT", help="write a self-contained HTML page")


#: This module's commands, joined into the command table by :mod:`.main`.
COMMANDS: dict[str, Command] = {
    "audit": Command("audit a ledger (台账) for late or missing replies; exit 1 on "
        "problems, 2 if unreadable", _configure_audit, _cmd_audit),
}



# -- annual-report --


#: Words taken as a sub-command when they come first after ``annual-report`` (no rulebook is
#: named so).  ``check`` is reserved for the report checker of issue 14.
_TEMPLATE, _CHECK = "template", "check"
_DEFAULT_TEMPLATE = Path("年报数据.xlsx")


def _usage(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _cmd_template(args: argparse.Namespace) -> int:
    from ..outputs.annual_template import write_register_template

    if args.ledger is not None or args.year is not None or args.register is not None:
        return _usage("annual-report template takes only -o FILE / template 只接受 -o FILE")
    out: Path = args.output or _DEFAULT_TEMPLATE
    if out.exists():
        return _usage(f"{out} exists; remove it or choose another name with -o / "
                      f"{out} 已存在，不会覆盖；请删除或用 -o 另取文件名")
    write_output(out, write_register_template)
    print(f"已写入 wrote {out}")
    return EXIT_OK


def _cmd_full_report(args: argparse.Namespace, table: AnnualTable) -> int:
    from ..annual.register import read_register
    from ..annual.sections import build_report
    from ..errors import LedgerError

    try:
        register = read_register(args.register)
    except LedgerError as exc:
        return _usage(str(exc))
    report = build_report(table, register)
    emit_json(report.to_json())
    return EXIT_OK if report.complete else EXIT_FINDINGS


def _cmd_annual_report(args: argparse.Namespace) -> int:
    from ..annual.report import build_table, load_format
    from ..errors import AnnualReportError, LedgerError
    from ..ledgers.reading import read_ledger
    from ..outputs.csv_files import write_annual_report_csv
    from ..outputs.text import annual_report_text
    from ..outputs.xlsx import write_annual_report_xlsx
    from ..rulebook.loading import load_rulebook

    if args.rulebook == _TEMPLATE:
        return _cmd_template(args)
    if args.rulebook == _CHECK:
        return _usage("annual-report check is not yet available / 年报检查尚未提供")
    if args.output is not None:
        return _usage("-o belongs to annual-report template / -o 只用于 template")
    if args.ledger is None or args.year is None:
        return _usage("annual-report RULEBOOK LEDGER needs the ledger and --year / 须给出台账和 --year")
    if args.register is not None and not args.json:
        return _usage("--register gives the whole report, written as JSON only so far: add --json / "
                      "--register 目前只输出 JSON，请加 --json")
    book = load_rulebook(args.rulebook)
    # The request table counts what the ledger records; no date is computed.  The calendar
    # options are still checked, as on every command that takes them.
    calendar_from_args(args)
    table_format = load_format(args.format) if args.format else None
    try:
        ledger = read_ledger(args.ledger, encoding=args.encoding)
    except LedgerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        table = build_table(book, ledger, args.year, table_format=table_format)
    except AnnualReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.register is not None:
        return _cmd_full_report(args, table)
    if args.json:
        emit_json(table.to_json())
    elif args.csv or args.xlsx:
        out: Path = args.csv or args.xlsx
        write_output(out, lambda path: (write_annual_report_csv if args.csv
                                        else write_annual_report_xlsx)(table, path))
        print(f"已写入 wrote {out}")
        for unplaced in table.unplaced:
            print(f"unplaced: {unplaced}", file=sys.stderr)
        if not table.identity.holds:
            print(f"identity: {table.identity.explanation_zh} / {table.identity.explanation_en}",
                  file=sys.stderr)
    else:
        sys.stdout.write(annual_report_text(table))
    return EXIT_OK if table.complete else EXIT_FINDINGS


def _configure_annual_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file (the agency); or "
                   "'template' to write the input workbook (年报数据.xlsx)")
    p.add_argument("ledger", type=Path, nargs="?", help="ledger (台账): .csv or .xlsx")
    p.add_argument("--year", type=year_arg, help="reporting year, e.g. 2025 (required with a "
                   "ledger)")
    p.add_argument("--encoding", help="CSV encoding (default UTF-8, BOM accepted; e.g. gbk)")
    p.add_argument("--format", type=Path, metavar="FILE",
                   help="table-format file (default: the bundled format for the year)")
    p.add_argument("--register", type=Path, metavar="FILE",
                   help="the agency register (年报数据: .xlsx from 'template', or .yaml/.json) "
                        "for sections 二, 四 and 六: prints the whole report (with --json)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="with 'template': the workbook to write (default 年报数据.xlsx)")
    p.add_argument("--previous", type=Path, help=argparse.SUPPRESS)  # reserved: check
    calendar_options(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable JSON output")
    out.add_argument("--csv", type=Path, metavar="OUT",
                     help="write the table as CSV (UTF-8 with BOM, so Excel opens it)")
    out.add_argument("--xlsx", type=Path, metavar="OUT",
                     help="write an Excel workbook laid out like the official table")


COMMANDS["annual-report"] = (Command(
    "section 三 of the annual report (收到和处理政府信息公开申请情况) from a ledger, or with "
    "--register the whole report; 'annual-report template' writes the register workbook; exit 1 "
    "when rows cannot be placed, 2 if unreadable", _configure_annual_report, _cmd_annual_report))

__all__ = ["COMMANDS"]
