"""The audit's outputs rendered where the rows are audited, a chunk at a time.

``govdisclose audit`` hands :class:`AuditRender` to
:func:`govdisclose.ledgers.audit_stream.audit_parts`: each worker audits a chunk of rows and
renders it at once into the text each output needs (:func:`.json_files.json_rows`,
:func:`.csv_files.csv_rows`, :func:`.html_audit.html_rows`, :func:`.text.text_rows`) and its
summary (:class:`~govdisclose.ledgers.audit_rows.AuditTally`).  Only short strings and
counts travel back, and the parent process is left the reading and the writing
(``write_audit_*_parts``).  The bytes are those of the in-memory writers: both call the same
row renderers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from ..ledgers.audit_rows import AuditTally
from .csv_files import csv_rows
from .html_audit import html_rows
from .json_files import json_rows
from .text import text_rows

if TYPE_CHECKING:
    from ..ledgers.audit_rows import AuditRow

__all__ = ["KINDS", "AuditRender"]

#: The outputs a chunk can be rendered into.
KINDS = ("json", "csv", "html", "text")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AuditRender(FieldRepr):
    """Render a chunk of audit rows into the text of each of ``kinds``, in that order.

    Attributes:
        kinds: outputs among :data:`KINDS`.
        file: the ledger as the text lines name it.
        encoding: the JSON destination's encoding (non-ASCII is escaped when it cannot hold
            it, as :func:`.json_files.write_audit_json` does).
    """

    kinds: tuple[str, ...]
    file: str = ""
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            msg = f"unknown audit outputs {unknown}; known: {', '.join(KINDS)}"
            raise ValueError(msg)

    def __call__(self, rows: list[AuditRow]) -> tuple[AuditTally, tuple[str, ...]]:
        texts = []
        for kind in self.kinds:
            if kind == "json":
                texts.append(json_rows(rows, self.encoding))
            elif kind == "csv":
                texts.append(csv_rows(rows))
            elif kind == "html":
                texts.append(html_rows(rows))
            else:
                texts.append(text_rows(rows, self.file))
        return AuditTally(rows), tuple(texts)
