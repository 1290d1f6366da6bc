"""The workflow pictures as inline SVG, laid out here (no Graphviz, no script).

:func:`workflow_svg` draws a :class:`govdisclose.outputs.graph.Graph`: one box per step, in rows
by longest-path depth from the start step; an edge spanning several rows passes through a
reserved slot in each row between its ends, so no line crosses a box; edges that close a cycle
run in lanes on the right, dashed.  Rows are ordered by the mean position of their neighbours
(fewer crossings), and the ends of several edges are spread along a box's edge.  Text is
wrapped by an estimate of glyph widths (CJK one em, Latin 0.6 em).  The rulebook page
(:mod:`.html_report`) embeds the result.  This module lays the picture out; the markup is the
template ``templates/workflow.svg.j2``, which escapes every text and attribute value.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from .html_parts import render_markup

if TYPE_CHECKING:
    from collections.abc import Iterable

    from markupsafe import Markup

    from .graph import Edge, Graph, Node

__all__ = ["workflow_svg", "workflow_svg_markup"]


_FONT = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', "
         "'WenQuanYi Micro Hei', sans-serif")
_BOX_W = 216.0
_DUMMY_W = 14.0  # the slot a long edge takes in a row it passes through
_GAP_X = 26.0
_GAP_Y = 46.0
_PAD = 8.0
_MARGIN = 16.0
_PILL_H = 26.0
_PILL_W = 92.0
_LANE = 14.0  # spacing of the lanes cycle-closing edges use on the right
_CONDITION_LINES = 4  # a longer condition is cut here; the full text is in the tooltip


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Line(FieldRepr):
    text: str
    size: float
    fill: str
    weight: str = "normal"
    style: str = "normal"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Box(FieldRepr):
    key: str
    x: float
    y: float
    w: float
    h: float
    node: Node | None  # None for the slot of a long edge
    lines: tuple[_Line, ...] = ()

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Route(FieldRepr):
    edge: Edge
    points: tuple[tuple[float, float], ...]
    back: bool


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Layout(FieldRepr):
    width: float
    height: float
    boxes: tuple[_Box, ...]
    routes: tuple[_Route, ...]
    pill: tuple[float, float]  # top-left of the start marker


def _char_width(ch: str, size: float) -> float:
    # Full-width (CJK and punctuation) glyphs are about one em; Latin about 0.6 em.
    return size if ord(ch) >= 0x2E80 else size * 0.6


def _text_width(text: str, size: float) -> float:
    return sum(_char_width(ch, size) for ch in text)


def _tokens(text: str) -> list[str]:
    """Break points: every full-width character on its own, Latin words with their space."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) >= 0x2E80:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        if _text_width(current + token.rstrip(), size) <= width:
            current += token
            continue
        if current.strip():
            lines.append(current.rstrip())
        rest = token
        while _text_width(rest.rstrip(), size) > width:  # a word longer than a line
            cut = 1
            while _text_width(rest[:cut + 1], size) <= width:
                cut += 1
            lines.append(rest[:cut])
            rest = rest[cut:]
        current = rest
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def _node_lines(node: Node) -> tuple[_Line, ...]:
    inner = _BOX_W - 2 * _PAD
    out = [_Line(t, 12.5, "#1a1a1a", weight="bold") for t in _wrap(node.label, inner, 12.5)]
    if node.role_label or node.role:
        out += [_Line(t, 11.0, "#555555")
                for t in _wrap(f"({node.role_label or node.role})", inner, 11.0)]
    if node.limit_text:
        out += [_Line(t, 11.0, "#8a3b00", weight="bold") for t in _wrap(node.limit_text, inner, 11.0)]
    if node.condition:
        wrapped = _wrap(f"条件 if: {node.condition}", inner, 10.5)
        if len(wrapped) > _CONDITION_LINES:
            wrapped = [*wrapped[:_CONDITION_LINES - 1], wrapped[_CONDITION_LINES - 1][:-1] + "…"]
        out += [_Line(t, 10.5, "#1f4e8c", style="italic") for t in wrapped]
    return tuple(out)


def _line_height(line: _Line) -> float:
    return line.size * 1.35


def _order_rows(rows: list[list[str]], preds: dict[str, list[str]],
                succs: dict[str, list[str]], widths: dict[str, float]) -> None:
    """Reorder each row by the mean position of its neighbours (fewer crossings)."""
    def centres(row: list[str]) -> dict[str, float]:
        total = sum(widths[k] for k in row) + _GAP_X * (len(row) - 1)
        x = -total / 2
        out = {}
        for key in row:
            out[key] = x + widths[key] / 2
            x += widths[key] + _GAP_X
        return out

    def sweep(indices: Iterable[int], step: int, neighbours: dict[str, list[str]]) -> None:
        for i in indices:
            placed = centres(rows[i - step])
            current = centres(rows[i])
            def key(k: str, placed: dict[str, float] = placed,
                    current: dict[str, float] = current) -> float:
                near = [placed[n] for n in neighbours.get(k, []) if n in placed]
                return sum(near) / len(near) if near else current[k]
            rows[i].sort(key=key)

    for _ in range(4):
        sweep(range(1, len(rows)), 1, preds)
        sweep(range(len(rows) - 2, -1, -1), -1, succs)
    sweep(range(1, len(rows)), 1, preds)


def _layout(graph: Graph) -> _Layout:
    """Rows by longest-path depth; long edges pass through reserved slots in the rows
    between their ends, so no line crosses a box."""
    depth = graph.depths()
    back = graph.back_edges()
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for node in graph.nodes:
        rows[depth[node.id]].append(node.id)
    widths = {n.id: _BOX_W for n in graph.nodes}
    row_of = dict(depth)
    chains: list[tuple[Edge, list[str]]] = []
    for i, edge in enumerate(graph.edges):
        if edge in back:
            continue
        chain = [edge.source]
        for row in range(depth[edge.source] + 1, depth[edge.target]):
            slot = f"~{i}:{row}"
            rows[row].append(slot)
            widths[slot] = _DUMMY_W
            row_of[slot] = row
            chain.append(slot)
        chain.append(edge.target)
        chains.append((edge, chain))
    preds: dict[str, list[str]] = {}
    succs: dict[str, list[str]] = {}
    for _, chain in chains:
        for a, b in pairwise(chain):
            succs.setdefault(a, []).append(b)
            preds.setdefault(b, []).append(a)
    _order_rows(rows, preds, succs, widths)

    lines = {n.id: _node_lines(n) for n in graph.nodes}
    heights = {k: 2 * _PAD + sum(_line_height(x) for x in v) for k, v in lines.items()}
    row_widths = [sum(widths[k] for k in row) + _GAP_X * max(len(row) - 1, 0) for row in rows]
    inner = max([*row_widths, _PILL_W])
    lanes = len(back) * _LANE + (_LANE if back else 0)
    boxes: dict[str, _Box] = {}
    row_bottom: list[float] = []
    y = _MARGIN + _PILL_H + _GAP_Y * 0.6
    by_id = {n.id: n for n in graph.nodes}
    for keys, row_width in zip(rows, row_widths, strict=True):
        x = _MARGIN + (inner - row_width) / 2
        height = max([heights[k] for k in keys if k in heights] or [0.0])
        for key in keys:
            boxes[key] = _Box(key, x, y, widths[key], heights.get(key, height), by_id.get(key),
                              lines.get(key, ()))
            x += widths[key] + _GAP_X
        row_bottom.append(y + height)
        y += height + _GAP_Y
    height_total = y - _GAP_Y + _MARGIN

    # Spread the ends of several edges along a box's bottom (or top) edge, in the order of
    # where they go, so that each arrow can be told apart.
    out_x: dict[tuple[str, str], float] = {}
    in_x: dict[tuple[str, str], float] = {}
    for key, box in boxes.items():
        outs = sorted(succs.get(key, []), key=lambda k: boxes[k].cx)
        for j, nxt in enumerate(outs):
            out_x[(key, nxt)] = box.x + box.w * (j + 1) / (len(outs) + 1)
        ins = sorted(preds.get(key, []), key=lambda k: boxes[k].cx)
        for j, prev in enumerate(ins):
            in_x[(prev, key)] = box.x + box.w * (j + 1) / (len(ins) + 1)

    routes: list[_Route] = []
    for edge, chain in chains:
        points: list[tuple[float, float]] = []
        for a, b in pairwise(chain):
            start_x = out_x[(a, b)]
            if not points:
                source = boxes[a]
                points.append((start_x, source.y + source.h))
            points.append((start_x, row_bottom[row_of[a]]))
            points.append((in_x[(a, b)], boxes[b].y))
        routes.append(_Route(edge, tuple(_dedupe(points)), back=False))
    for i, edge in enumerate(sorted(back, key=lambda e: (e.source, e.target))):
        source, target = boxes[edge.source], boxes[edge.target]
        lane = _MARGIN + inner + _LANE * (i + 1)
        routes.append(_Route(edge, (
            (source.x + source.w, source.y + source.h / 2), (lane, source.y + source.h / 2),
            (lane, target.y + target.h / 2), (target.x + target.w, target.y + target.h / 2)),
            back=True))
    start = boxes[graph.start]
    pill = (start.cx - _PILL_W / 2, _MARGIN)
    return _Layout(inner + 2 * _MARGIN + lanes, height_total, tuple(boxes.values()),
                   tuple(routes), pill)


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in points:
        if not out or abs(out[-1][0] - p[0]) > 0.01 or abs(out[-1][1] - p[1]) > 0.01:
            out.append(p)
    return out


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _TextLine(FieldRepr):
    """One ``<tspan>``: numbers already written as the picture writes them."""

    y: str
    size: str
    fill: str
    weight: str
    style: str
    text: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _StepBox(FieldRepr):
    """One step's ``<g>``: its box, tooltip and lines."""

    step: str
    css: str
    tooltip: str
    x: str
    y: str
    w: str
    h: str
    cx: str
    fill: str
    stroke_width: str
    dashed: bool
    lines: tuple[_TextLine, ...]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _EdgeLine(FieldRepr):
    source: str
    target: str
    points: str
    back: bool


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Pill(FieldRepr):
    """The start marker and its arrow to the first step."""

    x: str
    y: str
    w: str
    h: str
    text_x: str
    text_y: str
    line_x: str
    line_y1: str
    line_y2: str


def _step_box(box: _Box, node: Node) -> _StepBox:
    tooltip = "\n".join([node.label, *([node.label_en] if node.label_en else []),
                         *node.lines[1:], *node.sources])
    lines = []
    y = box.y + _PAD
    for line in box.lines:
        y += _line_height(line)
        lines.append(_TextLine(_num(y - line.size * 0.3), _num(line.size), line.fill,
                               line.weight, line.style, line.text))
    return _StepBox(
        step=node.id,
        css="node" + (" conditional" if node.conditional else "") + (" start" if node.start else ""),
        tooltip=tooltip, x=_num(box.x), y=_num(box.y), w=_num(box.w), h=_num(box.h),
        cx=_num(box.cx), fill="#f4f8fd" if node.conditional else "#ffffff",
        stroke_width="2.6" if node.start else "1.3", dashed=node.conditional, lines=tuple(lines))


def workflow_svg_markup(graph: Graph, ident: str) -> Markup:
    """:func:`workflow_svg` as :class:`~markupsafe.Markup`, to embed in the rulebook page."""
    layout = _layout(graph)
    px, py = layout.pill
    start = next(b for b in layout.boxes if b.key == graph.start)
    pill = _Pill(_num(px), _num(py), _num(_PILL_W), _num(_PILL_H), _num(px + _PILL_W / 2),
                 _num(py + 17.5), _num(start.cx), _num(py + _PILL_H), _num(start.y))
    edges = [_EdgeLine(r.edge.source, r.edge.target,
                       " ".join(f"{_num(x)},{_num(y)}" for x, y in r.points), r.back)
             for r in layout.routes]
    boxes = [_step_box(b, b.node) for b in layout.boxes if b.node is not None]
    return render_markup(
        "workflow.svg.j2", ident=ident, arrow=f"{ident}-arrow", width=_num(layout.width),
        height=_num(layout.height), font=_FONT, title=graph.title,
        removed="\n".join(graph.removed_lines()), pill=pill, edges=edges, boxes=boxes)


def workflow_svg(graph: Graph, ident: str) -> str:
    """The workflow as an inline SVG picture; ``ident`` keeps its element ids unique.

    The parent's steps the workflow leaves out are listed in its ``<desc>`` (no boxes).
    """
    return str(workflow_svg_markup(graph, ident))
