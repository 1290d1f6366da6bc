"""Audit a ledger (台账): every row evaluated as a request, none dropped.

A row the engine can evaluate gets the state ``evaluate`` would give it (open,
overdue, answered_on_time, answered_late), its due date and its violations; a
row that cannot be used (an impossible date, a reply before receipt, a repeated
id…) stays in the result with state ``invalid`` and its errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from .audit_rows import OK_STATES, STATES, AuditRow, AuditTally, audit_row
from .audit_stream import audit_chunks
from .reading import parse_ledger_date

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import date

    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Rulebook
    from .reading import Ledger, LedgerStream

__all__ = ["OK_STATES", "STATES", "AuditHead", "AuditResult", "AuditRow", "AuditTally",
           "audit_ledger", "audit_row", "audit_stream", "parse_ledger_date"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AuditHead(FieldRepr):
    """What an audit's outputs say before its rows: the rulebook, the ledger, the date."""

    rulebook: str
    file: str
    as_of: date
    unknown_columns: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"rulebook": self.rulebook, "ledger": self.file, "as_of": self.as_of.isoformat(),
                "unknown_columns": list(self.unknown_columns)}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AuditResult(FieldRepr):
    rulebook: str
    file: str
    as_of: date
    rows: tuple[AuditRow, ...]
    unknown_columns: tuple[str, ...]

    @property
    def head(self) -> AuditHead:
        return AuditHead(self.rulebook, self.file, self.as_of, self.unknown_columns)

    @property
    def summary(self) -> dict[str, Any]:
        return AuditTally(self.rows).summary()

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    def to_json(self) -> dict[str, Any]:
        return {**self.head.to_json(), "rows": [r.to_json() for r in self.rows],
                "summary": self.summary}


def audit_ledger(
    book: Rulebook,
    ledger: Ledger,
    *,
    as_of: date,
    calendar: OfficialCalendar | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> AuditResult:
    """Audit every row of ``ledger`` under ``book`` as of ``as_of``, every result in memory
    (:func:`audit_stream` hands them on a chunk at a time instead).

    ``workers > 1`` spreads large ledgers over worker processes (where the platform can
    fork; same results, same order).  ``progress(done, total)`` is called as chunks complete.
    """
    rows: list[AuditRow] = []
    for chunk in audit_chunks(book, ledger.rows, as_of=as_of, calendar=calendar,
                              workers=workers, total=len(ledger.rows), progress=progress):
        rows.extend(chunk)
    return AuditResult(book.id, ledger.file, as_of, tuple(rows), ledger.unknown_columns)


def audit_stream(
    book: Rulebook,
    ledger: LedgerStream,
    *,
    as_of: date,
    calendar: OfficialCalendar | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[AuditHead, Iterator[list[AuditRow]]]:
    """The audit of an opened ledger (:func:`govdisclose.ledgers.reading.open_ledger`) as its
    head and its rows, a chunk at a time in file order, never all in memory: the outputs
    (``govdisclose.outputs``, ``write_audit_*_stream``) write them as they come."""
    head = AuditHead(book.id, ledger.file, as_of, ledger.unknown_columns)
    return head, audit_chunks(book, ledger.rows(), as_of=as_of, calendar=calendar,
                              workers=workers, total=ledger.count, progress=progress)
