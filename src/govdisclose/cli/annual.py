"""The annual-report sub-command (template, check, section 三, the whole report) on the CLI.

It parses arguments, reads the ledger and the register and calls :mod:`govdisclose.annual`;
every format it writes comes from :mod:`govdisclose.outputs`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .args import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    calendar_from_args,
    calendar_options,
    emit_json,
    path_arg,
    usage_error,
    write_new_output,
    write_output,
    year_arg,
)

if TYPE_CHECKING:
    import argparse

    from ..annual.table import AnnualTable
    from ..rulebook.model import Rulebook



#: Words taken as a sub-command when they come first after ``annual-report`` (no rulebook is
#: named so).  ``check`` checks a report against its format (issue 14).
_TEMPLATE, _CHECK = "template", "check"
_DEFAULT_TEMPLATE = Path("年报数据.xlsx")


def _cmd_template(args: argparse.Namespace) -> int:
    from ..outputs.annual_template import write_register_template

    if args.ledger is not None or args.year is not None or args.register is not None \
            or args.items is not None:
        return usage_error("annual-report template takes only -o FILE / template 只接受 -o FILE")
    out: Path = args.output or _DEFAULT_TEMPLATE
    write_new_output(out, write_register_template)  # filled in by hand: never written over
    print(f"已写入 wrote {out}")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    """``annual-report check FILE [--previous FILE]``: FILE comes in the ledger position."""
    from ..annual.check import check_report
    from ..annual.report import load_format
    from ..errors import LedgerError

    if args.ledger is None:
        return usage_error("annual-report check FILE [--previous FILE] [--json] / 须给出要检查的文件")
    others = ("year", "register", "items", "output", "csv", "xlsx", "html", "docx", "agency")
    if any(getattr(args, k, None) is not None for k in others) or getattr(args, "full", False):
        return usage_error("annual-report check takes FILE, --previous, --format and --json only / "
                      "check 只接受 FILE、--previous、--format 和 --json")
    try:
        result = check_report(args.ledger, previous=args.previous,
                              table_format=load_format(args.format) if args.format else None)
    except LedgerError as exc:
        return usage_error(str(exc))
    if args.json:
        emit_json(result.to_json())
    else:
        year = "" if result.year is None else f"，{result.year} 年度 year {result.year}"
        print(f"检查 check: {result.file}（{result.kind}{year}）")
        for finding in result.findings:
            print(f"✗ {finding}")
        for note in result.notes:
            print(f"注 note: {note}")
        print(f"{len(result.findings)} 处问题 problem(s)" if result.findings
              else f"未发现问题 no problems found（{result.checked} 项检查 checks）")
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _cmd_full_report(args: argparse.Namespace, table: AnnualTable, book: Rulebook) -> int:
    from ..annual.items import read_item_ledger
    from ..annual.register import Register, read_register
    from ..annual.sections import build_report
    from ..errors import LedgerError

    try:
        # --full without --register: sections 二 and 四 are all missing (never 0)
        register = Register("") if args.register is None else read_register(args.register)
        items = None if args.items is None else \
            read_item_ledger(args.items, book, table.format.proactive)
    except LedgerError as exc:
        return usage_error(str(exc))
    report = build_report(table, register, agency=args.agency, items=items)
    if args.html or args.docx:
        out: Path = args.html or args.docx
        if out.exists():  # a draft is edited by hand: never write over one
            return usage_error(f"{out} exists; remove it or choose another name / "
                          f"{out} 已存在，不会覆盖；请删除或另取文件名")
        if args.docx:
            from ..outputs.annual_docx import DOCX_EXTRA, write_annual_report_docx
            try:
                write_output(out, lambda path: write_annual_report_docx(report, path))
            except ModuleNotFoundError as exc:  # the optional extra is not installed
                if not (exc.name or "").startswith("docx"):
                    raise
                return usage_error(f"--docx needs python-docx: {DOCX_EXTRA} / --docx 需要安装 python-docx")
        else:
            from ..outputs.annual_report_html import write_annual_report_html
            write_output(out, lambda path: write_annual_report_html(report, path))
        print(f"已写入 wrote {out}")
        for problem in report.problems:
            print(f"problem: {problem}", file=sys.stderr)
    elif args.xlsx:  # the tables of 二, 三 and 四, as annual-report check reads them back
        from ..outputs.xlsx import write_annual_report_xlsx
        write_output(args.xlsx, lambda path: write_annual_report_xlsx(table, path, report))
        print(f"已写入 wrote {args.xlsx}")
        for problem in report.problems:
            print(f"problem: {problem}", file=sys.stderr)
    else:
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
        return _cmd_check(args)
    if args.output is not None:
        return usage_error("-o belongs to annual-report template / -o 只用于 template")
    if args.previous is not None:
        return usage_error("--previous belongs to annual-report check / --previous 只用于 check")
    if args.ledger is None or args.year is None:
        return usage_error("annual-report RULEBOOK LEDGER needs the ledger and --year / 须给出台账和 --year")
    full = args.full or args.register is not None or args.items is not None or args.html \
        or args.docx
    if full and not (args.json or args.html or args.docx or args.xlsx):
        return usage_error("--full/--register give the whole report: add --json, --html OUT, --docx OUT "
                      "or --xlsx OUT (its tables; --csv holds section 三 only) / "
                      "整份报告请加 --json、--html、--docx 或 --xlsx")
    if args.agency is not None and not full:
        return usage_error("--agency names the whole report: add --full / --agency 只用于 --full")
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
    if full:
        return _cmd_full_report(args, table, book)
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
                   "'template' to write the input workbook (年报数据.xlsx); or 'check' to check "
                   "a report (annual-report check FILE [--previous FILE])")
    p.add_argument("ledger", type=path_arg, nargs="?", help="ledger (台账): .csv or .xlsx; with "
                   "'check': the report to check (.json, .xlsx, or the register)")
    p.add_argument("--year", type=year_arg, help="reporting year, e.g. 2025 (required with a "
                   "ledger)")
    p.add_argument("--encoding", help="CSV encoding (default UTF-8, BOM accepted; e.g. gbk)")
    p.add_argument("--format", type=path_arg, metavar="FILE",
                   help="table-format file (default: the bundled format for the year)")
    p.add_argument("--register", type=path_arg, metavar="FILE",
                   help="the agency register (年报数据: .xlsx from 'template', or .yaml/.json) "
                        "for sections 二, 四 and 六: prints the whole report (with --json)")
    p.add_argument("--items", type=path_arg, metavar="FILE",
                   help="an item ledger (主动公开台账: a YAML/JSON list of items as 'plan' takes "
                        "them); items with annual_report_row count in section 二 (with --full)")
    p.add_argument("--full", action="store_true",
                   help="the whole report (sections 一 to 六; 一, 五, 六 as drafts): with --json, "
                        "--html OUT or --docx OUT; --register FILE gives 二, 四 and 六's figures")
    p.add_argument("--agency", metavar="NAME",
                   help="with --full: the agency's name heading the report (default: the "
                        "rulebook's name)")
    p.add_argument("-o", "--output", type=path_arg, metavar="FILE",
                   help="with 'template': the workbook to write (default 年报数据.xlsx)")
    p.add_argument("--previous", type=path_arg, metavar="FILE",
                   help="with 'check': last year's report, to check the carry-over (四 of last "
                        "year = 二 of this year, per column)")
    calendar_options(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable JSON output")
    out.add_argument("--csv", type=path_arg, metavar="OUT",
                     help="write the table as CSV (UTF-8 with BOM, so Excel opens it)")
    out.add_argument("--xlsx", type=path_arg, metavar="OUT",
                     help="write an Excel workbook laid out like the official table (with "
                          "--full: the tables of 二, 三 and 四, one sheet each)")
    out.add_argument("--html", type=path_arg, metavar="OUT",
                     help="with --full: the whole report as one self-contained HTML page "
                          "(never overwrites)")
    out.add_argument("--docx", type=path_arg, metavar="OUT",
                     help="with --full: the whole report as a Word document (needs the 'docx' "
                          "extra; never overwrites)")


COMMANDS: dict[str, Command] = {"annual-report": Command(
    "section 三 of the annual report (收到和处理政府信息公开申请情况) from a ledger, or with "
    "--register the whole report; 'annual-report template' writes the register workbook; "
    "'annual-report check FILE' checks a report against its format; exit 1 "
    "when rows cannot be placed, 2 if unreadable", _configure_annual_report, _cmd_annual_report)}

__all__ = ["COMMANDS"]
