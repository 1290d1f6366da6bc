"""``GET /v1/rulebooks/{id}``: what a form needs to ask about a request under one book.

The facts the book declares (with their type and allowed values), the channels a request can
come in by, the states a request can be in, the request events, the reply types and the
exemption grounds — each with its Chinese and English label — and the limits in force
(``limits --json``), their sources and review markers included.  The browser page (``/``)
builds its form from this document (``schemas/rulebook-description.schema.json``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..outputs.documents import default_on, limits_document, rulebook_row
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.vocabulary import Channel, RequestState

if TYPE_CHECKING:
    from datetime import date

    from ..rulebook.model import Rulebook

__all__ = ["describe_rulebook"]


def describe_rulebook(book: Rulebook, on: date | None = None) -> dict[str, Any]:
    """The description of ``book`` with its rules in force on ``on`` (default: the day its
    rules last changed, as ``limits``)."""
    on = on or default_on(book)
    limits = limits_document(book, on)
    return {
        **rulebook_row(book),
        "on": on.isoformat(),
        "workflows": sorted(book.workflows),
        "facts": [{"name": f.name, "type": f.type,
                   "values": list(f.values) if f.values is not None else None,
                   "label": f.label, "label_en": f.label_en}
                  for f in book.facts.values()],
        "channels": [{"key": str(c), "label": c.zh, "label_en": c.en} for c in Channel],
        "states": [{"key": str(s), "label": s.zh, "label_en": s.en} for s in RequestState],
        "events": [{"key": row.type, "label": row.label_zh, "label_en": row.label_en}
                   for row in REQUEST_EVENTS.values()],
        "replies": [{"key": r.key, "label": r.label, "label_en": r.label_en}
                    for r in book.replies.values()],
        "exemptions": [{"key": key, "label": e.label, "label_en": e.label_en}
                       for key, e in book.exemptions.items()],
        "limits": limits["limits"],
        "review_notes": [{"topic": n.topic, "reading": n.reading, "book": n.book,
                          "sources": [c.to_json() for c in n.cites]}
                         for n in book.review_notes],
    }
