"""Decision conditions: a closed vocabulary, checked when a rulebook loads, never ``eval``.

A condition is one of::

    {all: [COND, ...]}      every sub-condition holds (an empty list always holds)
    {any: [COND, ...]}      at least one holds
    {not: COND}             the sub-condition does not hold
    {fact: NAME, OP: VALUE} a comparison on one declared fact

with ``OP`` one of ``equals``, ``not_equals``, ``in``, ``contains`` (list facts),
``gt``, ``ge``, ``lt``, ``le`` (number facts) and ``is_set`` (true when the fact
is present and not empty).  A fact missing from the input is *unknown*: every
comparison on it is false except ``is_set: false``.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from .._suggest import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .._yaml import YamlDocument
    from ..errors import Problem

__all__ = ["OPERATORS", "All", "Any_", "Compare", "Condition", "Not", "equality",
           "fact_names", "necessary_equal", "parse_condition"]


def _is_set(value: Any, expected: Any) -> bool:
    present = value is not None and value not in ([], "")
    return present is bool(expected)


def _contains(value: Any, expected: Any) -> bool:
    return isinstance(value, list) and expected in value


def _in(value: Any, expected: Any) -> bool:
    return value in expected


def _ordered(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(value: Any, expected: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and op(
            value, expected)
    return compare


#: operator name -> (test, fact types it applies to)
OPERATORS: Mapping[str, tuple[Callable[[Any, Any], bool], frozenset[str]]] = {
    "equals": (operator.eq, frozenset({"boolean", "string", "number"})),
    "not_equals": (operator.ne, frozenset({"boolean", "string", "number"})),
    "in": (_in, frozenset({"string", "number"})),
    "contains": (_contains, frozenset({"list"})),
    "gt": (_ordered(operator.gt), frozenset({"number"})),
    "ge": (_ordered(operator.ge), frozenset({"number"})),
    "lt": (_ordered(operator.lt), frozenset({"number"})),
    "le": (_ordered(operator.le), frozenset({"number"})),
    "is_set": (_is_set, frozenset({"boolean", "string", "number", "list"})),
}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Compare(FieldRepr):
    """``{fact: NAME, OP: VALUE}``."""

    fact: str
    op: str
    value: Any
    test: Callable[[Any, Any], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "test", OPERATORS[self.op][0])

    def holds(self, facts: Mapping[str, Any]) -> bool:
        actual = facts.get(self.fact)
        if actual is None and self.op != "is_set":
            return False
        return bool(self.test(actual, self.value))

    def to_json(self) -> dict[str, Any]:
        return {"fact": self.fact, self.op: self.value}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class All(FieldRepr):
    """``{all: [...]}``."""

    parts: tuple[Condition, ...]

    def holds(self, facts: Mapping[str, Any]) -> bool:
        for part in self.parts:  # noqa: SIM110 - no generator on the engine's hot path
            if not part.holds(facts):
                return False
        return True

    def to_json(self) -> dict[str, Any]:
        return {"all": [p.to_json() for p in self.parts]}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Any_(FieldRepr):  # noqa: N801 - "any" is a builtin
    """``{any: [...]}``."""

    parts: tuple[Condition, ...]

    def holds(self, facts: Mapping[str, Any]) -> bool:
        for part in self.parts:  # noqa: SIM110 - no generator on the engine's hot path
            if part.holds(facts):
                return True
        return False

    def to_json(self) -> dict[str, Any]:
        return {"any": [p.to_json() for p in self.parts]}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Not(FieldRepr):
    """``{not: ...}``."""

    part: Condition

    def holds(self, facts: Mapping[str, Any]) -> bool:
        return not self.part.holds(facts)

    def to_json(self) -> dict[str, Any]:
        return {"not": self.part.to_json()}


Condition = Compare | All | Any_ | Not


def _type_ok(fact_type: str, allowed: tuple[str, ...] | None, op: str, value: Any) -> bool:
    if op == "is_set":
        return isinstance(value, bool)
    if op == "in":
        return isinstance(value, list) and all(_type_ok(fact_type, allowed, "equals", v)
                                               for v in value)
    if op == "contains":
        return isinstance(value, str)
    if fact_type == "boolean":
        return isinstance(value, bool)
    if fact_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if fact_type == "string":
        return isinstance(value, str) and (allowed is None or value in allowed)
    return False


def parse_condition(
    data: Any,
    facts: Mapping[str, tuple[str, tuple[str, ...] | None]],
    doc: YamlDocument,
    path: tuple[str | int, ...],
    problems: list[Problem],
) -> Condition | None:
    """Check ``data`` against the vocabulary and the declared ``facts``; build a condition.

    ``facts`` maps a fact name to ``(type, allowed string values or None)``.
    Every mistake is appended to ``problems``, located at its path in ``doc``.
    """
    def bad(where: tuple[str | int, ...], zh: str, en: str) -> None:
        problems.append(doc.problem(where, "condition.invalid", zh, en))

    if not isinstance(data, dict) or not data:
        bad(path, "条件必须是非空映射", "a condition must be a non-empty mapping")
        return None
    keys = set(data)
    for combinator in ("all", "any"):
        if keys == {combinator}:
            items = data[combinator]
            if not isinstance(items, list):
                bad((*path, combinator), f"{combinator} 后面应为列表", f"{combinator} takes a list")
                return None
            parts = [parse_condition(item, facts, doc, (*path, combinator, i), problems)
                     for i, item in enumerate(items)]
            if any(p is None for p in parts):
                return None
            built = tuple(p for p in parts if p is not None)
            return All(built) if combinator == "all" else Any_(built)
    if keys == {"not"}:
        part = parse_condition(data["not"], facts, doc, (*path, "not"), problems)
        return None if part is None else Not(part)
    if "fact" not in keys:
        bad(path, f"未知的条件写法 {sorted(keys)}；可用 all / any / not / fact",
            f"unknown condition {sorted(keys)}; use all, any, not or fact")
        return None
    ops = keys - {"fact"}
    if len(ops) != 1:
        bad(path, f"fact 条件必须恰好有一个比较运算符，可用：{', '.join(OPERATORS)}",
            f"a fact condition needs exactly one operator, one of: {', '.join(OPERATORS)}")
        return None
    op = ops.pop()
    name = data["fact"]
    if op not in OPERATORS:
        guess = [g] if (g := did_you_mean(op, OPERATORS)) else []
        hint_zh = f"（是否指 {guess[0]}？）" if guess else ""
        hint_en = f" (did you mean {guess[0]!r}?)" if guess else ""
        bad((*path, op), f"未知的运算符 {op!r}{hint_zh}", f"unknown operator {op!r}{hint_en}")
        return None
    if not isinstance(name, str) or name not in facts:
        bad((*path, "fact"), f"未声明的事实 {name!r}（请在 facts 中声明）",
            f"undeclared fact {name!r} (declare it under facts)")
        return None
    fact_type, allowed = facts[name]
    if fact_type not in OPERATORS[op][1]:
        bad((*path, op), f"运算符 {op} 不适用于 {fact_type} 类型的事实 {name}",
            f"operator {op} does not apply to the {fact_type} fact {name}")
        return None
    value = data[op]
    if not _type_ok(fact_type, allowed, op, value):
        bad((*path, op), f"{name} 的比较值 {value!r} 类型或取值不对",
            f"value {value!r} does not fit the {fact_type} fact {name}")
        return None
    return Compare(name, op, tuple(value) if isinstance(value, list) else value)


def fact_names(cond: Condition, out: set[str]) -> None:
    """Add every fact ``cond`` reads to ``out``."""
    if isinstance(cond, Compare):
        out.add(cond.fact)
    elif isinstance(cond, Not):
        fact_names(cond.part, out)
    else:
        for part in cond.parts:
            fact_names(part, out)


def necessary_equal(cond: Condition) -> tuple[str, Any] | None:
    """A ``(fact, value)`` that ``cond`` cannot hold without (the fact given and equal to
    the value: an ``equals`` comparison, alone or among an ``all``'s parts), or None.

    The engine reads the fact before calling :meth:`holds`: a fact that differs (or is
    missing) answers False at once.  It only ever answers False early, never True."""
    if isinstance(cond, Compare):
        return (cond.fact, cond.value) if cond.op == "equals" else None
    if isinstance(cond, All):
        for part in cond.parts:
            if (found := necessary_equal(part)) is not None:
                return found
    return None


def equality(cond: Condition) -> tuple[str, Any, bool] | None:
    """``(fact, value, expected)`` when ``cond`` holds exactly when the fact equals the value
    (``expected`` True: an ``equals`` comparison) or does not (False: one under ``not``); else
    None.  The engine then compares the fact itself, with no call of :meth:`holds`.

    Exact because an ``equals`` value is never None (its type is the fact's, checked when the
    book loads): a missing fact is unequal, as :meth:`Compare.holds` has it."""
    negated = isinstance(cond, Not)
    inner = cond.part if isinstance(cond, Not) else cond
    if isinstance(inner, Compare) and inner.op == "equals" and inner.value is not None:
        return inner.fact, inner.value, not negated
    return None
