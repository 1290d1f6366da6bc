"""The audit of a ledger as one self-contained HTML page (``govdisclose audit --html``).

A summary of the states, then every ledger row in file order, problem rows highlighted (late or
overdue replies and violations red, invalid rows yellow).  Inline styles, no scripts, no
network resources.  The page is the template ``templates/audit.html.j2``: ledger cells are
untrusted, and the autoescaping environment (:mod:`.html_parts`) makes every one of them text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .html_parts import render
from .text import STATE_ZH, row_problems

if TYPE_CHECKING:
    from pathlib import Path

    from ..ledgers.audit import AuditResult, AuditRow

__all__ = ["render_audit_html", "write_audit_html"]


@dataclass(frozen=True, slots=True)
class _Row:
    """A ledger row as the page shows it."""

    audit: AuditRow
    css: str  # ok, bad (late, overdue, violations) or invalid
    problems: str


def render_audit_html(result: AuditResult) -> str:
    """A self-contained page: summary, then every row (problem rows highlighted)."""
    rows = [_Row(r, "ok" if r.ok else ("invalid" if r.state == "invalid" else "bad"),
                 row_problems(r)) for r in result.rows]
    return render("audit.html.j2", result=result, rows=rows, state_zh=STATE_ZH,
                  states=list(result.summary["states"].items()), ok=result.summary["ok"])


def write_audit_html(result: AuditResult, path: Path) -> None:
    """Write :func:`render_audit_html` to ``path`` (UTF-8)."""
    path.write_text(render_audit_html(result), encoding="utf-8")
