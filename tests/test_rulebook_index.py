"""The per-book lookups memoised in rulebook/index.py answer exactly as the linear scans do."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from govdisclose import list_rulebooks, load_rulebook
from govdisclose.rulebook.dated import Dated, effective_dates, select_in_force
from govdisclose.rulebook.index import InForce
from govdisclose.rulebook.parts import last_in_force

_DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@given(st.lists(st.tuples(st.none() | _DAYS, st.none() | _DAYS), max_size=6), _DAYS)
def test_in_force_table_is_the_filter(spans: list[tuple[date | None, date | None]],
                                      on: date) -> None:
    rules = [Dated(valid_from=a, valid_until=b) for a, b in spans]
    assert InForce.of(rules).on(on) == select_in_force(rules, on)


def test_every_bundled_book_selects_as_the_filter_around_each_change() -> None:
    for book_id in list_rulebooks():
        book = load_rulebook(book_id)
        days = {date(2000, 1, 1), date(2030, 12, 31)}
        for day in effective_dates(book):
            days.update((day - timedelta(days=1), day, day + timedelta(days=1)))
        for day in sorted(days):
            assert book.decisions_on(day) == select_in_force(book.decisions, day)
            assert book.receipt_rules_on(day) == select_in_force(book.receipt_rules, day)
            for limit in book.limits.values():
                assert limit.value_on(day) == last_in_force(limit.values, day)


def test_limit_index_finds_the_first_match_in_book_order() -> None:
    for book_id in list_rulebooks():
        book = load_rulebook(book_id)
        index = book.limit_index
        for limit in book.limits.values():
            if limit.done_by is not None:
                assert index.done_by[limit.done_by.event] is next(
                    lim for lim in book.limits.values()
                    if lim.done_by is not None and lim.done_by.event == limit.done_by.event)
            if limit.pause_window_for is not None:
                assert index.window_for[str(limit.pause_window_for)] is next(
                    lim for lim in book.limits.values()
                    if lim.pause_window_for == limit.pause_window_for)
            if limit.extension_of is not None:
                assert index.extension_of[limit.extension_of] is next(
                    lim for lim in book.limits.values() if lim.extension_of == limit.extension_of)
