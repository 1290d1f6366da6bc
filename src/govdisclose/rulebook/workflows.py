"""Build a book's workflow: its own full workflow, or a patch of its parent's, merged and checked.

A child's ``workflows.<kind>`` takes one of two forms (docs/rulebook-format.md §7):

* **full** — ``start`` and ``steps``: the book states the whole procedure.  Every step of the
  parent's workflow that it leaves out must be declared under ``remove`` (with a reason and a
  cite), else the book does not load (``workflow.step_dropped``): a parent step never vanishes
  without a word;
* **patch** — ``extends: true`` and any of ``remove``, ``replace``, ``insert`` (applied in that
  order) on the parent's workflow of the same kind; ``start`` optional.  Removing a step wires its
  predecessors to its successors; inserting ``after`` a step puts the new step between it and its
  successors, ``before`` a step between its predecessors and it, both: on that one edge.

Either way the merged workflow is checked whole (every ``next`` names a step, every step is
reachable from ``start``) and is what the engine and the outputs see.  It keeps the book's
removals (:class:`StepRemoval`: the parent's step, the reason, the cites) so that ``graph`` and
``report`` can say which parent steps the book leaves out and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from .conditions import fact_names, parse_condition
from .parts import Step, Workflow

if TYPE_CHECKING:
    from ..messages import Citation
    from .builder import Builder, Path_

__all__ = ["StepRemoval", "workflow"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StepRemoval(FieldRepr):
    """A step of the parent's workflow that the book's workflow leaves out (``remove``)."""

    step: str  # the parent step's id
    label: str  # the parent step's label
    label_en: str | None
    reason: str
    cites: tuple[Citation, ...]


@dataclass
class _Draft:
    """The workflow being merged: steps in order, each with where the book states it (``None``:
    inherited from the parent), the start step, and the parent steps removed."""

    steps: list[Step]
    where: dict[str, Path_ | None]
    start: str
    removals: list[StepRemoval] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [s.id for s in self.steps]

    def index(self, step_id: str) -> int:
        return self.ids().index(step_id)

    def rewire(self, old: str, new: tuple[str, ...]) -> None:
        """Every ``next`` naming ``old`` names ``new`` instead (in its place, no repeats)."""
        for i, s in enumerate(self.steps):
            if old in s.next:
                out: list[str] = []
                for n in s.next:
                    for m in (new if n == old else (n,)):
                        if m not in out and m != s.id:
                            out.append(m)
                self.steps[i] = replace(s, next=tuple(out))


def _step(b: Builder, path: Path_, s: dict[str, Any]) -> Step:
    b.role((*path, "role"), s.get("role"))
    if "limit" in s and s["limit"] not in b.ctx.limits:
        b.unknown((*path, "limit"), "时限", "limit", s["limit"], b.ctx.limits, "limits")
    when = None
    if "when" in s:
        when = parse_condition(s["when"], b.ctx.facts, b.doc, (*path, "when"), b.problems)
    cites = b.cites((*path, "cite"), s["cite"])
    return Step(s["id"], s["label"], s.get("label_en"), s.get("role"), s.get("limit"), when,
                tuple(s.get("next", ())), cites, tuple(c.text for c in cites))


def _unknown_step(b: Builder, path: Path_, name: str, known: list[str]) -> None:
    b.unknown(path, "环节", "step", name, set(known), "steps")


def _removals(b: Builder, path: Path_, data: dict[str, Any], parent: Workflow | None
              ) -> list[tuple[int, StepRemoval]]:
    """The ``remove`` entries naming a step of the parent's workflow (each cited)."""
    out = []
    known = [s.id for s in parent.steps] if parent is not None else []
    for i, r in enumerate(data.get("remove", [])):
        rpath: Path_ = (*path, "remove", i)
        cites = b.cites((*rpath, "cite"), r["cite"])
        if r["step"] not in known:
            _unknown_step(b, (*rpath, "step"), r["step"], known)
        else:
            assert parent is not None
            gone = parent.step(r["step"])
            out.append((i, StepRemoval(gone.id, gone.label, gone.label_en, r["reason"], cites)))
    return out


def _full(b: Builder, path: Path_, data: dict[str, Any], parent: Workflow | None) -> _Draft:
    ids = [s["id"] for s in data["steps"]]
    draft = _Draft([], {}, data["start"])
    for i, s in enumerate(data["steps"]):
        spath: Path_ = (*path, "steps", i)
        if s["id"] in draft.where:
            b.fail((*spath, "id"), "workflow.duplicate", f"环节编号 {s['id']} 重复",
                   f"duplicate step id {s['id']!r}")
            continue
        draft.steps.append(_step(b, spath, s))
        draft.where[s["id"]] = spath
    removed = set()
    for i, removal in _removals(b, path, data, parent):
        step_id = removal.step
        if step_id not in removed:
            draft.removals.append(removal)
        removed.add(step_id)
        if step_id in ids:
            b.fail((*path, "remove", i, "step"), "workflow.remove_restated",
                   f"环节 {step_id!r} 既在 steps 中写出，又在 remove 中删除",
                   f"step {step_id!r} is both stated in steps and removed")
    for step in parent.steps if parent is not None else ():
        if step.id not in ids and step.id not in removed:
            b.fail((*path, "steps"), "workflow.step_dropped",
                   f"上级流程的环节 {step.id!r}（{step.label}）未出现在本流程中，也未说明删除理由："
                   f"请在 remove 中写明 {{step: {step.id}, reason: …, cite: …}}，"
                   "或改写为 extends: true 只写改动",
                   f"the parent's step {step.id!r} ({step.label_en or step.label}) is left out "
                   f"without a word: declare it under remove ({{step: {step.id}, reason: …, "
                   "cite: …}), or write the workflow as a patch (extends: true)")
    return draft


def _patch(b: Builder, path: Path_, data: dict[str, Any], parent: Workflow) -> _Draft:
    draft = _Draft(list(parent.steps), dict.fromkeys(s.id for s in parent.steps), parent.start)
    for i, removal in _removals(b, path, data, parent):
        step_id = removal.step
        if step_id not in draft.where:
            continue  # removed twice: the first removal stands
        draft.removals.append(removal)
        gone = draft.steps.pop(draft.index(step_id))
        del draft.where[step_id]
        draft.rewire(step_id, gone.next)
        if step_id == draft.start:
            if "start" not in data and len(gone.next) != 1:
                b.fail((*path, "remove", i, "step"), "workflow.start_removed",
                       f"删除了起点环节 {step_id!r}，且其后续环节不止一个：请写明 start",
                       f"the start step {step_id!r} is removed and it has no single "
                       "successor: give start")
            draft.start = gone.next[0] if gone.next else step_id
    for i, s in enumerate(data.get("replace", [])):
        spath: Path_ = (*path, "replace", i)
        if s["id"] not in draft.where:
            _unknown_step(b, (*spath, "id"), s["id"], draft.ids())
            continue
        at = draft.index(s["id"])
        new = _step(b, spath, s)
        draft.steps[at] = new if "next" in s else replace(new, next=draft.steps[at].next)
        draft.where[s["id"]] = spath
    for i, ins in enumerate(data.get("insert", [])):
        _insert(b, (*path, "insert", i), ins, draft)
    if "start" in data:
        draft.start = data["start"]
    return draft


def _insert(b: Builder, path: Path_, ins: dict[str, Any], draft: _Draft) -> None:
    after, before = ins.get("after"), ins.get("before")
    for key, name in (("after", after), ("before", before)):
        if name is not None and name not in draft.where:
            _unknown_step(b, (*path, key), name, draft.ids())
            return
    spath: Path_ = (*path, "step")
    new = _step(b, spath, ins["step"])
    if new.id in draft.where:
        b.fail((*spath, "id"), "workflow.duplicate", f"环节编号 {new.id} 重复",
               f"duplicate step id {new.id!r}")
        return
    explicit = "next" in ins["step"]
    if after is None and before is None:
        b.fail(path, "workflow.insert_where", "插入环节须写明 after 或 before（或两者）",
               "an inserted step needs after or before (or both)")
        return
    if after is not None and before is not None:
        if before not in draft.steps[draft.index(after)].next:
            b.fail((*path, "before"), "workflow.insert_not_edge",
                   f"环节 {after!r} 的 next 中没有 {before!r}，无法插在两者之间",
                   f"{before!r} does not follow {after!r}: nothing to insert between")
            return
        at = draft.index(after)
        prev = draft.steps[at]
        draft.steps[at] = replace(prev, next=tuple(new.id if n == before else n
                                                   for n in prev.next))
        position = at + 1
        default: tuple[str, ...] = (before,)
    elif after is not None:
        at = draft.index(after)
        default = draft.steps[at].next
        draft.steps[at] = replace(draft.steps[at], next=(new.id,))
        position = at + 1
    else:
        assert before is not None
        draft.rewire(before, (new.id,))
        if draft.start == before:
            draft.start = new.id
        position = draft.index(before)
        default = (before,)
    draft.steps.insert(position, new if explicit else replace(new, next=default))
    draft.where[new.id] = spath


def _check(b: Builder, path: Path_, draft: _Draft) -> None:
    """Every ``next`` names a step; every step is reachable from the start."""
    ids = set(draft.ids())
    for s in draft.steps:
        where = draft.where.get(s.id)
        for j, nxt in enumerate(s.next):
            if nxt not in ids:
                _unknown_step(b, (*where, "next", j) if where else path, nxt, sorted(ids))
    if draft.start not in ids:
        _unknown_step(b, (*path, "start"), draft.start, sorted(ids))
        return
    reached = {draft.start}
    frontier = [draft.start]
    edges = {s.id: s.next for s in draft.steps}
    while frontier:
        for nxt in edges.get(frontier.pop(), ()):
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    for s in draft.steps:
        if s.id not in reached:
            where = draft.where.get(s.id)
            b.fail((*where, "id") if where else path, "workflow.unreachable",
                   f"环节 {s.id} 无法从起点 {draft.start} 到达（检查 next）",
                   f"step {s.id!r} cannot be reached from {draft.start!r} "
                   "(check the next lists)")


def workflow(b: Builder, kind: str, data: dict[str, Any]) -> Workflow:
    """The book's ``kind`` workflow, merged with its parent's (see the module docstring)."""
    path: Path_ = ("workflows", kind)
    parent = b.parent.workflows.get(kind) if b.parent is not None else None
    if data.get("extends"):
        if "steps" in data or parent is None:
            b.fail(path, "workflow.patch", "extends: true 的流程只写改动（remove、replace、insert），"
                   "不写 steps，且上级须有同类流程",
                   "a patch (extends: true) gives remove, replace and insert, not steps, and "
                   "needs a parent workflow of the same kind")
            draft = _Draft([], {}, "")
        else:
            draft = _patch(b, path, data, parent)
    elif "steps" not in data or "start" not in data:
        b.fail(path, "workflow.incomplete", "流程须写 start 和 steps，或写 extends: true 修改上级流程",
               "a workflow needs start and steps, or extends: true to patch the parent's")
        draft = _Draft([], {}, "")
    else:
        draft = _full(b, path, data, parent)
    if draft.steps:
        _check(b, path, draft)
    names: set[str] = set()
    for step in draft.steps:
        if step.when is not None:
            fact_names(step.when, names)
    dates = {"valid_from": b.date_of((*path, "valid_from"), data.get("valid_from")),
             "valid_until": b.date_of((*path, "valid_until"), data.get("valid_until"))}
    if dates["valid_from"] and dates["valid_until"] and dates["valid_until"] < dates["valid_from"]:
        b.fail((*path, "valid_until"), "dates.reversed", "valid_until 早于 valid_from",
               "valid_until is before valid_from")
    if data.get("extends") and parent is not None and not any(dates.values()):
        dates = {"valid_from": parent.valid_from, "valid_until": parent.valid_until}
    return Workflow(**dates, kind=kind, start=draft.start, steps=tuple(draft.steps),
                    book=b.book_id, fact_names=tuple(sorted(names)),
                    removals=tuple(draft.removals))
