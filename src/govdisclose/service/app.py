"""The ASGI application of ``govdisclose serve`` (Starlette), its routes and its guards.

Each request's work runs in a worker thread (:mod:`.work`) so that the event loop keeps
answering; the guards around it:

- **body size**: read a chunk at a time and refused (413) as soon as it passes the cap, before
  it is parsed; a ``Content-Length`` over the cap is refused before anything is read;
- **ledger rows**: counted when the ledger is checked, before any row is audited (413);
- **time**: an answer not ready within ``request_timeout`` is a 503.  A Python thread cannot be
  stopped, so the thread given up on runs to its end — bounded, because its input is bounded by
  the caps above — and it still counts against ``max_pending``: past that many requests
  waiting, computing or given up on, a new one is answered 503 at once instead of queueing
  without end.

Errors never carry a traceback to the client (:mod:`.answers`); the log gets it.
"""

from __future__ import annotations

import logging
import threading
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import GovDiscloseError
from ..outputs.documents import render_json
from . import answers
from .config import ServiceConfig
from .inputs import refuse
from .openapi import openapi_document
from .work import Handlers

if TYPE_CHECKING:
    from collections.abc import Callable

    from starlette.requests import Request
    from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["create_app"]

LOG = logging.getLogger("govdisclose.service")
_PAGE_FILES = {"": ("index.html", "text/html; charset=utf-8"),
               "app.js": ("app.js", "text/javascript; charset=utf-8"),
               "app.css": ("app.css", "text/css; charset=utf-8")}
#: The page loads only its own script and style, and the API of its own origin.
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class _Gate:
    """Counts requests waiting, computing, or given up on while their thread still runs."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pending = 0
        self._lock = threading.Lock()

    def enter(self) -> bool:
        with self._lock:
            if self.pending >= self.limit:
                return False
            self.pending += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.pending -= 1


class _Service:
    """The handlers, the worker threads and the gate, shared by every route."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.handlers = Handlers(config)
        self.limiter = anyio.CapacityLimiter(config.worker_threads)
        self.gate = _Gate(config.max_pending)
        self.openapi = render_json(openapi_document()).encode("utf-8")

    async def run(self, work: Callable[[], answers.Answer]) -> Response:
        """``work()`` in a worker thread, within the time cap; its answer, or the error's."""
        if not self.gate.enter():
            return _response(answers.busy())
        # Whoever takes the ticket first leaves the gate: the thread when it starts the work,
        # or this coroutine when it gives up before the work started (it then never starts).
        ticket = threading.Lock()

        def guarded() -> answers.Answer:
            if not ticket.acquire(blocking=False):
                return answers.busy()  # given up on while it waited for a thread: skip it
            try:
                return work()
            except GovDiscloseError as exc:
                return answers.error_answer(exc)
            except Exception:
                LOG.exception("internal error while answering a request")
                return answers.internal_error()
            finally:
                self.gate.leave()  # when the thread ends, even after the request gave up

        answer = None
        try:
            with anyio.move_on_after(self.config.request_timeout):
                answer = await anyio.to_thread.run_sync(guarded, abandon_on_cancel=True,
                                                        limiter=self.limiter)
        finally:
            if ticket.acquire(blocking=False):  # timed out or cancelled before it started
                self.gate.leave()
        if answer is None:
            LOG.warning("a request ran past %s s and was answered 503",
                        self.config.request_timeout)
            return _response(answers.timed_out(self.config.request_timeout))
        return _response(answer)

    async def body(self, request: Request, cap: int) -> bytes:
        """The body, refused as soon as it is larger than ``cap`` bytes."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _too_large(cap)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise _too_large(cap)
            chunks.append(chunk)
        return b"".join(chunks)


def _too_large(cap: int) -> GovDiscloseError:
    return refuse("body.too_large", f"请求体超过 {cap} 字节的上限", f"the body is over the cap of "
                  f"{cap} bytes", file="<body>")


def _response(answer: answers.Answer) -> Response:
    return Response(answer.body, answer.status, dict(answer.headers), answer.media_type)


def _query(request: Request) -> dict[str, str]:
    """The query parameters, the first value of each."""
    out: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, value)
    return out


def _routes(service: _Service) -> list[Route]:
    h = service.handlers

    def get(work: Callable[[Request], answers.Answer]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            return await service.run(lambda: work(request))
        return endpoint

    def post(work: Callable[[Request, bytes], answers.Answer], *, ledger: bool = False
             ) -> Callable[[Request], Any]:
        cap = service.config.max_ledger_bytes if ledger else service.config.max_body_bytes

        async def endpoint(request: Request) -> Response:
            try:
                body = await service.body(request, cap)
            except GovDiscloseError as exc:
                return _response(answers.error_answer(exc))
            return await service.run(lambda: work(request, body))
        return endpoint

    def param(request: Request, name: str) -> str:
        return str(request.path_params[name])

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def openapi(_request: Request) -> Response:
        return Response(service.openapi, media_type="application/json")

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/rulebooks", get(lambda r: h.rulebooks()), methods=["GET"]),
        Route("/v1/rulebooks/{id}", get(lambda r: h.rulebook(param(r, "id"), _query(r))),
              methods=["GET"]),
        Route("/v1/rulebooks/{id}/limits", get(lambda r: h.limits(param(r, "id"), _query(r))),
              methods=["GET"]),
        Route("/v1/rulebooks/{id}/deadline/{limit}",
              get(lambda r: h.deadline(param(r, "id"), param(r, "limit"), _query(r))),
              methods=["GET"]),
        Route("/v1/rulebooks/{id}/workflow.svg",
              get(lambda r: h.workflow_svg(param(r, "id"), _query(r))),
              methods=["GET"]),
        Route("/v1/workdays", get(lambda r: h.workdays(_query(r))), methods=["GET"]),
        Route("/v1/calendar", get(lambda r: h.calendar_month(_query(r))), methods=["GET"]),
        Route("/v1/rulebooks/{id}/evaluate",
              post(lambda r, b: h.evaluate(param(r, "id"), _query(r), b)), methods=["POST"]),
        Route("/v1/rulebooks/{id}/plan",
              post(lambda r, b: h.plan(param(r, "id"), _query(r), b)), methods=["POST"]),
        Route("/v1/rulebooks/{id}/audit",
              post(lambda r, b: h.audit(param(r, "id"), _query(r), b,
                                        r.headers.get("content-type")), ledger=True),
              methods=["POST"]),
        *(Route(f"/{name}", _page_file(name), methods=["GET"]) for name in _PAGE_FILES),
    ]


def _page_file(name: str) -> Callable[[Request], Any]:
    """The browser page's files, read from the package (no network resource, no build)."""
    file, media_type = _PAGE_FILES[name]
    content = files("govdisclose.service").joinpath("page").joinpath(file).read_bytes()

    async def endpoint(_request: Request) -> Response:
        return Response(content, media_type=media_type)
    return endpoint


class _SecurityHeaders:
    """Headers on every answer: no MIME sniffing, no framing, the page's content policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"),
                            (b"content-security-policy", _CSP.encode()),
                            (b"referrer-policy", b"no-referrer"),
                            (b"cache-control", b"no-store")]
                message = {**message, "headers": headers}
            await send(message)
        await self.app(scope, receive, send_with_headers)  # type: ignore[arg-type]


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no route, wrong method) in the service's error shape."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        return _response(answers.method_not_allowed(request.method))
    if status == 404:
        return _response(answers.not_found(request.url.path))
    if 400 <= status < 500:
        return _response(answers.http_error(status))
    return _response(answers.internal_error())


async def _server_error(_request: Request, exc: Exception) -> Response:
    LOG.error("internal error", exc_info=exc)
    return _response(answers.internal_error())


def create_app(config: ServiceConfig | None = None) -> Starlette:
    """The application; loads every rulebook now, so that a broken one stops the start."""
    config = config or ServiceConfig()
    service = _Service(config)
    middleware = [Middleware(_SecurityHeaders)]
    if config.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["content-type"]))
    return Starlette(routes=_routes(service), middleware=middleware,
                     exception_handlers={HTTPException: _http_error, 500: _server_error})
