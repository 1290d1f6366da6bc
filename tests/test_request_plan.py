"""The request plan (engine/plan.py): what a request evaluation reads from the book alone, found
once per book object — the same answers the book's own look-ups give."""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from govdisclose import list_rulebooks, load_rulebook
from govdisclose._paths import rules_dir
from govdisclose.engine.limits import limit_deadline, receipt_policy
from govdisclose.engine.plan import PLAN, build_plan, request_plan
from govdisclose.engine.request_events import reply_limit
from govdisclose.engine.requests import evaluate_request
from govdisclose.engine.starts import start_of
from govdisclose.errors import GovDiscloseError
from govdisclose.messages import TraceStep
from govdisclose.rulebook.conditions import necessary_equal
from govdisclose.rulebook.loading import RulebookLibrary
from govdisclose.rulebook.vocabulary import DutyKind, LimitAbout


@pytest.mark.parametrize("book_id", list_rulebooks())
def test_the_plan_gives_the_books_own_answers(book_id: str) -> None:
    book = load_rulebook(book_id)
    plan = request_plan(book)
    assert plan.reply is reply_limit(book)
    assert plan.root is book.root
    assert plan.policy is receipt_policy(book)
    # every request limit counted from its own event, in the book's order
    assert [p.limit.id for p in plan.limits] == [
        lim.id for lim in book.limits.values() if lim.about is LimitAbout.REQUEST
        and not lim.extension_of and not lim.pause_window_for]
    assert [p.is_reply for p in plan.limits] == [p.limit is plan.reply for p in plan.limits]
    for row, window in plan.windows:  # each consultation's window is of its own kind
        assert row.pause is not None
        assert str(window.pause_window_for) == str(row.pause)


@pytest.mark.parametrize("book_id", [b for b in list_rulebooks() if b != "national"])
def test_a_local_limit_is_capped_by_the_national_limit_of_its_id(book_id: str) -> None:
    book = load_rulebook(book_id)
    national = book.root
    for planned in request_plan(book).limits:
        if planned.limit.book == national.id:  # inherited unchanged: nothing to cap
            assert planned.national is None
        else:  # a local value: higher law caps it where the regulation has the same limit
            assert planned.national is national.limits.get(planned.limit.id)


def test_the_national_book_caps_nothing() -> None:
    assert all(p.national is None for p in request_plan(load_rulebook("national")).limits)


def test_the_plan_is_found_once_per_book_object() -> None:
    book = load_rulebook("huadian")
    assert request_plan(book) is request_plan(book)
    fresh = RulebookLibrary([rules_dir()]).load("huadian")  # a new object: a plan of its own
    assert request_plan(fresh) is not request_plan(book)
    assert [p.limit.id for p in request_plan(fresh).limits] == \
        [p.limit.id for p in request_plan(book).limits]


def test_huadians_own_reply_period_is_capped_by_the_regulations() -> None:
    # 桦甸 counts its own reply period (from 登记之日); the regulation's of the same id caps it
    # (engine/request_deadlines.py): the plan holds the pair.
    book = load_rulebook("huadian")
    reply = next(p for p in request_plan(book).limits if p.is_reply)
    assert reply.limit.book == "huadian"
    assert reply.national is book.root.limits[reply.limit.id]
    # Received Mon 2026-03-02, registered Mon 03-16.  The regulation's 20 working days from
    # receipt end Mon 03-30; 桦甸's 15 from registration would end Tue 04-07 (国务院办公厅关于
    # 2026年部分节假日安排的通知: 清明 4-6 April off, Fri 04-03 worked as usual).  The national
    # date applies; two requests with the same days share the capped deadline (the plan's
    # ``caps`` memo), its trace saying why.
    assert limit_deadline(book, reply.limit.id, date(2026, 3, 16)).due == date(2026, 4, 7)
    requests = [{"id": f"H-{n}", "received_on": "2026-03-02", "registered_on": "2026-03-16",
                 "facts": {"exists": True}} for n in (1, 2)]
    found = [evaluate_request(book, r, as_of=date(2026, 3, 20)).deadlines[reply.limit.id]
             for r in requests]
    assert found[0].due == date(2026, 3, 30)
    assert found[0] is found[1]
    assert [s.code for s in found[0].head].count("higher_law") == 1


def test_a_capped_period_is_remembered_by_the_national_start_too() -> None:
    # The same registration day gives 桦甸's period one deadline object (the deadline memo);
    # whether the regulation's caps it depends on the receipt day as well.  Registered Mon
    # 2026-03-16 (桦甸: 15 working days, Tue 04-07).  Received Mon 03-02: the regulation's 20
    # working days end Mon 03-30, which applies.  Received Fri 03-13: they end Mon 04-13
    # (03-16 … 04-03 fifteen, 清明 4-6 April off, 04-07 … 04-13 five more; 国务院办公厅关于2026年
    # 部分节假日安排的通知), later than 桦甸's, which applies.  In either order, on a new book.
    for order in ((("2026-03-02", date(2026, 3, 30)), ("2026-03-13", date(2026, 4, 7))),
                  (("2026-03-13", date(2026, 4, 7)), ("2026-03-02", date(2026, 3, 30)))):
        book = RulebookLibrary([rules_dir()]).load("huadian")
        reply = next(p for p in request_plan(book).limits if p.is_reply)
        for received, due in order:
            found = evaluate_request(book, {
                "id": "H", "received_on": received, "registered_on": "2026-03-16",
                "facts": {"exists": True}}, as_of=date(2026, 3, 20)).deadlines[reply.limit.id]
            assert found.due == due
            capped = due == date(2026, 3, 30)
            assert [s.code for s in found.head].count("higher_law") == int(capped)


@pytest.mark.parametrize("book_id", list_rulebooks())
def test_the_duty_rows_are_the_duties_in_force_read_once(book_id: str) -> None:
    book = load_rulebook(book_id)
    plan = request_plan(book)
    assert len(plan.duty_rows) == len(plan.duty_rules.selections)
    for rows, duties in zip(plan.duty_rows, plan.duty_rules.selections, strict=True):
        assert [row[0] for row in rows] == list(duties)
        for duty, standing, after, when, gate, value, unfounded, event, before, passes in rows:
            assert standing is (duty.kind is DutyKind.INSTITUTIONAL)
            assert (after, when) == (duty.after, duty.applies_when)
            # the fact read before the conditions: one they cannot hold without
            found = necessary_equal(when) if when is not None else None
            assert (gate, value) == (found if found is not None else (None, None))
            # a permission used without its conditions still bears on the request when the
            # book has a code for that unfounded use (and only then)
            assert unfounded is (duty.kind is DutyKind.PERMISSION and duty.unfounded is not None)
            check = duty.done_by
            assert (event, before) == ((check.event, check.before) if check else (None, None))
            # read first: the gate where its failing alone passes the duty over
            assert passes == (gate if not standing and not unfounded else None)
    # the rows of the day's selection are those of the duties in force that day
    for day in (*plan.duty_rules.bounds, date(2008, 5, 1), date(2026, 12, 3)):
        index = bisect_right(plan.duty_rules.bounds, day)
        assert [row[0] for row in plan.duty_rows[index]] == list(plan.duty_rules.on(day))
    assert any(row[6] for rows in plan.duty_rows for row in rows) == any(
        d.kind is DutyKind.PERMISSION and d.unfounded for d in book.duties.values()
        if d.about is LimitAbout.REQUEST)


@pytest.mark.parametrize("book_id", list_rulebooks())
def test_a_start_table_gives_what_start_of_gives(book_id: str) -> None:
    book = load_rulebook(book_id)
    tables = [(p.limit, p.starts, book) for p in request_plan(book).limits]  # and the root's
    tables += [(p.national, p.national_starts, book.root) for p in request_plan(book).limits
               if p.national is not None]
    checked = 0
    for limit, table, owner in tables:
        assert (table is None) == (len({v.from_event or "" for v in limit.values}) != 1)
        if table is None:
            continue
        # every day the limit's values change, the days either side, and some others
        days = {date(2008, 4, 30), date(2008, 5, 1), date(2019, 5, 14), date(2019, 5, 15),
                date(2026, 12, 3)}
        for bound in table.bounds:
            days |= {bound - timedelta(1), bound, bound + timedelta(1)}
        # the event recorded on each of those days; and every other event the book declares
        # recorded alone (the limit's own event missing: nothing, or its fallback)
        cases = [{"request.received": date(2000, 1, 3), table.event: day} for day in days]
        cases += [{event: date(2026, 3, 2)} for event in owner.events]
        # Twice: the second pass finds start_of's answers remembered (by the days of the
        # chain's events), the first computes them — the same start and trace either way.
        for dates in (*cases, *cases):
            trace: list[TraceStep] = []
            expected = start_of(owner, limit, dates, trace)
            found: list[TraceStep] = []
            assert table.start(owner, limit, dates, found) == expected
            assert found == trace
            checked += 1
        # the chain is the event and those it falls back on, as recorded() walks them
        walked, current = [], limit.values[0].from_event or ""
        while current and current not in walked:
            walked.append(current)
            current = owner.events[current].otherwise if current in owner.events else None
        assert table.chain == (tuple(walked) or ("",))
        assert table.otherwise == (limit.values[0].from_event in owner.events and owner.events[
            limit.values[0].from_event or ""].otherwise is not None)
    assert checked


@pytest.mark.parametrize("book_id", list_rulebooks())
def test_the_rows_read_when_no_followed_event_is_recorded_give_every_rows_answer(
        book_id: str) -> None:
    # request_duties reads plan.duty_rows_unfollowed when none of the events the duties
    # follow is recorded: the duties and violations must be those of reading every row.
    examples = sorted((Path(__file__).resolve().parent.parent / "examples").glob(
        "*/request-*.json"))  # the checkout's examples (an installed package has none)
    requests = [json.loads(path.read_text(encoding="utf-8")) for path in examples]
    requests += [{"id": "R", "received_on": "2026-03-02", "facts": facts}
                 for facts in ({}, {"reading_or_sensory_difficulty": True},
                               {"several_applicants": True, "exemption_grounds": []},
                               {"proactive_suggestion_accepted": True})]
    assert len(requests) > 20
    fast = RulebookLibrary([rules_dir()]).load(book_id)
    every = RulebookLibrary([rules_dir()]).load(book_id)
    plan = build_plan(every)  # kept as the book's plan, every row read on every request
    every.derived(PLAN, lambda _b: replace(plan, duty_rows_unfollowed=plan.duty_rows))
    assert request_plan(every).duty_rows_unfollowed is plan.duty_rows
    compared = 0
    for request in requests:
        try:
            ours = evaluate_request(fast, request, as_of=date(2026, 12, 31))
        except GovDiscloseError:
            continue  # a request another book's facts or replies: not this book's
        theirs = evaluate_request(every, request, as_of=date(2026, 12, 31))
        assert (ours.duties, ours.violations) == (theirs.duties, theirs.violations)
        compared += 1
    assert compared >= 8
