"""Recurring duties falling due in a year (annual report, ledgers, filings, …).

:func:`obligations_for_year` computes them; :func:`govdisclose.outputs.ics.to_ics` writes them
as an iCalendar file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..errors import ArgumentError
from ..rulebook.model import Relation

if TYPE_CHECKING:
    from ..rulebook.model import Obligation, ObligationValue, Rulebook

__all__ = ["ObligationDue", "obligations_for_year"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ObligationDue(FieldRepr):
    """One duty falling due: ``due`` is None for a yearly duty with no fixed date."""

    id: str
    label: str
    label_en: str | None
    due: date | None
    year: int
    covers: str | None
    actor: str | None
    book: str
    relation: Relation
    sources: tuple[str, ...]
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "label_en": self.label_en,
                "due": self.due.isoformat() if self.due else None, "year": self.year,
                "covers": self.covers, "actor": self.actor, "rulebook": self.book,
                "relation": self.relation.value, "sources": list(self.sources),
                "note": self.note}


def _relation(book: Rulebook, obligation: Obligation, value: ObligationValue, due: date
              ) -> tuple[Relation, date, ObligationValue]:
    """Compare a local due date with the national one for the same duty and year.

    A later local date is contrary to higher law: the national date applies.
    """
    root = book.root
    if value.book == root.id:
        return (Relation.NATIONAL if book is root else Relation.INHERITED), due, value
    base_ob = root.obligations.get(obligation.id)
    base = base_ob.value_on(due) if base_ob else None
    if base is None or base.schedule is None:
        return Relation.LOCAL, due, value
    base_dates = base.schedule.due_dates(due.year)
    if len(base_dates) != 1:
        return Relation.INCOMPARABLE, due, value
    national = base_dates[0]
    if due > national:
        return Relation.CONFLICT, national, base
    return (Relation.SAME if due == national else Relation.STRICTER), due, value


def obligations_for_year(book: Rulebook, year: int) -> list[ObligationDue]:
    """Every recurring duty of ``book`` falling due in ``year``, in date order.

    The schedule in force on each due date applies; undated yearly duties come last.

    Raises:
        ArgumentError: ``year`` is not one a date can hold (1 to 9999).
    """
    if not isinstance(year, int) or not MINYEAR <= year <= MAXYEAR:
        msg = f"year must be from {MINYEAR} to {MAXYEAR} (got {year!r}) / 年份应为 {MINYEAR}—{MAXYEAR}"
        raise ArgumentError(msg)
    out: list[ObligationDue] = []
    for key, obligation in sorted(book.obligations.items()):
        seen: set[date] = set()
        probe = [date(year, m, 1) for m in range(1, 13)] + [date(year, 12, 31)]
        for day in probe:
            value = obligation.value_on(day)
            if value is None or value.schedule is None:
                continue
            if value.schedule.undated:
                if not any(o.id == key and o.due is None for o in out):
                    out.append(ObligationDue(
                        key, obligation.label, obligation.label_en, None, year,
                        value.schedule.covers, obligation.actor, value.book, Relation.LOCAL,
                        tuple(str(c) for c in value.cites), "每年一次，无固定日期 / once a year, no "
                        "fixed date"))
                continue
            for due in value.schedule.due_dates(year):
                if due in seen or obligation.value_on(due) is not value:
                    continue
                seen.add(due)
                relation, applied, used = _relation(book, obligation, value, due)
                note = None
                if relation is Relation.CONFLICT:
                    note = (f"本地规定 {due.isoformat()} 晚于上位法规定的 {applied.isoformat()}，"
                            f"适用上位法 / the local date {due.isoformat()} is later than the "
                            f"national {applied.isoformat()}; higher law prevails")
                out.append(ObligationDue(
                    key, obligation.label, obligation.label_en, applied, year,
                    value.schedule.covers, obligation.actor, used.book, relation,
                    tuple(str(c) for c in used.cites), note))
    out.sort(key=lambda o: (o.due is None, o.due or date.max, o.id))
    return out
