"""Audit a generated ledger of 1,000,000 rows.

Run: python benchmarks/bench_audit.py [ROWS]
Prints the time to read the CSV, audit every row (forked workers, one per CPU) and
serialise the JSON report, against the 60 s target, and a single-process baseline on
the first 50,000 rows measured in the same run.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from govdisclose import load_rulebook
from govdisclose.ledgers.audit import audit_ledger
from govdisclose.ledgers.reading import read_ledger

HEADER = ("id,received_on,replied_on,supplement_requested_on,supplement_received_on,"
          "third_party_consulted_on,third_party_replied_on,extension_approved_on\n")


def generate(path: Path, rows: int) -> None:
    rng = random.Random(20261123)
    first = date(2025, 1, 2)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            received = first + timedelta(days=rng.randrange(600))
            cells = [f"R-{i}", received.isoformat(), "", "", "", "", "", ""]
            if rng.random() < 0.8:
                cells[2] = (received + timedelta(days=rng.randrange(10, 45))).isoformat()
            if rng.random() < 0.1:
                cells[3] = (received + timedelta(days=2)).isoformat()
                cells[4] = (received + timedelta(days=8)).isoformat()
            if rng.random() < 0.1:
                cells[5] = (received + timedelta(days=3)).isoformat()
                if rng.random() < 0.7:
                    cells[6] = (received + timedelta(days=12)).isoformat()
            if rng.random() < 0.05:
                cells[7] = (received + timedelta(days=25)).isoformat()
            if rng.random() < 0.001:
                cells[1] = "2026-02-30"  # an impossible date: the row must stay, as invalid
            out.write(",".join(cells) + "\n")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    book = load_rulebook("national")
    as_of = date(2026, 12, 31)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.csv"
        generate(path, rows)
        t0 = time.perf_counter()
        ledger = read_ledger(path)
        t1 = time.perf_counter()
        result = audit_ledger(book, ledger, as_of=as_of, workers=os.cpu_count() or 1)
        t2 = time.perf_counter()
        text = json.dumps(result.to_json(), ensure_ascii=False)
        t3 = time.perf_counter()
        baseline_rows = min(rows, 50_000)
        small = type(ledger)(ledger.file, ledger.columns, ledger.unknown_columns,
                             ledger.rows[:baseline_rows])
        t4 = time.perf_counter()
        audit_ledger(book, small, as_of=as_of, workers=1)
        t5 = time.perf_counter()
    assert len(result.rows) == rows
    total = t3 - t0
    print(f"rows: {rows:,} ({len(text) / 1e6:.0f} MB of JSON); workers: {os.cpu_count()}")
    print(f"read {t1 - t0:.1f} s, audit {t2 - t1:.1f} s, JSON {t3 - t2:.1f} s: "
          f"total {total:.1f} s (target < 60 s: {60 / total:.2f}x)")
    serial_rate = baseline_rows / (t5 - t4)
    print(f"single-process baseline: {serial_rate:,.0f} rows/s; parallel audit: "
          f"{rows / (t2 - t1):,.0f} rows/s ({rows / (t2 - t1) / serial_rate:.2f}x)")
    print(json.dumps(result.summary["states"]))


if __name__ == "__main__":
    main()
