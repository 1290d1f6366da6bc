"""A long fuzz run over every public entry point (issue 11): the strategies of
:mod:`govdisclose.testing.fuzzing`, many more examples than ``tests/test_fuzz.py`` runs.

For each target it reports the inputs tried, the documented errors by type, anything else
raised (unhandled: each with the input that raised it), the slowest input and its time, and the
process's peak memory.  Targets run in parallel processes (``--workers``).

    python benchmarks/fuzz_long.py                    # about 10**6 inputs in all
    python benchmarks/fuzz_long.py --scale 0.01       # a quick look
    python benchmarks/fuzz_long.py --json out.json    # figures as JSON too

Exit status 1 when any input was unhandled or took over ``--slow`` seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

#: target -> inputs at --scale 1 (about a million in all; the CLI is the slowest per input).
PLAN = {"fee": 300_000, "limit_deadline": 250_000, "rulebook_text": 60_000,
        "evaluate_request": 200_000, "evaluate_item": 120_000, "ledger": 60_000,
        "cli": 10_000}
AS_OF = date(2026, 12, 31)


def _target(name: str, scratch: Path) -> tuple[Any, Any]:
    """(strategy, call) for one target; the call returns nothing or raises."""
    from hypothesis import strategies as st

    from govdisclose import load_rulebook
    from govdisclose.cli import main
    from govdisclose.engine.fees import fee
    from govdisclose.engine.items import evaluate_item
    from govdisclose.engine.limits import limit_deadline
    from govdisclose.engine.requests import evaluate_request
    from govdisclose.ledgers.audit import audit_ledger
    from govdisclose.ledgers.reading import read_ledger
    from govdisclose.rulebook.loading import iter_rulebook_errors
    from govdisclose.testing import fuzzing as f

    books = {b: load_rulebook(b) for b in f.FUZZ_BOOKS}

    def rulebook_text(text: str) -> None:
        path = scratch / "fuzzbook.yaml"
        path.write_text(text, encoding="utf-8")
        if not list(iter_rulebook_errors(path)):
            load_rulebook(path)

    def ledger(text: str) -> None:
        path = scratch / "ledger.csv"
        path.write_text(text, encoding="utf-8")
        rows = read_ledger(path)
        result = audit_ledger(books["national"], rows, as_of=AS_OF)
        if len(result.rows) != len(rows.rows):
            msg = "a ledger row was dropped"
            raise AssertionError(msg)

    def cli(argv: list[str]) -> None:
        argv = [a.replace("{tmp}", str(scratch)) for a in argv]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
        if code not in (0, 1, 2):
            msg = f"exit {code}"
            raise AssertionError(msg)

    targets: dict[str, tuple[Any, Any]] = {
        "fee": (f.fee_calls(), lambda c: fee(books[c[0]], c[1], c[2])),
        "limit_deadline": (f.limit_calls(), lambda c: limit_deadline(books[c[0]], c[1], c[2])),
        "rulebook_text": (f.rulebook_texts(), rulebook_text),
        "evaluate_request": (st.tuples(st.sampled_from(f.FUZZ_BOOKS), f.request_dicts()),
                             lambda c: evaluate_request(books[c[0]], c[1], as_of=AS_OF)
                             .to_json()),
        "evaluate_item": (st.tuples(st.sampled_from(f.FUZZ_BOOKS), f.item_dicts()),
                          lambda c: evaluate_item(books[c[0]], c[1], as_of=AS_OF).to_json()),
        "ledger": (f.ledger_texts(), ledger),
        "cli": (f.cli_argvs(), cli),
    }
    return targets[name]


def run_target(name: str, examples: int, slow: float) -> dict[str, Any]:
    """Run one target for ``examples`` generated inputs; the figures as a dict."""
    from govdisclose.errors import GovDiscloseError

    documented: Counter[str] = Counter()
    unhandled: list[dict[str, str]] = []
    slowest: dict[str, Any] = {"seconds": 0.0, "input": None}
    over: list[dict[str, Any]] = []
    tried = 0
    with tempfile.TemporaryDirectory() as tmp:
        strategy, call = _target(name, Path(tmp))

        @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def body(value: Any) -> None:
            nonlocal tried
            tried += 1
            started = time.perf_counter()
            try:
                call(value)
            except GovDiscloseError as exc:
                documented[type(exc).__name__] += 1
            except Exception as exc:  # the point is to count them
                if len(unhandled) < 20:
                    unhandled.append({"error": f"{type(exc).__name__}: {exc}"[:300],
                                      "input": repr(value)[:500]})
                else:
                    unhandled.append({"error": type(exc).__name__, "input": ""})
            spent = time.perf_counter() - started
            if spent > slowest["seconds"]:
                slowest.update(seconds=round(spent, 4), input=repr(value)[:300])
            if spent > slow:
                over.append({"seconds": round(spent, 2), "input": repr(value)[:300]})

        started = time.perf_counter()
        body()
    return {"target": name, "inputs": tried, "seconds": round(time.perf_counter() - started, 1),
            "documented_errors": dict(documented), "unhandled": len(unhandled),
            "unhandled_examples": unhandled[:20], "over_slow": over[:20],
            "slowest": slowest,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every target's count")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--slow", type=float, default=5.0, help="seconds that count as too slow")
    parser.add_argument("--only", nargs="*", choices=sorted(PLAN), help="run these targets")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    names = args.only or list(PLAN)
    jobs = {n: max(1, int(PLAN[n] * args.scale)) for n in names}
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run_target, jobs, jobs.values(), [args.slow] * len(jobs)))
    total = sum(r["inputs"] for r in results)
    bad = sum(r["unhandled"] for r in results)
    over = sum(len(r["over_slow"]) for r in results)
    for r in results:
        print(f"{r['target']:<18} {r['inputs']:>9} inputs {r['seconds']:>8} s  "
              f"unhandled {r['unhandled']:>3}  slowest {r['slowest']['seconds']} s  "
              f"peak {r['peak_rss_mb']} MB  documented {r['documented_errors']}")
        for example in r["unhandled_examples"][:3]:
            print(f"    ! {example['error']}\n      {example['input']}")
    print(f"total {total} inputs in {time.perf_counter() - started:.0f} s; unhandled {bad}; "
          f"over {args.slow} s: {over}")
    if args.json:
        args.json.write_text(json.dumps({"total": total, "unhandled": bad, "over_slow": over,
                                         "targets": results}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 1 if bad or over else 0


if __name__ == "__main__":
    sys.exit(main())
