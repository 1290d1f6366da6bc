"""Reading a report for ``govdisclose annual-report check``: which kind of file it is, and its
values, each with its cell (:class:`~.check_model.Location`).

- ``.json`` with ``kind: annual-report`` — the ``annual-report --json`` of section 三;
  ``kind: annual-report-full`` — the whole report (``--register … --json``): 三, the cells of
  二 and 四, and the drafted paragraphs of 一, 五, 六 with their ``figures``;
  ``kind: annual-register`` — the register in its JSON form.
- ``.yaml``/``.yml`` — the register in its YAML form.
- ``.xlsx``/``.xlsm`` — the register workbook (``annual-report template``, filled in; known by
  its sheet names) or a workbook holding the table of section 三 (``annual-report --xlsx``, or
  the same table typed by hand): its row labels and column headings are found by the format's
  own spellings (:mod:`.check_sheets`).

Anything else raises :class:`~govdisclose.errors.LedgerError` (exit 2).  Limits are the ledger
reader's: bytes (:data:`MAX_LEDGER_BYTES`, uncompressed for a workbook), rows per sheet
(:data:`MAX_LEDGER_ROWS`), columns (:data:`MAX_XLSX_COLUMNS`); workbooks are read with openpyxl
in read-only mode.
"""

from __future__ import annotations

import json
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..errors import AnnualReportError, LedgerError, format_path
from ..ledgers.reading import MAX_LEDGER_BYTES
from .check_model import (
    Finding,
    Location,
    Paragraph,
    ReadReport,
    Value,
    figure_labels,
    missing_requests,
    request_location,
)
from .check_sheets import read_register_report, read_xlsx_report, read_yaml_register
from .format import bundled_formats, format_for_year
from .register_sheets import REGISTER_KIND

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from .format_model import TableFormat

__all__ = ["read_report"]

_NARRATIVE = ("overview", "problems_and_improvements", "other_matters")


# -- the format ----------------------------------------------------------------------------------


def _format(file: str, year: int | None, format_id: object, override: TableFormat | None
            ) -> TableFormat:
    if override is not None:
        return override
    for fmt in bundled_formats():
        if fmt.id == format_id and (year is None or fmt.applies_to(year)):
            return fmt
    if year is None:
        msg = f"{file}: no reporting year and no known format / 没有报告年度，也没有可识别的格式"
        raise LedgerError(msg)
    try:
        return format_for_year(year)
    except AnnualReportError as exc:
        raise LedgerError(f"{file}: {exc}") from exc


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# -- JSON ------------------------------------------------------------------------------------------


def _no_constant(name: str) -> object:
    msg = f"{name} is not a number"
    raise ValueError(msg)


def _load_json(path: Path, file: str) -> object:
    if path.stat().st_size > MAX_LEDGER_BYTES:
        msg = f"{file}: larger than {MAX_LEDGER_BYTES:,} bytes / 文件过大"
        raise LedgerError(msg)
    try:
        text = path.read_bytes().decode("utf-8-sig")
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        msg = f"{file}: not readable JSON ({exc}) / 不是可读取的 JSON"
        raise LedgerError(msg) from exc


def _structure(file: str, path: tuple[str | int, ...], code: str, zh: str, en: str,
               section: str | None) -> Finding:
    return Finding(f"structure.{code}", Location(file, format_path(path), section), zh, en)


def _requests_json(doc: Mapping[str, Any], prefix: tuple[str | int, ...], fmt: TableFormat,
                   file: str, findings: list[Finding]) -> dict[tuple[str, str], Value]:
    columns, rows = doc.get("columns"), doc.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        msg = f"{file}: {format_path(prefix)} has no columns and rows / 没有 columns 和 rows"
        raise LedgerError(msg)
    section = fmt.section
    col_codes = [c.get("code") if isinstance(c, dict) else None for c in columns]
    known_cols = {c.code for c in fmt.columns}
    data_rows = {r.code for r in fmt.data_rows}
    for j, code in enumerate(col_codes):
        if code not in known_cols:
            findings.append(_structure(file, (*prefix, "columns", j), "unknown",
                                       f"格式中没有列 {code!r}", f"the format has no column "
                                       f"{code!r}", section))
    out: dict[tuple[str, str], Value] = {}
    for i, row in enumerate(rows):
        code = row.get("code") if isinstance(row, dict) else None
        values = row.get("values") if isinstance(row, dict) else None
        if code not in data_rows or (row_code := str(code)) in {r for r, _ in out}:
            findings.append(_structure(file, (*prefix, "rows", i), "unknown",
                                       f"格式中没有数据行 {code!r}（或重复）",
                                       f"the format has no data row {code!r} (or it repeats)",
                                       section))
            continue
        values = values if isinstance(values, list) else []
        for j, col in enumerate(col_codes):
            if col in known_cols:
                path = format_path((*prefix, "rows", i, "values", j))
                out[(row_code, str(col))] = Value(
                    values[j] if j < len(values) else None,
                    request_location(fmt, file, path, row_code, str(col)))
    missing_requests(fmt, file, format_path((*prefix, "rows")), out, findings)
    return out


def _figures_json(doc: Mapping[str, Any], fmt: TableFormat, file: str,
                  findings: list[Finding]) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for key, section in (("proactive", fmt.proactive), ("remedies", fmt.remedies)):
        raw = doc.get(key)
        if section is None:
            continue
        cells = {c.code: c for c in section.cells}
        items = raw.get("cells") if isinstance(raw, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else ()):
            code = item.get("code") if isinstance(item, dict) else None
            if code not in cells or str(code) in out:
                findings.append(_structure(file, ("sections", key, "cells", i), "unknown",
                                           f"格式中没有单元格 {code!r}（或重复）",
                                           f"the format has no cell {code!r} (or it repeats)",
                                           section.heading))
                continue
            cell = cells[str(code)]
            zh, en = figure_labels(section, cell)
            path = format_path(("sections", key, "cells", i, "value"))
            out[cell.code] = Value(item.get("value"),
                                   Location(file, path, section.heading, cell.code, zh, en))
        for cell in section.cells:
            if cell.code not in out:
                zh, en = figure_labels(section, cell)
                loc = Location(file, format_path(("sections", key, "cells")), section.heading,
                               cell.code, zh, en)
                findings.append(Finding("structure.missing", loc, "表中没有这一格",
                                        "this cell is not in the table"))
    return out


def _paragraphs(doc: Mapping[str, Any], file: str) -> tuple[Paragraph, ...]:
    out: list[Paragraph] = []
    for key in _NARRATIVE:
        section = doc.get(key)
        if not isinstance(section, dict) or not isinstance(section.get("paragraphs"), list):
            continue
        heading = str(section.get("heading") or key)
        for i, para in enumerate(section["paragraphs"]):
            if not isinstance(para, dict):
                continue
            base = ("sections", key, "paragraphs", i)
            sentences = para.get("sentences")
            figures = para.get("figures")
            out.append(Paragraph(
                format_path(base), heading,
                tuple(str(s) for s in sentences) if isinstance(sentences, list) else (),
                tuple((str(code), Value(value, Location(
                    file, format_path((*base, "figures", str(code))), heading, str(code))))
                      for code, value in (figures.items() if isinstance(figures, dict) else ()))))
    return tuple(out)


def _json_report(path: Path, file: str, override: TableFormat | None) -> ReadReport:
    data = _load_json(path, file)
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(data, dict) or kind not in ("annual-report", "annual-report-full",
                                                  REGISTER_KIND):
        msg = (f"{file}: not a report this tool writes (kind {kind!r}; expected annual-report, "
               f"annual-report-full or {REGISTER_KIND}) / 不是本工具输出的年报表格或年报数据")
        raise LedgerError(msg)
    if kind == REGISTER_KIND:
        return read_register_report(path, file)
    year = _year(data.get("year"))
    findings: list[Finding] = []
    if kind == "annual-report":
        fmt_id = data["format"].get("id") if isinstance(data.get("format"), dict) else None
        fmt = _format(file, year, fmt_id, override)
        requests = _requests_json(data, (), fmt, file, findings)
        return ReadReport(file, "requests-json", year, fmt, MappingProxyType(requests),
                          findings=tuple(findings))
    fmt = _format(file, year, data.get("format"), override)
    sections = data.get("sections")
    if not isinstance(sections, dict) or not isinstance(sections.get("requests"), dict):
        msg = f"{file}: the full report has no sections.requests / 整份报告缺少第三部分"
        raise LedgerError(msg)
    requests = _requests_json(sections["requests"], ("sections", "requests"), fmt, file,
                              findings)
    figures = _figures_json(sections, fmt, file, findings)
    return ReadReport(file, "full-json", year, fmt, MappingProxyType(requests),
                      MappingProxyType(figures), _paragraphs(sections, file), tuple(findings))


def read_report(path: Path, table_format: TableFormat | None = None) -> ReadReport:
    """Read ``path`` as one of the kinds above (``table_format`` overrides the format chosen
    by the file's reporting year).

    Raises:
        LedgerError: the file does not exist, cannot be read, is over the limits, or is none of
            the kinds ``check`` reads.
    """
    file = str(path)
    if not path.is_file():
        msg = f"{file}: no such file / 文件不存在"
        raise LedgerError(msg)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _json_report(path, file, table_format)
    if suffix in (".yaml", ".yml"):
        return read_yaml_register(path, file)
    if suffix in (".xlsx", ".xlsm"):
        try:
            return read_xlsx_report(path, file, table_format)
        except LedgerError:
            raise
        except Exception as exc:  # any openpyxl failure means the file is unreadable
            msg = f"{file}: not a readable Excel file ({exc}) / 无法读取 Excel 文件"
            raise LedgerError(msg) from exc
    msg = (f"{file}: check reads .json, .xlsx or .yaml (a report's tables as annual-report "
           f"writes them, or the register) / 只能检查 .json、.xlsx 或 .yaml 文件")
    raise LedgerError(msg)

