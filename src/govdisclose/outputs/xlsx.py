"""Excel outputs: the annual report's request table laid out like the official one.

:func:`write_annual_report_xlsx` writes ``govdisclose annual-report --xlsx``: sheet 1 the table
with its merged headings and labels (the identity statement in the top-left cell), sheet 2 each
row's verification status and note, sheet 3 (only when there are any) the unplaced ledger rows.
openpyxl is imported only when a workbook is written.

Every cell passes :func:`.xlsx_cells.safe_cell` (neutralised against formula injection; the
control characters xlsx cannot hold written as text).  With the whole report (``--full
--xlsx``) the sheets of 二 and 四 are added by :mod:`.annual_xlsx_figures`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .xlsx_cells import safe_cell, safe_row

if TYPE_CHECKING:
    from pathlib import Path

    from ..annual.format_model import FormatRow
    from ..annual.model import AnnualReport
    from ..annual.table import AnnualTable

__all__ = ["write_annual_report_xlsx"]

def write_annual_report_xlsx(table: AnnualTable, path: Path,
                             report: AnnualReport | None = None) -> None:
    """Write the table laid out like the official one (merged headings and labels).

    Sheet 1 holds the table, sheet 2 each row's verification status and source, and
    sheet 3 (only when there are any) the unplaced ledger rows.  With ``report`` (the whole
    report, ``--full --xlsx``), the sheets of sections 二 and 四 are added
    (:mod:`.annual_xlsx_figures`), with the report's problems.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    fmt = table.format
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "三 申请情况"
    depth = fmt.depth
    first_data_col = depth + 1
    last_col = depth + len(fmt.columns)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    def put(row: int, col: int, value: str | int, *, end_row: int | None = None,
            end_col: int | None = None, align: Alignment = center) -> None:
        end_row, end_col = end_row or row, end_col or col
        sheet.cell(row=row, column=col, value=safe_cell(value))
        for r in range(row, end_row + 1):
            for c in range(col, end_col + 1):
                sheet.cell(row=r, column=c).border = border
        sheet.cell(row=row, column=col).alignment = align
        if (end_row, end_col) != (row, col):
            sheet.merge_cells(start_row=row, start_column=col, end_row=end_row,
                              end_column=end_col)

    sheet.cell(row=1, column=1, value=safe_cell(f"{fmt.section}（{table.year}年度）")).font = Font(
        bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    put(2, 1, fmt.identity, end_row=4, end_col=depth)
    put(2, first_data_col, fmt.column_heading, end_col=last_col)
    col = first_data_col
    i = 0
    while i < len(fmt.columns):
        column = fmt.columns[i]
        if column.group is None:
            put(3, col, column.text, end_row=4)
            i, col = i + 1, col + 1
            continue
        span = 1
        while i + span < len(fmt.columns) and fmt.columns[i + span].group == column.group:
            span += 1
        put(3, col, column.group.text, end_col=col + span - 1)
        for k in range(span):
            put(4, col + k, fmt.columns[i + k].text)
        i, col = i + span, col + span

    values = {row.code: row.values for row in table.rows}
    next_row = 5

    def lay(row: FormatRow) -> tuple[int, int]:
        """Write ``row`` from ``next_row``; returns the sheet rows it spans."""
        nonlocal next_row
        top = next_row
        if row.is_group:
            for child in row.children:
                lay(child)
            put(top, row.depth + 1, row.label, end_row=next_row - 1, align=left)
            return top, next_row - 1
        put(top, row.depth + 1, row.label, end_col=depth, align=left)
        for k, value in enumerate(values[row.code]):
            put(top, first_data_col + k, value)
        next_row += 1
        return top, top

    for row in fmt.rows:
        lay(row)
    for c in range(1, depth + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 8 if c < depth else 40
    for c in range(first_data_col, last_col + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 10
    sheet.cell(row=next_row + 1, column=1,
               value=safe_cell(f"格式：{fmt.document_number}《{fmt.title}》；数据：{table.ledger}"))

    notes = book.create_sheet("说明 notes")
    notes.append(safe_row(["代码 code", "项目 item", "核实情况 verified", "说明 note"]))
    for row, _ in fmt.walk():
        notes.append(safe_row([row.code, row.label, row.verified, row.note or ""]))
    for column in fmt.columns:
        notes.append(safe_row([f"column:{column.code}", column.label, column.verified,
                           column.note or ""]))
    notes.append([])
    notes.append(safe_row(["identity", fmt.identity, fmt.identity_verified,
                       f"{table.identity.verdict_zh} {table.identity.verdict_en}"
                       if table.identity.holds else
                       f"不成立 does not hold: {table.identity.explanation_zh}"]))
    for item in fmt.review:
        notes.append(safe_row(["review", item]))
    if table.unplaced:
        bad = book.create_sheet("未能归类 unplaced")
        bad.append(safe_row(["行 line", "编号 id", "计入 counted in", "原因 reason",
                          "reason (English)"]))
        for u in table.unplaced:
            bad.append(safe_row([u.line, u.id, ", ".join(u.counted_in),
                             "；".join(r.message_zh for r in u.reasons),
                             "; ".join(r.message_en for r in u.reasons)]))
    if report is not None:
        from .annual_xlsx_figures import add_figure_sheets

        add_figure_sheets(book, report)
    book.save(path)
