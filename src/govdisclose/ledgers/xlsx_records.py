"""The records of an .xlsx ledger's first sheet, read with python-calamine or openpyxl.

python-calamine (Rust) reads a sheet ten times faster than openpyxl, but it builds the whole
sheet as a dense rectangle, from its first used cell to its last, before the first row can be
read.  A small hostile file can make that rectangle enormous (two cells, A1 and ALL1000000), so
the sheet is measured first (:func:`_dense_cells`, a scan of the cell references in the
worksheet XML): a sheet whose rectangle is over :data:`CALAMINE_MAX_CELLS`, or whose cells
cannot all be located, is streamed with openpyxl instead, row by row and in bounded memory, as
before.  openpyxl also stands in when python-calamine cannot be imported.  Both readers give the
same records: Excel row numbers, cells as text (:func:`cell_text`), at most
:data:`~govdisclose.ledgers.reading.MAX_XLSX_COLUMNS` columns.  openpyxl stays the writer of
workbooks (:mod:`govdisclose.outputs.xlsx`).
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import LedgerError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from .csv_records import Record

__all__ = ["CALAMINE_MAX_CELLS", "cell_text", "xlsx_records"]

#: Largest sheet rectangle (rows x columns, empty cells included) read with python-calamine;
#: each cell takes about 32 bytes there, so this holds it near 130 MB.  Bigger sheets are
#: streamed with openpyxl.
CALAMINE_MAX_CELLS = 4_000_000

_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
#: A cell element (any namespace prefix) and the reference in its ``r`` attribute.
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_CHUNK = 1 << 20


def cell_text(value: Any) -> str:
    """A cell as ledger text: dates as ISO dates, whole numbers without ``.0``, text stripped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _dense_cells(archive: zipfile.ZipFile) -> int | None:
    """The largest rectangle, A1 to the furthest cell, of any worksheet in ``archive`` (every
    sheet is measured: the first sheet's file name is not looked up); None when some cell has
    no reference, so that its place cannot be known without parsing."""
    largest = 0
    for info in archive.infolist():
        if not _WORKSHEET.fullmatch(info.filename):
            continue
        rows = columns = cells = located = 0
        carry = bytearray()  # the text after the last ">" read, which may hold a cut tag
        with archive.open(info) as member:
            while True:
                chunk = member.read(_CHUNK)
                cut = chunk.rfind(b">") + 1 if chunk else 0
                if chunk and not cut:
                    carry += chunk  # no tag ends in it: nothing to count yet
                    continue
                data = bytes(carry) + chunk[:cut] if chunk else bytes(carry)
                carry = bytearray(chunk[cut:])
                cells += len(_CELL.findall(data))
                refs = _CELL_REF.findall(data)
                if refs:
                    located += len(refs)
                    columns = max(columns, *map(_column_number, {c for c, _ in refs}))
                    rows = max(rows, *map(int, {r for _, r in refs}))
                if not chunk:
                    break
        if cells != located:
            return None
        largest = max(largest, rows * columns)
    return largest


def xlsx_records(path: Path, max_bytes: int, max_columns: int) -> Iterator[Record]:
    """The first sheet's rows as records, the Excel row number first.

    Raises:
        LedgerError: the workbook's uncompressed content is over ``max_bytes`` (checked before
            anything is inflated: a zip bomb is refused).
    """
    with zipfile.ZipFile(path) as archive:  # a zip bomb is refused before it is inflated
        size = sum(info.file_size for info in archive.infolist())
        if size > max_bytes:
            msg = (f"{path}: the workbook holds {size:,} bytes uncompressed, more than "
                   f"{max_bytes:,} / 工作簿过大")
            raise LedgerError(msg)
        dense = _dense_cells(archive)
    try:
        import python_calamine as calamine
    except ImportError:  # pragma: no cover - a platform without its wheel
        return _openpyxl_records(path, max_columns)
    if dense is None or dense > CALAMINE_MAX_CELLS:
        return _openpyxl_records(path, max_columns)
    return _calamine_records(calamine, path, max_columns)


def _calamine_records(module: Any, path: Path, max_columns: int) -> Iterator[Record]:
    workbook = module.CalamineWorkbook.from_path(str(path))
    try:
        sheet = workbook.get_sheet_by_index(0)
        if sheet.start is None:  # no cell at all: an empty ledger
            return
        first_row, first_column = sheet.start
        if first_row > 0:
            # Row 1, the header, is empty: openpyxl reads it so and the ledger is refused.
            # (python-calamine versions differ on whether the rows above the first used one
            # are yielded; this way neither matters.)
            yield 1, [], ()
            return
        # Columns start at the first used one: pad them so that every reader counts from A.
        pad = [""] * min(first_column, max_columns)
        room = max(max_columns - first_column, 0)
        for number, row in enumerate(sheet.iter_rows(), 1):
            yield number, pad + [cell_text(v) for v in row[:room]], ()
    finally:
        workbook.close()


def _openpyxl_records(path: Path, max_columns: int) -> Iterator[Record]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the stored dimension may claim a million empty rows
        rows = sheet.iter_rows(max_col=max_columns, values_only=True)
        for number, row in enumerate(rows, 1):
            yield number, [cell_text(v) for v in row], ()
    finally:
        book.close()
