"""Adding 20 working days: govdisclose's index against the two maintained peers,
chinese_calendar.find_workday and python-holidays' China().get_nth_working_day.

Run: python benchmarks/bench_workdays.py
Prints µs per deadline for each and the speed-up ratios (target: at least 700x
chinese_calendar). All run in this process on the same start dates (2025-01-01 .. 2026-11-30).
python-holidays is optional (``pip install holidays``): without it that ratio is skipped.
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
    print(f"ratio: {theirs / ours:.0f}x faster (target >= 700x)")
    print(f"results agree on {agree} of {len(workday_starts)} working-day starts "
          "(find_workday counts differently by design when the start is not a working day)")
    try:
        import holidays
    except ImportError:
        print("python-holidays not installed: pip install holidays for the second ratio")
        return
    china = holidays.China(years=range(2025, 2028))
    china.get_nth_working_day(inputs[0], N_WORKING_DAYS)  # fill its per-year cache first
    peer = best_of(3, lambda: [china.get_nth_working_day(d, N_WORKING_DAYS) for d in inputs])
    same = sum(add_working_days(d, N_WORKING_DAYS, cal)
               == china.get_nth_working_day(d, N_WORKING_DAYS) for d in workday_starts)
    print(f"holidays.China().get_nth_working_day ({holidays.__version__}): "
          f"{peer / n * 1e6:8.2f} µs per deadline")
    print(f"ratio: {peer / ours:.0f}x faster than python-holidays")
    print(f"results agree on {same} of {len(workday_starts)} working-day starts")


if __name__ == "__main__":
    main()
