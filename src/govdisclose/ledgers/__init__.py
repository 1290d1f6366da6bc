"""Ledgers (台账): reading them (:mod:`.reading`, a stream of them :func:`.reading.open_ledger`;
a row's events through the request event table, :mod:`.row_events`) and auditing every row
(:mod:`.audit`, streamed in chunks over worker processes by :mod:`.audit_stream`; a pandas
DataFrame at a time for dask and Spark by :func:`audit_frame`, :mod:`.frames`).  The annual
report counted from a ledger is :mod:`govdisclose.annual`.  Results are data; their text, CSV,
JSON, HTML and Excel layouts are in :mod:`govdisclose.outputs`, which nothing here imports.

Imports the base modules, periods, rulebook and engine.
"""

from __future__ import annotations

from typing import Any

__all__ = ["audit_frame"]


def __getattr__(name: str) -> Any:
    # audit_frame is imported when first asked for: importing govdisclose.ledgers.reading
    # (the annual report does) must not import the engine with it.
    if name == "audit_frame":
        from .frames import audit_frame

        return audit_frame
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
