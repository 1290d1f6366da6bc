"""Every deadline of a request: each request limit counted from the event it names, the reply
period with the record's pauses, restart and extension, each consultation's answer window —
and a local period capped by the national one of the same id (higher law).

Each deadline is a pure function of what it is computed from, memoised per book
(:func:`~.tables.deadline_memo`): requests received on the same day with the same record
share one.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import LimitNotInForceError, Problem, RequestError
from ..messages import TraceStep
from ..periods.values import Pause
from ..rulebook.events import RECEIPT_EVENT
from ..rulebook.vocabulary import EventRole
from .limits import limit_deadline
from .starts import recorded, start_of
from .tables import Memo, deadline_memo

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..periods.calendar import OfficialCalendar
    from ..periods.counting import Deadline, ReceiptPolicy
    from ..rulebook.model import Limit, Rulebook
    from .plan import PlannedLimit, RequestPlan
    from .request_events import Record

__all__ = ["request_deadlines"]

#: The role of a pausing event (a module constant: an enum member's look-up costs more).
_PAUSES = EventRole.PAUSES


def _deadline(book: Rulebook, limit: Limit, start: date, calendar: OfficialCalendar,
              policy: ReceiptPolicy, rec: Record | None = None, regime_on: date | None = None,
              memo: Memo | None = None) -> Deadline:
    """The limit's deadline from ``start``; the reply period (``rec`` given) with the record's
    pauses, restart and extension (条例 2019 第三十条、第三十三条); ``regime_on``: the day whose
    rules apply when it is not the start (a consultation: the receipt date).  ``memo``: the
    book's deadline memo, when the caller has it at hand."""
    if memo is None:
        memo = deadline_memo(book)  # a pure function of these arguments: engine/tables.py
    # (the policy by its value, a str enum: a member hashes in Python, a string in C)
    if rec is None:  # (request_deadlines looks this key up inline, regime_on None: keep alike)
        key: tuple[Any, ...] = (limit.id, start, regime_on, str.__str__(policy))
        hit = memo[key]
        if hit is not None and hit[0] is calendar:
            remembered: Deadline = hit[1]
            return remembered
        found = limit_deadline(book, limit.id, start, calendar=calendar, policy=policy,
                               regime_on=regime_on)
        memo.remember(key, (calendar, found))
        return found
    pauses = tuple(rec.pauses)
    # the pauses and the extension by their fields: a dataclass hashes and compares in Python
    ext = rec.extension
    key = (limit.id, start, None, str.__str__(policy), pauses, rec.restart,
           (ext.amount, ext.approved_on) if ext is not None else None)
    hit = memo[key]
    if hit is not None and hit[0] is calendar:
        remembered = hit[1]
        return remembered
    restart = rec.restart
    if restart is not None and not isinstance(start, datetime) and restart < start:
        restart = None  # (said below: the period starts after the supplement, which moves nothing)
    found = limit_deadline(book, limit.id, start, pauses=[Pause(*p) for p in pauses],
                           restart=restart, extension=rec.extension, calendar=calendar,
                           policy=policy)
    if restart is None and rec.restart is not None:
        found = replace(found, head=(*found.head, _restart_before_start(book, rec.restart,
                                                                         start)))
    memo.remember(key, (calendar, found))
    return found


def _restart_before_start(book: Rulebook, restart: date, start: date) -> TraceStep:
    """The step of a period that starts after the supplemented request was received (a local
    period counted from 登记之日, the request registered after its supplement): it counts from
    its own start, and the restart (条例 2019 第三十条: from receipt of the supplemented
    request) moves nothing; a national period of the same id still caps it (higher law)."""
    return TraceStep(
        "supplement.before_start", f"{restart.isoformat()} 收到补正后的申请，早于本期限的起算日 "
        f"{start.isoformat()}：仍自 {start.isoformat()} 起算", f"the supplemented request was "
        f"received on {restart.isoformat()}, before this period's start on {start.isoformat()}: "
        f"it counts from {start.isoformat()}", book.counting_bases(restart).restart)


def request_deadlines(book: Rulebook, plan: RequestPlan, rec: Record, facts: Mapping[str, Any],
                      calendar: OfficialCalendar, trace: list[TraceStep]
                      ) -> dict[str, Deadline]:
    """Every request limit counted from the event it names (``from``), in the book's order
    (the plan's ``reply``: the reply period); then each consultation's answer window, once
    per consultation."""
    deadlines: dict[str, Deadline] = {}
    policy, memo, dates = plan.policy, plan.deadlines, rec.dates
    policy_key = str.__str__(policy)  # (as _deadline keys it)
    for planned in plan.limits:  # about requests, no extension, no pause window
        limit = planned.limit
        if limit.applies_when is not None and not planned.is_reply \
                and not limit.applies_when.holds(facts):
            continue  # (the reply period says why it does not run: below)
        starts = planned.starts
        if starts is None:
            start = start_of(book, limit, dates, trace)
        elif (day := dates.get(starts.event)) is not None \
                and starts.live[bisect_right(starts.bounds, day)]:
            start = day  # (StartTable.start's common case, inline: no call)
        else:
            start = starts.start(book, limit, dates, trace)
        if start is None:
            if planned.is_reply:  # the reply period cannot start: say why (an error)
                _no_start(book, limit, dates)
            continue
        if planned.is_reply:
            deadline = _deadline(book, limit, start, calendar, policy, rec, memo=memo)
        elif (hit := memo[(limit.id, start, None, policy_key)]) is not None \
                and hit[0] is calendar:
            deadline = hit[1]  # (_deadline's look-up of a limit without the record, inline)
        else:
            deadline = _deadline(book, limit, start, calendar, policy, memo=memo)
        if planned.national is not None:
            deadline = _within_higher_law(plan, planned, deadline, rec, calendar)
        deadlines[limit.id] = deadline
    # (a pausing row's events are the record's events of role PAUSES: tests/test_law_as_data.py)
    pausing = rec.by_role.get(_PAUSES)
    if not plan.windows or not pausing:
        return deadlines
    receipt = rec.dates[RECEIPT_EVENT]  # (the rules in force on receipt apply to a window)
    for row, window in plan.windows:
        n = 0
        for e in pausing:
            if e.type != row.type:
                continue
            n += 1
            hit = memo[(window.id, e.on, receipt, policy_key)]  # (_deadline's look-up, inline)
            if hit is not None and hit[0] is calendar:
                deadline = hit[1]
            else:
                try:
                    deadline = _deadline(book, window, e.on, calendar, policy,
                                         regime_on=receipt, memo=memo)
                except LimitNotInForceError:
                    trace.append(TraceStep(
                        "limit.not_in_force", f"{window.id} 在 {e.on} 无有效规定，未计算",
                        f"{window.id} has no value in force on {e.on}; not computed"))
                    continue
            deadlines[window.id if n == 1 else f"{window.id}[{n}]"] = deadline
    return deadlines


def _no_start(book: Rulebook, limit: Limit, dates: Mapping[str, date]) -> NoReturn:
    """Raise for the reply period where :func:`~.starts.start_of` finds no start: no value in
    force on the day of the event it counts from, or on the day of the event that one falls
    back on (LimitNotInForceError for that day, the last a value counts from, as start_of's
    trace names it); or neither recorded (a RequestError: the book counts the period from an
    event the request does not give, so no due date can be reckoned)."""
    found = [day for value in limit.values
             if (day := recorded(book, value.from_event or "", dates)) is not None]
    if found:
        raise LimitNotInForceError(book.id, limit.id, found[-1][0])
    events = sorted({value.from_event or "" for value in limit.values})
    labels = "、".join(book.events[e].label if e in book.events else e for e in events)
    raise RequestError([Problem(
        "reply.no_start", f"规则集 {book.id} 的答复期限自{labels}（{'、'.join(events)}）起算，"
        "申请未载明该日期，无法计算答复期限", f"rulebook {book.id} counts the reply period from "
        f"{', '.join(events)}, which the request does not record: no due date can be reckoned")])


def _within_higher_law(plan: RequestPlan, planned: PlannedLimit, deadline: Deadline,
                       rec: Record, calendar: OfficialCalendar) -> Deadline:
    """A local period may end earlier than the national one of the same id, never later —
    whatever event it counts from (桦甸 counts 15 working days from 登记之日; the regulation
    20 from 收到申请之日): the national due date then applies, and the trace says so."""
    root, national_limit, limit = plan.root, planned.national, planned.limit
    if national_limit is None or deadline.due is None:
        return deadline
    starts = planned.national_starts
    start = starts.start(root, national_limit, rec.dates, []) if starts is not None \
        else start_of(root, national_limit, rec.dates, [])
    if start is None:
        return deadline
    # The answer is a pure function of the local deadline (remembered: one object for all it
    # is computed from, the record's pauses, restart and extension among them), the national
    # start and the calendar: remembered by them (the plan's ``caps``; the entry holds the
    # deadline and the calendar, so their ids cannot be another's while it lives).
    key = (limit.id, id(deadline), start)
    hit = plan.caps[key]
    if hit is not None and hit[0] is deadline and hit[1] is calendar:
        remembered: Deadline = hit[2]
        return remembered
    try:
        national = _deadline(root, national_limit, start, calendar, plan.policy,
                             rec if planned.is_reply else None, memo=plan.root_deadlines)
    except LimitNotInForceError:
        national = None
    found = deadline
    if national is not None and national.due is not None \
            and type(national.due) is type(deadline.due) and national.due < deadline.due:
        found = _capped(limit, deadline, national)
    plan.caps.remember(key, (deadline, calendar, found))
    return found


def _capped(limit: Limit, deadline: Deadline, national: Deadline) -> Deadline:
    """``national``, whose due date is earlier than the local ``deadline``'s, with the trace
    step that says the national due date applies."""
    cite = "；".join(str(c) for c in national.sources)
    step = TraceStep(
        "higher_law", f"本地时限 {limit.id} 届满于 {deadline.due}，晚于上位法规定的 {national.due}"
        f"（{cite}）：依上位法优于下位法原则，以 {national.due} 为准", f"the local period "
        f"{limit.id} ends on {deadline.due}, later than higher law allows ({national.due}; "
        f"{cite}): the national due date applies", "上位法优于下位法")
    return replace(national, head=(*national.head, step))
