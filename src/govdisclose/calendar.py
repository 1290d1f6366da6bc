"""The official working-day calendar of mainland China, as a precomputed index.

Sources, in order of precedence (docs/deadlines.md, "Precedence"):

1. year files under ``rules/calendars/`` (and any passed in explicitly) — each replaces
   every other source's data for its whole year;
2. the ``chinesecalendar`` package, for the years it ships (2004–2026 in 1.11.0);
3. nothing else: a date outside both raises :class:`CalendarCoverageError`, unless the
   calendar was built with ``provisional=True`` (weekends only, results flagged).

Days are :class:`datetime.date` values; nothing here reads the clock or the timezone.
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ._paths import calendars_dir
from ._schema import iter_schema_problems
from ._yaml import YamlDocument, load_yaml_file
from .errors import CalendarCoverageError, CalendarDataError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

__all__ = [
    "DayInfo",
    "DayKind",
    "Notice",
    "OfficialCalendar",
    "WorkdayCalendar",
    "YearSchedule",
    "load_year_file",
    "official_calendar",
]

#: Weekday names, Monday first, as ``date.weekday()`` numbers them.
WEEKDAY_ZH = "一二三四五六日"
WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: The span a provisional calendar extends to on either side of its real coverage.
PROVISIONAL_YEARS = 30


@runtime_checkable
class WorkdayCalendar(Protocol):
    """What deadline arithmetic needs from a calendar."""

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (raises if ``day`` is not covered)."""
        ...

    def covers(self, day: date) -> bool:
        """Whether the official schedule for ``day``'s year is known."""
        ...


class DayKind(enum.Enum):
    """How a day is classified on the official calendar."""

    WORKDAY = "workday"  # an ordinary Monday–Friday
    WEEKEND = "weekend"  # an ordinary Saturday or Sunday
    HOLIDAY = "holiday"  # a day off under the holiday schedule (放假)
    MAKEUP_WORKDAY = "makeup_workday"  # a weekend day worked instead (调休上班)

    @property
    def working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


@dataclass(frozen=True, slots=True)
class DayInfo:
    """One day's classification, the festival involved, and whether it is provisional."""

    day: date
    kind: DayKind
    name_zh: str | None = None
    name_en: str | None = None
    provisional: bool = False

    @property
    def label(self) -> str:
        """``2026-10-10 (六/Sat)``."""
        wd = self.day.weekday()
        return f"{self.day.isoformat()} ({WEEKDAY_ZH[wd]}/{WEEKDAY_EN[wd]})"


@dataclass(frozen=True, slots=True)
class Notice:
    """The official notice a year's schedule comes from."""

    title: str
    document_number: str | None
    published: str
    url: str | None = None
    file: str | None = None


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """A whole year's days off and make-up working days, with the notice they come from."""

    year: int
    holidays: tuple[tuple[date, str, str | None], ...]  # (day, name_zh, name_en)
    makeup_workdays: tuple[tuple[date, str], ...]  # (day, festival it makes up for)
    notice: Notice | None  # None for chinesecalendar-derived years


def _parse_day(doc: YamlDocument, path: tuple[str | int, ...], text: str, year: int,
               problems: list[Problem]) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        problems.append(doc.problem(path, "calendar.date", f"{text!r} 不是有效日期",
                                    f"{text!r} is not a valid date"))
        return None
    if day.year != year:
        problems.append(doc.problem(path, "calendar.year",
                                    f"{text} 不在本文件的年份 {year} 内",
                                    f"{text} is outside this file's year {year}"))
        return None
    return day


def load_year_file(path: Path) -> YearSchedule:
    """Load and check one ``rules/calendars/<year>.yaml`` file.

    Raises:
        CalendarDataError: with every problem found, each located ``file:line:column``.
    """
    doc = load_yaml_file(path)
    problems = list(doc.problems)
    if not problems:
        problems.extend(iter_schema_problems("calendar", doc))
    if problems:
        raise CalendarDataError(problems)
    data = doc.data
    year = int(data["year"])
    if path.stem != str(year):
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
    if problems:
        raise CalendarDataError(problems)
    n = data["notice"]
    notice = Notice(n["title"], n["document_number"], n["published"], n.get("url"), str(path))
    return YearSchedule(year, tuple(holidays), tuple(makeups), notice)


def _chinesecalendar_years() -> Iterator[YearSchedule]:
    """The years the installed ``chinesecalendar`` package ships, as schedules."""
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
        yield YearSchedule(year, tuple(sorted(off)), tuple(sorted(on)), None)


class OfficialCalendar:
    """Working days on the official calendar, answered from a precomputed index.

    ``is_workday`` is a table look-up; ``add_working_days`` and
    ``working_days_between`` are two binary searches over the sorted ordinals of
    every working day in the span, so their cost does not grow with ``n``.

    Args:
        schedules: year schedules; later ones replace earlier ones for the same year.
        provisional: when true, years no source covers are treated as weekends-only
            and every :class:`DayInfo` for them says ``provisional``; when false
            (the default) such a year raises :class:`CalendarCoverageError`.
    """

    __slots__ = ("_covered", "_info", "_kinds", "_lo", "_special", "_workdays", "first_year",
                 "last_year", "notices", "provisional")

    def __init__(self, schedules: Iterable[YearSchedule], *, provisional: bool = False) -> None:
        by_year: dict[int, YearSchedule] = {}
        for schedule in schedules:
            by_year[schedule.year] = schedule
        if not by_year:
            msg = "a calendar needs at least one year schedule"
            raise ValueError(msg)
        self.provisional = provisional
        self._covered = frozenset(by_year)
        self.first_year = min(by_year)
        self.last_year = max(by_year)
        self.notices = {y: s.notice for y, s in sorted(by_year.items()) if s.notice}
        lo_year = self.first_year - PROVISIONAL_YEARS if provisional else self.first_year
        hi_year = self.last_year + PROVISIONAL_YEARS if provisional else self.last_year
        lo = date(lo_year, 1, 1).toordinal()
        hi = date(hi_year, 12, 31).toordinal()
        self._lo = lo
        kinds = bytearray(hi - lo + 1)
        codes = {k: i for i, k in enumerate(DayKind)}
        info: dict[int, tuple[str, str | None]] = {}
        for ordinal in range(lo, hi + 1):
            kinds[ordinal - lo] = codes[DayKind.WORKDAY if (ordinal % 7) not in (6, 0)
                                       else DayKind.WEEKEND]
        for schedule in by_year.values():
            for day, zh, en in schedule.holidays:
                kinds[day.toordinal() - lo] = codes[DayKind.HOLIDAY]
                info[day.toordinal()] = (zh, en)
            for day, zh in schedule.makeup_workdays:
                kinds[day.toordinal() - lo] = codes[DayKind.MAKEUP_WORKDAY]
                info[day.toordinal()] = (zh, None)
        self._kinds = bytes(kinds)
        self._info = info
        self._special = sorted(info)
        working = {codes[DayKind.WORKDAY], codes[DayKind.MAKEUP_WORKDAY]}
        self._workdays = [lo + i for i, k in enumerate(self._kinds) if k in working]

    # -- coverage ---------------------------------------------------------------------------

    def covers(self, day: date) -> bool:
        """Whether an official schedule covers ``day``'s year (provisional years do not count)."""
        return day.year in self._covered

    def check(self, first: date, last: date) -> bool:
        """Check that every year from ``first`` to ``last`` can be answered.

        Returns:
            whether any of those years is provisional (weekends only).

        Raises:
            CalendarCoverageError: naming the first year that cannot be answered.
        """
        if first.year in self._covered and last.year in self._covered \
                and last.year - first.year <= 1:
            return False  # the common case: one or two covered years
        provisional = False
        for year in range(first.year, last.year + 1):
            if year in self._covered:
                continue
            if not self.provisional or not self._in_span_year(year):
                raise CalendarCoverageError(year, self.first_year, self.last_year)
            provisional = True
        return provisional

    def _in_span_year(self, year: int) -> bool:
        return self._lo <= date(year, 1, 1).toordinal() and \
            date(year, 12, 31).toordinal() - self._lo < len(self._kinds)

    # -- single days ------------------------------------------------------------------------

    def _kind(self, day: date) -> DayKind:
        self.check(day, day)
        return _KINDS[self._kinds[day.toordinal() - self._lo]]

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day, 调休上班 Saturdays and Sundays included."""
        return self._kind(day).working

    def day_info(self, day: date) -> DayInfo:
        """The classification of ``day``, with the festival's name where there is one."""
        kind = self._kind(day)
        zh, en = self._info.get(day.toordinal(), (None, None))
        return DayInfo(day, kind, zh, en, provisional=not self.covers(day))

    # -- arithmetic -------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day strictly after ``start`` (``start`` itself never counts).

        ``n == 0`` returns ``start`` unchanged; ``n < 0`` is an error.

        Raises:
            CalendarCoverageError: when the count runs past the covered years.
        """
        if n < 0:
            msg = f"n must be >= 0 (got {n})"
            raise ValueError(msg)
        if n == 0:
            return start
        self.check(start, start)
        i = bisect_right(self._workdays, start.toordinal()) + n - 1
        if i >= len(self._workdays):
            year = date.fromordinal(self._workdays[-1]).year + 1
            raise CalendarCoverageError(year, self.first_year, self.last_year)
        result = date.fromordinal(self._workdays[i])
        self.check(start, result)
        return result

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in the half-open interval ``(start, end]``.

        Zero when ``end <= start``.
        """
        if end <= start:
            return 0
        self.check(start, end)
        return bisect_right(self._workdays, end.toordinal()) - bisect_right(
            self._workdays, start.toordinal()
        )

    def next_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        if self.is_workday(day):
            return day
        return self.add_working_days(day, 1)

    def special_days(self, start: date, end: date) -> list[DayInfo]:
        """Holidays and make-up working days in ``(start, end]``, in order.

        Ordinary weekends are left out; the caller counts them if it needs to.
        """
        lo = bisect_right(self._special, start.toordinal())
        hi = bisect_right(self._special, end.toordinal())
        return [self.day_info(date.fromordinal(o)) for o in self._special[lo:hi]]


_KINDS = tuple(DayKind)


def _bundled_year_files() -> list[Path]:
    return sorted(calendars_dir().glob("*.yaml"))


@lru_cache(maxsize=2)
def official_calendar(*, provisional: bool = False) -> OfficialCalendar:
    """The bundled official calendar: chinesecalendar's years, overridden by ``rules/calendars/``.

    The result is immutable and cached per ``provisional`` flag.
    """
    schedules = list(_chinesecalendar_years())
    schedules.extend(load_year_file(p) for p in _bundled_year_files())
    return OfficialCalendar(schedules, provisional=provisional)
