"""The ``_fast`` constructors of the engine's hot objects (issue 12) build what the frozen
dataclasses' ``__init__`` builds — every field, in the dataclass's order — only without setting
the fields one by one through ``object.__setattr__``.  The objects stay frozen."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date

import pytest

from govdisclose._yaml import YamlDocument
from govdisclose.engine.request_input import Request, RequestEvent, parse_request
from govdisclose.engine.requests import RequestOutcome, evaluate_request
from govdisclose.periods.counting import Deadline
from govdisclose.rulebook.loading import load_rulebook

CLASSES = [RequestEvent, Request, RequestOutcome]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_fast_takes_every_field_in_the_dataclass_order(cls: type) -> None:
    # A field added to the dataclass and not to ``_fast`` (or the other way) fails here.
    names = list(inspect.signature(cls._fast).parameters)
    assert names == [f.name for f in dataclasses.fields(cls)]
    assert all(p.default is inspect.Parameter.empty
               for p in inspect.signature(cls._fast).parameters.values())


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_fast_builds_what_init_builds(cls: type) -> None:
    values = [f"value of {f.name}" for f in dataclasses.fields(cls)]
    fast, slow = cls._fast(*values), cls(*values)
    assert type(fast) is cls
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert vars(fast) == vars(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.__setattr__(dataclasses.fields(cls)[0].name, "changed")
    assert dataclasses.replace(fast) == slow


def test_a_bare_event_is_what_init_gives_with_the_defaults() -> None:
    day = date(2026, 3, 20)
    bare, slow = RequestEvent._bare("replied", day, 3), RequestEvent("replied", day, 3)
    assert type(bare) is RequestEvent
    assert bare == slow and hash(bare) == hash(slow) and repr(bare) == repr(slow)
    assert list(vars(bare).items()) == list(vars(slow).items())  # the order of the fields too
    # each one its own dictionary: the defaults it was copied from are unchanged
    assert RequestEvent._bare("resumed", day, 0).type == "resumed" and bare.type == "replied"
    with pytest.raises(dataclasses.FrozenInstanceError):
        bare.__setattr__("on", day)


def test_a_parsed_request_and_its_outcome_are_what_init_gives() -> None:
    book = load_rulebook("national")
    request = parse_request({"id": "F-1", "received_on": "2026-03-02", "channel": "online",
                             "events": [{"type": "replied", "on": "2026-03-20"},
                                        {"type": "extension_approved", "on": "2026-03-19",
                                         "approved_by": "office_head"}],
                             "facts": {"exists": True}}, book)
    rebuilt = Request(*(getattr(request, f.name) for f in dataclasses.fields(Request)))
    assert request == rebuilt
    assert request.events == tuple(
        RequestEvent(*(getattr(e, f.name) for f in dataclasses.fields(RequestEvent)))
        for e in request.events)
    outcome = evaluate_request(book, request, as_of=date(2026, 4, 1))
    assert outcome == RequestOutcome(*(getattr(outcome, f.name)
                                       for f in dataclasses.fields(RequestOutcome)))
    assert outcome.status.state.value == "answered_on_time"


def test_deadline_fast_needs_every_field() -> None:
    with pytest.raises(TypeError, match="missing"):
        Deadline._fast(limit="x")


def test_a_document_of_plain_data_is_what_init_gives() -> None:
    data = {"id": "F-2"}
    fast, slow = YamlDocument.of_data(data, "<request>"), YamlDocument(data, None, "<request>")
    assert fast == slow and vars(fast) == vars(slow) and fast.data is data
    assert fast.locate(("id",)) == (None, None) and fast.marks == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.__setattr__("file", "changed")
