"""Audit a generated ledger of 1,000,000 rows end to end through the CLI (issue 12, point 3).

Run: python benchmarks/bench_audit.py [ROWS] [--formats json,text,csv,html] [--workers N]
[--distinct]

For each output format, ``govdisclose audit national LEDGER --as-of 2026-12-31`` runs in a
fresh process (``--json`` to a file, text to a file, ``--csv OUT``, ``--html OUT``); the
figures are its wall time, its rows per second, and its peak RSS: ``ru_maxrss`` of
``resource.getrusage(RUSAGE_CHILDREN)`` taken in a small wrapper process whose only children are
the CLI and its workers, so it is the largest of them (RSS is per process; the pool's workers
are counted separately, not summed).  Against the targets of issue 12: 20 s and 300 MB at a
million rows.  The baseline, measured in the same run, is the same CLI with ``--workers 1`` on
the first 50,000 rows: the ratio is parallel rows/s over serial rows/s, the speed-up the
workers bring on this machine as loaded as it is now; the last line says how much more work
that many CPU-bound processes can do than one at that moment (on free cores, the number of
workers), which bounds the ratio — for the work per row.  An audit evaluates each distinct
row once (rows agreeing on every cell but the id share an evaluation), and a longer ledger
repeats more of its rows, so the ratio can pass the number of workers: the share of distinct
rows of both ledgers is printed.  ``--distinct`` audits a ledger no two rows of which agree,
the worst case.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HEADER = ("id,received_on,replied_on,supplement_requested_on,supplement_received_on,"
          "third_party_consulted_on,third_party_replied_on,extension_approved_on\n")
TARGET_SECONDS = 20.0
TARGET_MB = 300.0
BASELINE_ROWS = 50_000

#: Runs argv[1:] and prints its wall time and the peak RSS of its processes (KiB) as JSON.
WRAPPER = """
import json, resource, subprocess, sys, time
out = open(sys.argv[1], "wb")
start = time.perf_counter()
code = subprocess.call(sys.argv[2:], stdout=out)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "peak_kib": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime}))
"""


#: Counts loop turns for two seconds: the machine's capacity, one process against two.
SPIN = """
import time
start, turns = time.perf_counter(), 0
while time.perf_counter() - start < 2:
    for _ in range(10_000):
        turns += 1
print(turns)
"""


def capacity(processes: int) -> float:
    """How much more work ``processes`` CPU-bound processes do together than one alone, now:
    about ``processes`` on free cores, less on a loaded machine or on shared vCPUs."""
    def spin(count: int) -> int:
        runs = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE)
                for _ in range(count)]
        return sum(int(run.communicate()[0]) for run in runs)

    return spin(processes) / spin(1)


def generate(path: Path, rows: int, *, distinct: bool = False) -> int:
    """Write a ledger of ``rows`` rows; return how many distinct rows it has (by every cell
    but the id): the audit evaluates a row once per combination of cells
    (ledgers/audit_rows.py, ``row_memo``), so its speed depends on this figure.

    The default ledger draws its days at random over 600 days, as a year or two of requests
    do; ``distinct`` writes rows no two of which agree (each with a supplement requested and
    received, at offsets no other row with the same received and replied days has): the
    audit's worst case."""
    rng = random.Random(20261123)
    first = date(2025, 1, 2)
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            if distinct:  # i in mixed radix: received day, reply, supplement asked, received
                day, rest = i % 600, i // 600
                reply, rest = rest % 35, rest // 35
                asked, got = rest % 5, rest // 5
                received = first + timedelta(days=day)
                cells = [f"R-{i}", received.isoformat(),
                         (received + timedelta(days=25 + reply)).isoformat(),
                         (received + timedelta(days=1 + asked)).isoformat(),
                         (received + timedelta(days=7 + got)).isoformat(), "", "", ""]
                line = ",".join(cells)
                seen.add(line.split(",", 1)[1])
                out.write(line + "\n")
                continue
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
            line = ",".join(cells)
            seen.add(line.split(",", 1)[1])
            out.write(line + "\n")
    return len(seen)


def run_cli(ledger: Path, fmt: str, workers: int, out_dir: Path) -> dict[str, float]:
    """One CLI run in a fresh wrapper process: wall seconds and peak RSS in MB."""
    stdout = out_dir / f"stdout-{fmt}-{workers}"
    cli = [sys.executable, "-m", "govdisclose", "audit", "national", str(ledger),
           "--as-of", "2026-12-31", "--workers", str(workers)]
    if fmt == "json":
        cli.append("--json")
    elif fmt in ("csv", "html"):
        target = out_dir / f"audit-{workers}.{fmt}"
        target.unlink(missing_ok=True)
        cli += [f"--{fmt}", str(target)]
    report = subprocess.run([sys.executable, "-c", WRAPPER, str(stdout), *cli],
                            check=True, capture_output=True, text=True)
    figures = json.loads(report.stdout)
    if figures["code"] not in (0, 1):
        sys.exit(f"the CLI failed ({figures['code']}): {' '.join(cli)}")
    return {"wall": figures["wall"], "mb": figures["peak_kib"] / 1024, "cpu": figures["cpu"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--formats", default="json,text,csv,html")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--distinct", action="store_true",
                        help="a ledger no two rows of which agree (the audit's worst case)")
    args = parser.parse_args()
    formats = args.formats.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        ledger, small = tmp_dir / "ledger.csv", tmp_dir / "baseline.csv"
        distinct = generate(ledger, args.rows, distinct=args.distinct)
        baseline_rows = min(args.rows, BASELINE_ROWS)
        # the same generator: the first rows of the ledger
        small_distinct = generate(small, baseline_rows, distinct=args.distinct)
        print(f"rows: {args.rows:,} ({distinct:,} distinct: {distinct / args.rows:.0%}); "
              f"workers: {args.workers} (CPUs: {os.cpu_count()}); "
              f"load average {os.getloadavg()[0]:.1f}")
        # The baseline is measured before and after the runs, and their mean is used: the
        # machine's load may change in between.
        before = run_cli(small, "json", 1, tmp_dir)
        results = {fmt: run_cli(ledger, fmt, args.workers, tmp_dir) for fmt in formats}
        after = run_cli(small, "json", 1, tmp_dir)
        serial_rate = 2 * baseline_rows / (before["wall"] + after["wall"])
        print(f"serial baseline (CLI --json --workers 1, {baseline_rows:,} rows, "
              f"{small_distinct / baseline_rows:.0%} distinct): "
              f"{before['wall']:.1f} s before, {after['wall']:.1f} s after: "
              f"{serial_rate:,.0f} rows/s, {baseline_rows / before['cpu']:,.0f} rows per CPU "
              f"second, peak {before['mb']:.0f} MB")
        for fmt, figures in results.items():
            rate = args.rows / figures["wall"]
            print(f"{fmt:>5}: {figures['wall']:6.1f} s (target {TARGET_SECONDS:.0f} s: "
                  f"{TARGET_SECONDS / figures['wall']:.2f}x), {rate:,.0f} rows/s "
                  f"({rate / serial_rate:.2f}x the serial baseline; "
                  f"{args.rows / figures['cpu']:,.0f} rows per CPU second), peak RSS "
                  f"{figures['mb']:.0f} MB (target {TARGET_MB:.0f} MB: "
                  f"{TARGET_MB / figures['mb']:.2f}x)")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}; {args.workers} processes now do "
              f"{capacity(args.workers):.2f}x the work of one (the most the workers can gain)")
        if "json" in formats:
            document = json.loads((tmp_dir / f"stdout-json-{args.workers}").read_text("utf-8"))
            assert document["summary"]["rows"] == args.rows  # nothing dropped
            print(json.dumps(document["summary"]["states"]))


if __name__ == "__main__":
    main()
