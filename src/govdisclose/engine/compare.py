"""Rulebooks side by side, each local provision classified against the national baseline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import LimitNotInForceError
from ..rulebook.model import Relation

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from ..rulebook.model import Rulebook

__all__ = ["Cell", "Comparison", "compare_books"]


@dataclass(frozen=True, slots=True)
class Cell:
    """One book's entry for one provision."""

    text: str
    relation: Relation | None
    applies: str | None  # what the engine applies when it differs from ``text``
    sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"value": self.text, "relation": self.relation.value if self.relation else None,
                "applies": self.applies, "sources": list(self.sources)}


@dataclass(frozen=True, slots=True)
class Comparison:
    on: date
    books: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[Cell | None, ...]], ...]  # (kind, id, cells)

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "rulebooks": list(self.books),
                "rows": [{"kind": kind, "id": key,
                          "cells": {b: (c.to_json() if c else None)
                                    for b, c in zip(self.books, cells, strict=True)}}
                         for kind, key, cells in self.rows]}


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
    return Cell(text, resolved.relation, applies, sources)


def _policy_cell(book: Rulebook, key: str) -> Cell | None:
    applied, relation, set_aside = book.policy(key)
    if applied is None:
        return None
    if set_aside is not None:
        return Cell(set_aside.value, relation, applied.value,
                    tuple(str(c) for c in set_aside.cites))
    return Cell(applied.value, relation, None, tuple(str(c) for c in applied.cites))


def compare_books(books: Sequence[Rulebook], on: date) -> Comparison:
    """Every limit, policy and worded provision of ``books`` on ``on``, classified."""
    limit_ids = sorted({k for b in books for k in b.limits})
    policy_keys = sorted({k for b in books for k in b.policies})
    provision_ids = sorted({k for b in books for k, p in b.provisions.items() if p.relation})
    rows: list[tuple[str, str, tuple[Cell | None, ...]]] = []
    rows.extend(("limit", k, tuple(_limit_cell(b, k, on) for b in books)) for k in limit_ids)
    rows.extend(("policy", k, tuple(_policy_cell(b, k) for b in books)) for k in policy_keys)
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
