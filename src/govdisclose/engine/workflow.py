"""Walk a rulebook's workflow for a case: the steps that apply, in order, with deadlines."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from .tables import Memo

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..periods.counting import Deadline
    from ..rulebook.model import Rulebook, Step, Workflow

__all__ = ["StepOutcome", "WalkTables", "steps_of", "walk", "walk_tables"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StepOutcome(FieldRepr):
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


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class WalkTables(FieldRepr):
    """A book's memos of :func:`walk`: the step order of a workflow by the values of the facts
    its conditions read, and the steps of an order by the due dates of its limits."""

    orders: Memo
    steps: Memo


def _walk_tables(_book: Rulebook) -> WalkTables:
    return WalkTables(Memo(), Memo())


def walk_tables(book: Rulebook) -> WalkTables:
    """The book's :class:`WalkTables` (empty at first, kept as long as the book)."""
    return book.derived("engine.walk", _walk_tables)


def walk(book: Rulebook, kind: str, facts: Mapping[str, Any],
         deadlines: Mapping[str, Deadline], on: date | None = None,
         tables: WalkTables | None = None) -> tuple[StepOutcome, ...]:
    """Steps reachable from the start through steps whose ``when`` holds, breadth first.

    A step whose condition does not hold is left out, and so is everything reachable
    only through it.  The order depends only on the facts the conditions name, and the
    steps of one order only on the due dates of its limits: both are memoised per book
    (``tables``: the book's :func:`walk_tables`, when the caller has them at hand).  With
    ``on``, only a workflow in force that day is walked (a request received in 2015 has none
    of 2019's).
    """
    workflow = book.workflow(kind, on)
    if workflow is None:
        return ()
    return steps_of(book, workflow, facts, deadlines, tables or walk_tables(book))


def steps_of(book: Rulebook, workflow: Workflow, facts: Mapping[str, Any],
             deadlines: Mapping[str, Deadline], tables: WalkTables) -> tuple[StepOutcome, ...]:
    """:func:`walk` of a workflow of ``book`` already found in force (the caller's)."""
    key = (id(workflow), *map(facts.get, workflow.fact_names))
    try:
        entry = tables.orders[key]
    except TypeError:  # a list among the values: as a tuple, hashable
        key = tuple([tuple(v) if isinstance(v, list) else v for v in key])
        entry = tables.orders[key]
    if entry is None or entry[0] is not workflow:  # (the entry holds the workflow: its id
        order = _order(workflow, facts)            # is not another's while the entry lives)
        entry = (workflow, order, tuple(dict.fromkeys(s.limit for s in order if s.limit)))
        tables.orders.remember(key, entry)
    _, order, limits = entry
    dues = tuple([d.due if (d := deadlines.get(limit)) is not None else None
                  for limit in limits])
    steps_key = (id(order), dues)
    hit = tables.steps[steps_key]
    if hit is not None and hit[0] is order:
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
    tables.steps.remember(steps_key, (order, steps))
    return steps
