"""The service's guards, in process: time cap, the pending cap, bugs as a bare 500, CORS.

The work is made to block on an event the test releases, so that "over the time cap" and
"busy" are certain, not a matter of speed: no assertion here depends on how fast anything runs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed")
httpx = pytest.importorskip("httpx", reason="the serve extra is not installed")

from govdisclose.service import answers  # noqa: E402
from govdisclose.service.app import _Service, create_app  # noqa: E402
from govdisclose.service.config import ServiceConfig  # noqa: E402
from govdisclose.service.work import Handlers  # noqa: E402

if TYPE_CHECKING:
    from starlette.applications import Starlette


def _get(app: Starlette, url: str, **headers: str) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get(url, headers=headers)
    return asyncio.run(call())


def test_work_past_the_time_cap_is_503_and_its_thread_still_counts() -> None:
    service = _Service(ServiceConfig(request_timeout=0.05, max_pending=1))
    release = threading.Event()
    finished = threading.Event()

    def slow() -> answers.Answer:
        release.wait(60)
        finished.set()
        return answers.json_answer({"late": True})

    response = asyncio.run(service.run(slow))
    assert response.status_code == 503
    assert b'"timeout"' in response.body
    # the thread given up on still runs: the gate is full, a new request is refused at once
    assert service.gate.pending == 1
    busy = asyncio.run(service.run(lambda: answers.json_answer({})))
    assert (busy.status_code, busy.headers["retry-after"]) == (503, "1")
    release.set()
    assert finished.wait(60)
    for _ in range(600):  # the gate is left in the thread's `finally`, just after
        if service.gate.pending == 0:
            break
        threading.Event().wait(0.01)
    assert service.gate.pending == 0
    ok = asyncio.run(service.run(lambda: answers.json_answer({"ok": 1})))
    assert ok.status_code == 200


def test_a_bug_is_a_bare_500_and_the_traceback_goes_to_the_log(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(self: Handlers) -> answers.Answer:
        msg = "secret detail /srv/path"
        raise ValueError(msg)

    monkeypatch.setattr(Handlers, "rulebooks", broken)
    app = create_app()
    with caplog.at_level(logging.ERROR, logger="govdisclose.service"):
        r = _get(app, "/v1/rulebooks")
    assert r.status_code == 500
    assert r.json()["error"] == "internal"
    assert "secret" not in r.text and "Traceback" not in r.text
    assert "secret detail" in caplog.text


def test_no_cors_unless_configured() -> None:
    plain = _get(create_app(), "/healthz", origin="http://intranet.example")
    assert "access-control-allow-origin" not in plain.headers
    app = create_app(ServiceConfig(cors_origins=("http://intranet.example",)))
    allowed = _get(app, "/healthz", origin="http://intranet.example")
    assert allowed.headers["access-control-allow-origin"] == "http://intranet.example"
    other = _get(app, "/healthz", origin="http://elsewhere.example")
    assert "access-control-allow-origin" not in other.headers


def test_rules_directories_come_first_and_are_named_by_id(tmp_path: Path) -> None:
    from demo_books import DEMO_HEAD

    (tmp_path / "moumou.yaml").write_text(DEMO_HEAD.replace("id: demo", "id: moumou"),
                                          encoding="utf-8")
    app = create_app(ServiceConfig(rules=(tmp_path,)))
    listing = _get(app, "/v1/rulebooks").json()
    assert "moumou" in [row["id"] for row in listing["rulebooks"]]
    limits = _get(app, "/v1/rulebooks/moumou/limits")
    assert limits.status_code == 200, limits.text
    assert limits.json()["limits"]["request.reply"]["book"] == "national"


def test_a_request_given_up_on_while_waiting_for_a_thread_leaves_the_gate() -> None:
    # Every worker thread taken (the test holds the one token): a request waits for a thread,
    # runs past the time cap, and must neither keep its place at the gate nor run its work
    # later.
    service = _Service(ServiceConfig(request_timeout=0.05, worker_threads=1, max_pending=8))
    ran: list[str] = []

    def work() -> answers.Answer:
        ran.append("work")
        return answers.json_answer({})

    async def waiting() -> int:
        holder = object()  # another borrower holds the one thread
        await service.limiter.acquire_on_behalf_of(holder)
        try:
            response = await service.run(work)
        finally:
            service.limiter.release_on_behalf_of(holder)
        return response.status_code

    assert asyncio.run(waiting()) == 503
    assert service.gate.pending == 0
    assert ran == []
    # and the service still answers once a thread is free (the cap lifted first, so that a
    # slow machine starting the thread late cannot turn this into a timing test)
    service.config = dataclasses.replace(service.config, request_timeout=600.0)
    assert asyncio.run(service.run(work)).status_code == 200
    assert ran == ["work"]
