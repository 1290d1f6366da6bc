"""Judge limits by what discharges them (``done_by``): late, or not done by the due date.

One loop serves requests and items: a limit's deadline is computed from its ``from`` event,
then the day of its ``done_by`` event is compared with the due date.  The violation codes are
the book's (``done_by.late`` / ``done_by.overdue``); the wording is the message table below,
keyed by code, with a plain wording for any other code.
"""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..messages import Violation
from .tables import memo

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..periods.calendar import OfficialCalendar
    from ..periods.counting import Deadline
    from ..rulebook.model import Limit, Rulebook
    from .tables import Memo

__all__ = ["LATE", "OVERDUE", "judge"]

#: code -> (zh, en) for a discharging event after the due date; fields: on, due, late, label.
LATE: Mapping[str, tuple[str, str]] = MappingProxyType({
    "reply.late": ("于 {on} 答复，晚于答复期限 {due}（迟延 {late} 个工作日）",
                   "replied on {on}, after the deadline {due} ({late} working days late)"),
    "supplement.late": ("补正告知于 {on} 发出，晚于期限 {due}",
                        "the supplement notice went out on {on}, after its deadline {due}"),
    "item.published_late": ("{on} 公开，晚于期限 {due}",
                            "published on {on}, after the deadline {due}"),
    "item.interpretation_late": ("政策解读于 {on} 发布，晚于期限 {due}",
                                 "interpretation published on {on}, after {due}"),
})
#: code -> (zh, en) for no discharging event by ``as_of`` after the due date.
OVERDUE: Mapping[str, tuple[str, str]] = MappingProxyType({
    "reply.overdue": ("截至 {as_of} 仍未答复，已超过答复期限 {due}",
                      "no reply by {as_of}; the deadline was {due}"),
    "item.publish_overdue": ("截至 {as_of} 尚未公开，已超过期限 {due}",
                             "not published by {as_of}; the deadline was {due}"),
    "item.interpretation_missing": ("政策文件截至 {as_of} 未发布解读（期限 {due}）",
                                    "policy document without an interpretation by {as_of} "
                                    "(due {due})"),
})
_LATE_DEFAULT = ("{label}：{event} 于 {on}，晚于期限 {due}", "{limit}: {event} on {on}, after the "
                 "deadline {due}")
_OVERDUE_DEFAULT = ("{label}：截至 {as_of} 尚无 {event}，已超过期限 {due}",
                    "{limit}: no {event} by {as_of}; the deadline was {due}")


def judge(book: Rulebook, limit: Limit, deadline: Deadline, done_on: date | None,
          as_of: date | None, calendar: OfficialCalendar, table: Memo | None = None
          ) -> Violation | None:
    """The violation of ``limit`` (if any) given the day its ``done_by`` event happened
    (``table``: the book's ``engine.memo.judge``, when the caller has it at hand)."""
    done_by = limit.done_by
    due = deadline.due
    if isinstance(due, datetime):  # a period in hours: judged by its calendar day
        due = due.date()
    if done_by is None or due is None:
        return None
    if done_on is not None and done_on > due and done_by.late is not None:
        code, (zh, en) = done_by.late, LATE.get(done_by.late, _LATE_DEFAULT)
    elif done_on is None and as_of is not None and as_of > due and done_by.overdue is not None:
        code, (zh, en) = done_by.overdue, OVERDUE.get(done_by.overdue, _OVERDUE_DEFAULT)
    else:
        return None  # done in time, or not yet due: the message is not built
    # A pure function of these (the limit's wording, the day done or as_of, the due date, the
    # deadline's sources, the calendar counting the days late): memoised per book.
    if table is None:
        table = memo(book, "engine.memo.judge")
    key = (limit.id, code, due, done_on, as_of if done_on is None else None, id(calendar),
           id(deadline.sources))
    hit = table[key]
    if hit is not None and hit[0] is limit and hit[1] is deadline.sources \
            and hit[2] is calendar:
        remembered: Violation = hit[3]
        return remembered
    event = book.events[done_by.event].label if done_by.event in book.events else done_by.event
    # The days as text once for both languages (no template gives a format spec, and
    # str() of a day is what "{due}" writes).
    fields: dict[str, object] = {"due": str(due), "label": limit.label, "limit": limit.id,
                                 "event": event, "as_of": str(as_of), "on": str(done_on)}
    if done_on is not None:
        fields["late"] = calendar.working_days_between(due, done_on)
    found = Violation(code, zh.format(**fields), en.format(**fields),
                      "；".join(str(c) for c in deadline.sources))
    table.remember(key, (limit, deadline.sources, calendar, found))
    return found
