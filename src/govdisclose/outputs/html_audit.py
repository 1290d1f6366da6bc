"""The audit of a ledger as one self-contained HTML page (``govdisclose audit --html``).

A summary of the states, then every ledger row in file order, problem rows highlighted (late or
overdue replies and violations red, invalid rows yellow).  Inline styles, no scripts, no
network resources.  The page is the template ``templates/audit.html.j2``, its rows
``templates/audit_rows.html.j2``: ledger cells are untrusted, and the autoescaping environment
(:mod:`.html_parts`) makes every one of them text.

:func:`write_audit_html_stream` writes the same page from an audit streamed a chunk at a time.
The summary is at the top of the page and is known only after the last row, so the rows are
rendered to a temporary file beside the page (as large as the page's rows, on disk rather than
in memory) and copied after the summary.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from ..ledgers.audit_rows import AuditTally
from .html_parts import render
from .text import STATE_ZH, row_problems

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from ..ledgers.audit import AuditHead, AuditResult
    from ..ledgers.audit_rows import AuditRow

__all__ = ["html_rows", "render_audit_html", "write_audit_html", "write_audit_html_parts",
           "write_audit_html_stream"]

#: Where the rows go in the page rendered without them (autoescaping keeps the text of a
#: ledger cell from ever reading as this markup).
_EMPTY_BODY = "<tbody></tbody>"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Row(FieldRepr):
    """A ledger row as the page shows it."""

    audit: AuditRow
    css: str  # ok, bad (late, overdue, violations) or invalid
    problems: str


def _rows(rows: Iterable[AuditRow]) -> list[_Row]:
    return [_Row(r, "ok" if r.ok else ("invalid" if r.state == "invalid" else "bad"),
                 row_problems(r)) for r in rows]


def _page(head: AuditHead, tally: AuditTally, rows: list[_Row]) -> str:
    summary = tally.summary()
    return render("audit.html.j2", result=head, rows=rows, state_zh=STATE_ZH,
                  states=list(summary["states"].items()), ok=summary["ok"])


def render_audit_html(result: AuditResult) -> str:
    """A self-contained page: summary, then every row (problem rows highlighted)."""
    return _page(result.head, AuditTally(result.rows), _rows(result.rows))


def write_audit_html(result: AuditResult, path: Path) -> None:
    """Write :func:`render_audit_html` to ``path`` (UTF-8)."""
    path.write_text(render_audit_html(result), encoding="utf-8")


def html_rows(rows: Iterable[AuditRow]) -> str:
    """The table rows of ``rows`` in :func:`render_audit_html`."""
    return render("audit_rows.html.j2", rows=_rows(rows), state_zh=STATE_ZH)


def write_audit_html_stream(head: AuditHead, chunks: Iterable[Iterable[AuditRow]],
                            path: Path) -> AuditTally:
    """:func:`write_audit_html` of an audit given as its head and its rows a chunk at a time
    (:func:`govdisclose.ledgers.audit.audit_stream`); returns the summary it wrote."""
    return write_audit_html_parts(head, ((AuditTally(rows), html_rows(rows))
                                         for rows in map(list, chunks)), path)


def write_audit_html_parts(head: AuditHead, parts: Iterable[tuple[AuditTally, str]],
                           path: Path) -> AuditTally:
    """:func:`write_audit_html_stream` from chunks already rendered by :func:`html_rows` (in
    the audit's workers: :mod:`.audit_parts`), each with its summary; returns the whole
    summary."""
    tally = AuditTally()
    with path.open("w", encoding="utf-8") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=path.parent) as spool:
        for part, text in parts:
            tally.merge(part)
            spool.write(text)
        before, after = _page(head, tally, []).split(_EMPTY_BODY)
        out.write(before + "<tbody>")
        spool.seek(0)
        shutil.copyfileobj(spool, out)
        out.write("</tbody>" + after)
    return tally
