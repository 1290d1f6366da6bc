"""Reminders from a ledger (台账): the open requests whose reply falls due soon, and those
already overdue.

Nothing here computes a deadline.  Every row goes through the audit's own per-row evaluation
(:func:`govdisclose.ledgers.audit.audit_stream`, one row at a time, in bounded memory), so a
row's due date and state are exactly what ``govdisclose audit`` reports for it — pauses,
supplements, extensions and fixed reply dates included.  This module only sorts the rows the
audit calls ``open`` (no reply recorded, not yet due) or ``overdue`` (no reply recorded, past
due) by how many working days are left, on the same calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..periods.calendar import official_calendar
from ..rulebook.vocabulary import RequestState
from .audit import audit_stream

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Rulebook
    from .audit import AuditHead
    from .audit_rows import AuditRow
    from .reading import LedgerStream

__all__ = ["Reminder", "Upcoming", "upcoming", "upcoming_from_audit"]

_OPEN = RequestState.OPEN.value
_OVERDUE = RequestState.OVERDUE.value
#: States in which the applicant is waited for or the request is closed: no reply is owed now.
_CLOSED = frozenset({RequestState.ANSWERED_ON_TIME.value, RequestState.ANSWERED_LATE.value,
                     RequestState.ABANDONED.value, RequestState.NOT_ACCEPTED.value})


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Reminder(FieldRepr):
    """One open request and its reply due date, as the audit computed it.

    Attributes:
        row, line: the row's number among data rows and its line (CSV) or row (Excel).
        id: the request's id.
        received_on: the day the request was received.
        due: the last day of the reply period (extensions and fixed reply dates included).
        working_days: for a request not yet due, the working days left, those in
            ``(as_of, due]`` (0: due on the as-of date itself); for an overdue one, the working
            days it is late, those in ``(due, as_of]``.
        overdue: whether the reply period ran out before the as-of date.
        provisional: the due date rests on a year with no published holiday schedule.
    """

    row: int
    line: int
    id: str
    received_on: date
    due: date
    working_days: int
    overdue: bool
    provisional: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "line": self.line, "id": self.id,
                "received_on": self.received_on.isoformat(), "due": self.due.isoformat(),
                "working_days_left": None if self.overdue else self.working_days,
                "working_days_overdue": self.working_days if self.overdue else None,
                "provisional": self.provisional}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Upcoming(FieldRepr):
    """The reminders of one ledger on one day.

    Attributes:
        rulebook, file, as_of: what was audited, and as of which day.
        within: the horizon in working days; ``until`` its last day (the ``within``-th working
            day after ``as_of``; ``as_of`` itself when ``within`` is 0).
        overdue: open requests already past due, the longest overdue first.
        due_soon: open requests due from ``as_of`` to ``until``, the soonest first.
        invalid: rows the audit could not evaluate (their errors are ``audit``'s): whether
            they are due cannot be told, so they are named, never silently dropped.
        open_later: open requests due after ``until``.
        waiting: open requests with no reply period running (a supplement is outstanding,
            or a pause has no end yet).
        closed: requests answered, abandoned or not accepted.
    """

    rulebook: str
    file: str
    as_of: date
    within: int
    until: date
    overdue: tuple[Reminder, ...]
    due_soon: tuple[Reminder, ...]
    invalid: tuple[AuditRow, ...]
    open_later: int
    waiting: int
    closed: int

    @property
    def rows(self) -> int:
        return (len(self.overdue) + len(self.due_soon) + len(self.invalid) + self.open_later
                + self.waiting + self.closed)

    @property
    def ok(self) -> bool:
        """Nothing overdue and every row evaluated (as ``audit``, an invalid row is a
        finding: it may hide an overdue request)."""
        return not self.overdue and not self.invalid

    def to_json(self) -> dict[str, Any]:
        return {
            "rulebook": self.rulebook, "ledger": self.file, "as_of": self.as_of.isoformat(),
            "within": self.within, "until": self.until.isoformat(),
            "overdue": [r.to_json() for r in self.overdue],
            "due_soon": [r.to_json() for r in self.due_soon],
            "invalid": [{"row": r.number, "line": r.line, "id": r.id, "errors": list(r.errors)}
                        for r in self.invalid],
            "summary": {"rows": self.rows, "overdue": len(self.overdue),
                        "due_soon": len(self.due_soon), "open_later": self.open_later,
                        "waiting": self.waiting, "closed": self.closed,
                        "invalid": len(self.invalid), "ok": self.ok},
        }


def upcoming_from_audit(head: AuditHead, chunks: Iterable[Iterable[AuditRow]], *, within: int,
                        calendar: OfficialCalendar | None = None) -> Upcoming:
    """The reminders among audit rows (``chunks``, as :func:`audit_stream` yields them).

    ``calendar`` must be the one the audit ran on (default: the official calendar), so that
    the working days counted here are the audit's.

    Raises:
        ArgumentError: ``within`` is negative.
        CalendarCoverageError: the horizon runs past the calendar's years (pass a calendar
            file, or a provisional calendar).
    """
    cal = calendar if calendar is not None else official_calendar()
    as_of = head.as_of
    until = cal.add_working_days(as_of, within)
    overdue: list[Reminder] = []
    due_soon: list[Reminder] = []
    invalid: list[AuditRow] = []
    later = waiting = closed = 0
    for chunk in chunks:
        for row in chunk:
            if row.state == "invalid":
                invalid.append(row)
            elif row.state in _CLOSED:
                closed += 1
            elif row.state not in (_OPEN, _OVERDUE) or row.due is None \
                    or row.received_on is None:
                waiting += 1  # awaiting a supplement, or paused with no end in sight
            else:
                due = date.fromisoformat(row.due)
                late = row.state == _OVERDUE
                if not late and due > until:
                    later += 1
                    continue
                days = (cal.working_days_between(due, as_of) if late
                        else cal.working_days_between(as_of, due))
                reminder = Reminder(row.number, row.line, row.id,
                                    date.fromisoformat(row.received_on), due, days, late,
                                    row.provisional)
                (overdue if late else due_soon).append(reminder)
    overdue.sort(key=lambda r: (r.due, r.line))
    due_soon.sort(key=lambda r: (r.due, r.line))
    return Upcoming(head.rulebook, head.file, as_of, within, until, tuple(overdue),
                    tuple(due_soon), tuple(invalid), later, waiting, closed)


def upcoming(
    book: Rulebook,
    ledger: LedgerStream,
    *,
    as_of: date,
    within: int,
    calendar: OfficialCalendar | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Upcoming:
    """Audit ``ledger`` (:func:`govdisclose.ledgers.reading.open_ledger`) under ``book`` as of
    ``as_of`` and keep the open requests due within ``within`` working days, and the overdue.

    Raises:
        ArgumentError: ``within`` is negative.
        CalendarCoverageError: as :func:`upcoming_from_audit`.
        LedgerError: the file changed on disk since it was opened.
    """
    cal = calendar if calendar is not None else official_calendar()
    cal.add_working_days(as_of, within)  # a bad horizon is refused before the audit runs
    head, chunks = audit_stream(book, ledger, as_of=as_of, calendar=cal, workers=workers,
                                progress=progress)
    return upcoming_from_audit(head, chunks, within=within, calendar=cal)
