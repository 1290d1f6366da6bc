"""Parquet ledgers for ``govdisclose audit`` (:func:`govdisclose.ledgers.reading.open_ledger`):
the records of a Parquet file, or of a directory of them, read a batch at a time.

pyarrow comes with the optional extra ``govdisclose[scale]`` (docs/scale.md); it is imported
only here, only when a Parquet ledger is read, and its absence is a
:class:`~govdisclose.errors.LedgerError` naming the extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import LedgerError
from .xlsx_records import cell_text

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from .csv_records import Record

__all__ = ["frame_cell_text", "missing_extra", "parquet_records"]

_EXTRA = "pip install 'govdisclose[scale]'"
#: Parquet rows read at a time.
_BATCH_ROWS = 4_096


def missing_extra(what: str, exc: ImportError) -> LedgerError:
    """The error of a missing optional dependency of the extra scale."""
    return LedgerError(f"{what} needs the optional extra scale ({exc.name} is not installed): "
                       f"{_EXTRA} / 需要安装可选依赖 scale")


def frame_cell_text(value: Any) -> str:
    """A frame cell as ledger text; missing values (None, NaN, NaT, pd.NA) are empty."""
    if value is None:
        return ""
    try:
        if value != value:  # noqa: PLR0124 - NaN and NaT are the values unequal to themselves
            return ""
    except TypeError:  # pd.NA refuses to be compared
        return ""
    return cell_text(value)


def parquet_records(path: Path, max_bytes: int, max_columns: int) -> Iterator[Record]:
    """The records of a Parquet file, or of every Parquet file under a directory: the column
    names first, then each row's cells as text; a row's line is its position plus one, as if
    the data were a CSV file with a header.

    Raises:
        LedgerError: pyarrow is missing, the files hold more than ``max_bytes`` or more than
            ``max_columns`` columns, or they are not Parquet.
    """
    try:
        import pyarrow.dataset as ds
    except ImportError as exc:
        raise missing_extra(f"{path}: reading Parquet", exc) from exc
    try:
        dataset = ds.dataset(str(path), format="parquet")
        size = sum((ds_file.stat().st_size for ds_file in _files(path)), 0)
    except (OSError, ValueError, TypeError) as exc:
        msg = f"{path}: not a readable Parquet file or directory ({exc}) / 无法读取 Parquet"
        raise LedgerError(msg) from exc
    if size > max_bytes:
        msg = f"{path}: larger than {max_bytes:,} bytes / 文件过大"
        raise LedgerError(msg)
    names = dataset.schema.names
    if len(names) > max_columns:
        msg = f"{path}: more than {max_columns:,} columns / 列数过多"
        raise LedgerError(msg)
    yield 1, list(names), ()
    line = 1
    try:
        for batch in dataset.to_batches(batch_size=_BATCH_ROWS):
            columns = [column.to_pylist() for column in batch.columns]
            for position in range(batch.num_rows):
                line += 1
                yield line, [frame_cell_text(column[position]) for column in columns], ()
    except (OSError, ValueError, TypeError) as exc:
        msg = f"{path}: not a readable Parquet file or directory ({exc}) / 无法读取 Parquet"
        raise LedgerError(msg) from exc


def _files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
