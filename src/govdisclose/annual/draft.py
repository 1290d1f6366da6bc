"""Sections 一、总体情况, 五、存在的主要问题及改进情况 and 六、其他需要报告的事项 as drafts.

A draft states figures and nothing else: each sentence is written from the wording data
(``draft_wording.yaml`` next to this module) with the figures of the tables filled in, and every
figure it states is recorded in its paragraph's ``figures`` (code → value), so that a checker
can hold the text to the tables.  The prose is left as :class:`~.model.Placeholder` s, whose
prompts say what belongs there.  Nothing here invents a claim.

Figure codes (every figure a draft may state, :func:`draft_figures`):

- ``s2.<row>.<column>``, ``s4.<row>.<column>``: the cells of sections 二 and 四 as the format
  of the year declares them (:class:`~.model.FigureTable`);
- ``s3.<row>.<column>``: a cell of section 三, ``<row>`` a row code of the format and
  ``<column>`` a column code; for a merged row (``not_disclosed``, ``unable``, …) the sum of
  its rows, which a checker recomputes the same way (:func:`table_figure`);
- ``processing_fees.amount`` (元) and ``processing_fees.requests``: the 信息处理费 of 六.

A figure is *missing* (``None``) when there is no data for it: a register cell listed in
``missing``, or a cell of 三 that the ledger cannot give (no applicant-type column: every cell;
no outcome column: the results and their total; no reply-date column: the results, their total
and 结转下年度).  A sentence with a missing figure is replaced by the ``missing`` marker naming
it — never written as 0.  A sentence naming a cell the year's format does not have at all is
left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from .model import DraftParagraph, DraftSection, Placeholder
from .register_sheets import bundled_yaml, instructions

if TYPE_CHECKING:
    from collections.abc import Mapping
    from decimal import Decimal

    from .format_model import FigureSection
    from .model import FigureTable
    from .table import AnnualTable

__all__ = ["DraftFigure", "Drafts", "draft_figures", "draft_sections", "missing_parts",
           "table_figure", "wording"]

_CODE = re.compile(r"\{([A-Za-z0-9_.]+)\}")
#: The ledger warnings that leave cells of 三 without data, and the row kinds (``count``) they
#: take away (``None``: every row).
_NO_DATA: Mapping[str, frozenset[str] | None] = MappingProxyType({
    "ledger.no_applicant_type": None,
    "ledger.no_outcome": frozenset({"outcome", "outcome_total"}),
    "ledger.no_replied_on": frozenset({"outcome", "outcome_total", "carried_forward"}),
})


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DraftFigure(FieldRepr):
    """A figure a draft may state: its value (``None``: no data) and a label for people."""

    code: str
    value: int | Decimal | None
    label: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Drafts(FieldRepr):
    """The three drafted sections."""

    overview: DraftSection
    problems_and_improvements: DraftSection
    other_matters: DraftSection


@cache
def wording() -> dict[str, Any]:
    """``draft_wording.yaml``: markers, labels, and each section's sentences and prompts.

    Raises:
        RulebookError: the bundled file is malformed (a packaging bug).
    """
    return bundled_yaml("draft_wording.yaml")


def table_figure(table: AnnualTable, code: str) -> int | None:
    """The section-三 figure ``s3.<row>.<column>`` as counted (a merged row: the sum of its
    rows); ``None`` when the code names no row or column of the table's format."""
    parts = code.split(".")
    if len(parts) < 3 or parts[0] != "s3":
        return None
    row_code, column = ".".join(parts[1:-1]), parts[-1]
    if column not in {c.code for c in table.columns}:
        return None
    try:
        row = table.format.row(row_code)
    except KeyError:
        return None
    return sum(table.value(r.code, column) for r, _ in row.walk() if not r.is_group)


def _table_figures(table: AnnualTable) -> list[DraftFigure]:
    lost: set[str] | None = set()
    for warning in table.warnings:
        if warning.code in _NO_DATA:
            kinds = _NO_DATA[warning.code]
            lost = None if kinds is None or lost is None else lost | kinds
    out: list[DraftFigure] = []
    for row, _ in table.format.walk():
        counts = {r.count for r, _ in row.walk() if not r.is_group}
        missing = lost is None or not lost.isdisjoint(counts)
        for column in table.columns:
            code = f"s3.{row.code}.{column.code}"
            out.append(DraftFigure(code, None if missing else table_figure(table, code),
                                   f"{row.text}（{column.label}）"))
    return out


def _cell_figures(section: FigureSection | None, table: FigureTable) -> list[DraftFigure]:
    if section is None:
        return []
    labels = {cell.code: f"{cell.row.text}（{cell.column.text}）" for cell in section.cells}
    return [DraftFigure(cell.code, cell.value, labels.get(cell.code, cell.code))
            for cell in table.cells]


def draft_figures(table: AnnualTable, proactive: FigureTable, remedies: FigureTable,
                  processing_fees: Mapping[str, int | Decimal | None]
                  ) -> dict[str, DraftFigure]:
    """Every figure a draft may state, by code: section 三 from ``table``, 二 and 四 from
    their tables in the cells of the table's format, the 信息处理费 of 六."""
    labels: Mapping[str, str] = wording()["labels"]
    fmt = table.format
    figures = [*_table_figures(table), *_cell_figures(fmt.proactive, proactive),
               *_cell_figures(fmt.remedies, remedies),
               *(DraftFigure(key, value, str(labels.get(key, key)))
                 for key, value in processing_fees.items())]
    return {f.code: f for f in figures}


def _sentence(text: str, figures: Mapping[str, DraftFigure], stated: dict[str, int | Decimal]
              ) -> str | None:
    codes = _CODE.findall(text)
    if any(code not in figures for code in codes):
        return None  # the year's format has no such cell
    missing = [figures[c].label for c in codes if figures[c].value is None]
    if missing:
        markers = wording()["markers"]
        return str(markers["missing"]).format(labels=markers["label_separator"].join(missing))
    for code in codes:
        value = figures[code].value
        assert value is not None
        stated[code] = value
    return _CODE.sub(lambda m: str(figures[m.group(1)].value), text)


def _placeholder(item: Mapping[str, Any], **values: object) -> Placeholder:
    return Placeholder(str(item["key"]), str(item["zh"]).format(**values).strip(),
                       str(item["en"]).format(**values).strip())


def _section(key: str, figures: Mapping[str, DraftFigure], extra: Mapping[int, Placeholder]
             ) -> DraftSection:
    paragraphs: list[DraftParagraph] = []
    for index, item in enumerate(wording()["sections"][key]):
        stated: dict[str, int | Decimal] = {}
        sentences = [s for s in (_sentence(str(t), figures, stated)
                                 for t in item.get("sentences") or ()) if s is not None]
        placeholders = [_placeholder(p) for p in item.get("placeholders") or ()]
        if index in extra:
            placeholders.insert(0, extra[index])
        heading = item.get("heading")
        paragraphs.append(DraftParagraph(None if heading is None else str(heading),
                                         tuple(sentences), stated, tuple(placeholders)))
    return DraftSection(str(instructions()["report_sections"][key]), tuple(paragraphs))


def draft_sections(table: AnnualTable, proactive: FigureTable, remedies: FigureTable,
                   processing_fees: Mapping[str, int | Decimal | None]) -> Drafts:
    """Sections 一, 五 and 六 drafted from the tables: ``table`` (三), ``proactive`` (二),
    ``remedies`` (四) and the 信息处理费 figures (``processing_fees.amount`` in 元,
    ``processing_fees.requests``; ``None`` when the register has none for the year).

    When ledger rows could not be placed, the paragraph that states 三's figures opens with a
    placeholder saying how many rows the figures leave out."""
    figures = draft_figures(table, proactive, remedies, processing_fees)
    extra: dict[int, Placeholder] = {}
    if table.unplaced:
        overview = wording()["sections"]["overview"]
        index = next((i for i, p in enumerate(overview)
                      if any("{s3." in str(s) for s in p.get("sentences") or ())), 0)
        extra[index] = _placeholder(wording()["unplaced"], count=len(table.unplaced))
    return Drafts(_section("overview", figures, extra),
                  _section("problems_and_improvements", figures, {}),
                  _section("other_matters", figures, {}))


def missing_parts(sentence: str) -> tuple[tuple[bool, str], ...]:
    """``sentence`` cut into ``(is_missing_marker, text)`` pieces, for outputs that mark a
    missing figure visibly."""
    template = str(wording()["markers"]["missing"])
    head, _, tail = template.partition("{labels}")
    pattern = re.compile(re.escape(head) + r".*?" + re.escape(tail))
    out: list[tuple[bool, str]] = []
    position = 0
    for match in pattern.finditer(sentence):
        if match.start() > position:
            out.append((False, sentence[position:match.start()]))
        out.append((True, match.group()))
        position = match.end()
    if position < len(sentence):
        out.append((False, sentence[position:]))
    return tuple(out)
