"""The information processing fee (国办函〔2020〕109号), computed from the rulebook's tiers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ArgumentError, GovDiscloseError
from ..rulebook.vocabulary import FeePolicy

if TYPE_CHECKING:
    from ..rulebook.model import FeeScale, FeeTier, Rulebook
    from ..rulebook.vocabulary import Term

__all__ = ["FeeResult", "fee"]


@dataclass(frozen=True, slots=True)
class FeeResult:
    """A fee total with its breakdown by tier (yuan)."""

    scale: str
    units: int
    total: float
    breakdown: tuple[dict[str, Any], ...]
    sources: tuple[str, ...]
    #: when a fee may be charged at all: the book's ``fees`` policy (条例 2019 第四十二条:
    #: only for requests clearly excessive in number or frequency), with its sources
    condition: Term | None = None
    condition_sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"scale": self.scale, "units": self.units, "total": self.total,
                "currency": "CNY", "breakdown": list(self.breakdown),
                "sources": list(self.sources),
                "condition": None if self.condition is None else {
                    "policy": self.condition.value, "zh": self.condition.zh,
                    "en": self.condition.en, "sources": list(self.condition_sources)}}


def _bands(tier: FeeTier, last_unit: int) -> list[tuple[int, int, float]]:
    """(first, last, price) bands of one tier up to ``last_unit``."""
    end = last_unit if tier.last is None else min(tier.last, last_unit)
    if tier.first > end:
        return []
    if tier.last is not None or tier.band is None:
        return [(tier.first, end, tier.price)]
    # Open-ended progressive tier: the price rises by ``increment`` every ``band`` units.
    out = []
    first, price = tier.first, tier.price
    while first <= end:
        last = min(first + tier.band - 1, end)
        out.append((first, last, price))
        first, price = last + 1, price + (tier.increment or 0)
    return out


def fee(book: Rulebook, scale: str, units: int) -> FeeResult:
    """Total fee for ``units`` requests (``per_request``) or pages (``per_volume``).

    Each unit is priced by the tier it falls in (progressive, marginal).

    Raises:
        GovDiscloseError: the book has no such fee scale.
        ValueError: negative ``units``.
    """
    if units < 0:
        msg = f"units must be >= 0 (got {units})"
        raise ArgumentError(msg)
    table: FeeScale | None = book.fees.get(scale)
    if table is None:
        msg = f"rulebook {book.id} has no fee scale {scale!r} / 规则集未规定该收费方式"
        raise GovDiscloseError(msg)
    breakdown = []
    total = 0.0
    for tier in table.tiers:
        for first, last, price in _bands(tier, units):
            count = last - first + 1
            subtotal = count * price
            total += subtotal
            breakdown.append({"from": first, "to": last, "units": count, "price": price,
                              "subtotal": subtotal})
    policy, _, _ = book.policy("fees")
    condition = FeePolicy(policy.value) if policy is not None else None
    if condition is FeePolicy.FREE:  # the book charges nothing, whatever the tiers say
        total, breakdown = 0.0, []
    return FeeResult(scale, units, total, tuple(breakdown), tuple(str(c) for c in table.cites),
                     condition, tuple(str(c) for c in policy.cites) if policy else ())
