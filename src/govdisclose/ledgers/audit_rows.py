"""One ledger row's audit (:func:`audit_row`), its result (:class:`AuditRow`) and the
summary of many (:class:`AuditTally`), shared by the in-memory audit (:mod:`.audit`), the
streaming one (:mod:`.audit_stream`) and the data-frame one (:mod:`.frames`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..engine.request_model import Request
from ..engine.requests import evaluate_request
from ..engine.tables import Memo
from ..errors import GovDiscloseError
from ..rulebook.vocabulary import RequestState
from .reading import FIELD_COLUMNS
from .row_events import date_columns, read_dates, row_events

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date

    from ..errors import Problem
    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Rulebook
    from .reading import LedgerRow

__all__ = ["OK_STATES", "ROW_MEMO_ENTRIES", "STATES", "AuditRow", "AuditTally", "audit_row",
           "audit_values", "row_memo"]

#: Every state an audit row can be in: what evaluation says of a request, or invalid when the
#: row cannot be used.
STATES: tuple[str, ...] = (*(state.value for state in RequestState), "invalid")
#: States that are no problem in themselves (waiting for the applicant or closed lawfully).
OK_STATES = frozenset({RequestState.OPEN.value, RequestState.ANSWERED_ON_TIME.value,
                       RequestState.AWAITING_SUPPLEMENT.value, RequestState.ABANDONED.value,
                       RequestState.NOT_ACCEPTED.value})


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AuditRow(FieldRepr):
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


class AuditTally:
    """The summary of audit rows, added as they pass (an audit streamed to its outputs never
    holds its rows).  Mutable on purpose: it is an accumulator, owned by one writer.
    """

    __slots__ = ("_codes", "_ok", "_provisional", "_rows", "_states", "_with_violations")

    def __init__(self, rows: Iterable[AuditRow] = ()) -> None:
        self._rows = self._with_violations = self._provisional = 0
        self._states: Counter[str] = Counter()
        self._codes: Counter[str] = Counter()
        self._ok = True
        self.add(rows)

    def add(self, rows: Iterable[AuditRow]) -> None:
        for r in rows:
            self._rows += 1
            self._states[r.state] += 1
            if r.violations:
                self._with_violations += 1
                self._codes.update(v["code"] for v in r.violations)
            if r.provisional:
                self._provisional += 1
            if self._ok and not r.ok:
                self._ok = False

    def merge(self, other: AuditTally) -> None:
        """Add the rows ``other`` counted (a chunk's, counted where it was audited)."""
        self._rows += other._rows
        self._with_violations += other._with_violations
        self._provisional += other._provisional
        self._states.update(other._states)
        self._codes.update(other._codes)
        self._ok = self._ok and other._ok

    @property
    def ok(self) -> bool:
        """Whether every row so far is fine (true of none)."""
        return self._ok

    def summary(self) -> dict[str, Any]:
        """The ``summary`` of ``audit --json`` (schemas/audit.schema.json)."""
        return {
            "rows": self._rows,
            "states": {s: self._states.get(s, 0) for s in STATES},
            "rows_with_violations": self._with_violations,
            "provisional_rows": self._provisional,
            "violations": dict(sorted(self._codes.items())),
            "ok": self._ok,
        }


def _error(zh: str, en: str) -> dict[str, str]:
    return {"message_zh": zh, "message_en": en}


def _invalid(number: int, line: int, v: Mapping[str, str], errors: list[dict[str, str]],
             dates: Mapping[str, date] | None = None) -> AuditRow:
    """An invalid row; its dates as read (ISO) where they could be read, else as written."""
    read = dates or {}

    def shown(column: str) -> str | None:
        day = read.get(column)
        return day.isoformat() if day is not None else (v.get(column) or None)

    return AuditRow(number, line, v.get("id", ""), "invalid",
                    shown("received_on"), None, shown("replied_on"), (), tuple(errors))


#: A ledger row gives no facts: one empty, read-only mapping for every request of a row.
_NO_FACTS: Mapping[str, Any] = MappingProxyType({})

#: A ledger's columns -> its date columns (:func:`.row_events.date_columns`): the rows of one
#: ledger all have the same columns, so this is worked out once a ledger, not once a row.
_DATE_COLUMNS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _date_columns(values: Mapping[str, str]) -> tuple[str, ...]:
    key = tuple(values)
    columns = _DATE_COLUMNS.get(key)
    if columns is None:
        if len(_DATE_COLUMNS) >= 64:  # a bound: a handful of ledgers a process
            _DATE_COLUMNS.clear()
        columns = _DATE_COLUMNS[key] = date_columns(key)
    return columns


#: The columns of text a row's events carry (an approver): with its dates, all a valid row's
#: evaluation reads from it (the id aside).
_TEXT_FIELDS: tuple[str, ...] = tuple(f.column for f in FIELD_COLUMNS if not f.is_date)
#: A row memo's generation holds at most this many outcomes (:class:`~govdisclose.engine.
#: tables.Memo`): some 750 bytes each, so a memo holds at most about 100 MB, and only while
#: its audit runs.  A year's ledger repeats fewer combinations of days than this; the
#: generated million-row ledger of benchmarks/bench_audit.py has 109,265 (some 84,000 in
#: each of two workers' halves).
ROW_MEMO_ENTRIES = 65_536


def row_memo() -> Memo:
    """A new memo of row outcomes, for one audit (one book, one ``as_of``, one calendar):
    :func:`audit_values`'s ``memo``."""
    return Memo(ROW_MEMO_ENTRIES)


def audit_row(book: Rulebook, row: LedgerRow, as_of: date, calendar: OfficialCalendar | None,
              first_line: dict[str, int], memo: Memo | None = None) -> AuditRow:
    """``row`` audited; ``first_line`` maps the ids seen so far to their first line, and gets
    this row's id when it is new; ``memo``: see :func:`audit_values`."""
    values = row.values
    return audit_values(book, row.number, row.line, values, row.problems, as_of, calendar,
                        first_line, _date_columns(values), memo)


def audit_values(book: Rulebook, number: int, line: int, values: Mapping[str, str],
                 problems: tuple[Problem, ...], as_of: date, calendar: OfficialCalendar | None,
                 first_line: dict[str, int], columns: tuple[str, ...],
                 memo: Memo | None = None) -> AuditRow:
    """:func:`audit_row` of the row ``number`` on ``line`` whose canonical values (every
    column of its ledger) are ``values``, read with ``problems``; ``columns`` are the date
    columns of its ledger (:func:`.row_events.date_columns`).  The streamed audit calls this
    directly, without building a :class:`~.reading.LedgerRow`.

    A valid row's audit is a pure function of the book, ``as_of``, the calendar, its date
    cells and its text fields (the id, number and line aside): with a ``memo``
    (:func:`row_memo`, one for the whole audit of one book), rows that agree on those (a
    ledger repeats its days: requests received on one day and answered on another) share one
    evaluation, the row's own id, number and line put on it.  The violations of rows sharing
    an evaluation are the same dicts: read them, do not change them."""
    # A row that could not be read as written (over-long cell, unclosed quote) is invalid.
    errors = [_error(p.message_zh, p.message_en) for p in problems] if problems else []
    row_id = values.get("id", "")
    if not row_id:
        errors.append(_error("编号为空", "the id is empty"))
    elif row_id in first_line:
        errors.append(_error(f"编号 {row_id} 重复（首次出现在第 {first_line[row_id]} 行）",
                             f"id {row_id} repeats the row on line {first_line[row_id]}"))
    else:
        first_line[row_id] = line
    key = None
    if memo is not None and not errors and calendar is not None:
        # the cells as written, with the columns they are in (ledgers differ): the same text
        # is the same day (and no error, if it was none the first time); a row found here
        # does not have its dates read again.  (``as_of`` and the calendar too, though an
        # audit has one of each: a memo given to another by mistake misleads nothing.)
        get = values.get
        key = (as_of, columns, *map(get, columns), *map(get, _TEXT_FIELDS))
        hit = memo[key]
        if hit is not None and hit[0] is calendar:
            return AuditRow(number, line, row_id, *hit[1])
    dates = read_dates(values, errors, columns)
    received = dates.get("received_on")
    if not values.get("received_on"):
        errors.append(_error("缺少收到申请日期", "received_on is empty"))
    if received is not None:
        for column, day in dates.items():
            if day < received and column != "received_on":
                errors.append(_error(f"{column}（{day}）早于收到申请日期（{received}）",
                                     f"{column} ({day}) is before received_on ({received})"))
        if received > as_of:
            errors.append(_error(f"收到申请日期 {received} 晚于审计日期 {as_of}",
                                 f"received_on {received} is after the audit date {as_of}"))
    events = row_events(book, values, dates, errors)
    if errors or received is None:
        return _invalid(number, line, values, errors, dates)
    request = Request._fast(row_id, received, None, None, None, None, None, None, None,
                            events, _NO_FACTS, None)
    try:
        outcome = evaluate_request(book, request, as_of=as_of, calendar=calendar,
                                   include_steps=False)
    except GovDiscloseError as exc:
        return _invalid(number, line, values,
                        [_error(f"无法评估：{exc}", f"cannot be evaluated: {exc}")], dates)
    status = outcome.status
    replied = dates.get("replied_on")
    due = status.due
    violations = outcome.violations
    found = (status.state, received.isoformat(), due.isoformat() if due else None,
             replied.isoformat() if replied else None,
             tuple([v.to_json() for v in violations]) if violations else (), (),
             outcome.provisional)
    if memo is not None and key is not None:
        memo.remember(key, (calendar, found))
    return AuditRow(number, line, row_id, *found)
