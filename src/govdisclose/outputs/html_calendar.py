"""The rulebook page's working-day calendar: twelve month grids of one year.

Each day is a cell — workday, weekend, holiday (named, e.g. 国庆节) or make-up working day
(调休上班, with the holiday it makes up for) — with each month's and the year's working-day
count and the schedule's source.  A year the calendar does not cover is said so, and nothing is
guessed; a provisional year (past the published schedules) is marked as such.

This module computes the grid (:func:`calendar_view`); ``templates/calendar.html.j2`` lays it
out, included in the page by ``templates/report.html.j2``.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from ..errors import CalendarCoverageError
from ..periods.calendar import WEEKDAY_EN, WEEKDAY_ZH, DayKind

if TYPE_CHECKING:
    from ..periods.calendar import DayInfo, OfficialCalendar
    from ..periods.year_files import Notice

__all__ = ["CalendarView", "DayCell", "MonthView", "calendar_view"]

_KIND_CLASSES = {DayKind.WORKDAY: "workday", DayKind.WEEKEND: "weekend",
                 DayKind.HOLIDAY: "holiday", DayKind.MAKEUP_WORKDAY: "makeup"}

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DayCell(FieldRepr):
    """One day of a month grid."""

    info: DayInfo
    css: str  # workday, weekend, holiday or makeup
    title: str  # the tooltip: date, kind and the holiday's name


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class MonthView(FieldRepr):
    month: int
    name_en: str
    working: int
    days: int
    weeks: tuple[tuple[DayCell | None, ...], ...]  # Monday first; None pads the first and last


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CalendarView(FieldRepr):
    """The calendar section of one year; ``months`` is empty when the year is not covered."""

    year: int
    weekdays: tuple[tuple[str, str], ...]  # (zh, en), Monday first
    covered: tuple[int, int] | None = None  # the years the calendar has, when ``year`` is not one
    provisional: bool = False
    notice: Notice | None = None
    working: int = 0
    months: tuple[MonthView, ...] = ()


def _year_days(calendar: OfficialCalendar, year: int) -> list[DayInfo]:
    day = date(year, 1, 1)
    out = []
    while day.year == year:
        out.append(calendar.day_info(day))
        day += timedelta(days=1)
    return out


def _cell(info: DayInfo) -> DayCell:
    kind = info.kind
    title = f"{info.label} "
    if kind is DayKind.HOLIDAY:
        title += f"{info.name_zh or ''} 放假 holiday"
    elif kind is DayKind.MAKEUP_WORKDAY:
        title += f"调休上班 make-up working day ({info.name_zh or ''})"
    else:
        title += "工作日 workday" if kind is DayKind.WORKDAY else "周末 weekend"
    return DayCell(info, _KIND_CLASSES[kind], title)


def calendar_view(year: int, calendar: OfficialCalendar) -> CalendarView:
    """What the calendar section shows for ``year``."""
    weekdays = tuple(zip(WEEKDAY_ZH, WEEKDAY_EN, strict=True))
    try:
        days = _year_days(calendar, year)
    except CalendarCoverageError as exc:
        return CalendarView(year, weekdays, covered=(exc.first_year, exc.last_year))
    provisional = bool(days) and days[0].provisional
    months = []
    for month in range(1, 13):
        month_days = [d for d in days if d.day.month == month]
        cells: list[DayCell | None] = [None] * month_days[0].day.weekday()
        cells += [_cell(d) for d in month_days]
        cells += [None] * (-len(cells) % 7)
        months.append(MonthView(
            month, _MONTHS_EN[month - 1], sum(1 for d in month_days if d.kind.working),
            monthrange(year, month)[1],
            tuple(tuple(cells[i:i + 7]) for i in range(0, len(cells), 7))))
    return CalendarView(year, weekdays, provisional=provisional,
                        notice=None if provisional else calendar.notices.get(year),
                        working=sum(1 for d in days if d.kind.working), months=tuple(months))
