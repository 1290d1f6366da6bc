"""What ``govdisclose annual-report check`` reads and finds, as values: each failure with its
cell.

:mod:`.check` runs the checks; :mod:`.check_read` reads the file.  A :class:`Finding` names the
cell it is about — the JSON path or the sheet and cell (``三 申请情况!H9``), the cell's code and
the format's labels of its row and column, in Chinese and English — and says what was found and
what the format's rules require.  ``CheckResult.to_json()`` is the ``check --json`` document
(``schemas/annual-report-check.schema.json``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .format_model import FigureCell, FigureSection, TableFormat
    from .table import Reason

__all__ = ["CHECK_CODES", "INPUT_KINDS", "REQUESTS_CODE", "CheckResult", "Finding", "Location",
           "Paragraph", "ReadReport", "Value", "figure_labels", "missing_requests",
           "request_location"]

#: Section 三 has no section code in the format files; its cells are named
#: ``s3.<row>.<column>`` after the ``s2``/``s4`` codes of 二 and 四.
REQUESTS_CODE = "s3"

#: Every finding code ``check`` emits besides the register reader's own ``register.*`` codes.
CHECK_CODES: tuple[str, ...] = (
    "value.missing", "value.not_a_number", "value.negative", "value.fraction",
    "value.decimals", "sum.row", "sum.results", "sum.group", "identity", "carry_over",
    "carry_over.year", "narrative.figure", "narrative.text", "structure.missing",
    "structure.unknown")

#: What a checked file can be: the ``annual-report --json`` of 三, the whole report's JSON
#: (``--register … --json``), the ``--xlsx`` workbook of 三, the ``--full --xlsx`` workbook
#: (二, 三 and 四), the register (input workbook or its YAML/JSON form).
INPUT_KINDS: tuple[str, ...] = ("requests-json", "full-json", "requests-xlsx", "full-xlsx",
                                 "register")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Location(FieldRepr):
    """Where a value is: ``path`` is a JSON path (``$.rows[3].values[6]``) or a sheet and cell
    (``三 申请情况!H9``, with ``sheet``/``row``/``column`` set); ``cell`` its code
    (``s4.review.total``, ``s3.unable.not_held.citizen``); ``label_zh``/``label_en`` the
    format's words for its row and column."""

    file: str
    path: str
    section: str | None = None
    cell: str | None = None
    label_zh: str = ""
    label_en: str = ""
    sheet: str | None = None
    row: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}"
        label = " / ".join(x for x in (self.label_zh, self.label_en) if x)
        return f"{where} [{label}]" if label else where

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "path": self.path, "section": self.section,
                "cell": self.cell, "label_zh": self.label_zh, "label_en": self.label_en,
                "sheet": self.sheet, "row": self.row, "column": self.column}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Finding(FieldRepr):
    """One failure: a stable ``code`` (:data:`CHECK_CODES` or ``register.*``), the cell, what
    was ``found`` there and what the rule ``expected`` (as text; None when not a number)."""

    code: str
    location: Location
    message_zh: str
    message_en: str
    expected: str | None = None
    found: str | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message_zh} / {self.message_en} ({self.code})"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message_zh": self.message_zh,
                "message_en": self.message_en, "expected": self.expected,
                "found": self.found, "location": self.location.to_json()}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CheckResult(FieldRepr):
    """The checks of one file (and, with ``previous``, its carry-over from last year's).

    ``notes`` say what could not be checked and why (a narrative figure whose code is no table
    cell, a carry-over with no year to compare); they are not failures.
    """

    file: str
    kind: str
    year: int | None
    format_id: str | None
    previous: str | None
    findings: tuple[Finding, ...]
    notes: tuple[Reason, ...] = ()
    checked: int = 0  # how many values and sums were checked

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        counts = Counter(f.code for f in self.findings)
        return {"kind": "annual-report-check", "file": self.file, "input": self.kind,
                "year": self.year, "format": self.format_id, "previous": self.previous,
                "ok": self.ok, "checked": self.checked,
                "findings": [f.to_json() for f in self.findings],
                "notes": [n.to_json() for n in self.notes],
                "summary": {"findings": len(self.findings), "by_code": dict(sorted(counts.items()))}}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Value(FieldRepr):
    """A value as read (``int``, ``Decimal``, ``str``, ``None`` …) and where it is."""

    raw: object
    location: Location


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Paragraph(FieldRepr):
    """A drafted paragraph of 一, 五 or 六: its sentences and its ``figures`` (cell code →
    value, each located at its key in the JSON)."""

    path: str
    section: str
    sentences: tuple[str, ...]
    figures: tuple[tuple[str, Value], ...]


@dataclass(frozen=True, repr=False, eq=False)
class ReadReport(FieldRepr):
    """What was read: section 三 by ``(row code, column code)``, the cells of 二 and 四 by
    code, the drafted paragraphs, and the findings made while reading (a missing or unknown
    row, the register's cell problems)."""

    file: str
    kind: str
    year: int | None
    format: TableFormat | None
    requests: Mapping[tuple[str, str], Value] = field(
        default_factory=lambda: MappingProxyType({}))
    figures: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    paragraphs: tuple[Paragraph, ...] = ()
    findings: tuple[Finding, ...] = ()


# -- labels ------------------------------------------------------------------------------------


def request_location(fmt: TableFormat, file: str, path: str, row_code: str, col_code: str, *,
                     sheet: str | None = None, line: int | None = None,
                     column: int | None = None) -> Location:
    """The location of the 三 cell ``row_code`` × ``col_code``, labelled with the format's
    words (``sheet``, ``line`` and ``column`` for a workbook cell)."""
    row, parents = next((r, p) for r, p in fmt.walk() if r.code == row_code)
    col = next(c for c in fmt.columns if c.code == col_code)
    zh = " ".join(x.label for x in (*parents, row))
    en = " › ".join(x.text_en or x.code for x in (*parents, row))
    return Location(file, path, fmt.section, f"{REQUESTS_CODE}.{row_code}.{col_code}",
                    f"{zh} × {col.label}", f"{en} × {col.text_en or col.code}", sheet, line,
                    column)


def figure_labels(section: FigureSection, cell: FigureCell) -> tuple[str, str]:
    """The format's words for a cell of 二 or 四: block, row (unless it repeats the block's
    heading) and column."""
    block = next(b for b in section.blocks if b.code == cell.block)
    zh = [block.heading] + ([cell.row.text] if cell.row.text != block.heading else [])
    en = [block.heading] + ([cell.row.text_en or cell.row.code]
                            if cell.row.text != block.heading else [])
    return (f"{section.heading} {' › '.join(zh)} × {cell.column.text}",
            f"{section.text_en or section.code}: {' › '.join(en)} × "
            f"{cell.column.text_en or cell.column.code}")


def missing_requests(fmt: TableFormat, file: str, path: str,
                      found: Mapping[tuple[str, str], Value], findings: list[Finding]) -> None:
    """A ``structure.missing`` finding for every 三 cell of ``fmt`` not in ``found``."""
    for row in fmt.data_rows:
        for col in fmt.columns:
            if (row.code, col.code) not in found:
                loc = request_location(fmt, file, path, row.code, col.code)
                findings.append(Finding("structure.missing", loc, "表中没有这一格",
                                        "this cell is not in the table"))
