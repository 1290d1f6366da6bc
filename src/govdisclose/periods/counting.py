"""Period arithmetic as Chinese administrative law counts it (docs/deadlines.md).

* The day of the triggering event is not counted; counting starts the next day
  (民事诉讼法 第八十五条第二款; 民法典 第二百零一条).
* Working-day periods count only working days of the official calendar,
  调休上班 weekends included, statutory holidays and weekends excluded.
* A calendar-day period whose last day is not a working day ends on the next
  working day (民事诉讼法 第八十五条第三款; 民法典 第二百零三条).
* Hour periods run from the event's exact time (民法典 第二百零一条第二款), in
  China Standard Time.
* Consultation and suspension time is not counted (条例 2019 第三十三条第三款):
  a pause from day *s* to day *e* removes the working days in ``(s, e]``.
* A supplemented request counts anew from its receipt (条例 2019 第三十条).
* An extension adds units counted on from the original due date (after any roll of
  its last day), only if approved by then (条例 2019 第三十三条第二款).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..errors import ArgumentError
from ..messages import TraceStep, Violation
from .basis import NO_BASIS, CountingBasis
from .calendar import OfficialCalendar, official_calendar
from .values import CHINA_STANDARD_TIME, AppliedPause, Extension, Pause, ReceiptPolicy, Unit

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..messages import Citation

__all__ = [
    "CHINA_STANDARD_TIME",
    "NO_BASIS",
    "CountingBasis",
    "Deadline",
    "Extension",
    "Pause",
    "ReceiptPolicy",
    "Unit",
    "add_working_days",
    "compute_deadline",
    "working_days_between",
]


@dataclass(frozen=True, repr=False, eq=False)
class Deadline(FieldRepr):
    """A computed deadline: the due date and everything needed to explain it.

    ``due`` is a :class:`date` (a :class:`datetime` for hour periods), or ``None``
    when an open pause makes the deadline not yet determinable.
    ``original_due`` is the due date before any extension.
    ``trace`` explains each step; the calendar part of it (holidays not counted,
    make-up days counted) is worked out when first read, not when computing.
    """

    limit: str | None
    amount: int | float
    unit: Unit
    start: date | datetime
    counted_from: date | datetime
    due: date | datetime | None
    original_due: date | datetime | None
    provisional: bool
    head: tuple[TraceStep, ...]
    pauses: tuple[AppliedPause, ...] = ()
    restart: date | None = None
    extension: Extension | None = None
    extension_applied: bool = False
    violations: tuple[Violation, ...] = ()
    sources: tuple[Citation, ...] = field(default=())
    calendar: OfficialCalendar | None = field(default=None, repr=False, compare=False)
    raw_due: date | None = field(default=None, repr=False)
    #: the unrolled end of the original period, when an extension was applied (the extension
    #: runs on from ``original_due``, the day that end rolled to)
    original_raw_due: date | None = field(default=None, repr=False)
    merged: bool = False
    #: the legal basis the trace cites for each counting rule (none when not given)
    basis: CountingBasis = field(default=NO_BASIS, repr=False, compare=False)

    @classmethod
    def _fast(cls, **fields: Any) -> Deadline:
        """Build from every field by name, without the frozen ``__init__``'s per-field
        ``object.__setattr__`` calls (deadlines are built by the million in audits).

        Only for callers that pass every field; the instance is as immutable as any other.
        """
        if len(fields) != len(_DEADLINE_FIELDS):
            missing = sorted(_DEADLINE_FIELDS.difference(fields))
            msg = f"Deadline._fast needs every field; missing {missing}"
            raise TypeError(msg)
        obj = object.__new__(cls)
        obj.__dict__.update(fields)
        return obj

    @cached_property
    def trace(self) -> tuple[TraceStep, ...]:
        """Every step of the computation, in Chinese and English (rendered on first read).

        ``head`` holds steps a caller adds (e.g. the higher-law note); they follow the
        first step, which states the rule applied.
        """
        if self.unit is Unit.HOURS:
            return self.head
        from .explain import explain

        return tuple(explain(self))

    @property
    def determinable(self) -> bool:
        """False while an open pause leaves the due date unknown."""
        return self.due is not None

    def explain(self) -> str:
        """The trace as numbered lines."""
        return "\n".join(f"{i}. {step}" for i, step in enumerate(self.trace, 1))

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping (dates as ISO strings)."""
        def iso(value: date | datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "limit": self.limit,
            "amount": self.amount,
            "unit": self.unit.value,
            "start": iso(self.start),
            "counted_from": iso(self.counted_from),
            "due": iso(self.due),
            "original_due": iso(self.original_due),
            "determinable": self.determinable,
            "provisional": self.provisional,
            "restart": iso(self.restart),
            "pauses": [p.to_json() for p in self.pauses],
            "extension": None if self.extension is None else {
                "amount": self.extension.amount,
                "approved_on": self.extension.approved_on.isoformat(),
                "applied": self.extension_applied,
            },
            "violations": [v.to_json() for v in self.violations],
            "trace": [t.to_json() for t in self.trace],
            "sources": [c.to_json() for c in self.sources],
        }


_DEADLINE_FIELDS = frozenset(f.name for f in fields(Deadline))


def _calendar(calendar: OfficialCalendar | None) -> OfficialCalendar:
    return calendar if calendar is not None else official_calendar()


def add_working_days(start: date, n: int, calendar: OfficialCalendar | None = None) -> date:
    """Return the ``n``-th working day strictly after ``start``.

    The start day is never counted, whether or not it is itself a working day
    (民事诉讼法 第八十五条: 期间开始的日不计算在期间内).  ``calendar=None`` uses the
    bundled official calendar.

    >>> from datetime import date
    >>> add_working_days(date(2026, 9, 30), 1)  # 国庆 10-01..07 off (2026 notice)
    datetime.date(2026, 10, 8)

    Raises:
        CalendarCoverageError: if the count leaves the years the calendar covers.
        ValueError: if ``n`` is negative.
    """
    return (calendar if calendar is not None else official_calendar()).add_working_days(start, n)


def working_days_between(start: date, end: date, calendar: OfficialCalendar | None = None) -> int:
    """The number of working days in ``(start, end]`` (0 when ``end <= start``)."""
    return _calendar(calendar).working_days_between(start, end)


def _merge(pauses: Sequence[tuple[Pause, date | None, bool]]
           ) -> list[tuple[date, date | None]]:
    """Merge pauses whose ``(start, end]`` spans overlap or touch; open ones absorb the rest."""
    spans = sorted(((p.start, end) for p, end, _ in pauses),
                   key=lambda s: (s[0], s[1] or date.max))
    merged: list[tuple[date, date | None]] = []
    for s, e in spans:
        if merged:
            ms, me = merged[-1]
            if me is None:
                continue
            if s <= me:
                merged[-1] = (ms, None if e is None else max(me, e))
                continue
        merged.append((s, e))
    return merged


def _days_between(unit: Unit, cal: OfficialCalendar, a: date, b: date) -> int:
    if unit is Unit.WORKING_DAYS:
        return cal.working_days_between(a, b)
    return max((b - a).days, 0)


def _advance(unit: Unit, cal: OfficialCalendar, day: date, n: int) -> date:
    if unit is Unit.WORKING_DAYS:
        return cal.add_working_days(day, n)
    if n > (date.max - day).days:  # past 9999-12-31: beyond any calendar
        raise cal.coverage_error(date.max.year + 1)
    return day + timedelta(days=n)


def _count(unit: Unit, cal: OfficialCalendar, counted_from: date, n: int,
           spans: Sequence[tuple[date, date | None]]) -> date | None:
    """The unrolled end of ``n`` units after ``counted_from``, skipping the pause spans."""
    due = _advance(unit, cal, counted_from, n)
    for s, e in spans:
        if s >= due:
            break
        if e is None:
            return None
        lo = max(s, counted_from)
        removed = _days_between(unit, cal, lo, e)
        if removed:
            due = _advance(unit, cal, due, removed)
    return due


def compute_deadline(
    start: date | datetime,
    amount: int | float,
    unit: Unit | str,
    *,
    limit: str | None = None,
    pauses: Iterable[Pause] = (),
    restart: date | None = None,
    extension: Extension | None = None,
    receipt_policy: ReceiptPolicy | str = ReceiptPolicy.NEXT_DAY,
    calendar: OfficialCalendar | None = None,
    sources: Iterable[Citation] = (),
    basis: CountingBasis | None = None,
) -> Deadline:
    """Compute a deadline of ``amount`` ``unit`` counted from the event on ``start``.

    Args:
        start: the day (or, for hours, the moment) of the triggering event.
        amount: the period; whole days for day units, any positive number of hours.
        unit: ``working_days``, ``calendar_days`` or ``hours``.
        limit: the rulebook limit id, carried into the result.
        pauses: consultation and suspension spans not counted (day units only).
        restart: a later day from which the whole period counts anew (补正).
        extension: extra units, applied only when approved on or before the
            original due date; otherwise reported in ``violations``.
        receipt_policy: see :class:`ReceiptPolicy`.
        calendar: defaults to the bundled official calendar.
        sources: citations carried into the result.
        basis: the legal basis of each counting rule, for the trace (the engine passes the
            rulebook's, for the day the period starts); ``None``: the trace cites none.

    Raises:
        CalendarCoverageError: when a day needed lies outside the calendar's years.
        ValueError: for a negative amount, a restart before the start, or pauses
            or extensions on an hour period.
    """
    unit = unit if isinstance(unit, Unit) else Unit(unit)
    policy = (receipt_policy if isinstance(receipt_policy, ReceiptPolicy)
              else ReceiptPolicy(receipt_policy))
    pauses = tuple(pauses)
    cites = tuple(sources)
    basis = basis or NO_BASIS
    if amount < 0:
        msg = f"amount must be >= 0 (got {amount})"
        raise ArgumentError(msg)
    if unit is Unit.HOURS:
        return _hours_deadline(start, amount, limit, pauses, restart, extension, cites, basis)
    if isinstance(start, datetime):
        start = start.date()
    if not isinstance(amount, int):
        msg = f"a {unit.value} period must be a whole number (got {amount})"
        raise ArgumentError(msg)
    cal = _calendar(calendar)
    base = start
    if restart is not None:
        if restart < start:
            msg = f"restart {restart} is before the start {start}"
            raise ArgumentError(msg)
        base = restart
    counted_from = base
    if policy is ReceiptPolicy.SHIFT_TO_NEXT_WORKDAY and not cal.is_workday(base):
        counted_from = cal.next_workday(base)
    else:
        cal.check(base, base)

    resolved: list[tuple[Pause, date | None, bool]] = []
    for pause in pauses:
        end = pause.end
        by_window = False
        if end is None and pause.window is not None:
            end = cal.add_working_days(pause.start, pause.window)
            by_window = True
        if end is not None and end < pause.start:
            msg = f"pause {pause.kind} ends ({end}) before it starts ({pause.start})"
            raise ArgumentError(msg)
        resolved.append((pause, end, by_window))
    spans = _merge(resolved) if resolved else []

    def finish(frm: date, n: int) -> tuple[date | None, date | None]:
        """``n`` units counted from ``frm`` (not counted), pauses skipped; unrolled and rolled."""
        raw = _count(unit, cal, frm, n, spans)
        if raw is None or unit is Unit.WORKING_DAYS:
            return raw, raw
        return raw, cal.next_workday(raw)

    raw_due, due = finish(counted_from, amount)
    original_due, original_raw_due = due, raw_due
    violations: list[Violation] = []
    extension_applied = False
    if extension is not None and original_due is not None:
        if extension.approved_on <= original_due:
            # The extension runs on from the original due date — the day the period actually
            # ended, after any roll off a non-working day — not as one period of n + m units:
            # for calendar days the two differ when the original end rolled.  Pauses already
            # removed before the original due date are not removed again (``_count`` clips
            # each span to the days after ``frm``).
            raw_due, due = finish(original_due, extension.amount)
            extension_applied = True
        else:
            violations.append(Violation(
                "extension.after_due",
                f"延期于 {extension.approved_on.isoformat()} 批准，晚于原答复期限 "
                f"{original_due.isoformat()}，不予适用",
                f"the extension was approved on {extension.approved_on.isoformat()}, after the "
                f"original due date {original_due.isoformat()}; it is not applied",
                basis.extension))

    applied: list[AppliedPause] = []
    for pause, end, by_window in resolved:
        if due is not None and pause.start >= due:
            continue
        removed = 0 if end is None else _days_between(unit, cal, max(pause.start, counted_from),
                                                      end)
        applied.append(AppliedPause(pause.kind, pause.start, end, removed, by_window,
                                    pause.window, pause.label_zh, pause.label_en))
    provisional = cal.check(counted_from, due) if due is not None else False
    return Deadline._fast(
        limit=limit, amount=amount, unit=unit, start=start, counted_from=counted_from, due=due,
        original_due=original_due, provisional=provisional, head=(), pauses=tuple(applied),
        restart=restart, extension=extension, extension_applied=extension_applied,
        violations=tuple(violations), sources=cites, calendar=cal, raw_due=raw_due,
        original_raw_due=original_raw_due if extension_applied else None,
        merged=len(spans) < len(resolved), basis=basis,
    )


def _hours_deadline(start: date | datetime, amount: int | float, limit: str | None,
                    pauses: tuple[Pause, ...], restart: date | None,
                    extension: Extension | None, sources: tuple[Citation, ...],
                    basis: CountingBasis) -> Deadline:
    if pauses or restart is not None or extension is not None:
        msg = "pauses, restarts and extensions are not defined for hour periods"
        raise ArgumentError(msg)
    if not isinstance(start, datetime):
        msg = "an hour period needs a datetime start"
        raise ArgumentError(msg)
    try:
        moment = (start.replace(tzinfo=CHINA_STANDARD_TIME) if start.tzinfo is None
                  else start.astimezone(CHINA_STANDARD_TIME))
        due = moment + timedelta(hours=amount)
    except OverflowError:
        msg = (f"{amount} hours from {start.isoformat()} (China Standard Time) leave the dates "
               f"that can be held, 0001-01-01 to 9999-12-31 / 自 {start.isoformat()} 起 {amount} "
               "小时（北京时间）超出可表示的日期范围（0001-01-01 至 9999-12-31）")
        raise ArgumentError(msg) from None
    trace = (
        TraceStep("rule", f"期限：{amount}小时，自 {moment.isoformat()} 起算",
                  f"period: {amount} hours from {moment.isoformat()}", basis.hours),
        TraceStep("due", f"期限届满时间：{due.isoformat()}（北京时间）",
                  f"due: {due.isoformat()} (China Standard Time)"),
    )
    return Deadline(limit, amount, Unit.HOURS, moment, moment, due, due, False, trace,
                    sources=sources, basis=basis)
