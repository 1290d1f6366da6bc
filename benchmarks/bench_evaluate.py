"""Engine throughput and cold rulebook loading.

Run: python benchmarks/bench_evaluate.py
Prints request evaluations per second, item plans per second (one process, bundled
books, a mix of realistic requests), and the cold load-and-validate time of every
bundled book (measured in a fresh interpreter), each against its target.
Targets: >= 20,000 request evaluations/s; all books loaded and validated < 200 ms.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date, timedelta

from govdisclose import list_rulebooks, load_rulebook
from govdisclose.engine.items import evaluate_item, parse_item
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request

COLD = """
import time
t0 = time.perf_counter()
from govdisclose.rulebook.loading import RulebookLibrary
from govdisclose._paths import rules_dir
t1 = time.perf_counter()
lib = RulebookLibrary([rules_dir()])
books = [lib.load(i) for i in lib.ids()]
print(t1 - t0, time.perf_counter() - t1)
"""


def requests(n: int) -> list[dict[str, object]]:
    out = []
    start = date(2025, 1, 2)
    for i in range(n):
        received = start + timedelta(days=i % 600)
        events: list[dict[str, object]] = []
        if i % 3 == 0:
            events += [{"type": "third_party_consulted", "on": str(received + timedelta(2))},
                       {"type": "third_party_replied", "on": str(received + timedelta(9))}]
        if i % 5 == 0:
            events += [{"type": "supplement_requested", "on": str(received + timedelta(1))},
                       {"type": "supplement_received", "on": str(received + timedelta(6))}]
        if i % 7 == 0:
            events.append({"type": "extension_approved", "on": str(received + timedelta(20))})
        events.append({"type": "replied", "on": str(received + timedelta(25 + i % 20))})
        out.append({"id": f"B-{i}", "received_on": str(received), "events": events,
                    "facts": {"exists": True, "separable": i % 2 == 0,
                              "exemption_grounds": ["third_party_rights"] if i % 4 == 0
                              else []}})
    return out


def main() -> None:
    books = [load_rulebook(b) for b in list_rulebooks()]
    data = requests(3000)
    as_of = date(2026, 11, 30)
    parsed = [(book, parse_request(d, book)) for book in books for d in data[:300]]
    t0 = time.perf_counter()
    for book, request in parsed:
        evaluate_request(book, request, as_of=as_of)
    elapsed = time.perf_counter() - t0
    rate = len(parsed) / elapsed
    print(f"request evaluations: {rate:,.0f}/s over {len(parsed)} requests "
          f"({elapsed / len(parsed) * 1e6:.0f} µs each; target >= 20,000/s: "
          f"{rate / 20000:.2f}x of target)")

    simple = [(book, parse_request({"id": f"S-{i}", "received_on": d["received_on"],
                                     "events": [{"type": "replied",
                                                 "on": str(date.fromisoformat(str(
                                                     d["received_on"])) + timedelta(20))}],
                                     "facts": {"exists": True}}, book))
              for book in books for i, d in enumerate(data[:300])]
    t0 = time.perf_counter()
    for book, request in simple:
        evaluate_request(book, request, as_of=as_of)
    simple_rate = len(simple) / (time.perf_counter() - t0)
    print(f"request evaluations, simple (received + replied): {simple_rate:,.0f}/s")

    national = load_rulebook("national")
    t0 = time.perf_counter()
    for d in data[:2000]:
        parse_request(d, national)
    parse_rate = 2000 / (time.perf_counter() - t0)
    print(f"request parsing (schema + facts): {parse_rate:,.0f}/s")

    items = [(book, parse_item({"id": f"I-{i}", "title": "t", "attribute": "proactive",
                                "formed_on": str(date(2025, 1, 2) + timedelta(days=i % 600)),
                                "flags": {"policy_document": i % 2 == 0}}, book))
             for book in books for i in range(300)]
    t0 = time.perf_counter()
    for book, item in items:
        evaluate_item(book, item)
    item_rate = len(items) / (time.perf_counter() - t0)
    print(f"item plans: {item_rate:,.0f}/s over {len(items)} items")

    runs = [tuple(map(float, subprocess.run([sys.executable, "-c", COLD], capture_output=True,
                                            text=True, check=True).stdout.split()))
            for _ in range(5)]
    imports, best = min(runs, key=lambda r: r[1])
    print(f"cold load + validate of {len(books)} books in a fresh interpreter: "
          f"{best * 1000:.0f} ms (best of 5; target < 200 ms: {200 / (best * 1000):.2f}x); "
          f"importing govdisclose first takes another {imports * 1000:.0f} ms")
    print(json.dumps({"requests_per_s": round(rate), "simple_requests_per_s": round(simple_rate),
                      "items_per_s": round(item_rate),
                      "cold_load_ms": round(best * 1000)}))


if __name__ == "__main__":
    main()
