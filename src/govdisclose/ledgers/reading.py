"""Ledgers (台账) of requests: CSV (UTF-8 with or without BOM, or GBK when asked) or .xlsx.

Headers may be English column names or their Chinese equivalents (see ``COLUMNS``);
unknown columns are kept and reported, never silently dropped.  Every data row is
returned, in file order, with the line (CSV) or row number (Excel) it came from.

Reading is bounded (docs/security.md, "Limits"): a cell longer than
:data:`MAX_FIELD_CHARS`, a CSV quote never closed or other malformed CSV make a problem of
that row only (:attr:`LedgerRow.problems`; the audit lists the row as invalid); a file over
:data:`MAX_LEDGER_BYTES` or with more than :data:`MAX_LEDGER_ROWS` rows is refused whole.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._dates import parse_date
from ..errors import LedgerError, Problem
from ..rulebook.events import REQUEST_EVENTS

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

__all__ = ["COLUMNS", "FIELD_COLUMNS", "MAX_FIELD_CHARS", "MAX_LEDGER_BYTES", "MAX_LEDGER_ROWS",
           "MAX_XLSX_COLUMNS", "FieldColumn", "Ledger", "LedgerError", "LedgerRow",
           "parse_ledger_date", "read_ledger"]

#: Longest cell, in characters: Excel's own limit per cell.  A longer cell (CSV, or an .xlsx
#: not written by Excel) makes its row invalid and is read as empty.
MAX_FIELD_CHARS = 32_767
#: Most data rows (blank lines not counted); a ledger with more is refused.
MAX_LEDGER_ROWS = 1_000_000
#: Largest CSV file, and largest uncompressed .xlsx content, in bytes.
MAX_LEDGER_BYTES = 256 * 1024 * 1024
#: Columns read from an .xlsx sheet (cells further right are not read).
MAX_XLSX_COLUMNS = 1_000
#: Malformed CSV records after which the file is refused as not CSV at all.
_MAX_CSV_ERRORS = 1_000


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
    #: why the row could not be read as written (an over-long cell, a quote never closed);
    #: such a row is invalid whatever its values say.
    problems: tuple[Problem, ...] = ()


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


#: One record as read: its line (or Excel row), its cells, and what made it unreadable.
_Record = tuple[int, list[str], tuple[Problem, ...]]


def _rows(records: Iterator[_Record], file: str) -> Ledger:
    try:
        header_line, header, header_problems = next(records)
    except StopIteration:
        msg = f"{file}: the ledger is empty / 台账为空"
        raise LedgerError(msg) from None
    if header_problems:
        msg = f"{file}: the header row cannot be read: {header_problems[0]}"
        raise LedgerError(msg)
    known, unknown = _header(header, file)
    names = {**known, **unknown}
    rows: list[LedgerRow] = []
    for line, cells, read_problems in records:
        if not read_problems and not any(c.strip() for c in cells):
            continue  # a blank line is not a row
        if len(rows) == MAX_LEDGER_ROWS:
            msg = (f"{file}: more than {MAX_LEDGER_ROWS:,} rows; split the ledger / "
                   f"台账超过 {MAX_LEDGER_ROWS} 行，请拆分")
            raise LedgerError(msg)
        problems = list(read_problems)
        for i, cell in enumerate(cells):
            if len(cell) > MAX_FIELD_CHARS:
                problems.append(_too_long(file, line, names.get(i, f"#{i + 1}")))
                cells[i] = ""
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in known.items()}
        extra = {name: (cells[i].strip() if i < len(cells) else "")
                 for i, name in unknown.items()}
        rows.append(LedgerRow(len(rows) + 1, line, MappingProxyType(values),
                              MappingProxyType(extra), tuple(problems)))
    del header_line
    return Ledger(file, tuple(known.values()), tuple(unknown.values()), tuple(rows))


def _too_long(file: str, line: int, column: str) -> Problem:
    return Problem("ledger.field_too_long",
                   f"第 {line} 行的 {column} 超过 {MAX_FIELD_CHARS} 个字符的上限，未读取",
                   f"the {column} cell is longer than the limit of {MAX_FIELD_CHARS} characters "
                   "and was not read", file, line, None, (column,))


def _csv_records(text: str, file: str) -> Iterator[_Record]:
    """Records with the line each ends on.  A record that cannot be read (a quote never
    closed, a cell over csv's own limit) becomes a problem of its first line; reading resumes
    after it, or, when its quote never closes, on the line after its first, so that no row is
    swallowed."""
    lines = list(io.StringIO(text, newline=""))
    offsets: list[int] = []  # where each line starts, computed on the first bad record
    start = errors = 0  # start: index of the first line not yet read
    while start < len(lines):
        reader = csv.reader(map(lines.__getitem__, range(start, len(lines))))
        while True:
            first = start + reader.line_num  # index of the record's first line
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                reason = str(exc)
            else:
                end = start + reader.line_num
                # csv ends the last record at the end of the file even inside a quote
                last = len(text) - sum(map(len, lines[first:])) if end == len(lines) else None
                if last is None or _record_end(text, last) is not None:
                    yield end, cells, ()
                    continue
                reason = _UNTERMINATED
            if not offsets:
                offsets.extend(itertools.accumulate(map(len, lines), initial=0))
            after = _record_end(text, offsets[first])
            problem = _csv_problem(file, first + 1, _UNTERMINATED if after is None else reason)
            errors += 1
            if errors > _MAX_CSV_ERRORS:
                msg = f"{file}: not a CSV file ({problem.message_en}) / 不是 CSV 文件"
                raise LedgerError(msg)
            yield first + 1, _first_line_cells(lines[first]), (problem,)
            # an unclosed quote swallowed the lines after it: they are read again as records
            start = first + 1 if after is None else bisect.bisect_left(offsets, after)
            break


#: A quoted CSV field as the csv module reads it (``""`` is a quote; text after the closing
#: quote is kept); the lookahead makes the run of quoted text atomic.
_QUOTED = re.compile(r'"(?=((?:[^"]+|"")*))\1"[^,\r\n]*')
_PLAIN = re.compile(r"[^,\r\n]*")


def _record_end(text: str, pos: int) -> int | None:
    """Where the CSV record starting at ``pos`` ends (after its line break), or None when a
    quote in it is never closed."""
    while True:
        match = (_QUOTED if text.startswith('"', pos) else _PLAIN).match(text, pos)
        if match is None:
            return None
        pos = match.end()
        if text.startswith(",", pos):
            pos += 1
        elif text.startswith("\r\n", pos):
            return pos + 2
        else:
            return min(pos + 1, len(text))


def _first_line_cells(line: str) -> list[str]:
    """The cells of one physical line read on its own (to show the id of a bad row)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return []


_UNTERMINATED = ""  # the reason given for a quote still open at the end of the file


def _csv_problem(file: str, line: int, reason: str) -> Problem:
    if "field larger" in reason:  # csv's own limit (131,072), above MAX_FIELD_CHARS
        return _too_long(file, line, "?")
    if reason == _UNTERMINATED:
        return Problem("ledger.unterminated_quote",
                       "此行的引号（\"）到文件末尾都没有闭合；请补上引号",
                       'a quote (") opened on this line is never closed; close it', file, line)
    return Problem("ledger.malformed_csv", f"此行 CSV 格式错误：{reason}",
                   f"malformed CSV on this line: {reason}", file, line)


def _xlsx_records(path: Path) -> Iterator[_Record]:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        msg = "reading .xlsx needs openpyxl"
        raise LedgerError(msg) from exc
    with zipfile.ZipFile(path) as archive:  # a zip bomb is refused before it is inflated
        size = sum(info.file_size for info in archive.infolist())
    if size > MAX_LEDGER_BYTES:
        msg = (f"{path}: the workbook holds {size:,} bytes uncompressed, more than "
               f"{MAX_LEDGER_BYTES:,} / 工作簿过大")
        raise LedgerError(msg)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the stored dimension may claim a million empty rows
        rows = sheet.iter_rows(max_col=MAX_XLSX_COLUMNS, values_only=True)
        for number, row in enumerate(rows, 1):
            yield number, [_cell_text(v) for v in row], ()
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
    if path.stat().st_size > MAX_LEDGER_BYTES:
        msg = f"{display}: larger than {MAX_LEDGER_BYTES:,} bytes / 文件过大"
        raise LedgerError(msg)
    try:
        text = path.read_bytes().decode(encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError) as exc:
        hint = " (try --encoding gbk)" if encoding is None else ""
        msg = f"{display}: cannot decode as {encoding or 'UTF-8'}{hint} / 文件编码无法识别"
        raise LedgerError(msg) from exc
    return _rows(_csv_records(text, display), display)
