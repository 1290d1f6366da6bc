"""What every command shares: exit codes, argument types, the calendar options, JSON output
and the :class:`Command` row of the command table.  Imports nothing of the CLI itself."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._dates import parse_date, parse_moment
from .._repr import FieldRepr
from ..errors import ArgumentError
from ..periods.values import CHINA_STANDARD_TIME

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Rulebook

__all__ = [
    "COVERAGE_WARNING_DAYS",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "Command",
    "InputFile",
    "InputPath",
    "as_of_from_args",
    "calendar_from_args",
    "calendar_options",
    "calendar_paths_from_args",
    "check_input",
    "count_arg",
    "date_arg",
    "emit_json",
    "json_flag",
    "latest_effective_date",
    "moment_arg",
    "positive_arg",
    "usage_error",
    "warn_coverage_ending",
    "write_new_output",
    "write_output",
    "year_arg",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


#: The longest file-name component most file systems accept, in bytes (NAME_MAX).
NAME_MAX = 255


def path_arg(text: str) -> Path:
    """A file or directory argument: not empty (which would mean the current directory), no
    NUL, no component longer than the file system allows — a usage error, not an OSError."""
    if not text.strip():
        msg = "an empty path / 路径为空"
        raise argparse.ArgumentTypeError(msg)
    if "\x00" in text or any(len(part.encode("utf-8", "surrogateescape")) > NAME_MAX
                             for part in Path(text).parts):
        shown = text if len(text) <= 60 else f"{text[:40]}…"
        msg = f"{shown!r} is not a usable path / 路径不可用（含空字符或名称过长）"
        raise argparse.ArgumentTypeError(msg)
    return Path(text)


def check_input(path: Path, *, directory: bool = False) -> Path:
    """``path`` if it can be read as an input: a file (or, with ``directory``, a directory).

    Every command says the same about an input it cannot read, and exits 2 (usage or unreadable
    input): ``error: PATH: no such file / 文件不存在`` — the words ``audit`` has always used.

    Raises:
        ArgumentError: missing, a directory where a file is needed, or not readable.
    """
    try:
        if not path.exists():
            msg = f"{path}: no such file / 文件不存在"
            raise ArgumentError(msg)
        if path.is_dir():
            if not directory:
                msg = f"{path}: is a directory, not a file / 是目录，不是文件"
                raise ArgumentError(msg)
            next(iter(path.iterdir()), None)  # a directory that cannot be listed raises
        else:
            with path.open("rb"):
                pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        msg = f"{path}: cannot be read ({reason}) / 无法读取（{reason}）"
        raise ArgumentError(msg) from None
    return path


class InputFile(argparse.Action):
    """``action=InputFile`` (with ``type=path_arg``): an input file, checked as it is parsed
    (:func:`check_input`).  The :class:`~govdisclose.errors.ArgumentError` it raises is not
    one argparse catches: :func:`govdisclose.cli.main.main` reports it and exits 2.  With
    ``nargs`` every value is checked; an option given twice keeps the last value."""

    directory = False
    append = False

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        for value in values if isinstance(values, list) else [values]:
            check_input(value, directory=self.directory)
        if self.append:
            values = [*(getattr(namespace, self.dest, None) or []), values]
        setattr(namespace, self.dest, values)


class InputPath(InputFile):
    """An input file or a directory of them (:class:`InputFile`)."""

    directory = True


class _InputPathAppend(InputPath):
    """A repeatable input file or directory option: the values in a list."""

    append = True


def date_arg(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError:
        msg = f"{text!r} is not a date (YYYY-MM-DD) / 日期格式应为 YYYY-MM-DD"
        raise argparse.ArgumentTypeError(msg) from None


def moment_arg(text: str) -> date | datetime:
    try:
        return parse_moment(text)
    except ValueError:
        msg = f"{text!r} is not a date or date-time / 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM"
        raise argparse.ArgumentTypeError(msg) from None


def _whole_number(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        msg = f"{text!r} is not a whole number ≥ {least} / 应为不小于 {least} 的整数"
        raise argparse.ArgumentTypeError(msg)
    return value


def count_arg(text: str) -> int:
    """A whole number ≥ 0 (a number of days, requests or pages)."""
    return _whole_number(text, 0)


def positive_arg(text: str) -> int:
    """A whole number ≥ 1 (a size cap, a number of threads)."""
    return _whole_number(text, 1)


def year_arg(text: str) -> int:
    """A calendar year a date can hold: 1 to 9999."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not MINYEAR <= value <= MAXYEAR:
        msg = f"{text!r} is not a year from {MINYEAR} to {MAXYEAR} / 年份应为 {MINYEAR}—{MAXYEAR} 的整数"
        raise argparse.ArgumentTypeError(msg)
    return value


def write_output(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(path)``; a path that cannot be written is a usage error naming it."""
    try:
        write(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        msg = (f"cannot write {path}: {reason}; use another path / 无法写入 {path}（{reason}），"
               "请换一个路径")
        raise ArgumentError(msg) from None


def write_new_output(path: Path, write: Callable[[Path], object]) -> None:
    """:func:`write_output` for a file filled in by hand afterwards (a ledger or register
    template): never over an existing file, whose name is then a usage error."""
    if path.exists():
        msg = (f"{path} exists; remove it or choose another name with -o / "
               f"{path} 已存在，不会覆盖；请删除或用 -o 另取文件名")
        raise ArgumentError(msg)
    write_output(path, write)


def usage_error(message: str) -> int:
    """Print ``message`` as the usage error it is and give the exit code of one (2), as
    :func:`govdisclose.cli.main.main` does for an :class:`ArgumentError`."""
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def calendar_options(p: argparse.ArgumentParser) -> None:
    """``--calendar`` and ``--provisional``, the same on every command that computes dates."""
    p.add_argument("--calendar", action=_InputPathAppend, type=path_arg, metavar="PATH", default=None,
                   help="a year file of holiday data, or a directory of them, over the bundled "
                        "data (repeatable; also GOVDISCLOSE_CALENDAR_PATH); see docs/calendar.md")
    p.add_argument("--provisional", action="store_true",
                   help="past the published holiday data, take off weekends and the statutory "
                        "holidays only, guess no 调休, and mark results provisional")


def calendar_paths_from_args(args: argparse.Namespace) -> list[Path] | None:
    """The user's year files: ``--calendar``; else (None) GOVDISCLOSE_CALENDAR_PATH when set;
    else the ``calendars`` of the project's ``govdisclose.toml`` (``args.project``, set by
    :func:`govdisclose.cli.main.main`).  Each source replaces the ones after it."""
    from ..periods.year_files import CALENDAR_PATH_ENV

    if args.calendar is not None:
        return list(args.calendar)
    project = getattr(args, "project", None)
    if os.environ.get(CALENDAR_PATH_ENV) or project is None or not project.calendars:
        return None
    return list(project.calendars)


def calendar_from_args(args: argparse.Namespace) -> OfficialCalendar:
    """The calendar the options ask for (:func:`calendar_paths_from_args`)."""
    from ..periods.calendar import official_calendar

    return official_calendar(provisional=args.provisional, extra=calendar_paths_from_args(args))


#: Warn when the holiday data ends this close to today (commands that read the clock).
COVERAGE_WARNING_DAYS = 45


def warn_coverage_ending(calendar: OfficialCalendar, today: date) -> None:
    """On stderr: the holiday data ends within :data:`COVERAGE_WARNING_DAYS` of ``today``."""
    end = date(calendar.last_year, 12, 31)
    left = (end - today).days
    if left > COVERAGE_WARNING_DAYS:
        return
    nxt = calendar.last_year + 1
    print(f"警告：节假日数据只覆盖到 {end}（还剩 {max(left, 0)} 天）。{nxt} 年的放假通知公布后，运行 "
          f"govdisclose calendar import 通知.txt -o calendars/{nxt}.yaml，再加 --calendar "
          "calendars/（或设置 GOVDISCLOSE_CALENDAR_PATH）；公布前可用 --provisional。详见 "
          "docs/calendar.md\n"
          f"warning: the holiday data ends on {end} ({max(left, 0)} days left). When the {nxt} "
          f"notice is out, run `govdisclose calendar import notice.txt -o calendars/{nxt}.yaml` "
          "and pass --calendar calendars/ (or set GOVDISCLOSE_CALENDAR_PATH); until then, "
          "--provisional. See docs/calendar.md", file=sys.stderr)


def as_of_from_args(args: argparse.Namespace, calendar: OfficialCalendar) -> date:
    """``--as-of``, or — as the help of ``evaluate`` and ``audit`` says — today's date in China,
    with a warning on stderr when the holiday data ends soon (:func:`warn_coverage_ending`)."""
    if args.as_of is not None:
        as_of: date = args.as_of
        return as_of
    today = datetime.now(CHINA_STANDARD_TIME).date()
    warn_coverage_ending(calendar, today)
    return today


def emit_json(payload: Any) -> None:
    """Print ``payload`` as JSON: as it is when stdout can encode it (UTF-8), else with every
    non-ASCII character escaped (``\\u2717``), which any encoding holds without loss."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(payload, ensure_ascii=True, indent=2)
    sys.stdout.write(text + "\n")


# -- rulebooks ------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False, eq=False)
class Command(FieldRepr):
    """A row of the command table: the help line, what adds the command's arguments to its
    parser, and what runs it (returning the exit code)."""

    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")



def latest_effective_date(book: Rulebook) -> date:
    """The day the book's rules last changed (used when no --on is given); for a book whose
    rules carry no dates, its root's (every undated rule applies on any day): the service's
    default too (:func:`govdisclose.outputs.documents.default_on`)."""
    from ..outputs.documents import default_on

    return default_on(book)
