"""``necessary_equal``: the fact and value the engine reads before evaluating a duty's
conditions (engine/duties.py) may only ever answer False early, never change an answer; and
``equality``: a condition the engine answers by one comparison (the reply period's, in the
request plan) answers as :meth:`holds` does."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclose import load_rulebook
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request
from govdisclose.rulebook.conditions import (
    All,
    Any_,
    Compare,
    Condition,
    Not,
    equality,
    necessary_equal,
)

#: fact -> values of its type (booleans, strings, numbers and a list fact)
_VALUES: dict[str, list[Any]] = {
    "flag": [True, False], "kind": ["a", "b"], "count": [0, 1, 2.5], "grounds": [["x"], []]}
_OPS = {"flag": ["equals", "not_equals", "is_set"], "kind": ["equals", "not_equals", "in"],
        "count": ["equals", "gt", "le"], "grounds": ["contains", "is_set"]}


@st.composite
def _compare(draw: st.DrawFn) -> Compare:
    fact = draw(st.sampled_from(sorted(_VALUES)))
    op = draw(st.sampled_from(_OPS[fact]))
    if op == "is_set":
        value: Any = draw(st.booleans())
    elif op == "in":
        value = draw(st.lists(st.sampled_from(_VALUES[fact]), min_size=1))
    elif op == "contains":
        value = "x"
    else:
        value = draw(st.sampled_from([v for v in _VALUES[fact] if not isinstance(v, list)]))
    return Compare(fact, op, value)


_CONDITIONS: st.SearchStrategy[Condition] = st.recursive(
    _compare(),
    lambda inner: st.one_of(st.lists(inner, max_size=3).map(lambda p: All(tuple(p))),
                            st.lists(inner, max_size=3).map(lambda p: Any_(tuple(p))),
                            inner.map(Not)),
    max_leaves=8)
_FACTS = st.dictionaries(st.sampled_from(sorted(_VALUES)),
                         st.sampled_from([v for vs in _VALUES.values() for v in vs]))


@settings(max_examples=400, deadline=None)
@given(_CONDITIONS, _FACTS)
def test_a_condition_does_not_hold_when_its_necessary_fact_differs(
        cond: Condition, facts: dict[str, Any]) -> None:
    gate = necessary_equal(cond)
    if gate is not None and facts.get(gate[0]) != gate[1]:
        assert not cond.holds(facts)


def test_the_necessary_fact_of_each_form() -> None:
    equals = Compare("flag", "equals", True)
    assert necessary_equal(equals) == ("flag", True)
    assert necessary_equal(Compare("flag", "not_equals", True)) is None
    # an all: its first part that has one; an any or a not: none (either may hold without it)
    assert necessary_equal(All((Compare("count", "gt", 1), equals))) == ("flag", True)
    assert necessary_equal(All((Not(equals),))) is None
    assert necessary_equal(Any_((equals,))) is None
    assert necessary_equal(Not(Not(equals))) is None
    assert necessary_equal(All(())) is None


@settings(max_examples=400, deadline=None)
@given(_CONDITIONS, _FACTS)
def test_a_condition_as_one_comparison_answers_as_it_holds(
        cond: Condition, facts: dict[str, Any]) -> None:
    found = equality(cond)
    if found is not None:
        fact, value, expected = found
        assert cond.holds(facts) is (expected if facts.get(fact) == value else not expected)


def test_the_conditions_that_are_one_comparison() -> None:
    equals = Compare("kind", "equals", "a")
    assert equality(equals) == ("kind", "a", True)
    assert equality(Not(equals)) == ("kind", "a", False)
    assert equality(Compare("kind", "not_equals", "a")) is None
    assert equality(Not(Not(equals))) is None
    assert equality(All((equals,))) is None


class _EqualToAll:
    """A value built in Python code whose == and != both say True (no JSON value does)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


def test_the_gate_compares_as_the_condition_does() -> None:
    # engine/duties.py reads the gate's fact with ==, as Compare.holds does: a value whose
    # != disagrees with its == changes nothing (a Request built in code, facts not checked).
    book = load_rulebook("national")
    parsed = parse_request({"id": "R", "received_on": "2026-03-02"}, book)
    request = replace(parsed, facts=MappingProxyType(
        {"reading_or_sensory_difficulty": _EqualToAll()}))
    duties = evaluate_request(book, request, as_of=date(2026, 3, 31)).duties
    assert "request.reading_help" in [d.id for d in duties]
