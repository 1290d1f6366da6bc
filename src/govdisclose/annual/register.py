"""The agency register (年报数据): what an agency records through the year for sections 二, 四
and 六 of its annual report, read from the input workbook or its YAML/JSON form.

The sheets and columns are defined in :mod:`.register_sheets` (``govdisclose annual-report
template`` writes them); the files are read by :mod:`.register_files` within the ledger
reader's limits.  Every cell is checked: a cell that cannot be used is a located
:class:`~govdisclose.errors.Problem` (sheet, row, column; Chinese and English) and its row is
listed in :attr:`Register.rejected`, never silently dropped.  A file that cannot be read at all
raises :class:`~govdisclose.errors.LedgerError`.  The figures are computed by :mod:`.sections`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..errors import LedgerError, Problem
from ..ledgers.reading import MAX_FIELD_CHARS, parse_ledger_date
from ..ledgers.xlsx_records import cell_text
from .register_files import RawRow, RowRef, read_register_rows
from .register_sheets import SHEETS, Column, choose

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

__all__ = ["Case", "Decision", "Declaration", "Document", "Fee", "LedgerError", "ProcessingFee",
           "RawRow", "Register", "RowRef", "build_register", "read_register"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Document(FieldRepr):
    """A 规章 (``rules``) or 行政规范性文件 (``normative_documents``).

    ``issued_only``: a record from the item ledger (:mod:`.items`), which does not record
    repeal or expiry; it counts in 本年制发件数 only."""

    kind: str
    title: str
    number: str | None
    issued_on: date
    repealed_on: date | None
    expired_on: date | None
    source: RowRef
    issued_only: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Decision(FieldRepr):
    """Decisions of one kind (``licensing``, ``penalty``, ``coercion``): a yearly count
    (``decided_on`` None) or ``count`` decisions (usually 1) on one day."""

    kind: str
    year: int
    count: int
    decided_on: date | None
    id: str | None
    source: RowRef


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Fee(FieldRepr):
    """An amount of 行政事业性收费, converted to 万元 exactly (more than 4 decimals when it was
    given in 元 with 分; the yearly total is rounded once)."""

    year: int
    amount_wan: Decimal
    source: RowRef


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ProcessingFee(FieldRepr):
    """A 信息处理费 collected for one request, in 元."""

    charged_on: date
    request_id: str
    amount: Decimal
    source: RowRef


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Case(FieldRepr):
    """A 行政复议 or 行政诉讼 case: its ``route``, ``result`` (None: not written) and dates."""

    id: str
    route: str
    filed_on: date
    result: str | None
    decided_on: date | None
    source: RowRef


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Declaration(FieldRepr):
    """“本年无此项”: the register is complete for ``item`` in ``year`` (its figures are 0,
    not missing, when no record says otherwise)."""

    item: str
    year: int
    source: RowRef


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Register(FieldRepr):
    """Everything read from one register file; ``problems`` and ``rejected`` say what could
    not be used (``rejected``: the rows left out of every count because of a problem)."""

    file: str
    documents: tuple[Document, ...] = ()
    decisions: tuple[Decision, ...] = ()
    fees: tuple[Fee, ...] = ()
    processing_fees: tuple[ProcessingFee, ...] = ()
    cases: tuple[Case, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    problems: tuple[Problem, ...] = ()
    rejected: tuple[RowRef, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.problems

    def declared(self, item: str, year: int) -> Declaration | None:
        return next((d for d in self.declarations if d.item == item and d.year == year), None)


# -- one cell ---------------------------------------------------------------------------------

_Error = tuple[str, str, str]  # code, zh, en


def _places(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_cell(column: Column, value: Any) -> tuple[Any, _Error | None]:
    """A cell's value as ``column`` reads it, or the error saying why it cannot be read."""
    if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
        return None, ("field_too_long", f"超过 {MAX_FIELD_CHARS} 个字符的上限",
                      f"longer than the limit of {MAX_FIELD_CHARS} characters")
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.required:
            return None, ("missing", "必填，不能为空", "required, but empty")
        return None, None
    shown = cell_text(value)[:40]
    kind = column.kind
    if kind == "date":
        if isinstance(value, datetime):
            return value.date(), None
        if isinstance(value, date):
            return value, None
        try:
            return parse_ledger_date(str(value)), None
        except ValueError:
            return None, ("date", f"“{shown}”不是日期（例如 2026-03-05）",
                          f"{shown!r} is not a date (e.g. 2026-03-05)")
    if kind in ("year", "count"):
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
            number = int(value.strip())
        if kind == "year" and number is not None and 1 <= number <= 9999:
            return number, None
        if kind == "count" and number is not None and number >= 0:
            return number, None
        if kind == "year":
            return None, ("year", f"“{shown}”不是年度（例如 2026）", f"{shown!r} is not a year")
        return None, ("count", f"“{shown}”不是非负整数", f"{shown!r} is not a whole number ≥ 0")
    if kind == "amount":
        try:
            amount = Decimal(repr(value) if isinstance(value, float) else cell_text(value))
        except (InvalidOperation, ValueError):
            amount = Decimal("NaN")
        if isinstance(value, bool) or not amount.is_finite() or amount < 0:
            return None, ("amount", f"“{shown}”不是非负金额", f"{shown!r} is not an amount ≥ 0")
        return amount, None
    if kind == "choice":
        choice = choose(column.choices, cell_text(value))
        if choice is None:
            allowed = "、".join(c.label for c in column.choices)
            return None, ("choice", f"“{shown}”不是可选值（可选：{allowed}）",
                          f"{shown!r} is not one of: {allowed} (or their codes: "
                          f"{', '.join(c.code for c in column.choices)})")
        return choice.code, None
    return cell_text(value), None


# -- one row ----------------------------------------------------------------------------------


class _Row:
    """A row being checked: its parsed values and the problems found so far."""

    def __init__(self, raw: RawRow) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.v: dict[str, Any] = {}
        for column in raw.sheet.columns:
            value, error = parse_cell(column, raw.cells.get(column.key))
            self.v[column.key] = value
            if error is not None:
                self.fail(column.key, *error)

    def fail(self, key: str, code: str, zh: str, en: str) -> None:
        self.problems.append(self.raw.problem(key, code, zh, en))

    def not_before(self, key: str, earlier: str) -> None:
        later, first = self.v.get(key), self.v.get(earlier)
        if later is not None and first is not None and later < first:
            header = self.raw.sheet.column(earlier).header
            self.fail(key, "date_order", f"早于{header}", f"before {header} ({earlier})")

    def precision(self, places: int, unit_zh: str, unit_en: str) -> None:
        amount = self.v.get("amount")
        if amount is not None and _places(amount) > places:
            self.fail("amount", "precision", f"以{unit_zh}计最多 {places} 位小数",
                      f"at most {places} decimals in {unit_en}")


def _record(raw: RawRow) -> tuple[object | None, list[Problem]]:
    row = _Row(raw)
    v, ref = row.v, raw.ref
    key = raw.sheet.key
    if key == "documents":
        row.not_before("repealed_on", "issued_on")
        row.not_before("expired_on", "issued_on")
        if row.problems:
            return None, row.problems
        return Document(v["kind"], v["title"], v["number"], v["issued_on"], v["repealed_on"],
                        v["expired_on"], ref), []
    if key == "decisions":
        on, year, count = v["decided_on"], v["year"], v["count"]
        if on is not None and year is not None and year != on.year:
            row.fail("year", "year_mismatch", f"与决定日期的年度 {on.year} 不符",
                     f"does not match the year of decided_on ({on.year})")
        if on is None and not row.problems:
            for missing in ("year", "count"):
                if v[missing] is None:
                    row.fail(missing, "missing", "按年汇总时必填（或填写决定日期逐件登记）",
                             "required for a yearly count (or give decided_on for one decision)")
        if row.problems:
            return None, row.problems
        return Decision(v["kind"], on.year if on is not None else year,
                        1 if count is None else count, on, v["id"], ref), []
    if key == "fees":
        on, year = v["charged_on"], v["year"]
        if on is None and year is None and not row.problems:
            row.fail("year", "missing", "须填写年度或收费日期", "give year or charged_on")
        if on is not None and year is not None and year != on.year:
            row.fail("year", "year_mismatch", f"与收费日期的年度 {on.year} 不符",
                     f"does not match the year of charged_on ({on.year})")
        if v["unit"] == "yuan":
            row.precision(2, "元", "yuan")
        elif v["unit"] == "wan_yuan":
            row.precision(4, "万元", "10,000 yuan")
        if row.problems:
            return None, row.problems
        amount: Decimal = v["amount"]
        wan = amount.scaleb(-4) if v["unit"] == "yuan" else amount
        return Fee(on.year if on is not None else year, wan, ref), []
    if key == "processing_fees":
        row.precision(2, "元", "yuan")
        if row.problems:
            return None, row.problems
        return ProcessingFee(v["charged_on"], v["request_id"], v["amount"], ref), []
    if key == "cases":
        row.not_before("decided_on", "filed_on")
        if v["result"] == "pending" and v["decided_on"] is not None:
            row.fail("result", "pending_but_decided", "写了尚未审结，却有审结日期",
                     "says not yet concluded but has a decided_on date")
        if v["result"] is None and v["decided_on"] is not None:
            row.fail("result", "missing", "已有审结日期，须写结果", "decided, so give the result")
        if row.problems:
            return None, row.problems
        return Case(v["id"], v["route"], v["filed_on"], v["result"], v["decided_on"], ref), []
    if row.problems:
        return None, row.problems
    return Declaration(v["item"], v["year"], ref), []


def build_register(file: str, rows: Iterable[RawRow], problems: Iterable[Problem] = (),
                   rejected: Iterable[RowRef] = ()) -> Register:
    """The register of ``rows`` (as a reader found them); ``problems`` and ``rejected`` are
    the reader's own (unknown sheets or columns; rows of a sheet missing a required column)."""
    found: dict[str, list[object]] = {s.key: [] for s in SHEETS}
    all_problems = list(problems)
    all_rejected = list(rejected)
    for raw in rows:
        record, row_problems = _record(raw)
        if record is None:
            all_problems.extend(row_problems)
            all_rejected.append(raw.ref)
        else:
            found[raw.sheet.key].append(record)
    return Register(
        file, tuple(found["documents"]), tuple(found["decisions"]),  # type: ignore[arg-type]
        tuple(found["fees"]), tuple(found["processing_fees"]),  # type: ignore[arg-type]
        tuple(found["cases"]), tuple(found["declarations"]),  # type: ignore[arg-type]
        tuple(all_problems), tuple(all_rejected))


def read_register(path: Path) -> Register:
    """Read a register: the input workbook (``.xlsx``) or its YAML/JSON form
    (``schemas/annual-register.schema.json``).

    Raises:
        LedgerError: the file does not exist, is not a readable workbook or YAML/JSON
            document, or is over the ledger reader's limits (bytes, rows).
    """
    file, rows, problems, rejected = read_register_rows(path)
    return build_register(file, rows, problems, rejected)
