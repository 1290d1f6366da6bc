"""Ledger sub-commands (audit, annual-report) registered on the CLI."""

from __future__ import annotations

import csv
import html
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..periods.counting import CHINA_STANDARD_TIME
from .args import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    calendar_from_args,
    calendar_options,
    date_arg,
    emit_json,
    warn_coverage_ending,
)

if TYPE_CHECKING:
    import argparse

    from ..ledgers.audit import AuditResult

_STATE_ZH = {"open": "办理中", "overdue": "已逾期未答复", "answered_on_time": "按期答复",
             "answered_late": "逾期答复", "invalid": "无效记录"}


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


def _problems(row_violations: tuple[dict[str, object], ...],
              errors: tuple[dict[str, str], ...]) -> str:
    parts = [f"{v['code']}: {v['message_zh']}" for v in row_violations]
    parts += [e["message_zh"] for e in errors]
    return "；".join(parts)


def write_csv(result: AuditResult, out: Path) -> None:
    """One line per ledger row (UTF-8 with BOM so that Excel opens it)."""
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "line", "id", "state", "received_on", "due", "replied_on",
                         "violations", "errors", "provisional"])
        for r in result.rows:
            writer.writerow([r.number, r.line, r.id, r.state, r.received_on or "", r.due or "",
                             r.replied_on or "", ";".join(str(v["code"]) for v in r.violations),
                             " | ".join(e["message_en"] for e in r.errors),
                             "yes" if r.provisional else ""])


def write_json(result: AuditResult, out: TextIO) -> None:
    """The audit as JSON (schemas/audit.schema.json), one ledger row per line.

    Ledgers run to a million rows: compact rows on their own lines stay readable and
    diffable and are several times faster to write than an indented document.
    """
    head = result.to_json()
    rows = head.pop("rows")
    summary = head.pop("summary")
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write('  "rows": [\n')
    last = len(rows) - 1
    for i, row in enumerate(rows):
        out.write("    " + json.dumps(row, ensure_ascii=False, separators=(",", ":"))
                  + (",\n" if i < last else "\n"))
    out.write("  ],\n")
    out.write(f'  "summary": {json.dumps(summary, ensure_ascii=False)}\n}}\n')


def render_html(result: AuditResult) -> str:
    """A self-contained page: summary, then every row (problem rows highlighted)."""
    s = result.summary
    rows = []
    for r in result.rows:
        cls = "ok" if r.ok else ("invalid" if r.state == "invalid" else "bad")
        rows.append(
            f"<tr class='{cls}'><td>{r.number}</td><td>{html.escape(r.id)}</td>"
            f"<td>{_STATE_ZH[r.state]}<br><small>{r.state}</small></td>"
            f"<td>{r.received_on or ''}</td><td>{r.due or ''}</td><td>{r.replied_on or ''}</td>"
            f"<td>{html.escape(_problems(r.violations, r.errors))}</td></tr>")
    states = "".join(f"<li>{_STATE_ZH[k]} {k}: {v}</li>" for k, v in s["states"].items())
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>台账审计 {html.escape(result.file)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 4px 8px; }}
tr.bad {{ background: #fde2e2; }} tr.invalid {{ background: #fff3cd; }}
</style></head><body>
<h1>政府信息公开申请台账审计 / Ledger audit</h1>
<p>规则集 rulebook: {html.escape(result.rulebook)} · 台账 ledger: {html.escape(result.file)}
 · 审计日期 as of: {result.as_of.isoformat()}</p>
<ul>{states}</ul>
<p>{"全部合规 / all rows fine" if s["ok"] else "发现问题 / problems found"}</p>
<table><thead><tr><th>#</th><th>编号 id</th><th>状态 state</th><th>收到 received</th>
<th>期限 due</th><th>答复 replied</th><th>问题 problems</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></body></html>
"""


def _print_text(result: AuditResult) -> None:
    for r in result.rows:
        if r.ok:
            continue
        print(f"{result.file}:{r.line}: {r.id or '(no id)'}: {r.state}"
              + (f" (due {r.due}{' 临时 provisional' if r.provisional else ''})" if r.due
                 else "") + f": {_problems(r.violations, r.errors)}")
    s = result.summary
    counts = ", ".join(f"{k} {v}" for k, v in s["states"].items())
    provisional = (f"; {s['provisional_rows']} provisional (临时结果，通知公布后请复核)"
                   if s["provisional_rows"] else "")
    print(f"{s['rows']} rows: {counts}; {s['rows_with_violations']} with violations{provisional}")


def _cmd_audit(args: argparse.Namespace) -> int:
    from ..errors import LedgerError
    from ..ledgers.audit import audit_ledger
    from ..ledgers.reading import read_ledger
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    try:
        ledger = read_ledger(args.ledger, encoding=args.encoding)
    except LedgerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    calendar = calendar_from_args(args)
    as_of = args.as_of
    if as_of is None:
        # Without --as-of the CLI reads the clock, as its help says: today in China.
        as_of = datetime.now(CHINA_STANDARD_TIME).date()
        warn_coverage_ending(calendar, as_of)
    progress = None if args.json else _progress_printer()
    result = audit_ledger(book, ledger, as_of=as_of, workers=args.workers, calendar=calendar,
                          progress=progress)  # type: ignore[arg-type]
    if args.csv:
        write_csv(result, args.csv)
    if args.html:
        args.html.write_text(render_html(result), encoding="utf-8")
    if args.json:
        write_json(result, sys.stdout)
    else:
        _print_text(result)
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


def _cmd_annual_report(args: argparse.Namespace) -> int:
    from ..errors import AnnualReportError, LedgerError
    from ..ledgers.annual_report import build_table, load_format
    from ..ledgers.reading import read_ledger
    from ..rulebook.loading import load_rulebook

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
    if args.json:
        emit_json(table.to_json())
    elif args.csv or args.xlsx:
        out: Path = args.csv or args.xlsx
        if args.csv:
            table.write_csv(out)
        else:
            table.write_xlsx(out)
        print(f"已写入 wrote {out}")
        for unplaced in table.unplaced:
            print(f"unplaced: {unplaced}", file=sys.stderr)
        if not table.identity.holds:
            print(f"identity: {table.identity.explanation_zh} / {table.identity.explanation_en}",
                  file=sys.stderr)
    else:
        sys.stdout.write(table.to_text())
    return EXIT_OK if table.complete else EXIT_FINDINGS


def _configure_annual_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file (the agency)")
    p.add_argument("ledger", type=Path, help="ledger (台账): .csv or .xlsx")
    p.add_argument("--year", type=int, required=True, help="reporting year, e.g. 2025")
    p.add_argument("--encoding", help="CSV encoding (default UTF-8, BOM accepted; e.g. gbk)")
    p.add_argument("--format", type=Path, metavar="FILE",
                   help="table-format file (default: rules/formats/annual-report-2021.yaml)")
    calendar_options(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable JSON output")
    out.add_argument("--csv", type=Path, metavar="OUT",
                     help="write the table as CSV (UTF-8 with BOM, so Excel opens it)")
    out.add_argument("--xlsx", type=Path, metavar="OUT",
                     help="write an Excel workbook laid out like the official table")


COMMANDS["annual-report"] = (Command(
    "section 三 of the annual report (收到和处理政府信息公开申请情况) from a ledger; exit 1 "
    "when rows cannot be placed, 2 if unreadable", _configure_annual_report, _cmd_annual_report))

__all__ = ["COMMANDS"]
