"""Tables the engine derives once per rulebook object, so evaluating a request looks things up
instead of filtering the book's collections again.

A :class:`~govdisclose.rulebook.model.Rulebook` is immutable: anything computed from it alone
is computed on first use and kept on the book (:meth:`Rulebook.derived`), living and dying
with it — no global registry keyed by ``id(book)`` that could outlive a book and hand its
table to a new object at the same address.  Three live here:

- the request duties in force on a day, per interval of days (as ``rulebook/index.py`` does
  for decision rules);
- the deadline memo: deadlines by everything they are computed from, shared by the requests
  received on one day with the same record;
- the decision memo: which decision rule governs a request depends only on the rules in force
  (one of a few interval selections, each a tuple kept by the book) and on the values of the
  facts those rules read, so the choice — and the rules it set aside, replayed into each
  request's own trace — is computed once per combination of fact values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import fact_names
from ..rulebook.index import InForce
from ..rulebook.vocabulary import LimitAbout

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..periods.counting import Deadline
    from ..rulebook.duties import Duty
    from ..rulebook.model import DecisionRule, Rulebook

__all__ = ["Choice", "DeadlineMemo", "DecisionMemo", "deadline_memo", "decision_memo",
           "request_duties_on"]

#: A memo holding more entries than this is emptied and refilled: a stream of requests with
#: ever new fact values (numbers) must not grow it without bound.
MAX_MEMO_ENTRIES = 4096


def _request_duties(book: Rulebook) -> InForce[Duty]:
    return InForce.of(d for d in book.duties.values() if d.about is LimitAbout.REQUEST)


def request_duties_on(book: Rulebook, on: date) -> tuple[Duty, ...]:
    """The book's duties about requests in force on ``on``, in the book's order."""
    return book.derived("engine.request_duties", _request_duties).on(on)


#: A rule that would have fired, set aside for higher law: (rule, the rule applied instead,
#: pre-empted by a mandatory national outcome rather than classed a conflict).
SetAside = tuple["DecisionRule", "DecisionRule | None", bool]
#: The rule chosen (None: no rule fires) and the rules set aside on the way, in order.
Choice = tuple["DecisionRule | None", tuple[SetAside, ...]]


@dataclass(frozen=True, slots=True)
class DecisionMemo:
    """The choice of decision rule per selection of rules and fact values."""

    #: every fact a decision rule of the book or of its root reads, sorted
    facts: tuple[str, ...]
    #: the positions in ``facts`` of the facts declared lists (keyed as tuples)
    lists: tuple[int, ...] = ()
    #: key -> (the rules and the national rules chosen among, the choice); the rule tuples are
    #: kept to be compared by identity: a key holds only their ids, and a book copied into
    #: another process (pickled) brings its memo but not the addresses
    choices: dict[tuple[Any, ...], tuple[Any, Any, Choice]] = field(default_factory=dict)

    def key(self, rules: tuple[DecisionRule, ...], national: tuple[DecisionRule, ...],
            facts: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The memo key of a choice among ``rules`` (``national``: the root's in force) for
        ``facts``; None when a fact value cannot be a key (then nothing is memoised).

        The rule tuples are the book's own interval selections, alive as long as the book
        and this memo, so their ids name them.  The values' types are part of the key:
        ``1``, ``1.0`` and ``True`` are equal keys but not the same to every operator.
        """
        values: list[Any] = list(map(facts.get, self.facts))
        types = tuple(map(type, values))
        for i in self.lists:
            if types[i] is list:
                values[i] = tuple(values[i])
        key = (id(rules), id(national), types, *values)
        try:
            hash(key)
        except TypeError:  # a list where none is declared (a Request built by hand)
            return None
        return key

    def get(self, key: tuple[Any, ...], rules: tuple[DecisionRule, ...],
            national: tuple[DecisionRule, ...]) -> Choice | None:
        hit = self.choices.get(key)
        return hit[2] if hit is not None and hit[0] is rules and hit[1] is national else None

    def remember(self, key: tuple[Any, ...], rules: tuple[DecisionRule, ...],
                 national: tuple[DecisionRule, ...], choice: Choice) -> None:
        if len(self.choices) >= MAX_MEMO_ENTRIES:
            self.choices.clear()
        self.choices[key] = (rules, national, choice)


def _decision_memo(book: Rulebook) -> DecisionMemo:
    names: set[str] = set()
    for rule in (*book.decisions, *book.root.decisions):
        fact_names(rule.when, names)
    ordered = tuple(sorted(names))
    lists = tuple(i for i, name in enumerate(ordered)
                  if (fact := book.facts.get(name)) is not None and fact.type == "list")
    return DecisionMemo(ordered, lists)


def decision_memo(book: Rulebook) -> DecisionMemo:
    """The book's decision memo (empty at first)."""
    return book.derived("engine.decisions", _decision_memo)


class DeadlineMemo:
    """Deadlines of the book's limits by everything they are computed from.

    A deadline is a pure function of the book, the limit, the start, the day whose rules
    apply, the receipt policy, the record's pauses, restart and extension, and the calendar;
    requests received on the same day with the same record share one (immutable) deadline.
    The calendar is compared by identity and kept with the deadline it made.
    """

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[tuple[Any, ...], tuple[object, Deadline]] = {}

    def get(self, key: tuple[Any, ...], calendar: object) -> Deadline | None:
        hit = self.entries.get(key)
        return hit[1] if hit is not None and hit[0] is calendar else None

    def remember(self, key: tuple[Any, ...], calendar: object, deadline: Deadline) -> None:
        if len(self.entries) >= MAX_MEMO_ENTRIES:
            self.entries.clear()
        self.entries[key] = (calendar, deadline)


def _deadline_memo(_book: Rulebook) -> DeadlineMemo:
    return DeadlineMemo()


def deadline_memo(book: Rulebook) -> DeadlineMemo:
    """The book's deadline memo (empty at first)."""
    return book.derived("engine.deadlines", _deadline_memo)
