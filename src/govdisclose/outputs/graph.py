"""A rulebook's workflow as a flowchart: one node per step, one edge per ``next`` entry.

The graph is a plain value (frozen dataclasses) built from the rules alone, so the same
picture comes out every time for the same book and date.  It renders as Mermaid or
Graphviz DOT text; :mod:`govdisclose.outputs.svg` draws it as inline SVG.  The source documents' own
流程图 attachments are missing, so these pictures are the only drawings of the procedures,
and they show exactly what the rulebook says — nothing is added for looks except the start
marker.  The parent's steps a child book leaves out (``remove``) are no nodes: Mermaid and DOT
list them in comments, the HTML report under the picture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..errors import LimitNotInForceError, UnknownLimitError, UnknownWorkflowError
from ..rulebook.conditions import All, Any_, Compare, Not
from .escaping import escape_bidi

if TYPE_CHECKING:
    from datetime import date

    from ..rulebook.conditions import Condition
    from ..rulebook.model import Rulebook, Step

__all__ = ["KINDS", "Edge", "Graph", "Node", "Removed", "UnknownWorkflowError",
           "describe_condition", "format_amount", "workflow_graph"]

#: Workflow kinds a rulebook may define, with their names.
KINDS: dict[str, tuple[str, str]] = {
    "request": ("依申请公开办理流程", "handling a request"),
    "item": ("主动公开审核发布流程", "reviewing and publishing an item"),
}


_OPERATORS = {"equals": "=", "not_equals": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "{" + ", ".join(_value(v) for v in value) + "}"
    return str(value)


def describe_condition(cond: Condition) -> str:
    """A condition tree in words, e.g. ``major = true`` or ``a = false or b = true``."""
    def nested(part: Condition) -> str:
        text = describe_condition(part)
        # Only a combinator of several parts needs brackets to keep its grouping readable.
        grouped = isinstance(part, (All, Any_)) and len(part.parts) > 1
        return f"({text})" if grouped else text

    if isinstance(cond, Compare):
        if cond.op in _OPERATORS:
            return f"{cond.fact} {_OPERATORS[cond.op]} {_value(cond.value)}"
        if cond.op == "in":
            return f"{cond.fact} ∈ {_value(cond.value)}"
        if cond.op == "contains":
            return f"{cond.fact} contains {_value(cond.value)}"
        return f"{cond.fact} is set" if cond.value else f"{cond.fact} is not set"
    if isinstance(cond, Not):
        return f"not {nested(cond.part)}"
    if not cond.parts:
        return "always" if isinstance(cond, All) else "never"
    joiner = " and " if isinstance(cond, All) else " or "
    return joiner.join(nested(p) for p in cond.parts)


def format_amount(amount: float) -> str:
    """``20`` rather than ``20.0``; fractions (half an hour) stay as they are."""
    return str(int(amount)) if float(amount).is_integer() else str(amount)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Node(FieldRepr):
    """One workflow step as drawn."""

    id: str
    label: str
    label_en: str | None
    role: str | None
    role_label: str | None
    limit: str | None  # limit id, as in the rulebook
    limit_text: str | None  # its resolved amount, e.g. "时限 request.reply：20个工作日"
    condition: str | None  # the step's ``when`` in words; None for an unconditional step
    start: bool
    sources: tuple[str, ...] = ()

    @property
    def conditional(self) -> bool:
        return self.condition is not None

    @property
    def lines(self) -> tuple[str, ...]:
        """The node's text, one entry per line: label, role, limit, condition."""
        out = [self.label]
        if self.role_label or self.role:
            out.append(f"({self.role_label or self.role})")
        if self.limit_text:
            out.append(self.limit_text)
        if self.condition:
            out.append(f"条件 if: {self.condition}")
        return tuple(out)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Edge(FieldRepr):
    """``source`` may be followed by ``target`` (one ``next`` entry)."""

    source: str
    target: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Removed(FieldRepr):
    """A step of the parent's workflow that the book leaves out (``remove``): not drawn."""

    id: str
    label: str
    label_en: str | None
    reason: str
    sources: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """One line: ``id（label）：reason（sources）``."""
        sources = f"（{'；'.join(self.sources)}）" if self.sources else ""
        return f"{self.id}（{self.label}）：{self.reason}{sources}"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Graph(FieldRepr):
    """A workflow as nodes and edges, with the date its limits were resolved on."""

    book: str
    book_name: str
    kind: str
    on: date
    start: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    defined_in: str | None = None  # the book that states the workflow (a child may inherit it)
    removed: tuple[Removed, ...] = ()  # the parent's steps that book leaves out

    @property
    def title(self) -> str:
        zh, en = KINDS.get(self.kind, (self.kind, self.kind))
        return f"{self.book_name} {zh} / {self.book}: {en}"

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def depths(self) -> dict[str, int]:
        """Each node's row in a layered drawing: the longest path to it from the start.

        Edges that close a cycle (found depth-first from the start, then from any node not
        reached) are left out so that the depth is finite; no bundled workflow has one.
        """
        order = [n.id for n in self.nodes]
        out_edges: dict[str, list[str]] = {n: [] for n in order}
        for edge in self.edges:
            out_edges[edge.source].append(edge.target)
        back = self.back_edges()
        indegree = dict.fromkeys(order, 0)
        for edge in self.edges:
            if edge not in back:
                indegree[edge.target] += 1
        depth = dict.fromkeys(order, 0)
        ready = [n for n in order if indegree[n] == 0]
        while ready:
            current = ready.pop(0)
            for target in out_edges[current]:
                if Edge(current, target) in back:
                    continue
                depth[target] = max(depth[target], depth[current] + 1)
                indegree[target] -= 1
                if indegree[target] == 0:
                    ready.append(target)
        return depth

    def back_edges(self) -> frozenset[Edge]:
        """Edges leading back to a step on the current depth-first path (cycles)."""
        order = [n.id for n in self.nodes]
        out_edges: dict[str, list[str]] = {n: [] for n in order}
        for edge in self.edges:
            out_edges[edge.source].append(edge.target)
        state: dict[str, int] = {}  # 1 on the path, 2 finished
        back: set[Edge] = set()
        roots = [self.start] + [n for n in order if n != self.start]
        for root in roots:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(out_edges[root]))]
            while stack:
                current, successors = stack[-1]
                target = next(successors, None)
                if target is None:
                    state[current] = 2
                    stack.pop()
                elif state.get(target) == 1:
                    back.add(Edge(current, target))
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(out_edges[target])))
        return frozenset(back)

    # -- text formats ------------------------------------------------------------------------

    @property
    def removed_heading(self) -> tuple[str, str]:
        """The heading of :attr:`removed` (zh, en), naming the book when it is inherited."""
        if self.defined_in and self.defined_in != self.book:
            return (f"上级流程中规则集 {self.defined_in} 删去的环节",
                    f"parent steps removed by {self.defined_in}")
        return "上级流程中本级删去的环节", "parent steps removed here"

    def removed_lines(self) -> list[str]:
        """The removed parent steps as comment text: a heading, then one line each."""
        if not self.removed:
            return []
        zh, en = self.removed_heading
        return [f"{zh} / {en}:", *(f"- {r.text}" for r in self.removed)]

    def _mermaid_ids(self) -> dict[str, str]:
        # A prefix keeps step ids clear of Mermaid keywords such as ``end``.
        return {n.id: f"s_{n.id}" for n in self.nodes}

    def to_mermaid(self) -> str:
        """Mermaid flowchart source: nodes, then one ``-->`` line per edge."""
        ids = self._mermaid_ids()
        lines = ["flowchart TD",
                 f"    %% {_mermaid_comment(self.title)}",
                 f"    %% 时限按 {self.on.isoformat()} 施行的规定 / limits in force on "
                 f"{self.on.isoformat()}; 虚线框为有条件的环节 / dashed: conditional step",
                 '    start_marker(["开始 start"])']
        if self.defined_in and self.defined_in != self.book:
            lines.insert(3, f"    %% 流程沿用规则集 {self.defined_in} / workflow inherited from "
                            f"{self.defined_in}")
        lines[-1:-1] = [f"    %% {_mermaid_comment(line)}" for line in self.removed_lines()]
        lines += [f'    {ids[n.id]}["{_mermaid_label(n.text)}"]' for n in self.nodes]
        lines.append(f"    start_marker ==> {ids[self.start]}")
        lines += [f"    {ids[e.source]} --> {ids[e.target]}" for e in self.edges]
        lines += ["    classDef conditional stroke-dasharray: 5 5",
                  "    classDef start stroke-width:3px",
                  "    classDef marker fill:#eeeeee"]
        conditional = [ids[n.id] for n in self.nodes if n.conditional]
        if conditional:
            lines.append(f"    class {','.join(conditional)} conditional")
        lines.append(f"    class {ids[self.start]} start")
        lines.append("    class start_marker marker")
        return "\n".join(lines) + "\n"

    def to_dot(self) -> str:
        """Graphviz DOT source: nodes, then one ``->`` line per edge."""
        font = "Noto Sans CJK SC"
        lines = [f"digraph {_dot_string(f'{self.book}.{self.kind}')} {{",
                 f"    graph [rankdir=TB, labelloc=t, fontname={_dot_string(font)}, "
                 f"label={_dot_string(f'{self.title}（时限按 {self.on.isoformat()}）')}];",
                 f"    node [shape=box, style=rounded, fontname={_dot_string(font)}, "
                 "fontsize=11];",
                 f"    edge [fontname={_dot_string(font)}];",
                 '    "__start__" [label="开始\\nstart", shape=oval, style=filled, '
                 'fillcolor="#eeeeee"];']
        lines += [f"    // {_mermaid_comment(line)}" for line in self.removed_lines()]
        for n in self.nodes:
            attrs = [f"label={_dot_string(n.text)}"]
            if n.conditional:
                attrs.append('style="rounded,dashed"')
            if n.start:
                attrs.append("penwidth=2")
            lines.append(f"    {_dot_string(n.id)} [{', '.join(attrs)}];")
        lines.append(f'    "__start__" -> {_dot_string(self.start)} [style=bold];')
        lines += [f"    {_dot_string(e.source)} -> {_dot_string(e.target)};" for e in self.edges]
        lines.append("}")
        return "\n".join(lines) + "\n"


# Mermaid reads "#name;" as an entity and "<...>" as markup inside labels, so those
# characters, the quote that ends the label and the backtick that starts a markdown
# string all become numeric entity codes; a newline becomes a line break.  Every text that
# reaches Mermaid or DOT shows its bidi controls escaped first (escape_bidi).
_MERMAID_ESCAPES = {"#": "#35;", '"': "#34;", "<": "#60;", ">": "#62;", "&": "#38;",
                    "`": "#96;"}


def _mermaid_label(text: str) -> str:
    escaped = "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in escape_bidi(text.replace("\r", "")))
    return escaped.replace("\n", "<br/>")


def _mermaid_comment(text: str) -> str:
    """One comment line (also for DOT ``//``): no line breaks, no Mermaid directive ``%%``."""
    return re.sub("%{2,}", "%", " ".join(escape_bidi(text).split()))


def _dot_string(text: str) -> str:
    """A DOT double-quoted string; a newline becomes the centred line break ``\\n``."""
    escaped = escape_bidi(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + escaped.replace("\n", "\\n") + '"'


def _limit_text(book: Rulebook, limit_id: str, on: date) -> str:
    try:
        resolved = book.limit(limit_id, on)
    except LimitNotInForceError:
        return f"时限 {limit_id}：{on.isoformat()} 未生效 / not in force"
    except UnknownLimitError:
        return f"时限 {limit_id}：未定义 / undefined"
    most = "最长" if resolved.up_to else ""
    amount = format_amount(resolved.amount)
    return f"时限 {limit_id}：{most}{amount}{resolved.unit.zh}"


def _node(book: Rulebook, step: Step, start: str, on: date) -> Node:
    role = book.roles.get(step.role) if step.role else None
    return Node(
        id=step.id, label=step.label, label_en=step.label_en, role=step.role,
        role_label=role.label if role else None, limit=step.limit,
        limit_text=_limit_text(book, step.limit, on) if step.limit else None,
        condition=describe_condition(step.when) if step.when is not None else None,
        start=step.id == start, sources=step.sources)


def workflow_graph(book: Rulebook, kind: str, on: date) -> Graph:
    """The ``kind`` workflow of ``book`` (``request`` or ``item``) with limits as of ``on``.

    Raises:
        UnknownWorkflowError: the book defines no such workflow.
    """
    workflow = book.workflows.get(kind)
    if workflow is None:
        raise UnknownWorkflowError(book.id, kind, tuple(book.workflows),
                                   KINDS.get(kind, (kind, kind))[0])
    nodes = tuple(_node(book, step, workflow.start, on) for step in workflow.steps)
    edges = tuple(Edge(step.id, target) for step in workflow.steps for target in step.next)
    removed = tuple(Removed(r.step, r.label, r.label_en, r.reason, tuple(c.text for c in r.cites))
                    for r in workflow.removals)
    return Graph(book.id, book.name, kind, on, workflow.start, nodes, edges, workflow.book,
                 removed)
