"""Instructions per evaluation and per audited row, counted by valgrind (issue 12).

Run: python benchmarks/bench_instructions.py [--against SRC]

On a shared machine the time a process gets is noisy: two runs of bench_evaluate.py minutes
apart can differ by 2x, in CPU time too (a virtual machine's stolen time counts as running).
The number of instructions a piece of work executes does not depend on the load, so this
script counts them with valgrind's callgrind tool (``valgrind`` must be installed; the script
says so and stops otherwise) and prints, for the same inputs as bench_evaluate.py and
bench_audit.py:

* instructions per mixed request evaluation (pre-parsed, every bundled book, the per-book
  tables filled: the warm figure);
* instructions per national request evaluation of the audit's kind (dates only, no steps);
* instructions per request parsed from a dict (schema and rulebook checks: the part of
  ``evaluate_request(book, dict)`` before the evaluation);
* instructions per request evaluated from a dict, ``evaluate_request(book, dict)`` (the parse
  and the warm evaluation in one call: what bench_evaluate.py's "from dicts" figure times);
* instructions per audited ledger row through the CLI (``audit --json --workers 1`` on a
  generated 5,000-row ledger, less the same command on its header alone);

each beside the baseline counted the same way, ``json.dumps`` of each request dict, as a ratio.
Each figure is the difference of two runs doing the work once and three times, so start-up
and the first pass cancel out; every run has ``PYTHONHASHSEED=0`` unless the environment sets
it (random string hashes move the counts by about 1 %).  ``--against SRC`` counts the same
with the package found in another source tree (an older checkout's ``src``), for a
before/after in one table.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Evaluates or serialises the workload ``passes`` times; argv: src passes mode.
WORK = """
import sys
src, passes, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, src)
sys.path.insert(0, BENCHMARKS)
import json, random
from datetime import date, timedelta
from bench_evaluate import requests, _fresh_books
from govdisclose import list_rulebooks
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request
as_of = date(2026, 11, 30)
ids = list_rulebooks()
if mode in ("mixed", "json", "parse", "dict"):
    books = dict(zip(ids, _fresh_books()))
    dicts = [(b, d) for b in ids for d in requests(300)]
    work = [(books[b], parse_request(d, books[b]), True) for b, d in dicts]
else:
    rng = random.Random(1)
    national = _fresh_books()[ids.index("national")]
    work = []
    for i in range(2100):
        received = date(2025, 1, 2) + timedelta(rng.randrange(600))
        events = []
        if rng.random() < .1:
            events += [{"type": "supplement_requested", "on": str(received + timedelta(2))},
                       {"type": "supplement_received", "on": str(received + timedelta(8))}]
        if rng.random() < .1:
            events += [{"type": "third_party_consulted", "on": str(received + timedelta(3))},
                       {"type": "third_party_replied", "on": str(received + timedelta(12))}]
        if rng.random() < .8:
            events.append({"type": "replied",
                           "on": str(received + timedelta(rng.randrange(10, 45)))})
        request = {"id": f"A{i}", "received_on": str(received), "events": events}
        work.append((national, parse_request(request, national), False))
for _ in range(passes):
    if mode == "json":
        for _, d in dicts:
            json.dumps(d)
    elif mode == "parse":
        for b, d in dicts:
            parse_request(d, books[b])
    elif mode == "dict":
        for b, d in dicts:
            evaluate_request(books[b], d, as_of=as_of)
    else:
        for book, request, steps in work:
            evaluate_request(book, request, as_of=as_of, include_steps=steps)
"""
ITEMS = 2100
ROWS = 5000


def instructions(argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> int:
    """The instructions callgrind counts for running ``argv``, which must exit with a code
    among ``ok`` (an audit with findings exits 1; a script that fails must not be counted)."""
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(["valgrind", "--tool=callgrind",
                               f"--callgrind-out-file={out}/callgrind.out", *argv],
                              capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None or done.returncode not in ok:
        msg = (f"the run exited with {done.returncode}, or callgrind printed no count:\n"
               f"{done.stderr[-2000:]}")
        raise RuntimeError(msg)
    return int(found.group(1))


def per_item(src: str, mode: str, env: dict[str, str]) -> float:
    """Instructions per item of ``mode`` (``mixed``, ``audit``, ``parse``, ``dict``,
    ``json``) with ``src``."""
    script = WORK.replace("BENCHMARKS", repr(str(HERE)))
    # No compiled cache: a first run of new code would write it and the next read it, and
    # the difference of the two runs would count that, not the work.
    env = {**env, "GOVDISCLOSE_NO_CACHE": "1"}
    once = instructions([sys.executable, "-c", script, src, "1", mode], env)
    thrice = instructions([sys.executable, "-c", script, src, "3", mode], env)
    return (thrice - once) / 2 / ITEMS


def per_row(src: str, ledger: Path, header: Path, env: dict[str, str]) -> float:
    """Instructions per row of ``audit national LEDGER --json --workers 1`` with ``src``."""
    run = {**env, "PYTHONPATH": src}
    command = [sys.executable, "-m", "govdisclose", "audit", "national"]
    tail = ["--as-of", "2026-12-31", "--workers", "1", "--json", "--no-cache"]
    full = instructions([*command, str(ledger), *tail], run, ok=(0, 1))
    empty = instructions([*command, str(header), *tail], run, ok=(0, 1))
    return (full - empty) / ROWS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", help="another source tree (its src) to count beside")
    parser.add_argument("--only", choices=("mixed", "audit", "parse", "dict", "row"),
                        help="count this figure alone (each takes a minute or more)")
    args = parser.parse_args()
    wanted = {args.only} if args.only else {"mixed", "audit", "parse", "dict", "row"}
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt install valgrind): nothing counted")
        return
    sys.path.insert(0, str(HERE))
    from bench_audit import generate

    # One string hash seed for every run (unless one is set): with random seeds the dicts'
    # collisions differ from run to run, and so do the counts, by about 1 %.
    env = {"PYTHONHASHSEED": "0",
           **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}}
    trees = [("this tree", str(HERE.parent / "src"))]
    if args.against:
        trees.append(("--against", str(Path(args.against).resolve())))
    with tempfile.TemporaryDirectory() as work:
        ledger, header = Path(work) / "ledger.csv", Path(work) / "header.csv"
        generate(ledger, ROWS)
        header.write_text(ledger.read_text(encoding="utf-8").splitlines()[0] + "\n",
                          encoding="utf-8")
        baseline = per_item(trees[0][1], "json", env)
        print(f"baseline, json.dumps of a request dict: {baseline:,.0f} instructions")
        what = {"mixed": "mixed request evaluation, warm",
                "audit": "audit-kind evaluation (dates only, no steps)",
                "parse": "request parsed from a dict (schema + rulebook checks)",
                "dict": "request evaluated from a dict (parse + evaluation, warm)",
                "row": "audited row through the CLI, --json"}
        for name, src in trees:
            print(f"{name} ({src}):")
            for mode, label in what.items():
                if mode not in wanted:
                    continue
                count = (per_row(src, ledger, header, env) if mode == "row"
                         else per_item(src, mode, env))
                print(f"  {label}: {count:,.0f} ({count / baseline:.1f}x the baseline)",
                      flush=True)


if __name__ == "__main__":
    main()
