"""Adding 20 working days: govdisclose's index against chinese_calendar.find_workday.

Run: python benchmarks/bench_workdays.py
Prints µs per deadline for both and the speed-up ratio (target: at least 300x).
Both run in this process on the same start dates (2025-01-01 .. 2026-11-30).
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import chinese_calendar

from govdisclose import add_working_days, official_calendar

N_WORKING_DAYS = 20


def starts() -> list[date]:
    first, last = date(2025, 1, 1), date(2026, 11, 30)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return days * 5  # 3,500 start dates (each day of the span five times)


def best_of(repeat: int, fn: object) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    inputs = starts()
    cal = official_calendar()  # build the index outside the timed region
    workday_starts = [d for d in inputs if cal.is_workday(d)]
    agree = sum(
        add_working_days(d, N_WORKING_DAYS, cal)
        == chinese_calendar.find_workday(N_WORKING_DAYS, d)
        for d in workday_starts
    )
    ours = best_of(5, lambda: [add_working_days(d, N_WORKING_DAYS, cal) for d in inputs])
    theirs = best_of(3, lambda: [chinese_calendar.find_workday(N_WORKING_DAYS, d)
                                 for d in inputs])
    n = len(inputs)
    print(f"start dates: {n}, +{N_WORKING_DAYS} working days")
    print(f"govdisclose.add_working_days:  {ours / n * 1e6:8.2f} µs per deadline")
    print(f"chinese_calendar.find_workday: {theirs / n * 1e6:8.2f} µs per deadline")
    print(f"ratio: {theirs / ours:.0f}x faster (target >= 300x)")
    print(f"results agree on {agree} of {len(workday_starts)} working-day starts "
          "(find_workday counts differently by design when the start is not a working day)")


if __name__ == "__main__":
    main()
