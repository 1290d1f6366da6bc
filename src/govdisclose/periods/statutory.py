"""The public holidays fixed by law (《全国年节及纪念日放假办法》), for provisional mode.

The State Council general office publishes each year's schedule in November of the year before;
until then only its 调休 arrangement is unknown.  The holidays themselves are fixed by Art. 2 of the
measures: a Gregorian date, a lunar date (春节, 端午, 中秋) or a solar term (清明).  This module
reads those rules from ``rules/holidays/statutory.yaml`` — dated versions, each item cited — and
turns them into days for a given year.

Lunar dates and solar terms come from the ``tyme4py`` library (6tail's successor to
lunar-python: pure Python, maintained, astronomical solar terms rather than a typed table).

Nothing here guesses make-up working days (调休上班) or the substitute days of Art. 6
(适逢周六、周日…补假): where they fall is decided only by the notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .._dates import parse_date
from .._paths import holidays_dir
from .._repr import FieldRepr
from .._schema import iter_schema_problems
from .._yaml import load_yaml_file
from ..errors import CalendarDataError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["StatutoryDay", "StatutoryHoliday", "StatutoryHolidays", "load_statutory_holidays",
           "statutory_holidays"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StatutoryHoliday(FieldRepr):
    """One item of the holiday article: which days off, counted from which anchor."""

    name_zh: str
    name_en: str
    article: str
    text: str
    calendar: str  # gregorian | lunar | solar_term
    month: int | None
    day: int | None
    term: str | None
    offset: int
    days: int

    def first_day(self, year: int) -> date:
        """The first day off in Gregorian ``year``."""
        if self.calendar == "gregorian":
            assert self.month is not None and self.day is not None
            anchor = date(year, self.month, self.day)
        elif self.calendar == "lunar":
            from tyme4py.lunar import LunarDay  # type: ignore[import-untyped]

            assert self.month is not None and self.day is not None
            # 正月初一, 五月初五 and 八月十五 of lunar year ``year`` all fall in Gregorian ``year``.
            solar = LunarDay.from_ymd(year, self.month, self.day).get_solar_day()
            anchor = date(solar.get_year(), solar.get_month(), solar.get_day())
        else:
            from tyme4py.solar import SolarTerm  # type: ignore[import-untyped]

            solar = SolarTerm.from_name(year, self.term).get_solar_day()
            anchor = date(solar.get_year(), solar.get_month(), solar.get_day())
        if anchor.year != year:
            msg = f"{self.name_en} anchor for {year} computed as {anchor}"
            raise AssertionError(msg)
        return anchor + timedelta(days=self.offset)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StatutoryVersion(FieldRepr):
    """One wording of the holiday article with the dates it was in force."""

    valid_from: date
    valid_until: date | None
    amended_by: str
    cite: str
    holidays: tuple[StatutoryHoliday, ...]

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StatutoryDay(FieldRepr):
    """A day off the law fixes, with the article that fixes it."""

    day: date
    name_zh: str
    name_en: str
    basis: str  # the version's citation, the article and its words, all from the data file


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StatutoryHolidays(FieldRepr):
    """Every dated version of the holiday article."""

    title: str
    versions: tuple[StatutoryVersion, ...]
    file: str | None = None

    @property
    def first_day(self) -> date:
        """The first day any version is in force."""
        return self.versions[0].valid_from

    def days(self, year: int) -> list[StatutoryDay]:
        """The statutory days off in ``year``, each under the version in force on that day.

        A day no version is in force on (before the first one) gets nothing: provisional mode
        then counts weekends only for it.
        """
        out: list[StatutoryDay] = []
        for version in self.versions:
            if not (version.valid_from.year <= year
                    and (version.valid_until is None or year <= version.valid_until.year)):
                continue
            for item in version.holidays:
                first = item.first_day(year)
                for i in range(item.days):
                    day = first + timedelta(days=i)
                    if version.in_force(day):
                        out.append(StatutoryDay(day, item.name_zh, item.name_en,
                                                f"{version.cite}{item.article}：{item.text}"))
        return sorted(out, key=lambda d: d.day)


def load_statutory_holidays(path: Path) -> StatutoryHolidays:
    """Load and check a statutory-holidays file.

    Raises:
        CalendarDataError: with every problem found, each located ``file:line:column``.
    """
    doc = load_yaml_file(path)
    problems = list(doc.problems)
    if not problems:
        problems.extend(iter_schema_problems("statutory-holidays", doc))
    if problems:
        raise CalendarDataError(problems)
    data: dict[str, Any] = doc.data
    versions: list[StatutoryVersion] = []
    for i, v in enumerate(data["versions"]):
        try:
            valid_from = parse_date(v["valid_from"])
            valid_until = parse_date(v["valid_until"]) if "valid_until" in v else None
        except ValueError:
            problems.append(doc.problem(("versions", i), "statutory.date", "日期无效",
                                        "a date is not valid"))
            continue
        if versions and (versions[-1].valid_until is None or versions[-1].valid_until >= valid_from):
            problems.append(doc.problem(("versions", i, "valid_from"), "statutory.overlap",
                                        "与上一版本的施行期间重叠或未写明上一版本的失效日期",
                                        "overlaps the previous version (or it has no valid_until)"))
        items = tuple(
            StatutoryHoliday(h["name"], h["name_en"], h["article"], h["text"],
                             h["anchor"]["calendar"], h["anchor"].get("month"),
                             h["anchor"].get("day"), h["anchor"].get("term"),
                             h.get("offset", 0), h["days"])
            for h in v["holidays"])
        versions.append(StatutoryVersion(valid_from, valid_until, v["amended_by"], v["cite"], items))
    if problems:
        raise CalendarDataError(problems)
    return StatutoryHolidays(data["title"], tuple(versions), str(path))


@lru_cache(maxsize=1)
def statutory_holidays() -> StatutoryHolidays:
    """The bundled ``rules/holidays/statutory.yaml``."""
    return load_statutory_holidays(holidays_dir() / "statutory.yaml")
