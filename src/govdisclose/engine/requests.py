"""Evaluate a request (依申请公开) against a rulebook: deadlines, status, violations, reply, steps.

Legal findings are returned as values; only malformed input raises (RequestError).
Nothing here reads the clock: ``as_of`` is an argument.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..errors import Problem, RequestError
from ..messages import TraceStep, Violation
from ..periods.calendar import official_calendar
from ..rulebook.events import (
    REPLY_DUE_EVENT,
    REQUEST_EVENTS,
    SUPPLEMENT_DUE_EVENT,
)
from ..rulebook.loading import load_rulebook
from ..rulebook.vocabulary import EventRole, RequestState, SupplementLapse
from .backends import DecisionBackend, PythonBackend
from .duties import DutyOutcome, fixed_reply_date, request_duties
from .intake import IntakeFinding, intake
from .monitoring import judge
from .plan import PLAN, build_plan, judged_row
from .receipt import receipt_date, received_step
from .replies import CONSULTATION_TYPES, ReplyDecision, consultation_consent, decide
from .request_deadlines import request_deadlines
from .request_dict import read_common
from .request_events import Record, record, reply_limit
from .request_input import check_request
from .request_model import Request
from .workflow import StepOutcome, steps_of

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..periods.calendar import OfficialCalendar
    from ..periods.counting import Deadline
    from ..rulebook.model import Limit, Rulebook
    from .plan import Judged, RequestPlan
    from .request_model import RequestEvent
    from .tables import Memo

__all__ = ["ReplyDecision", "RequestOutcome", "Status", "evaluate_request"]

#: Build an instance without running ``__init__`` and give it its dictionary at once
#: (:meth:`RequestOutcome._fast`).
_new = object.__new__
_set = object.__setattr__

#: The roles evaluate_request asks the record about (module constants: no enum look-up).
_SETS_DUE, _REPLIES = EventRole.SETS_DUE, EventRole.REPLIES
_TYPE = attrgetter("type")

#: The decision backend when none is given (stateless: one for every evaluation).
_REFERENCE = PythonBackend()

#: The trace step of a request with no findings yet (the same immutable step every time).
_PENDING = TraceStep("decision.pending", "尚未记录审查认定的事实，暂不能确定答复类型",
                     "no findings recorded yet: the reply type cannot be chosen")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Status(FieldRepr):
    """Where the request stands on ``as_of``."""

    state: RequestState
    as_of: date
    due: date | None
    replied_on: date | None = None
    working_days_left: int | None = None
    working_days_late: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state.value, "as_of": self.as_of.isoformat(),
                "due": self.due.isoformat() if self.due else None,
                "replied_on": self.replied_on.isoformat() if self.replied_on else None,
                "working_days_left": self.working_days_left,
                "working_days_late": self.working_days_late}


# No __slots__: one outcome is built per evaluation, at once (``_fast``), not field by field
# through object.__setattr__ as the frozen __init__ does (engine/request_model.py says why).
@dataclass(frozen=True, repr=False, eq=False)
class RequestOutcome(FieldRepr):
    """Everything the engine found for one request."""

    rulebook: str
    request_id: str
    as_of: date
    received_on: date
    deadlines: Mapping[str, Deadline]
    status: Status
    violations: tuple[Violation, ...]
    reply: ReplyDecision | None
    steps: tuple[StepOutcome, ...]
    trace: tuple[TraceStep, ...]
    backend: str = "python"
    notes: tuple[str, ...] = field(default=())
    #: the book's duties, permissions and standing rules that bear on the request
    duties: tuple[DutyOutcome, ...] = field(default=())
    #: what the rules say about how the request was made (channel, matters, contents)
    intake: tuple[IntakeFinding, ...] = field(default=())

    @classmethod
    def _fast(cls, rulebook: str, request_id: str, as_of: date, received_on: date,
              deadlines: Mapping[str, Deadline], status: Status,
              violations: tuple[Violation, ...], reply: ReplyDecision | None,
              steps: tuple[StepOutcome, ...], trace: tuple[TraceStep, ...], backend: str,
              notes: tuple[str, ...], duties: tuple[DutyOutcome, ...],
              intake: tuple[IntakeFinding, ...]) -> RequestOutcome:
        """Every field, in order, without the frozen ``__init__``'s per-field
        ``object.__setattr__`` (tests hold the two equal)."""
        outcome: RequestOutcome = _new(cls)
        _set(outcome, "__dict__", {
            "rulebook": rulebook, "request_id": request_id, "as_of": as_of,
            "received_on": received_on, "deadlines": deadlines, "status": status,
            "violations": violations, "reply": reply, "steps": steps, "trace": trace,
            "backend": backend, "notes": notes, "duties": duties, "intake": intake})
        return outcome

    @property
    def provisional(self) -> bool:
        return any(d.provisional for d in self.deadlines.values())

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON (schemas/outcome.schema.json, kind ``request``)."""
        return {
            "kind": "request",
            "rulebook": self.rulebook,
            "id": self.request_id,
            "as_of": self.as_of.isoformat(),
            "received_on": self.received_on.isoformat(),
            "provisional": self.provisional,
            "status": self.status.to_json(),
            "deadlines": {k: d.to_json() for k, d in self.deadlines.items()},
            "violations": [v.to_json() for v in self.violations],
            "reply": self.reply.to_json() if self.reply else None,
            "steps": [s.to_json() for s in self.steps],
            "trace": [t.to_json() for t in self.trace],
            "backend": self.backend,
            "duties": [d.to_json() for d in self.duties],
            "intake": [f.to_json() for f in self.intake],
        }


def _not_started(book: Rulebook, reply: Deadline, notice: RequestEvent, receipt: date
                 ) -> Deadline:
    """The reply period while a supplement is outstanding: not started, so no due date
    (条例 2019 第三十条: it counts from receipt of the supplemented request)."""
    basis = book.counting_bases(receipt).restart
    step = TraceStep(
        "supplement.awaiting", f"{notice.on.isoformat()} 已告知补正，尚未收到补正的申请：答复期限自收到"
        "补正的申请之日起计算，尚未开始，届满日暂不能确定", f"a supplement was requested on "
        f"{notice.on.isoformat()} and has not been received: the reply period counts from "
        "receipt of the supplemented request and has not started; no due date yet", basis)
    return replace(reply, due=None, original_due=None, raw_due=None, pauses=(), extension=None,
                   extension_applied=False, violations=(), merged=False,
                   head=(*reply.head, step))


def _no_period(reply: Deadline, limit: Limit) -> Deadline:
    """The reply period where its ``applies_when`` does not hold (a correction request, for
    which the regulation sets no period): no due date, never overdue; the trace says why."""
    step = TraceStep(
        "reply.no_period", f"{limit.label}的期限不适用于本申请（适用条件不成立），不计算答复期限",
        f"the period '{limit.label_en or limit.id}' does not apply to this request (its condition "
        "does not hold): no reply due date")
    return replace(reply, due=None, original_due=None, raw_due=None, pauses=(), extension=None,
                   extension_applied=False, violations=(), merged=False,
                   head=(*reply.head, step))


def _abandoned(book: Rulebook, rec: Record, receipt: date, as_of: date,
               trace: list[TraceStep]) -> bool:
    """Whether the supplement period the notice gave ran out by ``as_of`` with no supplement
    and the rules in force on ``receipt`` deem the request abandoned (视为放弃申请: the policy
    ``supplement_lapse``; none in force, nothing is deemed)."""
    due = rec.dates.get(SUPPLEMENT_DUE_EVENT)
    if rec.awaiting is None or due is None or as_of <= due:
        return False
    lapse, _, _ = book.policy("supplement_lapse", receipt)
    if lapse is None or lapse.value != SupplementLapse.ABANDONED:
        trace.append(TraceStep(
            "supplement.lapsed", f"补正期限 {due.isoformat()} 届满，截至 {as_of.isoformat()} 未收到补正；"
            f"{receipt.isoformat()} 有效的规定未规定视为放弃申请，仍待补正", f"the supplement "
            f"period ended on {due.isoformat()} with no supplement by {as_of.isoformat()}; the "
            f"rules in force on {receipt.isoformat()} deem nothing: still awaiting the supplement"))
        return False
    cite = "；".join(str(c) for c in lapse.cites)
    trace.append(TraceStep(
        "supplement.abandoned", f"补正期限 {due.isoformat()} 届满，截至 {as_of.isoformat()} 未收到补正："
        "视为放弃申请", f"the supplement period ended on {due.isoformat()} and no supplement was "
        f"received by {as_of.isoformat()}: the request is deemed abandoned", cite or None))
    return True


def _judged(book: Rulebook, deadlines: Mapping[str, Deadline]) -> list[Judged]:
    """Each limit among ``deadlines`` discharged by an event (``done_by``), as the plan's
    ``judged`` rows, in their order (a book whose consultation window is discharged by one:
    the plan's ``judged`` is then None)."""
    found = []
    for key in deadlines:
        limit = book.limits.get(key)
        if limit is not None and limit.done_by is not None:
            found.append(judged_row(limit))
    return found


def _status(replies: Sequence[RequestEvent], reply: Deadline, as_of: date,
            calendar: OfficialCalendar, notes: list[str], memo: Memo,
            waiting: RequestState | None = None, replied: date | None = None) -> Status:
    """Where the request stands (``replies``: the replying events, in order): answered on
    time or late, overdue, or open; unanswered while a supplement is outstanding, ``waiting``
    (awaiting the supplement, or deemed abandoned); ``replied``: the day the first reply is
    judged by (made, sent or served, :func:`~.reply_date.reply_day`).

    Otherwise a pure function of the due date, the day replied, ``as_of`` and the calendar
    counting the working days: memoised per book by them (``memo``: the plan's, entries
    ``(calendar, status)``; requests answered on the same days share one immutable Status)."""
    due = reply.due
    cal_due = due.date() if isinstance(due, datetime) else due
    for extra in replies[1:]:
        notes.append(f"further reply recorded on {extra.on}")
    if waiting is not None and not replies:
        return Status(waiting, as_of, None)
    replied_on = (replied or replies[0].on) if replies else None
    key = (cal_due, replied_on, as_of)
    hit = memo[key]
    if hit is not None and hit[0] is calendar:
        remembered: Status = hit[1]
        return remembered
    if replied_on is not None:
        if cal_due is None or replied_on <= cal_due:
            status = Status(RequestState.ANSWERED_ON_TIME, as_of, cal_due, replied_on)
        else:
            status = Status(RequestState.ANSWERED_LATE, as_of, cal_due, replied_on,
                            working_days_late=calendar.working_days_between(cal_due,
                                                                            replied_on))
    elif cal_due is None:
        status = Status(RequestState.OPEN, as_of, None)
    elif as_of > cal_due:
        status = Status(RequestState.OVERDUE, as_of, cal_due,
                        working_days_late=calendar.working_days_between(cal_due, as_of))
    else:
        status = Status(RequestState.OPEN, as_of, cal_due,
                        working_days_left=calendar.working_days_between(as_of, cal_due))
    memo.remember(key, (calendar, status))
    return status


def evaluate_request(
    book: Rulebook | str,
    request: Request | Mapping[str, Any],
    *,
    as_of: date,
    calendar: OfficialCalendar | None = None,
    backend: DecisionBackend | None = None,
    include_steps: bool = True,
) -> RequestOutcome:
    """Evaluate ``request`` under ``book`` as things stand on ``as_of``.

    The rules in force on the receipt date apply (a request received in 2015 is judged under
    the 2008 regulation).  ``book`` may be a bundled rulebook id and ``request`` a plain
    mapping in the form of ``schemas/request.schema.json``; both are then loaded and
    validated first.  ``include_steps=False`` leaves out the workflow (ledger audits do not
    report it).

    Raises:
        RequestError: the request cannot be evaluated (no receipt date, ``as_of``
            before receipt, the book counts the reply period from an event the request does
            not record).
        LimitNotInForceError: the book has no reply period in force on the day it counts
            from (a request received before 2008-05-01, or a day between two local values).
        CalendarCoverageError: a deadline leaves the calendar's coverage.
    """
    if isinstance(book, str):
        book = load_rulebook(book)  # one look-up after the first (RulebookLibrary)
    if not isinstance(request, Request):  # (parse_request's two paths, with no call between)
        request = read_common(request, book) or check_request(request, book)
    decider = backend or _REFERENCE
    # Resolved once here, not per deadline: official_calendar() reads the environment.
    calendar = calendar if calendar is not None else official_calendar()
    trace: list[TraceStep] = []
    notes: list[str] = []
    receipt = request.received_on  # (receipt_date's common case inline: the day given)
    if receipt is not None:
        trace.append(received_step(receipt))
    else:
        receipt = receipt_date(book, request, trace)
    if as_of < receipt:
        raise RequestError([Problem("as_of.before_receipt",
                                    f"评估日期 {as_of} 早于收到申请之日 {receipt}",
                                    f"as_of {as_of} is before the receipt date {receipt}")])
    # 1. the record, read through the event table
    # (request_plan(book) without its calls: the book's table of derived tables read here)
    plan: RequestPlan = book._derived.get(PLAN) or book.derived(PLAN, build_plan)
    rec = record(book, request, receipt, as_of, trace, plan)
    # What the record shows, then the facts given (which win): the record's own dict, read
    # nowhere else.  (A parsed request's facts are a read-only view of a dict: its copy is
    # merged at once, the view key by key; decide() reads the copy too.)
    facts = rec.facts
    stated = request.facts
    if type(stated) is MappingProxyType:
        stated = stated.copy()
    facts.update(stated)
    # 0. how it was made (条例 2019 第二十九条): a way the policy in force refuses keeps the
    #    request out of the procedure — no reply period runs
    intake_found = intake(book, request.channel, request.applicant_type, facts, receipt, trace)
    if intake_found and any(f.blocks for f in intake_found):
        return RequestOutcome._fast(book.id, request.id, as_of, receipt, {},
                                    Status(RequestState.NOT_ACCEPTED, as_of, None), (), None,
                                    (), tuple(trace), decider.name, tuple(notes), (),
                                    intake_found)
    # 2. every deadline, counted from the event each limit names
    period = plan.reply if plan.reply is not None else reply_limit(book)
    deadlines = request_deadlines(book, plan, rec, facts, calendar, trace)
    if rec.awaiting is not None:  # 补正: the reply period has not started
        deadlines[period.id] = _not_started(book, deadlines[period.id], rec.awaiting, receipt)
    elif fixings := rec.by_role.get(_SETS_DUE):  # a later reply date fixed and
        fixing = fixings[0]  # told, where the book permits it (第三十五条)
        deadlines[period.id] = fixed_reply_date(
            book, deadlines[period.id], fixing, REQUEST_EVENTS[fixing.type].book_event, facts,
            receipt)
    if (when := period.applies_when) is not None:
        if (equal := plan.reply_equality) is not None:  # (period is plan.reply here)
            fact, value, expected = equal  # (the condition as one comparison: no call)
            holds = expected if facts.get(fact) == value else not expected
        else:
            holds = when.holds(facts)
        if not holds:
            deadlines[period.id] = _no_period(deadlines[period.id], period)
    reply = deadlines[period.id]
    # 3. what the record shows was done late or not at all (done_by)
    violations = [*rec.violations, *reply.violations]
    recorded = rec.dates
    for limit, event, late, overdue in plan.judged if plan.judged is not None \
            else _judged(book, deadlines):
        deadline = deadlines.get(limit.id)
        if deadline is None or (due := deadline.due) is None:
            continue
        done_on = recorded.get(event)
        if not (late if done_on is not None else overdue):
            continue  # no code for what the record shows: judge() would find nothing
        if type(due) is datetime:  # a period in hours: judged by its calendar day
            due = due.date()
        if (done_on or as_of) <= due:
            continue  # done in time, or not yet due: nothing to judge
        found = judge(book, limit, deadline, done_on, as_of, calendar, plan.judgements)
        if found is not None:
            violations.append(found)
    replies = rec.by_role.get(_REPLIES, ())
    waiting = None
    if rec.awaiting is not None and not replies:
        waiting = (RequestState.ABANDONED if _abandoned(book, rec, receipt, as_of, trace)
                   else RequestState.AWAITING_SUPPLEMENT)
    status = _status(replies, reply, as_of, calendar, notes, plan.statuses, waiting,
                     rec.replied_on)
    # 4. the reply the rules in force on the receipt date prescribe
    if not CONSULTATION_TYPES.isdisjoint(map(_TYPE, rec.events)):  # (no call for none)
        consultation_consent(book, facts, rec.events, plan.consent_windows, deadlines, receipt,
                             as_of, trace)
    decision = None
    if request.facts:
        decision = decide(book, facts, decider, receipt, trace, plan.decide, stated)
        given = None
        for replied in replies if decision is not None else ():
            if replied.reply:
                given = replied.reply
                break
        if decision is not None and given is not None and given != decision.type:
            violations.append(Violation(
                "reply.type_mismatch", f"实际答复类型 {given} 与规则要求的 {decision.type} 不符",
                f"the reply given ({given}) is not the one the rules prescribe ({decision.type})",
                "；".join(decision.sources)))
    else:
        trace.append(_PENDING)
    # 5. the duties that bear on it, and what the record shows of them
    dates = rec.dates  # (the record's own dict, read nowhere after this: no copy)
    due = reply.original_due or reply.due
    if due is not None:
        dates[REPLY_DUE_EVENT] = due
    else:
        dates.pop(REPLY_DUE_EVENT, None)
    duties, breaches = request_duties(book, plan, facts, dates, rec.actors, receipt, trace)
    violations.extend(breaches)
    workflow = plan.workflows[bisect_right(plan.workflow_bounds, receipt)]  # in force then
    steps = steps_of(book, workflow, facts, deadlines, plan.walks) \
        if include_steps and workflow is not None else ()
    return RequestOutcome._fast(book.id, request.id, as_of, receipt, deadlines, status,
                                tuple(violations), decision, steps, tuple(trace),
                                decider.name, tuple(notes), duties, intake_found)
