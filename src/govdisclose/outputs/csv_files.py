"""CSV outputs of the ledger results, written UTF-8 with a BOM so that Excel opens them as UTF-8.

* :func:`audit_csv` / :func:`write_audit_csv` — ``govdisclose audit --csv``: one line per
  ledger row (:func:`write_audit_csv_stream`: the same from an audit streamed a chunk at a
  time);
* :func:`annual_report_csv` / :func:`write_annual_report_csv` — ``govdisclose annual-report
  --csv``: code, label, then one column per table column; merged labels (三、本年度办理结果,
  （三）不予公开, …) are rows with empty values.

Every cell passes :func:`.escaping.neutralise_cell` (OWASP's CSV-injection rule, and bidi
controls shown escaped): an id such as ``=cmd|' /C calc'!A0`` is written ``'=cmd|…``.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, TextIO

from ..ledgers.audit_rows import AuditTally
from .escaping import neutralise_cell

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from ..annual.table import AnnualTable
    from ..ledgers.audit import AuditResult
    from ..ledgers.audit_rows import AuditRow

__all__ = ["AUDIT_HEADERS", "annual_report_csv", "audit_csv", "csv_rows", "write_annual_report_csv",
           "write_audit_csv", "write_audit_csv_parts", "write_audit_csv_stream"]


class _SafeWriter:
    """``csv.writer`` whose every cell goes through :func:`neutralise_cell` first."""

    def __init__(self, handle: TextIO, lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(handle, lineterminator=lineterminator)

    def writerow(self, cells: Iterable[object]) -> None:
        self._writer.writerow([neutralise_cell(cell) for cell in cells])


#: The header of ``audit --csv`` by ``--csv-headers``: the field names (``en``, the default, as
#: in ``audit --json``), or the Chinese column names an office reads in Excel (``zh``).  The
#: cells below are the same either way (codes, ISO dates, the English error text).
AUDIT_HEADERS: dict[str, tuple[str, ...]] = {
    "en": ("row", "line", "id", "state", "received_on", "due", "replied_on", "violations",
           "errors", "provisional"),
    "zh": ("序号", "台账行号", "编号", "状态", "收到申请日期", "答复期限", "答复日期", "违规代码",
           "错误", "暂定"),
}


def csv_rows(rows: Iterable[AuditRow]) -> str:
    """The lines of ``rows`` in :func:`audit_csv` (no header)."""
    buffer = io.StringIO(newline="")
    writer = _SafeWriter(buffer)
    for r in rows:
        writer.writerow([r.number, r.line, r.id, r.state, r.received_on or "", r.due or "",
                         r.replied_on or "", ";".join(str(v["code"]) for v in r.violations),
                         " | ".join(e["message_en"] for e in r.errors),
                         "yes" if r.provisional else ""])
    return buffer.getvalue()


def _audit_rows(chunks: Iterable[Iterable[AuditRow]], handle: TextIO) -> None:
    write_audit_csv_parts(((AuditTally(), csv_rows(chunk)) for chunk in chunks), handle)


def audit_csv(result: AuditResult) -> str:
    """The audit as CSV text (no BOM): a header, then one line per ledger row."""
    buffer = io.StringIO(newline="")
    _audit_rows([result.rows], buffer)
    return buffer.getvalue()


def write_audit_csv(result: AuditResult, path: Path) -> None:
    """:func:`audit_csv` streamed to ``path`` as UTF-8 with a BOM, so that Excel opens it."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        _audit_rows([result.rows], handle)


def write_audit_csv_stream(chunks: Iterable[Iterable[AuditRow]], handle: TextIO) -> None:
    """The lines of :func:`write_audit_csv` from an audit given a chunk at a time
    (:func:`govdisclose.ledgers.audit.audit_stream`), to ``handle``: a text file opened with
    ``encoding="utf-8-sig", newline=""`` writes the same bytes."""
    _audit_rows(chunks, handle)


def write_audit_csv_parts(parts: Iterable[tuple[AuditTally, str]], handle: TextIO, *,
                          headers: str = "en") -> AuditTally:
    """:func:`write_audit_csv_stream` from chunks already rendered by :func:`csv_rows` (in
    the audit's workers: :mod:`.audit_parts`), each with its summary; returns the whole
    summary.  ``headers``: a key of :data:`AUDIT_HEADERS`."""
    _SafeWriter(handle).writerow(AUDIT_HEADERS[headers])
    tally = AuditTally()
    for part, text in parts:
        tally.merge(part)
        handle.write(text)
    return tally


def annual_report_csv(table: AnnualTable) -> str:
    """The table as CSV text: code, label, then one column per table column.

    Merged labels (三、本年度办理结果, （三）不予公开, …) are rows with empty values.
    """
    buffer = io.StringIO(newline="")
    writer = _SafeWriter(buffer, lineterminator="\r\n")
    writer.writerow(["代码 code", "项目 item", *(c.label for c in table.columns)])
    values = {row.code: row.values for row in table.rows}
    for row, _ in table.format.walk():
        cells = values.get(row.code)
        writer.writerow([row.code, row.label,
                         *(cells if cells is not None else [""] * len(table.columns))])
    return buffer.getvalue()


def write_annual_report_csv(table: AnnualTable, path: Path) -> None:
    """Write :func:`annual_report_csv` as UTF-8 with a BOM, so that Excel reads it as UTF-8."""
    path.write_bytes(annual_report_csv(table).encode("utf-8-sig"))
