"""Walk a rulebook's workflow for a case: the steps that apply, in order, with deadlines."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .tables import MAX_MEMO_ENTRIES, memo

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..periods.counting import Deadline
    from ..rulebook.model import Rulebook, Step, Workflow

__all__ = ["StepOutcome", "walk"]


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """A workflow step that applies to the case."""

    id: str
    label: str
    label_en: str | None
    role: str | None
    role_label: str | None
    limit: str | None
    due: str | None
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "label_en": self.label_en,
                "role": self.role, "role_label": self.role_label, "limit": self.limit,
                "due": self.due, "sources": list(self.sources)}


def _order(workflow: Workflow, facts: Mapping[str, Any]) -> tuple[Step, ...]:
    """The applicable steps, each after every applicable step that leads to it.

    Steps are reached from the start through steps whose ``when`` holds; they are then
    put in topological order (ties keep the rulebook's order), so that a step never
    appears before one that precedes it on another branch.
    """
    by_id = {s.id: s for s in workflow.steps}
    included: set[str] = set()
    queue = deque([workflow.start])
    seen = {workflow.start}
    while queue:
        step = by_id[queue.popleft()]
        if step.when is not None and not step.when.holds(facts):
            continue
        included.add(step.id)
        for nxt in step.next:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    position = {s.id: i for i, s in enumerate(workflow.steps)}
    waiting = dict.fromkeys(included, 0)
    for sid in included:
        for nxt in by_id[sid].next:
            if nxt in waiting:
                waiting[nxt] += 1
    ready = sorted((sid for sid, n in waiting.items() if n == 0), key=position.__getitem__)
    order: list[Step] = []
    while ready:
        sid = ready.pop(0)
        order.append(by_id[sid])
        for nxt in by_id[sid].next:
            if nxt in waiting:
                waiting[nxt] -= 1
                if waiting[nxt] == 0:
                    ready.append(nxt)
                    ready.sort(key=position.__getitem__)
    if len(order) < len(included):  # a cycle: keep the rest in rulebook order
        order.extend(by_id[s.id] for s in workflow.steps
                     if s.id in included and by_id[s.id] not in order)
    return tuple(order)


def walk(book: Rulebook, kind: str, facts: Mapping[str, Any],
         deadlines: Mapping[str, Deadline], on: date | None = None) -> tuple[StepOutcome, ...]:
    """Steps reachable from the start through steps whose ``when`` holds, breadth first.

    A step whose condition does not hold is left out, and so is everything reachable
    only through it.  The order depends only on the facts the conditions name, so it
    is memoised on the (immutable) workflow by those facts' values.  With ``on``, only a
    workflow in force that day is walked (a request received in 2015 has none of 2019's).
    """
    workflow = book.workflow(kind, on)
    if workflow is None:
        return ()
    key = tuple(map(facts.get, workflow.fact_names))
    try:
        order = workflow.memo.get(key)
    except TypeError:  # a list among the values: as a tuple, hashable
        key = tuple([tuple(v) if isinstance(v, list) else v for v in key])
        order = workflow.memo.get(key)
    if order is None:
        order = _order(workflow, facts)
        if len(workflow.memo) >= MAX_MEMO_ENTRIES:  # bounded like every memo: a stream of
            workflow.memo.clear()  # new values of a fact a condition reads must not grow it
        workflow.memo[key] = order
    # The steps of one order differ only by the due dates of their limits: the outcomes are
    # kept per (workflow, order, due dates) for the book's life (engine/tables.py).
    dues = tuple([d.due if step.limit and (d := deadlines.get(step.limit)) is not None
                  else None for step in order])
    table = memo(book, "engine.memo.walk")
    steps_key = (id(workflow), key, dues)
    hit = table[steps_key]
    if hit is not None and hit[0] is workflow:
        remembered: tuple[StepOutcome, ...] = hit[1]
        return remembered
    out = []
    for step in order:
        deadline = deadlines.get(step.limit) if step.limit else None
        due = deadline.due.isoformat() if deadline is not None and deadline.due else None
        role = book.roles.get(step.role) if step.role else None
        out.append(StepOutcome(step.id, step.label, step.label_en, step.role,
                               role.label if role else None, step.limit, due, step.sources))
    steps = tuple(out)
    table.remember(steps_key, (workflow, steps))
    return steps
