"""Rulebooks as immutable values, and the rules in force on a date.

A :class:`Rulebook` is built by :mod:`govdisclose.rulebook.loading` with its ancestors'
rules already merged in (a child states only what it changes; the parent is
never mutated).  Resolution applies the rule of higher law
(上位法优于下位法): where a local limit is longer than the national limit in
force, or a local procedural rule contradicts the national one, the national
rule applies and the result says why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import LimitNotInForceError, UnknownLimitError
from ..periods.counting import Unit

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from ..messages import Citation, SourceDocument
    from .conditions import Condition

__all__ = [
    "DecisionRule",
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
    INCOMPARABLE = "incomparable"  # different units that cannot be ranked in general

    @property
    def zh(self) -> str:
        return {
            "national": "国家规定", "inherited": "沿用上级规定", "same": "与上位法一致",
            "stricter": "严于上位法（合法，适用本地规定）",
            "conflict": "与上位法抵触（适用上位法）", "local": "本地新增规定",
            "allowed": "上位法允许的本地选择",
            "incomparable": "单位不同，无法一般比较（待法律审核）",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Labelled:
    key: str
    label: str
    label_en: str | None = None
    description: str | None = None
    cites: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class FactDef:
    name: str
    type: str
    values: tuple[str, ...] | None
    label: str
    label_en: str | None = None


def _in_force(valid_from: date | None, valid_until: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_until is None or on <= valid_until)


_V = TypeVar("_V", "LimitValue", "ObligationValue")


def _in_force_value(values: tuple[_V, ...], on: date) -> _V | None:
    """The last dated value in force on ``on`` (values are sorted), unless it repeals."""
    found = None
    for value in values:
        if value.in_force(on):
            found = value
    return None if found is None or found.repealed else found


@dataclass(frozen=True, slots=True)
class LimitValue:
    valid_from: date | None
    valid_until: date | None
    amount: int | float | None
    unit: Unit | None
    from_event: str | None
    up_to: bool
    repealed: bool
    cites: tuple[Citation, ...]
    book: str

    def in_force(self, on: date) -> bool:
        return _in_force(self.valid_from, self.valid_until, on)


@dataclass(frozen=True, slots=True)
class Limit:
    id: str
    label: str
    label_en: str | None
    actor: str | None
    extension_of: str | None
    pause_window_for: str | None
    values: tuple[LimitValue, ...]
    book: str
    applies_when: Condition | None = None

    def value_on(self, on: date) -> LimitValue | None:
        """The value in force on ``on``; the latest-starting one wins."""
        return _in_force_value(self.values, on)


@dataclass(frozen=True, slots=True)
class Schedule:
    every: str
    month: int | None = None
    day: int | None = None
    dates: tuple[tuple[int, int], ...] = ()
    covers: str | None = None

    def due_dates(self, year: int) -> list[date]:
        """Every due date falling in ``year`` (a missing day-of-month clamps to month end)."""
        import calendar as _cal

        def make(month: int, day: int) -> date:
            return date(year, month, min(day, _cal.monthrange(year, month)[1]))

        if self.every == "month":
            return [make(m, self.day or 1) for m in range(1, 13)]
        if self.dates:
            return [make(m, d) for m, d in self.dates]
        if self.month is None or self.day is None:
            return []  # once a year, no fixed date (e.g. 每年至少开展一次社会评议)
        return [make(self.month, self.day)]

    @property
    def undated(self) -> bool:
        """A yearly duty the source gives no date for."""
        return self.every == "year" and not self.dates and self.month is None


@dataclass(frozen=True, slots=True)
class ObligationValue:
    valid_from: date | None
    valid_until: date | None
    schedule: Schedule | None
    repealed: bool
    cites: tuple[Citation, ...]
    book: str

    def in_force(self, on: date) -> bool:
        return _in_force(self.valid_from, self.valid_until, on)


@dataclass(frozen=True, slots=True)
class Obligation:
    id: str
    label: str
    label_en: str | None
    actor: str | None
    values: tuple[ObligationValue, ...]
    book: str

    def value_on(self, on: date) -> ObligationValue | None:
        """The schedule in force on ``on``; the latest-starting one wins."""
        return _in_force_value(self.values, on)


@dataclass(frozen=True, slots=True)
class PolicyValue:
    key: str
    value: str
    local_may_choose: tuple[str, ...]
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True)
class Exemption:
    key: str
    label: str
    label_en: str | None
    strength: str
    overrides: tuple[str, ...]
    cites: tuple[Citation, ...]
    book: str
    sources: tuple[str, ...] = ()  # the citations as text, kept ready for outcomes


@dataclass(frozen=True, slots=True)
class ReplyType:
    key: str
    label: str
    label_en: str | None
    notice: str | None
    contents: tuple[str, ...]
    remedies: bool
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True)
class DecisionRule:
    id: str
    when: Condition
    reply: str
    grounds: tuple[str, ...]
    note: str | None
    cites: tuple[Citation, ...]
    book: str
    sources: tuple[str, ...] = ()  # the citations as text, kept ready for outcomes


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    label: str
    label_en: str | None
    role: str | None
    limit: str | None
    when: Condition | None
    next: tuple[str, ...]
    cites: tuple[Citation, ...]
    sources: tuple[str, ...] = ()  # the citations as text, kept ready for outcomes


@dataclass(frozen=True, slots=True)
class Workflow:
    kind: str
    start: str
    steps: tuple[Step, ...]
    book: str
    fact_names: tuple[str, ...] = ()  # facts the step conditions read
    # Memo of step orders by the values of ``fact_names`` (see workflow.walk).
    memo: dict[tuple[Any, ...], tuple[Step, ...]] = field(
        default_factory=dict, repr=False, compare=False)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


@dataclass(frozen=True, slots=True)
class ReceiptRule:
    channels: tuple[str, ...]
    received_on: str
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True)
class FeeTier:
    first: int
    last: int | None
    price: float
    band: int | None = None
    increment: float | None = None


@dataclass(frozen=True, slots=True)
class FeeScale:
    key: str
    label: str
    tiers: tuple[FeeTier, ...]
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True)
class Provision:
    id: str
    label: str
    label_en: str | None
    relation: str | None
    cites: tuple[Citation, ...]
    book: str
    applies_when: Condition | None = None


@dataclass(frozen=True, slots=True)
class ReviewNote:
    topic: str
    reading: str
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True)
class ResolvedLimit:
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


@dataclass(frozen=True, slots=True)
class Rulebook:
    """One jurisdiction's rules with its ancestors' merged in; immutable."""

    id: str
    name: str
    name_en: str | None
    level: str | None
    description: str | None
    file: Path | None
    parent: Rulebook | None
    sources: Mapping[str, SourceDocument] = field(default_factory=lambda: EMPTY)
    events: Mapping[str, Labelled] = field(default_factory=lambda: EMPTY)
    roles: Mapping[str, Labelled] = field(default_factory=lambda: EMPTY)
    facts: Mapping[str, FactDef] = field(default_factory=lambda: EMPTY)
    limits: Mapping[str, Limit] = field(default_factory=lambda: EMPTY)
    obligations: Mapping[str, Obligation] = field(default_factory=lambda: EMPTY)
    policies: Mapping[str, PolicyValue] = field(default_factory=lambda: EMPTY)
    exemptions: Mapping[str, Exemption] = field(default_factory=lambda: EMPTY)
    replies: Mapping[str, ReplyType] = field(default_factory=lambda: EMPTY)
    decisions: tuple[DecisionRule, ...] = ()
    workflows: Mapping[str, Workflow] = field(default_factory=lambda: EMPTY)
    attributes: Mapping[str, Labelled] = field(default_factory=lambda: EMPTY)
    item_vocabulary: Mapping[str, Mapping[str, Labelled]] = field(default_factory=lambda: EMPTY)
    requirements: Mapping[str, Labelled] = field(default_factory=lambda: EMPTY)
    requirement_applies_to: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    receipt_rules: tuple[ReceiptRule, ...] = ()
    fees: Mapping[str, FeeScale] = field(default_factory=lambda: EMPTY)
    provisions: Mapping[str, Provision] = field(default_factory=lambda: EMPTY)
    review_notes: tuple[ReviewNote, ...] = ()
    own_limits: frozenset[str] = frozenset()
    own_policies: frozenset[str] = frozenset()
    #: ``request.*`` limits that count on their own (no extensions or consultation windows).
    request_limits: tuple[str, ...] = ()
    # Memo of resolved limits: derived from the immutable fields above, never observable.
    _resolved: dict[tuple[str, int, int], ResolvedLimit] = field(
        default_factory=dict, repr=False, compare=False)

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
        base = national.value_on(on) if national is not None else None
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

    def policy(self, key: str) -> tuple[PolicyValue | None, Relation, PolicyValue | None]:
        """The policy that applies, its relation to the national one, and any local value
        set aside because it conflicts with higher law."""
        value = self.policies.get(key)
        if value is None:
            return None, Relation.LOCAL, None
        root = self.root
        if value.book == root.id:
            return value, (Relation.NATIONAL if self is root else Relation.INHERITED), None
        base = root.policies.get(key)
        if base is None:
            return value, Relation.LOCAL, None
        if value.value == base.value:
            return value, Relation.SAME, None
        if value.value in base.local_may_choose:
            return value, Relation.ALLOWED, None
        return base, Relation.CONFLICT, value
