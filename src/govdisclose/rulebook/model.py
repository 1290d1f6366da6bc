"""Rulebooks as immutable values, and the rules in force on a date.

A :class:`Rulebook` is built by :mod:`govdisclose.rulebook.loading` with its ancestors' rules
already merged in (a child states only what it changes; the parent is never mutated).
Resolution applies the rule of higher law (上位法优于下位法): where a local limit is longer than
the national limit in force, or a local procedural rule contradicts the national one, the
national rule applies and the result says why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from .._repr import FieldRepr
from ..errors import LimitNotInForceError, UnknownLimitError
from ..periods.counting import Unit
from .index import InForce, LimitIndex
from .parts import (
    AttributeDef,
    Basis,
    CountingRule,
    DecisionRule,
    DoneBy,
    EventDef,
    Exemption,
    FactDef,
    FeeScale,
    FeeTier,
    Labelled,
    Limit,
    LimitValue,
    Obligation,
    ObligationValue,
    PolicyValue,
    Provision,
    ReceiptRule,
    Remedy,
    ReplyType,
    ReviewNote,
    Schedule,
    Step,
    Workflow,
)
from .tables import BasisTable

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import date
    from pathlib import Path

    from ..messages import Citation, SourceDocument
    from ..periods.basis import CountingBasis
    from .duties import ContentCategory, Duty
    from .vocabulary import CountingRuleKind

__all__ = [
    "AttributeDef",
    "Basis",
    "CountingRule",
    "DecisionRule",
    "DoneBy",
    "EventDef",
    "Exemption",
    "FactDef",
    "FeeScale",
    "FeeTier",
    "Labelled",
    "Limit",
    "LimitNotInForceError",
    "LimitValue",
    "Obligation",
    "ObligationValue",
    "PolicyValue",
    "Provision",
    "ReceiptRule",
    "Relation",
    "Remedy",
    "ReplyType",
    "ResolvedLimit",
    "ReviewNote",
    "Rulebook",
    "Schedule",
    "Step",
    "UnknownLimitError",
    "Workflow",
    "frozen_map",
]

EMPTY: Mapping[str, Any] = MappingProxyType({})
_T = TypeVar("_T")


def frozen_map(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of a fresh copy of ``data``."""
    return MappingProxyType(dict(data))


class Relation(str, enum.Enum):
    """How a local provision stands against the national baseline in force."""

    NATIONAL = "national"  # the national book's own rule
    INHERITED = "inherited"  # not restated locally: the parent's rule applies
    SAME = "same"
    STRICTER = "stricter"  # stricter for the agency (e.g. a shorter limit): lawful
    CONFLICT = "conflict"  # contrary to higher law: the national rule applies
    LOCAL = "local"  # no national counterpart
    ALLOWED = "allowed"  # a choice the national rule leaves to local rules
    INCOMPARABLE = "incomparable"  # different units or start events: no general ranking

    @property
    def zh(self) -> str:
        return {
            "national": "国家规定", "inherited": "沿用上级规定", "same": "与上位法一致",
            "stricter": "严于上位法（合法，适用本地规定）",
            "conflict": "与上位法抵触（适用上位法）", "local": "本地新增规定",
            "allowed": "上位法允许的本地选择",
            "incomparable": "无法一般比较（单位或起算事件不同，待法律审核）",
        }[self.value]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ResolvedLimit(FieldRepr):
    """The limit that applies on a date, after inheritance and the higher-law check."""

    id: str
    label: str
    label_en: str | None
    amount: int | float
    unit: Unit
    from_event: str | None
    up_to: bool
    cites: tuple[Citation, ...]
    book: str  # which book's value applies
    relation: Relation
    local: LimitValue | None = None  # the local value set aside, when in conflict
    note_zh: str | None = None
    note_en: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label, "label_en": self.label_en, "amount": self.amount,
            "unit": self.unit.value, "from": self.from_event, "up_to": self.up_to,
            "book": self.book, "relation": self.relation.value,
            "sources": [c.to_json() for c in self.cites],
        }
        if self.local is not None:
            out["set_aside"] = {"amount": self.local.amount,
                                "unit": self.local.unit.value if self.local.unit else None,
                                "book": self.local.book,
                                "sources": [c.to_json() for c in self.local.cites]}
        if self.note_zh:
            out["note"] = {"zh": self.note_zh, "en": self.note_en}
        return out


def rank(amount: float, unit: Unit, other_amount: float, other_unit: Unit) -> int | None:
    """-1 if the first period always ends no later than the second, 1 if always later,
    0 if equal, None if it depends on the calendar.

    ``n`` calendar days never end after ``m >= n`` working days (a working day is at
    least one calendar day and a calendar-day period ends on a working day).
    """
    if unit == other_unit:
        return (amount > other_amount) - (amount < other_amount)
    if unit is Unit.CALENDAR_DAYS and other_unit is Unit.WORKING_DAYS:
        return -1 if amount <= other_amount else None
    if unit is Unit.WORKING_DAYS and other_unit is Unit.CALENDAR_DAYS:
        return 1 if amount >= other_amount else None
    return None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Rulebook(FieldRepr):
    """One jurisdiction's rules with its ancestors' merged in; immutable."""

    id: str
    name: str
    name_en: str | None
    level: str | None
    description: str | None
    file: Path | None
    parent: Rulebook | None
    sources: Mapping[str, SourceDocument] = field(default_factory=lambda: EMPTY)
    events: Mapping[str, EventDef] = field(default_factory=lambda: EMPTY)
    roles: Mapping[str, Labelled] = field(default_factory=lambda: EMPTY)
    facts: Mapping[str, FactDef] = field(default_factory=lambda: EMPTY)
    limits: Mapping[str, Limit] = field(default_factory=lambda: EMPTY)
    obligations: Mapping[str, Obligation] = field(default_factory=lambda: EMPTY)
    policies: Mapping[str, PolicyValue] = field(default_factory=lambda: EMPTY)
    exemptions: Mapping[str, Exemption] = field(default_factory=lambda: EMPTY)
    replies: Mapping[str, ReplyType] = field(default_factory=lambda: EMPTY)
    decisions: tuple[DecisionRule, ...] = ()
    workflows: Mapping[str, Workflow] = field(default_factory=lambda: EMPTY)
    attributes: Mapping[str, AttributeDef] = field(default_factory=lambda: EMPTY)
    item_vocabulary: Mapping[str, Mapping[str, Labelled]] = field(default_factory=lambda: EMPTY)
    #: an item form's non-disclosure reason -> the exemption ground it stands for
    non_disclosure_grounds: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    requirements: Mapping[str, Labelled] = field(default_factory=lambda: EMPTY)
    requirement_applies_to: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    receipt_rules: tuple[ReceiptRule, ...] = ()
    fees: Mapping[str, FeeScale] = field(default_factory=lambda: EMPTY)
    provisions: Mapping[str, Provision] = field(default_factory=lambda: EMPTY)
    review_notes: tuple[ReviewNote, ...] = ()
    #: duties and permissions about requests, standing rules (``duties``, rulebook/duties.py)
    duties: Mapping[str, Duty] = field(default_factory=lambda: EMPTY)
    #: categories of proactively disclosed information (``proactive_categories``)
    proactive_categories: Mapping[str, ContentCategory] = field(default_factory=lambda: EMPTY)
    #: the general rules of counting periods, each with its basis by date (``counting``)
    counting: Mapping[CountingRuleKind, CountingRule] = field(
        default_factory=lambda: MappingProxyType({}))
    #: the remedies sentence replies state, by date (``remedies``)
    remedies: tuple[Remedy, ...] = ()
    own_limits: frozenset[str] = frozenset()
    own_policies: frozenset[str] = frozenset()
    # Memo of resolved limits: derived from the immutable fields above, never observable.
    _resolved: dict[tuple[str, int, int], ResolvedLimit] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # Memo of the counting bases by interval of days (every deadline asks for one; at most one
    # entry): derived from `counting`.
    _bases: list[BasisTable] = field(default_factory=list, init=False, repr=False, compare=False)
    # Memo of the dated rules in force by interval (rulebook/index.py), per collection name:
    # derived from `decisions`, `receipt_rules` and `remedies`.
    _in_force: dict[str, InForce[Any]] = field(default_factory=dict, init=False, repr=False, compare=False)
    # Memo of the limits by what they are about (at most one entry): derived from `limits`.
    _limit_index: list[LimitIndex] = field(default_factory=list, init=False, repr=False, compare=False)
    # Tables the layers above derive from this book (engine/tables.py), by name; see `derived`.
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def chain(self) -> tuple[str, ...]:
        """Ids from this book up to the root."""
        out: list[str] = []
        book: Rulebook | None = self
        while book is not None:
            out.append(book.id)
            book = book.parent
        return tuple(out)

    @property
    def root(self) -> Rulebook:
        book = self
        while book.parent is not None:
            book = book.parent
        return book

    def limit(self, limit_id: str, on: date) -> ResolvedLimit:
        """The limit ``limit_id`` as it applies on ``on``.

        Raises:
            UnknownLimitError: the book (and its ancestors) have no such limit.
            LimitNotInForceError: no value is in force on ``on``.
        """
        limit = self.limits.get(limit_id)
        if limit is None:
            raise UnknownLimitError(self.id, limit_id, tuple(self.limits))
        value = limit.value_on(on)
        if value is None or value.amount is None or value.unit is None:
            raise LimitNotInForceError(self.id, limit_id, on)
        national = self.root.limits.get(limit_id)
        base = (value if national is limit  # the national book's own limit: same value
                else national.value_on(on) if national is not None else None)
        key = (limit_id, id(value), id(base))
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolve(limit, value, base)
            self._resolved[key] = cached
        return cached

    def _resolve(self, limit: Limit, value: LimitValue, base: LimitValue | None
                 ) -> ResolvedLimit:
        """Resolve one value against the national value in force (memoised by ``limit``)."""
        limit_id = limit.id
        root = self.root
        assert value.amount is not None
        assert value.unit is not None
        if value.book == root.id:
            relation = Relation.NATIONAL if self is root else Relation.INHERITED
            return ResolvedLimit(limit_id, limit.label, limit.label_en, value.amount, value.unit,
                                 value.from_event, value.up_to, value.cites, value.book, relation)
        if base is None or base.amount is None or base.unit is None:
            relation = Relation.LOCAL
        else:
            order = rank(value.amount, value.unit, base.amount, base.unit)
            relation = {None: Relation.INCOMPARABLE, -1: Relation.STRICTER, 0: Relation.SAME,
                        1: Relation.CONFLICT}[order]
            if relation is Relation.CONFLICT:
                zh = (f"本地规定 {value.amount}{value.unit.zh} 长于上位法规定的 "
                      f"{base.amount}{base.unit.zh}，依上位法优于下位法原则适用国家规定")
                en = (f"the local {value.amount} {value.unit.en} is longer than the national "
                      f"{base.amount} {base.unit.en}; higher law prevails (上位法优于下位法)")
                return ResolvedLimit(limit_id, limit.label, limit.label_en, base.amount, base.unit,
                                     base.from_event, base.up_to, base.cites, base.book,
                                     relation, local=value, note_zh=zh, note_en=en)
        return ResolvedLimit(limit_id, limit.label, limit.label_en, value.amount, value.unit,
                             value.from_event, value.up_to, value.cites, value.book, relation)

    def limits_on(self, on: date) -> dict[str, ResolvedLimit]:
        """Every limit in force on ``on``, resolved."""
        out = {}
        for limit_id in sorted(self.limits):
            try:
                out[limit_id] = self.limit(limit_id, on)
            except LimitNotInForceError:
                continue
        return out

    def policy(self, key: str, on: date | None = None
               ) -> tuple[PolicyValue | None, Relation, PolicyValue | None]:
        """The policy that applies (on ``on``, when given: a policy not in force is absent),
        its relation to the national one, and any local value set aside because it conflicts
        with higher law."""
        value = self.policies.get(key)
        if value is None or (on is not None and not value.in_force(on)):
            return None, Relation.LOCAL, None
        root = self.root
        if value.book == root.id:
            return value, (Relation.NATIONAL if self is root else Relation.INHERITED), None
        base = root.policies.get(key)
        if base is not None and on is not None and not base.in_force(on):
            base = None
        if base is None:
            return value, Relation.LOCAL, None
        if value.value == base.value:
            return value, Relation.SAME, None
        if value.value in base.local_may_choose:
            return value, Relation.ALLOWED, None
        return base, Relation.CONFLICT, value

    @property
    def limit_index(self) -> LimitIndex:
        """The limits by what they are about (built on first use; `limits` never changes)."""
        if not self._limit_index:
            self._limit_index.append(LimitIndex.of(self.limits))
        return self._limit_index[0]

    def derived(self, name: str, build: Callable[[Rulebook], _T]) -> _T:
        """The table ``name`` derived from this book by ``build``, built on first use and kept
        as long as the book: the book never changes, so neither does the table.  Each ``name``
        must always be built by the same ``build``."""
        found: _T | None = self._derived.get(name)  # (no cast(): a call on every look-up)
        if found is None:
            found = self._derived[name] = build(self)
        return found

    # -- rules in force on a day ---------------------------------------------------------------

    def _selection(self, name: str, rules: tuple[Any, ...]) -> InForce[Any]:
        """The in-force table of the collection ``name`` (``rules``), built on first use."""
        table = self._in_force.get(name)
        if table is None:
            table = self._in_force[name] = InForce.of(rules)
        return table

    def decisions_on(self, on: date) -> tuple[DecisionRule, ...]:
        """The decision rules in force on ``on``, in order (a child's before its parent's)."""
        return self._selection("decisions", self.decisions).on(on)

    def reply(self, key: str, on: date) -> ReplyType | None:
        """The reply type ``key`` if in force on ``on``."""
        reply = self.replies.get(key)
        return reply if reply is not None and reply.in_force(on) else None

    def receipt_rules_on(self, on: date) -> tuple[ReceiptRule, ...]:
        """The receipt-date rules in force on ``on``."""
        return self._selection("receipt_rules", self.receipt_rules).on(on)

    def workflow(self, kind: str, on: date | None) -> Workflow | None:
        """The ``kind`` workflow in force on ``on`` (``None``: whatever its dates)."""
        workflow = self.workflows.get(kind)
        if workflow is None or (on is not None and not workflow.in_force(on)):
            return None
        return workflow

    def fee_scale(self, key: str, on: date | None = None) -> FeeScale | None:
        """The fee scale ``key`` (in force on ``on``, when given)."""
        scale = self.fees.get(key)
        if scale is None or (on is not None and not scale.in_force(on)):
            return None
        return scale

    def counting_basis(self, kind: CountingRuleKind, on: date) -> Basis | None:
        """The basis of a general counting rule on ``on`` (from the root book's ``counting``)."""
        rule = self.counting.get(kind)
        return rule.basis_on(on) if rule is not None else None

    def counting_bases(self, on: date) -> CountingBasis:
        """The basis of every counting rule on ``on``, as the trace of a deadline cites it:
        the citations in force that day, or the review note where the text is not available
        (one table per book, by interval of days: rulebook/tables.py)."""
        if not self._bases:
            self._bases.append(BasisTable.of(self.counting))
        return self._bases[0].on(on)

    def remedy(self, on: date) -> Remedy | None:
        """The remedies sentence in force on ``on``."""
        found = self._selection("remedies", self.remedies).on(on)
        return found[-1] if found else None
