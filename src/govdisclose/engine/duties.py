"""The duties, permissions and standing rules of a book (``duties``) as they bear on a request:
which apply, what the record shows of them, and the later reply date a permission allows.

Every article, sentence and violation code comes from the book; this module only reads the
entries (:class:`~govdisclose.rulebook.duties.Duty`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..messages import TraceStep, Violation
from ..rulebook.conditions import necessary_equal
from ..rulebook.vocabulary import DutyKind, DutyState
from .tables import request_duties_on

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..periods.counting import Deadline
    from ..rulebook.conditions import Condition
    from ..rulebook.duties import Duty
    from ..rulebook.model import Rulebook
    from .plan import RequestPlan
    from .request_model import RequestEvent

__all__ = ["DutyOutcome", "DutyRow", "duty_row", "fixed_reply_date", "permission_for",
           "request_duties"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DutyOutcome(FieldRepr):
    """A duty of the book that bears on the request, and what the record shows of it."""

    id: str
    label: str
    label_en: str | None
    kind: DutyKind
    state: DutyState
    actor: str | None
    to: str | None
    done_on: date | None
    by: date | None
    sources: tuple[str, ...]
    review: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "label_en": self.label_en,
                "kind": self.kind.value, "state": self.state.value, "actor": self.actor,
                "to": self.to, "done_on": self.done_on.isoformat() if self.done_on else None,
                "by": self.by.isoformat() if self.by else None,
                "sources": list(self.sources), "review": self.review}


def _cite(duty: Duty) -> str | None:
    return "；".join(str(c) for c in duty.cites) or None


def _in_force(book: Rulebook, on: date) -> tuple[Duty, ...]:
    """The duties about requests in force on ``on`` (a per-book table: engine/tables.py)."""
    return request_duties_on(book, on)


def permission_for(book: Rulebook, event: str, facts: Mapping[str, Any], on: date
                   ) -> Duty | None:
    """The permission in force on ``on`` that makes the recorded ``event`` lawful for
    ``facts`` (its ``after`` is the event and its conditions hold), if any."""
    for duty in _in_force(book, on):
        if duty.kind is DutyKind.PERMISSION and duty.after == event and (
                duty.applies_when is None or duty.applies_when.holds(facts)):
            return duty
    return None


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def fixed_reply_date(book: Rulebook, reply: Deadline, event: RequestEvent, book_event: str,
                     facts: Mapping[str, Any], on: date) -> Deadline:
    """The reply period with the later date the agency fixed (``event.reply_by``), where a
    permission of the book allows it for ``facts``; unchanged otherwise (the violation is
    :func:`request_duties`'s).  A date before the period's own end changes nothing: the
    permission is for a later date."""
    permission = permission_for(book, book_event, facts, on)
    fixed = event.reply_by
    if permission is None or fixed is None:
        return reply
    due = _day(reply.due)
    cite = _cite(permission)
    if due is not None and fixed <= due:
        step = TraceStep(
            "reply.fixed_date_not_later", f"{event.on.isoformat()} 确定的答复日期 {fixed.isoformat()} "
            f"不晚于答复期限届满日 {due.isoformat()}，仍以届满日为准", f"the reply date fixed on "
            f"{event.on.isoformat()}, {fixed.isoformat()}, is not later than the period's end "
            f"{due.isoformat()}, which stands", cite)
        return replace(reply, head=(*reply.head, step))
    zh_was = f"（原届满日 {due.isoformat()}）" if due is not None else ""
    en_was = f" (the period ended on {due.isoformat()})" if due is not None else ""
    step = TraceStep(
        "reply.fixed_date", f"{event.on.isoformat()} {permission.label}：答复期限为所确定的 "
        f"{fixed.isoformat()}{zh_was}", f"{event.on.isoformat()} "
        f"{permission.label_en or permission.label}: the reply is due on the date fixed, "
        f"{fixed.isoformat()}{en_was}", cite)
    return replace(reply, due=fixed, head=(*reply.head, step))


def _judge(book: Rulebook, duty: Duty, dates: Mapping[str, date], actors: Mapping[str, str],
           violations: list[Violation]) -> tuple[DutyState, date | None, date | None]:
    """What the record shows of a duty with ``done_by``: (state, day done, day due by)."""
    check = duty.done_by
    assert check is not None
    done = dates.get(check.event)
    by = dates.get(check.before) if check.before is not None else None
    cite = _cite(duty)
    if check.wrong_actor is not None:
        who = actors.get(check.event)
        if who is None:
            return DutyState.NOT_RECORDED, done, by
        if who != duty.actor:
            label = book.roles[who].label if who in book.roles else who
            violations.append(Violation(
                check.wrong_actor, f"{duty.label}；记录显示由{label}（{who}）批准",
                f"{duty.label_en or duty.label}; the record shows {who}", cite))
            return DutyState.WRONG_ACTOR, done, by
        return DutyState.DONE, done, by
    if done is None:
        return DutyState.NOT_RECORDED, None, by
    if by is not None and done > by and check.late is not None:
        violations.append(Violation(
            check.late, f"{duty.label}：记录显示 {done.isoformat()} 履行，晚于 {by.isoformat()}",
            f"{duty.label_en or duty.label}: done on {done.isoformat()}, after "
            f"{by.isoformat()}", cite))
        return DutyState.LATE, done, by
    return DutyState.DONE, done, by


#: A request duty as :func:`request_duties` reads it on every request: the duty; whether it is
#: standing (institutional: it bears on every request); the event it follows; its conditions,
#: and a fact and value they cannot hold without (``necessary_equal``: the fact is read before
#: the conditions are evaluated; None, None when there is none); whether it bears even when
#: they fail (a permission with a code for its unfounded use); the event the record shows it
#: done by, and the event it must be done before; and the fact of that necessary equality
#: again where its failing alone passes the duty over (neither standing nor such a
#: permission; else None): the one test read first, before the row is unpacked.
DutyRow = tuple["Duty", bool, "str | None", "Condition | None", "str | None", Any, bool,
                "str | None", "str | None", "str | None"]


def duty_row(duty: Duty) -> DutyRow:
    """The row of ``duty`` (read once per book: the plan's ``duty_rows``)."""
    check = duty.done_by
    when = duty.applies_when
    gate = necessary_equal(when) if when is not None else None
    standing = duty.kind is DutyKind.INSTITUTIONAL
    unfounded = duty.kind is DutyKind.PERMISSION and duty.unfounded is not None
    return (duty, standing, duty.after, when,
            gate[0] if gate is not None else None, gate[1] if gate is not None else None,
            unfounded, check.event if check is not None else None,
            check.before if check is not None else None,
            gate[0] if gate is not None and not standing and not unfounded else None)


def request_duties(book: Rulebook, plan: RequestPlan, facts: Mapping[str, Any],
                   dates: Mapping[str, date], actors: Mapping[str, str], on: date,
                   trace: list[TraceStep]) -> tuple[tuple[DutyOutcome, ...], list[Violation]]:
    """Every duty of the book in force on ``on`` (the receipt date) that bears on a request
    with ``facts`` and the recorded ``dates`` (rulebook event -> day) and ``actors``; the
    violations the record shows.  A record silent about a duty is said in the trace, never
    a violation.

    What one duty gives depends only on whether its conditions hold, whether the event it
    follows is recorded and, for a duty the record can show done, the days and the actor it
    reads: each duty's answer is memoised per book by those (the plan's memo: engine/plan.py)."""
    out: list[DutyOutcome] = []
    violations: list[Violation] = []
    table = plan.duties
    index = bisect_right(plan.duty_rules.bounds, on)  # the selection in force on ``on``
    rows = plan.duty_rows[index] if not plan.duty_follows[index].isdisjoint(dates) \
        else plan.duty_rows_unfollowed[index]  # (none of the events they follow recorded)
    for row in rows:
        # (not ==: the fact compared as the condition compares it, tests/test_condition_gate.py)
        if (passes := row[9]) is not None and not facts.get(passes) == row[5]:  # noqa: SIM201
            continue  # a fact its conditions need is missing or differs: passed over
        duty, standing, after, when, gate, value, unfounded, event, before, _ = row
        if after is not None and after not in dates and not standing:
            continue  # it follows an event not recorded: it does not bear on the request
        if when is None:
            holds = True
        elif gate is None or passes is not None or facts.get(gate) == value:  # (passes: met)
            holds = when.holds(facts)
        else:
            holds = False  # a fact its conditions need is missing or differs
        if not holds and not standing and not unfounded:
            continue  # its conditions do not hold: it does not bear on the request
        key: tuple[Any, ...] = (id(duty), holds, after is None or after in dates)
        if event is not None:
            key = (*key, dates.get(event), actors.get(event),
                   dates.get(before) if before is not None else None)
        hit = table[key]
        if hit is None or hit[0] is not duty:  # (the duty itself: ids are not reused while
            hit = (duty, *_duty(book, duty, holds, dates, actors))  # the book lives)
            table.remember(key, hit)
        out.append(hit[1])
        if hit[2]:
            violations.extend(hit[2])
        if hit[3]:
            trace.extend(hit[3])
    return tuple(out), violations


def _duty(book: Rulebook, duty: Duty, holds: bool, dates: Mapping[str, date],
          actors: Mapping[str, str]
          ) -> tuple[DutyOutcome, tuple[Violation, ...], tuple[TraceStep, ...]]:
    """What a duty in force that bears on the request gives (:func:`request_duties` passes
    over the others: one that follows an event not recorded, or whose conditions fail unless
    it is standing or a permission that can be unfounded): its outcome, the violations the
    record shows of it and the trace steps it adds."""
    violations: list[Violation] = []
    done: date | None = None
    by: date | None = None
    if duty.kind is DutyKind.INSTITUTIONAL:
        state = DutyState.STANDING
    elif not holds:  # a permission used without its conditions (request_duties' filter)
        assert duty.unfounded is not None
        state = DutyState.UNFOUNDED
        event = book.events.get(duty.after or "")
        violations.append(Violation(
            duty.unfounded, f"记录显示{event.label if event else duty.after}，但不具备"
            f"“{duty.label}”的条件，不发生效力", f"{duty.after} is recorded without "
            f"the conditions of {duty.label_en or duty.label}: it has no effect", _cite(duty)))
    elif duty.done_by is not None:
        state, done, by = _judge(book, duty, dates, actors, violations)
    else:
        state = DutyState.APPLIES
    steps: tuple[TraceStep, ...] = ()
    if state is DutyState.NOT_RECORDED:
        steps = (TraceStep(
            "duty.not_recorded", f"{duty.label}：记录未载明是否履行（不作为违法认定）",
            f"{duty.label_en or duty.label}: the record does not show it (no finding)",
            _cite(duty)),)
    return (DutyOutcome(duty.key, duty.label, duty.label_en, duty.kind, state, duty.actor,
                        duty.to, done, by, tuple(str(c) for c in duty.cites), duty.review),
            tuple(violations), steps)
