"""The durable-rules backend gives the reference backend's results on generated facts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdisclose import list_rulebooks, load_rulebook
from govdisclose.engine.backends import PythonBackend, get_backend
from govdisclose.rulebook.model import Rulebook

pytest.importorskip("durable", reason="needs the 'durable' extra: pip install '.[durable]'")


def facts_for(book: Rulebook) -> st.SearchStrategy[dict[str, Any]]:
    """Facts of every declared type, each present or missing."""
    options: dict[str, st.SearchStrategy[Any]] = {}
    for name, fact in book.facts.items():
        if name == "exemption_grounds":
            options[name] = st.lists(st.sampled_from(sorted(book.exemptions)), max_size=3)
        elif fact.type == "boolean":
            options[name] = st.booleans()
        elif fact.type == "number":
            options[name] = st.integers(-5, 50)
        elif fact.type == "list":
            options[name] = st.lists(st.text(max_size=3), max_size=2)
        elif fact.values:
            options[name] = st.sampled_from(fact.values)
        else:
            options[name] = st.text(max_size=4)
    return st.fixed_dictionaries({}, optional=options)


@pytest.mark.parametrize("book_id", list_rulebooks())
def test_durable_and_python_backends_agree(book_id: str) -> None:
    book = load_rulebook(book_id)
    python, durable = PythonBackend(), get_backend("durable")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(facts_for(book))
    def check(facts: dict[str, Any]) -> None:
        a = python.first_match(book.decisions, facts)
        b = durable.first_match(book.decisions, facts)
        assert (a.id if a else None) == (b.id if b else None), facts

    check()


def test_many_sessions_do_not_exhaust_durable_state() -> None:
    # durable-rules caps live states per ruleset at 1024: sessions must be deleted.
    book = load_rulebook("national")
    durable = get_backend("durable")
    for i in range(1500):
        rule = durable.first_match(book.decisions, {"exists": i % 2 == 0})
        assert rule is not None
