"""The information processing fee (国办函〔2020〕109号), computed from the rulebook's tiers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..errors import ArgumentError, GovDiscloseError, Problem, RulebookError
from ..rulebook.vocabulary import FeePolicy

if TYPE_CHECKING:
    from ..rulebook.model import FeeScale, Rulebook
    from ..rulebook.vocabulary import Term

__all__ = ["BAND_ROWS", "MAX_FEE_UNITS", "FeeResult", "fee", "yuan"]

#: The most units (requests in a month, or pages) :func:`fee` prices; more is an
#: :class:`ArgumentError`.  No real request comes near it, and every total below it is exact.
MAX_FEE_UNITS = 1_000_000_000
#: A progressive tier lists at most this many bands one by one; the rest of it is one row.
BAND_ROWS = 20


def yuan(fen: int) -> Decimal:
    """``fen`` as an exact amount of yuan with two decimal places (``300000`` → ``3000.00``)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return Decimal(f"{sign}{whole}.{cents:02d}")  # from a string: exact, whatever its size


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FeeResult(FieldRepr):
    """A fee total with its breakdown by tier, exact to the fen.

    ``total`` and each row's ``price`` and ``subtotal`` are :class:`~decimal.Decimal` yuan with
    two decimal places; ``to_json`` writes them as strings (``"3000.00"``).  A row is one band
    of a tier: ``from``, ``to``, ``units``, ``price`` (yuan per unit), ``subtotal``; a row that
    gathers the remaining bands of a progressive tier (past :data:`BAND_ROWS`) also has
    ``price_to`` (the price of its last band), ``band`` and ``increment``.
    """

    scale: str
    units: int
    total: Decimal
    breakdown: tuple[dict[str, Any], ...]
    sources: tuple[str, ...]
    #: when a fee may be charged at all: the book's ``fees`` policy (条例 2019 第四十二条:
    #: only for requests clearly excessive in number or frequency), with its sources
    condition: Term | None = None
    condition_sources: tuple[str, ...] = ()

    @property
    def total_fen(self) -> int:
        """The total in fen (分), an integer."""
        return int(self.total * 100)

    def to_json(self) -> dict[str, Any]:
        return {"scale": self.scale, "units": self.units, "total": str(self.total),
                "currency": "CNY",
                "breakdown": [{k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()}
                              for row in self.breakdown],
                "sources": list(self.sources),
                "condition": None if self.condition is None else {
                    "policy": self.condition.value, "zh": self.condition.zh,
                    "en": self.condition.en, "sources": list(self.condition_sources)}}


def _fen(book: Rulebook, scale: str, i: int, key: str, amount: float | None) -> int:
    """A rulebook amount in yuan as whole fen; a fraction of a fen or a non-finite number is a
    :class:`RulebookError`."""
    if amount is None:
        return 0
    if isinstance(amount, int):
        return amount * 100
    fen = Fraction(str(amount)) * 100 if math.isfinite(amount) else None
    if fen is None or fen.denominator != 1:
        raise RulebookError([Problem(
            "fees.amount", f"收费标准 {amount!r} 元不是以分为单位的有限金额",
            f"fee amount {amount!r} yuan is not a finite amount in whole fen",
            None if book.file is None else str(book.file),
            None, None, ("fees", scale, "tiers", i, key))])
    return int(fen)


def _row(first: int, last: int, price: int, subtotal: int) -> dict[str, Any]:
    return {"from": first, "to": last, "units": last - first + 1, "price": yuan(price),
            "subtotal": yuan(subtotal)}


def _progressive(first: int, count: int, price: int, band: int, increment: int
                 ) -> list[dict[str, Any]]:
    """Rows of an open-ended tier whose price (fen) rises by ``increment`` every ``band``
    units: the first bands one by one, the rest (past :data:`BAND_ROWS`) as one row.  The
    arithmetic is closed-form: its cost does not grow with ``count``."""
    bands = -(-count // band)
    shown = bands if bands <= BAND_ROWS else BAND_ROWS - 1
    rows = []
    for j in range(shown):
        lo = first + j * band
        hi = min(lo + band - 1, first + count - 1)
        rows.append(_row(lo, hi, price + j * increment, (hi - lo + 1) * (price + j * increment)))
    if shown < bands:
        lo, rest = first + shown * band, count - shown * band
        start = price + shown * increment
        full, part = divmod(rest, band)
        subtotal = band * (full * start + increment * full * (full - 1) // 2) \
            + part * (start + full * increment)
        row = _row(lo, first + count - 1, start, subtotal)
        row.update({"price_to": yuan(price + (bands - 1) * increment), "band": band,
                    "increment": yuan(increment)})
        rows.append(row)
    return rows


def fee(book: Rulebook, scale: str, units: int) -> FeeResult:
    """Total fee for ``units`` requests (``per_request``) or pages (``per_volume``).

    Each unit is priced by the tier it falls in (progressive, marginal).  The cost grows with
    the number of tiers, not with ``units``; every amount is exact (integer fen internally).

    Raises:
        ArgumentError: ``units`` is not a whole number from 0 to :data:`MAX_FEE_UNITS`.
        GovDiscloseError: the book has no such fee scale.
        RulebookError: a tier's price is not a finite amount in whole fen.
    """
    if isinstance(units, bool) or not isinstance(units, int) or units < 0:
        msg = f"units must be a whole number >= 0 (got {units!r}) / 数量应为不小于 0 的整数"
        raise ArgumentError(msg)
    if units > MAX_FEE_UNITS:
        msg = (f"at most {MAX_FEE_UNITS:,} units can be priced (got {units:,}) / 最多计算 "
               f"{MAX_FEE_UNITS:,} 件（页）")
        raise ArgumentError(msg)
    table: FeeScale | None = book.fees.get(scale)
    if table is None:
        msg = f"rulebook {book.id} has no fee scale {scale!r} / 规则集未规定该收费方式"
        raise GovDiscloseError(msg)
    breakdown: list[dict[str, Any]] = []
    total = 0
    for i, tier in enumerate(table.tiers):
        end = units if tier.last is None else min(tier.last, units)
        if tier.first > end:
            continue
        price = _fen(book, scale, i, "price", tier.price)
        if tier.last is None and tier.band is not None:
            rows = _progressive(tier.first, end - tier.first + 1, price, tier.band,
                                _fen(book, scale, i, "increment", tier.increment))
        else:
            rows = [_row(tier.first, end, price, (end - tier.first + 1) * price)]
        breakdown.extend(rows)
        total += sum(int(row["subtotal"] * 100) for row in rows)
    policy, _, _ = book.policy("fees")
    condition = FeePolicy(policy.value) if policy is not None else None
    if condition is FeePolicy.FREE:  # the book charges nothing, whatever the tiers say
        total, breakdown = 0, []
    return FeeResult(scale, units, yuan(total), tuple(breakdown),
                     tuple(str(c) for c in table.cites), condition,
                     tuple(str(c) for c in policy.cites) if policy else ())
