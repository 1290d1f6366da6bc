"""Sections 二 and 四 of a table-format file, and its ``sources:`` list, as values.

:func:`govdisclose.annual.format.load_format` calls these while it builds a
:class:`~.format_model.TableFormat`; each returns the values and the problems found (duplicate
codes, a ``total_of`` naming an unknown column, a source id that is not listed), located in
the file.  Cell codes are ``<section>.<row>.<column>`` — ``s2.rules.issued``,
``s2.fees.amount``, ``s4.review.upheld``, ``s4.litigation_direct.total`` — a contract like
the row codes of section 三 (docs/annual-report.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .format_model import (
    FigureBlock,
    FigureColumn,
    FigureLabel,
    FigureSection,
    FormatSource,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .._yaml import YamlDocument
    from ..errors import Problem

__all__ = ["build_figure_section", "build_sources", "cited"]

Path = tuple[str | int, ...]


def _opt(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _problem(doc: YamlDocument, path: Path, code: str, zh: str, en: str) -> Problem:
    return doc.problem(path, f"format.{code}", zh, en)


def build_sources(doc: YamlDocument, raw: list[Mapping[str, Any]], problems: list[Problem]
                  ) -> tuple[FormatSource, ...]:
    """The ``sources:`` list (published reports the labels were read in)."""
    out: list[FormatSource] = []
    seen: set[str] = set()
    for i, s in enumerate(raw):
        if s["id"] in seen:
            problems.append(_problem(doc, ("sources", i, "id"), "duplicate_code",
                                     f"来源 id {s['id']!r} 重复",
                                     f"source id {s['id']!r} appears twice"))
        seen.add(s["id"])
        year = s.get("year")
        out.append(FormatSource(s["id"], _opt(s, "url"), s["report"],
                                None if year is None else int(year), s["shows"]))
    return tuple(out)


def cited(doc: YamlDocument, raw: Mapping[str, Any], path: Path, known: set[str],
          problems: list[Problem]) -> tuple[str, ...]:
    """The ``sources`` ids of a label at ``path``; an id not in ``known`` is a problem."""
    ids = tuple(str(x) for x in raw.get("sources", ()))
    for j, ident in enumerate(ids):
        if ident not in known:
            problems.append(_problem(
                doc, (*path, "sources", j), "unknown_source",
                f"未在 sources 中列出的来源 {ident!r}",
                f"source {ident!r} is not in the sources list"))
    return ids


def _label(doc: YamlDocument, raw: Mapping[str, Any], path: Path, known: set[str],
           problems: list[Problem]) -> FigureLabel:
    return FigureLabel(raw["code"], raw["text"], _opt(raw, "text_en"), raw["verified"],
                       cited(doc, raw, path, known, problems), _opt(raw, "note"))


def _block(doc: YamlDocument, raw: Mapping[str, Any], path: Path, known: set[str],
           problems: list[Problem]) -> FigureBlock:
    columns: list[FigureColumn] = []
    codes = [c["code"] for c in raw["columns"]]
    for j, c in enumerate(raw["columns"]):
        cpath = (*path, "columns", j)
        if codes.count(c["code"]) > 1 and codes.index(c["code"]) == j:
            problems.append(_problem(doc, (*cpath, "code"), "duplicate_code",
                                     f"列代码 {c['code']!r} 重复",
                                     f"column code {c['code']!r} appears twice"))
        total_of = tuple(str(x) for x in c.get("total_of", ()))
        for k, member in enumerate(total_of):
            if member not in codes or member == c["code"]:
                problems.append(_problem(
                    doc, (*cpath, "total_of", k), "total_of",
                    f"total_of 中的 {member!r} 不是本表块的另一列",
                    f"total_of names {member!r}, which is not another column of this block"))
        columns.append(FigureColumn(c["code"], c["text"], _opt(c, "text_en"), c["verified"],
                                    c["value"], total_of, cited(doc, c, cpath, known, problems),
                                    _opt(c, "note")))
    for column in columns:
        if column.total_of and any(
                next(c for c in columns if c.code == m).value != column.value
                for m in column.total_of if m in codes):
            problems.append(_problem(
                doc, path, "total_of", f"合计列 {column.code!r} 与其组成列的数值类型不同",
                f"the total column {column.code!r} and its parts have different value types"))
    rows = tuple(_label(doc, r, (*path, "rows", j), known, problems)
                 for j, r in enumerate(raw["rows"]))
    return FigureBlock(raw["code"], raw["heading"], raw["verified"], tuple(columns), rows,
                       cited(doc, raw, path, known, problems), _opt(raw, "note"))


def build_figure_section(doc: YamlDocument, key: str, known: set[str],
                         problems: list[Problem]) -> FigureSection | None:
    """Section ``key`` (``proactive`` or ``remedies``) of the file, or None when absent."""
    raw: Mapping[str, Any] | None = doc.data.get(key)
    if raw is None:
        return None
    blocks = tuple(_block(doc, b, (key, "blocks", i), known, problems)
                   for i, b in enumerate(raw["blocks"]))
    heading = raw.get("item_heading")
    section = FigureSection(
        raw["code"], raw["number"], raw["text"], _opt(raw, "text_en"), raw["verified"],
        str(raw.get("layout", "blocks")), blocks,
        None if heading is None else str(heading["text"]),
        cited(doc, raw, (key,), known, problems), _opt(raw, "note"))
    seen: dict[str, int] = {}
    for i, block in enumerate(blocks):
        if block.code in seen:
            problems.append(_problem(doc, (key, "blocks", i, "code"), "duplicate_code",
                                     f"表块代码 {block.code!r} 重复",
                                     f"block code {block.code!r} appears twice"))
        seen[block.code] = i
    cells: set[str] = set()
    for cell in section.cells:
        if cell.code in cells:
            problems.append(_problem(doc, (key,), "duplicate_code",
                                     f"单元格代码 {cell.code!r} 重复（行代码在本部分内须唯一）",
                                     f"cell code {cell.code!r} appears twice (row codes must be "
                                     "unique within the section)"))
        cells.add(cell.code)
    return section
