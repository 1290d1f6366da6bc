"""``govdisclose.testing``: dates and periods compose for every unit (issue 13, part 5).

Before, ``@given(covered_dates(), periods())`` broke on hour periods: a date start is refused
(an hour period needs a moment) and an hour period's due moment cannot be compared with a
date (TypeError).  Each :class:`Period` now gives the start its unit needs.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import find, given, settings

from govdisclose import CalendarCoverageError, compute_deadline, official_calendar
from govdisclose.periods.values import CHINA_STANDARD_TIME, Unit
from govdisclose.testing import covered_dates, periods
from govdisclose.testing.strategies import Period, period_starts

CAL = official_calendar()


def _check(start: date | datetime, period: Period) -> None:
    """What any caller would assert: the period ends after it starts, in the start's kind."""
    due = compute_deadline(start, *period).due
    assert due is not None
    assert type(due) is type(start)  # a moment for hours, a day for day units
    assert due > start
    if period.unit is Unit.HOURS:
        assert isinstance(start, datetime)
        assert due - start == timedelta(hours=period.amount)
    else:
        assert CAL.is_workday(due)


@settings(max_examples=300)
@given(covered_dates(), periods())
def test_covered_dates_and_periods_compose_for_every_unit(day: date, period: Period) -> None:
    _check(period.start_on(day), period)


@settings(max_examples=300)
@given(period_starts())
def test_period_starts_draws_ready_pairs(pair: tuple[date | datetime, Period]) -> None:
    start, period = pair
    _check(start, period)


@settings(max_examples=100)
@given(period_starts(max_days=250))
def test_the_margin_grows_with_the_longest_period(pair: tuple[date | datetime, Period]) -> None:
    # max_days=250 is a year of working days: the default margin of covered_dates (120 days)
    # would run out of calendar; period_starts widens it, so no draw meets a coverage error.
    start, period = pair
    try:
        _check(start, period)
    except CalendarCoverageError as exc:  # pragma: no cover - the failure this test prevents
        raise AssertionError(f"{start} + {period}: {exc}") from exc


def test_every_unit_is_drawn() -> None:
    # Each unit of the enum has its own branch of periods(): hypothesis finds a draw of each.
    for unit in Unit:
        assert find(periods(), lambda p, u=unit: p.unit is u).unit is unit


def test_period_is_still_the_amount_unit_pair() -> None:
    period = Period(5, Unit.HOURS)
    amount, unit = period
    assert (amount, unit) == (5, Unit.HOURS) == period


def test_an_hour_period_starts_at_a_moment_in_china_standard_time() -> None:
    # 2026-09-30 09:00 CST + 72 hours = 2026-10-03 09:00 CST: hours run through the 国庆
    # holiday (国务院办公厅关于2026年部分节假日安排的通知: 10-01..07 off); only day units
    # skip days off.
    start = Period(72, Unit.HOURS).start_on(date(2026, 9, 30))
    assert start == datetime(2026, 9, 30, 9, 0, tzinfo=CHINA_STANDARD_TIME)
    due = compute_deadline(start, 72, Unit.HOURS).due
    assert due == datetime(2026, 10, 3, 9, 0, tzinfo=CHINA_STANDARD_TIME)
    assert Period(1, Unit.HOURS).start_on(date(2026, 9, 30), time(23, 30)) == datetime(
        2026, 9, 30, 23, 30, tzinfo=CHINA_STANDARD_TIME)


def test_a_day_period_starts_on_the_day() -> None:
    # 2026-09-30 + 1 working day = 2026-10-08 (same notice: 10-01..07 off).
    start = Period(1, Unit.WORKING_DAYS).start_on(date(2026, 9, 30))
    assert start == date(2026, 9, 30)
    assert compute_deadline(start, 1, Unit.WORKING_DAYS).due == date(2026, 10, 8)
