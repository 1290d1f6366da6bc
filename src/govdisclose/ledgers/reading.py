"""Ledgers (台账) of requests: CSV (UTF-8 with or without BOM, or GBK when asked), .xlsx, or
Parquet.

Headers may be English column names or their Chinese equivalents (see ``COLUMNS``);
unknown columns are kept and reported, never silently dropped.  Every data row is
returned, in file order, with the line (CSV) or row number (Excel) it came from.

:func:`read_ledger` returns every row at once (the annual report uses it);
:func:`open_ledger` checks a file whole and then hands its rows on one at a time
(:class:`LedgerStream`), for an audit in bounded memory.  The records come from
:mod:`.csv_records`, :mod:`.xlsx_records` (python-calamine or openpyxl) or, with the optional
extra ``scale``, :mod:`.parquet_records`.

Reading is bounded (docs/security.md, "Limits"): a cell longer than
:data:`MAX_FIELD_CHARS`, a CSV quote never closed or other malformed CSV make a problem of
that row only (:attr:`LedgerRow.problems`; the audit lists the row as invalid); a file over
:data:`MAX_LEDGER_BYTES` or with more than :data:`MAX_LEDGER_ROWS` rows is refused whole.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from .._dates import parse_date
from .._repr import FieldRepr
from ..errors import LedgerError, Problem
from ..rulebook.events import REQUEST_EVENTS
from .csv_records import count_plain_rows, csv_records
from .xlsx_records import xlsx_records

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator, Mapping
    from datetime import date

    from .csv_records import Record
    from .raw_rows import RawRow

__all__ = ["COLUMNS", "FIELD_COLUMNS", "MAX_FIELD_CHARS", "MAX_LEDGER_BYTES", "MAX_LEDGER_ROWS",
           "MAX_XLSX_COLUMNS", "FieldColumn", "Ledger", "LedgerError", "LedgerRow",
           "LedgerStream", "header_columns", "is_parquet", "open_ledger", "parse_ledger_date",
           "read_ledger", "row_values"]

#: Longest cell, in characters: Excel's own limit per cell.  A longer cell (CSV, or an .xlsx
#: not written by Excel) makes its row invalid and is read as empty.
MAX_FIELD_CHARS = 32_767
#: Most data rows (blank lines not counted); a ledger with more is refused.
MAX_LEDGER_ROWS = 1_000_000
#: Largest CSV file, and largest uncompressed .xlsx content, in bytes.
MAX_LEDGER_BYTES = 256 * 1024 * 1024
#: Columns read from an .xlsx sheet (cells further right are not read).
MAX_XLSX_COLUMNS = 1_000


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FieldColumn(FieldRepr):
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


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LedgerRow(FieldRepr):
    """One data row: ``values`` maps canonical columns to their text ('' when empty)."""

    number: int  # 1-based position among data rows
    line: int  # CSV line or Excel row number
    values: Mapping[str, str]
    extra: Mapping[str, str]  # columns govdisclose does not know, kept as given
    #: why the row could not be read as written (an over-long cell, a quote never closed);
    #: such a row is invalid whatever its values say.
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Ledger(FieldRepr):
    file: str
    columns: tuple[str, ...]  # canonical columns present
    unknown_columns: tuple[str, ...]
    rows: tuple[LedgerRow, ...]


def header_columns(cells: list[str], file: str) -> tuple[dict[int, str], dict[int, str]]:
    """A header row read: column index -> canonical column, and -> unknown header.

    Raises:
        LedgerError: a column appears twice, or ``id`` or ``received_on`` is missing.
    """
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


def _start(records: Iterator[Record], file: str) -> tuple[dict[int, str], dict[int, str]]:
    """Read the header record: column index -> canonical name, and -> unknown header."""
    try:
        _, header, header_problems = next(records)
    except StopIteration:
        msg = f"{file}: the ledger is empty / 台账为空"
        raise LedgerError(msg) from None
    if header_problems:
        msg = f"{file}: the header row cannot be read: {header_problems[0]}"
        raise LedgerError(msg)
    return header_columns(header, file)


def _iter_rows(records: Iterator[Record], file: str, known: dict[int, str],
               unknown: dict[int, str]) -> Iterator[LedgerRow]:
    """The data rows after the header, numbered from 1; blank lines are not rows.

    Raises:
        LedgerError: past :data:`MAX_LEDGER_ROWS` rows.
    """
    count = 0
    for line, cells, read_problems in records:
        if not read_problems and not "".join(cells).strip():
            continue  # a blank line is not a row
        if count == MAX_LEDGER_ROWS:
            raise _too_many(file)
        count += 1
        values, extra, problems = row_values(cells, known, unknown, file, line, read_problems)
        yield LedgerRow(count, line, MappingProxyType(values), MappingProxyType(extra),
                        problems)


def row_values(cells: list[str], known: dict[int, str], unknown: dict[int, str], file: str,
               line: int, read_problems: tuple[Problem, ...] = ()
               ) -> tuple[dict[str, str], dict[str, str], tuple[Problem, ...]]:
    """A record's cells as canonical values and unknown columns' values, and its problems:
    ``read_problems`` and every cell over :data:`MAX_FIELD_CHARS` (read as empty)."""
    problems = list(read_problems)
    for i, cell in enumerate(cells):
        if len(cell) > MAX_FIELD_CHARS:
            name = known.get(i) or unknown.get(i) or f"#{i + 1}"
            problems.append(_too_long(file, line, name))
            cells[i] = ""
    values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in known.items()}
    extra = {name: (cells[i].strip() if i < len(cells) else "") for i, name in unknown.items()}
    return values, extra, tuple(problems)


def _too_many(file: str) -> LedgerError:
    return LedgerError(f"{file}: more than {MAX_LEDGER_ROWS:,} rows; split the ledger / "
                       f"台账超过 {MAX_LEDGER_ROWS} 行，请拆分")


def _too_long(file: str, line: int, column: str) -> Problem:
    return Problem("ledger.field_too_long",
                   f"第 {line} 行的 {column} 超过 {MAX_FIELD_CHARS} 个字符的上限，未读取",
                   f"the {column} cell is longer than the limit of {MAX_FIELD_CHARS} characters "
                   "and was not read", file, line, None, (column,))


def _records(path: Path, display: str, encoding: str | None,
             quoted: bool = True) -> Iterator[Record]:
    """The file's records; the checks that refuse it whole before any row is read (size,
    encoding) are :func:`_check_file`'s, which also says whether a CSV file has quotes."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx(path, display)
    if is_parquet(path):
        from .parquet_records import parquet_records  # pyarrow, the optional extra scale

        return parquet_records(path, MAX_LEDGER_BYTES, MAX_XLSX_COLUMNS)
    return _csv(path, display, encoding, quoted)


def is_parquet(path: Path) -> bool:
    """Whether ``path`` is read as Parquet: a ``.parquet`` file, or a directory (of them)."""
    return path.suffix.lower() in (".parquet", ".pq") or path.is_dir()


def _xlsx(path: Path, display: str) -> Iterator[Record]:
    try:
        yield from xlsx_records(path, MAX_LEDGER_BYTES, MAX_XLSX_COLUMNS)
    except LedgerError:
        raise
    except Exception as exc:  # any reader failure means the file is unreadable
        msg = f"{display}: not a readable Excel file ({exc}) / 无法读取 Excel 文件"
        raise LedgerError(msg) from exc


def _csv(path: Path, display: str, encoding: str | None, quoted: bool) -> Iterator[Record]:
    with path.open(encoding=encoding or "utf-8-sig", newline="") as handle:
        yield from csv_records(handle, display, _too_long, quoted=quoted)


def _check_file(path: Path, display: str, encoding: str | None) -> bool:
    """Refuse a ledger that is missing, too large, or (CSV) not in its encoding, before
    anything is read.  The CSV is decoded a megabyte at a time and nothing is kept.

    Returns whether the file may hold a quote (``"``): a CSV file without one is read a line
    a record, much faster (:func:`.csv_records.csv_records`).
    """
    if not path.is_file() and not (path.is_dir() and is_parquet(path)):
        msg = f"{display}: no such file / 文件不存在"
        raise LedgerError(msg)
    if path.suffix.lower() in (".xlsx", ".xlsm") or is_parquet(path):
        return True
    if path.stat().st_size > MAX_LEDGER_BYTES:
        msg = f"{display}: larger than {MAX_LEDGER_BYTES:,} bytes / 文件过大"
        raise LedgerError(msg)
    quoted = False
    try:
        decoder = codecs.getincrementaldecoder(encoding or "utf-8-sig")()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                quoted = '"' in decoder.decode(chunk) or quoted
        quoted = '"' in decoder.decode(b"", final=True) or quoted
    except (UnicodeDecodeError, LookupError) as exc:
        hint = " (try --encoding gbk)" if encoding is None else ""
        msg = f"{display}: cannot decode as {encoding or 'UTF-8'}{hint} / 文件编码无法识别"
        raise LedgerError(msg) from exc
    return quoted


def read_ledger(path: str | os.PathLike[str], *, encoding: str | None = None) -> Ledger:
    """Read a ledger file, every row in memory (:func:`open_ledger` streams them).

    Args:
        path: a ``.csv`` or ``.xlsx`` file (a ``str`` or any path-like).
        encoding: for CSV; default UTF-8 (a BOM is accepted). Pass ``gbk`` for GBK files.

    Raises:
        LedgerError: the file cannot be read, decoded or has no ``id``/``received_on`` column.
    """
    display, path = str(path), Path(path)
    quoted = _check_file(path, display, encoding)
    records = _records(path, display, encoding, quoted)
    known, unknown = _start(records, display)
    rows = tuple(_iter_rows(records, display, known, unknown))
    return Ledger(display, tuple(known.values()), tuple(unknown.values()), rows)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LedgerStream(FieldRepr):
    """A ledger checked whole, whose rows are read again, one at a time, by :meth:`rows`.

    Made by :func:`open_ledger`, which has read the file once to the end, so that every
    reason to refuse it (its size, its encoding, its header, more than
    :data:`MAX_LEDGER_ROWS` rows, a file that is not CSV at all) is known before the first
    row is used: an audit never writes half a report for a ledger it then refuses.
    """

    path: Path
    file: str  # the path as given, as the outputs show it
    encoding: str | None
    columns: tuple[str, ...]  # canonical columns present
    unknown_columns: tuple[str, ...]
    count: int  # data rows
    #: column index -> canonical column, and -> unknown header (for :func:`build_row`)
    known: tuple[tuple[int, str], ...] = ()
    unknown: tuple[tuple[int, str], ...] = ()
    quoted: bool = True  # whether the file may hold a quote (CSV without one reads faster)

    def _body(self) -> Iterator[Record]:
        records = _records(self.path, self.file, self.encoding, self.quoted)
        known, unknown = _start(records, self.file)
        if (tuple(known.items()), tuple(unknown.items())) != (self.known, self.unknown):
            msg = f"{self.file}: the ledger changed while it was read / 台账在读取时被修改"
            raise LedgerError(msg)
        return records

    def rows(self) -> Iterator[LedgerRow]:
        """Every data row, in file order, the same rows :func:`read_ledger` returns.

        Raises:
            LedgerError: the file changed since it was opened and is now refused.
        """
        yield from _iter_rows(self._body(), self.file, dict(self.known), dict(self.unknown))

    def raw_rows(self) -> Iterator[RawRow]:
        """The rows of :meth:`rows` as read, not yet built (:func:`.raw_rows.build_row`):
        the audit reads these (and sends them to its workers), and reads each row's values
        straight from its cells (:class:`.raw_rows.RawValues`)."""
        count = 0
        for line, cells, read_problems in self._body():
            if not read_problems and not "".join(cells).strip():
                continue  # a blank line is not a row
            if count == MAX_LEDGER_ROWS:
                raise _too_many(self.file)
            count += 1
            yield count, line, cells, read_problems

    def id_index(self) -> int:
        """The index of the ``id`` cell (for :func:`.raw_rows.raw_id`)."""
        return next(i for i, name in self.known if name == "id")


def open_ledger(path: str | os.PathLike[str], *, encoding: str | None = None) -> LedgerStream:
    """Check a ledger file whole and return it as a :class:`LedgerStream`.

    Memory stays bounded whatever the number of rows: the file is read twice (here, and by
    :meth:`LedgerStream.rows`) and no row is kept.

    Raises:
        LedgerError: as :func:`read_ledger`.
    """
    display, path = str(path), Path(path)
    quoted = _check_file(path, display, encoding)
    records = _records(path, display, encoding, quoted)
    known, unknown = _start(records, display)
    if not quoted:  # a CSV file (the others say quoted) without a quote: counted fast
        with path.open(encoding=encoding or "utf-8-sig", newline="") as handle:
            count = count_plain_rows(handle, display, _too_long, MAX_LEDGER_ROWS,
                                     lambda: _too_many(display))
    else:
        count = 0
        for _, cells, problems in records:  # _iter_rows's count and limit, no row built
            if problems or "".join(cells).strip():
                count += 1
                if count > MAX_LEDGER_ROWS:
                    raise _too_many(display)
    return LedgerStream(path, display, encoding, tuple(known.values()),
                        tuple(unknown.values()), count, tuple(known.items()),
                        tuple(unknown.items()), quoted)
