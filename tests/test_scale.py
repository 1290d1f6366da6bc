"""Beyond one machine (issue 12, point 4; docs/scale.md): audit_frame on pandas frames, Parquet
read by ``govdisclose audit``, and a Parquet dataset audited on a dask LocalCluster with two
workers, compared with the serial audit.  Skipped without the optional extra ``scale``
(``pip install '.[scale]'``); .ci/run installs it and runs this file."""

from __future__ import annotations

import contextlib
import io
import json
import pickle
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from govdisclose import load_rulebook
from govdisclose.cli import main
from govdisclose.errors import LedgerError
from govdisclose.ledgers.audit import audit_ledger
from govdisclose.ledgers.frames import FRAME_COLUMNS, audit_frame
from govdisclose.ledgers.reading import read_ledger

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ledgers" / "huadian-2026.csv"
AS_OF = date(2026, 12, 31)
COLUMNS = ["编号", "收到申请日期", "答复日期", "告知补正日期", "收到补正日期", "征求第三方意见日期"]


def _frame(rows: int, seed: int = 12) -> pd.DataFrame:
    """Ledger rows with unique ids, text and date cells, gaps and a few impossible dates."""
    rng = random.Random(seed)
    first = date(2025, 1, 2)
    records = []
    for i in range(rows):
        received = first + timedelta(days=rng.randrange(600))
        replied = received + timedelta(days=rng.randrange(5, 45)) if rng.random() < 0.8 else None
        supplement = received + timedelta(days=2) if rng.random() < 0.1 else None
        supplied = supplement + timedelta(days=6) if supplement and rng.random() < 0.7 else None
        consulted = received + timedelta(days=3) if rng.random() < 0.05 else None
        records.append([f"S-{i}", received.isoformat() if i % 1000 else "2026-02-30",
                        replied, supplement, supplied, consulted])
    return pd.DataFrame(records, columns=COLUMNS)


def _serial(frame: pd.DataFrame, tmp_path: Path) -> list[tuple[object, ...]]:
    """The serial audit of the same rows, written as a CSV ledger and read back."""
    path = tmp_path / "serial.csv"
    frame.to_csv(path, index=False, date_format="%Y-%m-%d")
    result = audit_ledger(load_rulebook("national"), read_ledger(path), as_of=AS_OF)
    return [(r.id, r.state, r.received_on, r.due, r.replied_on,
             ";".join(v["code"] for v in r.violations), r.provisional) for r in result.rows]


def _rows(result: pd.DataFrame) -> list[tuple[object, ...]]:
    return [(r.id, r.state, r.received_on, r.due, r.replied_on, r.violations, r.provisional)
            for r in result.itertuples()]


def test_audit_frame_is_the_serial_audit(tmp_path: Path) -> None:
    frame = _frame(3000)
    frame.index = frame.index + 500  # any index: kept as it is
    result = audit_frame(frame, "national", "2026-12-31")
    assert list(result.columns) == list(FRAME_COLUMNS)
    assert list(result.index) == list(frame.index)
    assert _rows(result) == _serial(frame, tmp_path)
    assert (result["state"] == "invalid").sum() == 3
    assert list(result["row"]) == list(range(1, 3001))


def test_audit_frame_is_picklable_and_pure(tmp_path: Path) -> None:
    frame = _frame(50)
    again = pickle.loads(pickle.dumps(audit_frame))
    pd.testing.assert_frame_equal(again(frame, "national", AS_OF),
                                  audit_frame(frame, "national", AS_OF))
    assert list(frame.columns) == COLUMNS  # the input is left alone


def test_audit_frame_needs_the_ledger_columns() -> None:
    with pytest.raises(LedgerError, match="received_on"):
        audit_frame(pd.DataFrame({"id": ["A"]}), "national", AS_OF)


def _json(*args: str) -> tuple[int, dict]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["audit", *args, "--json"])
    return code, json.loads(buffer.getvalue())


def test_the_cli_reads_parquet_files_and_directories(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    frame = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    single = tmp_path / "ledger.parquet"
    frame.to_parquet(single, index=False)
    directory = tmp_path / "dataset"
    directory.mkdir()
    frame.iloc[:4].to_parquet(directory / "part-0.parquet", index=False)
    frame.iloc[4:].to_parquet(directory / "part-1.parquet", index=False)
    expected_code, expected = _json("huadian", str(EXAMPLE), "--as-of", "2026-11-20")
    for source in (single, directory):
        code, out = _json("huadian", str(source), "--as-of", "2026-11-20")
        assert code == expected_code
        assert out["rows"] == expected["rows"]
        assert out["summary"] == expected["summary"]


def test_without_the_extra_parquet_is_a_clear_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ledger.parquet"
    path.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow.dataset", None)  # as if not installed
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        assert main(["audit", "national", str(path)]) == 2
    assert "govdisclose[scale]" in errors.getvalue()


def test_a_parquet_dataset_on_a_dask_cluster_is_the_serial_audit(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    frame = _frame(200_000)
    dataset = tmp_path / "ledger-parquet"
    dd.from_pandas(frame, npartitions=8).to_parquet(dataset, write_index=False)
    meta = audit_frame(frame.iloc[:0], "national", AS_OF)  # the result's columns and types
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ledger = dd.read_parquet(dataset)
        audited = ledger.map_partitions(audit_frame, "national", AS_OF, meta=meta)
        result = client.compute(audited).result()
    assert len(result) == 200_000
    assert _rows(result) == _serial(frame, tmp_path)
