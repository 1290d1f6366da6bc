"""The annual-report table format as values: columns, rows and how ledger spellings compare.

:mod:`.annual_format` loads ``rules/formats/annual-report-2021.yaml`` (国办公开办函〔2021〕30号)
into these frozen dataclasses and checks it; :mod:`.report` counts a ledger into the
table they describe; the writers in :mod:`govdisclose.outputs` lay it out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "VALUE_TYPES",
    "VERIFIED_MARKS",
    "ColumnGroup",
    "FigureBlock",
    "FigureCell",
    "FigureColumn",
    "FigureLabel",
    "FigureSection",
    "FormatColumn",
    "FormatRow",
    "FormatSource",
    "TableFormat",
    "code_key",
    "spelling_key",
    "spelling_keys",
]

#: The mark printed after a row label by how well the label is verified (``*`` inferred,
#: ``†`` secondary sources only).
VERIFIED_MARKS: Mapping[str, str] = MappingProxyType({"verified": "", "inferred": "*",
                                                      "secondary": "†"})


#: How a cell of section 二 or 四 is written: ``count`` a non-negative integer,
#: ``signed_count`` an integer that may be negative (2019: 本年增/减), ``wan_yuan`` a
#: non-negative amount in 万元 with at most 4 decimals, ``decimal`` a non-negative number whose
#: unit the format does not print.
VALUE_TYPES: tuple[str, ...] = ("count", "signed_count", "wan_yuan", "decimal")


# -- the table format (data) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FormatSource(FieldRepr):
    """A published report in which labels of the format were read (``sources:`` in the file)."""

    id: str
    url: str | None
    report: str
    year: int | None
    shows: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FigureLabel(FieldRepr):
    """A row label of section 二 (规章) or 四 (行政复议), with how well it is verified."""

    code: str
    text: str
    text_en: str | None
    verified: str
    sources: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FigureColumn(FieldRepr):
    """A column of a block; ``total_of`` names the columns it is the sum of."""

    code: str
    text: str
    text_en: str | None
    verified: str
    value: str
    total_of: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FigureCell(FieldRepr):
    """One cell: code ``<section>.<row>.<column>`` (e.g. ``s2.rules.issued``,
    ``s4.review.upheld``); ``total_of`` the cell codes it is the sum of."""

    code: str
    block: str
    row: FigureLabel
    column: FigureColumn
    total_of: tuple[str, ...] = ()

    @property
    def value_type(self) -> str:
        return self.column.value

    @property
    def verified(self) -> str:
        """The weakest status of its row and column labels."""
        order = ("verified", "inferred", "secondary")
        return max(self.row.verified, self.column.verified, key=order.index)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FigureBlock(FieldRepr):
    """A block of section 二 (第二十条第（一）项 …) or a column group of section 四 (行政诉讼)."""

    code: str
    heading: str
    verified: str
    columns: tuple[FigureColumn, ...]
    rows: tuple[FigureLabel, ...]
    sources: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FigureSection(FieldRepr):
    """Section 二 or 四 of a format: blocks of rows × columns, each cell with a stable code.

    ``layout`` is ``blocks`` (二: small tables one under another) or ``one_row`` (四: the
    rows are column groups of a single data row).
    """

    code: str
    number: str
    text: str
    text_en: str | None
    verified: str
    layout: str
    blocks: tuple[FigureBlock, ...]
    item_heading: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}{self.text}"

    @property
    def cells(self) -> tuple[FigureCell, ...]:
        """Every cell in table order (block by block, row by row, column by column)."""
        out: list[FigureCell] = []
        for block in self.blocks:
            for row in block.rows:
                prefix = f"{self.code}.{row.code}."
                for column in block.columns:
                    out.append(FigureCell(prefix + column.code, block.code, row, column,
                                          tuple(prefix + c for c in column.total_of)))
        return tuple(out)

    def cell(self, code: str) -> FigureCell:
        for cell in self.cells:
            if cell.code == code:
                return cell
        raise KeyError(code)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ColumnGroup(FieldRepr):
    """A heading over several columns (法人或其他组织); it has no data column of its own."""

    code: str
    text: str
    text_en: str | None
    verified: str
    aliases: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FormatColumn(FieldRepr):
    """One data column of the table (an applicant category, or 总计)."""

    code: str
    text: str
    text_en: str | None
    verified: str
    group: ColumnGroup | None = None
    total: bool = False
    aliases: tuple[str, ...] = ()
    note: str | None = None

    @property
    def label(self) -> str:
        """The heading with its group, e.g. ``法人或其他组织：商业企业``."""
        return f"{self.group.text}：{self.text}" if self.group else self.text


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FormatRow(FieldRepr):
    """A data row (``count`` set) or a merged label over sub-rows (``children`` set)."""

    code: str
    number: str
    text: str
    text_en: str | None
    verified: str
    count: str | None
    children: tuple[FormatRow, ...] = ()
    aliases: tuple[str, ...] = ()
    note: str | None = None
    depth: int = 0
    #: ids of the format's ``sources`` (published reports) the label was read in
    sources: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Numbering and text as printed, e.g. ``（四）无法提供``."""
        return f"{self.number}{self.text}"

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    def walk(self) -> Iterator[tuple[FormatRow, tuple[FormatRow, ...]]]:
        """This row and its descendants, pre-order, each with its enclosing groups."""
        yield self, ()
        for child in self.children:
            for row, parents in child.walk():
                yield row, (self, *parents)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TableFormat(FieldRepr):
    """The structure of section 三 of a national annual-report format."""

    id: str
    title: str
    title_en: str | None
    source: Mapping[str, Any]
    legal_basis: str | None
    first_year: int
    last_year: int | None
    section: str
    section_en: str | None
    identity: str
    identity_en: str | None
    identity_verified: str
    column_heading: str
    column_heading_en: str | None
    columns: tuple[FormatColumn, ...]
    rows: tuple[FormatRow, ...]
    pending: tuple[str, ...]
    review: tuple[str, ...]
    file: str
    #: normalised spelling -> row code (outcome rows, groups and the other rows, for reasons)
    row_index: Mapping[str, str]
    #: normalised spelling -> column or column-group code
    column_index: Mapping[str, str]
    #: section 二 and section 四 (None in a file that declares only 三)
    proactive: FigureSection | None = None
    remedies: FigureSection | None = None
    sources: tuple[FormatSource, ...] = ()
    #: normalised outcome spelling -> the row codes it could mean (never placed)
    ambiguous_outcomes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}))

    @property
    def document_number(self) -> str:
        """The notice's number, e.g. 国办公开办函〔2021〕30号."""
        return str(self.source.get("number") or self.source.get("title") or self.id)

    def walk(self) -> Iterator[tuple[FormatRow, tuple[FormatRow, ...]]]:
        """Every row and group, pre-order, with its enclosing groups."""
        for row in self.rows:
            yield from row.walk()

    @property
    def data_rows(self) -> tuple[FormatRow, ...]:
        """The rows that carry numbers, in table order."""
        return tuple(row for row, _ in self.walk() if not row.is_group)

    def row(self, code: str) -> FormatRow:
        for row, _ in self.walk():
            if row.code == code:
                return row
        raise KeyError(code)

    def rows_counting(self, kind: str) -> tuple[FormatRow, ...]:
        return tuple(row for row in self.data_rows if row.count == kind)

    @property
    def depth(self) -> int:
        """How many label columns the official layout needs (三 → （三） → 1.: three)."""
        return max(row.depth for row, _ in self.walk()) + 1

    @property
    def years(self) -> str:
        """The reporting years, e.g. ``2019–2020`` or ``2021 起``."""
        return (f"{self.first_year}–{self.last_year}" if self.last_year is not None
                else f"{self.first_year} 起")

    def applies_to(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def group_of(self, code: str) -> ColumnGroup | None:
        for column in self.columns:
            if column.group is not None and column.group.code == code:
                return column.group
        return None


# -- normalising ledger spellings -----------------------------------------------------------

_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]"
    r"|[(（]\s*[一二三四五六七八九十0-9]+\s*[)）]"
    r"|[0-9]+\s*(?:[.．、)）]|(?=\D)))\s*")


def _strip_numbering(text: str) -> str:
    """``三、（三）1.属于国家秘密`` → ``属于国家秘密`` (every leading number removed)."""
    text = unicodedata.normalize("NFKC", text)
    while True:
        stripped = _NUMBERING.sub("", text, count=1)
        if stripped == text or not stripped:
            return text
        text = stripped


def spelling_key(text: str) -> str:
    """A spelling with width, case, spaces and punctuation normalised away."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")


def spelling_keys(text: str) -> tuple[str, ...]:
    """Candidate keys of a ledger value: as written, and without its leading numbering."""
    keys = [spelling_key(text), spelling_key(_strip_numbering(text))]
    return tuple(dict.fromkeys(k for k in keys if k))


def code_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()
