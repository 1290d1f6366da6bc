"""Plain-text outputs of the ledger results: what ``govdisclose audit`` and
``govdisclose annual-report`` print.

* :func:`audit_text` — one ``file:line: id: state: problems`` line per problem row, then a
  summary line (:func:`write_audit_text_stream`: the same from an audit streamed a chunk at a
  time);
* :func:`annual_report_text` — section 三 of the annual report as an aligned table (CJK
  characters counted two columns wide), then the identity check, unplaced rows and the summary.

:data:`STATE_ZH` and :func:`row_problems` are shared with the audit's HTML page.  Both texts
pass :func:`.escaping.escape_bidi` as a whole: a ledger id with U+202E prints as ``\u202e``.
"""

from __future__ import annotations

import io
import unicodedata
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TextIO

from ..annual.format_model import VERIFIED_MARKS
from ..ledgers.audit_rows import AuditTally
from ..rulebook.vocabulary import RequestState
from .escaping import escape_bidi

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ..annual.table import AnnualTable
    from ..ledgers.audit import AuditHead, AuditResult
    from ..ledgers.audit_rows import AuditRow

__all__ = ["STATE_ZH", "annual_report_text", "audit_summary_text", "audit_text", "row_problems",
           "text_rows", "write_audit_text_parts", "write_audit_text_stream"]

#: An audit row's state in Chinese.
STATE_ZH: Mapping[str, str] = MappingProxyType({
    **{state.value: state.zh for state in RequestState}, "invalid": "无效记录"})


# -- audit ----------------------------------------------------------------------------------


def row_problems(row: AuditRow) -> str:
    """An audit row's violations (``code: 中文``) and errors (中文), joined by "；"."""
    parts = [f"{v['code']}: {v['message_zh']}" for v in row.violations]
    parts += [e["message_zh"] for e in row.errors]
    return "；".join(parts)


def audit_text(result: AuditResult) -> str:
    """The audit as ``govdisclose audit`` prints it: a line per problem row, then a summary."""
    buffer = io.StringIO()
    write_audit_text_stream(result.head, [result.rows], buffer)
    return buffer.getvalue()


def text_rows(rows: Iterable[AuditRow], file: str) -> str:
    """The lines of ``rows`` in :func:`audit_text`, one per problem row (each ending in a line
    break), for the ledger shown as ``file``."""
    return escape_bidi("".join(
        f"{file}:{r.line}: {r.id or '(no id)'}: {r.state}"
        + (f" (due {r.due}{' 临时 provisional' if r.provisional else ''})" if r.due else "")
        + f": {row_problems(r)}\n" for r in rows if not r.ok))


def write_audit_text_stream(head: AuditHead, chunks: Iterable[Iterable[AuditRow]],
                            out: TextIO) -> AuditTally:
    """:func:`audit_text` of an audit given as its head and its rows a chunk at a time
    (:func:`govdisclose.ledgers.audit.audit_stream`), written to ``out`` as the rows pass;
    returns the summary it wrote."""
    return write_audit_text_parts(((AuditTally(rows), text_rows(rows, head.file))
                                   for rows in map(list, chunks)), out)


def write_audit_text_parts(parts: Iterable[tuple[AuditTally, str]], out: TextIO) -> AuditTally:
    """:func:`write_audit_text_stream` from chunks already rendered by :func:`text_rows` (in
    the audit's workers: :mod:`.audit_parts`), each with its summary; returns the whole
    summary."""
    tally = AuditTally()
    for part, text in parts:
        tally.merge(part)
        out.write(text)
    out.write(audit_summary_text(tally))
    return tally


def audit_summary_text(tally: AuditTally) -> str:
    """The last line of :func:`audit_text`: rows per state, violations, provisional rows."""
    s: dict[str, Any] = tally.summary()
    counts = ", ".join(f"{k} {v}" for k, v in s["states"].items())
    provisional = (f"; {s['provisional_rows']} provisional (临时结果，通知公布后请复核)"
                   if s["provisional_rows"] else "")
    return escape_bidi(f"{s['rows']} rows: {counts}; {s['rows_with_violations']} with "
                       f"violations{provisional}\n")


# -- annual report --------------------------------------------------------------------------


def annual_report_text(table: AnnualTable) -> str:
    """The table as aligned text, then the identity, unplaced rows and the summary."""
    fmt = table.format
    values = {row.code: row.values for row in table.rows}
    labels: list[tuple[str, tuple[int, ...] | None]] = []
    for row, _ in fmt.walk():
        mark = VERIFIED_MARKS.get(row.verified, "?")
        labels.append(("  " * row.depth + row.label + mark, values.get(row.code)))
    widths = [max(_width(c.text), *(len(str(v[i])) for _, v in labels if v is not None))
              for i, c in enumerate(table.columns)]
    label_width = max(_width(text) for text, _ in labels)
    out = [f"{fmt.section} — {table.rulebook_name}（{table.rulebook}）{table.year} 年度 / "
           f"year {table.year}",
           f"格式 format: {fmt.document_number}《{fmt.title}》",
           ""]
    heading = _pad("", label_width)
    i = 0
    while i < len(table.columns):
        group = table.columns[i].group
        span = 1
        while group and i + span < len(table.columns) and table.columns[i + span].group == group:
            span += 1
        width = sum(widths[i:i + span]) + 2 * (span - 1)
        heading += "  " + (_center(group.text, width) if group else " " * width)
        i += span
    out.append(heading.rstrip())
    out.append(_pad("", label_width) + "".join(
        "  " + _pad(c.text, w, right=True) for c, w in zip(table.columns, widths, strict=True)))
    for text, row_values in labels:
        cells = "" if row_values is None else "".join(
            "  " + _pad(str(v), w, right=True)
            for v, w in zip(row_values, widths, strict=True))
        out.append((_pad(text, label_width) + cells).rstrip())
    out.append("")
    used = {row.verified for row, _ in fmt.walk()}
    if "inferred" in used:
        out.append("* 推定：2019 年格式原文可见，2021 年格式未见 / inferred: verbatim in the "
                   "2019 format, not seen in a 2021 table")
    if "secondary" in used:
        out.append("† 仅见二手来源，未经官方文本核实 / secondary sources only, unverified")
    out.append(f"勾稽关系 identity {fmt.identity}: "
               f"{table.identity.verdict_zh} {table.identity.verdict_en}")
    for column in table.identity.columns:
        if column.difference:
            out.append(f"  {column.label}: 一+二 = {column.left}, 三（七）+四 = "
                       f"{column.right}（差 difference {column.difference:+d}）")
    if not table.identity.holds:
        out.append(f"  {table.identity.explanation_zh}")
        out.append(f"  {table.identity.explanation_en}")
    for warning in table.warnings:
        out.append(f"注意 warning: {warning}")
    if table.unplaced:
        out.append(f"未能归类 unplaced ({len(table.unplaced)}):")
        out.extend(f"  {u}" for u in table.unplaced)
    s = table.summary
    out.append(f"台账 ledger: {s.ledger_rows} 行 rows — 计入 counted {s.counted}，"
               f"未能归类 unplaced {s.unplaced}，{table.year} 年后收到 received after the "
               f"year {s.received_after_year}，{table.year} 年前已答复 replied before the "
               f"year {s.replied_before_year}")
    return escape_bidi("\n".join(out) + "\n")


# -- layout helpers -------------------------------------------------------------------------


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _center(text: str, width: int) -> str:
    spare = max(0, width - _width(text))
    return " " * (spare // 2) + text + " " * (spare - spare // 2)
