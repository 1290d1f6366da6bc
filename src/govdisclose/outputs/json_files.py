"""JSON outputs that are streamed rather than built: the audit of a ledger.

:func:`write_audit_json` writes (and :func:`audit_json` returns) ``govdisclose audit --json``
(``schemas/audit.schema.json``) with one compact ledger row per line;
:func:`write_audit_json_stream` writes the same bytes from an audit streamed a chunk at a time
(the summary comes last in the document, so it is counted as the rows pass).  Other results
are one ``to_json()`` away (``AnnualTable.to_json()``, ``RequestOutcome.to_json()``, …).
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any, Protocol

from ..ledgers.audit_rows import AuditTally
from .escaping import escape_bidi

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..ledgers.audit import AuditHead, AuditResult
    from ..ledgers.audit_rows import AuditRow

__all__ = ["TextSink", "audit_json", "json_rows", "write_audit_json", "write_audit_json_parts",
           "write_audit_json_stream"]


class TextSink(Protocol):
    """Where text is written: a text file, ``sys.stdout``, a ``StringIO``; its ``encoding``,
    when it has one, decides whether non-ASCII text is escaped."""

    def write(self, text: str, /) -> object: ...


def write_audit_json(result: AuditResult, out: TextSink) -> None:
    """The audit as JSON (schemas/audit.schema.json), one ledger row per line.

    Ledgers run to a million rows: compact rows on their own lines stay readable and
    diffable and are several times faster to write than an indented document.

    Bidi control characters are written as their JSON escape (``\u202e``,
    :func:`.escaping.escape_bidi`): the same data, but nothing in the file reorders its text.
    """
    write_audit_json_stream(result.head, [result.rows], out)


def _dumps(value: Any, encoding: str, **options: Any) -> str:
    """As written when ``encoding`` (the destination's) can encode it (UTF-8), else with
    non-ASCII escaped (``\\u2717``): a GBK console or file loses nothing."""
    text = json.dumps(value, ensure_ascii=False, **options)
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(value, ensure_ascii=True, **options)
    return text


#: The compact encoder of :func:`json_rows` (``json.dumps`` would make one a row).
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
#: ``json.dumps`` of a string (ensure_ascii=False): the quoted, escaped text.
_STRING = json.encoder.encode_basestring


def _row_json(r: AuditRow) -> str:
    """``json.dumps(r.to_json(), ensure_ascii=False, separators=(",", ":"))``, the same
    characters, written field by field (the keys are fixed, the numbers are ints)."""
    received, due, replied = r.received_on, r.due, r.replied_on
    return (f'{{"row":{r.number:d},"line":{r.line:d},"id":{_STRING(r.id)},'
            f'"state":{_STRING(r.state)},'
            f'"received_on":{"null" if received is None else _STRING(received)},'
            f'"due":{"null" if due is None else _STRING(due)},'
            f'"replied_on":{"null" if replied is None else _STRING(replied)},'
            f'"violations":{_COMPACT.encode(list(r.violations)) if r.violations else "[]"},'
            f'"errors":{_COMPACT.encode(list(r.errors)) if r.errors else "[]"},'
            f'"provisional":{"true" if r.provisional else "false"}}}')


def json_rows(rows: Iterable[AuditRow], encoding: str = "utf-8") -> str:
    """The lines of ``rows`` in :func:`write_audit_json`, joined by ``,`` and a line break
    (none before the first or after the last), for a destination in ``encoding``."""
    rows = list(rows)
    text = ",\n    ".join(map(_row_json, rows))
    try:
        text.encode(encoding)  # the whole chunk at once: it almost always can be
    except (UnicodeEncodeError, LookupError):
        text = ",\n    ".join(_dumps(r.to_json(), encoding, separators=(",", ":"))
                               for r in rows)
    return escape_bidi(text)


def write_audit_json_stream(head: AuditHead, chunks: Iterable[Iterable[AuditRow]],
                            out: TextSink) -> AuditTally:
    """:func:`write_audit_json` of an audit given as its head and its rows a chunk at a time
    (:func:`govdisclose.ledgers.audit.audit_stream`); returns the summary it wrote."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    return write_audit_json_parts(head, ((AuditTally(rows), json_rows(rows, encoding))
                                         for rows in map(list, chunks)), out)


def write_audit_json_parts(head: AuditHead, parts: Iterable[tuple[AuditTally, str]],
                           out: TextSink) -> AuditTally:
    """:func:`write_audit_json` from chunks already rendered by :func:`json_rows` (in the
    audit's workers: :mod:`.audit_parts`), each with its summary; returns the whole summary."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    tally = AuditTally()
    out.write("{\n")
    for key, value in head.to_json().items():
        out.write(escape_bidi(f"  {json.dumps(key)}: {_dumps(value, encoding)},\n"))
    out.write('  "rows": [\n')
    # Each chunk but the first is preceded by the comma ending the one before, so that the
    # last row is known to be last without reading ahead.
    separator = "    "
    for part, text in parts:
        tally.merge(part)
        if text:
            out.write(separator + text)
            separator = ",\n    "
    out.write("\n  ],\n" if separator != "    " else "  ],\n")
    out.write(escape_bidi(f'  "summary": {_dumps(tally.summary(), encoding)}\n}}\n'))
    return tally


def audit_json(result: AuditResult) -> str:
    """:func:`write_audit_json` as a string."""
    buffer = io.StringIO()
    write_audit_json(result, buffer)
    return buffer.getvalue()
