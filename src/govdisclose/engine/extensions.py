"""The extension of a request's reply period (延期, 条例 2019 第三十三条第二款): the first approved
extension, cut to the book's maximum; none where the record shows it approved by someone other
than the approver a duty in force names.

What it gives depends only on the rules in force on the receipt date (its regime, as
engine/tables.py cuts time) and on the approving event's type, day, length (with its type: a
request built in code may give 40.0, written otherwise than 40) and approver: it is memoised
per book by them (the plan's ``extensions``), its violations and trace steps (immutable)
replayed into each request's own."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from ..errors import LimitNotInForceError, Problem, RequestError
from ..messages import TraceStep, Violation
from ..periods.counting import Extension
from ..rulebook.events import REQUEST_EVENTS

if TYPE_CHECKING:
    from datetime import date

    from ..rulebook.duties import Duty
    from ..rulebook.model import Limit, Rulebook
    from .plan import RequestPlan
    from .request_model import RequestEvent

__all__ = ["Extended", "extend"]

#: What an approved extension gives: the extension applied (None: none), and the violations
#: and trace steps the record shows of it.
Extended = tuple["Extension | None", tuple[Violation, ...], tuple[TraceStep, ...]]


def extend(book: Rulebook, plan: RequestPlan, first: RequestEvent, reply: Limit,
           receipt: date) -> Extended:
    """What the first approved extension ``first`` of a request received on ``receipt`` gives
    (``reply``: the book's reply period; ``plan``: the book's request plan, whose ``decide``
    table holds the days its rules change)."""
    key = (bisect_right(plan.decide[2], receipt), first.type, first.on, first.amount,
           type(first.amount), first.approved_by)  # (40 and 40.0 are written differently)
    hit: Extended | None = plan.extensions[key]
    if hit is None:
        steps: list[TraceStep] = []
        found: list[Violation] = []
        hit = (_extension(book, first, reply, receipt, steps, found), tuple(found),
               tuple(steps))
        plan.extensions.remember(key, hit)
    return hit


def approver_duties(book: Rulebook) -> dict[str, tuple[Duty, ...]]:
    """Rulebook event -> the book's duties, in its order, that name who must do it (an actor,
    and a violation when the record shows someone else): read once per book."""
    found: dict[str, list[Duty]] = {}
    for duty in book.duties.values():
        check = duty.done_by
        if check is not None and check.wrong_actor is not None and duty.actor is not None:
            found.setdefault(check.event, []).append(duty)
    return {event: tuple(duties) for event, duties in found.items()}


def _extension(book: Rulebook, first: RequestEvent, reply: Limit, receipt: date,
               trace: list[TraceStep], violations: list[Violation]) -> Extension | None:
    """The first approved extension, cut to the book's maximum (条例 2019 第三十三条第二款).
    An extension the record shows approved by someone other than the approver a duty in force
    names (the head of the disclosure office) is no lawful extension: it is not applied."""
    limit = book.limit_index.extension_of.get(reply.id)
    if limit is None:
        return None
    event = REQUEST_EVENTS[first.type].book_event
    for duty in book.derived("engine.approver_duties", approver_duties).get(event, ()):
        if not duty.in_force(receipt) or first.approved_by in (None, duty.actor):
            continue
        trace.append(TraceStep(
            "extension.not_applied", f"延期由 {first.approved_by} 批准，而{duty.label}：延期不予适用",
            f"the extension was approved by {first.approved_by}, but {duty.label_en or duty.key}:"
            " it is not applied", "；".join(str(c) for c in duty.cites) or None))
        return None
    try:
        maximum = book.limit(limit.id, receipt)
    except LimitNotInForceError as exc:
        raise RequestError([Problem(
            "extension.no_rule", f"{receipt} 无有效的延期规定", str(exc), None, None, None,
            ("events",))]) from exc
    amount = first.amount or int(maximum.amount)
    if amount > maximum.amount:
        violations.append(Violation(
            "extension.too_long", f"延期 {amount} 个工作日，超过最长 {maximum.amount} 个工作日",
            f"an extension of {amount} exceeds the maximum of {maximum.amount}; the maximum "
            "is applied", "；".join(str(c) for c in maximum.cites)))
        amount = int(maximum.amount)
    return Extension(amount, first.on)
