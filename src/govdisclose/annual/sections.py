"""The figures of sections 二 and 四, and the 信息处理费 of section 六, from the agency register.

Each figure is keyed by a semantic key ``<row>.<column>`` whose parts are the row and column
codes of the table format's blocks (``rules.issued``, ``licensing.decisions``, ``fees.amount``,
``review.upheld``, ``litigation_after_review.total`` …) and carries the register rows it was
counted from.  :func:`figure_table` lays the figures out in a format's cell order as a
:class:`~.model.FigureTable`.

How each figure is counted, for the reporting year Y (1 January to 31 December):

- 规章 / 行政规范性文件: 本年制发件数 — issued within Y; 本年废止件数 — repealed within Y;
  现行有效件数 — issued on or before 31 December of Y and neither repealed nor expired on or
  before that day (a document repealed on 31 December is no longer in force at the year's end).
- 行政许可 / 行政处罚 / 行政强制: the yearly counts for Y plus the dated decisions of Y.
- 行政事业性收费: the amounts of Y in 万元 (元 divided by 10,000), the total rounded half up to
  4 decimals once (a note says when rounding changed it).
- 行政复议 / 行政诉讼: every case filed on or before 31 December of Y and not concluded before
  1 January of Y.  Concluded within Y: its result (维持 / 纠正 / 其他); not concluded by
  31 December (no date, or a later one): 尚未审结.  A case filed within Y with a result but no
  date is counted as concluded within Y (a note asks for the date); one filed before Y with a
  result and no date cannot be placed and is a problem.  总计 is the sum of the four.
- 信息处理费: the amounts charged within Y, in 元, and the number of requests charged.

A figure is *missing* (``None``, never 0) when the register holds nothing for it: no document
of that kind at all, no decision or fee row of year Y, no case at all, no 信息处理费 of Y —
unless the sheet 无此项 declares the item none for Y, which makes it 0.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from .draft import draft_sections
from .items import merge_items
from .model import AnnualReport, Cell, FigureTable
from .register_sheets import (
    CASE_RESULTS,
    CASE_ROUTES,
    DECISION_KINDS,
    DOCUMENT_KINDS,
    instructions,
)
from .table import Reason

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ..errors import Problem
    from .format_model import FigureSection
    from .items import ItemLedger
    from .register import Register, RowRef
    from .table import AnnualTable

__all__ = [
    "OTHER_KEYS",
    "PROACTIVE_KEYS",
    "REMEDY_KEYS",
    "Figure",
    "SectionFigures",
    "build_report",
    "figure_table",
    "format_cells",
    "proactive_figures",
    "processing_fee_figures",
    "remedy_figures",
    "sources",
]

_DOCUMENT_COLUMNS = ("issued", "repealed", "in_force")
_RESULTS = tuple(c.code for c in CASE_RESULTS)
#: The keys of section 二's figures, of 四's, and of the 信息处理费 of 六, in table order.
PROACTIVE_KEYS = (*(f"{k.code}.{c}" for k in DOCUMENT_KINDS for c in _DOCUMENT_COLUMNS),
                  *(f"{k.code}.decisions" for k in DECISION_KINDS), "fees.amount")
REMEDY_KEYS = tuple(f"{r.code}.{c}" for r in CASE_ROUTES for c in (*_RESULTS, "total"))
OTHER_KEYS = ("processing_fees.amount", "processing_fees.requests")
_WAN_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Figure(FieldRepr):
    """One figure: its key, value (``None``: no data — missing, not 0) and register rows."""

    key: str
    value: int | Decimal | None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class SectionFigures(FieldRepr):
    """The figures of one section; ``notes`` say what counting decided, ``problems`` what
    kept a record out of the count."""

    section: str
    figures: tuple[Figure, ...]
    notes: tuple[Reason, ...] = ()
    problems: tuple[Reason, ...] = ()

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def value(self, key: str) -> int | Decimal | None:
        return self.figure(key).value

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.figures if f.value is None)


def sources(refs: Iterable[RowRef]) -> tuple[str, ...]:
    """Rows as people read them, one string per sheet: ``“文件”第 2–4、7 行 / sheet 文件
    rows 2-4, 7``."""
    out: list[str] = []
    ordered = sorted(set(refs), key=lambda r: (r.sheet, r.name, r.form, r.row))
    for (_, name, form), group in groupby(ordered, key=lambda r: (r.sheet, r.name, r.form)):
        rows = [r.row for r in group]
        spans: list[tuple[int, int]] = []
        for row in rows:
            if spans and row == spans[-1][1] + 1:
                spans[-1] = (spans[-1][0], row)
            else:
                spans.append((row, row))
        zh = "、".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
        en = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
        plural = "s" if len(rows) > 1 else ""
        out.append(f"“{name}”第 {zh} 行 / sheet {name} row{plural} {en}" if form == "xlsx"
                   else f"{name} 第 {zh} 项 / {name} item{plural} {en}")
    return tuple(out)


def _figure(key: str, kept: bool, value: int | Decimal, refs: Sequence[RowRef],
            fallback: Iterable[RowRef]) -> Figure:
    if not kept:
        return Figure(key, None)
    return Figure(key, value, sources(refs or fallback))


def _declared(register: Register, item: str, year: int) -> list[RowRef]:
    found = register.declared(item, year)
    return [] if found is None else [found.source]


def _wan(total: Decimal) -> Decimal:
    rounded = total.quantize(_WAN_PLACES, rounding=ROUND_HALF_UP)
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() \
        else rounded.normalize()


def proactive_figures(register: Register, year: int) -> SectionFigures:
    """Section 二 (``PROACTIVE_KEYS``) for ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    figures: list[Figure] = []
    notes: list[Reason] = []
    for kind in DOCUMENT_KINDS:
        docs = [d for d in register.documents if d.kind == kind.code]
        # Records of the item ledger know the issue date only: they count in 本年制发件数,
        # while 本年废止件数 and 现行有效件数 need the register's full records.
        full = [d for d in docs if not d.issued_only]
        declared = _declared(register, f"documents.{kind.code}", year)
        issued = [d.source for d in docs if start <= d.issued_on <= end]
        repealed = [d.source for d in full
                    if d.repealed_on is not None and start <= d.repealed_on <= end]
        in_force = [d.source for d in full if d.issued_on <= end
                    and (d.repealed_on is None or d.repealed_on > end)
                    and (d.expired_on is None or d.expired_on > end)]
        for column, refs, kept, pool in zip(
                _DOCUMENT_COLUMNS, (issued, repealed, in_force),
                (bool(docs or declared), bool(full or declared), bool(full or declared)),
                (docs, full, full), strict=True):
            fallback = declared or [d.source for d in pool]
            figures.append(_figure(f"{kind.code}.{column}", kept, len(refs), refs, fallback))
    for kind in DECISION_KINDS:
        rows = [d for d in register.decisions if d.kind == kind.code and d.year == year]
        declared = _declared(register, f"decisions.{kind.code}", year)
        if {d.decided_on is None for d in rows} == {True, False}:
            notes.append(Reason(
                "register.decisions_mixed",
                f"{kind.label}：{year} 年既有按年汇总的数量，又有逐件登记的决定，两者相加；"
                "请确认没有重复计数",
                f"{kind.code}: {year} has both a yearly count and dated decisions; both are "
                "added, check that none is counted twice"))
        figures.append(_figure(f"{kind.code}.decisions", bool(rows or declared),
                               sum(d.count for d in rows), [d.source for d in rows], declared))
    fees = [f for f in register.fees if f.year == year]
    declared = _declared(register, "fees", year)
    total = sum((f.amount_wan for f in fees), Decimal(0))
    amount = _wan(total)
    if amount != total:
        notes.append(Reason("register.fees_rounded",
                            f"行政事业性收费合计 {total} 万元，四舍五入为 {amount} 万元",
                            f"fees total {total} (10,000 yuan), rounded to {amount}"))
    figures.append(_figure("fees.amount", bool(fees or declared), amount,
                           [f.source for f in fees], declared))
    return SectionFigures("proactive", tuple(figures), tuple(notes))


def remedy_figures(register: Register, year: int) -> SectionFigures:
    """Section 四 (``REMEDY_KEYS``) for ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    counted: dict[str, list[RowRef]] = {key: [] for key in REMEDY_KEYS}
    notes: list[Reason] = []
    problems: list[Reason] = []
    for case in register.cases:
        if case.filed_on > end or (case.decided_on is not None and case.decided_on < start):
            continue
        result = case.result
        if case.decided_on is None and result not in (None, "pending"):
            if case.filed_on < start:
                problems.append(Reason(
                    "register.case_undated",
                    f"{case.source.zh}（案号 {case.id}）：{year} 年以前收到，写了结果却没有审结日期，"
                    "无法确定计入哪一年；请补写审结日期",
                    f"{case.source.en} (case {case.id}): filed before {year} with a result but "
                    "no decided_on date, so its year is unknown; add the date"))
                continue
            notes.append(Reason(
                "register.case_result_undated",
                f"{case.source.zh}（案号 {case.id}）：有结果而无审结日期，按本年审结计入；请补写审结日期",
                f"{case.source.en} (case {case.id}): a result without decided_on, counted as "
                "concluded this year; add the date"))
        elif case.decided_on is None or case.decided_on > end:
            result = "pending"
        counted[f"{case.route}.{result or 'pending'}"].append(case.source)
    declared = _declared(register, "cases", year)
    kept = bool(register.cases or declared)
    figures: list[Figure] = []
    for route in CASE_ROUTES:
        group = [ref for r in _RESULTS for ref in counted[f"{route.code}.{r}"]]
        for column in _RESULTS:
            key = f"{route.code}.{column}"
            figures.append(_figure(key, kept, len(counted[key]), counted[key], declared))
        figures.append(_figure(f"{route.code}.total", kept, len(group), group, declared))
    return SectionFigures("remedies", tuple(figures), tuple(notes), tuple(problems))


def processing_fee_figures(register: Register, year: int) -> SectionFigures:
    """The 信息处理费 of ``year`` for section 六 (``OTHER_KEYS``): the amount in 元 and the
    number of requests charged."""
    rows = [f for f in register.processing_fees if f.charged_on.year == year]
    declared = _declared(register, "processing_fees", year)
    kept = bool(rows or declared)
    refs = [f.source for f in rows]
    amount = sum((f.amount for f in rows), Decimal(0)).quantize(Decimal("0.01"))
    return SectionFigures("other_matters", (
        _figure("processing_fees.amount", kept, amount, refs, declared),
        _figure("processing_fees.requests", kept, len({f.request_id for f in rows}), refs,
                declared)))


def figure_table(section: str, figures: SectionFigures, cells: Sequence[tuple[str, str]]
                 ) -> FigureTable:
    """The figures laid out as a format's table.

    ``cells`` are ``(cell code, figure key)`` pairs in the format's cell order: every cell the
    format declares for the year, each with the key of :data:`PROACTIVE_KEYS` or
    :data:`REMEDY_KEYS` it shows (for the bundled formats the code of a cell is its block
    row and column, as the key).  A cell whose key has no figure, or whose figure is missing,
    is ``None`` and listed in ``missing`` — never 0.  ``notes`` are the counting's notes and
    problems.
    """
    known = {f.key: f for f in figures.figures}
    out: list[Cell] = []
    missing: list[str] = []
    for code, key in cells:
        figure = known.get(key)
        if figure is None or figure.value is None:
            out.append(Cell(code, None))
            missing.append(code)
        else:
            out.append(Cell(code, figure.value, figure.sources))
    return FigureTable(section, tuple(out), tuple(missing),
                       (*figures.notes, *figures.problems))


def format_cells(section: FigureSection | None) -> tuple[tuple[str, str], ...]:
    """``(cell code, figure key)`` of every cell of a format's section 二 or 四, in the
    format's order: the cell ``s2.rules.issued`` shows the figure ``rules.issued`` (its row
    and column codes).  A format whose cells name other columns (the 2019 layout's 本年新制作数量
    …) gets keys no figure has: those cells are missing."""
    if section is None:
        return ()
    return tuple((cell.code, f"{cell.row.code}.{cell.column.code}") for cell in section.cells)


def _reason(problem: Problem) -> Reason:
    return Reason(problem.code, f"{problem.location}：{problem.message_zh}",
                  f"{problem.location}: {problem.message_en}")


def build_report(table: AnnualTable, register: Register, *, agency: str | None = None,
                 items: ItemLedger | None = None) -> AnnualReport:
    """The whole report of ``table``'s year: section 三 as ``table`` (counted from the request
    ledger with the format of the year), 二 and 四 from ``register`` in that format's cells,
    and 一, 五, 六 as drafts stating the tables' figures with placeholders for the prose
    (:mod:`.draft`; 六 states the 信息处理费).  ``problems`` lists every register cell that
    could not be used and every case that could not be placed.  ``items``, an item ledger
    (:mod:`.items`), adds its records to section 二; its notes join 二's, its problems the
    report's."""
    fmt, year = table.format, table.year
    item_notes: tuple[Reason, ...] = ()
    if items is not None:
        register, item_notes = merge_items(register, items)
    proactive, remedies = proactive_figures(register, year), remedy_figures(register, year)
    proactive = replace(proactive, notes=(*proactive.notes, *item_notes))
    headings = instructions()["report_sections"]
    fees = processing_fee_figures(register, year)

    def table_of(section: FigureSection | None, figures: SectionFigures, key: str
                 ) -> FigureTable:
        heading = section.heading if section is not None else str(headings[key])
        return figure_table(heading, figures, format_cells(section))

    proactive_table = table_of(fmt.proactive, proactive, "proactive")
    remedies_table = table_of(fmt.remedies, remedies, "remedies")
    drafts = draft_sections(table, proactive_table, remedies_table,
                            {f.key: f.value for f in fees.figures})
    return AnnualReport(
        agency=agency or table.rulebook_name, rulebook=table.rulebook, year=year,
        period=(date(year, 1, 1), date(year, 12, 31)), format_id=fmt.id,
        overview=drafts.overview,
        proactive=proactive_table,
        requests=table,
        remedies=remedies_table,
        problems_and_improvements=drafts.problems_and_improvements,
        other_matters=drafts.other_matters,
        problems=(*map(_reason, register.problems), *remedies.problems))
