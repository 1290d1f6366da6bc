"""Requests (依申请公开) as validated, immutable input to the engine."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._dates import located_date
from .._repr import FieldRepr
from .._schema import compiled, iter_schema_problems
from .._yaml import YamlDocument, load_yaml_file
from ..errors import Problem, RequestError
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.vocabulary import EventRole
from .request_facts import check_facts, facts_clear

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from ..rulebook.model import Rulebook

__all__ = ["Request", "RequestEvent", "check_facts", "checked_input", "load_document",
           "parse_request"]


#: Builds an instance without running ``__init__`` (see the ``_fast`` constructors).
_new = object.__new__
_set = object.__setattr__


# Frozen dataclasses without __slots__: the frozen __init__ sets each field through
# object.__setattr__, and a parsed request has a dozen fields per event; a plain instance
# dictionary lets the parser fill them at once (``_fast``), as periods/counting.py's Deadline
# does.  They are as immutable as any frozen dataclass.
@dataclass(frozen=True, repr=False)
class RequestEvent(FieldRepr):
    """One thing that happened to a request; ``index`` is its position in the input."""

    type: str
    on: date
    index: int
    amount: int | None = None
    reply: str | None = None
    consent: bool | None = None
    #: supplement_requested: the last day of the supplement period the notice gave
    supplement_due: date | None = None
    #: replied: the day the reply was sent (发出) and served (送达), when recorded; ``on`` is
    #: the day it was made (作出)
    sent_on: date | None = None
    served_on: date | None = None
    #: reply_date_fixed: the later reply date fixed and told the applicant
    reply_by: date | None = None
    #: extension_approved: who approved it (a role key) and the day the applicant was told
    approved_by: str | None = None
    notified_on: date | None = None

    @classmethod
    def _fast(cls, type: str, on: date, index: int, amount: int | None,
              reply: str | None, consent: bool | None, supplement_due: date | None,
              sent_on: date | None, served_on: date | None, reply_by: date | None,
              approved_by: str | None, notified_on: date | None) -> RequestEvent:
        """Every field, in order, without the frozen ``__init__``'s per-field
        ``object.__setattr__`` (the parser builds one per event; tests hold the two equal)."""
        event: RequestEvent = _new(cls)
        _set(event, "__dict__", {
            "type": type, "on": on, "index": index, "amount": amount, "reply": reply,
            "consent": consent, "supplement_due": supplement_due, "sent_on": sent_on,
            "served_on": served_on, "reply_by": reply_by, "approved_by": approved_by,
            "notified_on": notified_on})
        return event

    @classmethod
    def _bare(cls, type: str, on: date, index: int) -> RequestEvent:
        """An event with no field but its type and day (most events parsed, most ledger rows'):
        a copy of the fields' defaults with the three set (tests hold it equal to ``__init__``'s)."""
        event: RequestEvent = _new(cls)
        values = _BARE_FIELDS.copy()
        values["type"] = type
        values["on"] = on
        values["index"] = index
        _set(event, "__dict__", values)
        return event


#: A bare event's instance dictionary before its type, day and index are set.
_BARE_FIELDS = {f.name: f.default for f in fields(RequestEvent)}


@dataclass(frozen=True, repr=False)
class Request(FieldRepr):
    id: str
    received_on: date | None
    submitted_on: date | None
    signed_on: date | None
    confirmed_on: date | None
    channel: str | None
    applicant_type: str | None
    applicant_category: str | None
    title: str | None
    events: tuple[RequestEvent, ...]
    facts: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    registered_on: date | None = None  # 登记之日, where a book counts from registration

    @classmethod
    def _fast(cls, id: str, received_on: date | None, submitted_on: date | None,
              signed_on: date | None, confirmed_on: date | None, channel: str | None,
              applicant_type: str | None, applicant_category: str | None, title: str | None,
              events: tuple[RequestEvent, ...], facts: Mapping[str, Any],
              registered_on: date | None) -> Request:
        """Every field, in order, without the frozen ``__init__``'s per-field
        ``object.__setattr__`` (one per request parsed; tests hold the two equal)."""
        request: Request = _new(cls)
        _set(request, "__dict__", {
            "id": id, "received_on": received_on, "submitted_on": submitted_on,
            "signed_on": signed_on, "confirmed_on": confirmed_on, "channel": channel,
            "applicant_type": applicant_type, "applicant_category": applicant_category,
            "title": title, "events": events, "facts": facts, "registered_on": registered_on})
        return request


def load_document(path: Path) -> YamlDocument:
    """Read a JSON or YAML input file, keeping line numbers (JSON is read as YAML)."""
    doc = load_yaml_file(path)
    if doc.problems and path.suffix == ".json":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return doc  # the YAML reader's problem already says why the file cannot be read
        try:
            json.loads(text)
        except ValueError as exc:
            return YamlDocument(None, None, str(path), (Problem(
                "json.syntax", f"JSON 语法错误：{exc}", f"JSON syntax error: {exc}", str(path)),))
    return doc


def checked_input(data: Any, schema: str, doc: YamlDocument | None) -> YamlDocument:
    """The document of ``data`` (kept when given, for line numbers), checked against
    ``schemas/<schema>.schema.json``.

    Plain data (a dict passed in) is validated as it is, with no round trip through text: its
    problems are located by JSON path, with no line, in the file ``<schema>``.

    Raises:
        RequestError: with every schema problem.
    """
    if doc is None or doc.data is not data:
        doc = YamlDocument.of_data(data, f"<{schema}>")
    if not doc.problems and (check := compiled(schema)) is not None and check(data):
        return doc  # valid, the common case: no walk for problems (as in iter_schema_problems)
    problems = list(doc.problems)
    if not problems:
        problems.extend(iter_schema_problems(schema, doc))
    if problems:
        raise RequestError(problems)
    return doc


#: The event types that fix a reply date (and so need ``reply_by``), read once from the table.
_SETS_DUE = frozenset(t for t, row in REQUEST_EVENTS.items() if row.role is EventRole.SETS_DUE)
#: event field -> the role of the event table that may carry it
_FIELD_ROLES = {"reply_by": EventRole.SETS_DUE, "approved_by": EventRole.EXTENDS,
                "notified_on": EventRole.EXTENDS}


def _no_reply_by(doc: YamlDocument, i: int, kind: str) -> Problem:
    """A reply date fixing event (``kind``) that does not give the date fixed."""
    return doc.problem(("events", i), "event.reply_by",
                       f"{kind} 须写明所确定的答复日期（reply_by）",
                       f"{kind} needs the date fixed (reply_by)")


def _event_fields(book: Rulebook, doc: YamlDocument, i: int, e: Mapping[str, Any],
                  on: date | None) -> list[Problem]:
    """The fields only some events carry: on the right event, a known role, not before the
    event; a reply date fixing event needs its date."""
    problems = []
    row = REQUEST_EVENTS.get(e["type"])
    for key, role in _FIELD_ROLES.items():
        if key in e and row is not None and row.role is not role:
            problems.append(doc.problem(("events", i, key), "event.field",
                                        f"{key} 不能记在 {e['type']} 事件上",
                                        f"{e['type']} does not carry {key}"))
    if e["type"] in _SETS_DUE and "reply_by" not in e:
        problems.append(_no_reply_by(doc, i, e["type"]))
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


def _event(book: Rulebook, doc: YamlDocument, i: int, e: Mapping[str, Any],
           problems: list[Problem]) -> RequestEvent | None:
    """The event ``e`` (``events[i]``) with every field it may carry, checked; None when its
    day is not a date (a problem says why)."""
    def day(path: tuple[str | int, ...], text: str | None) -> date | None:
        return located_date(doc, path, text, problems)

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
    problems.extend(_event_fields(book, doc, i, e, on))
    if on is None:
        return None
    return RequestEvent._fast(
        e["type"], on, i, e.get("amount"), e.get("reply"), e.get("consent"), due, sent,
        served, day(("events", i, "reply_by"), e.get("reply_by")), e.get("approved_by"),
        day(("events", i, "notified_on"), e.get("notified_on")))


#: The request's own dates, in the order their problems are reported.
_REQUEST_DATES = ("received_on", "submitted_on", "signed_on", "confirmed_on", "registered_on")


def parse_request(data: Any, book: Rulebook, *, doc: YamlDocument | None = None) -> Request:
    """Validate ``data`` (already parsed JSON/YAML) against the schema and the rulebook.

    Raises:
        RequestError: with every problem, located when ``doc`` carries positions.
    """
    if doc is not None or (check := compiled("request")) is None or not check(data):
        doc = checked_input(data, "request", doc)
    # else a valid dict: its document is made only to locate a problem (_located)
    problems: list[Problem] = []
    events = []
    for i, e in enumerate(data.get("events", ())):
        if type(e) is dict and len(e) == 2:
            # The common event: ``type`` and ``on`` alone (the schema requires both and allows
            # no other key), so of the checks in _event only the date of ``on`` and a missing
            # reply_by can fire; a plain dict, so its keys are what len() counts.
            kind = e["type"]
            try:
                on: date | None = _day(e["on"])
            except ValueError:
                doc = _located(doc, data)
                on = located_date(doc, ("events", i, "on"), e["on"], problems)
            if kind in _SETS_DUE:
                doc = _located(doc, data)
                problems.append(_no_reply_by(doc, i, kind))
            if on is not None:  # (RequestEvent._bare, inline: one call fewer per event)
                values = _BARE_FIELDS.copy()
                values["type"] = kind
                values["on"] = on
                values["index"] = i
                event = _new(RequestEvent)
                _set(event, "__dict__", values)
                events.append(event)
        else:  # an event with other fields: every check of _event
            doc = _located(doc, data)
            if (full := _event(book, doc, i, e, problems)) is not None:
                events.append(full)
    facts = data.get("facts", _NO_FACTS)
    if facts and not facts_clear(book, facts):
        doc = _located(doc, data)
        problems.extend(check_facts(book, facts, doc, ("facts",)))
    applicant = data.get("applicant", _NO_FACTS)
    # The request's fields (Request._fast, inline: one call fewer per request), its dates None
    # until given: an absent one is not parsed and has no problem.
    values = {
        "id": data["id"], "received_on": None, "submitted_on": None, "signed_on": None,
        "confirmed_on": None, "channel": data.get("channel"),
        "applicant_type": applicant.get("type"), "applicant_category": applicant.get("category"),
        "title": data.get("title"), "events": tuple(events),
        "facts": MappingProxyType(dict(facts)), "registered_on": None}
    for key in _REQUEST_DATES:
        text = data.get(key)
        if text is not None:
            try:
                values[key] = _day(text)
            except ValueError:
                doc = _located(doc, data)
                values[key] = located_date(doc, (key,), text, problems)
    request = _new(Request)
    _set(request, "__dict__", values)
    if problems:
        raise RequestError(problems)
    return request


#: An ISO date's day (only ``located_date`` reports a text that is not one).
_day = date.fromisoformat
#: What ``facts`` or ``applicant`` is when absent: read, never written.
_NO_FACTS: Mapping[str, Any] = MappingProxyType({})


def _located(doc: YamlDocument | None, data: Any) -> YamlDocument:
    """The document problems are located in: ``doc``, or one of the dict ``data`` (located by
    JSON path), made when first needed (the caller keeps it for the next problem)."""
    return doc if doc is not None else YamlDocument.of_data(data, "<request>")
