"""The engine's memos change nothing but speed (issue 12): an evaluation that finds a step's
result remembered — the reply decision, the duties, the workflow's steps, a violation — gives
the outcome, trace included, that computing it again gives.

The reference here is the engine with every memo of engine/tables.py made to forget
(:meth:`Memo.get` and the deadline memo always missing), on new book objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from synthetic_calendars import one_day_off_2026

from govdisclose import list_rulebooks, load_rulebook
from govdisclose._paths import rules_dir
from govdisclose.engine import tables
from govdisclose.engine.backends import PythonBackend
from govdisclose.engine.replies import SET_BEFORE_DECIDING, _decide_table, decide
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.request_model import Request
from govdisclose.engine.requests import evaluate_request
from govdisclose.engine.tables import memo, regime
from govdisclose.errors import GovDiscloseError
from govdisclose.periods.calendar import official_calendar
from govdisclose.rulebook.events import REQUEST_EVENTS
from govdisclose.rulebook.loading import RulebookLibrary

if TYPE_CHECKING:
    from govdisclose.periods.calendar import OfficialCalendar
    from govdisclose.rulebook.model import Rulebook

AS_OF = date(2026, 11, 30)
BOOKS = list_rulebooks()


def _fresh(book_id: str) -> Rulebook:
    """A new object of the bundled book: its tables and memos empty."""
    return RulebookLibrary([rules_dir()]).load(book_id)


def _reference(book_id: str, request: dict[str, Any], as_of: date = AS_OF) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables.Memo, "__getitem__", lambda self, key: None)
        return evaluate_request(_fresh(book_id), request, as_of=as_of).to_json()


def test_the_regime_changes_on_the_days_the_rules_do() -> None:
    book = load_rulebook("national")
    # 条例 2008 (国务院令第492号) in force from 2008-05-01; 条例 2019 (国务院令第711号) from
    # 2019-05-15: the day before and the day itself are in different regimes.
    assert regime(book, date(2019, 5, 14)) != regime(book, date(2019, 5, 15))
    assert regime(book, date(2008, 4, 30)) != regime(book, date(2008, 5, 1))
    assert regime(book, date(2020, 3, 2)) == regime(book, date(2020, 9, 1))
    days = tables._change_days(book)
    assert date(2019, 5, 15) in days and date(2008, 5, 1) in days
    assert list(days) == sorted(set(days))


def test_a_local_book_changes_with_the_rules_it_inherits() -> None:
    national = tables._change_days(load_rulebook("national"))
    for book_id in BOOKS:
        assert set(national) <= set(tables._change_days(load_rulebook(book_id))), book_id


def test_the_same_facts_on_either_side_of_2019_05_15_get_each_regimes_reply() -> None:
    book = _fresh("national")
    facts = {"exists": True, "exemption_grounds": ["third_party_rights"], "separable": False}
    before = {"id": "M-1", "received_on": "2019-05-14", "facts": facts}
    after = {"id": "M-2", "received_on": "2019-05-15", "facts": facts}
    got = [evaluate_request(book, r, as_of=date(2019, 12, 31)).to_json()
           for r in (after, before, after, before)]  # each remembered, then found
    assert got[0] == got[2] and got[1] == got[3]
    assert got[0] == _reference("national", after, date(2019, 12, 31))
    assert got[1] == _reference("national", before, date(2019, 12, 31))
    # each regime's own answer: 条例 2019 第三十六条第（三）项 on the 15th; on the 14th the book
    # holds no decision rule of the 2008 regulation, so none fires — the 2019 one remembered
    # for the same facts is not handed over
    assert got[0]["reply"]["rule"]["id"] == "exempt"
    assert got[1]["reply"] is None
    assert [t["code"] for t in got[1]["trace"]][-1] == "decision.none"


def test_duties_are_remembered_by_the_dates_they_read() -> None:
    book = _fresh("national")
    # Received Mon 2026-03-02; March 2026 has no holiday (国务院办公厅关于2026年部分节假日安排的
    # 通知: 清明 is 4-6 April), so the 20 working days of 条例 2019 第三十三条 end on Mon
    # 2026-03-30.  The extension is approved on 03-20; its notice must reach the applicant
    # before the period ends (the duty request.extension_notice): on 03-23 it does, on 04-01
    # it does not.
    requests = [{"id": f"D-{notified}", "received_on": "2026-03-02", "events": [
        {"type": "extension_approved", "on": "2026-03-20", "notified_on": notified},
        {"type": "replied", "on": "2026-04-10"}], "facts": {"exists": True}}
        for notified in ("2026-03-23", "2026-04-01")]
    for request in (*requests, *requests):  # computed, then remembered
        assert evaluate_request(book, request, as_of=AS_OF).to_json() == \
            _reference("national", request)
    found = [evaluate_request(book, r, as_of=AS_OF) for r in requests]
    assert found[0].deadlines["request.reply"].original_due == date(2026, 3, 30)
    codes = [[v.code for v in outcome.violations] for outcome in found]
    assert "extension.notice_late" not in codes[0]
    assert "extension.notice_late" in codes[1]
    # The same notice day, 03-31, read against each request's own period: received 03-02 the
    # period ends 03-30 (late); received 03-03 it ends 03-31 (in time: not after it).
    same_day = [{"id": f"E-{received}", "received_on": received, "events": [
        {"type": "extension_approved", "on": "2026-03-20", "notified_on": "2026-03-31"},
        {"type": "replied", "on": "2026-04-10"}], "facts": {"exists": True}}
        for received in ("2026-03-02", "2026-03-03")]
    found = [evaluate_request(book, r, as_of=AS_OF) for r in same_day]
    assert found[1].deadlines["request.reply"].original_due == date(2026, 3, 31)
    assert [("extension.notice_late" in [v.code for v in o.violations]) for o in found] == \
        [True, False]
    assert [o.to_json() for o in found] == [_reference("national", r) for r in same_day]


def test_a_memo_keeps_what_is_used_and_stays_within_twice_its_bound() -> None:
    assert memo(_fresh("national"), "engine.memo.test").bound == tables.MAX_MEMO_ENTRIES
    table = tables.Memo(3)
    for n in range(3):
        table.remember((n,), n)
    assert table[(2,)] == 2 and table[(9,)] is None  # found, and absent: None
    table.remember((3,), 3)  # the bound reached: (0,) (1,) (2,) are the older generation
    assert len(table) == 1 and table[(3,)] == 3
    assert table[(1,)] == 1  # used again: moved back to the current generation
    table.remember((4,), 4)
    table.remember((5,), 5)  # a new turn: what the older generation still held is dropped
    assert table[(1,)] == 1 and table[(4,)] == 4 and table[(5,)] == 5
    assert table[(0,)] is None and table[(2,)] is None
    for n in range(100):  # never more than twice the bound in all
        table.remember((10 + n,), n)
        assert len(table) + len(table.older) <= 2 * 3


def test_a_fact_value_that_cannot_be_a_key_is_computed_not_remembered() -> None:
    # A request built in code (no schema: parse_request would refuse it) with a mapping for a
    # fact the decision rules read: decided without the memo, every time the same.
    book = _fresh("national")
    plain = parse_request({"id": "K-1", "received_on": "2026-03-02",
                           "facts": {"exists": True}}, book)
    _, _, _, table, _ = book.derived("engine.decide", _decide_table)
    # a mapping
    odd = replace(plain, facts=MappingProxyType({**plain.facts, "request_kind": {"a": 1}}))
    found = [evaluate_request(book, odd, as_of=AS_OF) for _ in range(2)]
    assert found[0] == found[1] and found[0].reply is not None
    assert len(table) == 0 and not table.older
    evaluate_request(book, plain, as_of=AS_OF)
    assert len(table) == 1
    # a list, as a tuple and of type list (never equal to a tuple's key): remembered once,
    # whether the book declares one (the exemption grounds) or not (a string fact)
    for n, facts in enumerate(({"exists": True, "exemption_grounds": ["third_party_rights"]},
                               {"exists": True, "request_kind": ["information"]}), start=2):
        twice = [parse_request({"id": f"K-{n}-{i}", "received_on": "2026-03-02",
                                "facts": {"exists": True}}, book) for i in (1, 2)]
        twice = [replace(r, facts=MappingProxyType(facts)) for r in twice]
        found = [evaluate_request(book, r, as_of=AS_OF) for r in twice]
        assert len(table) == n
        assert found[0].reply == found[1].reply and found[0].reply is not None
    tupled = replace(plain, facts=MappingProxyType({"exists": True,
                                                    "request_kind": ("information",)}))
    evaluate_request(book, tupled, as_of=AS_OF)
    assert len(table) == 4  # a tuple is not the list's entry


_EVENT_TYPES = sorted(REQUEST_EVENTS)


@st.composite
def _requests(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A plausible request to any bundled book: received from 2008-05-01 to 2026 (both regulations),
    events on later days, boolean facts and exemption grounds the book declares."""
    book_id = draw(st.sampled_from(BOOKS))
    book = load_rulebook(book_id)
    received = draw(st.dates(date(2008, 5, 1), date(2026, 10, 31)))
    events = []
    for n in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(_EVENT_TYPES))
        event: dict[str, Any] = {"type": kind,
                                 "on": str(received + timedelta(draw(st.integers(0, 60))))}
        if kind == "extension_approved" and draw(st.booleans()):
            event["approved_by"] = draw(st.sampled_from(sorted(book.roles) or ["x"]))
        events.append(event)
        del n
    booleans = sorted(k for k, f in book.facts.items() if f.type == "boolean")
    facts: dict[str, Any] = {k: draw(st.booleans())
                             for k in draw(st.lists(st.sampled_from(booleans), max_size=6,
                                                    unique=True))} if booleans else {}
    if book.exemptions and draw(st.booleans()):
        facts["exemption_grounds"] = draw(st.lists(st.sampled_from(sorted(book.exemptions)),
                                                   max_size=2, unique=True))
    request: dict[str, Any] = {"id": "H-1", "received_on": str(received), "events": events}
    if facts:
        request["facts"] = facts
    return book_id, request


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_requests(), min_size=2, max_size=4))
def test_remembered_steps_give_the_outcome_computing_them_gives(
        cases: list[tuple[str, dict[str, Any]]]) -> None:
    books = {book_id: _fresh(book_id) for book_id in BOOKS}
    expected = []
    for book_id, request in cases:
        try:
            expected.append(_reference(book_id, request))
        except GovDiscloseError:  # no request the engine can evaluate: not the subject
            assume(False)
    for _ in range(2):  # filling the memos, then finding what they hold
        for (book_id, request), want in zip(cases, expected, strict=True):
            assert evaluate_request(books[book_id], request, as_of=AS_OF).to_json() == want


def test_a_status_is_remembered_by_the_days_it_reads(tmp_path: Path) -> None:
    book = _fresh("national")
    # Received Mon 2026-03-02; March 2026 has no holiday (国务院办公厅关于2026年部分节假日安排的
    # 通知: 清明 is 4-6 April), so the 20 working days of 条例 2019 第三十三条 end on Mon
    # 2026-03-30.
    open_one = {"id": "S-1", "received_on": "2026-03-02", "events": [],
                "facts": {"exists": True}}
    twin = {**open_one, "id": "S-2"}
    late = {"id": "S-3", "received_on": "2026-03-02", "facts": {"exists": True},
            "events": [{"type": "replied", "on": "2026-04-01"}]}

    def status(request: dict[str, Any], as_of: date, **kw: Any) -> dict[str, Any]:
        found: dict[str, Any] = evaluate_request(book, request, as_of=as_of, **kw).to_json()
        return found["status"]

    march_20, april_2 = date(2026, 3, 20), date(2026, 4, 2)
    # 03-20 (Fri) to 03-30: 23-27 and 30 March, 6 working days left.
    assert status(open_one, march_20)["working_days_left"] == 6
    # Overdue on 04-02: 31 March, 1 and 2 April, 3 working days late — not the 03-20 answer.
    assert status(open_one, april_2) == {
        "state": "overdue", "as_of": "2026-04-02", "due": "2026-03-30", "replied_on": None,
        "working_days_left": None, "working_days_late": 3}
    assert status(open_one, march_20)["working_days_left"] == 6
    # Another request with the same days shares the remembered status.
    assert evaluate_request(book, twin, as_of=march_20).status is \
        evaluate_request(book, open_one, as_of=march_20).status
    # Replied 04-01: 31 March and 1 April, 2 working days late, whatever as_of.
    assert status(late, april_2)["working_days_late"] == 2
    assert status(late, april_2) == _reference("national", late, april_2)["status"]
    # Another calendar object (SYNTHETIC: 2026-03-31 given off) with the same due date is not
    # served the remembered answer: 1 April alone is a working day late.
    other = official_calendar(extra=[one_day_off_2026(tmp_path / "calendars", "2026-03-31")])
    assert status(late, april_2, calendar=other) == {
        "state": "answered_late", "as_of": "2026-04-02", "due": "2026-03-30",
        "replied_on": "2026-04-01", "working_days_left": None, "working_days_late": 1}
    assert status(late, april_2)["working_days_late"] == 2


def test_the_memo_of_workflow_orders_is_bounded() -> None:
    # A stream of ever new values of a fact a step condition reads (here the string
    # applicant_type, any text in a request built in code) must not grow the memo of orders:
    # a Memo, bounded in two generations like every other.
    from govdisclose.engine import workflow as walking
    from govdisclose.engine.tables import Memo
    from govdisclose.engine.workflow import WalkTables

    book = load_rulebook("huadian")
    flow = book.workflow("request", date(2026, 3, 2))
    assert flow is not None and "applicant_type" in flow.fact_names
    tables = WalkTables(Memo(5), Memo(5))
    walked = []
    for n in range(20):
        facts = {"exists": True, "applicant_type": f"kind-{n}"}
        walked.append(walking.walk(book, "request", facts, {}, date(2026, 3, 2), tables))
        for table in (tables.orders, tables.steps):
            assert len(table) <= 5 and len(table.older) <= 5
    # the same steps computed afresh, without the memo (a fresh book: a fresh table)
    assert walked == [walking.walk(_fresh("huadian"), "request",
                                   {"exists": True, "applicant_type": f"kind-{n}"},
                                   {}, date(2026, 3, 2)) for n in range(20)]


def test_a_decision_keyed_by_the_request_facts_checks_no_other_fact_was_set() -> None:
    # decide() keys its memo by the request's own facts and the facts the evaluation may set
    # (SET_BEFORE_DECIDING); a fact read that something else set would make that key wrong,
    # so a computed decision refuses it loudly.
    book = _fresh("national")
    given = {"exists": True, "exemption_grounds": ["third_party_rights"]}
    names = book.derived("engine.decide", _decide_table)[0]
    assert "separable" in names and "separable" not in SET_BEFORE_DECIDING
    with pytest.raises(AssertionError, match="separable"):
        decide(book, {**given, "separable": True}, PythonBackend(), date(2026, 3, 2), [],
               given=given)
    # the same value but of another type (1 for True) is another fact too
    with pytest.raises(AssertionError, match="exists"):
        decide(book, {**given, "exists": 1}, PythonBackend(), date(2026, 3, 2), [],
               given=given)
    # a fact the evaluation may set (the third party's consent, read from the consultation)
    # is in the key: consent lifts the third-party ground (第十五条), refusal does not
    assert "third_party_consent" in SET_BEFORE_DECIDING
    found = [decide(book, {**given, "third_party_consent": consent}, PythonBackend(),
                    date(2026, 3, 2), [], given=given) for consent in (True, False, True)]
    assert found[0] == found[2] and found[0] is not None
    assert found[1] != found[0]
    # the same facts with or without ``given`` decide alike
    for consent, want in ((True, found[0]), (False, found[1])):
        assert decide(_fresh("national"), {**given, "third_party_consent": consent},
                      PythonBackend(), date(2026, 3, 2), []) == want


def test_facts_given_by_a_mapping_built_in_code_are_read_by_equality() -> None:
    # A Request built in code may hold its facts in any mapping, one that hands out equal
    # but new objects on every look-up: its decision is what the same facts in a dict give.
    class Fresh(Mapping[str, Any]):
        def __init__(self, data: dict[str, Any]) -> None:
            self._data = data

        def __getitem__(self, key: str) -> Any:
            value = self._data[key]
            return list(value) if isinstance(value, list) else value

        def __iter__(self) -> Iterator[str]:
            return iter(self._data)

        def __len__(self) -> int:
            return len(self._data)

    facts = {"exists": True, "exemption_grounds": ["third_party_rights"]}
    plain = parse_request({"id": "F-1", "received_on": "2026-03-02", "facts": facts},
                          load_rulebook("national"))
    found = evaluate_request(_fresh("national"), replace(plain, facts=Fresh(facts)),
                             as_of=AS_OF)
    assert found.reply == evaluate_request(_fresh("national"), plain, as_of=AS_OF).reply


def test_an_extension_of_40_and_one_of_40_0_are_remembered_apart() -> None:
    # The extension memo keys the length with its type: a request built in code may give
    # 40.0, which the message writes otherwise, whichever request was evaluated first.
    def request(amount: float) -> Request:
        plain = parse_request({"id": "E-1", "received_on": "2026-03-02", "events": [
            {"type": "extension_approved", "on": "2026-03-20", "amount": 40}]},
            load_rulebook("national"))
        event = replace(plain.events[0], amount=amount)
        return replace(plain, events=(event,))

    def message(book_id: str, *amounts: float) -> str:
        book = _fresh(book_id)
        out = [evaluate_request(book, request(a), as_of=AS_OF) for a in amounts]
        return next(v.en for v in out[-1].violations if v.code == "extension.too_long")

    assert message("national", 40.0) == message("national", 40, 40.0)
    assert "of 40.0 exceeds" in message("national", 40, 40.0)
    assert "of 40 exceeds" in message("national", 40.0, 40)


def test_a_consultation_window_is_remembered_with_its_calendar(tmp_path: Path) -> None:
    # The same consultation on the same book under another calendar object (SYNTHETIC:
    # 2026-03-10 given off) is not served the window the official calendar gave: 15 working
    # days from 2026-03-03 end on 03-24 (2026 notice, 国办发明电〔2025〕7号: no day off in
    # March), on 03-25 with 03-10 off.
    request = {"id": "W-1", "received_on": "2026-03-02",
               "events": [{"type": "third_party_consulted", "on": "2026-03-03"}]}
    book = _fresh("national")
    other = official_calendar(extra=[one_day_off_2026(tmp_path / "calendars", "2026-03-10")])

    def window(calendar: OfficialCalendar | None = None) -> Any:
        out = evaluate_request(book, request, as_of=date(2026, 3, 4), calendar=calendar)
        return out.deadlines["request.third_party_opinion"].due

    assert window() == date(2026, 3, 24)
    assert window(other) == date(2026, 3, 25)
    assert window() == date(2026, 3, 24)
