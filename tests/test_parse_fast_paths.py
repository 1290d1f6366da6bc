"""Parsing a request's fast paths (issue 12) give what the general path gave: the lean loop for
events of ``type`` and ``on`` alone, dates parsed only where given, facts checked against their
declared type only, and the schema checker's folded type checks.

The reference below is ``parse_request`` as it was before the fast paths (the schema's answer
taken from jsonschema): for any request dict, valid or not, both must return equal Requests or
raise the same problems, in the same order.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdisclose import RequestError, list_rulebooks, load_rulebook
from govdisclose._dates import located_date
from govdisclose._schema import compiled, iter_schema_problems, validator
from govdisclose._suggest import did_you_mean
from govdisclose._yaml import YamlDocument, load_yaml_text
from govdisclose.engine.request_dict import read_common
from govdisclose.engine.request_input import Request, RequestEvent, parse_request
from govdisclose.rulebook.events import REQUEST_EVENTS
from govdisclose.rulebook.vocabulary import EventRole

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from govdisclose.errors import Problem
    from govdisclose.rulebook.model import Rulebook

BOOKS = {b: load_rulebook(b) for b in list_rulebooks()}


# -- the reference: parse_request before the fast paths ----------------------------------------

def _reference_facts(book: Rulebook, facts: Mapping[str, Any], doc: YamlDocument,
                     path: tuple[str | int, ...]) -> list[Problem]:
    problems = []
    for name, value in facts.items():
        where = (*path, name)
        fact = book.facts.get(name)
        if fact is None:
            guess = [g] if (g := did_you_mean(name, book.facts)) else []
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            problems.append(doc.problem(where, "fact.unknown",
                                        f"规则集 {book.id} 未声明事实 {name!r}",
                                        f"rulebook {book.id} declares no fact {name!r}{hint}"))
            continue
        ok = {
            "boolean": isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "string": isinstance(value, str),
            "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
        }[fact.type]
        if ok and fact.type == "string" and fact.values is not None and value not in fact.values:
            ok = False
        if not ok:
            allowed = f"（可选：{', '.join(fact.values)}）" if fact.values else ""
            problems.append(doc.problem(where, "fact.type",
                                        f"事实 {name} 应为 {fact.type}"
                                        f"{'（元素为字符串）' if fact.type == 'list' else ''}"
                                        f"{allowed}，实际为 {value!r}",
                                        f"fact {name} must be a {fact.type}"
                                        + (" of strings" if fact.type == "list" else "")
                                        + (f" among {', '.join(fact.values)}" if fact.values else "")
                                        + f" (got {value!r})"))
    if "exemption_grounds" in facts and isinstance(facts["exemption_grounds"], list):
        for i, ground in enumerate(facts["exemption_grounds"]):
            if isinstance(ground, str) and ground not in book.exemptions:
                problems.append(doc.problem((*path, "exemption_grounds", i), "fact.ground",
                                            f"规则集 {book.id} 没有不予公开情形 {ground!r}",
                                            f"rulebook {book.id} has no exemption ground "
                                            f"{ground!r}; known: {', '.join(book.exemptions)}"))
    return problems


_FIELD_ROLES = {"reply_by": EventRole.SETS_DUE, "approved_by": EventRole.EXTENDS,
                "notified_on": EventRole.EXTENDS}


def _reference_event_fields(book: Rulebook, doc: YamlDocument, i: int, e: Mapping[str, Any],
                            on: date | None) -> list[Problem]:
    problems = []
    row = REQUEST_EVENTS.get(e["type"])
    for key, role in _FIELD_ROLES.items():
        if key in e and row is not None and row.role is not role:
            problems.append(doc.problem(("events", i, key), "event.field",
                                        f"{key} 不能记在 {e['type']} 事件上",
                                        f"{e['type']} does not carry {key}"))
    if row is not None and row.role is EventRole.SETS_DUE and "reply_by" not in e:
        problems.append(doc.problem(("events", i), "event.reply_by",
                                    f"{e['type']} 须写明所确定的答复日期（reply_by）",
                                    f"{e['type']} needs the date fixed (reply_by)"))
    who = e.get("approved_by")
    if who is not None and who not in book.roles:
        problems.append(doc.problem(("events", i, "approved_by"), "event.role",
                                    f"规则集 {book.id} 没有角色 {who!r}",
                                    f"rulebook {book.id} has no role {who!r}; known: "
                                    f"{', '.join(book.roles)}"))
    for key in ("reply_by", "notified_on"):
        text = e.get(key)
        if on is not None and isinstance(text, str) and text < on.isoformat():
            problems.append(doc.problem(("events", i, key), "event.field_early",
                                        f"{key}（{text}）早于事件之日（{on}）",
                                        f"{key} ({text}) is before the event ({on})"))
    return problems


def _reference(data: Any, book: Rulebook, doc: YamlDocument | None = None) -> Request:
    if doc is None or doc.data is not data:
        doc = YamlDocument(data, None, "<request>")
    problems: list[Problem] = list(doc.problems)
    if not problems and not validator("request").is_valid(data):
        problems.extend(iter_schema_problems("request", doc))  # jsonschema's error walk
        assert problems
    if problems:
        raise RequestError(problems)

    def day(path: tuple[str | int, ...], text: str | None) -> date | None:
        return located_date(doc, path, text, problems)

    events = []
    for i, e in enumerate(data.get("events", [])):
        on = day(("events", i, "on"), e["on"])
        if e.get("reply") is not None and e["reply"] not in book.replies:
            problems.append(doc.problem(("events", i, "reply"), "reply.unknown",
                                        f"规则集 {book.id} 没有答复类型 {e['reply']!r}",
                                        f"rulebook {book.id} has no reply type {e['reply']!r}"))
        due = day(("events", i, "supplement_due"), e.get("supplement_due"))
        if due is not None and on is not None and due < on:
            problems.append(doc.problem(("events", i, "supplement_due"), "supplement_due.early",
                                        f"补正期限 {due} 早于告知补正之日 {on}",
                                        f"the supplement period ends ({due}) before the notice "
                                        f"({on})"))
        sent = day(("events", i, "sent_on"), e.get("sent_on"))
        served = day(("events", i, "served_on"), e.get("served_on"))
        if (sent or served) and e["type"] in REQUEST_EVENTS \
                and REQUEST_EVENTS[e["type"]].role is not EventRole.REPLIES:
            problems.append(doc.problem(("events", i, "sent_on" if sent else "served_on"),
                                        "reply_date.not_a_reply",
                                        f"只有答复事件记录发出、送达之日（{e['type']} 不是答复）",
                                        f"only a reply records the days sent and served "
                                        f"({e['type']} is not a reply)"))
        for key, later, earlier, zh in (("sent_on", sent, on, "作出"),
                                        ("served_on", served, sent or on, "发出")):
            if later is not None and earlier is not None and later < earlier:
                problems.append(doc.problem(("events", i, key), "reply_date.early",
                                            f"{key}（{later}）早于答复{zh}之日（{earlier}）",
                                            f"{key} ({later}) is before the reply was "
                                            f"{'made' if zh == '作出' else 'sent'} ({earlier})"))
        problems.extend(_reference_event_fields(book, doc, i, e, on))
        if on is not None:
            events.append(RequestEvent(
                e["type"], on, i, e.get("amount"), e.get("reply"), e.get("consent"), due, sent,
                served, day(("events", i, "reply_by"), e.get("reply_by")), e.get("approved_by"),
                day(("events", i, "notified_on"), e.get("notified_on"))))
    facts = data.get("facts", {})
    problems.extend(_reference_facts(book, facts, doc, ("facts",)))
    applicant = data.get("applicant", {})
    request = Request(
        id=data["id"],
        received_on=day(("received_on",), data.get("received_on")),
        submitted_on=day(("submitted_on",), data.get("submitted_on")),
        signed_on=day(("signed_on",), data.get("signed_on")),
        confirmed_on=day(("confirmed_on",), data.get("confirmed_on")),
        channel=data.get("channel"),
        applicant_type=applicant.get("type"),
        applicant_category=applicant.get("category"),
        title=data.get("title"),
        events=tuple(events),
        facts=MappingProxyType(dict(facts)),
        registered_on=day(("registered_on",), data.get("registered_on")),
    )
    if problems:
        raise RequestError(problems)
    return request


def _outcome(parse: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """("ok", the Request) or ("error", its problems)."""
    try:
        return "ok", parse(*args, **kwargs)
    except RequestError as exc:
        return "error", tuple(exc.problems)


# -- request dicts, valid and not -----------------------------------------------------------

# dates as the schema's pattern lets through or not: impossible days, a trailing newline ($
# matches before it), digits of other scripts (\d), and plain mistakes
_DATES = st.sampled_from(["2026-03-02", "2026-03-09", "2026-02-28", "2026-04-30", "2025-12-31",
                          "2026-02-30", "2026-13-01", "2026-03-02\n", "0000-01-01",
                          "\u0662\u0660\u0662\u0666-03-01"])
_BAD_DATES = st.sampled_from(["2026-3-2", "x", "", "2026-03-02T10:00"])
_ODD = st.sampled_from([None, True, False, 0, 7, 1001, -3, 2.5, "", "x", [], ["a"], {},
                        "2026-03-02"])
#: each optional event field: values the schema allows (good or bad otherwise)
_EVENT_KEYS = {
    "amount": st.integers(1, 1000), "reply": st.sampled_from(["", "x"]),
    "consent": st.booleans(), "supplement_due": _DATES, "sent_on": _DATES,
    "served_on": _DATES, "reply_by": _DATES, "approved_by": st.sampled_from(["", "nobody"]),
    "notified_on": _DATES, "note": st.text(max_size=3)}
_TYPES = st.sampled_from(sorted(REQUEST_EVENTS))


def _maybe_bad(draw: st.DrawFn, sloppy: bool, good: Any, bad: Any) -> Any:
    """A draw of ``good``, or of ``bad`` (what the schema refuses) now and then when sloppy."""
    return draw(bad if sloppy and draw(st.integers(0, 5)) == 0 else good)


@st.composite
def _event(draw: st.DrawFn, book: Rulebook, sloppy: bool) -> Any:
    shape = draw(st.sampled_from(["lean", "lean", "lean", "fields", "fields", "subclass"]))
    event: dict[str, Any] = {"type": _maybe_bad(draw, sloppy, _TYPES, st.just("bogus")),
                             "on": _maybe_bad(draw, sloppy, _DATES, _BAD_DATES)}
    if sloppy and draw(st.integers(0, 7)) == 0:
        return draw(_ODD)
    if sloppy and draw(st.integers(0, 7)) == 0:
        del event[draw(st.sampled_from(["type", "on"]))]
    if shape in ("fields", "subclass"):
        keys = draw(st.lists(st.sampled_from(sorted(_EVENT_KEYS)), max_size=4, unique=True))
        for key in keys:
            event[key] = _maybe_bad(draw, sloppy, _EVENT_KEYS[key], _ODD)
        if "reply" in keys and draw(st.booleans()) and book.replies:
            event["reply"] = draw(st.sampled_from(sorted(book.replies)))
        if "approved_by" in keys and draw(st.booleans()) and book.roles:
            event["approved_by"] = draw(st.sampled_from(sorted(book.roles)))
        if sloppy and draw(st.integers(0, 5)) == 0:
            event["amout"] = 3
    if shape == "subclass":  # a dict built in Python, not a plain dict: the general path
        return OrderedDict(event)
    if draw(st.booleans()):  # the keys in the other order
        return dict(reversed(list(event.items())))
    return event


_FACT_VALUES = st.sampled_from([True, False, 1, 2.5, "x", "", [], ["third_party_rights"],
                                ["bogus", "third_party_rights"], [1], ["a", 2]])


@st.composite
def _requests(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    book_id = draw(st.sampled_from(sorted(BOOKS)))
    book = BOOKS[book_id]
    sloppy = draw(st.integers(0, 3)) == 0  # a quarter may break the schema, here and there
    data: dict[str, Any] = {"id": _maybe_bad(draw, sloppy, st.just("R-1"), st.sampled_from(["", 5]))}
    for key in ("received_on", "submitted_on", "signed_on", "confirmed_on", "registered_on"):
        if draw(st.integers(0, 3)) == 0:
            data[key] = _maybe_bad(draw, sloppy, _DATES, _BAD_DATES)
    if "received_on" not in data and draw(st.integers(0, 5)):
        data["received_on"] = "2026-03-02"
    if draw(st.booleans()):
        data["channel"] = _maybe_bad(draw, sloppy, st.sampled_from(["letter", "online"]),
                                     st.just("carrier pigeon"))
    if draw(st.integers(0, 3)) == 0:
        data["applicant"] = _maybe_bad(
            draw, sloppy, st.sampled_from([{}, {"type": "citizen"}, {"category": "other"}]),
            st.sampled_from([{"type": "x"}, "citizen"]))
    if draw(st.integers(0, 3)) == 0:
        data["title"] = _maybe_bad(draw, sloppy, st.just("信息"), st.just(3))
    if draw(st.integers(0, 5)):
        data["events"] = draw(st.lists(_event(book, sloppy), max_size=4))
    if draw(st.integers(0, 3)):
        names = sorted(book.facts)
        values = sorted({v for f in book.facts.values() for v in f.values or ()})
        data["facts"] = draw(st.dictionaries(
            st.sampled_from([*names[:12], "exemption_grounds", "exist", "unknown_fact"]),
            _FACT_VALUES | st.sampled_from([*values, "none"])
            | (st.sampled_from([None, {}, float("inf"), ("a",)]) if sloppy else st.nothing()),
            max_size=4))
    if sloppy and draw(st.integers(0, 9)) == 0:
        data["zz"] = 1
    return book_id, data


def _same(book: Rulebook, data: Any) -> None:
    expected = _outcome(_reference, data, book)
    assert _outcome(parse_request, data, book) == expected
    # the one-pass reader's yes is the general path's answer; its None leaves it to that path
    fast = read_common(data, book)
    assert fast is None or ("ok", fast) == expected
    check = compiled("request")
    assert check is not None and check(data) is bool(validator("request").is_valid(data))
    # the same document read from JSON text: located by line and column
    doc = load_yaml_text(json.dumps(data), "request.json")
    assert _outcome(parse_request, doc.data, book, doc=doc) == _outcome(
        _reference, doc.data, book, doc)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_requests())
def test_a_request_dict_parses_as_the_general_path_parsed_it(case: tuple[str, Any]) -> None:
    _same(BOOKS[case[0]], case[1])


NATIONAL = BOOKS["national"]
_FIXED = [  # each path of the lean loop, and its neighbours on the general one
    {"events": [{"type": "reply_date_fixed", "on": "2026-03-05"}]},
    {"events": [{"on": "2026-03-05", "type": "reply_date_fixed"},
                {"type": "replied", "on": "2026-02-30"}]},
    {"events": [{"type": "replied", "on": "2026-03-02\n"}, {"type": "replied", "on": "2026-03-20"}]},
    {"events": [{"type": "reply_date_fixed", "on": "2026-03-05", "reply_by": "2026-03-01"}]},
    {"events": [{"type": "replied", "on": "2026-03-20", "sent_on": "2026-03-19"}]},
    {"events": [{"type": "extension_approved", "on": "2026-03-20", "notified_on": "2026-02-30",
                 "approved_by": "nobody"}]},
    {"events": [OrderedDict(type="reply_date_fixed", on="2026-03-05")]},
    {"events": ["replied"]},
    {"events": [{"type": "replied"}]},
    {"received_on": "2026-02-30", "submitted_on": "2026-02-31", "registered_on": "x",
     "facts": {"exists": "yes", "separable": 1, "unknown_fact": True,
               "exemption_grounds": ["bogus", 3]}},
    {"facts": {"exists": True, "exemption_grounds": ("third_party_rights",)}},
]


@pytest.mark.parametrize("change", _FIXED, ids=range(len(_FIXED)))
def test_the_lean_and_general_paths_agree_on_chosen_requests(change: dict[str, Any]) -> None:
    _same(NATIONAL, {"id": "R-1", "received_on": "2026-03-02", **change})
