"""Reading workbooks and registers for ``govdisclose annual-report check``.

:func:`read_xlsx_report` tells the register workbook (``annual-report template``, filled in;
known by its sheet names) from a workbook holding the table of section 三 (``annual-report
--xlsx``, or the same table typed by hand), whose column headings and row labels are found by
the format's own spellings (:attr:`TableFormat.column_index`, :attr:`TableFormat.row_index`):
the header is the row naming the most columns, with up to three rows above it for merged
headings; a data row is a row below it whose label cells name a data row of the format.
The register (xlsx, YAML or JSON) is read by :func:`~.register.read_register`; each of its
problems becomes a finding.  Limits are the ledger reader's (bytes uncompressed, rows, columns);
openpyxl reads in read-only mode.
"""

from __future__ import annotations

import re
import zipfile
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._yaml import load_yaml_file
from ..errors import LedgerError, format_path
from ..ledgers.reading import MAX_LEDGER_BYTES, MAX_LEDGER_ROWS, MAX_XLSX_COLUMNS
from .check_figure_sheets import read_figure_sheet
from .check_model import (
    Finding,
    Location,
    ReadReport,
    Value,
    figure_labels,
    missing_requests,
    request_location,
)
from .format import bundled_formats, format_for_year
from .format_model import spelling_key, spelling_keys
from .register import read_register
from .register_sheets import REGISTER_KIND, SHEETS

if TYPE_CHECKING:
    from pathlib import Path

    from .format_model import TableFormat

__all__ = ["read_register_report", "read_xlsx_report", "read_yaml_register"]

_YEAR = re.compile(r"(\d{4})\s*年度")


# -- the register --------------------------------------------------------------------------------


def read_register_report(path: Path, file: str) -> ReadReport:
    from openpyxl.utils import get_column_letter

    findings: list[Finding] = []
    for problem in read_register(path).problems:
        where = problem.path
        label = str(where[-1]) if where and isinstance(where[-1], str) else ""
        if path.suffix.lower() in (".xlsx", ".xlsm") and problem.line and problem.column:
            sheet = str(where[0]) if where else None
            spot = f"{sheet}!{get_column_letter(problem.column)}{problem.line}"
            loc = Location(file, spot, None, None, label, label, sheet, problem.line,
                           problem.column)
        else:
            loc = Location(file, format_path(where), None, None, label, label)
        findings.append(Finding(problem.code, loc, problem.message_zh, problem.message_en))
    return ReadReport(file, "register", None, None, findings=tuple(findings))


def read_yaml_register(path: Path, file: str) -> ReadReport:
    doc = load_yaml_file(path, file)
    data = doc.data
    known = {s.key for s in SHEETS}
    if doc.problems or not isinstance(data, dict) or not (
            data.get("kind") == REGISTER_KIND or known & set(data)):
        msg = (f"{file}: not a register (年报数据) in YAML: no kind: {REGISTER_KIND} and none of "
               f"{', '.join(sorted(known))} / 不是年报数据登记表")
        raise LedgerError(msg)
    return read_register_report(path, file)


# -- workbooks -------------------------------------------------------------------------------------

_Rows = list[tuple[Any, ...]]


def _sheets(path: Path, file: str) -> tuple[list[str], list[tuple[str, _Rows]]]:
    """Sheet names, and every sheet's rows unless the workbook is a register."""
    import openpyxl

    with zipfile.ZipFile(path) as archive:  # a zip bomb is refused before it is inflated
        size = sum(info.file_size for info in archive.infolist())
    if size > MAX_LEDGER_BYTES:
        msg = f"{file}: the workbook holds {size:,} bytes uncompressed, more than " \
              f"{MAX_LEDGER_BYTES:,} / 工作簿过大"
        raise LedgerError(msg)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        names = list(book.sheetnames)
        register = {spelling_key(s.name) for s in SHEETS}
        if any(spelling_key(n) in register for n in names):
            return names, []
        out: list[tuple[str, _Rows]] = []
        for ws in book.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # the stored dimension may claim a million empty rows
            rows: _Rows = []
            for row in ws.iter_rows(max_col=MAX_XLSX_COLUMNS, values_only=True):
                if len(rows) >= MAX_LEDGER_ROWS:
                    msg = f"{file}: sheet {ws.title} has more than {MAX_LEDGER_ROWS:,} rows / 行数过多"
                    raise LedgerError(msg)
                rows.append(tuple(row))
            out.append((ws.title, rows))
        return names, out
    finally:
        book.close()


def _texts(row: tuple[Any, ...], stop: int | None = None) -> list[tuple[int, str]]:
    return [(j, v.strip()) for j, v in enumerate(row[:stop]) if isinstance(v, str) and v.strip()]


def _layout(fmt: TableFormat, rows: _Rows
            ) -> tuple[dict[str, int], dict[str, int]] | None:
    """Where ``fmt``'s columns (sheet column index) and data rows (sheet row index) are, or
    None when the sheet does not hold its table: the header is the row naming the most
    columns (with up to three rows above it for merged headings); data rows lie below it."""
    def columns_in(row: tuple[Any, ...]) -> dict[str, int]:
        found: dict[str, int] = {}
        for j, text in _texts(row):
            code = fmt.column_index.get(spelling_key(text))
            if code is not None and code not in found and code not in fmt_groups:
                found[code] = j
        return found

    fmt_groups = {c.group.code for c in fmt.columns if c.group is not None}
    scores = [len(columns_in(r)) for r in rows]
    if not scores or max(scores) * 2 < len(fmt.columns):
        return None
    bottom = scores.index(max(scores))
    columns: dict[str, int] = {}
    for r in range(bottom, max(bottom - 4, -1), -1):
        for col_code, j in columns_in(rows[r]).items():
            columns.setdefault(col_code, j)
    first = min(columns.values())
    data = {r.code for r in fmt.data_rows}
    placed: dict[str, int] = {}
    for i in range(bottom + 1, len(rows)):
        match: str | None = None
        for _, text in _texts(rows[i], first):
            row_code = next((fmt.row_index[k] for k in spelling_keys(text)
                             if k in fmt.row_index), None)
            if row_code in data:
                match = row_code
        if match is not None:
            placed.setdefault(match, i)
    if len(placed) * 2 < len(data):
        return None
    return columns, placed


def _figure_sheets(fmt: TableFormat, file: str, sheets: list[tuple[str, _Rows]],
                   findings: list[Finding]) -> dict[str, Value]:
    """The cells of 二 and 四 from the workbook's other sheets (``--full --xlsx``); when
    any is found, every cell the format declares must be (a ``structure.missing`` finding)."""
    figures: dict[str, Value] = {}
    sections = [s for s in (fmt.proactive, fmt.remedies) if s is not None]
    for section in sections:
        for name, rows in sheets:
            found = read_figure_sheet(section, file, name, rows)
            if found:
                figures.update(found)
                break
    if figures:
        for section in sections:
            for cell in section.cells:
                if cell.code not in figures:
                    zh, en = figure_labels(section, cell)
                    findings.append(Finding("structure.missing", Location(
                        file, section.heading, section.heading, cell.code, zh, en),
                        "表中没有这一格", "this cell is not in the table"))
    return figures


def read_xlsx_report(path: Path, file: str, override: TableFormat | None) -> ReadReport:
    from openpyxl.utils import get_column_letter

    names, sheets = _sheets(path, file)
    if not sheets and names:
        return read_register_report(path, file)
    for name, rows in sheets:
        years = [int(m.group(1)) for row in rows[:5] for _, t in _texts(row)
                 if (m := _YEAR.search(t))]
        year = years[0] if years else None
        candidates = ([override] if override is not None else
                      [format_for_year(year)] if year is not None and any(
                          f.applies_to(year) for f in bundled_formats())
                      else list(reversed(bundled_formats())))
        best = max(((fmt, _layout(fmt, rows)) for fmt in candidates),
                   key=lambda c: -1 if c[1] is None else len(c[1][1]))
        fmt, layout = best
        if layout is None:
            continue
        columns, placed = layout
        values: dict[tuple[str, str], Value] = {}
        for row_code, i in placed.items():
            for col_code, j in columns.items():
                spot = f"{name}!{get_column_letter(j + 1)}{i + 1}"
                raw = rows[i][j] if j < len(rows[i]) else None
                values[(row_code, col_code)] = Value(raw, request_location(
                    fmt, file, spot, row_code, col_code, sheet=name, line=i + 1, column=j + 1))
        findings: list[Finding] = []
        missing_requests(fmt, file, name, values, findings)
        figures = _figure_sheets(fmt, file, sheets, findings)
        return ReadReport(file, "full-xlsx" if figures else "requests-xlsx", year, fmt,
                          MappingProxyType(values), MappingProxyType(figures),
                          findings=tuple(findings))
    msg = (f"{file}: neither a register workbook (sheets {'、'.join(s.name for s in SHEETS)}) "
           f"nor a table of section 三 (no sheet has its column headings and row labels; sheets: "
           f"{', '.join(names) or 'none'}) / 既不是年报数据登记表，也不是第三部分表格")
    raise LedgerError(msg)
