"""The explanation of a computed deadline: each step in Chinese and English, the holidays not
counted and the make-up days counted, each rule with the basis the caller gave
(:class:`~govdisclose.periods.basis.CountingBasis`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..messages import TraceStep
from .calendar import DayKind, OfficialCalendar
from .values import Unit

if TYPE_CHECKING:
    from .counting import Deadline

__all__ = ["explain"]


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


def _rolled(cal: OfficialCalendar, last: date, due: date, basis: str | None, *,
            original: bool) -> TraceStep:
    """The step for a last day that is not a working day, rolled to ``due`` — of the original
    period before an extension (``original``) or of the period itself."""
    info = cal.day_info(last)
    name = f"（{info.name_zh}）" if info.name_zh else ""
    if original:
        return TraceStep(
            "end.rolled", f"原期限末日 {info.label}{name}非工作日，顺延至 {due.isoformat()}",
            f"the original period's last day, {info.label}, is not a working day; it ends "
            f"on the next working day, {due.isoformat()}", basis)
    return TraceStep(
        "end.rolled", f"{info.label}{name}非工作日，期限顺延至 {due.isoformat()}",
        f"{info.label} is not a working day; the period ends on the next working day, "
        f"{due.isoformat()}", basis)


def explain(d: Deadline) -> list[TraceStep]:
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
            "request was received", d.basis.restart))
    cal = d.calendar
    if counted_from != base:
        steps.append(TraceStep(
            "receipt.shifted",
            f"{base.isoformat()} 非工作日，视为于下一个工作日 {counted_from.isoformat()} 收到",
            f"{base.isoformat()} is not a working day; the event is deemed to happen on the "
            f"next working day, {counted_from.isoformat()}", d.basis.receipt))
    elif cal is not None and not cal.is_workday(base):
        steps.append(TraceStep(
            "receipt.non_workday", f"{base.isoformat()} 非工作日，自其后第一个工作日起计算",
            f"{base.isoformat()} is not a working day; counting starts with the next "
            "working day", d.basis.start))
    steps.append(TraceStep(
        "count.start", f"{counted_from.isoformat()} 当日不计入，自次日起算",
        f"{counted_from.isoformat()} itself is not counted; counting starts the next day",
        d.basis.start))
    if d.extension is not None and isinstance(d.original_due, date):
        ext, original = d.extension, d.original_due.isoformat()
        if d.extension_applied and cal is not None and d.original_raw_due is not None \
                and d.original_raw_due != d.original_due:
            steps.append(_rolled(cal, d.original_raw_due, d.original_due, d.basis.end,
                                 original=True))
        if d.extension_applied:
            steps.append(TraceStep(
                "extension", f"{ext.approved_on.isoformat()} 批准延长 {ext.amount}{unit.zh}，"
                f"自原届满日 {original} 后续算",
                f"extension of {ext.amount} {unit.en} approved on {ext.approved_on.isoformat()}, "
                f"counted after the original due date {original}", d.basis.extension))
        else:
            steps.append(TraceStep(
                "extension.rejected", f"延期批准晚于原届满日 {original}，不予适用",
                f"extension approved after the original due date {original}: not applied",
                d.basis.extension))
    for p in d.pauses:
        span = _range_label(p.start, p.end) if p.end else f"{p.start.isoformat()}..?"
        if p.end is None:
            steps.append(TraceStep(
                "pause.open", f"{span} {p.label_zh}尚未结束，期限暂不能确定",
                f"{span} {p.label_en} has not ended; the due date cannot be determined yet",
                d.basis.pause))
            continue
        note_zh = (f"（未答复，按 {p.window} 个工作日期限计至 {p.end.isoformat()}）"
                   if p.by_window else "")
        note_en = (f" (no answer: runs to the end of its {p.window}-working-day window, "
                   f"{p.end.isoformat()})") if p.by_window else ""
        steps.append(TraceStep(
            "pause", f"{span} {p.label_zh}期间不计入（{p.removed}{unit.zh}）{note_zh}",
            f"{span} {p.label_en} not counted ({p.removed} {unit.en}){note_en}", d.basis.pause))
    if d.merged:
        steps.append(TraceStep("pause.merged", "重叠的暂停期间已合并计算",
                               "overlapping pauses were merged"))
    due = d.due
    if not isinstance(due, date) or cal is None:
        return steps
    if unit is Unit.WORKING_DAYS:
        steps.extend(_calendar_trace(cal, counted_from, due))
    if d.raw_due is not None and d.raw_due != due:
        steps.append(_rolled(cal, d.raw_due, due, d.basis.end, original=False))
    if d.provisional:
        steps.append(TraceStep(
            "provisional",
            "部分年份尚无官方节假日安排：仅扣除周末和法定节假日，不推定调休上班日和补假日，结果为临时结果",
            "some years have no official holiday schedule yet: only weekends and the statutory "
            "holidays are taken off, no make-up working day or substitute day is guessed; the "
            "result is provisional"))
    steps.append(TraceStep("due", f"期限届满日：{due.isoformat()}", f"due: {due.isoformat()}"))
    return steps
