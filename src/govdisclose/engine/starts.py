"""The day a limit's period starts: the day of the event it counts from (``from``), as a
request's or an item's record gives it, under the value in force on that day."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from ..messages import TraceStep
from ..rulebook.dated import in_force
from ..rulebook.index import InForce
from .tables import Memo

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..rulebook.model import Limit, Rulebook

__all__ = ["StartTable", "fallback_chain", "recorded", "start_of", "start_table"]


def fallback_chain(book: Rulebook, event: str) -> tuple[str, ...]:
    """``event``, then the event it falls back on (``otherwise``) when not recorded, and so on,
    each once (a cycle ends the chain)."""
    chain: list[str] = []
    current: str | None = event
    while current is not None and current not in chain:
        chain.append(current)
        declared = book.events.get(current)
        current = declared.otherwise if declared is not None else None
    return tuple(chain)


def recorded(book: Rulebook, event: str, dates: Mapping[str, date]
             ) -> tuple[date, str] | None:
    """The day of ``event`` in ``dates``, or of the event it falls back on (``otherwise``),
    with the event that gave it."""
    if event in dates:  # the common case: the event itself is recorded
        return dates[event], event
    for current in fallback_chain(book, event):
        if current in dates:
            return dates[current], current
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


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StartTable(FieldRepr):
    """:func:`start_of` for one limit every value of which counts from the same ``event``,
    worked out once per book: on a day in ``bounds``' interval ``i`` some value in force is not
    a repeal when ``live[i]``; ``otherwise``: the event falls back on another when not
    recorded (the book declares one)."""

    event: str
    bounds: tuple[date, ...]
    live: tuple[bool, ...]
    otherwise: bool
    #: :func:`fallback_chain` of the event: the only events whose days :func:`start_of` reads
    #: for this limit
    chain: tuple[str, ...] = field(compare=False)
    #: start_of's answers where the common case does not hold (the event not recorded, or no
    #: value in force on its day), by the chain's days: the start and the trace steps
    answers: Memo = field(compare=False, repr=False)

    def start(self, book: Rulebook, limit: Limit, dates: Mapping[str, date],
              trace: list[TraceStep]) -> date | None:
        """What ``start_of(book, limit, dates, trace)`` gives: at once when the event is
        recorded and a value is in force on it, or when neither it nor a fallback is recorded
        (None, no trace step); otherwise start_of's answer for the days of the chain's events,
        remembered (a pure function of them: every value counts from the one event)."""
        day = dates.get(self.event)
        if day is None:
            if not self.otherwise:
                return None
        elif self.live[bisect_right(self.bounds, day)]:
            return day
        key = tuple(map(dates.get, self.chain))
        hit = self.answers[key]
        if hit is None or hit[0] is not limit:  # (the entry holds the limit: the table is
            steps: list[TraceStep] = []          # made for one, and the memo keeps it alive)
            hit = (limit, start_of(book, limit, dates, steps), tuple(steps))
            self.answers.remember(key, hit)
        if hit[2]:
            trace.extend(hit[2])
        started: date | None = hit[1]
        return started


def start_table(book: Rulebook, limit: Limit) -> StartTable | None:
    """The :class:`StartTable` of ``limit`` (one of ``book``'s); None when its values count
    from different events (or it has none): :func:`start_of` answers each time."""
    events = {value.from_event or "" for value in limit.values}
    if len(events) != 1:
        return None
    event = events.pop()
    table = InForce.of(limit.values)
    declared = book.events.get(event)
    return StartTable(event, table.bounds,
                      tuple(any(not v.repealed for v in selection)
                            for selection in table.selections),
                      declared is not None and declared.otherwise is not None,
                      fallback_chain(book, event), Memo())
