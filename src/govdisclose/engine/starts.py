"""The day a limit's period starts: the day of the event it counts from (``from``), as a
request's or an item's record gives it, under the value in force on that day."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..messages import TraceStep
from ..rulebook.dated import in_force
from ..rulebook.index import InForce

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..rulebook.model import Limit, Rulebook

__all__ = ["StartTable", "recorded", "start_of", "start_table"]


def recorded(book: Rulebook, event: str, dates: Mapping[str, date]
             ) -> tuple[date, str] | None:
    """The day of ``event`` in ``dates``, or of the event it falls back on (``otherwise``),
    with the event that gave it."""
    if event in dates:  # the common case: the event itself is recorded
        return dates[event], event
    seen: set[str] = set()
    current: str | None = event
    while current is not None and current not in seen:
        if current in dates:
            return dates[current], current
        seen.add(current)
        declared = book.events.get(current)
        current = declared.otherwise if declared is not None else None
    return None


def start_of(book: Rulebook, limit: Limit, dates: Mapping[str, date],
             trace: list[TraceStep]) -> date | None:
    """The start day of ``limit``: its latest value in force on the day of its own start event.

    ``None`` when no start event is recorded, or when no value is in force on it (the trace
    then says so, e.g. the 7-working-day 补正 notice before 2019-05-15).
    """
    found: tuple[date, str, str] | None = None
    known: tuple[date, str] | None = None
    for value in limit.values:
        event = value.from_event or ""
        # (the common case inline: the event itself is recorded)
        day = (dates[event], event) if event in dates else recorded(book, event, dates)
        if day is None:
            continue
        known = day
        if in_force(value, day[0]) and not value.repealed:
            found = (day[0], day[1], event)
    if found is None:
        if known is not None:
            trace.append(TraceStep(
                "limit.not_in_force", f"{limit.id} 在 {known[0]} 无有效规定，未计算",
                f"{limit.id} has no value in force on {known[0]}; not computed"))
        return None
    start, given, wanted = found
    if given != wanted:
        label = book.events[wanted].label if wanted in book.events else wanted
        given_label = book.events[given].label if given in book.events else given
        trace.append(TraceStep(
            "event.otherwise", f"{limit.id}：未记录{label}，按{given_label}（{start}）起算",
            f"{limit.id}: {wanted} is not recorded; counted from {given}, {start}",
            "；".join(str(c) for c in book.events[wanted].cites) if wanted in book.events
            else None))
    return start


@dataclass(frozen=True, slots=True)
class StartTable:
    """The common case of :func:`start_of` for one limit, found once per book: every value of
    the limit counts from the same ``event``; on a day in ``bounds``' interval ``i`` some
    value in force is not a repeal when ``live[i]``."""

    event: str
    bounds: tuple[date, ...]
    live: tuple[bool, ...]

    def start(self, dates: Mapping[str, date]) -> date | None:
        """The start day when the event itself is recorded and a value is in force on it (what
        :func:`start_of` gives then, with no trace step); None: ask :func:`start_of`."""
        day = dates.get(self.event)
        if day is not None and self.live[bisect_right(self.bounds, day)]:
            return day
        return None


def start_table(limit: Limit) -> StartTable | None:
    """The :class:`StartTable` of ``limit``; None when its values count from different events
    (or it has none): :func:`start_of` answers each time."""
    events = {value.from_event or "" for value in limit.values}
    if len(events) != 1:
        return None
    table = InForce.of(limit.values)
    return StartTable(events.pop(), table.bounds,
                      tuple(any(not v.repealed for v in selection)
                            for selection in table.selections))
