"""Audit a ledger (台账): every row evaluated as a request, none dropped.

A row the engine can evaluate gets the state ``evaluate`` would give it (open,
overdue, answered_on_time, answered_late), its due date and its violations; a
row that cannot be used (an impossible date, a reply before receipt, a repeated
id…) stays in the result with state ``invalid`` and its errors.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..engine.request_input import Request
from ..engine.requests import evaluate_request
from ..errors import GovDiscloseError
from ..rulebook.vocabulary import RequestState
from .reading import parse_ledger_date
from .row_events import read_dates, row_events

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date

    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Rulebook
    from .reading import Ledger, LedgerRow

__all__ = ["AuditResult", "AuditRow", "audit_ledger", "parse_ledger_date"]

#: Every state an audit row can be in: what evaluation says of a request, or invalid when the
#: row cannot be used.
STATES: tuple[str, ...] = (*(state.value for state in RequestState), "invalid")
#: States that are no problem in themselves (waiting for the applicant or closed lawfully).
OK_STATES = frozenset({RequestState.OPEN.value, RequestState.ANSWERED_ON_TIME.value,
                       RequestState.AWAITING_SUPPLEMENT.value, RequestState.ABANDONED.value,
                       RequestState.NOT_ACCEPTED.value})


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One ledger row's result."""

    number: int
    line: int
    id: str
    state: str  # a RequestState value, or invalid
    received_on: str | None
    due: str | None
    replied_on: str | None
    violations: tuple[dict[str, Any], ...]
    errors: tuple[dict[str, str], ...]
    provisional: bool = False  # the due date rests on a year with no published schedule

    @property
    def ok(self) -> bool:
        return self.state in OK_STATES and not self.violations

    def __reduce__(self) -> tuple[type[AuditRow], tuple[Any, ...]]:
        # Rows travel back from audit workers by the million: pickle them as plain tuples.
        return (AuditRow, (self.number, self.line, self.id, self.state, self.received_on,
                           self.due, self.replied_on, self.violations, self.errors,
                           self.provisional))

    def to_json(self) -> dict[str, Any]:
        return {"row": self.number, "line": self.line, "id": self.id, "state": self.state,
                "received_on": self.received_on, "due": self.due,
                "replied_on": self.replied_on, "violations": list(self.violations),
                "errors": list(self.errors), "provisional": self.provisional}


@dataclass(frozen=True, slots=True)
class AuditResult:
    rulebook: str
    file: str
    as_of: date
    rows: tuple[AuditRow, ...]
    unknown_columns: tuple[str, ...]

    @property
    def summary(self) -> dict[str, Any]:
        states = Counter(r.state for r in self.rows)
        codes = Counter(v["code"] for r in self.rows for v in r.violations)
        return {
            "rows": len(self.rows),
            "states": {s: states.get(s, 0) for s in
                       STATES},
            "rows_with_violations": sum(1 for r in self.rows if r.violations),
            "provisional_rows": sum(1 for r in self.rows if r.provisional),
            "violations": dict(sorted(codes.items())),
            "ok": all(r.ok for r in self.rows),
        }

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    def to_json(self) -> dict[str, Any]:
        return {"rulebook": self.rulebook, "ledger": self.file, "as_of": self.as_of.isoformat(),
                "unknown_columns": list(self.unknown_columns),
                "rows": [r.to_json() for r in self.rows], "summary": self.summary}


def _error(zh: str, en: str) -> dict[str, str]:
    return {"message_zh": zh, "message_en": en}


def _invalid(row: LedgerRow, errors: list[dict[str, str]]) -> AuditRow:
    v = row.values
    return AuditRow(row.number, row.line, v.get("id", ""), "invalid",
                    v.get("received_on") or None, None, v.get("replied_on") or None, (),
                    tuple(errors))


def _audit_row(book: Rulebook, row: LedgerRow, as_of: date, calendar: OfficialCalendar | None,
               first_line: dict[str, int]) -> AuditRow:
    values = row.values
    # A row that could not be read as written (over-long cell, unclosed quote) is invalid.
    errors = [_error(p.message_zh, p.message_en) for p in row.problems]
    row_id = values.get("id", "")
    if not row_id:
        errors.append(_error("编号为空", "the id is empty"))
    elif row_id in first_line:
        errors.append(_error(f"编号 {row_id} 重复（首次出现在第 {first_line[row_id]} 行）",
                             f"id {row_id} repeats the row on line {first_line[row_id]}"))
    else:
        first_line[row_id] = row.line
    dates = read_dates(values, errors)
    received = dates.get("received_on")
    if not values.get("received_on"):
        errors.append(_error("缺少收到申请日期", "received_on is empty"))
    if received is not None:
        for column, day in dates.items():
            if column != "received_on" and day < received:
                errors.append(_error(f"{column}（{day}）早于收到申请日期（{received}）",
                                     f"{column} ({day}) is before received_on ({received})"))
        if received > as_of:
            errors.append(_error(f"收到申请日期 {received} 晚于审计日期 {as_of}",
                                 f"received_on {received} is after the audit date {as_of}"))
    events = row_events(book, values, dates, errors)
    if errors or received is None:
        return _invalid(row, errors)
    request = Request(row_id, received, None, None, None, None, None, None, None, events)
    try:
        outcome = evaluate_request(book, request, as_of=as_of, calendar=calendar,
                                   include_steps=False)
    except GovDiscloseError as exc:
        return _invalid(row, [_error(f"无法评估：{exc}", f"cannot be evaluated: {exc}")])
    status = outcome.status
    replied = dates.get("replied_on")
    return AuditRow(row.number, row.line, row_id, status.state, received.isoformat(),
                    status.due.isoformat() if status.due else None,
                    replied.isoformat() if replied else None,
                    tuple(v.to_json() for v in outcome.violations), (),
                    any(d.provisional for d in outcome.deadlines.values()))


#: What forked workers audit: set by the parent just before the pool forks, so that the
#: rulebook and the rows are inherited rather than pickled (rulebooks hold read-only
#: mapping proxies, which do not pickle).  Only ever read in the child processes.
_FORKED: dict[str, Any] = {}


def _audit_chunk(job: tuple[int, int, dict[str, int]]) -> list[AuditRow]:
    start, stop, seen = job
    book, rows, as_of, calendar = (_FORKED["book"], _FORKED["rows"], _FORKED["as_of"],
                                   _FORKED["calendar"])
    return [_audit_row(book, row, as_of, calendar, seen) for row in rows[start:stop]]


def audit_ledger(
    book: Rulebook,
    ledger: Ledger,
    *,
    as_of: date,
    calendar: OfficialCalendar | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> AuditResult:
    """Audit every row of ``ledger`` under ``book`` as of ``as_of``.

    ``workers > 1`` splits large ledgers over forked processes (POSIX only; same results,
    same order).
    ``progress(done, total)`` is called as chunks complete.
    """
    rows = ledger.rows
    total = len(rows)
    if workers <= 1 or total < 20000 or os.name != "posix":
        out: list[AuditRow] = []
        first: dict[str, int] = {}
        step = max(total // 100, 1000)
        for i, row in enumerate(rows, 1):
            out.append(_audit_row(book, row, as_of, calendar, first))
            if progress is not None and i % step == 0:
                progress(i, total)
        if progress is not None:
            progress(total, total)
        return AuditResult(book.id, ledger.file, as_of, tuple(out), ledger.unknown_columns)
    return _audit_parallel(book, ledger, as_of, calendar, workers, progress)


def _audit_parallel(book: Rulebook, ledger: Ledger, as_of: date,
                    calendar: OfficialCalendar | None, workers: int,
                    progress: Callable[[int, int], None] | None) -> AuditResult:
    import multiprocessing

    rows = ledger.rows
    total = len(rows)
    size = max(total // (workers * 20), 1000)
    bounds = [(i, min(i + size, total)) for i in range(0, total, size)]
    # Ids first seen in earlier chunks, so a repeat is flagged whichever worker sees it.
    seen: dict[str, int] = {}
    jobs: list[tuple[int, int, dict[str, int]]] = []
    for start, stop in bounds:
        chunk = rows[start:stop]
        jobs.append((start, stop, dict(seen) if _has_repeats(chunk, seen) else {}))
        for row in chunk:
            row_id = row.values.get("id", "")
            if row_id and row_id not in seen:
                seen[row_id] = row.line
    out: list[AuditRow] = []
    _FORKED.update(book=book, rows=rows, as_of=as_of, calendar=calendar)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_audit_chunk, jobs):
                out.extend(part)
                if progress is not None:
                    progress(len(out), total)
    finally:
        _FORKED.clear()
    return AuditResult(book.id, ledger.file, as_of, tuple(out), ledger.unknown_columns)


def _has_repeats(chunk: Sequence[LedgerRow], seen: dict[str, int]) -> bool:
    return any(row.values.get("id", "") in seen for row in chunk)

