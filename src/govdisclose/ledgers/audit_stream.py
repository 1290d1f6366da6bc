"""The audit as a stream: ledger rows in, audit rows out, in bounded chunks and in file order.

:func:`audit_chunks` takes the rows one chunk at a time (:data:`CHUNK_ROWS`) and yields each
chunk's results before reading much further, so memory does not grow with the ledger: at most
``2 x workers`` chunks are in flight.  With ``workers > 1`` the chunks are evaluated by a
:class:`concurrent.futures.ProcessPoolExecutor` whose results are taken in submission order,
so the output is the serial run's, row for row.

A repeated id is judged against the line where it first appeared, wherever that was: this
process keeps every id seen so far (the one thing that grows with the ledger, a few dozen
bytes a row) and sends each chunk the first lines of the ids in it that were seen before.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from ..periods.calendar import official_calendar
from .audit_rows import audit_row, audit_values, row_memo
from .raw_rows import RawValues, raw_ids
from .reading import LedgerRow, LedgerStream
from .row_events import date_columns

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from concurrent.futures import Future
    from datetime import date

    from ..engine.tables import Memo
    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Rulebook
    from .audit_rows import AuditRow
    from .raw_rows import RawRow

__all__ = ["CHUNK_ROWS", "PARALLEL_FROM", "audit_chunks", "audit_parts", "can_fork"]

T = TypeVar("T")

#: Rows per chunk: large enough that a chunk's trip to a worker costs little beside its
#: evaluation, small enough that the chunks in flight stay a few megabytes.
CHUNK_ROWS = 4_000
#: Fewer rows than this are audited in this process: starting workers would cost more.
PARALLEL_FROM = 20_000

#: A chunk as it travels to a worker: its rows as plain tuples (a built row's values are a
#: read-only mapping proxy, which does not pickle; a streamed ledger's rows go as read, and
#: the worker builds them), and the first lines of the ids in it that earlier chunks saw.
_Job = tuple[list[Any], dict[str, int]]

#: A streamed ledger's header, for :class:`.raw_rows.RawValues`: column index -> canonical
#: column, column index -> unknown header, and the file as the outputs name it.
_Header = tuple[dict[int, str], dict[int, str], str]

#: What a worker audits with, set once by :func:`_start_worker` in each worker process.
_WORKER: dict[str, Any] = {}
#: The collector's thresholds while rows are audited (the default is 700, 10, 10: a
#: young-generation scan every 700 allocations, most of them a row's short-lived values, and
#: a full one, walking the rulebook and the memos, every 70,000 or so).
_WORKER_GC_THRESHOLD = (50_000, 20, 20)


#: The audits of this process inside :func:`_collector_relaxed` (threads of a service may run
#: several), and the thresholds the first of them found, restored when the last one leaves.
_RELAXED: list[Any] = [0, None]
_RELAXED_LOCK = threading.Lock()


@contextmanager
def _collector_relaxed() -> Iterator[None]:
    """The collector run less often while a chunk is audited in this process, as in a
    worker (a row's objects hold no cycles: refcounting frees them), and as it was again
    after: the thresholds are the process's, the caller's code runs under its own.  A full
    collection walks every object the audit keeps (the rulebook, its memos): with the
    default thresholds they were a third of a serial audit's time.  Audits running in
    several threads at once leave the thresholds as the first found them."""
    with _RELAXED_LOCK:
        if _RELAXED[0] == 0:
            _RELAXED[1] = gc.get_threshold()
            gc.set_threshold(*_WORKER_GC_THRESHOLD)
        _RELAXED[0] += 1
    try:
        yield
    finally:
        with _RELAXED_LOCK:
            _RELAXED[0] -= 1
            if _RELAXED[0] == 0:
                gc.set_threshold(*_RELAXED[1])


def _start_worker(book: Rulebook, as_of: date, calendar: OfficialCalendar | None,
                  render: Callable[[list[AuditRow]], Any],
                  header: _Header | None) -> None:
    # The pool forks (see audit_parts), so these arrive by inheritance, not by pickling:
    # rulebooks hold read-only mapping proxies, which do not pickle.
    _WORKER.update(book=book, as_of=as_of, calendar=calendar, render=render, header=header,
                   memo=row_memo())
    # What the worker inherited (the rulebook, the calendar, the modules) lives as long as it
    # does: kept out of the collector's scans, which otherwise walk it again and again while
    # the chunks' rows come and go (some 8 % of a worker's time).  The worker is ours alone.
    gc.freeze()
    # A row's objects hold no cycles (refcounting frees them as each chunk is rendered), so
    # the collector is run less often than the default: some 6 % of a worker's time.
    gc.set_threshold(*_WORKER_GC_THRESHOLD)


def _audit_job(job: _Job) -> Any:
    rows, first = job
    book, as_of, calendar = _WORKER["book"], _WORKER["as_of"], _WORKER["calendar"]
    header, memo = _WORKER["header"], _WORKER["memo"]
    if header is None:  # rows of an in-memory ledger: (number, line, values, problems)
        built = [LedgerRow(number, line, values, {}, problems)
                 for number, line, values, problems in rows]
        audited = [audit_row(book, row, as_of, calendar, first, memo) for row in built]
    else:  # rows as read from a streamed ledger
        audited = _audit_raw(book, rows, header, as_of, calendar, first, memo)
    return _WORKER["render"](audited)


def _audit_raw(book: Rulebook, rows: list[RawRow], header: _Header, as_of: date,
               calendar: OfficialCalendar | None, first: dict[str, int],
               memo: Memo | None = None) -> list[AuditRow]:
    """The audit of a streamed ledger's rows as read (:meth:`LedgerStream.raw_rows`): each
    row's values are read straight into :func:`.audit_rows.audit_values`, as
    :func:`.audit_rows.audit_row` of the built row would."""
    known, unknown, file = header
    columns = date_columns(known.values())
    read = RawValues(known, unknown, file)
    audited = []
    for row in rows:
        values, problems = read(row)
        audited.append(audit_values(book, row[0], row[1], values, problems, as_of, calendar,
                                    first, columns, memo))
    return audited


def _chunks(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _first_lines(ids: Iterable[tuple[str, int]], seen: dict[str, int]) -> dict[str, int]:
    """The first lines, from ``seen`` (the earlier chunks'), of a chunk's ``(id, line)``
    pairs; the chunk's new ids are added to ``seen`` as they come.  (An id first seen in
    this chunk is the worker's to find repeated.)"""
    first: dict[str, int] = {}
    new: set[str] = set()
    for row_id, line in ids:
        if not row_id or row_id in new:
            continue
        earlier = seen.get(row_id)
        if earlier is None:
            seen[row_id] = line
            new.add(row_id)
        else:
            first[row_id] = earlier
    return first


def can_fork() -> bool:
    """Whether this platform can fork workers (POSIX); elsewhere the audit runs serially."""
    return "fork" in multiprocessing.get_all_start_methods()


def _as_list(rows: list[AuditRow]) -> list[AuditRow]:
    return rows


def audit_chunks(
    book: Rulebook,
    rows: Iterable[LedgerRow] | LedgerStream,
    *,
    as_of: date,
    calendar: OfficialCalendar | None = None,
    workers: int = 1,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[list[AuditRow]]:
    """The audit of ``rows`` (a ledger's rows, or a streamed ledger), one list per chunk,
    in order: the same rows whatever ``workers`` is.  See :func:`audit_parts`."""
    return audit_parts(book, rows, as_of=as_of, calendar=calendar, workers=workers,
                       total=total, progress=progress, render=_as_list)


def audit_parts(
    book: Rulebook,
    rows: Iterable[LedgerRow] | LedgerStream,
    *,
    as_of: date,
    render: Callable[[list[AuditRow]], T],
    calendar: OfficialCalendar | None = None,
    workers: int = 1,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_rows: int | None = None,
) -> Iterator[T]:
    """``render`` of each chunk of the audit of ``rows``, in order.

    ``render`` runs where the chunk is audited (in the workers, when there are): an output
    that renders its text there (``govdisclose.outputs.audit_parts``) leaves this process
    only the reading and the writing.  With ``workers > 1`` it is handed to forked workers,
    never pickled.  ``total`` (the number of rows; a streamed ledger knows its own) picks
    serial or parallel: fewer than :data:`PARALLEL_FROM` rows, one worker, or no ``fork``
    run in this process.  ``progress(done, total)`` is called after each chunk and at the
    end.  ``chunk_rows`` defaults to :data:`CHUNK_ROWS`.
    """
    chunk_rows = chunk_rows or CHUNK_ROWS
    if calendar is None:  # once for the whole ledger, not once a row (it reads the environment)
        calendar = official_calendar()
    stream = rows if isinstance(rows, LedgerStream) else None
    built: Iterable[LedgerRow] = () if isinstance(rows, LedgerStream) else rows
    if stream is not None:
        total = stream.count
    expected = total if total is not None else 0
    done = 0

    def report(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None and done < expected:
            progress(done, expected)

    if workers <= 1 or (total is not None and total < PARALLEL_FROM) or not can_fork():
        first: dict[str, int] = {}
        memo = row_memo()  # this audit's: rows that agree share an evaluation
        if stream is not None:  # the rows as read, audited without building them
            header = (dict(stream.known), dict(stream.unknown), stream.file)
            yield from _serially(
                _chunks(stream.raw_rows(), chunk_rows),
                lambda raw: _audit_raw(book, raw, header, as_of, calendar, first, memo),
                render, report)
        else:
            yield from _serially(
                _chunks(built, chunk_rows),
                lambda chunk: [audit_row(book, row, as_of, calendar, first, memo)
                               for row in chunk],
                render, report)
    else:
        yield from _parallel(book, rows, as_of, calendar, render, workers, chunk_rows, report)
    if progress is not None:
        progress(done, max(done, expected))


def _serially(chunks: Iterator[list[Any]], audit: Callable[[list[Any]], list[AuditRow]],
              render: Callable[[list[AuditRow]], T],
              report: Callable[[int], None]) -> Iterator[T]:
    """``render`` of ``audit`` of each chunk, in this process: each chunk read and audited
    with the collector relaxed, the caller's code run between chunks under its own."""
    while True:
        with _collector_relaxed():  # reading the chunk too
            chunk = next(chunks, None)
            if chunk is None:
                return
            part = render(audit(chunk))
        yield part
        report(len(chunk))


def _parallel(book: Rulebook, rows: Iterable[LedgerRow] | LedgerStream, as_of: date,
              calendar: OfficialCalendar | None, render: Callable[[list[AuditRow]], T],
              workers: int, chunk_rows: int, report: Callable[[int], None]) -> Iterator[T]:
    seen: dict[str, int] = {}
    jobs: Iterator[tuple[_Job, int]]
    if isinstance(rows, LedgerStream):
        header = (dict(rows.known), dict(rows.unknown), rows.file)
        jobs = _stream_jobs(rows, seen, chunk_rows)
    else:
        header = None
        jobs = _row_jobs(rows, seen, chunk_rows)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(book, as_of, calendar, render, header)) as pool:
        pending: deque[tuple[Future[T], int]] = deque()
        for job, size in jobs:
            pending.append((pool.submit(_audit_job, job), size))
            # at most two chunks a worker in flight: the reading waits for the workers
            if len(pending) >= 2 * workers:
                future, count = pending.popleft()
                yield future.result()
                report(count)
        while pending:
            future, count = pending.popleft()
            yield future.result()
            report(count)


def _stream_jobs(ledger: LedgerStream, seen: dict[str, int],
                 size: int) -> Iterator[tuple[_Job, int]]:
    index = ledger.id_index()
    for chunk in _chunks(ledger.raw_rows(), size):
        first = _first_lines(zip(raw_ids(chunk, index), [row[1] for row in chunk], strict=True),
                             seen)
        yield (chunk, first), len(chunk)


def _row_jobs(rows: Iterable[LedgerRow], seen: dict[str, int],
              size: int) -> Iterator[tuple[_Job, int]]:
    for chunk in _chunks(rows, size):
        first = _first_lines(((row.values.get("id", ""), row.line) for row in chunk), seen)
        payload: list[RawRow | Any] = [(row.number, row.line, dict(row.values), row.problems)
                                       for row in chunk]
        yield (payload, first), len(chunk)
