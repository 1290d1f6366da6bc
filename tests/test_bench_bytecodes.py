"""benchmarks/bench_bytecodes.py counts what it says: the same warm work executes the same
bytecodes, function by function, on every run (the figure two versions are compared by)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from govdisclose import load_rulebook
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_bytecodes import _count
from bench_evaluate import requests


def test_the_same_warm_work_counts_the_same_bytecodes() -> None:
    book = load_rulebook("national")
    parsed = [parse_request(d, book) for d in requests(40)]
    as_of = date(2026, 11, 30)

    def work() -> None:
        for request in parsed:
            evaluate_request(book, request, as_of=as_of)

    work()  # the per-book tables and memos filled
    first, second = _count(work, lines=False), _count(work, lines=False)
    assert first == second
    assert first[("requests.py", "evaluate_request")] > 40 * 50  # every evaluation counted
    by_line = _count(work, lines=True)
    assert sum(by_line.values()) == sum(first.values())
