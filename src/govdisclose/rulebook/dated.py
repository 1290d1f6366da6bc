"""Dated rules: what was in force on a day, and the days a book's rules change.

Any rule a later law can change carries optional ``valid_from`` / ``valid_until`` (both
inclusive; an open end applies without limit), as OpenFisca parameters do.  The engine picks
the rule in force on the day that matters — the receipt date for a request — so a request
received in 2015 is judged under the 2008 regulation (国务院令第492号), not the 2019 one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from .._repr import FieldRepr

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from datetime import date

    from .model import Rulebook

__all__ = ["Dated", "HasValidity", "effective_dates", "in_force", "latest_effective_date",
           "select_in_force"]


class HasValidity(Protocol):
    @property
    def valid_from(self) -> date | None: ...

    @property
    def valid_until(self) -> date | None: ...


def in_force(rule: HasValidity, on: date) -> bool:
    """Whether ``rule`` applies on ``on`` (both ends inclusive; ``None`` is open)."""
    return ((rule.valid_from is None or rule.valid_from <= on)
            and (rule.valid_until is None or on <= rule.valid_until))


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Dated(FieldRepr):
    """Base of every dated rule: ``valid_from`` and ``valid_until``, both optional."""

    valid_from: date | None = None
    valid_until: date | None = None

    #: Whether this rule applies on ``on`` (the function itself: no second call per look-up).
    in_force = in_force


_D = TypeVar("_D", bound=HasValidity)


def select_in_force(rules: Iterable[_D], on: date) -> tuple[_D, ...]:
    """The rules of ``rules`` in force on ``on``, in their order."""
    return tuple(r for r in rules if in_force(r, on))


def _dated_rules(book: Rulebook) -> Iterator[HasValidity]:
    """Every dated OGI rule of a book (its ancestors' included, as merged).

    The general counting rules (``counting``) are not OGI rules of the book: a change of the
    Civil Code does not make a new version of a jurisdiction's rulebook.
    """
    for limit in book.limits.values():
        yield from limit.values
    for obligation in book.obligations.values():
        yield from obligation.values
    yield from book.policies.values()
    yield from book.decisions
    yield from book.replies.values()
    yield from book.receipt_rules
    yield from book.fees.values()
    yield from book.workflows.values()


def effective_dates(book: Rulebook) -> tuple[date, ...]:
    """The sorted distinct days on which one of the book's rules starts to apply."""
    return tuple(sorted({r.valid_from for r in _dated_rules(book) if r.valid_from is not None}))


def latest_effective_date(book: Rulebook) -> date | None:
    """The last day one of the book's rules changed (the default date to show a book on), or
    ``None`` for a book whose rules carry no dates (then every rule applies on any day)."""
    dates = effective_dates(book)
    return dates[-1] if dates else None
