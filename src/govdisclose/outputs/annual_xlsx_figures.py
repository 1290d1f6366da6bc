"""The sheets of sections 二 and 四 in the workbook of ``annual-report --full --xlsx``.

Each section is one sheet laid out like the official table: the grids of
:func:`.annual_layout.layout` (the same the HTML page and the Word document print), their merged
headings as merged cells, one grid under another.  A cell with no data says ``缺数`` (never 0).
Row 1 names the section and the year (``annual-report check`` reads the year there), and the
sheets are read back by :mod:`govdisclose.annual.check_figure_sheets`.  Every cell passes the
workbook writers' neutralising (:func:`.xlsx_cells.safe_cell`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from .annual_layout import layout

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from ..annual.model import AnnualReport
    from .annual_layout import Grid

__all__ = ["FIGURE_SHEETS", "add_figure_sheets"]

#: Sheet names by the report's section key.
FIGURE_SHEETS = {"proactive": "二 主动公开", "remedies": "四 复议诉讼"}


def _number(text: str) -> int | Decimal | str:
    """A figure as a number for the sheet (a count or 万元); ``缺数`` and other text stay text."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    return int(value) if value == value.to_integral_value() and "." not in text else value


def _write_grids(ws: Worksheet, title: str, grids: tuple[Grid, ...]) -> None:
    """Write ``grids`` one under another below ``title`` (row 1)."""
    from openpyxl.styles import Alignment, Border, Font, Side

    from .xlsx_cells import safe_cell

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.cell(row=1, column=1, value=safe_cell(title)).font = Font(bold=True)
    top = 3
    for grid in grids:
        for line in grid.rows:
            for cell in line:
                r, c = top + cell.row, 1 + cell.col
                target = ws.cell(row=r, column=c,
                                 value=safe_cell(cell.text if cell.head else _number(cell.text)))
                target.alignment = center
                if cell.head:
                    target.font = Font(bold=True)
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        ws.cell(row=r + dr, column=c + dc).border = border
                if cell.rowspan > 1 or cell.colspan > 1:
                    ws.merge_cells(start_row=r, start_column=c,
                                   end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1)
        top += len(grid.rows) + 1


def add_figure_sheets(book: Workbook, report: AnnualReport) -> None:
    """Add the sheets of 二 and 四 (after the sheet of 三) and their notes."""
    from openpyxl.utils import get_column_letter

    from .xlsx_cells import safe_row

    sections = {s.heading: s for s in layout(report).sections}
    for key, table in (("proactive", report.proactive), ("remedies", report.remedies)):
        section = sections.get(table.section)
        if section is None:
            continue
        # 二 before the sheet of 三, 四 after it (the notes sheets follow)
        sheet = book.create_sheet(FIGURE_SHEETS[key], 0 if key == "proactive" else 2)
        _write_grids(sheet, f"{table.section}（{report.year}年度）", section.grids)
        width = max((g.width for g in section.grids), default=1)
        for c in range(1, width + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 16 if c == 1 else 12
        if table.missing:
            sheet.append([])
            sheet.append(safe_row([f"缺数 missing: {'、'.join(table.missing)}"]))
        for note in table.notes:
            sheet.append(safe_row([str(note)]))
    if report.problems:
        problems = book.create_sheet("问题 problems")
        problems.append(safe_row(["代码 code", "说明", "message"]))
        for reason in report.problems:
            problems.append(safe_row([reason.code, reason.message_zh, reason.message_en]))
