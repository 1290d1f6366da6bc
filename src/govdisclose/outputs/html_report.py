"""A rulebook as one self-contained HTML page: limits, policies, workflow pictures,
the year's obligations, review notes and the working-day calendar.

The page has no scripts and no external resources (styles are inline, the workflow
pictures are SVG drawn by :mod:`.svg` from :class:`govdisclose.outputs.graph.Graph`), so it can
be mailed, archived or printed as it is.  Everything on it comes from the rulebook, the bundled
calendar and the year asked for; nothing depends on today's date.  This module assembles the
page and its rulebook sections; the working-day calendar is :mod:`.html_calendar`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.obligations import obligations_for_year
from ..periods.calendar import official_calendar
from .graph import KINDS, format_amount, workflow_graph
from .html_calendar import calendar_section
from .html_parts import escape as _e
from .html_parts import heading as _heading
from .svg import workflow_svg

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..messages import Citation
    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Relation, Rulebook
    from .graph import Graph

__all__ = ["render_report", "report_date", "write_report"]


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
           "is the first step; each arrow is one <code>next</code> entry. The source documents' own flow "
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
        if graph.removed:
            out.append(_removed(graph))
        out.append("<details><summary>Mermaid 源码 / Mermaid source</summary>"
                   f"<pre>{_e(graph.to_mermaid())}</pre></details>")
        out.append(_steps_table(graph))
    return "\n".join(out)


def _removed(graph: Graph) -> str:
    """The parent's steps the workflow leaves out (``remove``), each with its reason and source."""
    items = []
    for r in graph.removed:
        sources = "".join(f'<br><span class="cite">{_e(s)}</span>' for s in r.sources)
        label_en = f' <span class="en">{_e(r.label_en)}</span>' if r.label_en else ""
        items.append(f"<li><code>{_e(r.id)}</code> {_e(r.label)}{label_en}<br>"
                     f"理由 reason：{_e(r.reason)}{sources}</li>")
    zh, en = graph.removed_heading
    return (f'<div class="removed">{_heading(4, zh, en)}<ul class="removed">'
            + "".join(items) + "</ul></div>")


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
            _obligations(book, year), _review_notes(book), calendar_section(year, calendar),
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
