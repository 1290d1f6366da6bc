"""What ``govdisclose serve`` is told: where rulebooks and calendars come from, and the caps.

Safe by default (docs/service.md): the defaults bind to the loopback address, read rulebooks
only from the directories named here (and the bundled ones), allow no cross-origin caller, and
bound every request's body, ledger rows and time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._repr import FieldRepr

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "MAX_BODY_BYTES",
    "MAX_LEDGER_BYTES",
    "MAX_LEDGER_ROWS",
    "MAX_PENDING",
    "MAX_WORKDAYS",
    "REQUEST_TIMEOUT",
    "WORKER_THREADS",
    "ServiceConfig",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: A request or item body (JSON): the largest bundled example is under 2 KiB.
MAX_BODY_BYTES = 1024 * 1024
#: A ledger body (CSV or .xlsx) sent to audit.
MAX_LEDGER_BYTES = 10 * 1024 * 1024
#: Data rows of a ledger sent to audit (the CLI reads up to a million; a request must not
#: hold a server thread for minutes).
MAX_LEDGER_ROWS = 20_000
#: Working days ``/v1/workdays`` counts at most (about 40 years).
MAX_WORKDAYS = 10_000
#: Seconds a request may compute before it is answered 503.
REQUEST_TIMEOUT = 20.0
#: Threads computing at once; more requests wait for one.
WORKER_THREADS = 8
#: Requests waiting or computing at once, counting those given up on after the timeout whose
#: thread still runs (a thread cannot be stopped); past it, 503 at once.
MAX_PENDING = 64


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ServiceConfig(FieldRepr):
    """The service's settings; every field has the safe default.

    Attributes:
        rules: directories of the agency's own rulebooks (``<id>.yaml``), searched before
            the bundled ones.  A client names a book by id only, never by path.
        calendar: user year files or directories over the bundled holiday data (as
            ``--calendar``); ``None``: ``GOVDISCLOSE_CALENDAR_PATH`` if set.
        cors_origins: origins allowed to call from a browser; empty: no CORS header at all.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    rules: tuple[Path, ...] = ()
    calendar: tuple[Path, ...] | None = None
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = MAX_BODY_BYTES
    max_ledger_bytes: int = MAX_LEDGER_BYTES
    max_ledger_rows: int = MAX_LEDGER_ROWS
    max_workdays: int = MAX_WORKDAYS
    request_timeout: float = REQUEST_TIMEOUT
    worker_threads: int = WORKER_THREADS
    max_pending: int = MAX_PENDING
