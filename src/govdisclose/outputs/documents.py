"""The JSON documents of the ``--json`` outputs, built in one place.

``govdisclose <command> --json`` prints these documents and ``govdisclose serve`` answers with
them (docs/service.md): both call the functions here, so the command line and the HTTP API can
never drift apart.  Each function returns a JSON-ready value (``dict``/``list``/``str``/
numbers); :func:`render_json` turns one into the exact text the CLI prints on a UTF-8 stdout.
The audit is the exception: it is streamed a row a line (:mod:`.json_files`), so
:func:`audit_document_text` returns its text.

Each document has a JSON Schema under ``schemas/`` (:mod:`govdisclose.schemas` names them):

=====================  ===================================  ==============================
function               command                              schema
=====================  ===================================  ==============================
rulebooks_document     ``rulebooks --json``                 ``rulebooks.schema.json``
limits_document        ``limits RULEBOOK --json``           ``limits.schema.json``
deadline_document      ``deadline RULEBOOK LIMIT --json``   ``deadline.schema.json``
workdays_document      ``workdays DATE N --json``           ``workdays.schema.json``
evaluate_document      ``evaluate --json``                  ``outcome.schema.json``
plan_document          ``plan --json``                      ``outcome.schema.json``
audit_document_text    ``audit --json``                     ``audit.schema.json``
=====================  ===================================  ==============================
"""

from __future__ import annotations

import io
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from .json_files import write_audit_json_stream

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from ..engine.items import ItemOutcome
    from ..engine.requests import RequestOutcome
    from ..ledgers.audit import AuditHead
    from ..ledgers.audit_rows import AuditRow, AuditTally
    from ..periods.calendar import OfficialCalendar
    from ..rulebook.loading import RulebookLibrary
    from ..rulebook.model import Rulebook

__all__ = [
    "audit_document_text",
    "deadline_document",
    "default_on",
    "evaluate_document",
    "limits_document",
    "plan_document",
    "render_json",
    "rulebook_row",
    "rulebooks_document",
    "workdays_document",
]


def render_json(document: Any) -> str:
    """The text ``--json`` prints for ``document`` on a UTF-8 stdout (two-space indent, the
    characters as they are, a final newline): the body the service sends."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def default_on(book: Rulebook) -> date:
    """The day the book's rules last changed: the date ``limits`` shows a book on when none is
    given (not today: a listing must not change with the clock).  A book whose rules carry no
    dates takes its root's; with none at all, every rule applies on any day."""
    from ..rulebook.dated import latest_effective_date

    found = latest_effective_date(book) or latest_effective_date(book.root)
    return found if found is not None else date.min


def rulebook_row(book: Rulebook) -> dict[str, Any]:
    """One book's row of :func:`rulebooks_document`."""
    return {"id": book.id, "name": book.name, "name_en": book.name_en,
            "extends": book.parent.id if book.parent else None, "level": book.level,
            "file": book.file.name if book.file else None}


def rulebooks_document(library: RulebookLibrary) -> dict[str, Any]:
    """``rulebooks --json``: every book of ``library`` by id (the CLI: the bundled library)."""
    return {"rulebooks": [rulebook_row(library.load(library.find(book_id)))
                          for book_id in library.ids()]}


def limits_document(book: Rulebook, on: date | None = None) -> dict[str, Any]:
    """``limits RULEBOOK [--on DATE] --json``: every limit in force on ``on`` (default
    :func:`default_on`), and the dated recurring duties with their schedule."""
    on = on or default_on(book)
    obligations: dict[str, dict[str, Any]] = {}
    for key, obligation in sorted(book.obligations.items()):
        value = obligation.value_on(on)
        if value is not None and value.schedule is not None:
            s = value.schedule
            obligations[key] = {"label": obligation.label, "every": s.every, "month": s.month,
                                "day": s.day, "dates": [f"{m:02d}-{d:02d}" for m, d in s.dates],
                                "book": value.book,
                                "sources": [c.to_json() for c in value.cites]}
    return {"rulebook": book.id, "on": on.isoformat(),
            "limits": {k: v.to_json() for k, v in book.limits_on(on).items()},
            "obligations": obligations}


def deadline_document(book: Rulebook, limit_id: str, start: date | datetime,
                      calendar: OfficialCalendar | None = None) -> dict[str, Any]:
    """``deadline RULEBOOK LIMIT --from START --json``: one limit's deadline with its trace.

    Raises:
        UnknownLimitError, LimitNotInForceError, CalendarCoverageError, ArgumentError.
    """
    from ..engine.limits import limit_deadline

    deadline = limit_deadline(book, limit_id, start, calendar=calendar)
    return {"rulebook": book.id, **deadline.to_json()}


def workdays_document(start: date, n: int,
                      calendar: OfficialCalendar | None = None) -> dict[str, Any]:
    """``workdays DATE N --json``: the ``n``-th working day after ``start``, with the trace
    citing the national counting rules in force on ``start``.

    Raises:
        CalendarCoverageError, ArgumentError.
    """
    from ..engine.limits import national_counting_basis
    from ..periods.counting import compute_deadline

    deadline = compute_deadline(start, n, "working_days", calendar=calendar,
                                basis=national_counting_basis(start))
    result: dict[str, Any] = deadline.to_json()
    return result


def evaluate_document(outcome: RequestOutcome) -> dict[str, Any]:
    """``evaluate --json``: a request's outcome (``schemas/outcome.schema.json``)."""
    return outcome.to_json()


def plan_document(outcome: ItemOutcome) -> dict[str, Any]:
    """``plan --json``: an item's outcome (``schemas/outcome.schema.json``)."""
    return outcome.to_json()


def audit_document_text(head: AuditHead, chunks: Iterable[Iterable[AuditRow]]
                        ) -> tuple[str, AuditTally]:
    """``audit --json`` as text (one compact row a line), and its summary."""
    # A StringIO has no encoding, which the writer takes as UTF-8: every character is kept
    # as it is, as on a UTF-8 stdout.
    buffer = io.StringIO()
    tally = write_audit_json_stream(head, chunks, buffer)
    return buffer.getvalue(), tally

