"""Per-book tables derived once from a book's dated counting rules.

The basis of each general counting rule (``counting``) changes only on a ``valid_from`` of one
of its values or on the day after a ``valid_until``.  Between two such days every deadline
cites the same :class:`~govdisclose.periods.basis.CountingBasis`, so it is built once per
interval and found by bisection: a batch of requests received on hundreds of different days
builds a handful of bases, not one per day.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from ..periods.basis import CountingBasis
from .vocabulary import CountingRuleKind

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .parts import CountingRule

__all__ = ["BasisTable"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class BasisTable(FieldRepr):
    """The counting basis on any day: ``bases[i]`` holds on every day ``d`` with
    ``bounds[i-1] <= d < bounds[i]`` (the first before ``bounds[0]``, the last from
    ``bounds[-1]`` on)."""

    bounds: tuple[date, ...]
    bases: tuple[CountingBasis, ...]

    @classmethod
    def of(cls, counting: Mapping[CountingRuleKind, CountingRule]) -> BasisTable:
        days: set[date] = set()
        for rule in counting.values():
            for value in rule.values:
                if value.valid_from is not None:
                    days.add(value.valid_from)
                if value.valid_until is not None and value.valid_until < date.max:
                    days.add(value.valid_until + timedelta(days=1))
        bounds = tuple(sorted(days))
        # Each interval is represented by its first day (date.min for the one before all).
        return cls(bounds, tuple(_bases_on(counting, day) for day in (date.min, *bounds)))

    def on(self, day: date) -> CountingBasis:
        """The basis of every counting rule on ``day``."""
        return self.bases[bisect_right(self.bounds, day)]


def _bases_on(counting: Mapping[CountingRuleKind, CountingRule], on: date) -> CountingBasis:
    """The basis of every counting rule on ``on``: the citations in force that day, or the
    review note where the text is not available."""
    def text(kind: CountingRuleKind) -> str | None:
        rule = counting.get(kind)
        basis = rule.basis_on(on) if rule is not None else None
        return basis.text if basis is not None else None

    return CountingBasis(
        start=text(CountingRuleKind.START_NOT_COUNTED), end=text(CountingRuleKind.END_ROLLED),
        pause=text(CountingRuleKind.PAUSE), restart=text(CountingRuleKind.RESTART),
        extension=text(CountingRuleKind.EXTENSION), hours=text(CountingRuleKind.HOURS))
