"""Issue 9, the data-model half: one table per vocabulary, limits judged by what discharges them,
counting rules and the remedies sentence as cited, dated data, rules selected by date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from govdisclose import RequestError, RulebookError, compute_deadline, load_rulebook
from govdisclose._paths import schemas_dir
from govdisclose.engine.items import evaluate_item
from govdisclose.engine.limits import counting_basis, limit_deadline
from govdisclose.engine.requests import evaluate_request
from govdisclose.errors import LimitNotInForceError
from govdisclose.ledgers.reading import COLUMNS, FIELD_COLUMNS
from govdisclose.rulebook import vocabulary as v
from govdisclose.rulebook.dated import effective_dates, latest_effective_date
from govdisclose.rulebook.events import REQUEST_EVENTS
from govdisclose.testing.strategies import PAUSE_KINDS


def _schema(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((schemas_dir() / f"{name}.schema.json").read_text(
        encoding="utf-8"))
    return result


def _at(node: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


# -- the request event table ------------------------------------------------------------------


def test_event_table_matches_the_request_schema_the_ledger_and_the_strategies() -> None:
    schema_enum = _at(_schema("request"), "properties/events/items/properties/type/enum")
    assert list(REQUEST_EVENTS) == schema_enum
    ledger = {r.ledger_column: (r.ledger_column, *r.ledger_headers)
              for r in REQUEST_EVENTS.values() if r.ledger_column}
    assert {k: COLUMNS[k] for k in ledger} == ledger
    assert set(COLUMNS) - set(ledger) == {"id", "received_on", "applicant_type", "outcome",
                                          *(f.column for f in FIELD_COLUMNS)}
    assert tuple(str(r.pause) for r in REQUEST_EVENTS.values() if r.pause) == PAUSE_KINDS
    # the engine finds a pausing row's events among the record's events of role PAUSES
    # (engine/request_deadlines.py's windows), and a pause's end among those of role CLOSES
    # (engine/request_events.py)
    assert all(r.role is v.EventRole.PAUSES for r in REQUEST_EVENTS.values() if r.pause)
    # one row per rulebook event: a row's event recorded makes its own fact True
    # (engine/request_events.py's record)
    events = [r.book_event for r in REQUEST_EVENTS.values()]
    assert len(set(events)) == len(events)
    assert all(REQUEST_EVENTS[r.closes].role is not v.EventRole.PAUSES
               or r.role is v.EventRole.CLOSES for r in REQUEST_EVENTS.values() if r.closes)


def test_every_event_row_names_what_the_national_book_declares() -> None:
    book = load_rulebook("national")
    for row in REQUEST_EVENTS.values():
        assert row.book_event in book.events, row.type
        assert row.closes is None or row.closes in REQUEST_EVENTS, row.type
        assert row.fact is None or book.facts[row.fact].type == "boolean", row.type
        if row.pause is not None and row.pause is not v.PauseKind.SUSPENSION:
            # the window of a consultation is the limit whose pause_window_for names it
            assert any(lim.pause_window_for == row.pause for lim in book.limits.values())


# -- limits judged by done_by -----------------------------------------------------------------


def test_national_limits_declare_what_discharges_them() -> None:
    book = load_rulebook("national")
    reply = book.limits["request.reply"]
    assert reply.about is v.LimitAbout.REQUEST
    assert reply.done_by is not None
    assert (reply.done_by.event, reply.done_by.late, reply.done_by.overdue) == (
        "request.replied", "reply.late", "reply.overdue")
    # a child restating request.reply keeps what discharges it
    assert load_rulebook("huadian").limits["request.reply"].done_by == reply.done_by


def _book(tmp_path: Path, limits: str, events: str = "", name: str = "demo") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"""\
id: {name}
name: 示例区
extends: national
sources:
  demo-rules: {{title: 示例区政府信息公开办法, number: null, date: null}}
events:
  item.issued: {{label: 印发之日}}
{events}limits:
{limits}""", encoding="utf-8")
    return path


def test_a_string_done_by_judges_late_and_overdue_with_generic_codes(tmp_path: Path) -> None:
    book = load_rulebook(_book(tmp_path, """\
  item.transfer_to_publisher:
    label: 移交发布
    about: item
    done_by: item.published
    values:
      - {amount: 2, unit: working_days, from: item.issued, cite: {source: demo-rules, article: 第三条}}
"""))
    # 2026 notice: no holiday in early June. Issued Mon 06-01 -> due Wed 06-03.
    late = evaluate_item(book, {"id": "1", "title": "t", "attribute": "on_request",
                                "issued_on": "2026-06-01", "published_on": "2026-06-05"})
    assert [x.code for x in late.violations] == ["item.transfer_to_publisher.late"]
    missing = evaluate_item(book, {"id": "1", "title": "t", "attribute": "on_request",
                                   "issued_on": "2026-06-01"}, as_of=date(2026, 6, 4))
    assert [x.code for x in missing.violations] == ["item.transfer_to_publisher.overdue"]


def test_a_from_event_no_evaluation_records_is_a_load_error(tmp_path: Path) -> None:
    limits = """\
  request.acknowledge:
    label: 出具回执
    about: request
    values:
      - {amount: 2, unit: working_days, from: request.logged, cite: {source: demo-rules, article: 第三条}}
"""
    with pytest.raises(RulebookError) as caught:
        load_rulebook(_book(tmp_path, limits, "  request.logged: {label: 登记之日}\n"))
    assert [p.code for p in caught.value.problems] == ["limit.event_not_supplied"]
    # with a fallback the evaluation records, it loads, and the trace says what it counted from
    ok = load_rulebook(_book(tmp_path, limits, "  request.logged: {label: 登记之日, otherwise: "
                                               "request.received}\n", name="demo2"))
    out = evaluate_request(ok, {"id": "1", "received_on": "2026-06-01"}, as_of=date(2026, 6, 2))
    assert out.deadlines["request.acknowledge"].due == date(2026, 6, 3)
    assert any(t.code == "event.otherwise" for t in out.trace)


def test_a_reply_period_that_cannot_start_is_an_error_that_says_why(tmp_path: Path) -> None:
    # A book may count its reply period from an event the request does not give, or have no
    # value in force on the day that event falls: no due date can be reckoned, and the error
    # names the cause (it was a bare KeyError).
    registered = "  request.registered: {label: 登记之日}\n"
    book = load_rulebook(_book(tmp_path, """\
  request.reply:
    label: 答复
    about: request
    values:
      - {amount: 15, unit: working_days, from: request.registered,
         cite: {source: demo-rules, article: 第三条}}
""", registered))
    with pytest.raises(RequestError) as caught:
        evaluate_request(book, {"id": "1", "received_on": "2026-06-01"}, as_of=date(2026, 6, 30))
    assert [p.code for p in caught.value.problems] == ["reply.no_start"]
    assert "登记之日" in caught.value.problems[0].message_zh
    # Registered Tue 06-02: 15 working days end Wed 06-24 (端午 19-21 June off, 国务院办公厅关于
    # 2026年部分节假日安排的通知); the regulation's 20 from receipt (Mon 06-01) end Tue 06-30,
    # later: the book's date applies.
    out = evaluate_request(book, {"id": "1", "received_on": "2026-06-01",
                                  "registered_on": "2026-06-02"}, as_of=date(2026, 6, 30))
    assert out.deadlines["request.reply"].due == date(2026, 6, 24)
    # A gap between two values: registered in it, the period is not in force on that day —
    # said for the registration day, not the receipt day (which a value covers).
    gap = load_rulebook(_book(tmp_path, """\
  request.reply:
    label: 答复
    about: request
    values:
      - {amount: 15, unit: working_days, from: request.registered, valid_until: "2026-03-31",
         cite: {source: demo-rules, article: 第三条}}
      - {amount: 12, unit: working_days, from: request.registered, valid_from: "2026-05-01",
         cite: {source: demo-rules, article: 第四条}}
""", "  request.registered: {label: 登记之日, otherwise: request.received}\n", name="gap"))
    with pytest.raises(LimitNotInForceError) as not_in_force:
        evaluate_request(gap, {"id": "1", "received_on": "2026-03-30",
                               "registered_on": "2026-04-10"}, as_of=date(2026, 6, 30))
    assert not_in_force.value.on == date(2026, 4, 10)


def test_huadian_counts_from_registration_when_it_is_recorded() -> None:
    # 2026 notice: 国庆 10-01..07 off, 10-10 (Sat) worked.  Registered Tue 09-29: 09-30 = 1;
    # 10-08, 09 = 3; 10-10 = 4; 10-12..16 = 9; 10-19..23 = 14; 10-26 = 15.
    out = evaluate_request("huadian", {"id": "1", "received_on": "2026-09-28",
                                       "registered_on": "2026-09-29"}, as_of=date(2026, 9, 30))
    assert out.deadlines["request.reply"].due == date(2026, 10, 26)
    assert not any(t.code == "event.otherwise" for t in out.trace)


def test_huadian_registered_after_the_supplement_counts_from_registration() -> None:
    # Received Mon 2026-03-02, notice to supplement 03-03, the supplemented request received
    # Tue 03-10 (条例 2019 第三十条: the regulation's period counts from then), registered
    # after it.  2026 notice (国务院办公厅关于2026年部分节假日安排的通知): 清明 4-6 April off.
    events = [{"type": "supplement_requested", "on": "2026-03-03"},
              {"type": "supplement_received", "on": "2026-03-10"}]
    # Registered Wed 03-11: 桦甸's 15 working days from it, 03-12 = 1, 03-13 = 2, 03-16..20 = 7,
    # 03-23..27 = 12, 03-30, 31 = 14, Wed 04-01 = 15 — earlier than the regulation's 20 from
    # 03-10 (Wed 04-08, below): 桦甸's date applies, and the trace says the supplement, received
    # before registration, moves nothing.  (It was an ArgumentError: restart before the start.)
    out = evaluate_request("huadian", {"id": "1", "received_on": "2026-03-02",
                                       "registered_on": "2026-03-11", "events": events},
                           as_of=date(2026, 4, 30))
    reply = out.deadlines["request.reply"]
    assert reply.due == date(2026, 4, 1)
    assert [t.code for t in reply.head] == ["supplement.before_start"]
    # Registered Fri 03-20: 桦甸's 15 end Mon 04-13 (03-23..27 = 5, 03-30..04-03 = 10,
    # 04-07..10 = 14, 04-13 = 15); the regulation's 20 from 03-10 end Wed 04-08 (03-11..13 = 3,
    # 03-16..20 = 8, 03-23..27 = 13, 03-30..04-03 = 18, 04-07 = 19, 04-08 = 20): higher law.
    out = evaluate_request("huadian", {"id": "1", "received_on": "2026-03-02",
                                       "registered_on": "2026-03-20", "events": events},
                           as_of=date(2026, 4, 30))
    reply = out.deadlines["request.reply"]
    assert reply.due == date(2026, 4, 8)
    assert [t.code for t in reply.head].count("higher_law") == 1


# -- counting rules and remedies as data ------------------------------------------------------


def test_trace_cites_the_counting_rules_of_the_book() -> None:
    book = load_rulebook("national")
    deadline = limit_deadline(book, "request.reply", date(2026, 9, 28))
    steps = {t.code: t.basis for t in deadline.trace}
    start = book.counting[v.CountingRuleKind.START_NOT_COUNTED].basis_on(date(2026, 9, 28))
    assert start is not None
    assert steps["count.start"] == start.text == "；".join(c.text for c in start.cites)
    assert counting_basis(book, date(2026, 9, 28)).start == start.text


def test_without_a_book_the_arithmetic_cites_nothing() -> None:
    deadline = compute_deadline(date(2026, 9, 28), 20, "working_days")
    assert deadline.due == date(2026, 10, 30)
    assert all(t.basis is None for t in deadline.trace if t.code == "count.start")


def test_remedies_sentence_comes_from_the_book() -> None:
    book = load_rulebook("national")
    out = evaluate_request(book, {"id": "1", "received_on": "2026-03-02",
                                  "facts": {"exists": False}}, as_of=date(2026, 3, 3))
    remedy = book.remedy(date(2026, 3, 2))
    assert out.reply is not None and remedy is not None
    assert out.reply.contents[-1] == f"{remedy.text}（{remedy.basis.text}）"


# -- rules in force on the receipt date -------------------------------------------------------


def test_a_2015_request_is_judged_under_the_2008_regulation() -> None:
    # 国务院办公厅关于2015年部分节假日安排的通知（国办发明电〔2014〕28号, tests/data/notices/2015.txt）:
    # 中秋 09-27 (Sun); 国庆 10-01..07 off, 10-10 (Sat) worked.  Received Tue 2015-09-22, 15 working
    # days (2008 第二十四条): 09-23..25 = 3; 09-26, 27 off; 09-28..30 = 6; 10-01..07 off;
    # 10-08, 09 = 8; 10-10 (Sat) = 9; 10-12..16 = 14; 10-19 = 15.  The third party consulted
    # 10-12 and answered 10-14 removes (10-12, 10-14] = 2 working days: 10-20, 10-21.
    out = evaluate_request("national", {
        "id": "2015-1", "received_on": "2015-09-22",
        "events": [{"type": "third_party_consulted", "on": "2015-10-12"},
                   {"type": "third_party_replied", "on": "2015-10-14"}],
        "facts": {"exists": False}}, as_of=date(2015, 11, 2))
    reply = out.deadlines["request.reply"]
    assert (reply.amount, reply.original_due, reply.due) == (15, date(2015, 10, 21),
                                                            date(2015, 10, 21))
    assert [c.document.number for c in reply.sources] == ["国务院令第492号"]
    text = json.dumps(out.to_json(), ensure_ascii=False)
    assert "国务院令第711号" not in text  # never a 2019 article for a 2015 request
    assert "民法典" not in text  # the Civil Code applies from 2021
    steps = {t.code: t.basis or "" for t in reply.trace}
    assert steps["count.start"].startswith("待法律审核")
    assert "国务院令第492号" in steps["pause"]
    assert out.reply is None  # the 2008 decision rules are not encoded: no 2019 rule applies
    assert out.steps == ()  # nor the 2019 workflow


def test_a_2015_request_by_channel_needs_its_receipt_date() -> None:
    with pytest.raises(RequestError) as caught:
        evaluate_request("national", {"id": "1", "submitted_on": "2015-09-22",
                                      "channel": "in_person"}, as_of=date(2015, 10, 1))
    assert [p.code for p in caught.value.problems] == ["receipt.not_in_force"]


def test_effective_dates_come_from_every_dated_rule() -> None:
    book = load_rulebook("national")
    assert effective_dates(book) == (date(2008, 5, 1), date(2019, 5, 15))
    assert latest_effective_date(book) == date(2019, 5, 15)


# -- closed vocabularies ----------------------------------------------------------------------

SCHEMA_ENUMS = [
    ("rulebook", "properties/level/enum", v.Level),
    ("rulebook", "properties/attributes/propertyNames/enum", v.Attribute),
    ("rulebook", "$defs/Period/properties/unit/enum", v.Unit),
    ("rulebook", "$defs/Limit/properties/pause_window_for/enum",
     [v.PauseKind.THIRD_PARTY, v.PauseKind.INTERAGENCY]),
    ("rulebook", "$defs/Limit/properties/about/enum", v.LimitAbout),
    ("rulebook", "$defs/Schedule/properties/every/enum", v.ScheduleEvery),
    ("rulebook", "$defs/Schedule/properties/covers/enum", v.ScheduleCovers),
    ("rulebook", "$defs/Fact/properties/type/enum", v.FactType),
    ("rulebook", "$defs/Exemption/properties/strength/enum", v.Strength),
    ("rulebook", "$defs/Exemption/properties/overrides/items/enum", v.ExemptionOverride),
    ("rulebook", "$defs/Requirement/properties/applies_to/enum", v.AppliesTo),
    ("rulebook", "$defs/ReceiptRule/properties/channels/items/enum", v.Channel),
    ("rulebook", "$defs/ReceiptRule/properties/received_on/enum", v.ReceiptDateField),
    ("rulebook", "$defs/Provision/properties/relation/enum", v.ProvisionRelation),
    ("request", "properties/channel/enum", v.Channel),
    ("request", "properties/applicant/properties/type/enum", v.ApplicantType),
    ("request", "properties/applicant/properties/category/enum", v.ApplicantCategory),
    ("item", "properties/attribute/enum", v.Attribute),
    ("outcome", "$defs/Status/properties/state/enum", v.RequestState),
    ("case", "$defs/Case/properties/expect/properties/state/enum", v.RequestState),
    *[("rulebook", f"properties/policies/properties/{key}/properties/value/enum", vocab)
      for key, vocab in v.POLICIES.items()],
    ("rulebook", "properties/counting/properties", v.CountingRuleKind),
]


@pytest.mark.parametrize(("schema", "pointer", "vocabulary"), SCHEMA_ENUMS,
                         ids=[f"{s}:{p}" for s, p, _ in SCHEMA_ENUMS])
def test_schema_enums_are_the_vocabularies(schema: str, pointer: str, vocabulary: Any) -> None:
    assert list(_at(_schema(schema), pointer)) == [str(m.value) for m in vocabulary]


def test_a_misspelt_policy_value_fails_the_schema(tmp_path: Path) -> None:
    path = _book(tmp_path, "").with_suffix(".yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("limits:\n", "") + """\
policies:
  third_party_silence: {value: deemed_consnt, cite: {source: demo-rules, article: 第六条}}
""", encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(path)
    assert [p.code for p in caught.value.problems] == ["schema.enum"]


def test_request_state_is_an_enum_with_unchanged_json() -> None:
    out = evaluate_request("national", {"id": "1", "received_on": "2026-03-02"},
                           as_of=date(2026, 3, 3))
    assert out.status.state is v.RequestState.OPEN
    assert out.to_json()["status"]["state"] == "open"
    assert f"{out.status.state}" == "open" and v.RequestState.OPEN.zh == "办理中"


def test_every_declared_fact_is_read() -> None:
    """No dead data (issue 10, point 13): a fact a book declares is read by a condition of some
    book or by the engine (its name appears in the package's code)."""
    import re

    from govdisclose.rulebook.loading import list_rulebooks, load_rulebook

    rules = Path(__file__).resolve().parents[1] / "rules"
    src = Path(__file__).resolve().parents[1] / "src" / "govdisclose"
    texts = "\n".join(p.read_text(encoding="utf-8") for p in rules.glob("*.yaml"))
    code = "\n".join(p.read_text(encoding="utf-8") for p in src.rglob("*.py"))
    read = set(re.findall(r"fact: ([a-z_]+)", texts))
    unread = sorted({(book_id, name) for book_id in list_rulebooks()
                     for name in load_rulebook(book_id).facts
                     if name not in read and f'"{name}"' not in code})
    assert unread == []
