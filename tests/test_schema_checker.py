"""The checker written as Python source from a schema (``_schema_checker``, issue 12) answers as
jsonschema does, keyword by keyword, on schemas made to use every keyword it restates: recursive
``$ref``s, the combinators, keys sharing a check, loops nested past the depth it inlines, and the
strings a pattern remembers as matching.  (tests/test_dict_parsing.py compares it on the bundled
schemas.)"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclose import _schema_checker
from govdisclose._schema import _validator_class
from govdisclose._schema_checker import SEEN_BOUND, Unsupported, checker

DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

#: Every keyword the writer restates, but uniqueItems (below): jsonschema's answer throughout.
EVERY_KEYWORD: dict[str, Any] = {
    "$id": "https://govdisclose.example/schemas/test.schema.json",
    "type": "object",
    "required": ["id"],
    "additionalProperties": {"type": ["integer", "null"]},
    "propertyNames": {"maxLength": 6},
    "minProperties": 1,
    "maxProperties": 6,
    "anyOf": [{"required": ["on"]}, {"required": ["tree", "mix"]}],
    "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 4},
        "on": DAY,
        "until": DAY,  # shares its check with ``on``
        "mix": {"enum": [1, "a", None, True, 2.5]},
        "exact": {"const": 0},
        "n": {"type": "number", "minimum": -1, "exclusiveMaximum": 10},
        "m": {"exclusiveMinimum": 0, "maximum": 3},
        "list": {"type": "array", "minItems": 1, "maxItems": 3,
                 "items": {"oneOf": [{"type": "integer"}, {"minimum": 2}]}},
        "both": {"allOf": [{"type": "string"}, {"pattern": "^b"}]},
        "tree": {"$ref": "#/$defs/tree"},
        "any": {"anyOf": [{"type": "boolean"}, {"type": "array", "items": {"const": "x"}}]},
        "many": {"required": ["a", "b", "c", "d", "e"]},
    },
    "$defs": {"tree": {"type": "object", "additionalProperties": False,
                       "properties": {"leaf": {"type": "integer"},
                                      "kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}}},
}


def _deep(levels: int) -> dict[str, Any]:
    """Arrays of objects nested ``levels`` deep, ending in a date: loops past the writer's
    inline depth."""
    schema: dict[str, Any] = DAY
    for _ in range(levels):
        schema = {"type": "array", "items": {"type": "object", "properties": {"x": schema}}}
    return schema


DEEP = _deep(14)


def _jsonschema(schema: dict[str, Any], value: Any) -> bool:
    return bool(_validator_class()(schema).is_valid(value))


_LEAF = (st.none() | st.booleans() | st.integers(-3, 12) | st.sampled_from([2**60, 2.5, 0.0])
         | st.floats(allow_nan=True, allow_infinity=True)
         | st.sampled_from(["", "a", "b1", "x", "2026-03-02", "2026-03-02\n", "2026-3-2",
                            "２０２６-03-02", "id", "on", "mix"]))
_JSON = st.recursive(
    _LEAF, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner)
    | st.dictionaries(st.sampled_from(["id", "on", "until", "mix", "exact", "n", "m", "list",
                                       "both", "tree", "any", "many", "leaf", "kids", "x",
                                       "a", "b", "c", "d", "e", "longname"]), inner, max_size=6),
    max_leaves=14)


def _near(schema_example: Any) -> st.SearchStrategy[Any]:
    """A valid example with one key set to any value (most documents differ from a valid one
    in one place)."""
    return st.builds(lambda key, value: {**schema_example, key: value},
                     st.sampled_from(list(EVERY_KEYWORD["properties"])), _JSON)


_VALID = {"id": "R1", "on": "2026-03-02", "mix": 2.5, "n": 0, "tree": {"kids": [{"leaf": 1}]}}


def test_a_valid_example_passes() -> None:
    assert _jsonschema(EVERY_KEYWORD, _VALID)
    assert checker(EVERY_KEYWORD, "test")(_VALID) is True


@settings(max_examples=800, deadline=None)
@given(_JSON | _near(_VALID))
def test_every_keyword_answers_as_jsonschema(value: Any) -> None:
    assert checker(EVERY_KEYWORD, "test")(value) is _jsonschema(EVERY_KEYWORD, value)


_EDGES = [("n", v) for v in (-1, -1.5, 10, 9.5, True, float("inf"), 2**60)] + [
    ("m", v) for v in (0, 0.0, 0.5, 3, 3.5, "x")] + [
    ("id", v) for v in ("", "abcd", "abcde")] + [
    ("list", v) for v in ([], [1], [1, 2, 3], [1, 2, 3, 4], [1.5], [2.5], [3], [True])] + [
    ("mix", v) for v in (1, 1.0, True, 2.5, "a", None, False, 0, "b")] + [
    ("exact", v) for v in (0, 0.0, False, None)] + [
    ("on", v) for v in ("2026-03-02", "2026-03-02\n", "2026-3-02", 20260302)] + [
    ("longname", 1), ("zzz", None), ("zzz", "x"),
    ("many", {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}), ("many", {"a": 1, "b": 1, "c": 1}),
    ("any", True), ("any", ["x", "x"]), ("any", ["y"]), ("any", 1),
    ("tree", {"kids": [{"kids": [{"leaf": 1.5}]}]}), ("tree", {"kids": [{"kids": []}]})]


@pytest.mark.parametrize(("key", "value"), _EDGES, ids=lambda x: repr(x)[:20])
def test_each_bound_and_option_at_its_edge_answers_as_jsonschema(key: str, value: Any) -> None:
    document = {**_VALID, key: value}
    assert checker(EVERY_KEYWORD, "test")(document) is _jsonschema(EVERY_KEYWORD, document)


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(depth):
        value = [{"x": value}]
    return value


@pytest.mark.parametrize("leaf", ["2026-03-02", "2026-02-3", 7])
@pytest.mark.parametrize("depth", [14, 13])
def test_loops_nested_past_the_inline_depth_answer_as_jsonschema(depth: int, leaf: Any) -> None:
    value = _nested(depth, leaf)
    assert checker(DEEP, "deep")(value) is _jsonschema(DEEP, value)
    assert checker(DEEP, "deep")(value) is (depth == 14 and leaf == "2026-03-02")


UNIQUE = {"type": "array", "uniqueItems": True}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=4)
       | st.lists(st.sampled_from([1, 1.0, True, "a", None]), max_size=3))
def test_unique_items_of_strings_answer_as_jsonschema_and_others_never_pass_wrongly(
        value: list[Any]) -> None:
    found, expected = checker(UNIQUE, "unique")(value), _jsonschema(UNIQUE, value)
    if all(isinstance(v, str) for v in value):
        assert found is expected
    else:  # jsonschema's equality (1 == 1.0, True != 1) is not restated: no says "ask it"
        assert not found or expected


@pytest.mark.parametrize("schema", [
    {"type": "string", "format": "date"},
    {"$ref": "other.schema.json#/x"},
    {"properties": {"a": {"$id": "nested"}}},
    {"patternProperties": {"^a": {}}},
    {"enum": [[1], 2]},
    {"type": "date"},
    {"items": [{"type": "string"}]},
], ids=["format", "other-file-ref", "nested-id", "patternProperties", "enum-of-list",
        "unknown-type", "items-as-list"])
def test_a_keyword_not_restated_leaves_the_schema_to_jsonschema(schema: dict[str, Any]) -> None:
    with pytest.raises(Unsupported):
        checker(schema, "unsupported")


def test_a_pattern_remembers_at_most_its_bound_and_only_what_matched(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_schema_checker, "SEEN_BOUND", 50)
    check = checker({"type": "array", "items": DAY}, "bound")
    days = [f"2026-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    assert check(days) is True
    matches = next(v for v in check.__globals__.values()
                   if isinstance(v, _schema_checker._Matches))
    assert len(matches.seen) == 50
    # remembered or not, a day still passes and a bad one still fails
    assert check([days[0], days[-1]]) is True
    assert check([days[0], "2026-02-3"]) is False and "2026-02-3" not in matches.seen
    assert SEEN_BOUND == 4096  # the real bound, as the module docs it


def test_the_request_schemas_dates_share_one_check() -> None:
    from govdisclose._schema import load_schema

    writer = _schema_checker._Writer(load_schema("request"))
    writer.function(load_schema("request"))
    source = "\n".join(writer.functions)
    # five request dates, six event dates: one membership test each, one search object
    assert source.count("_match") == 2
    assert len([v for v in writer.names.values() if isinstance(v, _schema_checker._Matches)]) == 1
