"""Where an evaluation's work goes, function by function: bytecodes executed, counted exactly.

Run: python benchmarks/bench_bytecodes.py [--mode mixed|parse|dict] [--top N] [--lines]

``bench_instructions.py`` counts a figure's machine instructions with valgrind, but only as a
total; a sampling profiler (py-spy) names the functions, but its shares move with the load and
the sampling.  This script runs the same workload as bench_evaluate.py once, warm, with the
interpreter's own opcode tracing (``sys.settrace``, ``f_trace_opcodes``), and prints the
bytecodes each function (or, with ``--lines``, each source line) executes per item.  The
counts do not depend on the machine or its load: two versions compare figure by figure.
Bytecodes are not instructions — one that builds a tuple or looks a key up costs more than
one that loads a local — so read them beside bench_instructions.py's totals (about 70
instructions a bytecode in a warm evaluation on CPython 3.11).

Modes: ``mixed`` a warm evaluation of a pre-parsed request (every bundled book), ``parse`` a
request parsed from a dict, ``dict`` both.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench_evaluate import _fresh_books, requests

from govdisclose import list_rulebooks
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType

AS_OF = date(2026, 11, 30)


def _count(work: Callable[[], object], lines: bool) -> Counter[tuple[str, Any]]:
    """The bytecodes ``work`` executes, by (file, function) or by (file, line)."""
    found: Counter[tuple[str, Any]] = Counter()

    def trace(frame: FrameType, event: str, _arg: object) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            where = frame.f_lineno if lines else code.co_name
            found[(Path(code.co_filename).name, where)] += 1
        return trace

    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("mixed", "parse", "dict"), default="mixed")
    parser.add_argument("--top", type=int, default=25, help="rows to print (default 25)")
    parser.add_argument("--lines", action="store_true", help="by source line, not function")
    args = parser.parse_args()
    ids = list_rulebooks()
    books = dict(zip(ids, _fresh_books(), strict=True))
    dicts = [(books[b], d) for b in ids for d in requests(300)]
    parsed = [(book, parse_request(d, book)) for book, d in dicts]
    for book, request in parsed:  # warm: the per-book tables and memos filled
        evaluate_request(book, request, as_of=AS_OF)
    work: dict[str, Callable[[], object]] = {
        "mixed": lambda: [evaluate_request(b, r, as_of=AS_OF) for b, r in parsed],
        "parse": lambda: [parse_request(d, b) for b, d in dicts],
        "dict": lambda: [evaluate_request(b, d, as_of=AS_OF) for b, d in dicts]}
    counts = _count(work[args.mode], args.lines)
    n = len(dicts)
    total = sum(counts.values())
    print(f"{args.mode}: {total / n:,.0f} bytecodes per item ({n:,} items, warm)")
    for (file, where), count in counts.most_common(args.top):
        print(f"{count / n:9.1f}  {count / total:6.1%}  {file}:{where}")


if __name__ == "__main__":
    main()
