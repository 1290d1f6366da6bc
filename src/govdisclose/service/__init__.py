"""``govdisclose serve``: the HTTP API and the browser page (extra ``govdisclose[serve]``).

- :mod:`.config` — :class:`ServiceConfig`: directories, caps, CORS; safe defaults;
- :mod:`.app` — :func:`create_app`: the Starlette application, routes, time and size guards;
- :mod:`.work` — what each endpoint computes (the JSON documents of
  :mod:`govdisclose.outputs.documents`, the same the CLI prints with ``--json``);
- :mod:`.inputs` — query parameters and bodies read, or refused as located problems;
- :mod:`.answers` — errors as 4xx answers with their problems, bugs as a bare 500;
- :mod:`.describe` — ``GET /v1/rulebooks/{id}``, what the page's form is built from;
- :mod:`.openapi` — ``GET /openapi.json`` from the repository's JSON Schemas;
- ``page/`` — the browser page at ``/`` (one HTML file, its script and style; no network).

The top layer, beside :mod:`govdisclose.cli`: it may import every layer below.  Starlette is
imported by :mod:`.app` only, so the rest reads without the extra.  See docs/service.md.
"""

from __future__ import annotations

from .config import ServiceConfig

__all__ = ["ServiceConfig"]
