"""Picture and report sub-commands (graph, report) registered on the CLI."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..errors import ArgumentError
from .args import EXIT_OK, Command, date_arg, latest_effective_date, path_arg, write_output, year_arg

if TYPE_CHECKING:
    import argparse
    from pathlib import Path


def _cmd_graph(args: argparse.Namespace) -> int:
    from ..outputs.graph import workflow_graph
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    on = args.on or latest_effective_date(book)
    graph = workflow_graph(book, args.kind, on)
    sys.stdout.write(graph.to_dot() if args.format == "dot" else graph.to_mermaid())
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from ..outputs.html_report import write_report
    from ..rulebook.loading import load_rulebook
    from .args import calendar_from_args

    book = load_rulebook(args.rulebook)
    calendar = calendar_from_args(args)
    # The latest year with an official holiday schedule, not the current year: the page
    # must come out the same whenever it is generated.
    year = args.year if args.year is not None else calendar.last_year
    if args.output.exists() and not args.output.is_dir():
        msg = (f"-o {args.output} is an existing file; report writes index.html into a "
               "directory: use another path / -o 指向已有文件，报告写入目录中的 index.html，"
               "请换一个路径")
        raise ArgumentError(msg)
    written: list[Path] = []
    write_output(args.output, lambda folder: written.append(
        write_report(book, year, folder, calendar=calendar)))
    print(written[0])
    return EXIT_OK


def _configure_graph(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file")
    p.add_argument("--kind", choices=["request", "item"], default="request",
                   help="request: 依申请公开办理流程 (default); item: 主动公开审核发布流程")
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid",
                   help="mermaid (default) or Graphviz dot")
    p.add_argument("--on", type=date_arg,
                   help="resolve the steps' limits as in force on this date (default: the "
                        "book's latest effective date, not today)")


def _configure_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file")
    p.add_argument("-o", "--output", type=path_arg, required=True, metavar="DIR",
                   help="directory to write index.html into (created if missing)")
    p.add_argument("--year", type=year_arg,
                   help="year of the obligations and the working-day calendar (default: the "
                        "latest year the holiday calendar covers, not the current year)")
    from .args import calendar_options

    calendar_options(p)


#: This module's commands, joined into the command table by :mod:`.main`.
COMMANDS: dict[str, Command] = {
    "graph": Command("a workflow as a flowchart (Mermaid or Graphviz dot)",
        _configure_graph, _cmd_graph),
    "report": Command("a rulebook as a self-contained HTML page with pictures and the "
        "year's working-day calendar", _configure_report, _cmd_report),
}


__all__ = ["COMMANDS"]
