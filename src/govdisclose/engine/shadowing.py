"""Local decision rules that could shadow a mandatory national outcome: a local rule tried
before a national one the regulation makes mandatory, which could fire on the same facts with
another reply.  The engine applies the national outcome whatever the order (higher law wins);
``validate`` warns once per such local rule, naming the national rules by article.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..rulebook.conditions import All, Any_, Compare, Not

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from ..rulebook.conditions import Condition
    from ..rulebook.model import DecisionRule, Rulebook

__all__ = ["Shadowing", "shadowing"]

#: Above this many combinations of the other facts a local rule reads, assume it could hold.
_SEARCH_CAP = 1 << 16
_UNSET = object()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Shadowing(FieldRepr):
    """A local decision rule tried before mandatory national rules that could fire on the
    same facts with another reply (the engine applies the national outcome; ``validate``
    warns once per local rule)."""

    local: str
    national: tuple[str, ...]  # the national rules it could pre-empt, in the national order
    zh: str
    en: str


def _candidates(cond: Condition, out: dict[str, list[Any]]) -> None:
    """Values of each fact that can make the atoms of ``cond`` true or false."""
    if isinstance(cond, Compare):
        vals = out.setdefault(cond.fact, [_UNSET])
        if cond.op in ("equals", "not_equals"):
            new = [cond.value, *((not cond.value,) if isinstance(cond.value, bool) else ())]
        elif cond.op == "in":
            new = list(cond.value)
        elif cond.op == "contains":
            new = [[cond.value]]
        elif cond.op == "is_set":
            new = [[], ["_"]]
        elif isinstance(cond.value, int | float):
            new = [cond.value - 1, cond.value, cond.value + 1]
        else:
            new = [cond.value]
        vals.extend(v for v in new if v not in vals)
    elif isinstance(cond, Not):
        _candidates(cond.part, out)
    elif isinstance(cond, All | Any_):
        for part in cond.parts:
            _candidates(part, out)


def _could_both_hold(local: DecisionRule, national: DecisionRule,
                     order: Sequence[DecisionRule]) -> bool:
    """Whether some facts make ``local`` hold while ``national`` is the first national rule
    (``order``) to fire; a search too large to run is answered yes."""
    values: dict[str, list[Any]] = {}
    _candidates(national.when, values)
    _candidates(local.when, values)
    size = 1
    for vals in values.values():
        size *= len(vals)
    if size > _SEARCH_CAP:
        return True
    for combo in itertools.product(*values.values()):
        facts = {k: v for k, v in zip(values, combo, strict=True) if v is not _UNSET}
        if local.when.holds(facts) and national.when.holds(facts):
            first = next((r for r in order if r.when.holds(facts)), None)
            if first is national:
                return True
    return False


def _by_article(rules: Sequence[DecisionRule]) -> str:
    """The national rules grouped by the article they apply, each document named once:
    《…条例》第四十一条 correction_made、correction_forwarded；第三十五条 excessive."""
    groups: dict[tuple[str, str], list[str]] = {}
    for rule in rules:
        for cite in rule.cites[:1] or (None,):
            where = ("", "") if cite is None else (
                str(cite)[: len(str(cite)) - len(cite.article)], cite.article)
            groups.setdefault(where, []).append(rule.id)
    out, named = [], set()
    for (title, article), ids in groups.items():
        head = "" if title in named else title
        named.add(title)
        out.append(f"{head}{article} {'、'.join(ids)}".strip())
    return "；".join(out)


def shadowing(book: Rulebook, on: date) -> list[Shadowing]:
    """Local decision rules that could pre-empt a mandatory national outcome on ``on``: one
    entry per local rule, naming every mandatory national rule it could pre-empt."""
    root = book.root
    if root is book:
        return []
    found = []
    order = root.decisions_on(on)
    mandatory = [r for r in order if r.mandatory]
    for rule in book.decisions_on(on):
        if rule.book == root.id or rule.conflict:
            continue
        form = book.replies.get(rule.reply)
        gives = {rule.reply, form.implements if form is not None else None}
        hits = [national for national in mandatory
                if national.reply not in gives and _could_both_hold(rule, national, order)]
        if not hits:
            continue
        found.append(Shadowing(
            rule.id, tuple(n.id for n in hits),
            f"本地决定规则 {rule.id} 先于下列国家强制规则适用，可能在同一事实上给出不同答复，"
            f"引擎适用国家规则：{_by_article(hits)}",
            f"local decision rule {rule.id} is tried before {len(hits)} mandatory national "
            f"rule(s) ({', '.join(n.id for n in hits)}) and could give another reply on the "
            "same facts; the engine applies the national outcome"))
    return found
