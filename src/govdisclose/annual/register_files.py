"""Reading the agency register's files into rows: the input workbook (``.xlsx``) and its
YAML/JSON form.  :mod:`.register` checks every cell of the rows read here.

The limits are the ledger reader's (:mod:`govdisclose.ledgers.reading`): at most
:data:`~govdisclose.ledgers.reading.MAX_LEDGER_BYTES` uncompressed in a workbook, at most
:data:`~govdisclose.ledgers.reading.MAX_LEDGER_ROWS` data rows in a sheet, at most
:data:`~govdisclose.ledgers.reading.MAX_XLSX_COLUMNS` columns, cells of at most
:data:`~govdisclose.ledgers.reading.MAX_FIELD_CHARS` characters (checked per cell); YAML within
:mod:`govdisclose._yaml`'s own limits.  Unknown sheets and columns are located problems, not
silently ignored.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from .._yaml import load_yaml_file
from ..errors import LedgerError, Problem
from ..ledgers.reading import MAX_LEDGER_BYTES, MAX_LEDGER_ROWS, MAX_XLSX_COLUMNS
from .format_model import spelling_key
from .register_sheets import INSTRUCTIONS_SHEET, REGISTER_KIND, SHEETS, Sheet

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["RawRow", "RowRef", "read_register_rows"]

@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RowRef(FieldRepr):
    """Where a record came from: a sheet (by key and as named in the file) and its row —
    the Excel row number, or the 1-based item number of the YAML list."""

    sheet: str
    name: str
    row: int
    form: str = "xlsx"  # or "yaml"

    @property
    def zh(self) -> str:
        return f"“{self.name}”第 {self.row} 行" if self.form == "xlsx" else \
            f"{self.sheet} 第 {self.row} 项"

    @property
    def en(self) -> str:
        return f"sheet {self.name} row {self.row}" if self.form == "xlsx" else \
            f"{self.sheet} item {self.row}"

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RawRow(FieldRepr):
    """One data row as found in the file: raw cell values by column key, and where each is
    (line, column, path) for problems."""

    sheet: Sheet
    ref: RowRef
    file: str
    cells: Mapping[str, Any]
    where: Mapping[str, tuple[int | None, int | None, tuple[str | int, ...]]]

    def problem(self, key: str, code: str, zh: str, en: str) -> Problem:
        line, column, path = self.where.get(key) or self.where.get("", (None, None, ()))
        header = self.sheet.column(key).header if key else ""
        zh_at = f"{self.ref.zh}“{header}”" if header else self.ref.zh
        en_at = f"{self.ref.en}, column {header} ({key})" if header else self.ref.en
        return Problem(f"register.{code}", f"{zh_at}：{zh}", f"{en_at}: {en}", self.file, line,
                       column, path)



_Where = tuple[int | None, int | None, tuple[str | int, ...]]
_Read = tuple[str, list[RawRow], list[Problem], list[RowRef]]


def _sheet_named(name: str) -> Sheet | None:
    key = spelling_key(name)
    return next((s for s in SHEETS if key in (spelling_key(s.name), spelling_key(s.key))), None)


def _problem(file: str, where: _Where, code: str, zh: str, en: str) -> Problem:
    return Problem(f"register.{code}", zh, en, file, where[0], where[1], where[2])


def _too_many(file: str, name: str) -> LedgerError:
    return LedgerError(f"{file}: sheet {name} has more than {MAX_LEDGER_ROWS:,} rows / "
                       f"工作表“{name}”超过 {MAX_LEDGER_ROWS} 行")


def _unknown_sheet(file: str, name: str, where: _Where) -> Problem:
    known = "、".join(s.name for s in SHEETS)
    return _problem(file, where, "unknown_sheet", f"不认识的工作表“{name}”，未读取（可用：{known}）",
                    f"unknown sheet {name!r}, not read (known: "
                    f"{', '.join(s.key for s in SHEETS)})")


def _header(file: str, sheet: Sheet, name: str, cells: list[tuple[str, _Where]],
            problems: list[Problem]) -> tuple[dict[str, int], bool]:
    """Column key -> position; and whether every required column is there."""
    found: dict[str, int] = {}
    for i, (text, where) in enumerate(cells):
        if not text:
            continue
        key = spelling_key(text)
        column = next((c for c in sheet.columns if key in map(spelling_key, c.headers)), None)
        if column is None:
            known = "、".join(c.header for c in sheet.columns)
            problems.append(_problem(file, where, "unknown_column",
                                     f"“{name}”的列“{text}”不认识，未读取（可用：{known}）",
                                     f"sheet {name}: unknown column {text!r}, not read (known: "
                                     f"{', '.join(c.key for c in sheet.columns)})"))
        elif column.key in found:
            problems.append(_problem(file, where, "duplicate_column", f"“{name}”的列“{text}”重复",
                                     f"sheet {name}: column {text!r} appears twice"))
        else:
            found[column.key] = i
    missing = [c for c in sheet.columns if c.required and c.key not in found]
    for column in missing:
        where = cells[0][1] if cells else (None, None, (name,))
        problems.append(_problem(
            file, where, "missing_column",
            f"“{name}”缺少必需的列“{column.header}”；本表各行都无法使用",
            f"sheet {name} has no {column.header} ({column.key}) column; none of its rows "
            "can be used"))
    return found, not missing


def _xlsx(path: Path, file: str) -> _Read:
    import openpyxl

    with zipfile.ZipFile(path) as archive:  # a zip bomb is refused before it is inflated
        size = sum(info.file_size for info in archive.infolist())
    if size > MAX_LEDGER_BYTES:
        msg = f"{file}: the workbook holds {size:,} bytes uncompressed, more than " \
              f"{MAX_LEDGER_BYTES:,} / 工作簿过大"
        raise LedgerError(msg)
    rows: list[RawRow] = []
    problems: list[Problem] = []
    rejected: list[RowRef] = []
    seen: set[str] = set()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in book.worksheets:
            name = ws.title
            sheet = _sheet_named(name)
            if name == INSTRUCTIONS_SHEET:
                continue
            if sheet is None or sheet.key in seen:
                problems.append(_unknown_sheet(file, name, (None, None, (name,))) if sheet is None
                                else _problem(file, (None, None, (name,)), "duplicate_sheet",
                                              f"工作表“{name}”与前面的工作表重复，未读取",
                                              f"sheet {name} repeats an earlier sheet; not read"))
                continue
            seen.add(sheet.key)
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # the stored dimension may claim a million empty rows
            values = ws.iter_rows(max_col=MAX_XLSX_COLUMNS, values_only=True)
            first = next(values, None)
            header: list[tuple[str, _Where]] = [
                ("" if v is None else str(v).strip(), (1, i + 1, (name, 1)))
                for i, v in enumerate(first or ())]
            columns, usable = _header(file, sheet, name, header, problems)
            count = 0
            for number, cells in enumerate(values, 2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                    continue
                count += 1
                if count > MAX_LEDGER_ROWS:
                    raise _too_many(file, name)
                ref = RowRef(sheet.key, name, number)
                if not usable:
                    rejected.append(ref)
                    continue
                got = {k: cells[i] if i < len(cells) else None for k, i in columns.items()}
                where: dict[str, _Where] = {
                    k: (number, i + 1, (name, number, sheet.column(k).header))
                    for k, i in columns.items()}
                where[""] = (number, None, (name, number))
                rows.append(RawRow(sheet, ref, file, got, where))
    finally:
        book.close()
    return file, rows, problems, rejected


def _yaml(path: Path, file: str) -> _Read:
    doc = load_yaml_file(path, file)
    if doc.problems:
        msg = f"{file}: not a readable register: {doc.problems[0]}"
        raise LedgerError(msg)
    rows: list[RawRow] = []
    problems: list[Problem] = []
    rejected: list[RowRef] = []
    if doc.data is None:
        return file, rows, problems, rejected
    if not isinstance(doc.data, dict):
        msg = f"{file}: a register is a mapping of sheets (documents, decisions, …) / 格式不对"
        raise LedgerError(msg)

    def where(*at: str | int) -> _Where:
        line, column = doc.locate(at)
        return line, column, at

    for key, items in doc.data.items():
        if key == "kind":
            if items != REGISTER_KIND:
                problems.append(_problem(file, where(key), "kind", f"kind 应为 {REGISTER_KIND}",
                                         f"kind must be {REGISTER_KIND}"))
            continue
        sheet = next((s for s in SHEETS if s.key == key), None)
        if sheet is None:
            problems.append(_unknown_sheet(file, str(key), where(str(key))))
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(_problem(file, where(key), "not_a_list", f"{key} 应为列表",
                                     f"{key} must be a list of records"))
            continue
        if len(items) > MAX_LEDGER_ROWS:
            raise _too_many(file, key)
        for i, item in enumerate(items):
            ref = RowRef(key, key, i + 1, "yaml")
            if not isinstance(item, dict):
                problems.append(_problem(file, where(key, i), "not_a_record",
                                         f"{ref.zh}：应为一条记录（键值对）",
                                         f"{ref.en}: must be a mapping of columns"))
                rejected.append(ref)
                continue
            known = {c.key for c in sheet.columns}
            for extra in (k for k in item if k not in known):
                problems.append(_problem(
                    file, where(key, i, str(extra)), "unknown_column",
                    f"{ref.zh}：不认识的键 {extra}，未读取（可用：{', '.join(sorted(known))}）",
                    f"{ref.en}: unknown key {extra!r}, not read (known: "
                    f"{', '.join(sorted(known))})"))
            spots = {c: where(key, i, c) for c in known}
            spots[""] = where(key, i)
            rows.append(RawRow(sheet, ref, file, {k: item.get(k) for k in known}, spots))
    return file, rows, problems, rejected


def read_register_rows(path: Path) -> _Read:
    """``(file, rows, problems, rejected)`` of a register file, not yet checked cell by cell.

    Raises:
        LedgerError: the file cannot be read at all, or is over the limits.
    """
    file = str(path)
    if not path.is_file():
        msg = f"{file}: no such file / 文件不存在"
        raise LedgerError(msg)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        return _yaml(path, file)
    if suffix not in (".xlsx", ".xlsm"):
        msg = f"{file}: a register is an .xlsx workbook or a .yaml/.json file / 登记表应为 xlsx 或 YAML"
        raise LedgerError(msg)
    try:
        return _xlsx(path, file)
    except LedgerError:
        raise
    except Exception as exc:  # any openpyxl failure means the file is unreadable
        msg = f"{file}: not a readable Excel file ({exc}) / 无法读取 Excel 文件"
        raise LedgerError(msg) from exc
