"""Reading the sheets of sections 二 and 四 of a workbook for ``annual-report check``.

``annual-report --full --xlsx`` writes 二 and 四 as the official tables (one sheet each); the
same tables typed by hand read alike.  Cells are found by the format's own words, compared
by :func:`~.format_model.spelling_key` (so the verification marks ``*``/``†``, widths and
spacing do not matter):

- 二 (``layout: blocks``): a row holding a block heading (第二十条第（一）项 …); the next row
  names the columns (信息内容, 本年制发件数 …); the rows below, up to the next heading, start
  with a row label (规章 …) and hold the values under their columns.
- 四 (``layout: one_row``): the row naming the columns (结果维持 … 总计, once for every row of
  every block: 15 for the 2021 format); the values are in the row below, in the same order.

A cell that says :data:`~.model.MISSING_CELL` is read as blank (the checker reports it).  The
values are :class:`~.check_model.Value` s keyed by cell code (``s2.rules.issued``), each
located at its sheet cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .check_model import Location, Value, figure_labels
from .format_model import spelling_key
from .model import MISSING_CELL

if TYPE_CHECKING:
    from .format_model import FigureSection

__all__ = ["read_figure_sheet"]

_Rows = Sequence[tuple[Any, ...]]


def _texts(row: tuple[Any, ...]) -> list[tuple[int, str]]:
    return [(j, spelling_key(v)) for j, v in enumerate(row) if isinstance(v, str) and v.strip()]


def _raw(value: object) -> object:
    return None if isinstance(value, str) and value.strip() == MISSING_CELL else value


def _blocks(section: FigureSection, rows: _Rows) -> dict[str, tuple[int, int]]:
    heads = {spelling_key(b.heading): b for b in section.blocks}
    found: dict[str, tuple[int, int]] = {}
    block = None
    columns: dict[int, str] = {}
    for i, row in enumerate(rows):
        texts = _texts(row)
        if len(texts) == 1 and texts[0][1] in heads:
            block, columns = heads[texts[0][1]], {}
            continue
        if block is None:
            continue
        names = {spelling_key(c.text): c.code for c in block.columns}
        if not columns and any(t in names for _, t in texts):
            columns = {j: names[t] for j, t in texts if t in names}
            continue
        labels = {spelling_key(r.text): r.code for r in block.rows}
        row_code = next((labels[t] for _, t in texts[:1] if t in labels), None)
        if row_code is not None and columns:
            for j, column in columns.items():
                found.setdefault(f"{section.code}.{row_code}.{column}", (i, j))
    return found


def _one_row(section: FigureSection, rows: _Rows) -> dict[str, tuple[int, int]]:
    order = [(f"{section.code}.{label.code}.{column.code}", spelling_key(column.text))
             for block in section.blocks for label in block.rows for column in block.columns]
    wanted = [name for _, name in order]
    for i, row in enumerate(rows[:-1]):
        texts = _texts(row)
        names = [t for _, t in texts]
        if names[:len(wanted)] == wanted:
            return {code: (i + 1, j) for (code, _), (j, _) in zip(order, texts, strict=False)}
    return {}


def read_figure_sheet(section: FigureSection, file: str, sheet: str, rows: _Rows
                      ) -> dict[str, Value]:
    """The cells of ``section`` found on one sheet (empty when the sheet does not hold it)."""
    from openpyxl.utils import get_column_letter

    places = _one_row(section, rows) if section.layout == "one_row" else _blocks(section, rows)
    cells = {c.code: c for c in section.cells}
    out: dict[str, Value] = {}
    for code, (i, j) in places.items():
        if code not in cells:
            continue
        zh, en = figure_labels(section, cells[code])
        raw = rows[i][j] if j < len(rows[i]) else None
        spot = f"{sheet}!{get_column_letter(j + 1)}{i + 1}"
        out[code] = Value(_raw(raw), Location(file, spot, section.heading, code, zh, en, sheet,
                                              i + 1, j + 1))
    return out
