"""Load test of ``govdisclose serve``: 10,000 evaluate calls from 8 client threads (issue 13).

Run: python benchmarks/bench_service.py [CALLS] [--threads N] [--server-threads N]

A server process is started on a free port of 127.0.0.1 (nothing else is ever called); each
client thread keeps one HTTP/1.1 connection (httpx) and posts requests cycling through the
bundled example requests (``examples/**/request*.json``) to ``POST /v1/rulebooks/{id}/evaluate``.
Every answer must be 200 with exactly the bytes the same evaluation gives in-process
(``outputs.documents``, what ``evaluate --json`` prints): the run reports anything lost, late
or different, and exits 1 if there is any.  Figures: requests per second, p50/p99/max
latency.  The baseline, measured in the same run, is the same evaluations in-process, one
thread (parse + evaluate + render): the ratio says what the HTTP layer, the JSON round trip
and the threads cost against calling the library directly.

Bounded: CALLS requests at most, each with a 60 s client timeout, and the run stops after
``--max-seconds`` (default 900) whatever remains, counting the rest as lost.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = "2026-11-20"


def _cases() -> list[tuple[str, bytes, bytes]]:
    """(rulebook, request body, expected answer) for each bundled example request."""
    from govdisclose.engine.request_input import parse_request
    from govdisclose.engine.requests import evaluate_request
    from govdisclose.outputs.documents import evaluate_document, render_json
    from govdisclose.rulebook.loading import load_rulebook

    files = [("national", EXAMPLES / "request.json")]
    for directory in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        files += [(directory.name, f) for f in sorted(directory.glob("request*.json"))]
    out = []
    for book_id, file in files:
        body = file.read_bytes()
        book = load_rulebook(book_id)
        outcome = evaluate_request(book, parse_request(json.loads(body), book),
                                   as_of=date.fromisoformat(AS_OF))
        out.append((book_id, body, render_json(evaluate_document(outcome)).encode("utf-8")))
    return out


def _baseline(cases: list[tuple[str, bytes, bytes]], calls: int) -> float:
    """In-process evaluations per second, one thread, the same mix."""
    from govdisclose.engine.request_input import parse_request
    from govdisclose.engine.requests import evaluate_request
    from govdisclose.outputs.documents import evaluate_document, render_json
    from govdisclose.rulebook.loading import load_rulebook

    books = {book_id: load_rulebook(book_id) for book_id, _, _ in cases}
    as_of = date.fromisoformat(AS_OF)
    start = time.perf_counter()
    for i in range(calls):
        book_id, body, expected = cases[i % len(cases)]
        book = books[book_id]
        outcome = evaluate_request(book, parse_request(json.loads(body), book), as_of=as_of)
        if render_json(evaluate_document(outcome)).encode("utf-8") != expected:
            msg = "in-process result differs"
            raise SystemExit(msg)
    return calls / (time.perf_counter() - start)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start_server(port: int, threads: int) -> subprocess.Popen[bytes]:
    code = ("import argparse, sys\n"
            "from govdisclose.cli.serve import COMMANDS\n"
            "command = COMMANDS['serve']\n"
            "parser = argparse.ArgumentParser()\n"
            "command.configure(parser)\n"
            "sys.exit(command.run(parser.parse_args(sys.argv[1:])))\n")
    process = subprocess.Popen([sys.executable, "-c", code, "--port", str(port),
                                "--threads", str(threads), "--log-level", "warning"],
                               stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(process.stderr.read().decode() if process.stderr else "exited")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    msg = "the server did not start"
    raise SystemExit(msg)


def main() -> int:
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("calls", type=int, nargs="?", default=10_000)
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--server-threads", type=int, default=8, help="server worker threads")
    parser.add_argument("--max-seconds", type=float, default=900.0)
    args = parser.parse_args()

    cases = _cases()
    baseline = _baseline(cases, min(args.calls, 2_000))
    port = _free_port()
    server = _start_server(port, args.server_threads)
    base = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    next_call = iter(range(args.calls))
    stop_at = time.monotonic() + args.max_seconds

    def client() -> None:
        with httpx.Client(base_url=base, timeout=60) as session:
            while time.monotonic() < stop_at:
                with lock:
                    i = next(next_call, None)
                if i is None:
                    return
                book_id, body, expected = cases[i % len(cases)]
                sent = time.perf_counter()
                try:
                    r = session.post(f"/v1/rulebooks/{book_id}/evaluate",
                                     params={"as_of": AS_OF}, content=body,
                                     headers={"content-type": "application/json"})
                    ok = r.status_code == 200 and r.content == expected
                    problem = None if ok else f"call {i}: {r.status_code} {r.text[:200]}"
                except httpx.HTTPError as exc:
                    problem = f"call {i}: {type(exc).__name__}"
                elapsed = time.perf_counter() - sent
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        failures.append(problem)

    try:
        started = time.perf_counter()
        workers = [threading.Thread(target=client) for _ in range(args.threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    answered = len(latencies) - len(failures)
    lost = args.calls - answered
    ordered = sorted(latencies)
    rate = len(latencies) / wall if wall else 0.0
    report = {
        "calls": args.calls, "client_threads": args.threads,
        "server_threads": args.server_threads, "answered_200_right_body": answered,
        "lost_or_wrong": lost, "wall_s": round(wall, 2), "requests_per_s": round(rate, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2) if ordered else None,
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2) if ordered else None,
        "max_ms": round(ordered[-1] * 1000, 2) if ordered else None,
        "baseline_in_process_per_s": round(baseline, 1),
        "ratio_http_over_in_process": round(rate / baseline, 3) if baseline else None,
    }
    print(json.dumps(report, indent=2))
    for line in failures[:10]:
        print(line, file=sys.stderr)
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
