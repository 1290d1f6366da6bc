"""The one-pass reader of a request dict of the common shape (engine/request_dict.py, issue 12).

Its yes must be the general path's answer (tests/test_parse_fast_paths.py holds the two equal
on hypothesis dicts); here: that it does say yes where it is meant to, that it leaves every
other shape to the general path, that its vocabulary is the schema's, and that what it
remembers is bounded.
"""

from __future__ import annotations

import json
import sys
from collections import OrderedDict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from govdisclose import RequestError, list_rulebooks, load_rulebook
from govdisclose._schema import load_schema
from govdisclose._yaml import YamlDocument
from govdisclose.engine import request_dict
from govdisclose.engine.request_dict import DAYS_BOUND, read_common
from govdisclose.engine.request_input import parse_request

ROOT = Path(__file__).resolve().parents[1]
BOOKS = {b: load_rulebook(b) for b in list_rulebooks()}
NATIONAL = BOOKS["national"]


def _general(data: Any, book: Any) -> Any:
    """The general path (a document given: no one-pass reading)."""
    return parse_request(data, book, doc=YamlDocument.of_data(data, "<request>"))


def _bench_dicts() -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_evaluate import requests
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return requests(300)


def test_the_benchmarks_requests_are_read_in_one_pass_as_the_general_path_reads_them() -> None:
    for book in BOOKS.values():
        for data in _bench_dicts():
            fast = read_common(data, book)
            assert fast is not None, data
            assert fast == _general(data, book)


def test_a_common_request_with_every_top_level_field_is_read_in_one_pass() -> None:
    data = {"id": "R-1", "received_on": "2026-03-02", "submitted_on": "2026-02-27",
            "signed_on": "2026-03-02", "confirmed_on": "2026-03-02",
            "registered_on": "2026-03-03", "channel": "letter", "title": "信息",
            "applicant": {"type": "organization", "category": "research"},
            "events": [{"type": "replied", "on": "2026-03-20"},
                       {"on": "2026-03-05", "type": "supplement_requested"}],
            "facts": {"exists": True, "exemption_grounds": ["third_party_rights"],
                      "request_kind": "information"}}
    fast = read_common(data, NATIONAL)
    assert fast is not None
    assert fast == _general(data, NATIONAL)
    assert fast.applicant_category == "research" and fast.registered_on == date(2026, 3, 3)
    assert [e.index for e in fast.events] == [0, 1]


def _example_requests() -> list[tuple[str, Path]]:
    found = []
    for path in sorted((ROOT / "examples").glob("*/request*.json")):
        book = path.parent.name
        if book in BOOKS:
            found.append((book, path))
    return found


@pytest.mark.parametrize(("book", "path"), _example_requests(),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_an_example_request_is_read_as_the_general_path_reads_it(book: str, path: Path
                                                                 ) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    try:
        expected: Any = _general(data, BOOKS[book])
    except RequestError:
        expected = None  # (an example of a bad request: the reader must not say yes)
    fast = read_common(data, BOOKS[book])
    assert fast is None or fast == expected
    events = data.get("events", [])
    if expected is not None and all(set(e) <= {"type", "on", "reply", "note"} for e in events) \
            and not any(isinstance(v, (int, float)) and not isinstance(v, bool)
                        for v in data.get("facts", {}).values()) \
            and not any(e["type"] == "reply_date_fixed" for e in events):
        assert fast is not None  # the common shape: read in one pass


class _Text(str):
    pass


BASE: dict[str, Any] = {"id": "R-1", "received_on": "2026-03-02"}
#: each a dict the reader leaves to the general path, and whether that path accepts it
NOT_HERE: list[tuple[dict[Any, Any], bool]] = [
    ({**BASE, "events": [{"type": "replied", "on": "2026-03-20", "reply": "x"}]}, False),
    ({**BASE, "events": [{"type": "replied", "on": "2026-03-20", "sent_on": "2026-03-21"}]},
     True),
    ({**BASE, "events": [OrderedDict(type="replied", on="2026-03-20")]}, True),
    ({**BASE, "events": ({"type": "replied", "on": "2026-03-20"},)}, True),
    ({**BASE, "facts": {"separate_matters": 2}}, True),
    ({**BASE, "facts": {"separate_matters": float("nan")}}, False),
    ({**BASE, "facts": {"separate_matters": 10**20}}, False),
    ({**BASE, "facts": {"exists": 1}}, False),
    ({**BASE, "facts": {"exemption_grounds": ("third_party_rights",)}}, False),
    ({**BASE, "facts": {"exemption_grounds": ["bogus"]}}, False),
    ({**BASE, "facts": None}, False),
    ({**BASE, "events": None}, False),
    ({**BASE, "title": None}, False),
    ({**BASE, "received_on": None}, False),
    ({**BASE, "received_on": _Text("2026-03-02")}, True),
    ({**BASE, "received_on": "2026-02-30"}, False),
    ({**BASE, "received_on": "2026-03-02\n"}, False),
    ({**BASE, "received_on": "20260302"}, False),
    ({**BASE, "received_on": "\u0662\u0660\u0662\u0666-03-01"}, False),
    ({**BASE, "id": ""}, False),
    ({**BASE, "channel": "carrier pigeon"}, False),
    ({**BASE, "applicant": {"type": "x"}}, False),
    ({**BASE, "applicant": {"age": 3}}, False),
    ({**BASE, "zz": 1}, False),
    ({**BASE, 1: "x"}, False),
    ({"id": "R-1", "submitted_on": "2026-03-02"}, False),
    ({**BASE, "events": [{"type": "reply_date_fixed", "on": "2026-03-05"}]}, False),
    ({**BASE, "events": [{"type": "replied"}]}, False),
    ({**BASE, "events": [{"type": "replied", "when": "2026-03-05"}]}, False),
    ({**BASE, "events": [{"type": "replied", "on": "2026-03-05", "note": 3}]}, False),
    ({**BASE, "events": [{"type": "replied", "on": "2026-03-05", "reply": None}]}, False),
    ({**BASE, "events": [{"type": "replied", "on": "2026-03-05", "amount": 3}]}, True),
    ({**BASE, "events": [{"type": "bogus", "on": "2026-03-05"}]}, False),
    ({**BASE, "events": ["replied"]}, False),
    (OrderedDict(BASE), True),
]


@pytest.mark.parametrize(("data", "valid"), NOT_HERE, ids=range(len(NOT_HERE)))
def test_any_other_shape_is_left_to_the_general_path(data: dict[Any, Any], valid: bool
                                                     ) -> None:
    assert read_common(data, NATIONAL) is None
    if valid:
        assert parse_request(data, NATIONAL) == _general(data, NATIONAL)
    else:
        with pytest.raises(RequestError):
            parse_request(data, NATIONAL)


def test_the_submitted_date_with_a_channel_is_enough_as_the_schema_says() -> None:
    data = {"id": "R-1", "submitted_on": "2026-03-02", "channel": "online"}
    fast = read_common(data, NATIONAL)
    assert fast is not None and fast == _general(data, NATIONAL)


def test_the_vocabulary_is_the_schemas() -> None:
    read_common(BASE, NATIONAL)
    shape = request_dict._SHAPES[0]
    schema = load_schema("request")
    top = schema["properties"]
    assert shape.keys == set(top)
    assert shape.date_keys == {k for k, v in top.items() if v.get("pattern")}
    assert shape.channels == set(top["channel"]["enum"])
    events = set(top["events"]["items"]["properties"]["type"]["enum"])
    assert shape.bare_types == events - {"reply_date_fixed"}


def test_the_days_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(request_dict, "_DAYS", {})
    start = date(2000, 1, 1)
    for i in range(DAYS_BOUND + 50):
        day = start + timedelta(i)
        request = read_common({"id": "R", "received_on": day.isoformat()}, NATIONAL)
        assert request is not None and request.received_on == day
    assert len(request_dict._DAYS) == DAYS_BOUND


def _title_max(s: dict[str, Any]) -> None:
    s["properties"]["title"]["maxLength"] = 200


def _anyof(s: dict[str, Any]) -> None:
    s["anyOf"] = [{"required": ["received_on"]}]


def _facts_types(s: dict[str, Any]) -> None:
    s["properties"]["facts"]["additionalProperties"] = {"type": ["boolean", "string"]}


def _open_events(s: dict[str, Any]) -> None:
    s["properties"]["events"]["items"]["additionalProperties"] = True


def _two_patterns(s: dict[str, Any]) -> None:
    s["properties"]["signed_on"]["pattern"] = "^\\d{8}$"


def _note_format(s: dict[str, Any]) -> None:
    s["properties"]["events"]["items"]["properties"]["note"]["maxLength"] = 10


@pytest.mark.parametrize("change", [_title_max, _anyof, _facts_types, _open_events,
                                    _two_patterns, _note_format])
def test_the_reader_refuses_to_run_on_a_schema_it_does_not_restate(
        change: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A check added to the schema where the reader reads (or one changed) is a check the
    # reader would not make: it stops, loudly, rather than accept what the schema refuses.
    import copy

    schema = copy.deepcopy(load_schema("request"))
    change(schema)
    monkeypatch.setattr(request_dict, "load_schema", lambda _name: schema)
    monkeypatch.setattr(request_dict, "_SHAPES", [])
    with pytest.raises(AssertionError, match="one-pass reader"):
        read_common(BASE, NATIONAL)


def test_the_bundled_schema_is_the_one_the_reader_restates(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setattr(request_dict, "_SHAPES", [])
    assert read_common(BASE, NATIONAL) is not None
    assert request_dict._SHAPES
