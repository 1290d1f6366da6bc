"""JSON outputs that are streamed rather than built: the audit of a ledger.

:func:`write_audit_json` writes (and :func:`audit_json` returns) ``govdisclose audit --json``
(``schemas/audit.schema.json``) with one compact ledger row per line.  Other results are one
``to_json()`` away (``AnnualTable.to_json()``, ``RequestOutcome.to_json()``, …).
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any, TextIO

from .escaping import escape_bidi

if TYPE_CHECKING:
    from ..ledgers.audit import AuditResult

__all__ = ["audit_json", "write_audit_json"]


def write_audit_json(result: AuditResult, out: TextIO) -> None:
    """The audit as JSON (schemas/audit.schema.json), one ledger row per line.

    Ledgers run to a million rows: compact rows on their own lines stay readable and
    diffable and are several times faster to write than an indented document.

    Bidi control characters are written as their JSON escape (``\u202e``,
    :func:`.escaping.escape_bidi`): the same data, but nothing in the file reorders its text.
    """
    encoding = getattr(out, "encoding", None) or "utf-8"

    def write(text: str) -> None:
        out.write(escape_bidi(text))

    def dumps(value: Any, **options: Any) -> str:
        """As written when ``out`` can encode it (UTF-8), else with non-ASCII escaped
        (``\\u2717``): a GBK console or file loses nothing."""
        text = json.dumps(value, ensure_ascii=False, **options)
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            text = json.dumps(value, ensure_ascii=True, **options)
        return text

    head = result.to_json()
    rows = head.pop("rows")
    summary = head.pop("summary")
    write("{\n")
    for key, value in head.items():
        write(f"  {json.dumps(key)}: {dumps(value)},\n")
    write('  "rows": [\n')
    last = len(rows) - 1
    for i, row in enumerate(rows):
        write("    " + dumps(row, separators=(",", ":")) + (",\n" if i < last else "\n"))
    write("  ],\n")
    write(f'  "summary": {dumps(summary)}\n}}\n')


def audit_json(result: AuditResult) -> str:
    """:func:`write_audit_json` as a string."""
    buffer = io.StringIO()
    write_audit_json(result, buffer)
    return buffer.getvalue()
