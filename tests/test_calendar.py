"""The official calendar: known days, the 2026 notice, coverage and data files."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from govdisclose import CalendarCoverageError, CalendarDataError, OfficialCalendar
from govdisclose.periods.calendar import DayKind, YearSchedule, load_year_file, official_calendar

if TYPE_CHECKING:
    from pathlib import Path

CAL = official_calendar()


# 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), as quoted in
# rules/sources/reference-notes.md: every day off and every make-up working day.
NOTICE_2026_OFF = [
    ("2026-01-01", "2026-01-03"),  # 元旦
    ("2026-02-15", "2026-02-23"),  # 春节
    ("2026-04-04", "2026-04-06"),  # 清明
    ("2026-05-01", "2026-05-05"),  # 劳动节
    ("2026-06-19", "2026-06-21"),  # 端午
    ("2026-09-25", "2026-09-27"),  # 中秋
    ("2026-10-01", "2026-10-07"),  # 国庆
]
NOTICE_2026_WORKED = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
                      "2026-10-10"]


def _expand(ranges: list[tuple[str, str]]) -> set[date]:
    out = set()
    for first, last in ranges:
        day = date.fromisoformat(first)
        while day <= date.fromisoformat(last):
            out.add(day)
            day += timedelta(days=1)
    return out


def test_2026_matches_the_notice_day_by_day() -> None:
    off = _expand(NOTICE_2026_OFF)
    worked = {date.fromisoformat(d) for d in NOTICE_2026_WORKED}
    day = date(2026, 1, 1)
    while day.year == 2026:
        expected = day in worked or (day.weekday() < 5 and day not in off)
        assert CAL.is_workday(day) is expected, day
        day += timedelta(days=1)


def test_2026_comes_from_the_bundled_notice_file_and_agrees_with_chinesecalendar() -> None:
    notice = CAL.notices[2026]
    assert notice.title == "国务院办公厅关于2026年部分节假日安排的通知"
    assert notice.published == "2025-11-04"
    assert notice.file is not None and notice.file.endswith("2026.yaml")
    import chinese_calendar

    day = date(2026, 1, 1)
    while day.year == 2026:
        assert CAL.is_workday(day) is chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        # 2026 notice
        (date(2026, 10, 1), DayKind.HOLIDAY, "国庆节"),
        (date(2026, 10, 10), DayKind.MAKEUP_WORKDAY, "国庆节"),
        (date(2026, 1, 4), DayKind.MAKEUP_WORKDAY, "元旦"),
        (date(2026, 2, 21), DayKind.HOLIDAY, "春节"),  # a Saturday inside the 春节 block
        (date(2026, 3, 7), DayKind.WEEKEND, None),
        (date(2026, 3, 9), DayKind.WORKDAY, None),
        # 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号), via chinesecalendar
        (date(2025, 1, 26), DayKind.MAKEUP_WORKDAY, "春节"),
        (date(2025, 10, 8), DayKind.HOLIDAY, "国庆节"),  # 国庆、中秋 10-01..08 combined
        (date(2025, 10, 11), DayKind.MAKEUP_WORKDAY, "国庆节"),
    ],
    ids=str,
)
def test_known_days(day: date, kind: DayKind, name: str | None) -> None:
    info = CAL.day_info(day)
    assert info.kind is kind
    assert info.name_zh == name
    assert not info.provisional


def test_2027_is_not_covered_and_the_error_says_how_to_fix_it() -> None:
    # The 2027 schedule had not been published when the reference was written.
    assert not CAL.covers(date(2027, 1, 4))
    with pytest.raises(CalendarCoverageError) as caught:
        CAL.is_workday(date(2027, 1, 4))
    err = caught.value
    assert (err.year, err.first_year, err.last_year) == (2027, 2004, 2026)
    assert "calendar import" in str(err) and "calendars/2027.yaml" in str(err)
    assert "--provisional" in str(err)
    assert isinstance(err, LookupError)


def test_years_before_coverage_raise_too() -> None:
    with pytest.raises(CalendarCoverageError) as caught:
        CAL.is_workday(date(2003, 6, 2))
    assert caught.value.year == 2003


def test_provisional_mode_is_weekends_and_statutory_holidays_and_flagged() -> None:
    cal = official_calendar(provisional=True, extra=())
    # No 2027 notice yet.  元旦 is fixed by law (放假办法 Art. 2(1)); 2027-01-01 is a Friday.
    info = cal.day_info(date(2027, 1, 1))
    assert info.kind is DayKind.HOLIDAY
    assert info.provisional
    assert info.name_zh == "元旦"
    assert info.basis is not None and "第二条第（一）项" in info.basis
    assert cal.day_info(date(2027, 1, 2)).kind is DayKind.WEEKEND
    # No make-up or substitute day is guessed: the Monday after stays an ordinary workday.
    assert cal.day_info(date(2027, 1, 4)).kind is DayKind.WORKDAY
    assert not cal.day_info(date(2026, 10, 1)).provisional
    assert cal.check(date(2026, 12, 1), date(2027, 1, 5)) is True
    assert cal.check(date(2026, 1, 1), date(2026, 12, 31)) is False


def test_a_year_file_replaces_every_other_source_for_its_year() -> None:
    from govdisclose.periods.year_files import chinesecalendar_years

    fake = YearSchedule(2026, ((date(2026, 3, 9), "测试假日", "Test"),), (), None)
    cal = OfficialCalendar([*chinesecalendar_years(), fake])
    assert not cal.is_workday(date(2026, 3, 9))
    # 10-01 is no longer a holiday: the override replaced the whole year.
    assert cal.is_workday(date(2026, 10, 1))
    assert cal.is_workday(date(2025, 10, 8)) is False  # other years untouched


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
year: 2030
notice:
  title: 国务院办公厅关于2030年部分节假日安排的通知（测试）
  document_number: null
  published: "2029-11-01"
holidays:
  - {name: 元旦, from: "2030-01-01", to: "2030-01-01"}
makeup_workdays: []
"""


def test_a_valid_year_file_loads(tmp_path: Path) -> None:
    schedule = load_year_file(_write(tmp_path, "2030.yaml", GOOD))
    assert schedule.year == 2030
    assert schedule.holidays == ((date(2030, 1, 1), "元旦", None),)


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        (GOOD.replace("makeup_workdays: []", "makeup_workday: []"), 8, "makeup_workday"),
        (GOOD.replace("makeup_workdays: []",
                      'makeup_workdays:\n  - {date: "2030-01-02", for: 元旦}'), 9, "weekday"),
        (GOOD.replace('"2030-01-01", to', '"2030-13-01", to'), 7, "not a valid date"),
        (GOOD.replace('to: "2030-01-01"', 'to: "2031-01-01"'), 7, "outside this file's year"),
        (GOOD + "year: 2031\n", 9, "duplicate key"),
        (GOOD.replace("  title:", "title:"), 4, "syntax"),
    ],
    ids=["misspelt-key", "makeup-on-weekday", "bad-date", "wrong-year", "duplicate-key",
         "broken-yaml"],
)
def test_broken_year_files_report_file_and_line(tmp_path: Path, text: str, line: int,
                                                needle: str) -> None:
    path = _write(tmp_path, "2030.yaml", text)
    with pytest.raises(CalendarDataError) as caught:
        load_year_file(path)
    problems = caught.value.problems
    assert any(p.line == line and needle in p.message_en for p in problems), [
        str(p) for p in problems]
    assert all(p.file == str(path) for p in problems)
    assert f"{path}:{line}:" in str(caught.value)
