"""A streamed ledger's rows as read (:meth:`.reading.LedgerStream.raw_rows`), before they are
built: the audit sends them to its workers as they are (plain lists pickle fast), and each
worker builds its rows itself (:func:`build_row`), or reads their values alone
(:class:`RawValues`).
"""

from __future__ import annotations

from types import MappingProxyType

from ..errors import Problem
from . import reading
from .reading import LedgerRow, row_values

__all__ = ["RawRow", "RawValues", "build_row", "raw_id", "raw_ids"]

#: A data row as read: its number, its line, its cells, the problems found reading it.
RawRow = tuple[int, int, list[str], tuple[Problem, ...]]


def raw_id(row: RawRow, index: int) -> str:
    """The id :func:`build_row` will read from ``row``'s cell ``index`` (over-long: empty)."""
    cells = row[2]
    cell = cells[index] if index < len(cells) else ""
    return "" if len(cell) > reading.MAX_FIELD_CHARS else cell.strip()


def raw_ids(rows: list[RawRow], index: int) -> list[str]:
    """:func:`raw_id` of each of ``rows``."""
    limit = reading.MAX_FIELD_CHARS
    ids = []
    for row in rows:
        cells = row[2]
        cell = cells[index] if index < len(cells) else ""
        ids.append("" if len(cell) > limit else cell.strip())
    return ids


def build_row(row: RawRow, known: dict[int, str], unknown: dict[int, str],
              file: str) -> LedgerRow:
    """The :class:`~.reading.LedgerRow` of a row of :meth:`.reading.LedgerStream.raw_rows`."""
    number, line, cells, read_problems = row
    values, extra, problems = row_values(cells, known, unknown, file, line, read_problems)
    return LedgerRow(number, line, MappingProxyType(values), MappingProxyType(extra), problems)


class RawValues:
    """The values and problems of :func:`build_row` of each row of a streamed ledger (not its
    unknown columns' values, which the audit does not use), without building the rows: what
    the header says (the canonical columns and their cells) worked out once, not a row.

    ``known``: column index -> canonical column; ``unknown``: index -> unknown header; ``file``:
    the ledger as the outputs name it (for the problems of over-long cells)."""

    __slots__ = ("_file", "_items", "_known", "_unknown", "_width")

    def __init__(self, known: dict[int, str], unknown: dict[int, str], file: str) -> None:
        self._known, self._unknown, self._file = known, unknown, file
        self._items = tuple(known.items())  # (a tuple iterates faster than a dict's items)
        self._width = max(known, default=-1) + 1

    def __call__(self, row: RawRow) -> tuple[dict[str, str], tuple[Problem, ...]]:
        _, line, cells, read_problems = row
        if read_problems or len(cells) < self._width \
                or sum(map(len, cells)) > reading.MAX_FIELD_CHARS:
            # a problem, a short row or a cell that may be over-long: the reader's own way
            values, _, problems = row_values(cells, self._known, self._unknown, self._file,
                                             line, read_problems)
            return values, problems
        values = {}
        for i, name in self._items:  # most rows: a cell for every column, none too long
            values[name] = cells[i].strip()
        return values, ()
