"""What a request's record says happened: the events in order, and from them
the pauses, the restart and the extension of the reply period — one loop over the event table
(:data:`govdisclose.rulebook.events.REQUEST_EVENTS`)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from ..errors import LimitNotInForceError, Problem, RequestError
from ..messages import TraceStep, Violation
from ..rulebook.conditions import fact_names
from ..rulebook.events import (
    RECEIPT_EVENT,
    REGISTERED_EVENT,
    REQUEST_EVENTS,
    SUPPLEMENT_DUE_EVENT,
)
from ..rulebook.index import InForce
from ..rulebook.vocabulary import CountingRuleKind, EventRole
from .extensions import extend
from .reply_date import reply_day

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..periods.counting import Extension
    from ..rulebook.events import RequestEventType
    from ..rulebook.model import Limit, Rulebook
    from .plan import RequestPlan
    from .request_model import Request, RequestEvent

__all__ = ["RECORDED_FACTS", "REPLIED", "PauseFields", "Record", "record"]

#: code -> (zh, en) when an event that must happen once is recorded several times.
REPEATED: dict[EventRole, tuple[str, str, str]] = {
    EventRole.OPENS: ("supplement.not_one_time", "补正应当一次性告知，记录显示多次告知",
                      "a supplement must be requested once, all at once; the record shows "
                      "several"),
    EventRole.EXTENDS: ("extension.repeated", "记录显示多次延期，仅第一次延期计入",
                        "several extensions recorded; only the first is applied"),
}


#: A pause by the fields of :class:`~govdisclose.periods.values.Pause`, in order: kind, start,
#: end, window, label_zh, label_en.
PauseFields = tuple[str, "date", "date | None", "int | None", str, str]

#: The events of a role the record does not hold (:meth:`Record.of`).
_NONE: tuple[RequestEvent, ...] = ()
#: The order events are read in: by day, then as given.
_ORDER = attrgetter("on", "index")
#: The roles :func:`record` asks about (module constants: an enum member's look-up costs more).
_REPLIES, _OPENS, _PAUSES = EventRole.REPLIES, EventRole.OPENS, EventRole.PAUSES
_CLOSING, _RESTARTS, _EXTENDS = EventRole.CLOSES, EventRole.RESTARTS, EventRole.EXTENDS

#: event type -> the pause kind of its row as text (the kinds a basis lists)
_PAUSE_KEYS = {t: str(row.pause) for t, row in REQUEST_EVENTS.items() if row.pause is not None}

#: event type -> the event type it closes (None: it closes none)
_OPENER_OF = {t: row.closes for t, row in REQUEST_EVENTS.items()}
#: The event types some event closes: a closing event needs one of them before it.
_CLOSED = frozenset(row.closes for row in REQUEST_EVENTS.values() if row.closes is not None)

#: Each fact a row of the event table derives, False (its event not recorded), in the table's
#: order (an event recorded makes its row's True).
_FACTS_NONE: dict[str, Any] = {row.fact: False for row in REQUEST_EVENTS.values()
                               if row.fact is not None}
#: The facts the record sets: each event's (above), the channel and the applicant's type.
RECORDED_FACTS = frozenset({*_FACTS_NONE, "channel", "applicant_type"})
#: The event table as a plain dict (a read-only view's subscript costs a call more).
_ROWS = dict(REQUEST_EVENTS)


def _cites(book: Rulebook, limit: Limit | None, on: date) -> str | None:
    if limit is None:
        return None
    value = limit.value_on(on)
    return "；".join(str(c) for c in value.cites) if value is not None else None


@dataclass(slots=True, init=False)
class Record:
    """The request's events up to ``as_of`` read through the event table (made with the events
    in order, then filled by :func:`record`; its ``__init__`` is written out: one per request
    evaluated, and a dataclass's calls a factory for each dict and list)."""

    events: list[RequestEvent]
    #: rulebook event -> the day the record supplies for it (first occurrence)
    dates: dict[str, date]
    #: the pauses, each by the fields of its :class:`~govdisclose.periods.values.Pause` in
    #: order: a deadline memo's key as they are (engine/request_deadlines.py makes the Pause
    #: objects only when it computes a deadline)
    pauses: list[PauseFields]
    restart: date | None
    extension: Extension | None
    violations: list[Violation]
    facts: dict[str, Any]
    #: role -> the events of that role, in order (filled by :func:`record` with ``dates``)
    by_role: dict[EventRole, list[RequestEvent]]
    #: the notice to supplement still outstanding (no supplement received since): the reply
    #: period has not started (条例 2019 第三十条)
    awaiting: RequestEvent | None
    #: the day the first reply is judged by (made, sent or served: :func:`reply_day`)
    replied_on: date | None
    #: rulebook event -> the role recorded as having done it (``approved_by``)
    actors: dict[str, str]

    def __init__(self, events: list[RequestEvent]) -> None:
        self.events = events
        self.dates = {}
        self.pauses = []
        self.restart = None
        self.extension = None
        self.violations = []
        self.facts = _FACTS_NONE.copy()  # (no event recorded: each event fact False)
        self.by_role = {}
        self.awaiting = None
        self.replied_on = None
        self.actors = {}

    def of(self, role: EventRole) -> Sequence[RequestEvent]:
        """The events of ``role``, in order (read only: the record's own list)."""
        return self.by_role.get(role, _NONE)


def _out_of_order(e: RequestEvent, row: RequestEventType, receipt: date,
                  opened: dict[str, int], found: list[Violation]) -> None:
    """An event before receipt, or a closing event without its opening one (``opened``: the
    opening events read so far by type, less those closed): into ``found``."""
    if e.on < receipt:
        found.append(Violation(
            "event.before_receipt", f"{e.type}（{e.on.isoformat()}）早于收到申请之日 "
            f"{receipt.isoformat()}", f"{e.type} on {e.on.isoformat()} is before receipt on "
            f"{receipt.isoformat()}"))
    opener = row.closes
    if opener is None:
        if e.type in _CLOSED:  # (counted where some event closes it, as record does)
            opened[e.type] = opened.get(e.type, 0) + 1
    elif opened.get(opener, 0) <= 0:
        found.append(Violation(
            "event.out_of_order", f"{e.type}（{e.on.isoformat()}）之前没有 {opener}",
            f"{e.type} on {e.on.isoformat()} has no earlier {opener}"))
    else:
        opened[opener] -= 1


def excluded_table(book: Rulebook) -> tuple[tuple[date, ...], tuple[tuple[str, ...], ...]]:
    """The pause kinds not counted in the reply period under the regime in force on a day
    (``kinds`` of the national ``counting.pause`` value in force), for each interval of days
    between those on which a value of the book's pause rule starts or stops to apply (one
    answer throughout each: read once per book, the plan's ``excluded``)."""
    rule = book.counting.get(CountingRuleKind.PAUSE)
    bounds = InForce.of(rule.values).bounds if rule is not None else ()
    answers = []
    for first in (date.min, *bounds):
        basis = book.counting_basis(CountingRuleKind.PAUSE, first)
        answers.append(basis.kinds if basis is not None else ())
    return bounds, tuple(answers)


def _not_paused(book: Rulebook, e: RequestEvent, row: RequestEventType,
                reply: Limit, receipt: date, trace: list[TraceStep]) -> None:
    """A pausing event whose kind the law in force does not exclude: the reply period runs
    on.  A local rule that would stop it (a provision that applies when the row's fact holds)
    yields to higher law: the national maximum applies, and the trace cites both."""
    root = book.root
    national = _cites(root, root.limits.get(reply.id), receipt) or _cites(book, reply, receipt)
    trace.append(TraceStep(
        "pause.not_excluded", f"{e.on.isoformat()} {row.label_zh}：法律未规定该期间不计入答复期限，"
        "答复期限照常计算", f"{e.on.isoformat()} {row.label_en}: the law in force does not "
        "exclude this time from the reply period, which runs on", national))
    for key, provision in sorted(book.provisions.items()):
        if provision.book == root.id or provision.applies_when is None or row.fact is None:
            continue
        facts: set[str] = set()
        fact_names(provision.applies_when, facts)
        if row.fact not in facts or not provision.applies_when.holds({row.fact: True}):
            continue
        local = "；".join(str(c) for c in provision.cites)
        trace.append(TraceStep(
            "higher_law", f"本地规定“{provision.label}”（{local}）使答复期限超出上位法规定的最长期限"
            f"（{national}），依上位法优于下位法原则不予暂停", f"the local rule {key} "
            f"({provision.label_en or provision.label}) would extend the reply period beyond the "
            "national maximum; higher law applies and the period is not paused",
            "上位法优于下位法"))


def _pauses(book: Rulebook, rec: Record, plan: RequestPlan, reply: Limit, receipt: date,
            trace: list[TraceStep]) -> None:
    """Each pausing event whose kind the law in force on ``receipt`` excludes from the reply
    period (dated ``counting.pause`` data: 条例 2019 第三十三条第三款, 2008 第二十四条), until its
    closing event or to the end of the window the book gives its kind (``pause_window_for``);
    any other pausing event stops nothing.  (A pause's end is among the record's events of
    role CLOSES: tests/test_law_as_data.py.)"""
    bounds, answers = plan.excluded
    excluded = answers[bisect_right(bounds, receipt)]
    closing = rec.by_role.get(_CLOSING, _NONE)
    used: set[int] = set()
    for e in rec.by_role[_PAUSES]:
        row = _ROWS[e.type]
        if row.pause is None:
            continue
        if _PAUSE_KEYS[e.type] not in excluded:
            _not_paused(book, e, row, reply, receipt, trace)
            continue
        end = None  # the first closing event not yet used (a loop: no generator per pause)
        for c in closing:
            if _OPENER_OF[c.type] == e.type and c.on >= e.on and c.index not in used:
                end = c
                break
        window = None
        if end is not None:
            used.add(end.index)
        else:
            limit = window_limit(book, row.pause)
            if limit is not None:
                try:
                    window = int(book.limit(limit.id, e.on).amount)
                except LimitNotInForceError:
                    window = None
        rec.pauses.append((_PAUSE_KEYS[e.type], e.on, end.on if end else None, window,
                           row.pause.zh, row.pause.en))


def window_limit(book: Rulebook, kind: str) -> Limit | None:
    """The book's limit answering a consultation of ``kind`` (``pause_window_for``)."""
    return book.limit_index.window_for.get(str(kind))


#: The rulebook event the replying event records (the event table is a constant).
REPLIED = next(r.book_event for r in REQUEST_EVENTS.values() if r.role is EventRole.REPLIES)


def reply_limit(book: Rulebook) -> Limit:
    """The reply period: the request limit discharged by the replying event."""
    found = book.limit_index.done_by.get(REPLIED)
    if found is None:
        raise RequestError([Problem("rulebook.no_reply_limit",
                                    f"规则集 {book.id} 没有由 {REPLIED} 完成的答复期限",
                                    f"rulebook {book.id} has no limit done by {REPLIED}")])
    return found


def _concerned(book: Rulebook, role: EventRole, book_event: str, reply: Limit) -> Limit | None:
    """The limit an event of ``role`` concerns: the one it discharges, or the extension."""
    if role is _EXTENDS:
        return book.limit_index.extension_of.get(reply.id)
    return book.limit_index.done_by.get(book_event)


def record(book: Rulebook, request: Request, receipt: date, as_of: date,
           trace: list[TraceStep], plan: RequestPlan) -> Record:
    """Read the request's events up to ``as_of``: order, pauses, restart and extension
    (``plan``: the book's request plan, engine/plan.py)."""
    given = request.events
    # (the events in the order they are read: by day, then as given)
    events = sorted(given, key=_ORDER) if len(given) > 1 else list(given)
    rec = Record(events)
    dates, by_role, violations = rec.dates, rec.by_role, rec.violations
    dates[RECEIPT_EVENT] = receipt
    if request.registered_on is not None:
        dates[REGISTERED_EVENT] = request.registered_on
    opened: dict[str, int] = {}
    unordered: list[Violation] = []  # (reported after those of the loop, in event order)
    facts = rec.facts  # (each event fact False, in the table's order: the events make True)
    for e in events:
        on = e.on
        if on > as_of:  # this one and (in order) every later one: not taken into account
            cut = events.index(e)
            for late in events[cut:]:
                trace.append(TraceStep(
                    "event.future", f"{late.type}（{late.on}）晚于评估日期，未计入",
                    f"{late.type} on {late.on} is after as_of and was not taken into account"))
            del events[cut:]
            break
        row = _ROWS[e.type]
        opener = row.closes
        if on < receipt:
            _out_of_order(e, row, receipt, opened, unordered)
        elif opener is None:  # the common cases of _out_of_order, inline: an opening event
            if e.type in _CLOSED:  # (counted where some event closes it),
                opened[e.type] = opened.get(e.type, 0) + 1
        elif opened.get(opener, 0) > 0:  # or a closing one after its opening one
            opened[opener] -= 1
        else:
            _out_of_order(e, row, receipt, opened, unordered)
        if e.reply and row.role is _REPLIES \
                and (reply_type := book.replies.get(e.reply)) is not None and reply_type.conflict:
            # A reply the book classes as conflicting with higher law (阳泉 暂缓公开, 不予确认)
            # is no lawful answer: the request stays unanswered, and the record says why.
            violations.append(Violation(
                "reply.conflicts_with_higher_law",
                f"{on.isoformat()} 的答复「{reply_type.label}」与上位法抵触，不构成依法答复",
                f"the reply of {on.isoformat()} ({reply_type.label_en or reply_type.key}) "
                "conflicts with higher law and is no lawful answer",
                "；".join(str(c) for c in reply_type.cites) or None))
            continue
        dates.setdefault(row.book_event, on)
        if row.fact is not None:  # (one row per rulebook event: tests/test_law_as_data.py)
            facts[row.fact] = True
        if row.notice_event is not None and e.notified_on is not None:
            dates.setdefault(row.notice_event, e.notified_on)
        if e.approved_by is not None:
            rec.actors.setdefault(row.book_event, e.approved_by)
        if e.supplement_due is not None:
            dates.setdefault(SUPPLEMENT_DUE_EVENT, e.supplement_due)
        found = by_role.get(row.role)
        if found is None:
            by_role[row.role] = [e]
        else:
            found.append(e)
    if unordered:
        violations.extend(unordered)
    reply = plan.reply if plan.reply is not None else reply_limit(book)
    if not by_role.keys().isdisjoint(REPEATED):
        _repeated(book, rec, plan, reply, receipt, trace)
    opening = by_role.get(_OPENS)
    if opening:
        restarts = [e for e in by_role.get(_RESTARTS, _NONE) if e.on >= opening[0].on]
        if restarts and restarts[0].on >= receipt:
            rec.restart = restarts[0].on
        elif not restarts:
            rec.awaiting = opening[0]
        # else: a supplement requested and received before receipt restarts nothing; the
        # record's violations (event.before_receipt) say what is wrong with it.
    replies = by_role.get(_REPLIES)
    if replies:
        first = replies[0]  # (reply_day's common case inline: only the day made recorded)
        rec.replied_on = first.on if first.sent_on is None and first.served_on is None \
            else reply_day(book, first, receipt, trace)
        dates[REPLIED] = rec.replied_on
    if _PAUSES in by_role:
        _pauses(book, rec, plan, reply, receipt, trace)
    if request.channel:
        facts["channel"] = request.channel
    if request.applicant_type:
        facts["applicant_type"] = request.applicant_type
    return rec


def _repeated(book: Rulebook, rec: Record, plan: RequestPlan, reply: Limit, receipt: date,
              trace: list[TraceStep]) -> None:
    """The first approved extension (engine/extensions.py), and an event that must happen once
    recorded several times (:data:`REPEATED`)."""
    for role, (code, zh, en) in REPEATED.items():
        found = rec.by_role.get(role, _NONE)
        if role is _EXTENDS and found:
            rec.extension, violations, steps = extend(book, plan, found[0], reply, receipt)
            rec.violations.extend(violations)
            trace.extend(steps)
        if len(found) > 1:
            row = REQUEST_EVENTS[found[0].type]
            rec.violations.append(Violation(code, zh, en, _cites(
                book, _concerned(book, role, row.book_event, reply), receipt)))
