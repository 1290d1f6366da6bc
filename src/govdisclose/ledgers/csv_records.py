"""CSV ledger records read as a stream of lines, with the hardening of docs/security.md.

:func:`csv_records` reads one line at a time from an open text file and yields each record
with the line it ends on.  A record that cannot be read (a quote never closed, a cell over the
``csv`` module's own limit, other malformed CSV) becomes a problem of its first line; reading
resumes after it, or, when its quote never closes, on the line after its first, so that no row
is swallowed.  Only the lines of the record being read are held, plus, after a bad record, the
lines read ahead to find where it ends (at most the rest of a file of
:data:`~govdisclose.ledgers.reading.MAX_LEDGER_BYTES`), which are then read again as records.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import re
from collections import deque
from typing import TYPE_CHECKING

from ..errors import LedgerError, Problem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = ["MAX_CSV_ERRORS", "Record", "count_plain_rows", "csv_records"]

#: One record as read: its line (or Excel row), its cells, and what made it unreadable.
Record = tuple[int, list[str], tuple[Problem, ...]]
#: Malformed CSV records after which the file is refused as not CSV at all.
MAX_CSV_ERRORS = 1_000

#: A quoted CSV field as the csv module reads it (``""`` is a quote; text after the closing
#: quote is kept); the lookahead makes the run of quoted text atomic.
_QUOTED = re.compile(r'"(?=((?:[^"]+|"")*))\1"[^,\r\n]*')
_PLAIN = re.compile(r"[^,\r\n]*")
_UNTERMINATED = ""  # the reason given for a quote still open at the end of the file


def _record_end(text: str, pos: int) -> int | None:
    """Where the CSV record starting at ``pos`` ends (after its line break), or None when a
    quote in it is never closed."""
    while True:
        match = (_QUOTED if text.startswith('"', pos) else _PLAIN).match(text, pos)
        if match is None:
            return None
        pos = match.end()
        if text.startswith(",", pos):
            pos += 1
        elif text.startswith("\r\n", pos):
            return pos + 2
        else:
            return min(pos + 1, len(text))


class _Lines:
    """The file's lines: those read ahead and put back (``pending``) first, then the rest.

    ``consumed`` counts the lines handed out, so it is the 0-based index of the next one;
    ``record`` collects the lines of the record being read (the caller clears it).
    """

    def __init__(self, source: Iterable[str]) -> None:
        self._source = iter(source)
        self.pending: deque[str] = deque()
        self.record: list[str] = []
        self.consumed = 0

    def feed(self) -> Iterator[str]:
        """Lines for a ``csv.reader``: each is also added to ``record``."""
        pending, record, source = self.pending, self.record, self._source
        while True:
            line: str | None = pending.popleft() if pending else next(source, None)
            if line is None:
                return
            self.consumed += 1
            record.append(line)
            yield line

    def at_end(self) -> bool:
        """Whether no line is left (reads one line ahead when there may be)."""
        if self.pending:
            return False
        line = next(self._source, None)
        if line is None:
            return True
        self.pending.append(line)
        return False

    def put_back(self) -> None:
        """Make the current record's lines the next to be read again."""
        self.pending.extendleft(reversed(self.record))
        self.consumed -= len(self.record)
        self.record.clear()

    def ahead(self, count: int) -> bool:
        """Read ahead until ``count`` lines are pending; False when the file ends first."""
        while len(self.pending) < count:
            line = next(self._source, None)
            if line is None:
                return False
            self.pending.append(line)
        return True

    def skip(self, count: int) -> None:
        for _ in range(count):
            self.pending.popleft()
        self.consumed += count


def _end_lines(lines: _Lines) -> int | None:
    """How many lines the record at the head of ``lines.pending`` spans, or None when a quote
    in it never closes.  Reads ahead in doubling steps, so that the scan is linear in the
    length of the record even when it runs to the end of the file."""
    want = max(len(lines.pending), 64)
    while True:
        complete = not lines.ahead(want)
        text = "".join(itertools.islice(lines.pending, want))
        end = _record_end(text, 0)
        # Whole lines end with their line break, so an end found inside ``text`` or at its
        # break is where the record ends in the whole file as well.
        if end is not None and (end < len(text) or complete or text.endswith(("\n", "\r"))):
            offsets = list(itertools.accumulate(map(len, itertools.islice(lines.pending, want)),
                                                initial=0))
            return bisect.bisect_left(offsets, end)
        if end is None and complete:
            return None
        want *= 2


def csv_records(source: Iterable[str], file: str,
                too_long: Callable[[str, int, str], Problem], *,
                quoted: bool = True) -> Iterator[Record]:
    """Records of the CSV lines ``source`` (a file opened with ``newline=""``), each with the
    line it ends on; ``too_long(file, line, column)`` is the problem of an over-long cell.

    ``quoted=False`` promises that the text has no ``"``: every line is then one record, and
    they are read by ``csv.reader`` straight from ``source``, with the same results.
    """
    if not quoted:
        yield from _plain_records(source, file, too_long)
        return
    lines = _Lines(source)
    errors = 0
    while True:
        reader = csv.reader(lines.feed())
        while True:
            first = lines.consumed  # index of the record's first line
            lines.record.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                reason = str(exc)
            else:
                # csv ends the last record at the end of the file even inside a quote
                if (not any('"' in line for line in lines.record) or not lines.at_end()
                        or _record_end("".join(lines.record), 0) is not None):
                    yield lines.consumed, cells, ()
                    continue
                reason = _UNTERMINATED
            lines.put_back()
            spans = _end_lines(lines)
            problem = _csv_problem(file, first + 1, _UNTERMINATED if spans is None else reason,
                                   too_long)
            errors += 1
            if errors > MAX_CSV_ERRORS:
                msg = f"{file}: not a CSV file ({problem.message_en}) / 不是 CSV 文件"
                raise LedgerError(msg)
            yield first + 1, _first_line_cells(lines.pending[0]), (problem,)
            # an unclosed quote swallowed the lines after it: they are read again as records
            lines.skip(1 if spans is None else max(spans, 1))
            break


def _plain_records(source: Iterable[str], file: str,
                   too_long: Callable[[str, int, str], Problem]) -> Iterator[Record]:
    """:func:`csv_records` of a text without quotes: a record is a line, and a line that
    cannot be read (a cell over csv's own limit; NUL before Python 3.11) is a problem of
    that line only, with no cells (as :func:`_first_line_cells` finds it).

    A line without quotes, NUL or a line break before its end, no longer than csv's field
    limit, is what ``csv.reader`` reads it as: split at its commas (an empty line: no cells);
    only the others are parsed."""
    limit = csv.field_size_limit()
    errors = 0
    number = 0
    for line in source:
        number += 1
        text = line.rstrip("\r\n")
        if len(line) <= limit and "\n" not in text and "\r" not in text \
                and "\x00" not in text and '"' not in text:
            yield number, text.split(",") if text else [], ()
            continue
        try:
            cells = next(csv.reader([line]), [])
        except csv.Error as exc:
            problem = _csv_problem(file, number, str(exc), too_long)
            errors += 1
            if errors > MAX_CSV_ERRORS:
                msg = f"{file}: not a CSV file ({problem.message_en}) / 不是 CSV 文件"
                raise LedgerError(msg) from None
            yield number, [], (problem,)
            continue
        yield number, cells, ()


def count_plain_rows(source: Iterable[str], file: str,
                     too_long: Callable[[str, int, str], Problem], max_rows: int,
                     too_many: Callable[[], LedgerError]) -> int:
    """The data rows :func:`_plain_records` would give after the header line, counted without
    parsing the lines that cannot hold an error: in a text without quotes a line's cells are
    blank exactly when the line is but commas and spaces, and a line no longer than csv's
    field limit and without NUL is read without error.  The others are parsed, so that the
    errors that refuse a file are found, and the limits applied, as when reading it.

    Raises:
        LedgerError: ``too_many()`` past ``max_rows`` rows, or more than
            :data:`MAX_CSV_ERRORS` lines that cannot be read.
    """
    limit = csv.field_size_limit()
    count = errors = 0
    lines = iter(source)
    next(lines, None)  # the header
    for line in lines:
        if len(line) <= limit and "\x00" not in line:
            if not line.replace(",", "").strip():
                continue  # a blank line is not a row
        else:
            _, cells, problems = next(_plain_records([line], file, too_long))
            if problems:
                errors += 1
                if errors > MAX_CSV_ERRORS:
                    msg = f"{file}: not a CSV file ({problems[0].message_en}) / 不是 CSV 文件"
                    raise LedgerError(msg)
            elif not "".join(cells).strip():
                continue
        count += 1
        if count > max_rows:
            raise too_many()
    return count


def _first_line_cells(line: str) -> list[str]:
    """The cells of one physical line read on its own (to show the id of a bad row)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return []


def _csv_problem(file: str, line: int, reason: str,
                 too_long: Callable[[str, int, str], Problem]) -> Problem:
    if "field larger" in reason:  # csv's own limit (131,072), above MAX_FIELD_CHARS
        return too_long(file, line, "?")
    if reason == _UNTERMINATED:
        return Problem("ledger.unterminated_quote",
                       "此行的引号（\"）到文件末尾都没有闭合；请补上引号",
                       'a quote (") opened on this line is never closed; close it', file, line)
    return Problem("ledger.malformed_csv", f"此行 CSV 格式错误：{reason}",
                   f"malformed CSV on this line: {reason}", file, line)
