"""``govdisclose calendar``: import a holiday notice, list the calendar's sources, show a year."""

from __future__ import annotations

import sys
from calendar import monthrange
from datetime import date
from typing import TYPE_CHECKING, Any

from .args import (
    EXIT_OK,
    EXIT_USAGE,
    Command,
    InputFile,
    calendar_from_args,
    calendar_options,
    emit_json,
    path_arg,
    write_output,
    year_arg,
)

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from ..periods.calendar import OfficialCalendar


def _cmd_import(args: argparse.Namespace) -> int:
    from .._yaml import YamlDocument, load_yaml_file
    from ..periods.notice import parse_notice
    from ..periods.notice_documents import amend_year_document, year_document
    from ..periods.year_file_writer import dump_year_file
    from ..periods.year_files import schedule_from_document

    try:
        text = args.notice.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.notice}: {exc} / 无法读取通知文件", file=sys.stderr)
        return EXIT_USAGE
    parsed = parse_notice(text, file=str(args.notice))
    if args.amend is not None:
        base = load_yaml_file(args.amend)
        schedule_from_document(base)  # the year file being amended must itself be valid
        document = amend_year_document(base.data, parsed, url=args.url)
        target = args.output or args.amend
    else:
        document = year_document(parsed, url=args.url)
        target = args.output
    # The same checks a year file gets when it is loaded, before anything is written.
    name = str(target) if target is not None else f"{document['year']}.yaml"
    schedule_from_document(YamlDocument(document, None, name), check_name=target is not None)
    if args.json:
        emit_json(document)
    text_out = dump_year_file(document, generated_by=f"govdisclose calendar import {args.notice.name}")
    if target is not None:
        def write(path: Path) -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text_out, encoding="utf-8")

        write_output(target, write)
        print(f"已写入 wrote {target}", file=sys.stderr)
    elif not args.json:
        sys.stdout.write(text_out)
    return EXIT_OK


def _source_label(calendar: OfficialCalendar, year: int) -> dict[str, Any]:
    from ..periods.year_files import ScheduleSource, chinesecalendar_version

    schedule = calendar.schedules[year]
    row: dict[str, Any] = {"year": year, "source": schedule.source.value, "file": schedule.file}
    if schedule.source is ScheduleSource.CHINESECALENDAR:
        row["version"] = chinesecalendar_version()
    if schedule.notice is not None:
        row["notice"] = schedule.notice.to_json()
        row["amendments"] = [a.to_json() for a in schedule.amendments]
    return row


def _cmd_list(args: argparse.Namespace) -> int:
    from ..periods.calendar import differences
    from ..periods.year_files import ScheduleSource, chinesecalendar_years

    calendar = calendar_from_args(args)
    shipped = {s.year: s for s in chinesecalendar_years()}
    rows = []
    for year, schedule in calendar.schedules.items():
        row = _source_label(calendar, year)
        if schedule.source is not ScheduleSource.CHINESECALENDAR and year in shipped:
            row["differs_from_chinesecalendar"] = [
                {"date": d.isoformat(), "this": a, "chinesecalendar": b}
                for d, a, b in differences(schedule, shipped[year])]
        rows.append(row)
    end = date(calendar.last_year, 12, 31).isoformat()
    if args.json:
        emit_json({"years": rows, "coverage_end": end})
        return EXIT_OK
    for row in rows:
        where = {"chinesecalendar": f"chinesecalendar {row.get('version', '')}",
                 "bundled": f"bundled {row['file']}", "user": f"user {row['file']}"}[row["source"]]
        notice = row.get("notice")
        title = ""
        if notice:
            number = f"（{notice['document_number']}）" if notice["document_number"] else ""
            title = f"  {notice['title']}{number} {notice['published']}"
            for amendment in row.get("amendments", []):
                title += f" + {amendment['document_number'] or amendment['title']}"
        print(f"{row['year']}  {where}{title}")
        for diff in row.get("differs_from_chinesecalendar", []):
            print(f"      与 chinesecalendar 不同 differs: {diff['date']} "
                  f"{diff['this']} ≠ {diff['chinesecalendar']}")
    print(f"覆盖至 coverage ends: {end}")
    return EXIT_OK


_MARK = {"holiday": "休", "makeup_workday": "班"}


def _cmd_show(args: argparse.Namespace) -> int:
    from ..periods.calendar import WEEKDAY_ZH

    calendar = calendar_from_args(args)
    infos = []
    for month in range(1, 13):
        for day in range(1, monthrange(args.year, month)[1] + 1):
            infos.append(calendar.day_info(date(args.year, month, day)))
    provisional = any(i.provisional for i in infos)
    notice = calendar.notices.get(args.year)
    head = f"{args.year} 年 / {args.year}"
    if provisional:
        head += "  临时：仅周末和法定节假日，未推定调休 / provisional: weekends and statutory holidays only"
    elif notice is not None:
        head += f"  {notice.title}"
    print(head)
    print("休 = 放假 day off · 班 = 调休上班 make-up working day")
    for month in range(1, 13):
        days = [i for i in infos if i.day.month == month]
        print(f"\n{month:>2}月 / {date(args.year, month, 1):%b}")
        # Every cell is four columns wide: two for the day, two for the (CJK) mark.
        print(" ".join(f" {w} " for w in WEEKDAY_ZH).rstrip())
        cells = ["    "] * days[0].day.weekday()
        for info in days:
            cells.append(f"{info.day.day:>2}{_MARK.get(info.kind.value, '  ')}")
        for i in range(0, len(cells), 7):
            print(" ".join(cells[i:i + 7]).rstrip())
    return EXIT_OK


def _cmd_calendar(args: argparse.Namespace) -> int:
    handlers = {"import": _cmd_import, "list": _cmd_list, "show": _cmd_show}
    return handlers[args.action](args)


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = sub.add_parser(
        "import", help="read a State Council holiday notice (plain text) into a year file",
        description="Read the State Council general office's holiday notice "
                    "(关于YYYY年部分节假日安排的通知) as copied from gov.cn, a newspaper or a "
                    "relay page into a year file. Exit 1 naming every sentence "
                    "that cannot be read or fails a check; nothing is written then.")
    imp.add_argument("notice", type=path_arg, action=InputFile, help="the notice as UTF-8 text")
    imp.add_argument("-o", "--output", type=path_arg, metavar="FILE",
                     help="write the year file here (default: YAML on stdout)")
    imp.add_argument("--json", action="store_true", help="print the year document as JSON")
    imp.add_argument("--amend", type=path_arg, action=InputFile, metavar="FILE",
                     help="apply a later, amending notice onto this year file (rewritten in "
                          "place unless -o is given)")
    imp.add_argument("--url", help="where the notice was read (recorded in the file)")
    for name, text in (("list", "each year's source, its notice, and where coverage ends"),
                       ("show", "a year as a month grid")):
        q = sub.add_parser(name, help=text, description=text)
        if name == "show":
            q.add_argument("year", type=year_arg, help="calendar year")
        else:
            q.add_argument("--json", action="store_true", help="machine-readable JSON output")
        calendar_options(q)


#: This module's commands, joined into the command table by :mod:`.main`.
COMMANDS: dict[str, Command] = {
    "calendar": Command("the holiday calendar: import a notice, list sources, show a year",
        _configure, _cmd_calendar),
}


__all__ = ["COMMANDS"]
