"""The facts of a request (``facts``) checked against the rulebook: each declared, of its
declared type, an exemption ground one of the book's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._suggest import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .._yaml import YamlDocument
    from ..errors import Problem
    from ..rulebook.model import Rulebook

__all__ = ["check_facts", "facts_clear"]


def check_facts(book: Rulebook, facts: Mapping[str, Any], doc: YamlDocument,
                path: tuple[str | int, ...]) -> list[Problem]:
    """Facts must be declared by the rulebook and have the declared type."""
    problems = []
    for name, value in facts.items():
        if not isinstance(name, str):  # a dict passed in: its keys may be anything
            problems.append(doc.problem(path, "fact.key",
                                        f"事实名 {name!r} 不是字符串：JSON 对象的键必须是字符串",
                                        f"fact name {name!r} is not a string: JSON object keys "
                                        "are strings"))
            continue
        fact = book.facts.get(name)
        if fact is None:
            guess = [g] if (g := did_you_mean(name, book.facts)) else []
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            problems.append(doc.problem((*path, name), "fact.unknown",
                                        f"规则集 {book.id} 未声明事实 {name!r}",
                                        f"rulebook {book.id} declares no fact {name!r}{hint}"))
            continue
        kind = fact.type
        # only the declared type's check (this runs for every fact of every request)
        if kind == "boolean":
            ok = isinstance(value, bool)
        elif kind == "string":
            ok = isinstance(value, str) and (fact.values is None or value in fact.values)
        elif kind == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif kind == "list":  # a list of keys (exemption grounds, requirements): strings only
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        else:
            raise KeyError(kind)  # a type the rulebook schema does not allow
        if not ok:
            allowed = f"（可选：{', '.join(fact.values)}）" if fact.values else ""
            problems.append(doc.problem((*path, name), "fact.type",
                                        f"事实 {name} 应为 {fact.type}"
                                        f"{'（元素为字符串）' if fact.type == 'list' else ''}"
                                        f"{allowed}，实际为 {value!r}",
                                        f"fact {name} must be a {fact.type}"
                                        + (" of strings" if fact.type == "list" else "")
                                        + (f" among {', '.join(fact.values)}" if fact.values else "")
                                        + f" (got {value!r})"))
    if "exemption_grounds" in facts and isinstance(facts["exemption_grounds"], list):
        for i, ground in enumerate(facts["exemption_grounds"]):
            if isinstance(ground, str) and ground not in book.exemptions:
                problems.append(doc.problem((*path, "exemption_grounds", i), "fact.ground",
                                            f"规则集 {book.id} 没有不予公开情形 {ground!r}",
                                            f"rulebook {book.id} has no exemption ground "
                                            f"{ground!r}; known: {', '.join(book.exemptions)}"))
    return problems


#: The exact types of a valid value of each fact type (a subclass goes to check_facts, which
#: decides as isinstance() does).  No type for a number: it goes to check_facts too, for the
#: schema bounds a number (finite, an integer within the YAML loader's bound), and a True here
#: must mean that the schema lets the value through (engine/request_dict.py asks no more).
_FACT_TYPES: dict[str, tuple[type, ...]] = {
    "boolean": (bool,), "string": (str,), "number": (), "list": (list,)}


#: A fact table (:func:`_fact_table`): the names of the boolean facts (most facts given), and
#: each other fact's exact types and, for a string, the values allowed (None: any).
FactTable = tuple[frozenset[str], dict[str, tuple[tuple[type, ...], "tuple[str, ...] | None"]]]
#: The name of the book's fact table among its derived tables.
_FACT_TABLE = "engine.fact_types"
#: The row of a fact the book does not declare: no type is valid.
_UNDECLARED: tuple[tuple[type, ...], tuple[str, ...] | None] = ((), None)


def _fact_table(book: Rulebook) -> FactTable:
    """The facts the book declares (read once per book)."""
    return (frozenset(name for name, fact in book.facts.items() if fact.type == "boolean"),
            {name: (_FACT_TYPES[fact.type], fact.values if fact.type == "string" else None)
             for name, fact in book.facts.items() if fact.type != "boolean"})


def facts_clear(book: Rulebook, facts: Mapping[str, Any]) -> bool:
    """Whether check_facts would find nothing: each fact declared with a value of its type,
    a list of strings, each exemption ground one of the book's (the common case, no problem
    to locate; a number is never clear: see _FACT_TYPES).  False sends the facts to
    check_facts."""
    # (the book's table of derived tables read here: the common case without derived()'s call)
    booleans, table = book._derived.get(_FACT_TABLE) or book.derived(_FACT_TABLE, _fact_table)
    for name, value in facts.items():
        if type(value) is bool and name in booleans:
            continue
        types, allowed = table.get(name, _UNDECLARED)
        if type(value) not in types:
            return False
        if allowed is not None and value not in allowed:
            return False
        if type(value) is list:
            for element in value:
                if type(element) is not str:
                    return False
    grounds = facts.get("exemption_grounds")
    if type(grounds) is list:
        known = book.exemptions
        for ground in grounds:
            if ground not in known:
                return False
    return True
