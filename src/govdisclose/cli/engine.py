"""Engine sub-commands: evaluate, plan, obligations, fee."""

from __future__ import annotations

import sys
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from ..errors import ArgumentError, RequestError
from .args import (
    EXIT_OK,
    EXIT_USAGE,
    Command,
    InputFile,
    as_of_from_args,
    calendar_from_args,
    calendar_options,
    count_arg,
    date_arg,
    emit_json,
    json_flag,
    path_arg,
    write_output,
    year_arg,
)

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from .._yaml import YamlDocument
    from ..engine.items import ItemOutcome
    from ..engine.requests import RequestOutcome


def _read(path: Path) -> tuple[Any, YamlDocument]:
    from ..engine.request_input import load_document

    doc = load_document(path)
    if doc.problems:
        raise RequestError(doc.problems)
    return doc.data, doc


def _print_request(o: RequestOutcome) -> None:
    s = o.status
    print(f"{o.request_id} — {o.rulebook}，收到 {o.received_on}，截至 {o.as_of}：{s.state}")
    for key, d in o.deadlines.items():
        due = d.due.isoformat() if d.due else "待定 undetermined"
        flag = "（临时结果 provisional）" if d.provisional else ""
        print(f"  {key:<34} {d.amount}{d.unit.zh} → {due}{flag}")
    if o.reply:
        notice = f" {o.reply.notice}" if o.reply.notice else ""
        print(f"  答复 reply: {o.reply.label}{notice}（规则 {o.reply.rule}）")
        for line in o.reply.contents:
            print(f"    - {line}")
    print("  流程 steps: " + " → ".join(step.label for step in o.steps))
    for v in o.violations:
        print(f"  ✗ {v}")


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from ..engine.backends import get_backend
    from ..engine.request_input import parse_request
    from ..engine.requests import evaluate_request
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    data, doc = _read(args.request)
    request = parse_request(data, book, doc=doc)
    calendar = calendar_from_args(args)
    as_of = as_of_from_args(args, calendar)
    outcome = evaluate_request(book, request, as_of=as_of, backend=get_backend(args.backend),
                               calendar=calendar)
    if args.json:
        emit_json(outcome.to_json())
    else:
        _print_request(outcome)
    return EXIT_OK


def _print_item(o: ItemOutcome) -> None:
    print(f"{o.item_id} — {o.rulebook}")
    print("  审核 review: " + " → ".join(
        f"{s.label}（{s.role_label or s.role or ''}）" for s in o.review))
    for key, d in o.deadlines.items():
        due = d.due.isoformat() if d.due else "—"
        print(f"  {key:<34} {d.amount}{d.unit.zh} → {due}")
    for f in o.filings:
        print(f"  报备 filing: {f['label']} → {f['due']}")
    for r in o.requirements:
        print(f"  要求 requirement: {r['label']}")
    for v in o.violations:
        print(f"  ✗ {v}")


def _cmd_plan(args: argparse.Namespace) -> int:
    from ..engine.items import evaluate_item, parse_item
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    data, doc = _read(args.item)
    item = parse_item(data, book, doc=doc)
    outcome = evaluate_item(book, item, as_of=args.as_of, calendar=calendar_from_args(args))
    if args.json:
        emit_json(outcome.to_json())
    else:
        _print_item(outcome)
    return EXIT_OK


def _cmd_obligations(args: argparse.Namespace) -> int:
    from ..engine.obligations import obligations_for_year
    from ..outputs.ics import to_ics
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    # Duties fall on dates the law fixes; the calendar options are checked (a broken user year
    # file is an error here as everywhere) but no date is moved by them.
    calendar_from_args(args)
    dues = obligations_for_year(book, args.year)
    if args.ics:
        if any(o.due == date.max for o in dues):
            msg = (f"--ics: a duty falls due on {date.max}, and an all-day event ends the next "
                   "day, which no date can hold; write the iCalendar file for an earlier year / "
                   f"{date.max} 到期的事项无法写入 iCalendar 文件（全天事件须以次日为结束日）")
            raise ArgumentError(msg)
        stamp = datetime(args.year, 1, 1, tzinfo=timezone.utc)
        text = to_ics(book, dues, stamp)
        write_output(args.ics, lambda path: path.write_text(text, encoding="utf-8"))
    if args.json:
        emit_json({"rulebook": book.id, "year": args.year,
                   "obligations": [o.to_json() for o in dues]})
    else:
        for o in dues:
            when = o.due.isoformat() if o.due else "年内 within the year"
            flag = f" [{o.relation.zh}]" if o.relation.value not in ("national", "inherited") \
                else ""
            print(f"{when:<12} {o.id:<28} {o.label}{flag}")
    return EXIT_OK


def _cmd_fee(args: argparse.Namespace) -> int:
    from ..engine.fees import fee
    from ..rulebook.loading import load_rulebook

    if (args.requests is None) == (args.pages is None):
        print("error: give exactly one of --requests N or --pages P", file=sys.stderr)
        return EXIT_USAGE
    book = load_rulebook(args.rulebook)
    result = (fee(book, "per_request", args.requests) if args.requests is not None
              else fee(book, "per_volume", args.pages))
    if args.json:
        emit_json(result.to_json())
    else:
        for row in result.breakdown:
            price = row["price"]
            if "price_to" in row:  # the remaining bands of a progressive tier, in one row
                price = (f"{price}…{row['price_to']}（每 {row['band']} 件/页加 {row['increment']} / "
                         f"+{row['increment']} every {row['band']}）")
            print(f"  {row['from']}–{row['to']}: {row['units']} × {price} = {row['subtotal']}")
        print(f"合计 total: {result.total} 元")
        if result.condition is not None:
            print(f"条件 condition: {result.condition.zh} / {result.condition.en}"
                  f"（{'；'.join(result.condition_sources)}）")
    return EXIT_OK


def _common_case(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file")


def _configure_evaluate(p: argparse.ArgumentParser) -> None:
    _common_case(p)
    p.add_argument("request", type=path_arg, action=InputFile, help="request file, JSON or YAML "
                   "(schemas/request.schema.json)")
    p.add_argument("--as-of", type=date_arg,
                   help="judge the status as of this date (default: today's date in China; "
                        "only the evaluate and audit commands read the clock, and only "
                        "when this option is left out)")
    p.add_argument("--backend", default="python", choices=["python", "durable"],
                   help="decision backend (durable needs the 'durable' extra)")
    calendar_options(p)
    json_flag(p)


def _configure_plan(p: argparse.ArgumentParser) -> None:
    _common_case(p)
    p.add_argument("item", type=path_arg, action=InputFile,
                   help="item file, JSON or YAML (schemas/item.schema.json)")
    p.add_argument("--as-of", type=date_arg, help="also report what is overdue on this date")
    calendar_options(p)
    json_flag(p)


def _configure_obligations(p: argparse.ArgumentParser) -> None:
    _common_case(p)
    p.add_argument("--year", type=year_arg, required=True, help="calendar year")
    p.add_argument("--ics", type=path_arg, help="also write an iCalendar file")
    calendar_options(p)
    json_flag(p)


def _configure_fee(p: argparse.ArgumentParser) -> None:
    p.add_argument("--requests", type=count_arg, help="requests by one applicant in one natural month")
    p.add_argument("--pages", type=count_arg, help="pages of one request")
    p.add_argument("--rulebook", default="national", help="rulebook with the fee tiers")
    json_flag(p)


#: This module's commands, joined into the command table by :mod:`.main`.
COMMANDS: dict[str, Command] = {
    "evaluate": Command("evaluate a request (依申请公开)", _configure_evaluate,
        _cmd_evaluate),
    "plan": Command("plan a proactively published item (主动公开)", _configure_plan,
        _cmd_plan),
    "obligations": Command("recurring duties falling due in a year", _configure_obligations,
        _cmd_obligations),
    "fee": Command("information processing fee (国办函〔2020〕109号)", _configure_fee,
        _cmd_fee),
}


__all__ = ["COMMANDS"]
