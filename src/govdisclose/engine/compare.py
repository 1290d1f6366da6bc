"""Rulebooks side by side, each local provision classified against the national baseline.

A limit ranks by its amount and unit *and* its starting event (``from``): fifteen working days
from registration are not stricter than twenty from receipt when registration may come later.
Recurring duties (``obligations``) rank by their due date in the year compared (阳泉 每年5月1日前
against 条例第四十九条 1月31日前).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..errors import LimitNotInForceError
from ..rulebook.model import Relation, rank
from .obligations import _relation as _obligation_relation
from .shadowing import shadowing

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from ..rulebook.model import Rulebook
    from ..rulebook.parts import Schedule

__all__ = ["CAPPED", "Cell", "Comparison", "compare_books"]

CAPPED = "无法一般比较，可能更晚时以上位法为准 / capped by higher law"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Cell(FieldRepr):
    """One book's entry for one provision."""

    text: str
    relation: Relation | None
    applies: str | None  # what the engine applies when it differs from ``text``
    sources: tuple[str, ...] = ()
    note: str | None = None  # why the relation is what it is, when the figures alone mislead
    #: a period not ranked in general that the engine caps at the national due date when it
    #: would end later (engine/request_deadlines.py ``_within_higher_law``): never applied against it
    capped: bool = False

    @property
    def label(self) -> str:
        """The relation as the text report prints it."""
        return CAPPED if self.capped else self.relation.zh if self.relation else ""

    def to_json(self) -> dict[str, Any]:
        return {"value": self.text, "relation": self.relation.value if self.relation else None,
                "capped": self.capped, "applies": self.applies, "sources": list(self.sources),
                "note": self.note}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Comparison(FieldRepr):
    on: date
    books: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[Cell | None, ...]], ...]  # (kind, id, cells)

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "rulebooks": list(self.books),
                "rows": [{"kind": kind, "id": key,
                          "cells": {b: (c.to_json() if c else None)
                                    for b, c in zip(self.books, cells, strict=True)}}
                         for kind, key, cells in self.rows]}


def _event_label(book: Rulebook, event: str | None) -> str:
    found = book.events.get(event or "")
    return found.label if found is not None else (event or "—")


def _starts_no_earlier(book: Rulebook, event: str | None, other: str | None) -> bool:
    """Whether ``event`` never happens before ``other``.

    An event that falls back (``otherwise``) to another is recorded no earlier than it: 桦甸
    registers a request on or after receiving it (登记之日 → 收到申请之日).
    """
    seen: set[str] = set()
    while event is not None and event not in seen:
        if event == other:
            return True
        seen.add(event)
        found = book.events.get(event)
        event = found.otherwise if found is not None else None
    return False


def _start_order(book: Rulebook, local: str | None, national: str | None) -> int | None:
    """-1 if the local period never starts later than the national one, 1 if never earlier,
    0 if the same event, None if the two events cannot be ordered in general."""
    if local == national:
        return 0
    if _starts_no_earlier(book, local, national):
        return 1
    if _starts_no_earlier(book, national, local):
        return -1
    return None


def _combined(amount_order: int | None, start_order: int | None) -> Relation:
    """A period is stricter only if it starts no later *and* lasts no longer (and so on)."""
    if amount_order is None or start_order is None:
        return Relation.INCOMPARABLE
    if amount_order <= 0 and start_order <= 0:
        return Relation.SAME if amount_order == start_order == 0 else Relation.STRICTER
    if amount_order >= 0 and start_order >= 0:
        return Relation.CONFLICT
    return Relation.INCOMPARABLE


def _limit_cell(book: Rulebook, limit_id: str, on: date) -> Cell | None:
    if limit_id not in book.limits:
        return None
    try:
        resolved = book.limit(limit_id, on)
    except LimitNotInForceError:
        return Cell("—（未生效 not in force）", None, None)
    shown = resolved.local if resolved.local is not None else None
    if shown is not None and shown.amount is not None and shown.unit is not None:
        text = f"{shown.amount}{shown.unit.zh}"
        applies = f"{resolved.amount}{resolved.unit.zh}"
        sources = tuple(str(c) for c in shown.cites)
    else:
        text = f"{resolved.amount}{resolved.unit.zh}" + ("（最长）" if resolved.up_to else "")
        applies = None
        sources = tuple(str(c) for c in resolved.cites)
    relation, note = resolved.relation, None
    national = book.root.limits.get(limit_id)
    base = national.value_on(on) if national is not None else None
    local_from = shown.from_event if shown is not None else resolved.from_event
    if (relation in (Relation.SAME, Relation.STRICTER) and base is not None
            and base.amount is not None and base.unit is not None
            and local_from != base.from_event):
        local_label = _event_label(book, local_from)
        national_label = _event_label(book, base.from_event)
        text += f"，自{local_label}起算"
        relation = _combined(rank(resolved.amount, resolved.unit, base.amount, base.unit),
                             _start_order(book, local_from, base.from_event))
        note = (f"起算事件不同：本地自{local_label}起算，上位法自{national_label}起算"
                f" / counted from {local_from}, the national period from {base.from_event}")
        if relation is Relation.CONFLICT:
            applies = f"{base.amount}{base.unit.zh}，自{national_label}起算"
    capped = (relation is Relation.INCOMPARABLE and base is not None and base.unit is not None
              and any(lim.id == limit_id for lim in book.limit_index.request))
    if capped and base is not None and base.unit is not None:
        national_label = _event_label(book, base.from_event)
        applies = (f"本地届满日，但不晚于上位法 {base.amount}{base.unit.zh}（自{national_label}起算）"
                   "的届满日 / the local due date, never later than the national one")
        note = ((note + "；") if note else "") + (
            "个案中本地届满日晚于上位法的，以上位法届满日为准 / where the local period would end "
            "later, the national due date applies")
    return Cell(text, relation, applies, sources, note, capped)


def _schedule_text(schedule: Schedule | None) -> str:
    if schedule is None:
        return "—"
    if schedule.every == "month":
        return f"每月{schedule.day}日前"
    if schedule.dates:
        return "每年" + "、".join(f"{m}月{d}日" for m, d in schedule.dates) + "前"
    if schedule.month is None or schedule.day is None:
        return "每年（未定日期）"
    return f"每年{schedule.month}月{schedule.day}日前"


def _obligation_cell(book: Rulebook, key: str, on: date) -> Cell | None:
    obligation = book.obligations.get(key)
    if obligation is None:
        return None
    value = obligation.value_on(on)
    if value is None or value.schedule is None:
        return Cell("—（未生效 not in force）", None, None)
    text = _schedule_text(value.schedule)
    sources = tuple(str(c) for c in value.cites)
    dues = value.schedule.due_dates(on.year)
    if value.book == book.root.id:
        relation = Relation.NATIONAL if book is book.root else Relation.INHERITED
        return Cell(text, relation, None, sources)
    if len(dues) != 1:  # monthly, several or no fixed dates: ranked only when local
        national = book.root.obligations.get(key)
        return Cell(text, Relation.LOCAL if national is None else Relation.INCOMPARABLE,
                    None, sources)
    relation, _, applied = _obligation_relation(book, obligation, value, dues[0])
    applies = _schedule_text(applied.schedule) if applied is not value else None
    return Cell(text, relation, applies, sources)


def _policy_cell(book: Rulebook, key: str) -> Cell | None:
    applied, relation, set_aside = book.policy(key)
    if applied is None:
        return None
    if set_aside is not None:
        return Cell(set_aside.value, relation, applied.value,
                    tuple(str(c) for c in set_aside.cites))
    return Cell(applied.value, relation, None, tuple(str(c) for c in applied.cites))


def _reply_cell(book: Rulebook, key: str, on: date) -> Cell | None:
    """A reply type: national, a local restatement or form of a national one, a new local one,
    or one classed as conflicting with higher law (never a valid reply)."""
    if key not in book.replies:
        return None
    reply = book.reply(key, on)
    if reply is None:
        return Cell("—（未生效 not in force）", None, None)
    root = book.root
    sources = tuple(str(c) for c in reply.cites)
    if reply.book == root.id:
        return Cell(reply.label, Relation.NATIONAL if book is root else Relation.INHERITED, None,
                    sources)
    if reply.conflict:
        return Cell(reply.label, Relation.CONFLICT,
                    "不是有效答复，适用上位法 / not a valid reply; the national rules apply",
                    sources)
    notes = []
    relation = Relation.LOCAL
    if key in root.replies:
        relation = Relation.SAME
        notes.append(f"本地重述国家答复类型 {key} / restates the national reply {key}")
    elif reply.implements is not None:
        national = root.replies.get(reply.implements)
        label = f"（{national.label}）" if national is not None else ""
        notes.append(f"本地文书形式，实施国家答复类型 {reply.implements}{label} / a local form of the "
                     f"national reply {reply.implements}")
    applies = None
    if reply.conflicts:
        parts = "、".join(reply.conflicts)
        notes.append(f"其中 {parts} 与上位法抵触，不适用 / these parts conflict with higher law and "
                     "are not applied")
        applies = f"{reply.label}（不含 {parts} / without {', '.join(reply.conflicts)}）"
    return Cell(reply.label, relation, applies, sources, "；".join(notes) or None)


def _decision_cells(book: Rulebook, on: date) -> dict[str, Cell]:
    """The book's own decision rules in force on ``on``; those that could pre-empt a
    mandatory national outcome say the national outcome is applied."""
    if book.root is book:
        return {}
    yields = {s.local: s for s in shadowing(book, on)}
    out = {}
    for rule in book.decisions_on(on):
        if rule.book != book.id:
            continue
        reply = book.replies.get(rule.reply)
        text = f"→ {rule.reply}" + (f"（{reply.label}）" if reply is not None else "")
        found = yields.get(rule.id)  # never a conflict: those are not applied at all
        note = None if found is None else (
            f"同一事实上国家强制规则（{'、'.join(found.national)}）也成立时，以国家规则为准 / "
            "where a mandatory national rule also holds, its outcome applies")
        out[rule.id] = Cell(
            text, Relation.CONFLICT if rule.conflict else Relation.LOCAL,
            "不适用，适用国家决定规则 / not applied; the national rules decide" if rule.conflict
            else None, tuple(str(c) for c in rule.cites), note)
    return out


def compare_books(books: Sequence[Rulebook], on: date) -> Comparison:
    """Every limit, obligation, policy, reply type, local decision rule and worded provision of
    ``books`` on ``on``, classified."""
    limit_ids = sorted({k for b in books for k in b.limits})
    obligation_ids = sorted({k for b in books for k in b.obligations})
    policy_keys = sorted({k for b in books for k in b.policies})
    reply_keys = sorted({k for b in books for k in b.replies})
    decisions = [_decision_cells(b, on) for b in books]
    provision_ids = sorted({k for b in books for k, p in b.provisions.items() if p.relation})
    rows: list[tuple[str, str, tuple[Cell | None, ...]]] = []
    rows.extend(("limit", k, tuple(_limit_cell(b, k, on) for b in books)) for k in limit_ids)
    rows.extend(("obligation", k, tuple(_obligation_cell(b, k, on) for b in books))
                for k in obligation_ids)
    rows.extend(("policy", k, tuple(_policy_cell(b, k) for b in books)) for k in policy_keys)
    rows.extend(("reply", k, tuple(_reply_cell(b, k, on) for b in books)) for k in reply_keys)
    rows.extend(("decision", k, tuple(d.get(k) for d in decisions))
                for k in sorted({k for d in decisions for k in d}))
    for key in provision_ids:
        cells = []
        for b in books:
            p = b.provisions.get(key)
            cells.append(None if p is None else Cell(
                p.label, Relation(p.relation) if p.relation else None,
                "适用上位法 national rule applies" if p.relation == "conflict" else None,
                tuple(str(c) for c in p.cites)))
        rows.append(("provision", key, tuple(cells)))
    return Comparison(on, tuple(b.id for b in books), tuple(rows))
