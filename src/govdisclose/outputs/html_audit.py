"""The audit of a ledger as one self-contained HTML page (``govdisclose audit --html``).

A summary of the states, then every ledger row in file order, problem rows highlighted (late or
overdue replies and violations red, invalid rows yellow).  Inline styles, no scripts, no
network resources.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .text import STATE_ZH, row_problems

if TYPE_CHECKING:
    from pathlib import Path

    from ..ledgers.audit import AuditResult

__all__ = ["render_audit_html", "write_audit_html"]


def render_audit_html(result: AuditResult) -> str:
    """A self-contained page: summary, then every row (problem rows highlighted)."""
    s = result.summary
    rows = []
    for r in result.rows:
        cls = "ok" if r.ok else ("invalid" if r.state == "invalid" else "bad")
        rows.append(
            f"<tr class='{cls}'><td>{r.number}</td><td>{html.escape(r.id)}</td>"
            f"<td>{STATE_ZH[r.state]}<br><small>{r.state}</small></td>"
            f"<td>{r.received_on or ''}</td><td>{r.due or ''}</td><td>{r.replied_on or ''}</td>"
            f"<td>{html.escape(row_problems(r))}</td></tr>")
    states = "".join(f"<li>{STATE_ZH[k]} {k}: {v}</li>" for k, v in s["states"].items())
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>台账审计 {html.escape(result.file)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 4px 8px; }}
tr.bad {{ background: #fde2e2; }} tr.invalid {{ background: #fff3cd; }}
</style></head><body>
<h1>政府信息公开申请台账审计 / Ledger audit</h1>
<p>规则集 rulebook: {html.escape(result.rulebook)} · 台账 ledger: {html.escape(result.file)}
 · 审计日期 as of: {result.as_of.isoformat()}</p>
<ul>{states}</ul>
<p>{"全部合规 / all rows fine" if s["ok"] else "发现问题 / problems found"}</p>
<table><thead><tr><th>#</th><th>编号 id</th><th>状态 state</th><th>收到 received</th>
<th>期限 due</th><th>答复 replied</th><th>问题 problems</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></body></html>
"""


def write_audit_html(result: AuditResult, path: Path) -> None:
    """Write :func:`render_audit_html` to ``path`` (UTF-8)."""
    path.write_text(render_audit_html(result), encoding="utf-8")
