"""Invariants of the deadline arithmetic, checked with hypothesis."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclose import Pause, add_working_days, compute_deadline, official_calendar
from govdisclose.testing import covered_dates, pause_sets, periods, requests, working_day_counts

if TYPE_CHECKING:
    from collections.abc import Iterator

CAL = official_calendar()


def _workdays_in(start: date, end: date) -> int:
    """Reference count by walking day by day (independent of the index)."""
    return sum(1 for i in range(1, (end - start).days + 1)
               if CAL.is_workday(start + timedelta(days=i)))


@given(covered_dates(), working_day_counts())
def test_result_is_a_working_day_after_start(start: date, n: int) -> None:
    due = add_working_days(start, n)
    assert due > start
    assert CAL.is_workday(due)


@given(covered_dates(), working_day_counts())
def test_exactly_n_working_days_lie_in_start_to_result(start: date, n: int) -> None:
    due = add_working_days(start, n)
    assert _workdays_in(start, due) == n
    assert _workdays_in(start, due - timedelta(days=1)) == n - 1


@given(covered_dates(), covered_dates(), working_day_counts())
def test_monotone_in_start(a: date, b: date, n: int) -> None:
    a, b = min(a, b), max(a, b)
    assert add_working_days(a, n) <= add_working_days(b, n)


@given(covered_dates(), working_day_counts(), working_day_counts())
def test_monotone_in_n(start: date, m: int, n: int) -> None:
    m, n = min(m, n), max(m, n)
    assert add_working_days(start, m) <= add_working_days(start, n)
    if m < n:
        assert add_working_days(start, m) < add_working_days(start, n)


@given(covered_dates(), working_day_counts(30), working_day_counts(30))
def test_additive(start: date, a: int, b: int) -> None:
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@given(covered_dates(), working_day_counts(40), st.integers(0, 39), st.integers(0, 20))
def test_a_pause_of_k_working_days_inside_the_period_delays_by_k(
    start: date, n: int, offset: int, length: int
) -> None:
    # The pause starts on a day strictly inside (start, due): the day it is sent counts.
    due = add_working_days(start, n)
    begin = start + timedelta(days=offset % max((due - start).days, 1))
    end = begin + timedelta(days=length)
    k = _workdays_in(begin, end)
    d = compute_deadline(start, n, "working_days", pauses=[Pause("third_party", begin, end)])
    assert d.due == add_working_days(due, k)


@given(covered_dates(), st.integers(1, 60))
def test_calendar_day_periods_end_on_the_first_working_day_from_start_plus_n(
    start: date, n: int
) -> None:
    d = compute_deadline(start, n, "calendar_days")
    assert isinstance(d.due, date)
    assert CAL.is_workday(d.due)
    plain = start + timedelta(days=n)
    assert d.due >= plain
    day = plain
    while day < d.due:
        assert not CAL.is_workday(day)
        day += timedelta(days=1)


@given(covered_dates(), working_day_counts(30), st.data())
def test_merging_is_order_independent(start: date, n: int, data: st.DataObject) -> None:
    pauses = data.draw(pause_sets(start))
    a = compute_deadline(start, n, "working_days", pauses=pauses)
    b = compute_deadline(start, n, "working_days", pauses=list(reversed(pauses)))
    assert a.due == b.due
    plain = add_working_days(start, n)
    if a.due is not None:
        assert a.due >= plain  # pauses never shorten a period


@pytest.fixture(scope="module")
def timezones() -> Iterator[list[str]]:
    saved = os.environ.get("TZ")
    yield ["UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati", "Etc/GMT+12"]
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


@settings(max_examples=30)
@given(covered_dates(), periods())
def test_results_do_not_depend_on_the_process_timezone(
    timezones: list[str], start: date, period: tuple[int, str]
) -> None:
    amount, unit = period
    moment = datetime(start.year, start.month, start.day, 23, 30)
    results = set()
    for tz in timezones:
        os.environ["TZ"] = tz
        time.tzset()
        begin = moment if unit == "hours" else start
        results.add(compute_deadline(begin, amount, unit).due)
    assert len(results) == 1


@settings(max_examples=60, deadline=None)
@given(requests(first=date(2008, 5, 1)))
def test_generated_requests_always_evaluate_to_a_valid_outcome(data: dict) -> None:
    from govdisclose import load_rulebook
    from govdisclose._schema import validator
    from govdisclose.engine.request_input import parse_request
    from govdisclose.engine.requests import evaluate_request

    book = load_rulebook("national")
    request = parse_request(data, book)
    as_of = max([date.fromisoformat(data["received_on"])]
                + [date.fromisoformat(e["on"]) for e in data["events"]])
    outcome = evaluate_request(book, request, as_of=as_of).to_json()
    assert not list(validator("outcome").iter_errors(outcome))
    reply = outcome["deadlines"]["request.reply"]
    if reply["due"] is not None:  # pauses and restarts never shorten the period
        plain = add_working_days(date.fromisoformat(data["received_on"]), reply["amount"])
        assert date.fromisoformat(reply["due"]) >= plain


@given(covered_dates(), st.integers(1, 30), st.integers(1, 20),
       st.sampled_from(["working_days", "calendar_days"]))
@settings(max_examples=200)
def test_an_extension_runs_on_from_the_original_due_date(start: date, n: int, m: int,
                                                          unit: str) -> None:
    """docs/deadlines.md §7: the extended due date is the period of m units counted from the
    original due date (after any roll), never before it."""
    from govdisclose import CalendarCoverageError, Extension

    try:
        base = compute_deadline(start, n, unit)
        assert isinstance(base.due, date)
        ext = compute_deadline(start, n, unit, extension=Extension(m, base.due))
        again = compute_deadline(base.due, m, unit)
    except CalendarCoverageError:
        return
    assert ext.original_due == base.due
    assert ext.due == again.due
    assert isinstance(ext.due, date)
    assert ext.due > base.due
