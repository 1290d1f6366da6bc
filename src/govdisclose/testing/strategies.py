"""Hypothesis strategies for property-testing deadline logic (needs ``hypothesis``).

Install with ``pip install 'govdisclose[test]'``.  Every strategy draws only
dates the given calendar covers, so generated cases never hit a coverage error
unless a test asks for one::

    from hypothesis import given
    from govdisclose import add_working_days
    from govdisclose.testing import covered_dates, working_day_counts

    @given(covered_dates(), working_day_counts())
    def test_result_is_a_working_day(start, n):
        ...

Periods of every unit compose with the dates: an hour period starts at a moment, a day period
on a day, and :meth:`Period.start_on` gives the one its unit needs (or draw both at once with
:func:`period_starts`)::

    @given(covered_dates(), periods())
    def test_due_is_after_start(day, period):
        start = period.start_on(day)
        assert compute_deadline(start, *period).due > start
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    msg = "govdisclose.testing needs hypothesis: pip install 'govdisclose[test]'"
    raise ImportError(msg) from exc

from ..periods.calendar import OfficialCalendar, official_calendar
from ..periods.counting import Pause, Unit
from ..periods.values import CHINA_STANDARD_TIME
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.vocabulary import EventRole

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = [
    "PAUSE_KINDS",
    "Period",
    "covered_dates",
    "pause_sets",
    "period_starts",
    "periods",
    "requests",
    "working_day_counts",
]

#: The pause kinds the engine knows (条例 第三十二、三十三、三十四条; force majeure), from the
#: request event table.
PAUSE_KINDS = tuple(str(row.pause) for row in REQUEST_EVENTS.values() if row.pause is not None)


def covered_dates(calendar: OfficialCalendar | None = None, *, margin_days: int = 120,
                  first: date | None = None, last: date | None = None) -> SearchStrategy[date]:
    """Dates inside the calendar's coverage, at least ``margin_days`` before its end.

    The margin leaves room for a period to run without leaving the covered years.
    ``first``/``last`` narrow the range further.
    """
    cal = calendar or official_calendar()
    lo = date(cal.first_year, 1, 1)
    hi = date(cal.last_year, 12, 31) - timedelta(days=margin_days)
    if first is not None:
        lo = max(lo, first)
    if last is not None:
        hi = min(hi, last)
    return st.dates(min_value=lo, max_value=hi)


def working_day_counts(max_value: int = 60) -> SearchStrategy[int]:
    """Period lengths in working days, 1..``max_value`` (statutory ones are 2–40)."""
    return st.integers(min_value=1, max_value=max_value)


class Period(NamedTuple):
    """A period drawn by :func:`periods`: still the ``(amount, unit)`` pair it always was
    (``amount, unit = period`` and ``compute_deadline(start, *period)`` work), which is why
    it is an immutable named tuple rather than a dataclass.

    An hour period is counted from a moment and a day period from a day
    (:func:`govdisclose.compute_deadline` refuses a bare date for hours, and an hour period's
    due moment cannot be compared with a date: the ``TypeError`` of issue 13).
    :meth:`start_on` turns a drawn date into the start the unit needs.
    """

    amount: int
    unit: Unit

    def start_on(self, day: date, at: time = time(9, 0)) -> date | datetime:
        """The start of this period on ``day``: the day itself for day units; for hours, the
        moment ``at`` on that day in China Standard Time (aware, like the due moment
        :func:`~govdisclose.compute_deadline` returns, so the two compare)."""
        if self.unit is Unit.HOURS:
            return datetime.combine(day, at.replace(tzinfo=None), tzinfo=CHINA_STANDARD_TIME)
        return day


def periods(max_days: int = 60, max_hours: int = 72) -> SearchStrategy[Period]:
    """:class:`Period` values — ``(amount, unit)`` pairs — for every unit of
    :class:`~govdisclose.periods.values.Unit`: 1..``max_days`` for the day units,
    1..``max_hours`` whole hours for hours."""
    # One branch per unit of the enum, so that a unit added to it is drawn too (with the day
    # units' amounts: only hours are counted in another range).
    return st.one_of(*(st.builds(Period, st.integers(1, max_hours if unit is Unit.HOURS
                                                     else max_days), st.just(unit))
                       for unit in Unit))


def _margin_for(max_days: int) -> int:
    """Calendar days that always hold ``max_days`` working days, and a calendar-day period of
    ``max_days`` rolled past the longest run of days off: five working days a week, less the
    statutory holidays (about three weeks a year, at most ten days in one run)."""
    return max_days * 7 // 5 + 30


def period_starts(calendar: OfficialCalendar | None = None, *, max_days: int = 60,
                  max_hours: int = 72, margin_days: int | None = None,
                  first: date | None = None, last: date | None = None
                  ) -> SearchStrategy[tuple[date | datetime, Period]]:
    """``(start, period)`` pairs ready for ``compute_deadline(start, *period)``: a covered
    date (:func:`covered_dates`) with a :func:`periods` value; for an hour period the start
    is a moment on that day (any time of day, China Standard Time).

    ``margin_days`` defaults to enough room for the longest period drawn to end inside the
    calendar's coverage, so no draw meets a coverage error.
    """
    margin = _margin_for(max_days) if margin_days is None else margin_days

    @st.composite
    def pair(draw: st.DrawFn) -> tuple[date | datetime, Period]:
        day = draw(covered_dates(calendar, margin_days=margin, first=first, last=last))
        period = draw(periods(max_days, max_hours))
        at = draw(st.times()) if period.unit is Unit.HOURS else time(0)
        return period.start_on(day, at), period

    return pair()


def pause_sets(start: date, *, max_pauses: int = 3, max_offset: int = 40,
               max_length: int = 30, open_windows: bool = True) -> SearchStrategy[list[Pause]]:
    """Lists of closed pauses beginning on or after ``start`` (possibly overlapping).

    With ``open_windows``, some pauses have no end but a window of working days
    (a third party who never answers, 条例 第三十二条).
    """

    @st.composite
    def one(draw: st.DrawFn) -> Pause:
        kind = draw(st.sampled_from(PAUSE_KINDS))
        begin = start + timedelta(days=draw(st.integers(0, max_offset)))
        if open_windows and draw(st.booleans()) and kind != "suspension":
            return Pause(kind, begin, None, window=draw(st.integers(1, 20)))
        return Pause(kind, begin, begin + timedelta(days=draw(st.integers(0, max_length))))

    return st.lists(one(), max_size=max_pauses)


@st.composite
def _request(draw: st.DrawFn, first: date, last: date) -> dict[str, object]:
    received = draw(st.dates(min_value=first, max_value=last))

    def later(max_days: int = 40) -> str:
        return (received + timedelta(days=draw(st.integers(0, max_days)))).isoformat()

    # One pass over the event table: each opening or pausing event may happen, then perhaps
    # the event that closes it; an extension and a reply may happen once each.
    events: list[dict[str, object]] = []
    for row in REQUEST_EVENTS.values():
        if row.role is EventRole.OPENS or row.role is EventRole.PAUSES:
            happens = draw(st.booleans()) if row.role is EventRole.OPENS \
                else draw(st.integers(0, 3)) == 0
            if not happens:
                continue
            events.append({"type": row.type, "on": later(10 if row.role is EventRole.OPENS
                                                         else 20)})
            for closer in REQUEST_EVENTS.values():
                if closer.closes == row.type and draw(st.booleans()):
                    events.append({"type": closer.type,
                                   "on": later(30 if row.role is EventRole.OPENS else 40)})
        elif row.role in (EventRole.EXTENDS, EventRole.REPLIES) and draw(st.booleans()):
            events.append({"type": row.type,
                           "on": later(40 if row.role is EventRole.EXTENDS else 60)})
    events.sort(key=lambda e: str(e["on"]))
    return {"id": f"H-{draw(st.integers(0, 10**6))}", "received_on": received.isoformat(),
            "events": events}


def requests(calendar: OfficialCalendar | None = None, *, margin_days: int = 200,
             first: date | None = None) -> SearchStrategy[dict[str, object]]:
    """Request documents (schemas/request.schema.json) with events in a plausible order.

    Dates stay ``margin_days`` inside the calendar's coverage, so that even a request
    paused by consultations and extended can be evaluated; ``first`` raises the earliest
    receipt date (e.g. 2008-05-01, when the first OGI regulation took effect).  Facts are left out: add
    your own with ``st.builds`` or ``.map`` when the decision rules matter.
    """
    cal = calendar or official_calendar()
    lo = max(date(cal.first_year, 1, 1), first) if first else date(cal.first_year, 1, 1)
    return _request(lo, date(cal.last_year, 12, 31) - timedelta(days=margin_days))
