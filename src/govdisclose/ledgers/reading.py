"""Ledgers (台账) of requests: CSV (UTF-8 with or without BOM, or GBK when asked) or .xlsx.

Headers may be English column names or their Chinese equivalents (see ``COLUMNS``);
unknown columns are kept and reported, never silently dropped.  Every data row is
returned, in file order, with the line (CSV) or row number (Excel) it came from.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._dates import parse_date
from ..errors import LedgerError
from ..rulebook.events import REQUEST_EVENTS

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

__all__ = ["COLUMNS", "FIELD_COLUMNS", "FieldColumn", "Ledger", "LedgerError", "LedgerRow",
           "parse_ledger_date", "read_ledger"]


@dataclass(frozen=True, slots=True)
class FieldColumn:
    """A ledger column for a field some events carry (``schemas/request.schema.json``).

    Attributes:
        column: the canonical column name.
        field: the field of the request event it fills.
        event: the request event type carrying it; its date is in that event's
            ``ledger_column``.
        headers: the Chinese headers accepted for it.
        is_date: whether the cell holds a date (else text: a role of the rulebook).
    """

    column: str
    field: str
    event: str
    headers: tuple[str, ...]
    is_date: bool = True


#: The columns of the fields some events carry, each read into the event of its row.
FIELD_COLUMNS: tuple[FieldColumn, ...] = (
    FieldColumn("reply_sent_on", "sent_on", "replied", ("答复发出日期", "发文日期")),
    FieldColumn("reply_served_on", "served_on", "replied", ("送达日期", "答复送达日期")),
    FieldColumn("supplement_due", "supplement_due", "supplement_requested",
                ("补正期限", "补正截止日期")),
    FieldColumn("reply_by", "reply_by", "reply_date_fixed", ("确定答复日期", "延迟答复期限")),
    FieldColumn("extension_approved_by", "approved_by", "extension_approved",
                ("延期批准人", "延期审批人"), is_date=False),
    FieldColumn("extension_notified_on", "notified_on", "extension_approved",
                ("延期告知日期", "告知延期日期")),
)

#: canonical column -> accepted headers (case-insensitive for English; Chinese as written).
#: The event columns come from the request event table (one row per event type), the columns
#: of the fields events carry from :data:`FIELD_COLUMNS`.
COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "id": ("id", "编号", "申请编号", "序号"),
    "received_on": ("received_on", "收到申请日期", "收到申请之日", "收到日期", "受理日期"),
    **{row.ledger_column: (row.ledger_column, *row.ledger_headers)
       for row in REQUEST_EVENTS.values() if row.ledger_column is not None},
    **{f.column: (f.column, *f.headers) for f in FIELD_COLUMNS},
    "applicant_type": ("applicant_type", "申请人类型", "申请人情况"),
    "outcome": ("outcome", "办理结果", "答复结果"),
})
REQUIRED = ("id", "received_on")
_LOOKUP = {alias.strip().lower(): canonical for canonical, aliases in COLUMNS.items()
           for alias in aliases}


def parse_ledger_date(text: str) -> date:
    """A ledger date: ``2026-03-02``, ``2026/3/2``, ``2026.3.2`` or ``2026年3月2日``
    (:func:`govdisclose._dates.parse_date` with ``lenient``).

    Raises:
        ValueError: anything else, or an impossible date such as 2026-02-30.
    """
    return parse_date(text, lenient=True)


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One data row: ``values`` maps canonical columns to their text ('' when empty)."""

    number: int  # 1-based position among data rows
    line: int  # CSV line or Excel row number
    values: Mapping[str, str]
    extra: Mapping[str, str]  # columns govdisclose does not know, kept as given


@dataclass(frozen=True, slots=True)
class Ledger:
    file: str
    columns: tuple[str, ...]  # canonical columns present
    unknown_columns: tuple[str, ...]
    rows: tuple[LedgerRow, ...]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(cells: list[str], file: str) -> tuple[dict[int, str], dict[int, str]]:
    known: dict[int, str] = {}
    unknown: dict[int, str] = {}
    for i, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff")
        canonical = _LOOKUP.get(name.lower())
        if canonical is None:
            if name:
                unknown[i] = name
        elif canonical in known.values():
            msg = f"{file}: column {canonical!r} appears twice / 列 {name} 重复"
            raise LedgerError(msg)
        else:
            known[i] = canonical
    missing = [c for c in REQUIRED if c not in known.values()]
    if missing:
        names = ", ".join(f"{c} ({COLUMNS[c][1]})" for c in missing)
        msg = (f"{file}: the ledger has no {names} column; headers found: "
               f"{', '.join(c for c in cells if c) or '(none)'} / 台账缺少必需的列：{names}")
        raise LedgerError(msg)
    return known, unknown


def _rows(records: Iterator[tuple[int, list[str]]], file: str) -> Ledger:
    try:
        header_line, header = next(records)
    except StopIteration:
        msg = f"{file}: the ledger is empty / 台账为空"
        raise LedgerError(msg) from None
    known, unknown = _header(header, file)
    rows: list[LedgerRow] = []
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue  # a blank line is not a row
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in known.items()}
        extra = {name: (cells[i].strip() if i < len(cells) else "")
                 for i, name in unknown.items()}
        rows.append(LedgerRow(len(rows) + 1, line, MappingProxyType(values),
                              MappingProxyType(extra)))
    del header_line
    return Ledger(file, tuple(known.values()), tuple(unknown.values()), tuple(rows))


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        yield reader.line_num, cells


def _xlsx_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        msg = "reading .xlsx needs openpyxl"
        raise LedgerError(msg) from exc
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, [_cell_text(v) for v in row]
    finally:
        book.close()


def read_ledger(path: Path, *, encoding: str | None = None) -> Ledger:
    """Read a ledger file.

    Args:
        path: a ``.csv`` or ``.xlsx`` file.
        encoding: for CSV; default UTF-8 (a BOM is accepted). Pass ``gbk`` for GBK files.

    Raises:
        LedgerError: the file cannot be read, decoded or has no ``id``/``received_on`` column.
    """
    display = str(path)
    if not path.is_file():
        msg = f"{display}: no such file / 文件不存在"
        raise LedgerError(msg)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return _rows(_xlsx_records(path), display)
        except LedgerError:
            raise
        except Exception as exc:  # any openpyxl failure means the file is unreadable
            msg = f"{display}: not a readable Excel file ({exc}) / 无法读取 Excel 文件"
            raise LedgerError(msg) from exc
    try:
        text = path.read_bytes().decode(encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError) as exc:
        hint = " (try --encoding gbk)" if encoding is None else ""
        msg = f"{display}: cannot decode as {encoding or 'UTF-8'}{hint} / 文件编码无法识别"
        raise LedgerError(msg) from exc
    try:
        return _rows(_csv_records(text), display)
    except csv.Error as exc:
        msg = f"{display}: malformed CSV ({exc}) / CSV 格式错误"
        raise LedgerError(msg) from exc
