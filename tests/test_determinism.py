"""What held under the hostile-input review and must keep holding (issue 11): the same output
whatever the time zone, locale and hash seed; threads give what serial evaluation gives; no
ledger row lost and 2 audit workers byte-identical to one."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdisclose import load_rulebook
from govdisclose.engine.backends import PythonBackend
from govdisclose.engine.requests import evaluate_request
from govdisclose.testing.fuzzing import FUZZ_BOOKS, request_dicts

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [
    ["evaluate", "national", "examples/national/request-extension-after-due.json",
     "--as-of", "2026-11-20", "--json"],
    ["audit", "huadian", "examples/ledgers/huadian-2026.csv", "--as-of", "2026-12-01",
     "--json"],
]
ENVIRONMENTS = [(tz, lang, seed)
                for tz in ("UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati")
                for lang in ("C.UTF-8", "zh_CN.UTF-8")
                for seed in ("0", "1", "4242")]


def test_output_is_the_same_in_every_time_zone_locale_and_hash_seed() -> None:
    runs = []
    for tz, lang, seed in ENVIRONMENTS:
        env = {**os.environ, "TZ": tz, "LANG": lang, "LC_ALL": lang, "PYTHONHASHSEED": seed,
               "PYTHONIOENCODING": "utf-8"}
        for argv in COMMANDS:
            runs.append((argv, subprocess.Popen(
                [sys.executable, "-m", "govdisclose", *argv], cwd=ROOT, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
    seen: dict[str, set[bytes]] = {}
    for argv, process in runs:
        out, err = process.communicate(timeout=300)
        assert b"Traceback" not in err, err.decode("utf-8", "replace")
        seen.setdefault(argv[0], set()).add(out)
    assert {k: len(v) for k, v in seen.items()} == {argv[0]: 1 for argv in COMMANDS}


def _batch(n: int) -> list[tuple[str, dict[str, Any]]]:
    """``n`` generated requests (plausible and hostile), the same every run."""
    found: list[tuple[str, dict[str, Any]]] = []

    @settings(max_examples=n, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(FUZZ_BOOKS), request_dicts())
    def collect(book_id: str, request: dict[str, Any]) -> None:
        found.append((book_id, request))

    collect()
    return found


def _evaluate(job: tuple[str, dict[str, Any]], backend: Any) -> str:
    book_id, request = job
    try:
        outcome = evaluate_request(load_rulebook(book_id), request, as_of=date(2026, 12, 31),
                                   backend=backend)
    except Exception as exc:  # the comparison includes the errors
        return f"{type(exc).__name__}: {exc}"
    return json.dumps(outcome.to_json(), ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("backend_name", ["python", "durable"])
def test_threads_give_what_serial_evaluation_gives(backend_name: str) -> None:
    if backend_name == "durable":
        if importlib.util.find_spec("durable") is None:
            pytest.skip("needs the 'durable' extra: pip install '.[durable]'")
        from govdisclose.engine.durable import DurableBackend

        backend: Any = DurableBackend()
    else:
        backend = PythonBackend()
    jobs = _batch(400) * 5  # 2,000 evaluations, each request five times
    serial = [_evaluate(job, backend) for job in jobs]
    with ThreadPoolExecutor(max_workers=16) as pool:
        threaded = list(pool.map(lambda job: _evaluate(job, backend), jobs))
    assert threaded == serial
