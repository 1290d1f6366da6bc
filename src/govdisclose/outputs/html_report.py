"""A rulebook as one self-contained HTML page: limits, policies, workflow pictures,
the year's obligations, review notes and the working-day calendar.

The page has no scripts and no external resources (styles are inline, the workflow
pictures are SVG drawn here from :class:`govdisclose.outputs.graph.Graph`), so it can be mailed,
archived or printed as it is.  Everything on it comes from the rulebook, the bundled
calendar and the year asked for; nothing depends on today's date.
"""

from __future__ import annotations

import html
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.obligations import obligations_for_year
from ..errors import CalendarCoverageError
from ..periods.calendar import WEEKDAY_EN, WEEKDAY_ZH, DayKind, official_calendar
from .graph import KINDS, Edge, format_amount, workflow_graph

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..messages import Citation
    from ..periods.calendar import DayInfo, OfficialCalendar
    from ..rulebook.model import Relation, Rulebook
    from .graph import Graph, Node

__all__ = ["render_report", "workflow_svg", "write_report"]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# -- workflow pictures ----------------------------------------------------------------------

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


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    size: float
    fill: str
    weight: str = "normal"
    style: str = "normal"


@dataclass(frozen=True, slots=True)
class _Box:
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


@dataclass(frozen=True, slots=True)
class _Route:
    edge: Edge
    points: tuple[tuple[float, float], ...]
    back: bool


@dataclass(frozen=True, slots=True)
class _Layout:
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


def workflow_svg(graph: Graph, ident: str) -> str:
    """The workflow as an inline SVG picture; ``ident`` keeps its element ids unique."""
    layout = _layout(graph)
    arrow = f"{ident}-arrow"
    out = [f'<svg class="workflow" id="{_e(ident)}" viewBox="0 0 {_num(layout.width)} '
           f'{_num(layout.height)}" width="{_num(layout.width)}" height="{_num(layout.height)}" '
           f'role="img" aria-labelledby="{_e(ident)}-title" font-family="{_e(_FONT)}">',
           f'<title id="{_e(ident)}-title">{_e(graph.title)}</title>',
           f'<defs><marker id="{_e(arrow)}" viewBox="0 0 10 10" refX="9" refY="5" '
           'markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#444444"/></marker></defs>']
    px, py = layout.pill
    start = next(b for b in layout.boxes if b.key == graph.start)
    out.append(f'<g class="start-marker"><rect x="{_num(px)}" y="{_num(py)}" '
               f'width="{_num(_PILL_W)}" height="{_num(_PILL_H)}" rx="13" fill="#eeeeee" '
               'stroke="#444444"/>'
               f'<text x="{_num(px + _PILL_W / 2)}" y="{_num(py + 17.5)}" font-size="12" '
               'text-anchor="middle" fill="#1a1a1a">开始 start</text>'
               f'<line x1="{_num(start.cx)}" y1="{_num(py + _PILL_H)}" x2="{_num(start.cx)}" '
               f'y2="{_num(start.y)}" stroke="#444444" stroke-width="2.2" '
               f'marker-end="url(#{_e(arrow)})"/></g>')
    out.append('<g class="edges" fill="none">')
    for route in layout.routes:
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in route.points)
        dash = ' stroke-dasharray="4 3"' if route.back else ""
        out.append(f'<polyline class="edge" data-from="{_e(route.edge.source)}" '
                   f'data-to="{_e(route.edge.target)}" points="{points}" stroke="#444444" '
                   f'stroke-width="1.3"{dash} marker-end="url(#{_e(arrow)})"/>')
    out.append("</g>")
    out.append('<g class="nodes">')
    for box in layout.boxes:
        node = box.node
        if node is None:
            continue
        classes = "node" + (" conditional" if node.conditional else "") + \
            (" start" if node.start else "")
        stroke = ' stroke-dasharray="6 4"' if node.conditional else ""
        width = "2.6" if node.start else "1.3"
        fill = "#f4f8fd" if node.conditional else "#ffffff"
        tooltip = "\n".join([node.label, *([node.label_en] if node.label_en else []),
                             *node.lines[1:], *node.sources])
        out.append(f'<g class="{classes}" data-step="{_e(node.id)}">'
                   f"<title>{_e(tooltip)}</title>"
                   f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" '
                   f'height="{_num(box.h)}" rx="6" fill="{fill}" stroke="#333333" '
                   f'stroke-width="{width}"{stroke}/>')
        out.append(f'<text text-anchor="middle" x="{_num(box.cx)}">')
        y = box.y + _PAD
        for line in box.lines:
            y += _line_height(line)
            out.append(f'<tspan x="{_num(box.cx)}" y="{_num(y - line.size * 0.3)}" '
                       f'font-size="{_num(line.size)}" fill="{line.fill}" '
                       f'font-weight="{line.weight}" font-style="{line.style}">'
                       f"{_e(line.text)}</tspan>")
        out.append("</text></g>")
    out.append("</g></svg>")
    return "\n".join(out)


# -- page parts -----------------------------------------------------------------------------

_POLICY_LABELS: dict[str, tuple[str, str]] = {
    "third_party_silence": ("第三方逾期未提出意见", "third party silent past its window"),
    "interagency_silence": ("被征求意见机关逾期未提出意见", "consulted agency silent"),
    "receipt_on_non_workday": ("非工作日收到申请的起算", "request received on a non-working day"),
    "oral_requests": ("口头申请", "oral requests"),
    "phone_requests": ("电话申请", "requests by phone"),
    "one_request_one_matter": ("一事一申请", "one matter per request"),
    "fees": ("收费", "fees"),
}

_POLICY_VALUES: dict[str, tuple[str, str]] = {
    "agency_decides": ("由行政机关依法决定", "the agency decides"),
    "deemed_consent": ("视为同意", "deemed consent"),
    "deemed_refusal": ("视为不同意", "deemed refusal"),
    "next_day": ("自次日起算", "count from the next day"),
    "shift_to_next_workday": ("视为下一工作日收到", "deemed received on the next working day"),
    "accepted": ("受理", "accepted"),
    "accepted_if_writing_difficult": ("书面确有困难的可口头提出",
                                      "accepted where writing is truly difficult"),
    "not_accepted": ("不受理", "not accepted"),
    "required": ("须一事一申请", "required"),
    "not_required": ("不要求", "not required"),
    "free": ("不收费", "free"),
    "processing_fee_when_excessive": ("明显超过合理范围的可收取信息处理费",
                                      "processing fee only when excessive"),
    "charged": ("收费", "charged"),
}

_LEVELS = {"national": "国家", "municipal": "市级", "county": "县级（市）",
           "district": "区级", "zone": "开发区", "department": "部门"}

_KIND_CLASSES = {DayKind.WORKDAY: "workday", DayKind.WEEKEND: "weekend",
                 DayKind.HOLIDAY: "holiday", DayKind.MAKEUP_WORKDAY: "makeup"}

_CSS = """
:root { --ink: #1a1a1a; --muted: #5b5b5b; --line: #d0d0d0; --accent: #8a3b00;
        --holiday: #fde3e1; --holiday-ink: #a3191b; --makeup: #fff2c4; --makeup-ink: #7a5a00;
        --weekend: #eef0f3; --workday: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; color: var(--ink);
       font: 14px/1.6 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei',
       'PingFang SC', 'WenQuanYi Micro Hei', sans-serif; background: #fafafa; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 20px 0 6px; }
.en { color: var(--muted); font-weight: normal; font-size: 0.85em; }
h1 .en, h2 .en, h3 .en { display: block; }
.meta { color: var(--muted); margin: 6px 0; }
.chain { font-family: monospace; }
nav { margin: 12px 0 0; font-size: 13px; }
nav a { margin-right: 12px; color: #1f4e8c; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 5px 7px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
code { font-size: 12px; }
.amount { font-weight: bold; color: var(--accent); white-space: nowrap; }
ul.cites { margin: 0; padding-left: 16px; }
ul.cites li { margin-bottom: 3px; }
q { color: var(--muted); }
.review { display: inline-block; margin-top: 2px; padding: 1px 5px; background: #fff4d6;
          border: 1px solid #e0b400; border-radius: 3px; color: #6b4d00; }
.relation-conflict { color: #a3191b; font-weight: bold; }
.relation-stricter { color: #1d6b2b; }
.note { color: #a3191b; }
.picture { background: #fff; border: 1px solid var(--line); padding: 10px; overflow-x: auto; }
svg.workflow { display: block; margin: 0 auto; max-width: 100%; height: auto; }
details { margin: 8px 0; }
details pre { background: #f3f3f3; padding: 8px; overflow-x: auto; font-size: 12px; }
.legend span { display: inline-block; margin-right: 14px; }
.legend i { display: inline-block; width: 14px; height: 14px; vertical-align: -2px;
            border: 1px solid var(--line); margin-right: 4px; }
.months { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 14px; }
.month { background: #fff; border: 1px solid var(--line); padding: 8px; }
.month h3 { margin: 0 0 4px; font-size: 15px; }
.month h3 .en { display: inline; margin-left: 6px; }
.month .count { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
table.grid { table-layout: fixed; }
table.grid th { text-align: center; font-size: 11px; padding: 2px; }
table.grid td { height: 46px; padding: 2px 3px; font-size: 11px; line-height: 1.25; }
td.workday { background: var(--workday); }
td.weekend { background: var(--weekend); color: var(--muted); }
td.holiday { background: var(--holiday); color: var(--holiday-ink); }
td.makeup { background: var(--makeup); color: var(--makeup-ink); }
td.blank { background: transparent; border-color: transparent; }
td .num { display: block; font-weight: bold; font-size: 12px; }
td .name, td .tag { display: block; white-space: nowrap; font-size: 10.5px; }
td .for { display: block; font-size: 10px; }
.coverage { padding: 10px 12px; background: #fff4d6; border: 1px solid #e0b400; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } .picture { overflow: visible; } }
"""


def _heading(level: int, zh: str, en: str, anchor: str | None = None) -> str:
    ident = f' id="{_e(anchor)}"' if anchor else ""
    return f'<h{level}{ident}>{_e(zh)}<span class="en">{_e(en)}</span></h{level}>'


def _cites(cites: Sequence[Citation]) -> str:
    if not cites:
        return '<span class="en">—</span>'
    items = []
    for c in cites:
        parts = [f'<span class="cite">{_e(c.text)}</span>']
        if c.quote:
            parts.append(f"<q>{_e(c.quote)}</q>")
        if c.review:
            parts.append(f'<span class="review">⚠ 待法律审核 review: {_e(c.review)}</span>')
        items.append("<li>" + " ".join(parts) + "</li>")
    return '<ul class="cites">' + "".join(items) + "</ul>"


def _relation(relation: Relation) -> str:
    return (f'<span class="relation-{relation.value}">{_e(relation.zh)}</span>'
            f'<br><span class="en">{_e(relation.value)}</span>')


def _header(book: Rulebook, year: int, on: date) -> str:
    ancestors: list[Rulebook] = []
    current: Rulebook | None = book
    while current is not None:
        ancestors.append(current)
        current = current.parent
    chain = " → ".join(f"{b.name}（{b.id}）" for b in reversed(ancestors))
    level = f"{_LEVELS.get(book.level, book.level)} / {book.level}" if book.level else "—"
    out = [f"<header><h1>{_e(book.name)}政府信息公开规则"
           f'<span class="en">{_e(book.name_en or book.id)} — government information '
           "disclosure rules</span></h1>",
           f'<p class="meta">规则集 rulebook: <code>{_e(book.id)}</code> · 层级 level: '
           f"{_e(level)} · 年度 year: {year} · 时限按 {on.isoformat()} 施行的规定 / limits as "
           f"in force on {on.isoformat()}</p>",
           f'<p class="meta">继承关系 extends chain: <span class="chain">{_e(chain)}</span></p>']
    if book.description:
        out.append(f'<p class="description">{_e(book.description)}</p>')
    out.append('<nav><a href="#limits">时限 limits</a><a href="#policies">程序规则 policies</a>'
               '<a href="#workflows">流程图 workflows</a><a href="#obligations">定期义务 '
               'obligations</a><a href="#review">待审核 review notes</a><a href="#calendar">'
               '工作日历 calendar</a><a href="#sources">引用文件 sources</a></nav></header>')
    return "\n".join(out)


def _limits(book: Rulebook, on: date) -> str:
    resolved = book.limits_on(on)
    out = [_heading(2, "时限", f"Time limits in force on {on.isoformat()}", "limits")]
    if not resolved:
        out.append(f"<p>{on.isoformat()} 没有施行中的时限 / no limit is in force on this date.</p>")
        return "\n".join(out)
    out.append("<table><thead><tr><th>编号 id</th><th>事项 item</th><th>时限 limit</th>"
               "<th>起算 counted from</th><th>施行 since</th><th>与上位法的关系 relation</th>"
               "<th>依据 sources</th></tr></thead><tbody>")
    for key, lim in resolved.items():
        amount = f"{'最长' if lim.up_to else ''}{format_amount(lim.amount)}{lim.unit.zh}"
        amount_en = f"{'up to ' if lim.up_to else ''}{format_amount(lim.amount)} {lim.unit.en}"
        event = book.events.get(lim.from_event) if lim.from_event else None
        start = (f"{_e(event.label)}<br><code>{_e(lim.from_event)}</code>" if event
                 else f"<code>{_e(lim.from_event or '—')}</code>")
        own = book.limits[key].value_on(on)
        since = own.valid_from.isoformat() if own and own.valid_from else "—"
        relation = _relation(lim.relation)
        if lim.note_zh:
            relation += f'<div class="note">{_e(lim.note_zh)}<br>{_e(lim.note_en or "")}</div>'
        sources = _cites(lim.cites)
        if lim.local is not None:
            local = (f"{format_amount(lim.local.amount or 0)}"
                     f"{lim.local.unit.zh if lim.local.unit else ''}")
            sources += (f'<div class="note">不予适用的本地规定 local value set aside: {_e(local)}'
                        f"（{_e(lim.local.book)}）</div>{_cites(lim.local.cites)}")
        out.append(f"<tr><td><code>{_e(key)}</code></td><td>{_e(lim.label)}<br>"
                   f'<span class="en">{_e(lim.label_en or "")}</span></td>'
                   f'<td><span class="amount">{_e(amount)}</span><br><span class="en">'
                   f"{_e(amount_en)}</span></td><td>{start}</td><td>{_e(since)}</td>"
                   f"<td>{relation}</td><td>{sources}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _policies(book: Rulebook) -> str:
    out = [_heading(2, "程序规则", "Procedural policies and their relation to national law",
                    "policies")]
    if not book.policies:
        out.append("<p>无 / none.</p>")
        return "\n".join(out)
    out.append("<table><thead><tr><th>事项 policy</th><th>适用 applies</th>"
               "<th>与上位法的关系 relation</th><th>依据 sources</th></tr></thead><tbody>")
    for key in sorted(book.policies):
        applied, relation, set_aside = book.policy(key)
        zh, en = _POLICY_LABELS.get(key, (key, key))
        if applied is None:
            continue
        vzh, ven = _POLICY_VALUES.get(applied.value, (applied.value, applied.value))
        sources = _cites(applied.cites)
        if set_aside is not None:
            szh, _ = _POLICY_VALUES.get(set_aside.value, (set_aside.value, set_aside.value))
            sources += (f'<div class="note">不予适用的本地规定 local rule set aside: {_e(szh)} '
                        f"<code>{_e(set_aside.value)}</code>（{_e(set_aside.book)}）</div>"
                        f"{_cites(set_aside.cites)}")
        out.append(f"<tr><td>{_e(zh)}<br><span class=\"en\">{_e(en)}</span><br>"
                   f"<code>{_e(key)}</code></td><td>{_e(vzh)}<br><span class=\"en\">{_e(ven)}"
                   f"</span><br><code>{_e(applied.value)}</code></td><td>{_relation(relation)}"
                   f"</td><td>{sources}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _workflows(book: Rulebook, on: date) -> str:
    out = [_heading(2, "流程图", "Workflows, drawn from the rules", "workflows"),
           "<p>实线框为每个案件都要经过的环节，虚线框为有条件的环节（条件写在框内），粗框为第一个环节；"
           "每条箭头对应规则集中的一个 <code>next</code>。原件所附流程图缺失，此图据规则重新绘制。"
           '<br><span class="en">Solid boxes are steps every case passes through, dashed boxes '
           "steps that apply only when their condition (written in the box) holds, the thick box "
           "is the first step; each arrow is one <code>next</code> entry. The seeds' own flow "
           "charts are missing, so these are drawn from the rules.</span></p>"]
    for kind, (zh, en) in KINDS.items():
        out.append(_heading(3, zh, en[0].upper() + en[1:], f"workflow-{kind}"))
        if kind not in book.workflows:
            out.append(f"<p>本规则集没有{_e(zh)} / this rulebook has no {_e(kind)} workflow.</p>")
            continue
        graph = workflow_graph(book, kind, on)
        if graph.defined_in and graph.defined_in != book.id:
            out.append('<p class="meta">本规则集未另行规定此流程，沿用上级规则集 <code>'
                       f"{_e(graph.defined_in)}</code> 的流程 / this book states no workflow of "
                       f"its own here and inherits the one of <code>{_e(graph.defined_in)}</code>"
                       ".</p>")
        out.append(f'<div class="picture">{workflow_svg(graph, f"wf-{kind}")}</div>')
        out.append("<details><summary>Mermaid 源码 / Mermaid source</summary>"
                   f"<pre>{_e(graph.to_mermaid())}</pre></details>")
        out.append(_steps_table(graph))
    return "\n".join(out)


def _steps_table(graph: Graph) -> str:
    rows = []
    for node in graph.nodes:
        nxt = ", ".join(e.target for e in graph.edges if e.source == node.id) or "—"
        sources = "<br>".join(_e(s) for s in node.sources) or "—"
        rows.append(f"<tr><td><code>{_e(node.id)}</code>{' ▶' if node.start else ''}</td>"
                    f"<td>{_e(node.label)}<br><span class=\"en\">{_e(node.label_en or '')}</span>"
                    f"</td><td>{_e(node.role_label or node.role or '—')}</td>"
                    f"<td>{_e(node.limit_text or '—')}</td><td>{_e(node.condition or '—')}</td>"
                    f"<td><code>{_e(nxt)}</code></td><td>{sources}</td></tr>")
    return ("<details><summary>环节明细 / Steps in detail</summary><table><thead><tr>"
            "<th>环节 step</th><th>内容 what</th><th>角色 role</th><th>时限 limit</th>"
            "<th>条件 condition</th><th>下一步 next</th><th>依据 sources</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></details>")


def _obligations(book: Rulebook, year: int) -> str:
    out = [_heading(2, f"{year} 年定期义务", f"Recurring obligations falling due in {year}",
                    "obligations")]
    dues = obligations_for_year(book, year)
    if not dues:
        out.append("<p>无 / none.</p>")
        return "\n".join(out)
    out.append("<table><thead><tr><th>日期 due</th><th>事项 duty</th><th>责任 actor</th>"
               "<th>与上位法的关系 relation</th><th>依据 sources</th></tr></thead><tbody>")
    for due in dues:
        when = due.due.isoformat() if due.due else "年内 within the year"
        role = book.roles.get(due.actor) if due.actor else None
        actor = role.label if role else (due.actor or "—")
        note = f'<div class="note">{_e(due.note)}</div>' if due.note else ""
        sources = "<br>".join(_e(s) for s in due.sources) or "—"
        out.append(f'<tr><td class="amount">{_e(when)}</td><td>{_e(due.label)}<br>'
                   f'<span class="en">{_e(due.label_en or "")}</span>{note}</td>'
                   f"<td>{_e(actor)}</td><td>{_relation(due.relation)}</td>"
                   f"<td>{sources}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _review_notes(book: Rulebook) -> str:
    out = [_heading(2, "待法律审核事项", "Points for legal review", "review")]
    if not book.review_notes:
        out.append("<p>无 / none.</p>")
        return "\n".join(out)
    out.append("<table><thead><tr><th>疑点 topic</th><th>本书的理解 reading</th>"
               "<th>依据 sources</th><th>规则集 book</th></tr></thead><tbody>")
    for note in book.review_notes:
        out.append(f"<tr><td>⚠ {_e(note.topic)}</td><td>{_e(note.reading)}</td>"
                   f"<td>{_cites(note.cites)}</td><td><code>{_e(note.book)}</code></td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _year_days(calendar: OfficialCalendar, year: int) -> list[DayInfo]:
    day = date(year, 1, 1)
    out = []
    while day.year == year:
        out.append(calendar.day_info(day))
        day += timedelta(days=1)
    return out


def _day_cell(info: DayInfo) -> str:
    kind = info.kind
    title = f"{info.label} "
    body = f'<span class="num">{info.day.day}</span>'
    if kind is DayKind.HOLIDAY:
        title += f"{info.name_zh or ''} 放假 holiday"
        body += f'<span class="name">{_e(info.name_zh or "放假")}</span>'
    elif kind is DayKind.MAKEUP_WORKDAY:
        title += f"调休上班 make-up working day ({info.name_zh or ''})"
        body += '<span class="tag">调休上班</span>'
        if info.name_zh:
            body += f'<span class="for">{_e(info.name_zh)}</span>'
    else:
        title += "工作日 workday" if kind is DayKind.WORKDAY else "周末 weekend"
    return f'<td class="{_KIND_CLASSES[kind]}" title="{_e(title)}">{body}</td>'


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _calendar(year: int, calendar: OfficialCalendar) -> str:
    out = [_heading(2, f"{year} 年工作日历", f"Working-day calendar of {year}", "calendar")]
    try:
        days = _year_days(calendar, year)
    except CalendarCoverageError as exc:
        out.append(f'<p class="coverage">本日历未收录 {year} 年的法定节假日安排（已收录 '
                   f"{exc.first_year}—{exc.last_year} 年），不作推测。<br>"
                   f'<span class="en">The calendar has no official holiday schedule for {year} '
                   f"(it covers {exc.first_year}–{exc.last_year}); no days are guessed.</span></p>")
        return "\n".join(out)
    notice = calendar.notices.get(year)
    if days and days[0].provisional:
        out.append(f'<p class="coverage">{year} 年的放假安排尚未公布：本表为临时结果，仅标出周末和法定'
                   "节假日，未推定调休。<br>"
                   f'<span class="en">The {year} schedule is not yet published: this calendar is '
                   "provisional, with weekends and the statutory holidays only and no 调休 "
                   "guessed.</span></p>")
    elif notice is not None:
        number = f"（{notice.document_number}）" if notice.document_number else ""
        out.append(f'<p class="meta">依据 source: 《{_e(notice.title)}》{_e(number)}，'
                   f"{_e(notice.published)} 发布 / published</p>")
    else:
        out.append('<p class="meta">依据 source: chinesecalendar 软件包所载国务院办公厅节假日安排 / '
                   "the State Council schedule as shipped in the chinesecalendar package</p>")
    working = sum(1 for d in days if d.kind.working)
    out.append(f'<p class="meta">全年工作日 {working} 天 / {working} working days in {year}.</p>')
    out.append('<p class="legend"><span><i style="background:#ffffff"></i>工作日 workday</span>'
               '<span><i style="background:#eef0f3"></i>周末 weekend</span>'
               '<span><i style="background:#fde3e1"></i>放假 holiday</span>'
               '<span><i style="background:#fff2c4"></i>调休上班 make-up working day</span></p>')
    out.append('<div class="months">')
    head = "".join(f"<th>{zh}<br>{en}</th>" for zh, en in zip(
        WEEKDAY_ZH, WEEKDAY_EN, strict=True))
    for month in range(1, 13):
        month_days = [d for d in days if d.day.month == month]
        count = sum(1 for d in month_days if d.kind.working)
        cells = ['<td class="blank"></td>'] * month_days[0].day.weekday()
        cells += [_day_cell(d) for d in month_days]
        cells += ['<td class="blank"></td>'] * (-len(cells) % 7)
        weeks = "".join("<tr>" + "".join(cells[i:i + 7]) + "</tr>"
                        for i in range(0, len(cells), 7))
        out.append(f'<section class="month" id="month-{month}"><h3>{month} 月'
                   f'<span class="en">{_MONTHS_EN[month - 1]}</span></h3>'
                   f'<div class="count">工作日 {count} 天 / {count} working days · '
                   f"{monthrange(year, month)[1]} 天 days</div>"
                   f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{weeks}'
                   "</tbody></table></section>")
    out.append("</div>")
    return "\n".join(out)


def _sources(book: Rulebook) -> str:
    out = [_heading(2, "引用文件", "Source documents", "sources"),
           "<table><thead><tr><th>编号 id</th><th>标题 title</th><th>文号 number</th>"
           "<th>日期 date</th><th>发文机关 issuer</th><th>出处 location</th></tr></thead><tbody>"]
    for key, doc in sorted(book.sources.items()):
        note = f'<br><span class="en">{_e(doc.note)}</span>' if doc.note else ""
        out.append(f"<tr><td><code>{_e(key)}</code></td><td>《{_e(doc.title)}》{note}</td>"
                   f"<td>{_e(doc.number or '—')}</td><td>{_e(doc.date or '—')}</td>"
                   f"<td>{_e(doc.issuer or '—')}</td><td>{_e(doc.location or '—')}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def report_date(year: int) -> date:
    """The day the report's limits and pictures are resolved on: the last day of the year,
    so that the page shows the rules as they stand at the end of the year it covers."""
    return date(year, 12, 31)


def render_report(book: Rulebook, year: int, *, calendar: OfficialCalendar | None = None
                  ) -> str:
    """The whole report page of ``book`` for ``year`` as HTML text.

    A year the holiday calendar does not cover is said so on the page; every other part is
    still rendered.
    """
    calendar = calendar or official_calendar()
    on = report_date(year)
    body = [_header(book, year, on), _limits(book, on), _policies(book), _workflows(book, on),
            _obligations(book, year), _review_notes(book), _calendar(year, calendar),
            _sources(book),
            "<footer>由 govdisclose 依规则集自动生成；内容不取决于生成当天的日期。"
            "<br>Generated by govdisclose from the rulebook; nothing on this page depends on "
            "the date it was generated.</footer>"]
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(book.name)} 政府信息公开规则 {year} / {_e(book.id)}</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def write_report(book: Rulebook, year: int, directory: Path | str, *,
                 calendar: OfficialCalendar | None = None) -> Path:
    """Write ``index.html`` into ``directory`` (created if needed); returns its path."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "index.html"
    target.write_text(render_report(book, year, calendar=calendar), encoding="utf-8")
    return target
