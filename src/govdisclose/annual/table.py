"""The filled request table of the annual report (section 三), as values.

:func:`govdisclose.annual.report.build_table` counts a ledger into an
:class:`AnnualTable`; it holds every number, the identity check (一 + 二 = 三（七）+ 四, per
column), the ledger rows that could not be placed and what became of every other row.
``to_json()`` is the ``annual-report --json`` document (``schemas/annual-report.schema.json``);
the text, CSV and Excel layouts are written by :mod:`govdisclose.outputs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr

if TYPE_CHECKING:
    from .format_model import FormatColumn, TableFormat

__all__ = [
    "AnnualTable",
    "IdentityCheck",
    "IdentityColumn",
    "Placement",
    "Reason",
    "Summary",
    "TableRow",
    "UnplacedRow",
]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Reason(FieldRepr):
    """Why a ledger row could not be placed (or a note about the whole ledger)."""

    code: str
    message_zh: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class UnplacedRow(FieldRepr):
    """A ledger row of the year that could not be (fully) placed in the table.

    ``counted_in`` lists the row codes it *was* counted in (``received`` or
    ``carried_over`` when only its result could not be placed), which is what makes the
    table's identity fail.
    """

    number: int
    line: int
    id: str
    reasons: tuple[Reason, ...]
    counted_in: tuple[str, ...] = ()
    column: str | None = None

    def __str__(self) -> str:
        where = f"第 {self.line} 行 line {self.line}，编号 id {self.id or '—'}"
        return f"{where}: " + "；".join(str(r) for r in self.reasons)

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "line": self.line, "id": self.id,
                "column": self.column, "counted_in": list(self.counted_in),
                "reasons": [r.to_json() for r in self.reasons]}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Placement(FieldRepr):
    """Where one ledger row was counted: its column, 一 or 二, and its result or 四."""

    number: int
    line: int
    id: str
    column: str
    entry: str
    exit: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TableRow(FieldRepr):
    """One data row of the filled table; ``values`` follow the format's columns."""

    code: str
    label: str
    groups: tuple[str, ...]
    verified: str
    values: tuple[int, ...]
    #: ids of the format's sources (published reports) the label was read in
    sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "groups": list(self.groups),
                "verified": self.verified, "sources": list(self.sources),
                "values": list(self.values)}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class IdentityColumn(FieldRepr):
    code: str
    label: str
    left: int  # 第一项 + 第二项
    right: int  # 第三项（七）总计 + 第四项

    @property
    def difference(self) -> int:
        return self.left - self.right


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class IdentityCheck(FieldRepr):
    """第一项加第二项之和，等于第三项（七）总计加第四项之和, column by column."""

    statement: str
    columns: tuple[IdentityColumn, ...]
    explanation_zh: str
    explanation_en: str
    #: ledger rows of the year that are not (fully) in the table: the identity can hold
    #: over what was counted and still leave these out, so "holds" is qualified
    unplaced_rows: int = 0

    @property
    def holds(self) -> bool:
        return all(c.difference == 0 for c in self.columns)

    @property
    def verdict_zh(self) -> str:
        """``成立``, ``成立（另有 N 行未能归类，未计入）`` or ``不成立``."""
        if not self.holds:
            return "不成立"
        if self.unplaced_rows:
            return f"成立（另有 {self.unplaced_rows} 行未能归类，未计入）"
        return "成立"

    @property
    def verdict_en(self) -> str:
        if not self.holds:
            return "does NOT hold"
        if self.unplaced_rows:
            return (f"holds over the rows counted ({self.unplaced_rows} ledger row(s) could not "
                    "be placed and are not counted)")
        return "holds"

    def to_json(self) -> dict[str, Any]:
        return {"statement": self.statement, "holds": self.holds,
                "unplaced_rows": self.unplaced_rows,
                "verdict_zh": self.verdict_zh, "verdict_en": self.verdict_en,
                "columns": [{"code": c.code, "label": c.label, "left": c.left,
                             "right": c.right, "difference": c.difference}
                            for c in self.columns],
                "explanation_zh": self.explanation_zh, "explanation_en": self.explanation_en}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Summary(FieldRepr):
    """What became of every ledger row: ``ledger_rows`` = the four counts below added."""

    ledger_rows: int
    counted: int  # placed in full
    unplaced: int  # listed in ``unplaced`` (``partly_counted`` of them counted in 一 or 二)
    partly_counted: int
    received_after_year: int  # not in this year's table
    replied_before_year: int  # not in this year's table

    def to_json(self) -> dict[str, int]:
        return {"ledger_rows": self.ledger_rows, "counted": self.counted,
                "unplaced": self.unplaced, "partly_counted": self.partly_counted,
                "received_after_year": self.received_after_year,
                "replied_before_year": self.replied_before_year}


@dataclass(frozen=True, repr=False, eq=False)
class AnnualTable(FieldRepr):
    """Section 三 of one year's annual report, filled from a ledger."""

    rulebook: str
    rulebook_name: str
    year: int
    ledger: str
    format: TableFormat
    rows: tuple[TableRow, ...]
    identity: IdentityCheck
    unplaced: tuple[UnplacedRow, ...]
    placements: tuple[Placement, ...]
    warnings: tuple[Reason, ...]
    summary: Summary

    @property
    def columns(self) -> tuple[FormatColumn, ...]:
        return self.format.columns

    @property
    def complete(self) -> bool:
        """Every row of the year placed and the identity holds (CLI exit code 0)."""
        return not self.unplaced and self.identity.holds

    def row(self, code: str) -> TableRow:
        for row in self.rows:
            if row.code == code:
                return row
        raise KeyError(code)

    def value(self, row: str, column: str) -> int:
        """The number in row ``row`` (a row code) and column ``column`` (a column code)."""
        codes = [c.code for c in self.columns]
        return self.row(row).values[codes.index(column)]

    def to_json(self) -> dict[str, Any]:
        fmt = self.format
        return {
            "kind": "annual-report",
            "section": fmt.section,
            "rulebook": self.rulebook,
            "rulebook_name": self.rulebook_name,
            "year": self.year,
            "ledger": self.ledger,
            "format": {"id": fmt.id, "title": fmt.title, "number": fmt.source.get("number"),
                       "date": fmt.source.get("date"), "file": fmt.file,
                       "sources": [{"id": s.id, "url": s.url, "report": s.report,
                                    "year": s.year} for s in fmt.sources]},
            "columns": [{"code": c.code, "label": c.text,
                         "group": c.group.text if c.group else None,
                         "group_code": c.group.code if c.group else None,
                         "verified": c.verified, "total": c.total} for c in self.columns],
            "rows": [r.to_json() for r in self.rows],
            "identity": self.identity.to_json(),
            "unplaced": [u.to_json() for u in self.unplaced],
            "warnings": [w.to_json() for w in self.warnings],
            "summary": self.summary.to_json(),
            "complete": self.complete,
        }
