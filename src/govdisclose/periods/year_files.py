"""Year schedules and where they come from: year files, the chinesecalendar package, user paths.

A *year file* (``schemas/calendar.schema.json``) holds one year of the State Council general
office's holiday schedule: the notice it comes from, any later notices that amended it (in
order), the blocks of days off and the make-up working days.  Its days lie in its year, except
that a New Year block may begin in the last days of the year before (the 2023 notice:
``2022年12月31日至2023年1月2日``).

Three levels of source, highest first (docs/calendar.md, "Precedence"):

1. user files: ``--calendar PATH`` and ``GOVDISCLOSE_CALENDAR_PATH``;
2. files bundled under ``rules/calendars/``;
3. the ``chinesecalendar`` package.

A year from a higher level replaces the lower levels' data for that year; the same year twice
at one level is an error.
"""

from __future__ import annotations

import contextlib
import enum
import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._dates import located_date
from .._paths import calendars_dir
from .._repr import FieldRepr
from .._yaml import YamlDocument, load_yaml_file
from ..errors import CalendarDataError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = [
    "CALENDAR_PATH_ENV",
    "Notice",
    "ScheduleSource",
    "YearSchedule",
    "calendar_files",
    "chinesecalendar_version",
    "chinesecalendar_years",
    "env_calendar_paths",
    "load_year_file",
    "resolve_schedules",
]

#: os.pathsep-separated year files or directories of them (user level).
CALENDAR_PATH_ENV = "GOVDISCLOSE_CALENDAR_PATH"


class ScheduleSource(enum.Enum):
    """Where a year's schedule comes from, lowest precedence first."""

    CHINESECALENDAR = "chinesecalendar"
    BUNDLED = "bundled"
    USER = "user"

    @property
    def zh(self) -> str:
        return {"chinesecalendar": "chinesecalendar 软件包", "bundled": "随附数据文件",
                "user": "用户数据文件"}[self.value]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Notice(FieldRepr):
    """An official notice a year's schedule comes from."""

    title: str
    document_number: str | None
    published: str
    url: str | None = None
    file: str | None = None
    festivals: tuple[str, ...] = ()  # for an amendment: the festivals it re-arranged

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "document_number": self.document_number,
                               "published": self.published}
        if self.url:
            out["url"] = self.url
        if self.festivals:
            out["festivals"] = list(self.festivals)
        return out


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class YearSchedule(FieldRepr):
    """A whole year's days off and make-up working days, with the notices they come from."""

    year: int
    holidays: tuple[tuple[date, str, str | None], ...]  # (day, name_zh, name_en)
    makeup_workdays: tuple[tuple[date, str], ...]  # (day, festival it makes up for)
    notice: Notice | None  # None for chinesecalendar-derived years
    amendments: tuple[Notice, ...] = ()
    source: ScheduleSource = ScheduleSource.BUNDLED
    file: str | None = None

    def special_days(self) -> dict[date, bool]:
        """Every day this schedule classifies: ``True`` for a day off, ``False`` for a make-up
        working day."""
        out = {d: True for d, _, _ in self.holidays}
        out.update((d, False) for d, _ in self.makeup_workdays)
        return out


def _in_file_span(day: date, year: int) -> bool:
    """A year file's days lie in its year, or in the December before (New Year blocks)."""
    return day.year == year or (day.year == year - 1 and day.month == 12)


def _parse_day(doc: YamlDocument, path: tuple[str | int, ...], text: str, year: int,
               problems: list[Problem]) -> date | None:
    day = located_date(doc, path, text, problems)
    if day is None:
        return None
    if not _in_file_span(day, year):
        problems.append(doc.problem(path, "calendar.year",
                                    f"{text} 不在本文件的年份 {year} 内（仅元旦可始于上年12月）",
                                    f"{text} is outside this file's year {year} (only a New "
                                    "Year block may start in the December before)"))
        return None
    return day


def _check_december_before(doc: YamlDocument, data: dict[str, Any], year: int,
                           holidays: list[tuple[date, str, str | None]],
                           makeups: list[tuple[date, str]], problems: list[Problem]) -> None:
    """Days of the December before belong only to the New Year arrangement: a block that runs
    on into 1 January, and make-up days for it."""
    new_year = date(year, 1, 1)
    for i, block in enumerate(data["holidays"]):
        if block["from"] < f"{year}-01-01" and block["to"] < new_year.isoformat():
            problems.append(doc.problem(("holidays", i, "from"), "calendar.year",
                                        f"上年12月的放假日只能属于延续到 {year}-01-01 的元旦安排",
                                        "days of the December before may only belong to a block "
                                        f"that runs on into {year}-01-01"))
    new_year_names = {name for day, name, _ in holidays if day == new_year}
    for i, (day, name) in enumerate(makeups):
        if day.year < year and name not in new_year_names:
            problems.append(doc.problem(("makeup_workdays", i, "date"), "calendar.year",
                                        f"上年12月的调休上班日只能属于包含 {year}-01-01 的元旦安排",
                                        "a make-up day in the December before may only be for the "
                                        f"block holding {year}-01-01"))


def _notice(data: dict[str, Any], file: str | None) -> Notice:
    return Notice(data["title"], data["document_number"], data["published"], data.get("url"),
                  file, tuple(data.get("festivals", ())))


def schedule_from_document(doc: YamlDocument, *, source: ScheduleSource = ScheduleSource.BUNDLED,
                           check_name: bool = True, schema_checked: bool = False) -> YearSchedule:
    """Check a year document (already parsed) and build its schedule; ``schema_checked``: the
    data is the compiled cache's, which holds only documents that passed the schema (its key
    includes the schemas' content), so the schema is not checked again.

    Raises:
        CalendarDataError: with every problem found, each located ``file:line:column``.
    """
    problems = list(doc.problems)
    if not problems and not schema_checked:
        from .._schema import iter_schema_problems  # (not needed for cached data)

        problems.extend(iter_schema_problems("calendar", doc))
    if problems:
        raise CalendarDataError(problems)
    data = doc.data
    year = int(data["year"])
    if check_name and Path(doc.file).stem != str(year):
        problems.append(doc.problem(("year",), "calendar.filename",
                                    f"文件名应为 {year}.yaml", f"file must be named {year}.yaml"))
    holidays: list[tuple[date, str, str | None]] = []
    for i, block in enumerate(data["holidays"]):
        first = _parse_day(doc, ("holidays", i, "from"), block["from"], year, problems)
        last = _parse_day(doc, ("holidays", i, "to"), block["to"], year, problems)
        if first is None or last is None:
            continue
        if last < first:
            problems.append(doc.problem(("holidays", i, "to"), "calendar.range",
                                        "结束日期早于开始日期", "'to' is before 'from'"))
            continue
        day = first
        while day <= last:
            holidays.append((day, block["name"], block.get("name_en")))
            day += timedelta(days=1)
    makeups: list[tuple[date, str]] = []
    off = {d for d, _, _ in holidays}
    for i, entry in enumerate(data["makeup_workdays"]):
        worked = _parse_day(doc, ("makeup_workdays", i, "date"), entry["date"], year, problems)
        if worked is None:
            continue
        day = worked
        if day.weekday() < 5:
            problems.append(doc.problem(("makeup_workdays", i, "date"), "calendar.makeup_weekday",
                                        f"{day} 是工作日，调休上班日应为周六或周日",
                                        f"{day} is a weekday; a make-up working day is a "
                                        "Saturday or Sunday"))
        if day in off:
            problems.append(doc.problem(("makeup_workdays", i, "date"), "calendar.conflict",
                                        f"{day} 同时被列为放假日", f"{day} is also listed as a day off"))
        makeups.append((day, entry["for"]))
    _check_december_before(doc, data, year, holidays, makeups, problems)
    if problems:
        raise CalendarDataError(problems)
    file = doc.file if source is not ScheduleSource.CHINESECALENDAR else None
    return YearSchedule(year, tuple(sorted(holidays)), tuple(sorted(makeups)),
                        _notice(data["notice"], file),
                        tuple(_notice(a, file) for a in data.get("amendments", ())), source, file)


def load_year_file(path: Path, *, source: ScheduleSource = ScheduleSource.BUNDLED) -> YearSchedule:
    """Load and check one year file (``rules/calendars/<year>.yaml`` or a user's).

    The checked data of a file that loaded without a problem is kept in the compiled cache
    (:mod:`govdisclose._cache`, keyed by the file's bytes): a later process builds the same
    schedule from it without parsing YAML.  Cached data that no longer passes is read again
    from the file, so a problem is always located ``file:line:column``.

    Raises:
        CalendarDataError: with every problem found, each located ``file:line:column``.
    """
    from .._cache import active_cache
    from .._yaml import MAX_DOCUMENT_BYTES, load_yaml_text

    cache = active_cache()
    try:
        content = path.read_bytes() if cache is not None \
            and path.stat().st_size <= MAX_DOCUMENT_BYTES else None
        text = None if content is None else content.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):  # the reader below says why, located
        content = text = None
    if cache is None or content is None or text is None:
        return schedule_from_document(load_yaml_file(path), source=source)
    key = cache.key(content, "year-file")
    entry = cache.read(key)
    if entry is not None:
        with contextlib.suppress(CalendarDataError):  # then from the file, located
            return schedule_from_document(YamlDocument(entry.data, None, str(path)),
                                          source=source, schema_checked=True)
    doc = load_yaml_text(text, str(path))
    schedule = schedule_from_document(doc, source=source)  # raises on any problem
    if isinstance(doc.data, dict):
        cache.write(key, doc.data, "")
    return schedule


def chinesecalendar_version() -> str:
    """The installed chinesecalendar package's version."""
    from importlib.metadata import version

    return version("chinesecalendar")


def chinesecalendar_years() -> Iterator[YearSchedule]:
    """The years the installed ``chinesecalendar`` package ships, as schedules.

    Read from the compiled cache (:mod:`govdisclose._cache`) while the package's data module
    is the same file (path, size, modification time): importing the package and reading its
    tables costs more than the rest of a cached deadline command.
    """
    from .._cache import active_cache

    cache = active_cache()
    stamp = _chinesecalendar_stamp() if cache is not None else None
    key = cache.key(stamp, "chinesecalendar") if cache is not None and stamp else None
    if cache is not None and key is not None:
        entry = cache.read(key)
        cached = _years_from_data(entry.data) if entry is not None else None
        if cached is not None:
            yield from cached
            return
    years = list(_chinesecalendar_tables())
    if cache is not None and key is not None:
        cache.write(key, {"years": [[y.year, [[d.isoformat(), zh, en] for d, zh, en in y.holidays],
                                     [[d.isoformat(), zh] for d, zh in y.makeup_workdays]]
                                    for y in years]}, "")
    yield from years


def _chinesecalendar_stamp() -> bytes | None:
    """Path, size and modification time of chinesecalendar's data module, found without
    importing the package; None when it cannot be found."""
    from importlib.util import find_spec

    try:
        spec = find_spec("chinese_calendar")
        folders = list(spec.submodule_search_locations or ()) if spec is not None else []
        data = Path(folders[0]) / "constants.py"
        stat = data.stat()
    except (ImportError, IndexError, OSError, ValueError):
        return None
    return f"{data} {stat.st_size} {stat.st_mtime_ns}".encode()


def _years_from_data(data: dict[str, Any]) -> list[YearSchedule] | None:
    """The schedules a cache entry holds; None for an entry that is not what
    :func:`chinesecalendar_years` writes (then the package is read again)."""
    try:
        return [YearSchedule(int(year), tuple((date.fromisoformat(d), zh, en) for d, zh, en in off),
                             tuple((date.fromisoformat(d), zh) for d, zh in on), None,
                             source=ScheduleSource.CHINESECALENDAR)
                for year, off, on in data["years"]]
    except (KeyError, TypeError, ValueError):
        return None


def _chinesecalendar_tables() -> Iterator[YearSchedule]:
    """The years of the installed ``chinesecalendar`` package, read from its tables."""
    from chinese_calendar import constants  # type: ignore[import-untyped]

    names = {h.value: (h.chinese, h.value) for h in constants.Holiday}
    by_year: dict[int, tuple[list[tuple[date, str, str | None]], list[tuple[date, str]]]] = {}
    for day, name in constants.holidays.items():
        zh, en = names.get(name, (name, name))
        by_year.setdefault(day.year, ([], []))[0].append((day, zh, en))
    for day, name in constants.workdays.items():
        zh, _ = names.get(name, (name, name))
        by_year.setdefault(day.year, ([], []))[1].append((day, zh))
    for year in sorted(by_year):
        off, on = by_year[year]
        yield YearSchedule(year, tuple(sorted(off)), tuple(sorted(on)), None,
                           source=ScheduleSource.CHINESECALENDAR)


def calendar_files(paths: Iterable[Path]) -> list[Path]:
    """The year files named by ``paths``: files as given, directories' ``*.yaml`` sorted.

    Raises:
        CalendarDataError: for a path that does not exist.
    """
    out: list[Path] = []
    missing: list[Problem] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.glob("*.yaml") if p.is_file()))
        elif path.is_file():
            out.append(path)
        else:
            missing.append(Problem("calendar.missing", "日历文件或目录不存在",
                                   "no such calendar file or directory", str(path)))
    if missing:
        raise CalendarDataError(missing)
    return out


def env_calendar_paths(environ: dict[str, str] | os._Environ[str] | None = None) -> list[Path]:
    """The paths in ``GOVDISCLOSE_CALENDAR_PATH`` (empty entries ignored)."""
    env = os.environ if environ is None else environ
    value = env.get(CALENDAR_PATH_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p]


def bundled_year_files() -> list[Path]:
    """The bundled ``rules/calendars/*.yaml``."""
    return sorted(calendars_dir().glob("*.yaml"))


def resolve_schedules(levels: Sequence[Iterable[YearSchedule]]) -> list[YearSchedule]:
    """One schedule per year: the highest level that has the year wins.

    ``levels`` is lowest precedence first.  The same year twice within one level is an error
    naming both files.

    Raises:
        CalendarDataError: for a year defined twice at one level.
    """
    chosen: dict[int, YearSchedule] = {}
    problems: list[Problem] = []
    for level in levels:
        seen: dict[int, YearSchedule] = {}
        for schedule in level:
            if schedule.year in seen:
                first = seen[schedule.year]
                problems.append(Problem(
                    "calendar.duplicate_year",
                    f"{schedule.year} 年在同一级别定义了两次（另见 {first.file}）",
                    f"year {schedule.year} is defined twice at the same level (also in "
                    f"{first.file})", schedule.file))
                continue
            seen[schedule.year] = schedule
        chosen.update(seen)
    if problems:
        raise CalendarDataError(problems)
    return [chosen[y] for y in sorted(chosen)]
