"""The annual-report input workbook (年报数据.xlsx) that ``govdisclose annual-report template``
writes and ``--register`` reads back.

The sheets, headers and dropdown lists come from :mod:`govdisclose.annual.register_sheets` (the
input definition the reader uses too); the instructions sheet 说明 from its data file
``register_instructions.yaml`` (legal basis, what each sheet feeds, how 现行有效 is counted).
This module only lays them out: it is an output, like the other workbooks.  openpyxl is
imported only when a workbook is written.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .escaping import neutralise_cell

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from openpyxl.worksheet.worksheet import Worksheet

    from ..annual.register_sheets import Sheet

__all__ = ["write_register_template"]

#: Rows the dropdown lists cover (Excel's last row).
_LAST_ROW = 1_048_576
_KINDS_ZH = {"text": "文字", "date": "日期", "year": "年度（四位数）", "count": "非负整数",
             "amount": "非负数", "choice": "从下拉列表中选择"}


def _instructions(ws: Worksheet, sheets: Sequence[Sheet], text: Mapping[str, Any]) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append([str(text["title"])])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([str(text["legal_basis"]).strip()])
    ws.append([])
    for line in text["general"]:
        ws.append([str(line)])
    for sheet in sheets:
        ws.append([])
        ws.append([f"工作表“{sheet.name}”（{sheet.key}）"])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append([str(text["sheets"][sheet.key]).strip()])
        ws.append(["列", "YAML 键", "必填", "填写", "说明", "可选值"])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            ws.append([column.header, column.key, "是" if column.required else "",
                       _KINDS_ZH[column.kind], column.help_zh,
                       "、".join(c.label for c in column.choices)])
    ws.column_dimensions["A"].width = 22
    for letter, width in zip("BCDEF", (16, 6, 16, 48, 48), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _value(value: object) -> object:
    """A cell as written: a date stays a date cell, anything else is neutralised."""
    return value if isinstance(value, date) else neutralise_cell(value)


def _sheet(ws: Worksheet, sheet: Sheet, records: Sequence[Mapping[str, Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.append([c.header for c in sheet.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = 30 if column.kind == "text" else 18
        if column.choices:
            labels = ",".join(c.label for c in column.choices)
            check = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True,
                                   showErrorMessage=True, errorTitle=column.header,
                                   error=f"请从列表中选择：{labels}")
            check.add(f"{letter}2:{letter}{_LAST_ROW}")
            ws.add_data_validation(check)
    for record in records:
        ws.append([_value(record.get(c.key)) for c in sheet.columns])
    for i, column in enumerate(sheet.columns, 1):
        if column.kind == "date":
            for row in range(2, len(records) + 2):
                ws.cell(row, i).number_format = "yyyy-mm-dd"


def write_register_template(path: Path,
                            records: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
                            ) -> None:
    """Write the input workbook: the instructions sheet 说明, then one sheet per register
    (文件, 处理决定, 行政事业性收费, 信息处理费, 复议诉讼, 无此项) with its Chinese headers and
    dropdown lists for document kinds, decision kinds, units, case routes and results.

    Args:
        path: the ``.xlsx`` to write.
        records: rows to fill in, by sheet key (``documents`` …), each a mapping of column
            keys to values (dates as :class:`datetime.date`); empty by default (the template).
    """
    from openpyxl import Workbook

    from ..annual.register_sheets import SHEETS, instructions

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "说明"
    _instructions(first, SHEETS, instructions())
    for sheet in SHEETS:
        _sheet(book.create_sheet(sheet.name), sheet, (records or {}).get(sheet.key, ()))
    book.save(path)
