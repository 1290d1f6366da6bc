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
* An extension adds units after the original due date, only if approved by then
  (条例 2019 第三十三条第二款).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..messages import TraceStep, Violation
from .calendar import DayKind, OfficialCalendar, official_calendar

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..messages import Citation

__all__ = [
    "CHINA_STANDARD_TIME",
    "Deadline",
    "Extension",
    "Pause",
    "ReceiptPolicy",
    "Unit",
    "add_working_days",
    "compute_deadline",
    "working_days_between",
]

#: UTC+8 without daylight saving, as observed in mainland China since 1991-09.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

_COUNT_BASIS = "民事诉讼法第八十五条；民法典第二百零一条"
_END_BASIS = "民事诉讼法第八十五条第三款；民法典第二百零三条"
_PAUSE_BASIS = "政府信息公开条例（2019）第三十三条第三款"
_RESTART_BASIS = "政府信息公开条例（2019）第三十条"
_EXTENSION_BASIS = "政府信息公开条例（2019）第三十三条第二款"


class Unit(str, enum.Enum):
    """The unit a limit is stated in."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"

    @property
    def zh(self) -> str:
        return {"working_days": "个工作日", "calendar_days": "日", "hours": "小时"}[self.value]

    @property
    def en(self) -> str:
        return self.value.replace("_", " ")


class ReceiptPolicy(str, enum.Enum):
    """What happens when the triggering event falls on a non-working day.

    ``NEXT_DAY`` (default): the event day is simply not counted; the first day
    counted is the next working day after it.  ``SHIFT_TO_NEXT_WORKDAY``: the event
    is deemed to happen on the next working day, which itself is then not counted
    — a rulebook chooses this with ``receipt_on_non_workday: shift_to_next_workday``.
    """

    NEXT_DAY = "next_day"
    SHIFT_TO_NEXT_WORKDAY = "shift_to_next_workday"


@dataclass(frozen=True, slots=True)
class Pause:
    """Time not counted: a consultation or a suspension.

    ``start`` still counts; counting resumes the day after ``end``.  With no
    ``end``, the pause runs to the end of its ``window`` (working days after
    ``start``, e.g. 15 for a third party, 条例 第三十二条) or, with no window,
    stays open and makes the deadline not yet determinable.
    """

    kind: str
    start: date
    end: date | None = None
    window: int | None = None
    label_zh: str = "暂停计算"
    label_en: str = "pause"


@dataclass(frozen=True, slots=True)
class Extension:
    """An approved extension of ``amount`` more units."""

    amount: int
    approved_on: date


@dataclass(frozen=True, slots=True)
class AppliedPause:
    """A pause as it was applied: its resolved end and the units it removed."""

    kind: str
    start: date
    end: date | None
    removed: int
    by_window: bool
    window: int | None = None
    label_zh: str = "暂停计算"
    label_en: str = "pause"

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "start": self.start.isoformat(),
                "end": self.end.isoformat() if self.end else None,
                "removed": self.removed, "by_window": self.by_window}


@dataclass(frozen=True)
class Deadline:
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
    merged: bool = False

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
        return tuple(_explain(self))

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
    return _calendar(calendar).add_working_days(start, n)


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


def _range_label(first: date, last: date) -> str:
    if first == last:
        return first.isoformat()
    if first.year == last.year and first.month == last.month:
        return f"{first.isoformat()}..{last.day:02d}"
    return f"{first.isoformat()}..{last.isoformat()}"


def _calendar_trace(cal: OfficialCalendar, start: date, end: date) -> list[TraceStep]:
    """Holidays not counted and make-up days counted in ``(start, end]``."""
    steps: list[TraceStep] = []
    groups: list[list[date | str | None]] = []
    special_weekend_days = 0  # weekend days that are holidays or make-up days, not "other"
    for info in cal.special_days(start, end):
        special_weekend_days += info.day.weekday() >= 5
        if info.kind is DayKind.MAKEUP_WORKDAY:
            steps.append(TraceStep(
                "calendar.makeup_workday",
                f"{info.label} 为{info.name_zh or ''}调休上班日，计入",
                f"{info.label} make-up working day ({info.name_en or info.name_zh}) counted",
            ))
            continue
        last = groups[-1] if groups else None
        if (last is not None and last[2] == info.name_zh and isinstance(last[1], date)
                and (info.day - last[1]).days <= 3 and last[4] == info.basis):
            last[1] = info.day
        else:
            groups.append([info.day, info.day, info.name_zh, info.name_en, info.basis])
    for first, last_day, zh, en, basis in groups:
        assert isinstance(first, date)
        assert isinstance(last_day, date)
        if basis is not None:
            # A provisional year: the holiday is the law's, its 调休 arrangement unknown.
            steps.append(TraceStep(
                "calendar.assumed_holiday",
                f"{_range_label(first, last_day)} {zh}为法定节假日，该年放假安排尚未公布，推定放假，不计入",
                f"{_range_label(first, last_day)} {en or zh} is a statutory holiday; that year's "
                "schedule is not yet published, so it is assumed off and not counted",
                str(basis)))
            continue
        steps.append(TraceStep(
            "calendar.holiday",
            f"{_range_label(first, last_day)} {zh}放假，不计入",
            f"{_range_label(first, last_day)} {en or zh} holiday not counted",
        ))
    steps.sort(key=lambda s: s.zh[:10])
    weekends = sum(
        1 for o in range(start.toordinal() + 1, end.toordinal() + 1)
        if (o % 7) in (6, 0)
    ) - special_weekend_days
    if weekends > 0:
        steps.append(TraceStep("calendar.weekends", f"另有 {weekends} 个周六、周日休息日不计入",
                               f"{weekends} other Saturday/Sunday rest day(s) not counted"))
    return steps


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
    if amount < 0:
        msg = f"amount must be >= 0 (got {amount})"
        raise ValueError(msg)
    if unit is Unit.HOURS:
        return _hours_deadline(start, amount, limit, pauses, restart, extension, cites)
    if isinstance(start, datetime):
        start = start.date()
    if not isinstance(amount, int):
        msg = f"a {unit.value} period must be a whole number (got {amount})"
        raise ValueError(msg)
    cal = _calendar(calendar)
    base = start
    if restart is not None:
        if restart < start:
            msg = f"restart {restart} is before the start {start}"
            raise ValueError(msg)
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
            raise ValueError(msg)
        resolved.append((pause, end, by_window))
    spans = _merge(resolved) if resolved else []

    def finish(n: int) -> tuple[date | None, date | None]:
        raw = _count(unit, cal, counted_from, n, spans)
        if raw is None or unit is Unit.WORKING_DAYS:
            return raw, raw
        return raw, cal.next_workday(raw)

    raw_due, due = finish(amount)
    original_due = due
    violations: list[Violation] = []
    extension_applied = False
    if extension is not None and original_due is not None:
        if extension.approved_on <= original_due:
            raw_due, due = finish(amount + extension.amount)
            extension_applied = True
        else:
            violations.append(Violation(
                "extension.after_due",
                f"延期于 {extension.approved_on.isoformat()} 批准，晚于原答复期限 "
                f"{original_due.isoformat()}，不予适用",
                f"the extension was approved on {extension.approved_on.isoformat()}, after the "
                f"original due date {original_due.isoformat()}; it is not applied",
                _EXTENSION_BASIS))

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
        merged=len(spans) < len(resolved),
    )


def _explain(d: Deadline) -> list[TraceStep]:
    """The trace of a day-period deadline, rendered from its fields when first read."""
    unit, start, counted_from = d.unit, d.start, d.counted_from
    assert isinstance(start, date)
    assert isinstance(counted_from, date)
    limit = d.limit
    steps = [TraceStep(
        "rule",
        f"期限：{d.amount}{unit.zh}，自 {start.isoformat()} 起算" + (f"（{limit}）" if limit else ""),
        f"period: {d.amount} {unit.en} from {start.isoformat()}" + (f" ({limit})" if limit else ""),
    ), *d.head]
    base = d.restart or start
    if d.restart is not None:
        steps.append(TraceStep(
            "restart", f"{d.restart.isoformat()} 收到补正后的申请，期限重新起算",
            f"the period counts anew from {d.restart.isoformat()}, when the supplemented "
            "request was received", _RESTART_BASIS))
    cal = d.calendar
    if counted_from != base:
        steps.append(TraceStep(
            "receipt.shifted",
            f"{base.isoformat()} 非工作日，视为于下一个工作日 {counted_from.isoformat()} 收到",
            f"{base.isoformat()} is not a working day; the event is deemed to happen on the "
            f"next working day, {counted_from.isoformat()}"))
    elif cal is not None and not cal.is_workday(base):
        steps.append(TraceStep(
            "receipt.non_workday", f"{base.isoformat()} 非工作日，自其后第一个工作日起计算",
            f"{base.isoformat()} is not a working day; counting starts with the next "
            "working day", _COUNT_BASIS))
    steps.append(TraceStep(
        "count.start", f"{counted_from.isoformat()} 当日不计入，自次日起算",
        f"{counted_from.isoformat()} itself is not counted; counting starts the next day",
        _COUNT_BASIS))
    if d.extension is not None and isinstance(d.original_due, date):
        ext, original = d.extension, d.original_due.isoformat()
        if d.extension_applied:
            steps.append(TraceStep(
                "extension", f"{ext.approved_on.isoformat()} 批准延长 {ext.amount}{unit.zh}，"
                f"自原届满日 {original} 后续算",
                f"extension of {ext.amount} {unit.en} approved on {ext.approved_on.isoformat()}, "
                f"counted after the original due date {original}", _EXTENSION_BASIS))
        else:
            steps.append(TraceStep(
                "extension.rejected", f"延期批准晚于原届满日 {original}，不予适用",
                f"extension approved after the original due date {original}: not applied",
                _EXTENSION_BASIS))
    for p in d.pauses:
        span = _range_label(p.start, p.end) if p.end else f"{p.start.isoformat()}..?"
        if p.end is None:
            steps.append(TraceStep(
                "pause.open", f"{span} {p.label_zh}尚未结束，期限暂不能确定",
                f"{span} {p.label_en} has not ended; the due date cannot be determined yet",
                _PAUSE_BASIS))
            continue
        note_zh = (f"（未答复，按 {p.window} 个工作日期限计至 {p.end.isoformat()}）"
                   if p.by_window else "")
        note_en = (f" (no answer: runs to the end of its {p.window}-working-day window, "
                   f"{p.end.isoformat()})") if p.by_window else ""
        steps.append(TraceStep(
            "pause", f"{span} {p.label_zh}期间不计入（{p.removed}{unit.zh}）{note_zh}",
            f"{span} {p.label_en} not counted ({p.removed} {unit.en}){note_en}", _PAUSE_BASIS))
    if d.merged:
        steps.append(TraceStep("pause.merged", "重叠的暂停期间已合并计算",
                               "overlapping pauses were merged"))
    due = d.due
    if not isinstance(due, date) or cal is None:
        return steps
    if unit is Unit.WORKING_DAYS:
        steps.extend(_calendar_trace(cal, counted_from, due))
    if d.raw_due is not None and d.raw_due != due:
        info = cal.day_info(d.raw_due)
        name = f"（{info.name_zh}）" if info.name_zh else ""
        steps.append(TraceStep(
            "end.rolled", f"{info.label}{name}非工作日，期限顺延至 {due.isoformat()}",
            f"{info.label} is not a working day; the period ends on the next working day, "
            f"{due.isoformat()}", _END_BASIS))
    if d.provisional:
        steps.append(TraceStep(
            "provisional",
            "部分年份尚无官方节假日安排：仅扣除周末和法定节假日，不推定调休上班日和补假日，结果为临时结果",
            "some years have no official holiday schedule yet: only weekends and the statutory "
            "holidays are taken off, no make-up working day or substitute day is guessed; the "
            "result is provisional"))
    steps.append(TraceStep("due", f"期限届满日：{due.isoformat()}", f"due: {due.isoformat()}"))
    return steps


def _hours_deadline(start: date | datetime, amount: int | float, limit: str | None,
                    pauses: tuple[Pause, ...], restart: date | None,
                    extension: Extension | None, sources: tuple[Citation, ...]) -> Deadline:
    if pauses or restart is not None or extension is not None:
        msg = "pauses, restarts and extensions are not defined for hour periods"
        raise ValueError(msg)
    if not isinstance(start, datetime):
        msg = "an hour period needs a datetime start"
        raise TypeError(msg)
    moment = (start.replace(tzinfo=CHINA_STANDARD_TIME) if start.tzinfo is None
              else start.astimezone(CHINA_STANDARD_TIME))
    due = moment + timedelta(hours=amount)
    trace = (
        TraceStep("rule", f"期限：{amount}小时，自 {moment.isoformat()} 起算",
                  f"period: {amount} hours from {moment.isoformat()}", "民法典第二百零一条第二款"),
        TraceStep("due", f"期限届满时间：{due.isoformat()}（北京时间）",
                  f"due: {due.isoformat()} (China Standard Time)"),
    )
    return Deadline(limit, amount, Unit.HOURS, moment, moment, due, due, False, trace,
                    sources=sources)
