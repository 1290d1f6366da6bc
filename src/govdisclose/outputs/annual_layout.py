"""The whole annual report laid out for a page: what :mod:`.annual_report_html` and
:mod:`.annual_docx` print, computed once so the two cannot differ.

Sections 二, 三 and 四 become :class:`Grid` s, the format's rows and columns with their merged
headings (each :class:`GridCell` with its position and spans, as an HTML table or a Word table
merges them); sections 一, 五 and 六 become paragraphs whose pieces say what is a figure
sentence, a missing figure or a placeholder.  Labels carry the verification marks of
:data:`~govdisclose.annual.format_model.VERIFIED_MARKS`.  Nothing here escapes: the writers do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from ..annual.draft import missing_parts, wording
from ..annual.format_model import VERIFIED_MARKS
from ..annual.model import MISSING_CELL

if TYPE_CHECKING:
    from decimal import Decimal

    from ..annual.format_model import FigureSection, FormatRow
    from ..annual.model import AnnualReport, DraftSection, FigureTable
    from ..annual.table import AnnualTable

__all__ = ["Grid", "GridCell", "Layout", "Piece", "Section", "TextBlock", "layout"]



@dataclass(frozen=True, slots=True, repr=False, eq=False)
class GridCell(FieldRepr):
    """A cell of a table: a heading (``head``) or a value, its position and spans.

    ``css`` is ``missing`` for a figure with no data; ``title`` where the figure comes from."""

    text: str
    head: bool
    row: int = 0
    col: int = 0
    rowspan: int = 1
    colspan: int = 1
    css: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Grid(FieldRepr):
    """One table: ``rows`` of cells in reading order (each cell placed at ``row``/``col``);
    the first ``header_rows`` rows are headings."""

    rows: tuple[tuple[GridCell, ...], ...]
    header_rows: int
    width: int
    caption: str = ""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Piece(FieldRepr):
    """A run of text: ``kind`` is ``text``, ``missing`` (a missing figure) or
    ``placeholder`` (prose to write)."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TextBlock(FieldRepr):
    """A paragraph of a draft: its subheading (or ``""``) and its lines of pieces."""

    heading: str
    lines: tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Section(FieldRepr):
    """A section of the report: its heading, then its paragraphs or its tables."""

    heading: str
    mark: str
    paragraphs: tuple[TextBlock, ...] = ()
    grids: tuple[Grid, ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Layout(FieldRepr):
    """The report as pages print it."""

    agency: str
    title_year: int
    period: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...]
    format_number: str
    ledger: str


def _place(rows: list[list[GridCell]], header_rows: int, caption: str = "") -> Grid:
    """Positions for ``rows`` as an HTML table places them (spans occupy the slots below)."""
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[GridCell, ...]] = []
    width = 0
    for r, cells in enumerate(rows):
        col, out = 0, []
        for cell in cells:
            while (r, col) in taken:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            out.append(GridCell(cell.text, cell.head, r, col, cell.rowspan, cell.colspan,
                                cell.css, cell.title))
            col += cell.colspan
        width = max(width, col, *(c + 1 for (row, c) in taken if row == r))
        placed.append(tuple(out))
    return Grid(tuple(placed), header_rows, width, caption)


def _value(value: int | Decimal | None, sources: tuple[str, ...] = ()) -> GridCell:
    if value is None:
        return GridCell(MISSING_CELL, False, css="missing")
    return GridCell(str(value), False, title="；".join(sources))


def _marked(text: str, verified: str) -> str:
    return f"{text}{VERIFIED_MARKS.get(verified, '?')}"


def _requests_grid(table: AnnualTable) -> Grid:
    fmt = table.format
    depth, columns = fmt.depth, fmt.columns
    rows: list[list[GridCell]] = [
        [GridCell(_marked(fmt.identity, fmt.identity_verified), True, rowspan=3, colspan=depth),
         GridCell(fmt.column_heading, True, colspan=len(columns))], [], []]
    i = 0
    while i < len(columns):
        group = columns[i].group
        if group is None:
            rows[1].append(GridCell(_marked(columns[i].text, columns[i].verified), True,
                                    rowspan=2))
            i += 1
            continue
        span = 1
        while i + span < len(columns) and columns[i + span].group == group:
            span += 1
        rows[1].append(GridCell(_marked(group.text, group.verified), True, colspan=span))
        rows[2].extend(GridCell(_marked(c.text, c.verified), True) for c in columns[i:i + span])
        i += span
    values = {row.code: row.values for row in table.rows}

    def lay(row: FormatRow) -> list[list[GridCell]]:
        if row.is_group:
            body = [line for child in row.children for line in lay(child)]
            body[0].insert(0, GridCell(_marked(row.label, row.verified), True,
                                       rowspan=len(body)))
            return body
        return [[GridCell(_marked(row.label, row.verified), True, colspan=depth - row.depth),
                 *(GridCell(str(v), False) for v in values[row.code])]]

    for row in fmt.rows:
        rows.extend(lay(row))
    return _place(rows, 3)


def _blocks_grids(section: FigureSection, table: FigureTable) -> tuple[Grid, ...]:
    """Section 二: one small table per block (heading; 信息内容 and columns; rows)."""
    cells = {c.code: c for c in table.cells}
    item = section.item_heading or ""
    grids = []
    for block in section.blocks:
        n = len(block.columns)
        rows = [[GridCell(_marked(block.heading, block.verified), True, colspan=n + 1)],
                [GridCell(item, True),
                 *(GridCell(_marked(c.text, c.verified), True) for c in block.columns)]]
        for label in block.rows:
            line = [GridCell(_marked(label.text, label.verified), True)]
            for column in block.columns:
                cell = cells.get(f"{section.code}.{label.code}.{column.code}")
                line.append(_value(None) if cell is None else _value(cell.value, cell.sources))
            rows.append(line)
        grids.append(_place(rows, 2))
    return tuple(grids)


def _one_row_grid(section: FigureSection, table: FigureTable) -> Grid:
    """Section 四: block headings, then row labels, then columns, then one row of values."""
    cells = {c.code: c for c in table.cells}
    rows: list[list[GridCell]] = [[], [], [], []]
    for block in section.blocks:
        n = len(block.columns)
        single = len(block.rows) == 1 and block.rows[0].text == block.heading
        rows[0].append(GridCell(_marked(block.heading, block.verified), True,
                                rowspan=2 if single else 1, colspan=n * len(block.rows)))
        for label in block.rows:
            if not single:
                rows[1].append(GridCell(_marked(label.text, label.verified), True, colspan=n))
            rows[2].extend(GridCell(_marked(c.text, c.verified), True) for c in block.columns)
            for column in block.columns:
                cell = cells.get(f"{section.code}.{label.code}.{column.code}")
                rows[3].append(_value(None) if cell is None else _value(cell.value, cell.sources))
    return _place(rows, 3)


def _figure_section(section: FigureSection | None, table: FigureTable) -> Section:
    if section is None:  # a format without this section: its cells, one per line
        grid = _place([[GridCell(c.code, True), _value(c.value, c.sources)]
                       for c in table.cells], 0)
        return Section(table.section, "", grids=(grid,))
    grids = ((_one_row_grid(section, table),) if section.layout == "one_row"
             else _blocks_grids(section, table))
    return Section(section.heading, VERIFIED_MARKS.get(section.verified, "?"), grids=grids)


def _draft(section: DraftSection) -> Section:
    markers = wording()["markers"]
    blocks = []
    for paragraph in section.paragraphs:
        lines = [tuple(Piece("missing" if missing else "text", text)
                       for missing, text in missing_parts(sentence))
                 for sentence in paragraph.sentences]
        lines.extend((Piece("placeholder", str(markers["placeholder"]).format(
            prompt=p.prompt_zh)),) for p in paragraph.placeholders)
        blocks.append(TextBlock(paragraph.heading or "", tuple(lines)))
    return Section(section.heading, "", paragraphs=tuple(blocks))


def _notes(report: AnnualReport) -> tuple[str, ...]:
    table = report.requests
    out = [f"{table.format.section}：勾稽关系{table.identity.verdict_zh} / identity "
           f"{table.identity.verdict_en}"]
    out.extend(str(w) for w in table.warnings)
    out.extend(f"未能归类 unplaced: {u}" for u in table.unplaced)
    for figures in (report.proactive, report.remedies):
        if figures.missing:
            out.append(f"{figures.section}：缺数 missing: {'、'.join(figures.missing)}")
        out.extend(str(n) for n in figures.notes)
    out.extend(str(p) for p in report.problems)
    return tuple(out)


def layout(report: AnnualReport) -> Layout:
    """``report`` as pages print it: the six sections in order, the notes after them."""
    start, end = report.period
    fmt = report.requests.format
    requests = Section(fmt.section, "", grids=(_requests_grid(report.requests),))
    return Layout(
        agency=report.agency, title_year=report.year,
        period=(f"{start.year}年{start.month}月{start.day}日至"
                f"{end.year}年{end.month}月{end.day}日"),
        sections=(_draft(report.overview), _figure_section(fmt.proactive, report.proactive),
                  requests, _figure_section(fmt.remedies, report.remedies),
                  _draft(report.problems_and_improvements), _draft(report.other_matters)),
        notes=_notes(report), format_number=fmt.document_number,
        ledger=report.requests.ledger)
