"""The whole annual report as a Word document (``annual-report --full --docx``).

The same layout as the HTML page (:mod:`.annual_layout`): the title with the agency's name, the
统计期限, the six section headings as Word headings, the drafts (placeholders and missing
figures highlighted) and the tables of 二, 三 and 四 with their merged headings, then the notes.
python-docx is the optional extra ``docx`` (``pip install 'govdisclose[docx]'``) and is imported
only when a document is written.  Every text passes :func:`_text`: bidi controls are escaped
(:func:`.escaping.escape_bidi`) and the control characters XML cannot hold are written as
``\\x01``-style text instead of failing the whole document.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..annual.format_model import VERIFIED_MARKS
from .annual_layout import Grid, layout
from .escaping import escape_bidi

if TYPE_CHECKING:
    from pathlib import Path

    from ..annual.model import AnnualReport

__all__ = ["DOCX_EXTRA", "write_annual_report_docx"]

#: How to install what this writer needs.
DOCX_EXTRA = "pip install 'govdisclose[docx]'"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", escape_bidi(str(value)))


def _table(document: Any, grid: Grid) -> None:
    table = document.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    for row in grid.rows:
        for cell in row:
            target = table.cell(cell.row, cell.col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(cell.row + cell.rowspan - 1,
                                                 cell.col + cell.colspan - 1))
            run = target.paragraphs[0].add_run(_text(cell.text))
            run.bold = cell.head and cell.row < grid.header_rows
            if cell.css == "missing":
                run.font.highlight_color = _highlight("RED")


def _highlight(name: str) -> Any:
    from docx.enum.text import WD_COLOR_INDEX

    return getattr(WD_COLOR_INDEX, name)


def write_annual_report_docx(report: AnnualReport, path: Path) -> None:
    """Write ``report`` as a .docx file.

    Raises:
        ModuleNotFoundError: python-docx is not installed (the ``docx`` extra).
    """
    from docx import Document

    page = layout(report)
    document = Document()
    document.add_heading(_text(f"{page.agency}{page.title_year}年政府信息公开工作年度报告"), 0)
    document.add_paragraph(_text(f"统计期限：{page.period}"))
    for section in page.sections:
        document.add_heading(_text(section.heading + section.mark), 1)
        for block in section.paragraphs:
            if block.heading:
                document.add_heading(_text(block.heading), 2)
            for line in block.lines:
                paragraph = document.add_paragraph()
                for piece in line:
                    run = paragraph.add_run(_text(piece.text))
                    if piece.kind == "missing":
                        run.font.highlight_color = _highlight("RED")
                    elif piece.kind == "placeholder":
                        run.font.highlight_color = _highlight("YELLOW")
        for grid in section.grids:
            _table(document, grid)
            document.add_paragraph()
    document.add_heading("说明 / Notes", 1)
    document.add_paragraph("【待填写：…】本机关自行撰写的内容，工具不代写 / prose the agency writes itself.")
    document.add_paragraph("缺数、【缺数：…】登记表或台账中没有数据，不是 0 / no data, not 0.")
    marks = {k: v for k, v in VERIFIED_MARKS.items() if v}
    if "inferred" in marks:
        document.add_paragraph(f"{marks['inferred']} 推定（inferred）：标签文字未在依本格式编写的报告中"
                               "逐字见到，推定与前一格式相同 / label assumed unchanged.")
    if "secondary" in marks:
        document.add_paragraph(f"{marks['secondary']} 仅见二手来源（secondary）：未经官方文本核实 / "
                               "secondary sources only, unverified.")
    document.add_paragraph(_text(f"表格格式 format：{page.format_number}；台账 ledger：{page.ledger}"))
    for note in page.notes:
        document.add_paragraph(_text(note), style="List Bullet")
    document.save(str(path))
