"""Start-up (issue 12, point 1): what a script or a shell loop pays per call.

Run: python benchmarks/bench_startup.py [--runs N]

Each figure is the median of N runs (default 9) in fresh interpreters, printed with its ratio
to a bare ``python -c pass`` measured in the same run (the machines are noisy; the ratio
travels, the milliseconds do not):

* ``import govdisclose``, wall time of the whole process (target: at most 40 ms, 4x bare);
* ``govdisclose deadline national request.reply --from 2026-12-03``, wall (target: 120 ms),
  with the compiled rulebook cache warm, and with ``--no-cache``; beside the warm figure, the
  process's CPU time (user + system, where the platform reports it), which other jobs sharing
  the machine disturb less than the wall time;
* loading all bundled rulebooks in a fresh interpreter, timed inside it after the imports
  (bench_evaluate.py's COLD snippet), with the cache warm (target: 50 ms) and without it
  (``GOVDISCLOSE_NO_CACHE=1``; target: 150 ms); the imports are printed beside.

The cache is a temporary directory (GOVDISCLOSE_CACHE_DIR), never the user's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEADLINE = ["deadline", "national", "request.reply", "--from", "2026-12-03"]

#: Loads every bundled book; prints the import and the load time in seconds.
COLD = """
import time
t0 = time.perf_counter()
from govdisclose.rulebook.loading import RulebookLibrary
from govdisclose._paths import rules_dir
t1 = time.perf_counter()
lib = RulebookLibrary([rules_dir()])
books = [lib.load(i) for i in lib.ids()]
print(t1 - t0, time.perf_counter() - t1, len(books))
"""


def children_cpu() -> float:
    """CPU seconds (user + system) the finished child processes used so far; 0 where the
    platform does not say (no :mod:`resource` on Windows)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(argv: list[str], env: dict[str, str], runs: int, cpu: list[float] | None = None,
         times: list[float] | None = None) -> float:
    """Median wall time of running ``argv``, in milliseconds; each run's CPU time (ms) is
    appended to ``cpu`` when given, and each run's wall time (s) to ``times``."""
    times = [] if times is None else times
    for _ in range(runs):
        used = children_cpu()
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append((children_cpu() - used) * 1000)
    return statistics.median(times) * 1000


def cold_load(env: dict[str, str], runs: int) -> tuple[float, float, int]:
    """Median import and load times (ms) of every bundled book, and how many books."""
    imports, loads, count = [], [], 0
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD], env=env, capture_output=True,
                             text=True, check=True).stdout.split()
        imports.append(float(out[0]))
        loads.append(float(out[1]))
        count = int(out[2])
    return statistics.median(imports) * 1000, statistics.median(loads) * 1000, count


def cli() -> list[str]:
    """The console script beside this interpreter, else ``python -m govdisclose``."""
    script = Path(sys.executable).with_name("govdisclose")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "govdisclose"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per figure (median)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="govdisclose-cache-") as cache:
        # Measured as installed: with the bytecode cache (pip compiles it; without it every
        # module is compiled from source on each call, which costs more than the rest).
        env = {k: v for k, v in os.environ.items()
               if k not in ("GOVDISCLOSE_NO_CACHE", "PYTHONDONTWRITEBYTECODE")}
        env["GOVDISCLOSE_CACHE_DIR"] = cache
        no_cache = {**env, "GOVDISCLOSE_NO_CACHE": "1"}
        subprocess.run([*cli(), *DEADLINE], env=env, stdout=subprocess.DEVNULL, check=True)
        cold_load(env, 1)  # every book in the cache, every module's bytecode written
        cold_load(no_cache, 1)
        bare = wall([sys.executable, "-c", "pass"], env, runs)
        deadline_cpu: list[float] = []
        # Paired runs: a bare interpreter, then the deadline command, N times; each pair saw
        # the same load, so the median of their ratios is the steadiest figure on a shared
        # machine, and the fastest deadline run the closest to an idle one.
        pairs: list[tuple[float, float]] = []
        for _ in range(runs):
            one: list[float] = []
            wall([sys.executable, "-c", "pass"], env, 1, times=one)
            wall([*cli(), *DEADLINE], env, 1, times=one)
            pairs.append((one[0], one[1]))
        figures = {
            "bare_python_ms": bare,
            "import_ms": wall([sys.executable, "-c", "import govdisclose"], env, runs),
            "deadline_cli_ms": wall([*cli(), *DEADLINE], env, runs, deadline_cpu),
            "deadline_cli_cpu_ms": statistics.median(deadline_cpu),
            "deadline_cli_no_cache_ms": wall([*cli(), *DEADLINE, "--no-cache"], env, runs),
            "deadline_cli_best_ms": min(d for _, d in pairs) * 1000,
        }
        paired = statistics.median(d / b for b, d in pairs)
        imports, loads, books = cold_load(env, runs)
        figures["load_all_cached_ms"], figures["load_imports_cached_ms"] = loads, imports
        imports, loads, _ = cold_load(no_cache, runs)
        figures["load_all_no_cache_ms"], figures["load_imports_no_cache_ms"] = loads, imports

    def line(label: str, key: str, target: float | None) -> None:
        value = figures[key]
        goal = f"; target ≤ {target:.0f} ms: {'met' if value <= target else 'NOT met'}" \
            if target is not None else ""
        print(f"{label:<48} {value:7.1f} ms  {value / bare:5.2f}x bare python{goal}")

    print(f"median of {runs} runs each, fresh interpreters; {books} bundled rulebooks")
    line("python -c pass (the baseline)", "bare_python_ms", None)
    line("python -c 'import govdisclose' (wall)", "import_ms", 40)
    line("govdisclose deadline … (wall, cache warm)", "deadline_cli_ms", 120)
    line("  its CPU time (user + system)", "deadline_cli_cpu_ms", None)
    line("  the fastest of the paired runs", "deadline_cli_best_ms", 120)
    print(f"{'  paired with bare python: median ratio':<48} {paired:7.2f}x")
    line("govdisclose deadline … --no-cache (wall)", "deadline_cli_no_cache_ms", None)
    line("load all books, cache warm (after imports)", "load_all_cached_ms", 50)
    line("  its imports", "load_imports_cached_ms", None)
    line("load all books, no cache (after imports)", "load_all_no_cache_ms", 150)
    line("  its imports", "load_imports_no_cache_ms", None)
    ratios = {f"{k.removesuffix('_ms')}_x_bare": round(v / bare, 2) for k, v in figures.items()
              if k != "bare_python_ms"}
    print(json.dumps({**{k: round(v, 1) for k, v in figures.items()}, **ratios,
                      "deadline_cli_paired_x_bare": round(paired, 2)}))


if __name__ == "__main__":
    main()
