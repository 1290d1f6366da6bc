"""The official working-day calendar of mainland China, as a precomputed index.

Sources, in order of precedence (docs/calendar.md, "Precedence"; :mod:`.calendar_files`):

1. user year files (``official_calendar(extra=...)``, ``--calendar``,
   ``GOVDISCLOSE_CALENDAR_PATH``);
2. year files bundled under ``rules/calendars/``;
3. the ``chinesecalendar`` package, for the years it ships (2004–2026 in 1.11.0);
4. nothing else: a date outside them raises :class:`CalendarCoverageError`, unless the
   calendar was built with ``provisional=True``.  Provisional years count weekends and the
   statutory holidays of 《全国年节及纪念日放假办法》 (:mod:`.statutory_holidays`) as days off,
   guess no 调休, and flag every result.

Days are :class:`datetime.date` values; nothing here reads the clock or the timezone.
"""

from __future__ import annotations

import enum
import os
from bisect import bisect_right
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .._repr import FieldRepr
from ..errors import ArgumentError, CalendarCoverageError
from .year_files import (
    CALENDAR_PATH_ENV,
    Notice,
    ScheduleSource,
    YearSchedule,
    bundled_year_files,
    calendar_files,
    chinesecalendar_years,
    env_calendar_paths,
    load_year_file,
    resolve_schedules,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from .statutory import StatutoryHolidays

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


#: The day kinds as the calendar's table stores them: one byte, the kind's position in DayKind.
_WORKDAY, _WEEKEND, _HOLIDAY, _MAKEUP_WORKDAY = (
    list(DayKind).index(k) for k in (DayKind.WORKDAY, DayKind.WEEKEND, DayKind.HOLIDAY,
                                     DayKind.MAKEUP_WORKDAY))
#: ``bytes.translate`` table: 1 for the byte of a working kind, 0 for any other.
_WORKING = bytes(int(i < len(DayKind) and list(DayKind)[i].working) for i in range(256))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DayInfo(FieldRepr):
    """One day's classification, the festival involved, and whether it is provisional."""

    day: date
    kind: DayKind
    name_zh: str | None = None
    name_en: str | None = None
    provisional: bool = False
    basis: str | None = None  # for a provisional holiday: the law that fixes it

    @property
    def label(self) -> str:
        """``2026-10-10 (六/Sat)``."""
        wd = self.day.weekday()
        return f"{self.day.isoformat()} ({WEEKDAY_ZH[wd]}/{WEEKDAY_EN[wd]})"


class OfficialCalendar:
    """Working days on the official calendar, answered from a precomputed index.

    ``is_workday`` is a table look-up; ``add_working_days`` and
    ``working_days_between`` are two binary searches over the sorted ordinals of
    every working day in the span, so their cost does not grow with ``n``.

    Args:
        schedules: year schedules; later ones replace earlier ones for the same year (use
            :func:`.calendar_files.resolve_schedules` to apply the precedence of sources).
        provisional: when true, years no source covers (up to :data:`PROVISIONAL_YEARS`
            either side) count weekends and the statutory holidays as days off, guess no
            调休, and every :class:`DayInfo` for them says ``provisional``; when false (the
            default) such a year raises :class:`CalendarCoverageError`.
        statutory: the statutory-holiday rules for provisional years (default: the bundled
            ``rules/holidays/statutory.yaml``).
    """

    __slots__ = ("_covered", "_info", "_kinds", "_lo", "_special", "_workdays", "first_year",
                 "last_year", "notices", "provisional", "reach", "schedules")

    def __init__(self, schedules: Iterable[YearSchedule], *, provisional: bool = False,
                 statutory: StatutoryHolidays | None = None) -> None:
        by_year: dict[int, YearSchedule] = {}
        for schedule in schedules:
            by_year[schedule.year] = schedule
        if not by_year:
            msg = "a calendar needs at least one year schedule"
            raise ValueError(msg)
        self.provisional = provisional
        self.schedules = {y: by_year[y] for y in sorted(by_year)}
        self._covered = frozenset(by_year)
        self.first_year = min(by_year)
        self.last_year = max(by_year)
        self.notices = {y: s.notice for y, s in self.schedules.items() if s.notice}
        #: the years a provisional calendar answers (within what a date can hold)
        self.reach = (max(MINYEAR, self.first_year - PROVISIONAL_YEARS),
                      min(MAXYEAR, self.last_year + PROVISIONAL_YEARS))
        lo_year, hi_year = self.reach if provisional else (self.first_year, self.last_year)
        lo = date(lo_year, 1, 1).toordinal()
        hi = date(hi_year, 12, 31).toordinal()
        self._lo = lo
        span = hi - lo + 1
        # Every day a weekday or a weekend day first: one week's pattern repeated (ordinal % 7
        # is 6 on Saturdays and 0 on Sundays), then the schedules' days over it.
        week = bytes(_WEEKEND if ordinal % 7 in (6, 0) else _WORKDAY
                     for ordinal in range(lo, lo + 7))
        kinds = bytearray((week * (span // 7 + 1))[:span])
        info: dict[int, tuple[str, str | None, str | None]] = {}
        if provisional:
            self._mark_statutory(kinds, info, lo_year, hi_year, _HOLIDAY, statutory)
        # In year order, so that a New Year block a notice starts in the December before
        # overrides what the older year's data says of those days.
        for schedule in self.schedules.values():
            for day, zh, en in schedule.holidays:
                ordinal = day.toordinal()
                if lo <= ordinal <= hi:
                    kinds[ordinal - lo] = _HOLIDAY
                    info[ordinal] = (zh, en, None)
            for day, zh in schedule.makeup_workdays:
                ordinal = day.toordinal()
                if lo <= ordinal <= hi:
                    kinds[ordinal - lo] = _MAKEUP_WORKDAY
                    info[ordinal] = (zh, None, None)
        self._kinds = bytes(kinds)
        self._info = info
        self._special = sorted(info)
        self._workdays = list(compress(range(lo, hi + 1), self._kinds.translate(_WORKING)))

    def _mark_statutory(self, kinds: bytearray, info: dict[int, tuple[str, str | None, str | None]],
                        lo_year: int, hi_year: int, holiday: int,
                        statutory: StatutoryHolidays | None) -> None:
        """Mark the statutory holidays of every uncovered year in the span as days off."""
        if statutory is None:
            from .statutory import statutory_holidays

            statutory = statutory_holidays()
        for year in range(max(lo_year, statutory.first_day.year), hi_year + 1):
            if year in self._covered:
                continue
            for d in statutory.days(year):
                ordinal = d.day.toordinal()
                kinds[ordinal - self._lo] = holiday
                if ordinal in info:  # 2028: 中秋 falls on 10-03, inside 国庆
                    zh, en, basis = info[ordinal]
                    info[ordinal] = (f"{zh}、{d.name_zh}", f"{en} / {d.name_en}",
                                     f"{basis}；{d.basis}")
                else:
                    info[ordinal] = (d.name_zh, d.name_en, d.basis)

    def source_of(self, year: int) -> YearSchedule | None:
        """The schedule that answers for ``year``, or None if no source covers it."""
        return self.schedules.get(year)

    # -- coverage ---------------------------------------------------------------------------

    def covers(self, day: date) -> bool:
        """Whether an official schedule covers ``day``'s year (provisional years do not count)."""
        return day.year in self._covered

    def check(self, first: date, last: date) -> bool:
        """Check that every year from ``first`` to ``last`` can be answered.

        Returns:
            whether any of those years is provisional (no published schedule).

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
                raise self.coverage_error(year)
            provisional = True
        return provisional

    def coverage_error(self, year: int) -> CalendarCoverageError:
        """The error for a year this calendar cannot answer (it says what would)."""
        return CalendarCoverageError(year, self.first_year, self.last_year, reach=self.reach,
                                     provisional=self.provisional)

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
        zh, en, basis = self._info.get(day.toordinal(), (None, None, None))
        return DayInfo(day, kind, zh, en, provisional=not self.covers(day), basis=basis)

    # -- arithmetic -------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day strictly after ``start`` (``start`` itself never counts).

        ``n == 0`` returns ``start`` unchanged; ``n < 0`` is an error.

        Raises:
            CalendarCoverageError: when the count runs past the covered years.
        """
        if n <= 0:
            if n == 0:
                return start
            msg = f"n must be >= 0 (got {n})"
            raise ArgumentError(msg)
        workdays, covered = self._workdays, self._covered
        i = bisect_right(workdays, start.toordinal()) + n - 1
        if i < len(workdays):  # the common case of the checks below, inline (no call): the
            result = date.fromordinal(workdays[i])  # start and the result in covered years
            if start.year in covered and result.year in covered \
                    and result.year - start.year <= 1:
                return result
        self.check(start, start)
        if i >= len(self._workdays):
            raise self.coverage_error(date.fromordinal(self._workdays[-1]).year + 1)
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


def _stamp(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


#: ``os.environ``'s own dictionary and its key for GOVDISCLOSE_CALENDAR_PATH, where the
#: interpreter's ``os`` module has them (CPython's and PyPy's do): ``os.environ.get`` of an
#: unset name raises and catches two KeyErrors, a microsecond on every evaluation that takes
#: the default calendar; assigning to or deleting from ``os.environ`` updates this dictionary.
_ENVIRON: dict[Any, Any] | None = getattr(os.environ, "_data", None)
_ENVIRON_KEY: Any = os.environ.encodekey(CALENDAR_PATH_ENV)


#: Reads GOVDISCLOSE_CALENDAR_PATH as ``os.environ`` has it (None or "": not set), by a C call
#: on ``os.environ``'s own dictionary where there is one.
_calendar_path: Callable[[Any], Any] = (
    _ENVIRON.get if _ENVIRON is not None else os.environ.get)
_CALENDAR_PATH_KEY: Any = _ENVIRON_KEY if _ENVIRON is not None else CALENDAR_PATH_ENV


def official_calendar(*, provisional: bool = False,
                      extra: Sequence[str | os.PathLike[str]] | None = None) -> OfficialCalendar:
    """The official calendar: chinesecalendar's years, the bundled year files over them, and
    the user's year files over both.

    Args:
        provisional: see :class:`OfficialCalendar`.
        extra: user year files or directories of them (highest precedence).  ``None`` (the
            default) takes them from the environment variable ``GOVDISCLOSE_CALENDAR_PATH``
            (``os.pathsep``-separated); pass ``()`` to use the bundled data only.

    The result is immutable and cached per flag and per user file (path, mtime and size), so
    an edited file is read again.

    Raises:
        CalendarDataError: a user path is missing or a file is invalid, or one year is
            defined twice at the same level.
    """
    if extra is None:
        if not _calendar_path(_CALENDAR_PATH_KEY):
            # The common case, on hot paths (every deadline computed without a calendar):
            # no user files, one dictionary look-up.
            return _official_calendar(provisional, ())
        paths = env_calendar_paths()
    else:
        paths = [Path(p) for p in extra]
    files = tuple(_stamp(p) for p in calendar_files(paths)) if paths else ()
    return _official_calendar(provisional, files)


@lru_cache(maxsize=8)
def _official_calendar(provisional: bool, user_files: tuple[tuple[str, int, int], ...]
                       ) -> OfficialCalendar:
    schedules = resolve_schedules([
        chinesecalendar_years(),
        (load_year_file(p) for p in bundled_year_files()),
        (load_year_file(Path(name), source=ScheduleSource.USER) for name, _, _ in user_files),
    ])
    return OfficialCalendar(schedules, provisional=provisional)


def differences(schedule: YearSchedule, other: YearSchedule) -> list[tuple[date, str, str]]:
    """Every day of ``schedule.year`` that one schedule makes a working day and the other a
    day off, as ``(day, this, other)`` with each side ``working`` or ``off``.

    Labels do not count: a Sunday inside a holiday block is off either way.
    """
    def working(table: dict[date, bool], day: date) -> bool:
        return not table[day] if day in table else day.weekday() < 5

    mine, theirs = schedule.special_days(), other.special_days()
    days = sorted(d for d in set(mine) | set(theirs) if d.year == schedule.year)
    label = {True: "working", False: "off"}
    return [(d, label[working(mine, d)], label[working(theirs, d)]) for d in days
            if working(mine, d) != working(theirs, d)]
