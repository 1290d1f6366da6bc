"""Per-book lookups the engine makes on every request, computed once per book.

A :class:`~govdisclose.rulebook.model.Rulebook` is immutable, so anything derived only from
its fields can be computed on first use and kept (private, never observable: the answers are
the same as recomputing them).  Two kinds live here:

- :class:`InForce`: the rules of a dated collection in force on a day.  Whether a rule is in
  force changes only on its ``valid_from`` or on the day after its ``valid_until``, so between
  two consecutive such days the selection is one and the same tuple; it is computed once per
  interval and looked up by bisection, instead of filtering the collection per request.
- :class:`LimitIndex`: the book's limits by what they are about — the limit an event
  discharges (``done_by``), the window of a kind of pause, the extension of a limit, and the
  request limits counted from their own event.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from .._repr import FieldRepr
from .dated import HasValidity, select_in_force
from .vocabulary import LimitAbout

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .parts import Limit

__all__ = ["InForce", "LimitIndex"]

_D = TypeVar("_D", bound=HasValidity)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class InForce(Generic[_D], FieldRepr):
    """The rules of one collection in force on any day, precomputed per interval.

    ``bounds`` are the sorted days on which the selection may change; ``selections[i]`` is
    the selection on every day ``d`` with ``bounds[i-1] <= d < bounds[i]`` (the first one
    before ``bounds[0]``, the last one from ``bounds[-1]`` on).
    """

    bounds: tuple[date, ...]
    selections: tuple[tuple[_D, ...], ...]

    @classmethod
    def of(cls, rules: Iterable[_D]) -> InForce[_D]:
        rules = tuple(rules)
        days: set[date] = set()
        for rule in rules:
            if rule.valid_from is not None:
                days.add(rule.valid_from)
            if rule.valid_until is not None and rule.valid_until < date.max:
                days.add(rule.valid_until + timedelta(days=1))
        bounds = tuple(sorted(days))
        # Each interval is represented by its first day (date.min for the one before all).
        firsts = (date.min, *bounds)
        return cls(bounds, tuple(select_in_force(rules, day) for day in firsts))

    def on(self, day: date) -> tuple[_D, ...]:
        """The rules in force on ``day``, in the collection's order
        (same as ``select_in_force(rules, day)``)."""
        return self.selections[bisect_right(self.bounds, day)]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LimitIndex(FieldRepr):
    """A book's limits looked up by what they are about; the first in the book's order wins
    where several match (as a linear search in ``book.limits`` would find)."""

    #: book event -> the first limit that event discharges (``done_by.event``)
    done_by: Mapping[str, Limit]
    #: pause kind -> the first limit giving the window of that kind (``pause_window_for``)
    window_for: Mapping[str, Limit]
    #: limit id -> the first limit extending it (``extension_of``)
    extension_of: Mapping[str, Limit]
    #: request limits counted from their own event: about requests, neither an extension
    #: nor a pause window, in the book's order
    request: tuple[Limit, ...]

    @classmethod
    def of(cls, limits: Mapping[str, Limit]) -> LimitIndex:
        done_by: dict[str, Limit] = {}
        window_for: dict[str, Limit] = {}
        extension_of: dict[str, Limit] = {}
        for limit in limits.values():
            if limit.done_by is not None:
                done_by.setdefault(limit.done_by.event, limit)
            if limit.pause_window_for is not None:
                window_for.setdefault(str(limit.pause_window_for), limit)
            if limit.extension_of is not None:
                extension_of.setdefault(limit.extension_of, limit)
        request = tuple(lim for lim in limits.values() if lim.about is LimitAbout.REQUEST
                        and not lim.extension_of and not lim.pause_window_for)
        return cls(done_by, window_for, extension_of, request)
