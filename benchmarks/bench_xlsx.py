"""Read a 40,000-row .xlsx ledger with python-calamine and with openpyxl (issue 12).

Run: python benchmarks/bench_xlsx.py [ROWS]
Prints the time ``read_ledger`` takes with each reader on the same workbook (openpyxl forced by
setting ``CALAMINE_MAX_CELLS`` to 0, as for a sheet too large for calamine), the ratio, and
checks that both read the same rows.  Each reader runs three times; the best is kept.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from govdisclose.ledgers import xlsx_records
from govdisclose.ledgers.reading import read_ledger


def generate(path: Path, rows: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["编号", "收到申请日期", "答复日期", "告知补正日期", "收到补正日期",
                  "征求第三方意见日期", "第三方答复日期", "延期批准日期"])
    first = date(2025, 1, 2)
    for i in range(rows):
        received = first + timedelta(days=i % 600)
        replied = received + timedelta(days=10 + i % 35) if i % 5 else None
        supplement = received + timedelta(days=2) if i % 10 == 0 else None
        sheet.append([f"X-{i}", received, replied, supplement,
                      supplement + timedelta(days=6) if supplement else None, None, None,
                      (received + timedelta(days=25)).isoformat() if i % 20 == 0 else None])
    book.save(path)


def best(path: Path, runs: int = 3) -> tuple[float, object]:
    times, ledger = [], None
    for _ in range(runs):
        start = time.perf_counter()
        ledger = read_ledger(path)
        times.append(time.perf_counter() - start)
    return min(times), ledger


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.xlsx"
        generate(path, rows)
        calamine, by_calamine = best(path)
        xlsx_records.CALAMINE_MAX_CELLS = 0  # every sheet streamed with openpyxl
        streamed, by_openpyxl = best(path)
    assert by_calamine == by_openpyxl, "the two readers differ"
    print(f"{rows:,} rows: python-calamine {calamine:.2f} s, openpyxl {streamed:.2f} s "
          f"({streamed / calamine:.1f}x faster with calamine); same rows")


if __name__ == "__main__":
    main()
