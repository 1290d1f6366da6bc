"""An item's proactive-content category (``proactive_categories`` of the book) checked against
its disclosure attribute: information of a category that applies to the item's agency shall be
disclosed proactively (条例 2019 第二十条、第二十一条)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages import TraceStep, Violation
from ..rulebook.vocabulary import AgencyTier, Attribute

if TYPE_CHECKING:
    from datetime import date

    from ..rulebook.model import Rulebook

__all__ = ["WITHHELD", "check_category"]

#: attributes that keep an item from proactive disclosure
WITHHELD = frozenset({Attribute.ON_REQUEST, Attribute.NOT_DISCLOSED})


def check_category(book: Rulebook, category: str, attribute: str, tier: str | None,
                   on: date | None, trace: list[TraceStep]) -> Violation | None:
    """The finding for an item of ``category`` marked ``attribute`` (``tier``: its agency's
    tier; ``on``: the day it was formed, ``None`` when not recorded)."""
    found = book.proactive_categories.get(category)
    if found is None or (on is not None and not found.in_force(on)):
        return None
    cite = "；".join(str(c) for c in found.cites) or None
    if found.agency_tiers:
        if tier is None:
            trace.append(TraceStep(
                "category.tier_unknown", f"类别“{found.label}”只适用于"
                f"{'、'.join(t.zh for t in found.agency_tiers)}；未写明行政机关层级（agency_tier），"
                "不作判断", f"category {category} applies to "
                f"{', '.join(t.en for t in found.agency_tiers)} only; agency_tier not given, "
                "not judged", cite))
            return None
        if AgencyTier(tier) not in found.agency_tiers:
            trace.append(TraceStep(
                "category.other_tier", f"类别“{found.label}”不适用于{AgencyTier(tier).zh}",
                f"category {category} does not apply to {AgencyTier(tier).en}", cite))
            return None
    if attribute not in WITHHELD:
        return None
    return Violation(
        "item.category_not_proactive", f"属于应当主动公开的“{found.label}”，却标为"
        f"{Attribute(attribute).zh}", f"of a category to be disclosed proactively "
        f"({found.label_en or found.label}) but marked {attribute}", cite)
