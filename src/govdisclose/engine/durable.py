"""The durable-rules decision backend (``pip install 'govdisclose[durable]'``).

durable-rules has had no release since 2020, builds from source, keeps process-wide
engine state with background threads, caps each ruleset at 1024 live states (then
MemoryError) and has crashed when sessions were opened from several threads.  So this
module keeps one engine per process, holds a lock around every call, opens a unique
session per evaluation and deletes it afterwards, and builds each ruleset from a
private copy of the rulebook's conditions.

Conditions are translated to durable expressions in negation normal form; every fact
is posted with a companion ``set__<name>`` flag so that a missing fact behaves exactly
as in the Python backend (unknown: every comparison false, ``is_set: false`` true).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import threading
import uuid
from typing import TYPE_CHECKING, Any

from durable import lang as durable  # type: ignore[import-untyped,import-not-found,unused-ignore]

from ..errors import ArgumentError
from ..rulebook.conditions import All, Any_, Compare, Condition, Not, fact_names

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..rulebook.model import DecisionRule

__all__ = ["DurableBackend"]

_LOCK = threading.Lock()
_RULESETS: dict[str, tuple[str, tuple[str, ...]]] = {}  # fingerprint -> (name, rule ids)
_FIRED: dict[str, list[str]] = {}  # session id -> rule ids fired
_NEGATE = {"equals": "not_equals", "not_equals": "equals", "gt": "le", "ge": "lt", "lt": "ge",
           "le": "gt"}


def _set_flag(name: str) -> str:
    return f"set__{name}"


def _compare(fact: str, op: str, value: Any) -> Any:
    attr = getattr(durable.m, fact)
    if op == "equals":
        return attr == value
    if op == "not_equals":
        return attr != value
    if op == "gt":
        return attr > value
    if op == "ge":
        return attr >= value
    if op == "lt":
        return attr < value
    if op == "le":
        return attr <= value
    msg = f"no durable translation for {op}"
    raise ArgumentError(msg)


def _const(truth: bool) -> Any:
    return durable.m.always__ == truth


def _translate(cond: Condition, negated: bool = False) -> Any:
    """A durable expression equivalent to ``cond`` (or its negation)."""
    if isinstance(cond, Not):
        return _translate(cond.part, not negated)
    if isinstance(cond, (All, Any_)):
        conjunction = isinstance(cond, All) != negated
        if not cond.parts:
            return _const(conjunction)  # all([]) is true, any([]) is false
        parts = [_translate(p, negated) for p in cond.parts]
        out = parts[0]
        for part in parts[1:]:
            out = (out & part) if conjunction else (out | part)
        return out
    assert isinstance(cond, Compare)
    flag = getattr(durable.m, _set_flag(cond.fact))
    if cond.op == "is_set":
        return flag == (bool(cond.value) != negated)
    if cond.op == "in":
        options = [_compare(cond.fact, "not_equals" if negated else "equals", v)
                   for v in cond.value]
        inner = options[0] if options else _const(negated)
        for option in options[1:]:
            inner = (inner & option) if negated else (inner | option)
        return (flag == False) | inner if negated else (flag == True) & inner  # noqa: E712
    if cond.op == "contains":
        attr = getattr(durable.m, cond.fact)
        if negated:
            return (flag == False) | attr.allItems(durable.item != cond.value)  # noqa: E712
        return (flag == True) & attr.anyItem(durable.item == cond.value)  # noqa: E712
    if negated:
        return (flag == False) | _compare(cond.fact, _NEGATE[cond.op], cond.value)  # noqa: E712
    return (flag == True) & _compare(cond.fact, cond.op, cond.value)  # noqa: E712


def _fingerprint(rules: Sequence[DecisionRule]) -> str:
    text = repr([(r.book, r.id, r.when) for r in rules])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _recorder(rule_id: str) -> Any:
    """An action taking one argument (durable passes a callback to two-argument actions)."""
    def action(c: Any) -> None:
        _FIRED.setdefault(c.m.sid__, []).append(rule_id)
    return action


def _define(rules: Sequence[DecisionRule]) -> tuple[str, tuple[str, ...]]:
    """Define (once per process) a ruleset for these rules; caller holds the lock."""
    key = _fingerprint(rules)
    if key in _RULESETS:
        return _RULESETS[key]
    name = f"govdisclose_{key}"
    ids = tuple(f"{r.book}:{r.id}" for r in rules)
    conditions = copy.deepcopy([r.when for r in rules])
    with durable.ruleset(name):
        for rule_id, cond in zip(ids, conditions, strict=True):
            durable.when_all(_translate(cond))(_recorder(rule_id))
    _RULESETS[key] = (name, ids)
    return name, ids


def _fact_payload(facts: Mapping[str, Any], names: set[str], sid: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"sid__": sid, "always__": True}
    for name in names:
        value = facts.get(name)
        present = value is not None and value not in ([], "")
        payload[_set_flag(name)] = present
        if value is not None:
            payload[name] = list(value) if isinstance(value, (list, tuple)) else value
    return payload


class DurableBackend:
    """Decision rules matched by durable-rules; same results as :class:`PythonBackend`."""

    name = "durable"

    def first_match(self, rules: Sequence[DecisionRule], facts: Mapping[str, Any]
                    ) -> DecisionRule | None:
        if not rules:
            return None
        names: set[str] = set()
        for rule in rules:
            fact_names(rule.when, names)
        with _LOCK:
            ruleset, ids = _define(rules)
            sid = uuid.uuid4().hex
            try:
                durable.assert_fact(ruleset, _fact_payload(facts, names, sid))
                fired = set(_FIRED.pop(sid, []))
            finally:
                _FIRED.pop(sid, None)
                with contextlib.suppress(Exception):
                    durable.delete_state(ruleset, sid)
        for rule, rule_id in zip(rules, ids, strict=True):
            if rule_id in fired:
                return rule
        return None
