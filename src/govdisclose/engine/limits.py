"""Deadlines of a rulebook's limits: the rule in force on the start date, higher law applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..errors import ArgumentError
from ..messages import TraceStep
from ..periods.counting import Deadline, ReceiptPolicy, Unit, compute_deadline

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..periods.basis import CountingBasis
    from ..periods.calendar import OfficialCalendar
    from ..periods.counting import Extension, Pause
    from ..rulebook.model import ResolvedLimit, Rulebook

__all__ = ["counting_basis", "limit_deadline", "national_counting_basis", "receipt_policy"]


def _receipt_policy(book: Rulebook) -> ReceiptPolicy:
    policy, _, _ = book.policy("receipt_on_non_workday")
    return ReceiptPolicy(policy.value) if policy is not None else ReceiptPolicy.NEXT_DAY


def receipt_policy(book: Rulebook) -> ReceiptPolicy:
    """The book's rule for events on non-working days (default: count from the next day);
    whatever the day, so derived once per book."""
    return book.derived("engine.receipt_policy", _receipt_policy)


def counting_basis(book: Rulebook, on: date) -> CountingBasis:
    """The basis of each counting rule on ``on``, from the book's (root's) ``counting`` data
    (:meth:`Rulebook.counting_bases`, memoised per day)."""
    return book.counting_bases(on)


def national_counting_basis(on: date) -> CountingBasis:
    """The counting basis of the bundled national book on ``on``, loaded when first needed
    (for computations asked for without a rulebook, such as ``govdisclose workdays``)."""
    from ..rulebook.loading import load_rulebook

    return counting_basis(load_rulebook("national"), on)


def _higher_law_step(resolved: ResolvedLimit) -> TraceStep | None:
    if resolved.note_zh is None or resolved.local is None:
        return None
    local = "；".join(str(c) for c in resolved.local.cites)
    return TraceStep("higher_law", f"{resolved.note_zh}（{local}）", resolved.note_en or "",
                     "上位法优于下位法")


def limit_deadline(
    book: Rulebook,
    limit_id: str,
    start: date | datetime,
    *,
    pauses: Iterable[Pause] = (),
    restart: date | None = None,
    extension: Extension | None = None,
    calendar: OfficialCalendar | None = None,
    policy: ReceiptPolicy | None = None,
    regime_on: date | None = None,
) -> Deadline:
    """The deadline of ``limit_id`` counted from ``start`` under ``book``.

    The value in force on the start date applies (on the restart date, when the
    period counts anew; on ``regime_on`` when given: a consultation during a request is
    governed by the rules in force when the request was received).  A local value longer
    than the national one in force is set aside and the trace says so.

    ``policy`` overrides the book's receipt policy (callers computing many deadlines
    of one book pass it once).

    Raises:
        UnknownLimitError, LimitNotInForceError: no such limit on that date.
        CalendarCoverageError: the period leaves the calendar's coverage.
        TypeError: an hour limit given a date without a time.
    """
    on = start.date() if isinstance(start, datetime) else start
    value_day = regime_on or restart or on
    base = _extended_from_the_same_start(book, limit_id, restart or on)
    if base is not None:
        return _extension_deadline(book, limit_id, base, start, pauses=tuple(pauses),
                                   restart=restart, calendar=calendar, policy=policy)
    resolved = book.limit(limit_id, value_day)
    if resolved.unit is Unit.HOURS and not isinstance(start, datetime):
        msg = (f"{limit_id} is counted in hours: give a date and time such as "
               f"{on.isoformat()}T09:30 / 该时限按小时计算，请给出具体时间")
        raise ArgumentError(msg)
    receipt = policy or receipt_policy(book)
    basis = book.counting_bases(value_day)
    if receipt is ReceiptPolicy.SHIFT_TO_NEXT_WORKDAY:  # cite the book's choice
        chosen, _, _ = book.policy("receipt_on_non_workday")
        if chosen is not None:
            basis = replace(basis, receipt="；".join(str(c) for c in chosen.cites))
    deadline = compute_deadline(
        start, resolved.amount, resolved.unit, limit=limit_id, pauses=pauses, restart=restart,
        extension=extension, receipt_policy=receipt, calendar=calendar,
        sources=resolved.cites, basis=basis,
    )
    step = _higher_law_step(resolved)
    if step is not None:
        deadline = replace(deadline, head=(*deadline.head, step))
    return deadline


def _extended_from_the_same_start(book: Rulebook, limit_id: str, on: date) -> str | None:
    """The limit ``limit_id`` extends, when the book counts the extension from the same event
    as that limit (桦甸's 保密确定 extension counts from ``review.submitted``): the start given
    is then the start of the whole period, and the extension runs on from the extended
    limit's due date.  ``None`` for any other limit, and for an extension counted from its own
    event (the original due date, ``request.reply_due``)."""
    limit = book.limits.get(limit_id)
    if limit is None or limit.extension_of is None or limit.extension_of not in book.limits:
        return None
    own = limit.value_on(on)
    extended = book.limits[limit.extension_of].value_on(on)
    if own is None or extended is None or own.from_event is None:
        return None
    return limit.extension_of if own.from_event == extended.from_event else None


def _extension_deadline(book: Rulebook, limit_id: str, base_id: str, start: date | datetime,
                        *, pauses: tuple[Pause, ...], restart: date | None,
                        calendar: OfficialCalendar | None,
                        policy: ReceiptPolicy | None) -> Deadline:
    """An extension counted on from the due date of the limit it extends, that limit counted
    from ``start`` (docs/deadlines.md §7)."""
    base = limit_deadline(book, base_id, start, pauses=pauses, restart=restart,
                          calendar=calendar, policy=policy)
    if base.due is None or not isinstance(base.due, date) or isinstance(base.due, datetime):
        return replace(base, limit=limit_id)
    original = base.due
    resolved = book.limit(limit_id, restart or original)
    on = start.date() if isinstance(start, datetime) else start
    basis = book.counting_bases(restart or on)
    # The original due date is not counted; it is a working day, so no receipt policy applies.
    deadline = compute_deadline(
        original, resolved.amount, resolved.unit, limit=limit_id,
        pauses=[p for p in pauses if p.end is None or p.end > original],
        receipt_policy=ReceiptPolicy.NEXT_DAY, calendar=calendar, sources=resolved.cites,
        basis=basis,
    )
    step = TraceStep(
        "extension",
        f"延长的期限自原届满日 {original.isoformat()} 后续算（{base_id}：自 "
        f"{(restart or on).isoformat()} 起 {base.amount}{base.unit.zh}，届满日 "
        f"{original.isoformat()}）",
        f"the extension runs on from the original due date {original.isoformat()} ({base_id}: "
        f"{base.amount} {base.unit.en} from {(restart or on).isoformat()}, due "
        f"{original.isoformat()})", basis.extension)
    head: tuple[TraceStep, ...] = (*base.head, step)
    higher = _higher_law_step(resolved)
    if higher is not None:
        head = (*head, higher)
    return replace(deadline, head=head, original_due=original,
                   provisional=deadline.provisional or base.provisional)
