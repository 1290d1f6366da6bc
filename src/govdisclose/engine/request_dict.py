"""A request dict of the common shape read in one pass: the fast yes of
:func:`~govdisclose.engine.request_input.parse_request`.

The general path checks a dict against the schema (the compiled checker walks all of it) and
then reads it again, checking it against the rulebook.  Most dicts an integrator passes have
one shape: an id, a few dates, events of a ``type`` and an ``on`` (with a reply type, a
note), facts of the book's types.  :func:`read_common` reads such a dict once, checking as it
goes what the schema and the rulebook checks would, and answers None at the first thing it
does not handle or that is not valid.  The caller then takes the general path, which reports
every problem; so a None is never an answer, only a "not here".

Its vocabularies — the top-level keys, the date pattern, the event types, channels and
applicant values — are read from ``schemas/request.schema.json`` itself, not restated.  What a
yes must be is the general path's answer for the same dict: ``tests/test_parse_fast_paths.py``
holds the two equal on hypothesis dicts, valid and not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from .._schema import load_schema
from .._schema_checker import ANNOTATIONS
from .request_facts import facts_clear
from .request_model import _BARE_FIELDS, FIXES_REPLY_DATE, Request, RequestEvent

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..rulebook.model import Rulebook

__all__ = ["DAYS_BOUND", "read_common"]

_new = object.__new__
_set = object.__setattr__

#: How many date texts the reader remembers as valid, with their day: the first ones read, a
#: bound whatever the input (a long run of requests meets the same few hundred days again and
#: again; a text read after the bound is checked each time, never wrongly).
DAYS_BOUND = 4096


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Shape(FieldRepr):
    """What the schema allows of the common shape, read from it once."""

    #: the top-level keys the schema declares (it allows no other)
    keys: frozenset[str]
    #: the request's dates (keys whose value is a date text)
    date_keys: frozenset[str]
    #: the date pattern's search (every date of the request schema has the one pattern)
    day_pattern: Callable[[str], object]
    #: the shortest id
    id_min: int
    channels: frozenset[str]
    applicant_types: frozenset[str]
    applicant_categories: frozenset[str]
    #: the event types an event read here may have (with at most a reply type and a note: not
    #: one that must also give ``reply_by``)
    bare_types: frozenset[str]


#: What the reader restates of each part of the schema it reads, by path: the part's keywords
#: (those that only annotate aside, as the schema checker sets them aside), with the value of
#: those it does not read from the schema.  A keyword added there (a ``maxLength``, a
#: ``format``) or a value changed would be a check the reader does not make: it refuses to
#: run rather than accept what the schema refuses.
_RESTATED: dict[tuple[str, ...], dict[str, Any]] = {
    (): {"type": "object", "additionalProperties": False,
         "required": ["id"], "properties": ...,
         "anyOf": [{"required": ["received_on"]}, {"required": ["submitted_on", "channel"]}]},
    ("id",): {"type": "string", "minLength": ...},
    ("channel",): {"enum": ...},
    ("title",): {"type": "string"},
    ("applicant",): {"type": "object", "additionalProperties": False, "properties": ...},
    ("applicant", "type"): {"enum": ...},
    ("applicant", "category"): {"enum": ...},
    ("events",): {"type": "array", "items": ...},
    ("events", "items"): {"type": "object", "additionalProperties": False,
                          "required": ["type", "on"], "properties": ...},
    ("events", "type"): {"enum": ...},
    ("events", "reply"): {"type": "string"},
    ("events", "note"): {"type": "string"},
    ("facts",): {"type": "object",
                 "additionalProperties": {"type": ["boolean", "string", "number", "array"]}},
}


def _restated(schema: dict[str, Any], dates: tuple[str, ...]) -> None:
    """Raise unless each part the reader reads is as :data:`_RESTATED` says (and each date is
    a string of the one date pattern)."""
    top, event = schema["properties"], schema["properties"]["events"]["items"]
    parts: dict[tuple[str, ...], Any] = {
        (): schema, ("events", "items"): event,
        **{(key,): top[key] for key in ("id", "channel", "title", "applicant", "events", "facts")},
        **{("applicant", key): top["applicant"]["properties"][key] for key in ("type", "category")},
        **{("events", key): event["properties"][key] for key in ("type", "reply", "note")}}
    expected = dict(_RESTATED)
    pattern = top[dates[0]]["pattern"] if dates else None
    for key in dates:
        parts[(key,)] = top[key]
        expected[(key,)] = {"type": "string", "pattern": pattern}
    parts[("events", "on")] = event["properties"]["on"]
    expected[("events", "on")] = {"type": "string", "pattern": pattern}
    for path, part in parts.items():
        found = {k: v for k, v in part.items() if k not in ANNOTATIONS}
        want = expected[path]
        if found.keys() != want.keys() or any(
                v is not ... and found[k] != v for k, v in want.items()):
            raise AssertionError(f"request.schema.json at {'/'.join(path) or '/'}: the one-pass "
                                 f"reader (engine/request_dict.py) restates {want}, the schema "
                                 f"says {found}")


def _shape() -> _Shape:
    """The common shape, from the schema (on first use: importing the package reads no
    schema)."""
    schema = load_schema("request")
    top = schema["properties"]
    dates = tuple(key for key, prop in top.items() if "pattern" in prop)
    _restated(schema, dates)
    event = schema["properties"]["events"]["items"]
    applicant = top["applicant"]["properties"]
    _SHAPES.append(_Shape(
        frozenset(top), frozenset(dates), re.compile(top[dates[0]]["pattern"]).search,
        top["id"]["minLength"],
        frozenset(top["channel"]["enum"]), frozenset(applicant["type"]["enum"]),
        frozenset(applicant["category"]["enum"]),
        frozenset(event["properties"]["type"]["enum"]) - FIXES_REPLY_DATE))
    return _SHAPES[0]


#: The keys of an event this reader reads (the general path reads the others): its type and
#: day, the reply type given, and a note (which the engine does not read).
_LABELLED = frozenset({"type", "on", "reply", "note"})
#: the common shape once read (:func:`_shape`)
_SHAPES: list[_Shape] = []
#: date text -> its day, for texts that matched the schema's pattern and are a real day
_DAYS: dict[str, date] = {}
_day = date.fromisoformat


def _valid_day(shape: _Shape, text: Any) -> date | None:
    """The day of ``text`` when the schema's pattern matches it and it is a real day (what
    the general path accepts without a problem), remembered; else None."""
    if type(text) is not str or shape.day_pattern(text) is None:
        return None
    try:
        day = _day(text)
    except ValueError:
        return None
    if len(_DAYS) < DAYS_BOUND:
        _DAYS[text] = day
    return day


def read_common(data: Any, book: Rulebook) -> Request | None:
    """``data`` as a Request when it is a valid request dict of the common shape; None when
    it is not (invalid, or a shape the general path reads: a dict subclass, a tuple of
    events, an event with a field other than ``reply`` and ``note``, a number among the
    facts)."""
    shape = _SHAPES[0] if _SHAPES else _shape()
    if type(data) is not dict or not shape.keys.issuperset(data):
        return None
    rid = data.get("id")
    if type(rid) is not str or len(rid) < shape.id_min:
        return None
    values: dict[str, Any] = {
        "id": rid, "received_on": None, "submitted_on": None, "signed_on": None,
        "confirmed_on": None, "channel": None, "applicant_type": None,
        "applicant_category": None, "title": None, "events": (), "facts": None,
        "registered_on": None}
    days = _DAYS
    for key in shape.date_keys.intersection(data):  # (the dates given: one or two)
        text = data[key]
        # (a str subclass, or None, is no key here: it goes to _valid_day, which refuses it)
        day = days.get(text) if type(text) is str else None
        if day is None and (day := _valid_day(shape, text)) is None:
            return None
        values[key] = day
    if "received_on" not in data and ("submitted_on" not in data or "channel" not in data):
        return None  # (the schema's anyOf)
    if "channel" in data:
        channel = data["channel"]
        if type(channel) is not str or channel not in shape.channels:
            return None
        values["channel"] = channel
    if "title" in data:
        if type(title := data["title"]) is not str:
            return None
        values["title"] = title
    if "applicant" in data:
        applicant = data["applicant"]
        if type(applicant) is not dict:
            return None
        for key, value in applicant.items():
            if key == "type" and type(value) is str and value in shape.applicant_types:
                values["applicant_type"] = value
            elif key == "category" and type(value) is str \
                    and value in shape.applicant_categories:
                values["applicant_category"] = value
            else:
                return None
    if "events" in data:
        given = data["events"]
        if type(given) is not list:
            return None
        events = []
        types = shape.bare_types
        for i, e in enumerate(given):
            if type(e) is not dict:
                return None
            try:
                kind = e["type"]
                text = e["on"]
            except KeyError:
                return None
            if type(kind) is not str or kind not in types:
                return None
            on = days.get(text) if type(text) is str else None
            if on is None and (on := _valid_day(shape, text)) is None:
                return None
            event_fields = _BARE_FIELDS.copy()  # (RequestEvent._bare, inline)
            event_fields["type"] = kind
            event_fields["on"] = on
            event_fields["index"] = i
            if len(e) != 2:  # more than ``type`` and ``on``: only a reply type and a note here
                if not _LABELLED.issuperset(e) or type(e.get("note", "")) is not str:
                    return None
                if "reply" in e:
                    reply = e["reply"]
                    if type(reply) is not str or reply not in book.replies:
                        return None
                    event_fields["reply"] = reply
            event = _new(RequestEvent)
            _set(event, "__dict__", event_fields)
            events.append(event)
        values["events"] = tuple(events)
    facts = data.get("facts")
    if facts is None:
        if "facts" in data:
            return None
        facts = {}
    elif type(facts) is not dict or (facts and not facts_clear(book, facts)):
        return None
    values["facts"] = MappingProxyType(dict(facts))
    request = _new(Request)
    _set(request, "__dict__", values)
    return request
