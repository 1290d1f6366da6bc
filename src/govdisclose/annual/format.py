"""Loading and checking the annual report's table format (国办公开办函〔2021〕30号).

``rules/formats/annual-report-2021.yaml`` holds the columns, rows, their stable codes and
how well each label is verified; this module loads it into the values of
:mod:`.format_model` (re-exported here) and checks it against
``schemas/annual-report-format.schema.json`` and for duplicate codes, undeclared column groups
and ambiguous labels, so that a label can be corrected without touching Python.
"""

from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._paths import rules_dir
from .._schema import iter_schema_problems
from .._sources import iter_location_problems
from .._yaml import load_yaml_file
from ..errors import AnnualReportError, Problem, RulebookError
from .format_figures import build_figure_section, build_sources, cited
from .format_model import (
    VALUE_TYPES,
    VERIFIED_MARKS,
    ColumnGroup,
    FigureBlock,
    FigureCell,
    FigureColumn,
    FigureLabel,
    FigureSection,
    FormatColumn,
    FormatRow,
    FormatSource,
    TableFormat,
    code_key,
    spelling_key,
    spelling_keys,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

    from .._yaml import YamlDocument

__all__ = [
    "VALUE_TYPES",
    "VERIFIED_MARKS",
    "AnnualReportError",
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
    "bundled_format",
    "bundled_format_path",
    "bundled_format_paths",
    "bundled_formats",
    "code_key",
    "format_for_year",
    "iter_format_problems",
    "load_format",
    "spelling_key",
    "spelling_keys",
]

FORMAT_KIND = "annual-report-format"
SCHEMA_NAME = "annual-report-format"


# -- loading the format ---------------------------------------------------------------------


def bundled_format_path() -> Path:
    """``rules/formats/annual-report-2021.yaml`` (the format in force)."""
    return rules_dir() / "formats" / "annual-report-2021.yaml"


def bundled_format_paths() -> tuple[Path, ...]:
    """Every bundled format file, ``rules/formats/annual-report-*.yaml``, by name."""
    return tuple(sorted((rules_dir() / "formats").glob("annual-report-*.yaml")))


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
                         tuple(raw.get("aliases", ())), _opt(raw, "note"), depth,
                         cited(doc, raw, path, known, problems))

    # The published reports a label was read in are listed once, under ``sources:``.
    sources = build_sources(doc, data.get("sources", []), problems)
    known = {s.id for s in sources}
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
    proactive = build_figure_section(doc, "proactive", known, problems)
    remedies = build_figure_section(doc, "remedies", known, problems)
    ambiguous = _ambiguous(doc, data, {row.code for row, _ in _walk(rows)}, row_index, problems)
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
        proactive=proactive, remedies=remedies, sources=sources,
        ambiguous_outcomes=MappingProxyType(ambiguous),
    ), []


def _walk(rows: tuple[FormatRow, ...]) -> Iterator[tuple[FormatRow, tuple[FormatRow, ...]]]:
    for row in rows:
        yield from row.walk()


def _ambiguous(doc: YamlDocument, data: Mapping[str, Any], codes: set[str],
               row_index: Mapping[str, str], problems: list[Problem]
               ) -> dict[str, tuple[str, ...]]:
    """``ledger.ambiguous``: outcome spellings that could mean several rows (never placed)."""
    out: dict[str, tuple[str, ...]] = {}
    for i, entry in enumerate(data.get("ledger", {}).get("ambiguous", ())):
        path: tuple[str | int, ...] = ("ledger", "ambiguous", i)
        candidates = tuple(str(c) for c in entry["candidates"])
        for j, code in enumerate(candidates):
            if code not in codes:
                problems.append(_problem(doc, (*path, "candidates", j), "unknown_row",
                                         f"没有代码为 {code!r} 的行", f"no row has code {code!r}"))
        for spelling in entry["spellings"]:
            key = spelling_key(spelling)
            if key in row_index:
                problems.append(_problem(
                    doc, (*path, "spellings"), "ambiguous_label",
                    f"“{spelling}”已是 {row_index[key]} 的写法，不能同时列为含义不明",
                    f"{spelling!r} already means {row_index[key]}; it cannot also be ambiguous"))
            out[key] = candidates
    return out


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
    """Every problem in a table-format file (YAML, schema, codes, ambiguous labels, and a
    ``location`` that does not resolve to a shipped text)."""
    table_format, problems = _load(path)
    yield from problems
    if table_format is not None:
        yield from iter_location_problems(load_yaml_file(path), path.resolve().parent)


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
def _bundled(path: Path) -> TableFormat:
    table_format, problems = _load(path)
    if table_format is None:
        raise RulebookError(problems)
    return table_format


def bundled_format() -> TableFormat:
    """The bundled format in force (国办公开办函〔2021〕30号), loaded once."""
    return _bundled(bundled_format_path())


def bundled_formats() -> tuple[TableFormat, ...]:
    """Every bundled format, oldest first, each loaded once."""
    return tuple(sorted((_bundled(p) for p in bundled_format_paths()),
                        key=lambda f: f.first_year))


def format_for_year(year: int) -> TableFormat:
    """The bundled format whose ``reporting_years`` include ``year``.

    Raises:
        AnnualReportError: no bundled format applies (e.g. a year before 2019), or two do.
    """
    matching = [f for f in bundled_formats() if f.applies_to(year)]
    if len(matching) == 1:
        return matching[0]
    known = "；".join(f"{f.document_number} {f.years}" for f in bundled_formats())
    if not matching:
        msg = (f"no bundled annual-report format applies to reporting year {year} / 没有适用于 "
               f"{year} 年度的年度报告格式（{known}）")
    else:
        msg = (f"several bundled formats apply to reporting year {year} / 有多个格式适用于 "
               f"{year} 年度（{known}）")
    raise AnnualReportError(msg)
