"""``govdisclose serve``: run the HTTP API and the browser page (extra ``[serve]``).

Safe by default (docs/service.md): it binds to 127.0.0.1, sends no CORS header unless
``--cors-origin`` names an origin, reads rulebooks by id from ``--rules`` directories and the
bundled ones only, and caps each request's body, ledger rows and time.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .args import EXIT_USAGE, Command, path_arg, positive_arg

if TYPE_CHECKING:
    import argparse

    from ..service.config import ServiceConfig

__all__ = ["COMMANDS", "service_config"]


def _seconds(text: str) -> float:
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not (math.isfinite(value) and value > 0):
        msg = f"{text!r} is not a number of seconds > 0 / 应为大于 0 的秒数"
        raise argparse.ArgumentTypeError(msg)
    return value


def _port(text: str) -> int:
    import argparse

    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 5 else 0
    if not 1 <= value <= 65535:
        msg = f"{text!r} is not a TCP port (1-65535) / 应为 1—65535 的端口号"
        raise argparse.ArgumentTypeError(msg)
    return value


def _cmd_serve(args: argparse.Namespace) -> int:
    import logging

    try:
        import uvicorn

        from ..service.app import create_app
    except ImportError as exc:
        print(f"error: govdisclose serve needs the serve extra: pip install 'govdisclose[serve]'"
              f" ({exc.name} is missing) / 需要安装 serve 附加依赖", file=sys.stderr)
        return EXIT_USAGE

    # The service's own log (a bug's traceback, requests over the time cap) beside uvicorn's.
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for directory in args.rules:
        if not directory.is_dir():
            print(f"error: --rules {directory}: not a directory / 不是目录", file=sys.stderr)
            return EXIT_USAGE
    app = create_app(service_config(args))  # loads every rulebook: a broken one stops here (exit 1)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {args.host}, not only this machine: put it behind a "
              "reverse proxy with TLS and access control / 监听地址不限于本机", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level,
                server_header=False, proxy_headers=False)
    return 0


def service_config(args: argparse.Namespace) -> ServiceConfig:
    """The service's settings from the command line; rulebook and calendar directories not
    given there come from the agency repository's ``govdisclose.toml`` (or
    ``[tool.govdisclose]``) found from the working directory upward, as for every command.

    Raises:
        RulebookError: the settings file found is malformed (located).
    """
    from .._config import Project, find_project
    from ..service.config import ServiceConfig

    project = Project() if args.rules and args.calendar else find_project()
    rules = tuple(args.rules) or project.rulebooks
    calendar = tuple(args.calendar) if args.calendar else (project.calendars or None)
    return ServiceConfig(
        host=args.host, port=args.port, rules=rules, calendar=calendar,
        cors_origins=tuple(args.cors_origin), max_body_bytes=args.max_body_bytes,
        max_ledger_bytes=args.max_ledger_bytes, max_ledger_rows=args.max_ledger_rows,
        request_timeout=args.timeout, worker_threads=args.threads)


def _configure_serve(p: argparse.ArgumentParser) -> None:
    from ..service import config as defaults

    p.add_argument("--host", default=defaults.DEFAULT_HOST,
                   help=f"address to listen on (default {defaults.DEFAULT_HOST}: this machine "
                        "only)")
    p.add_argument("--port", type=_port, default=defaults.DEFAULT_PORT,
                   help=f"TCP port (default {defaults.DEFAULT_PORT})")
    p.add_argument("--rules", action="append", type=path_arg, metavar="DIR", default=[],
                   help="a directory of your own rulebooks, searched before the bundled ones "
                        "(repeatable; default: govdisclose.toml's rulebooks); clients name "
                        "books by id only")
    p.add_argument("--calendar", action="append", type=path_arg, metavar="PATH", default=None,
                   help="a holiday year file or a directory of them, over the bundled data "
                        "(repeatable; default: govdisclose.toml's calendars; also "
                        "GOVDISCLOSE_CALENDAR_PATH)")
    p.add_argument("--cors-origin", action="append", metavar="ORIGIN", default=[],
                   help="allow browser calls from this origin (repeatable; default: none)")
    p.add_argument("--max-body-bytes", type=positive_arg, default=defaults.MAX_BODY_BYTES,
                   help=f"largest request or item body (default {defaults.MAX_BODY_BYTES})")
    p.add_argument("--max-ledger-bytes", type=positive_arg, default=defaults.MAX_LEDGER_BYTES,
                   help=f"largest ledger body (default {defaults.MAX_LEDGER_BYTES})")
    p.add_argument("--max-ledger-rows", type=positive_arg, default=defaults.MAX_LEDGER_ROWS,
                   help=f"most ledger rows audited per request (default "
                        f"{defaults.MAX_LEDGER_ROWS})")
    p.add_argument("--timeout", type=_seconds, default=defaults.REQUEST_TIMEOUT,
                   help=f"seconds a request may compute before a 503 (default "
                        f"{defaults.REQUEST_TIMEOUT:g})")
    p.add_argument("--threads", type=positive_arg, default=defaults.WORKER_THREADS,
                   help=f"requests computed at once (default {defaults.WORKER_THREADS})")
    p.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"],
                   help="server log level (default info)")


#: This module's command, joined into the command table by :mod:`.main`.
COMMANDS: dict[str, Command] = {
    "serve": Command("run the HTTP API and the browser page (extra serve)", _configure_serve,
                     _cmd_serve),
}
