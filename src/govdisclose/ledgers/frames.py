"""Ledgers as data frames and Parquet: the audit beyond one machine (docs/scale.md).

* :func:`audit_frame` — a pandas DataFrame of ledger rows in (columns named as in a ledger
  file, English or Chinese), a DataFrame of audit rows out, one per input row, same order,
  same index.  It is a pure, picklable module-level function of its arguments, so it can be
  handed to ``dask.dataframe.DataFrame.map_partitions`` or, wrapped, to Spark's
  ``mapInPandas``.  Each frame is audited on its own: an id repeated in another partition is
  not seen (docs/scale.md shows the one-line check across partitions).

pandas comes with the optional extra ``govdisclose[scale]`` (Parquet is read by
:mod:`.parquet_records`); it is imported only when called.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..periods.calendar import official_calendar
from .audit_rows import audit_row, row_memo
from .parquet_records import frame_cell_text, missing_extra
from .reading import LedgerRow, header_columns, row_values

if TYPE_CHECKING:

    import pandas as pd

    from ..rulebook.model import Rulebook

__all__ = ["FRAME_COLUMNS", "audit_frame"]

#: The columns of :func:`audit_frame`'s result: those of ``audit --csv``, with ``violations``
#: the codes joined by ``;`` and ``errors`` the English messages joined by `` | ``.
FRAME_COLUMNS: tuple[str, ...] = ("row", "line", "id", "state", "received_on", "due",
                                  "replied_on", "violations", "errors", "provisional")
_DTYPES = {name: "int64" if name in ("row", "line") else "bool" if name == "provisional"
           else "object" for name in FRAME_COLUMNS}


@lru_cache(maxsize=8)
def _book(ref: str) -> Rulebook:
    # Loaded once per worker process: a frame function is called once per partition.
    from ..rulebook.loading import load_rulebook

    return load_rulebook(ref)


def audit_frame(frame: pd.DataFrame, book: str | Rulebook, as_of: date | str) -> pd.DataFrame:
    """Audit the ledger rows of ``frame`` under ``book`` (a rulebook id or file, or a loaded
    :class:`~govdisclose.rulebook.model.Rulebook`) as of ``as_of`` (a date or ISO text).

    Returns a frame with :data:`FRAME_COLUMNS`, one row per row of ``frame``, in order and with
    its index; ``row`` is the 1-based position in ``frame`` and ``line`` that plus one (the
    line it would have in a CSV file with a header).  A frame with no ``id`` or
    ``received_on`` column raises :class:`~govdisclose.errors.LedgerError`, as a ledger file
    does.
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - the caller has a frame, so pandas
        raise missing_extra("audit_frame", exc) from exc
    rulebook = _book(book) if isinstance(book, str) else book
    day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    names = [str(c) for c in frame.columns]
    known, unknown = header_columns(names, "data frame")
    first: dict[str, int] = {}
    calendar = official_calendar()  # once a partition (it reads the environment)
    memo = row_memo()  # rows of the partition that agree share an evaluation
    out: list[tuple[Any, ...]] = []
    columns = [frame.iloc[:, i].tolist() for i in range(len(names))]
    for position in range(len(frame)):
        cells = [frame_cell_text(column[position]) for column in columns]
        values, extra, problems = row_values(cells, known, unknown, "data frame",
                                             position + 2)
        r = audit_row(rulebook, LedgerRow(position + 1, position + 2, values, extra, problems),
                      day, calendar, first, memo)
        out.append((r.number, r.line, r.id, r.state, r.received_on, r.due, r.replied_on,
                    ";".join(str(v["code"]) for v in r.violations),
                    " | ".join(e["message_en"] for e in r.errors), r.provisional))
    # Text columns are objects holding None where a value is missing (not NaN), so that
    # Arrow, Spark and dask see strings and nulls whatever pandas' default string type is.
    by_column: list[list[Any]] = ([list(values) for values in zip(*out, strict=True)] if out
                                  else [[] for _ in FRAME_COLUMNS])
    return pd.DataFrame({name: pd.Series(values, index=frame.index, dtype=_DTYPES[name])
                         for name, values in zip(FRAME_COLUMNS, by_column, strict=True)},
                        index=frame.index)
