"""Requests (依申请公开) as validated, immutable input to the engine: a document or a dict
checked against the schema and the rulebook, every problem located and reported.  A valid
dict of the common shape is read in one pass instead (engine/request_dict.py)."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._dates import located_date
from .._schema import compiled, iter_schema_problems
from .._yaml import YamlDocument, load_yaml_file
from ..errors import Problem, RequestError
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.vocabulary import EventRole
from .request_dict import read_common
from .request_facts import check_facts, facts_clear
from .request_model import FIXES_REPLY_DATE, Request, RequestEvent

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date
    from pathlib import Path

    from ..rulebook.model import Rulebook

__all__ = ["Request", "RequestEvent", "check_facts", "check_request", "checked_input",
           "load_document", "parse_request"]


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
    if e["type"] in FIXES_REPLY_DATE and "reply_by" not in e:
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
    if doc is None and (request := read_common(data, book)) is not None:
        return request  # a valid dict of the common shape, read in one pass
    return check_request(data, book, doc)


def check_request(data: Any, book: Rulebook, doc: YamlDocument | None = None) -> Request:
    """:func:`parse_request`'s general path: every check of the schema and the rulebook, every
    problem located (where the one-pass reader has said no, or a document is given).

    Raises:
        RequestError: with every problem.
    """
    doc = checked_input(data, "request", doc)
    problems: list[Problem] = []
    events = []
    for i, e in enumerate(data.get("events", ())):
        if (event := _event(book, doc, i, e, problems)) is not None:
            events.append(event)
    facts = data.get("facts", _NO_FACTS)
    if facts and not facts_clear(book, facts):
        problems.extend(check_facts(book, facts, doc, ("facts",)))
    applicant = data.get("applicant", _NO_FACTS)
    received, submitted, signed, confirmed, registered = (
        located_date(doc, (key,), data.get(key), problems) for key in _REQUEST_DATES)
    if problems:
        raise RequestError(problems)
    return Request(data["id"], received, submitted, signed, confirmed, data.get("channel"),
                   applicant.get("type"), applicant.get("category"), data.get("title"),
                   tuple(events), MappingProxyType(dict(facts)), registered)


#: What ``facts`` or ``applicant`` is when absent: read, never written.
_NO_FACTS: Mapping[str, Any] = MappingProxyType({})
