"""The structure of the annual report's request table, as data (国办公开办函〔2021〕30号).

``rules/formats/annual-report-2021.yaml`` holds the columns, rows, their stable codes and
how well each label is verified; this module loads and checks it against
``schemas/annual-report-format.schema.json`` so that a label can be corrected without
touching Python.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._paths import rules_dir
from .._schema import iter_schema_problems
from .._yaml import load_yaml_file
from ..errors import AnnualReportError, Problem, RulebookError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

    from .._yaml import YamlDocument

__all__ = [
    "VERIFIED_MARKS",
    "AnnualReportError",
    "ColumnGroup",
    "FormatColumn",
    "FormatRow",
    "TableFormat",
    "bundled_format",
    "bundled_format_path",
    "code_key",
    "iter_format_problems",
    "load_format",
    "spelling_key",
    "spelling_keys",
]

FORMAT_KIND = "annual-report-format"
SCHEMA_NAME = "annual-report-format"
VERIFIED_MARKS: Mapping[str, str] = MappingProxyType({"verified": "", "inferred": "*",
                                                      "secondary": "†"})


# -- the table format (data) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnGroup:
    """A heading over several columns (法人或其他组织); it has no data column of its own."""

    code: str
    text: str
    text_en: str | None
    verified: str
    aliases: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FormatColumn:
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


@dataclass(frozen=True, slots=True)
class FormatRow:
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


@dataclass(frozen=True, slots=True)
class TableFormat:
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


# -- loading the format ---------------------------------------------------------------------


def bundled_format_path() -> Path:
    """``rules/formats/annual-report-2021.yaml``."""
    return rules_dir() / "formats" / "annual-report-2021.yaml"


def _problem(doc: YamlDocument, path: tuple[str | int, ...], code: str, zh: str, en: str
             ) -> Problem:
    return doc.problem(path, f"format.{code}", zh, en)


def _opt(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _row_variants(row: FormatRow, parent: FormatRow | None) -> list[str]:
    texts = [row.text, row.label, *row.aliases]
    if parent is not None and row.count == "outcome":
        for prefix in (parent.text, parent.label):
            texts.extend((prefix + row.text, prefix + row.label))
    return texts


def _build_format(doc: YamlDocument) -> tuple[TableFormat | None, list[Problem]]:
    data: dict[str, Any] = doc.data
    problems: list[Problem] = []

    groups: dict[str, ColumnGroup] = {}
    for i, g in enumerate(data.get("column_groups", [])):
        if g["code"] in groups:
            problems.append(_problem(doc, ("column_groups", i, "code"), "duplicate_code",
                                     f"列组代码 {g['code']!r} 重复",
                                     f"column group code {g['code']!r} appears twice"))
        groups[g["code"]] = ColumnGroup(g["code"], g["text"], _opt(g, "text_en"), g["verified"],
                                        tuple(g.get("aliases", ())), _opt(g, "note"))
    columns: list[FormatColumn] = []
    column_index: dict[str, str] = {}
    seen_columns: set[str] = set()

    clashes: set[tuple[str, str]] = set()

    def index(into: dict[str, str], spelling: str, code: str, path: tuple[str | int, ...]
              ) -> None:
        key = spelling_key(spelling)
        if not key:
            return
        other = into.setdefault(key, code)
        if other != code and (other, code) not in clashes:
            clashes.add((other, code))
            problems.append(_problem(
                doc, path, "ambiguous_label",
                f"“{spelling}”同时可指 {other} 和 {code}，台账中的写法无法区分",
                f"{spelling!r} could mean both {other} and {code}; ledger values would be "
                "ambiguous"))

    for code, declared in groups.items():
        for spelling in (declared.text, *declared.aliases):
            index(column_index, spelling, code, ("column_groups",))
    for i, c in enumerate(data["columns"]):
        path: tuple[str | int, ...] = ("columns", i)
        group: ColumnGroup | None = None
        if "group" in c:
            group = groups.get(c["group"])
            if group is None:
                problems.append(_problem(
                    doc, (*path, "group"), "unknown_group",
                    f"未声明的列组 {c['group']!r}（已声明：{', '.join(groups) or '无'}）",
                    f"undeclared column group {c['group']!r} (declared: "
                    f"{', '.join(groups) or 'none'})"))
        if c["code"] in seen_columns or c["code"] in groups:
            problems.append(_problem(doc, (*path, "code"), "duplicate_code",
                                     f"列代码 {c['code']!r} 重复",
                                     f"column code {c['code']!r} appears twice"))
        seen_columns.add(c["code"])
        column = FormatColumn(c["code"], c["text"], _opt(c, "text_en"), c["verified"], group,
                              bool(c.get("total", False)), tuple(c.get("aliases", ())),
                              _opt(c, "note"))
        columns.append(column)
        spellings = [column.text, *column.aliases]
        if group is not None:
            spellings += [group.text + column.text]
        for spelling in spellings:
            index(column_index, spelling, column.code, path)
    totals = [c for c in columns if c.total]
    if len(totals) != 1:
        problems.append(_problem(doc, ("columns",), "total_column",
                                 f"应恰有一列标注 total: true（现有 {len(totals)} 列）",
                                 f"exactly one column must have total: true ({len(totals)} do)"))

    codes: set[str] = set()

    def build_row(raw: Mapping[str, Any], path: tuple[str | int, ...], depth: int) -> FormatRow:
        if raw["code"] in codes:
            problems.append(_problem(doc, (*path, "code"), "duplicate_code",
                                     f"行代码 {raw['code']!r} 重复",
                                     f"row code {raw['code']!r} appears twice"))
        codes.add(raw["code"])
        children = tuple(build_row(child, (*path, "rows", j), depth + 1)
                         for j, child in enumerate(raw.get("rows", ())))
        return FormatRow(raw["code"], str(raw.get("number", "")), raw["text"],
                         _opt(raw, "text_en"), raw["verified"], _opt(raw, "count"), children,
                         tuple(raw.get("aliases", ())), _opt(raw, "note"), depth)

    rows = tuple(build_row(raw, ("rows", i), 0) for i, raw in enumerate(data["rows"]))
    kinds = [row.count for top in rows for row, _ in top.walk() if row.count]
    for kind in ("received", "carried_over", "outcome_total", "carried_forward"):
        if kinds.count(kind) != 1:
            problems.append(_problem(
                doc, ("rows",), "count_kind",
                f"应恰有一行 count: {kind}（现有 {kinds.count(kind)} 行）",
                f"exactly one row must have count: {kind} ({kinds.count(kind)} do)"))
    if "outcome" not in kinds:
        problems.append(_problem(doc, ("rows",), "count_kind", "没有 count: outcome 的结果行",
                                 "no result row (count: outcome)"))

    row_index: dict[str, str] = {}

    def index_rows(row: FormatRow, parent: FormatRow | None, path: tuple[str | int, ...]
                   ) -> None:
        for spelling in _row_variants(row, parent):
            index(row_index, spelling, row.code, path)
        for j, child in enumerate(row.children):
            index_rows(child, row, (*path, "rows", j))

    for i, row in enumerate(rows):
        index_rows(row, None, ("rows", i))

    years = data["reporting_years"]
    if years.get("until") is not None and years["until"] < years["from"]:
        problems.append(_problem(doc, ("reporting_years", "until"), "years",
                                 "until 早于 from", "until is before from"))
    if problems:
        return None, problems
    section = data["section"]
    return TableFormat(
        id=data["id"], title=data["title"], title_en=_opt(data, "title_en"),
        source=MappingProxyType(dict(data["source"])), legal_basis=_opt(data, "legal_basis"),
        first_year=years["from"], last_year=years.get("until"),
        section=f"{section.get('number', '')}{section['text']}",
        section_en=_opt(section, "text_en"),
        identity=data["identity"]["text"], identity_en=_opt(data["identity"], "text_en"),
        identity_verified=data["identity"]["verified"],
        column_heading=data["column_heading"]["text"],
        column_heading_en=_opt(data["column_heading"], "text_en"),
        columns=tuple(columns), rows=rows,
        pending=tuple(data.get("ledger", {}).get("pending", ())),
        review=tuple(data.get("review", ())), file=doc.file,
        row_index=MappingProxyType(row_index), column_index=MappingProxyType(column_index),
    ), []


def _load(path: Path) -> tuple[TableFormat | None, list[Problem]]:
    doc = load_yaml_file(path)
    if doc.problems:
        return None, list(doc.problems)
    if doc.data is None:
        return None, [doc.problem((), "format.empty", "文件为空", "the file is empty")]
    problems = list(iter_schema_problems(SCHEMA_NAME, doc))
    if problems:
        return None, problems
    return _build_format(doc)


def iter_format_problems(path: Path) -> Iterator[Problem]:
    """Every problem in a table-format file (YAML, schema, codes, ambiguous labels)."""
    yield from _load(path)[1]


def load_format(path: Path | None = None) -> TableFormat:
    """Load a table-format file (default: the bundled 2021 format).

    Raises:
        RulebookError: the file is malformed; ``problems`` lists every problem, located.
    """
    if path is None:
        return bundled_format()
    table_format, problems = _load(path)
    if table_format is None:
        raise RulebookError(problems)
    return table_format


@cache
def bundled_format() -> TableFormat:
    """The bundled format (国办公开办函〔2021〕30号), loaded once."""
    table_format, problems = _load(bundled_format_path())
    if table_format is None:
        raise RulebookError(problems)
    return table_format
