"""The parts a rulebook is made of: limits, obligations, policies, replies, decisions,
workflows, receipt rules, fees, counting rules — immutable values, most of them dated
(:class:`~govdisclose.rulebook.dated.Dated`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from .._repr import FieldRepr
from .dated import Dated
from .index import InForce

if TYPE_CHECKING:
    from datetime import date

    from ..messages import Citation
    from ..periods.counting import Unit
    from .conditions import Condition
    from .vocabulary import CountingRuleKind, LimitAbout
    from .workflows import StepRemoval

__all__ = ["AttributeDef", "Basis", "CountingRule", "DecisionRule", "DoneBy", "EventDef",
           "Exemption", "FactDef", "FeeScale", "FeeTier", "Labelled", "Limit", "LimitValue",
           "Obligation", "ObligationValue", "PolicyValue", "Provision", "ReceiptRule", "Remedy",
           "ReplyType", "ReviewNote", "Schedule", "Step", "Workflow"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Labelled(FieldRepr):
    """A labelled term of a book: a role, an application requirement, an item vocabulary entry."""
    key: str
    label: str
    label_en: str | None = None
    description: str | None = None
    cites: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AttributeDef(FieldRepr):
    """A disclosure attribute (公开属性); ``reason_required`` cites why an item with it must
    state a reason (e.g. not disclosed), empty when none is needed."""

    key: str
    label: str
    label_en: str | None = None
    description: str | None = None
    cites: tuple[Citation, ...] = ()
    reason_required: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class EventDef(FieldRepr):
    """An event periods count from or that discharges a limit (``events``).

    ``otherwise`` names the event to count from when a record does not give this one (桦甸:
    the registration day, which its rules require promptly on receipt); the trace says so.
    """

    key: str
    label: str
    label_en: str | None = None
    description: str | None = None
    cites: tuple[Citation, ...] = ()
    otherwise: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FactDef(FieldRepr):
    """A fact that conditions may read (``facts``): its type and any closed list of values."""
    name: str
    type: str
    values: tuple[str, ...] | None
    label: str
    label_en: str | None = None


_V = TypeVar("_V", "LimitValue", "ObligationValue", "Basis", "Remedy")


def last_in_force(values: tuple[_V, ...], on: date) -> _V | None:
    """The last value in force on ``on`` (values are sorted), ``None`` when it repeals."""
    found = None
    for value in values:
        if value.in_force(on):
            found = value
    return None if found is None or getattr(found, "repealed", False) else found


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class LimitValue(Dated):
    """A time limit's length over a span of days, the event it counts from, or its repeal."""
    amount: int | float | None
    unit: Unit | None
    from_event: str | None
    up_to: bool
    repealed: bool
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DoneBy(FieldRepr):
    """What discharges a limit, and the violation codes for doing it late or not by the due
    date (``None``: that case is not judged)."""

    event: str
    late: str | None
    overdue: str | None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Limit(FieldRepr):
    """A time limit (``limits``), such as replying to a request within 20 working days."""
    id: str
    label: str
    label_en: str | None
    actor: str | None
    extension_of: str | None
    pause_window_for: str | None
    values: tuple[LimitValue, ...]
    book: str
    applies_when: Condition | None = None
    about: LimitAbout | None = None
    done_by: DoneBy | None = None
    # Memo of the values in force by interval (at most one entry; index.InForce): derived from
    # `values`, built on first use, never observable.  Every deadline asks for a value.
    _in_force: list[InForce[LimitValue]] = field(default_factory=list, init=False, repr=False,
                                                 compare=False)

    def value_on(self, on: date) -> LimitValue | None:
        """The value in force on ``on``; the latest-starting one wins
        (as :func:`last_in_force`, looked up in the values' interval table)."""
        if not self._in_force:
            self._in_force.append(InForce.of(self.values))
        selected = self._in_force[0].on(on)
        found = selected[-1] if selected else None
        return None if found is None or found.repealed else found

    def value_from(self, dates: dict[str, date]) -> tuple[LimitValue, date] | None:
        """The value in force on the day of its own start event, among recorded ``dates``
        (event -> day); the latest-starting such value wins."""
        found = None
        for value in self.values:
            start = dates.get(value.from_event or "")
            if start is not None and value.in_force(start) and not value.repealed:
                found = (value, start)
        return found


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Schedule(FieldRepr):
    """When a recurring duty falls due: yearly on fixed dates, or monthly on a day."""
    every: str
    month: int | None = None
    day: int | None = None
    dates: tuple[tuple[int, int], ...] = ()
    covers: str | None = None

    def due_dates(self, year: int) -> list[date]:
        """Every due date falling in ``year`` (a missing day-of-month clamps to month end)."""
        import calendar as _cal
        from datetime import date as _date

        def make(month: int, day: int) -> date:
            return _date(year, month, min(day, _cal.monthrange(year, month)[1]))

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


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ObligationValue(Dated):
    """A recurring duty's schedule over a span of days, or its repeal."""
    schedule: Schedule | None
    repealed: bool
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Obligation(FieldRepr):
    """A recurring duty (``obligations``), such as publishing the annual report by 31 January."""
    id: str
    label: str
    label_en: str | None
    actor: str | None
    values: tuple[ObligationValue, ...]
    book: str
    #: the items this duty attaches to (e.g. a filing for information not disclosed)
    applies_when: Condition | None = None
    #: the book levels it binds (empty: every level); the national baseline lists it anyway
    levels: tuple[str, ...] = ()

    def binds(self, level: str | None) -> bool:
        """Whether an agency of this book ``level`` bears the duty."""
        return not self.levels or level in (None, "national") or level in self.levels

    def value_on(self, on: date) -> ObligationValue | None:
        """The schedule in force on ``on``; the latest-starting one wins."""
        return last_in_force(self.values, on)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class PolicyValue(Dated):
    """A procedural choice (``policies``) over a span of days, and what a local book may choose."""
    key: str
    value: str
    local_may_choose: tuple[str, ...]
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Exemption(FieldRepr):
    """A ground for not disclosing information (``exemptions``) and how strongly it binds."""
    key: str
    label: str
    label_en: str | None
    strength: str
    overrides: tuple[str, ...]
    cites: tuple[Citation, ...]
    book: str
    sources: tuple[str, ...] = ()  # the citations as text, kept ready for outcomes
    restates: str | None = None  # the national ground a local ground restates


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ReplyType(Dated):
    """A form of reply to a request (``replies``): its notice and what it must state."""
    key: str
    label: str
    label_en: str | None
    notice: str | None
    contents: tuple[str, ...]
    remedies: bool
    cites: tuple[Citation, ...]
    book: str
    conflict: bool = False  # classed as conflicting with higher law: never prescribed
    implements: str | None = None  # the national reply type this is a local form of
    # Provisions (relation: conflict) the local form states: reported, never prescribed.
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class DecisionRule(Dated):
    """A rule choosing the reply to a request from its facts (``decisions``)."""
    id: str
    when: Condition
    reply: str
    grounds: tuple[str, ...]
    note: str | None
    cites: tuple[Citation, ...]
    book: str
    sources: tuple[str, ...] = ()  # the citations as text, kept ready for outcomes
    # A national outcome the law makes mandatory: no local rule may pre-empt it.
    mandatory: bool = False
    # Classed as conflicting with higher law: reported, never applied.
    conflict: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Step(FieldRepr):
    """A step of a workflow: who takes it, the limit it keeps, the steps that may follow."""
    id: str
    label: str
    label_en: str | None
    role: str | None
    limit: str | None
    when: Condition | None
    next: tuple[str, ...]
    cites: tuple[Citation, ...]
    sources: tuple[str, ...] = ()  # the citations as text, kept ready for outcomes


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Workflow(Dated):
    """A procedure (``workflows``): handling a request, or reviewing and publishing an item."""
    kind: str
    start: str
    steps: tuple[Step, ...]
    book: str
    fact_names: tuple[str, ...] = ()  # facts the step conditions read
    removals: tuple[StepRemoval, ...] = ()  # the parent's steps this book leaves out (remove)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ReceiptRule(Dated):
    """Which day a request made through the given channels counts as received (``intake``)."""
    channels: tuple[str, ...]
    received_on: str
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FeeTier(FieldRepr):
    """A fee tier: the price per unit from ``first`` to ``last``, rising every ``band`` units."""
    first: int
    last: int | None
    price: float
    band: int | None = None
    increment: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class FeeScale(Dated):
    """An information processing fee (``fees``), per request or per volume, in tiers."""
    key: str
    label: str
    tiers: tuple[FeeTier, ...]
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Provision(FieldRepr):
    """A provision with text but no value (``provisions``) and its relation to higher law."""
    id: str
    label: str
    label_en: str | None
    relation: str | None
    cites: tuple[Citation, ...]
    book: str
    applies_when: Condition | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ReviewNote(FieldRepr):
    """A point left for legal review (``review_notes``): the doubt and the book's reading."""
    topic: str
    reading: str
    cites: tuple[Citation, ...]
    book: str


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Basis(Dated):
    """The legal basis of a rule over a span of days: its citations, or — where the source
    text is not available — only a note for legal review (never a borrowed later article)."""

    cites: tuple[Citation, ...] = ()
    review: str | None = None
    #: ``counting.pause`` only: the pause kinds whose time is not counted on these days
    kinds: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The basis as one line, for traces: the citations, or the review note."""
        if self.cites:
            return "；".join(c.text for c in self.cites)
        return f"待法律审核 / under review: {self.review}"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CountingRule(FieldRepr):
    """One general rule of counting periods (``counting``), with its basis by date."""

    kind: CountingRuleKind
    label: str
    label_en: str | None
    values: tuple[Basis, ...]

    def basis_on(self, on: date) -> Basis | None:
        return last_in_force(self.values, on)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Remedy(Dated):
    """The remedies sentence a reply states (``remedies``), with its basis."""

    text: str
    basis: Basis
