"""Rulebook and period commands: rulebooks, validate, limits, deadline, workdays, test, compare."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GovDiscloseError, Problem
from .args import (
    EXIT_FINDINGS,
    EXIT_OK,
    Command,
    InputPath,
    calendar_from_args,
    calendar_options,
    calendar_paths_from_args,
    count_arg,
    date_arg,
    emit_json,
    json_flag,
    latest_effective_date,
    moment_arg,
    path_arg,
)

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

__all__ = ["COMMANDS", "validate_paths"]


def _cmd_rulebooks(args: argparse.Namespace) -> int:
    from ..outputs.documents import rulebooks_document
    from ..rulebook.loading import current_library

    # the project's books (govdisclose.toml), then the bundled ones; the JSON document is the
    # one the service answers (outputs/documents.py)
    document = rulebooks_document(current_library())
    rows = document["rulebooks"]
    if args.json:
        emit_json(document)
    else:
        for row in rows:
            parent = f"  ← {row['extends']}" if row["extends"] else ""
            print(f"{row['id']:<36} {row['name']}{parent}")
    return EXIT_OK


def _kind_of(path: Path) -> str:
    from .._yaml import load_yaml_file

    if path.parent.name == "calendars":
        return "calendar"
    doc = load_yaml_file(path)
    if isinstance(doc.data, dict) and doc.data.get("kind") == "source-texts":
        return "sources"
    if isinstance(doc.data, dict) and doc.data.get("kind") == "statutory-holidays":
        return "statutory"
    if isinstance(doc.data, dict) and {"year", "notice", "holidays"} <= set(doc.data):
        return "calendar"
    if path.parent.name == "formats" or (
            isinstance(doc.data, dict) and doc.data.get("kind") == "annual-report-format"):
        return "format"
    if isinstance(doc.data, dict) and "cases" in doc.data:
        return "cases"
    return "rulebook"


def _yaml_under(directory: Path) -> list[Path]:
    """The YAML files below ``directory``, leaving out hidden ones (``.pre-commit-config.yaml``,
    ``.github/``): ``validate .`` in an agency repository checks its data, not its tooling."""
    return sorted(f for f in directory.rglob("*.yaml")
                  if not any(part.startswith(".") for part in f.relative_to(directory).parts))


def validate_paths(paths: Sequence[Path]) -> tuple[int, list[Problem]]:
    """Validate rulebook, calendar, report-format and case files under ``paths``.

    Returns:
        (files checked, problems).
    """
    from .._sources import iter_index_problems
    from ..annual.report import iter_format_problems
    from ..errors import CalendarDataError
    from ..periods.calendar import load_year_file
    from ..periods.statutory import load_statutory_holidays
    from ..rulebook.loading import iter_rulebook_errors
    from ..testing.cases import case_rulebook_problems, load_cases

    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            if path.is_dir():
                files.extend(_yaml_under(path))
            elif path.exists():
                files.append(path)
            else:
                problems.append(Problem("file.missing", "文件不存在", "no such file", str(path)))
        except OSError as exc:  # a name the file system refuses (too long, …)
            problems.append(Problem("file.unreadable", f"无法读取：{exc.strerror}",
                                    f"cannot be read: {exc.strerror}", str(path)[:200]))
    for file in files:
        kind = _kind_of(file)
        if kind in ("calendar", "statutory"):
            try:
                (load_year_file if kind == "calendar" else load_statutory_holidays)(file)
            except CalendarDataError as exc:
                problems.extend(exc.problems)
        elif kind == "cases":
            problems.extend(load_cases(file)[1] or case_rulebook_problems(file))
        elif kind == "format":
            problems.extend(iter_format_problems(file))
        elif kind == "sources":
            problems.extend(iter_index_problems(file))
        else:
            problems.extend(iter_rulebook_errors(file))
    return len(files), problems


def _calendar_notes(paths: Sequence[Path]) -> list[str]:
    """Days where a valid year file and chinesecalendar disagree (reported, not an error: the
    file may be the correction)."""
    from ..periods.calendar import differences
    from ..periods.year_files import chinesecalendar_years, load_year_file

    files = [f for p in paths for f in (_yaml_under(p) if p.is_dir() else [p])
             if f.exists() and _kind_of(f) == "calendar"]
    if not files:
        return []
    shipped = {s.year: s for s in chinesecalendar_years()}
    notes = []
    for file in files:
        try:
            schedule = load_year_file(file)
        except GovDiscloseError:
            continue  # reported as a problem already
        if schedule.year in shipped:
            for day, mine, theirs in differences(schedule, shipped[schedule.year]):
                notes.append(f"note: {file}: {day} 本文件为 {mine}，chinesecalendar 为 {theirs} / "
                             f"{mine} here, {theirs} in chinesecalendar")
    return notes


def _shadowing_notes(paths: Sequence[Path]) -> list[str]:
    """Local decision rules that could pre-empt a mandatory national outcome (reported, not an
    error: the engine applies the national outcome whatever the order of the file)."""
    from ..engine.shadowing import shadowing
    from ..rulebook.loading import iter_rulebook_errors, load_rulebook

    files = [f for p in paths for f in (_yaml_under(p) if p.is_dir() else [p])
             if f.exists() and _kind_of(f) == "rulebook"]
    notes: list[str] = []
    for file in files:
        if any(True for _ in iter_rulebook_errors(file)):
            continue  # reported as problems
        book = load_rulebook(str(file))
        notes.extend(f"note: {file}: {found.zh} / {found.en}"
                     for found in shadowing(book, latest_effective_date(book)))
    return notes


def _github(text: str, *, data: bool = False) -> str:
    """Escaped for a workflow command: its message (``data``) or a property value."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text if data else text.replace(":", "%3A").replace(",", "%2C")


def _github_annotation(problem: Problem) -> str:
    """``::error file=…,line=…,col=…::message`` (GitHub Actions workflow command)."""
    where = [f"file={_github(problem.file or '<input>')}"]
    if problem.line is not None:
        where.append(f"line={problem.line}")
        if problem.column is not None:
            where.append(f"col={problem.column}")
    message = str(problem).removeprefix(problem.location + ": ")
    return f"::error {','.join(where)}::{_github(message, data=True)}"


def _cmd_validate(args: argparse.Namespace) -> int:
    count, problems = validate_paths(args.paths)
    notes = [*_calendar_notes(args.paths), *_shadowing_notes(args.paths)]
    if args.format == "json":
        emit_json({"files": count, "valid": not problems, "notes": notes,
                   "problems": [p.to_json() for p in problems]})
        return EXIT_FINDINGS if problems else EXIT_OK
    for note in notes:
        print(f"::notice::{_github(note, data=True)}" if args.format == "github" else note)
    for problem in problems:
        print(_github_annotation(problem) if args.format == "github" else problem)
    if problems:
        print(f"{len(problems)} problem(s) in {count} file(s) / 共发现 {len(problems)} 处问题",
              file=sys.stderr)
        return EXIT_FINDINGS
    print(f"ok: {count} file(s) valid / {count} 个文件校验通过")
    return EXIT_OK


def _cmd_limits(args: argparse.Namespace) -> int:
    from ..outputs.documents import default_on, limits_document
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    on = args.on or default_on(book)
    document = limits_document(book, on)  # also the service's answer
    if args.json:
        emit_json(document)
        return EXIT_OK
    resolved = book.limits_on(on)
    obligations: dict[str, dict[str, Any]] = document["obligations"]
    print(f"{book.name}（{book.id}）— {on.isoformat()}")
    for key, lim in resolved.items():
        most = "（最长）" if lim.up_to else ""
        flag = f"  [{lim.relation.zh}]" if lim.relation.value not in ("national", "inherited") \
            else ""
        cite = "；".join(str(c) for c in lim.cites)
        print(f"  {key:<40} {lim.amount}{lim.unit.zh}{most}  {lim.label}{flag}\n"
              f"  {'':<40} {cite}")
    for key, ob in obligations.items():
        when = ob["dates"] or [f"{ob['month'] or '每月'}-{ob['day']}"]
        print(f"  {key:<40} {', '.join(map(str, when))}  {ob['label']}")
    return EXIT_OK


def _cmd_deadline(args: argparse.Namespace) -> int:
    from ..engine.limits import limit_deadline
    from ..rulebook.loading import load_rulebook

    book = load_rulebook(args.rulebook)
    calendar = calendar_from_args(args)
    if args.json:
        from ..outputs.documents import deadline_document

        emit_json(deadline_document(book, args.limit, args.start, calendar))
        return EXIT_OK
    deadline = limit_deadline(book, args.limit, args.start, calendar=calendar)
    due = deadline.due.isoformat() if deadline.due else "—"
    flag = "（临时结果 provisional）" if deadline.provisional else ""
    print(f"{args.limit}: {deadline.amount}{deadline.unit.zh} → {due}{flag}")
    if args.explain:
        print(deadline.explain())
        for cite in deadline.sources:
            print(f"   依据 / source: {cite}")
    return EXIT_OK


def _cmd_workdays(args: argparse.Namespace) -> int:
    from ..engine.limits import national_counting_basis
    from ..periods.counting import compute_deadline

    calendar = calendar_from_args(args)
    if args.json:
        from ..outputs.documents import workdays_document

        emit_json(workdays_document(args.start, args.n, calendar))
        return EXIT_OK
    # The national book's counting rules in force on the start day give the trace its basis.
    deadline = compute_deadline(args.start, args.n, "working_days", calendar=calendar,
                                basis=national_counting_basis(args.start))
    due = deadline.due.isoformat() if deadline.due else "—"
    print(f"{due}（临时结果 provisional）" if deadline.provisional else due)
    if args.explain:
        print(deadline.explain())
    return EXIT_OK


def _cmd_test(args: argparse.Namespace) -> int:
    from ..testing.cases import iter_case_files, load_cases, run_case

    passed = failed = 0
    # No path: the project's cases (govdisclose.toml), else tests/cases.
    default = list(args.project.cases) if getattr(args, "project", None) and \
        args.project.cases else [Path("tests/cases")]
    for file in iter_case_files(args.paths or default):
        cases, problems = load_cases(file)
        for problem in problems:
            print(f"FAIL {problem}")
            failed += 1
        for case in cases:
            result = run_case(case, calendar_paths=calendar_paths_from_args(args),
                              provisional=args.provisional)
            if result.passed:
                passed += 1
                if args.verbose:
                    print(result)
            else:
                failed += 1
                print(result)
    print(f"{passed} passed, {failed} failed")
    return EXIT_FINDINGS if failed or not passed else EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from ..engine.compare import compare_books
    from ..rulebook.loading import load_rulebook

    books = [load_rulebook(ref) for ref in args.rulebooks]
    on = args.on or max(latest_effective_date(b) for b in books)
    result = compare_books(books, on)
    if args.json:
        emit_json(result.to_json())
        return EXIT_OK
    print(f"{' | '.join(result.books)} — {on.isoformat()}")
    for kind, key, cells in result.rows:
        print(f"[{kind}] {key}")
        for book_id, cell in zip(result.books, cells, strict=True):
            if cell is None:
                continue
            rel = f" [{cell.label}]" if cell.label else ""
            applies = f" → 适用 applies: {cell.applies}" if cell.applies else ""
            print(f"    {book_id:<36} {cell.text}{rel}{applies}")
            if cell.note:
                print(f"    {'':<36} ↳ {cell.note}")
    return EXIT_OK


# -- registry -------------------------------------------------------------------------------


def _configure_rulebooks(p: argparse.ArgumentParser) -> None:
    json_flag(p)


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", type=path_arg, action=InputPath, metavar="PATH",
                   help="rulebook, calendar or case files, or directories of them")
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text: file:line:col lines; json: {files, valid, notes, problems}; "
                        "github: ::error annotations for GitHub Actions")


def _configure_limits(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file")
    p.add_argument("--on", type=date_arg,
                   help="show values in force on this date (default: the book's latest "
                        "effective date, not today)")
    json_flag(p)


def _configure_deadline(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="bundled rulebook id or a rulebook file")
    p.add_argument("limit", help="limit id, e.g. request.reply")
    p.add_argument("--from", dest="start", type=moment_arg, required=True,
                   help="the day (or YYYY-MM-DDTHH:MM for hour limits) the period counts from")
    p.add_argument("--explain", action="store_true", help="print the trace")
    calendar_options(p)
    json_flag(p)


def _configure_workdays(p: argparse.ArgumentParser) -> None:
    p.add_argument("start", type=date_arg, help="start day (not counted)")
    p.add_argument("n", type=count_arg, help="number of working days")
    p.add_argument("--explain", action="store_true", help="print the trace")
    calendar_options(p)
    json_flag(p)


def _configure_test(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=path_arg, action=InputPath, metavar="PATH",
                   help="case files or directories (default: the cases of govdisclose.toml, "
                        "else tests/cases)")
    p.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")
    calendar_options(p)


def _configure_compare(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebooks", nargs="+", metavar="RULEBOOK")
    p.add_argument("--on", type=date_arg,
                   help="national baseline in force on this date (default: the latest "
                        "effective date in the books)")
    json_flag(p)


COMMANDS: dict[str, Command] = {
    "rulebooks": Command("list the bundled rulebooks", _configure_rulebooks, _cmd_rulebooks),
    "validate": Command("validate rulebooks, calendars and case files", _configure_validate,
                        _cmd_validate),
    "limits": Command("the time limits of a rulebook in force on a date", _configure_limits,
                      _cmd_limits),
    "deadline": Command("compute one limit's deadline", _configure_deadline, _cmd_deadline),
    "workdays": Command("add working days on the official calendar", _configure_workdays,
                        _cmd_workdays),
    "test": Command("run YAML test cases", _configure_test, _cmd_test),
    "compare": Command("rulebooks side by side against the national baseline",
                       _configure_compare, _cmd_compare),
}

