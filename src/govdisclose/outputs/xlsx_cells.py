"""Cells as a workbook may hold them, for every xlsx writer (:mod:`.xlsx`,
:mod:`.annual_xlsx_figures`).

:func:`safe_cell` applies :func:`.escaping.neutralise_cell` (a ledger id such as
``=cmd|' /C calc'!A0`` is written ``'=cmd|…``, text, not a formula — openpyxl would otherwise
store any string starting with ``=`` as one) and writes the control characters an xlsx file
cannot hold as ``\\x01``-style text instead of failing the whole workbook.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .escaping import Cell, neutralise_cell

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["safe_cell", "safe_row"]

# The characters openpyxl refuses (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE): C0 controls other
# than tab, line feed and carriage return.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: object) -> Cell:
    """A value as written into a cell: neutralised, and with no character xlsx cannot hold."""
    safe = neutralise_cell(value)
    if isinstance(safe, str):
        return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", safe)
    return safe


def safe_row(values: Iterable[object]) -> list[Cell]:
    return [safe_cell(v) for v in values]
