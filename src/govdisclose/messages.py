"""What govdisclose says back, in Chinese and English: where a value comes from (citations),
each step of a computation (trace steps), and what a record shows was done wrong (violations,
legal findings returned as values)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._repr import FieldRepr

__all__ = ["Citation", "SourceDocument", "TraceStep", "Violation"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class SourceDocument(FieldRepr):
    """A legal or administrative document a rulebook cites.

    ``number`` (文号) and ``date`` are ``None`` where the document itself does not
    give them; they are never guessed.
    """

    id: str
    title: str
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    effective: str | None = None
    location: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, str | None]:
        """A JSON-ready mapping."""
        return {"id": self.id, "title": self.title, "number": self.number, "date": self.date,
                "issuer": self.issuer, "effective": self.effective, "location": self.location,
                "note": self.note}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Citation(FieldRepr):
    """A document and the article (条/款/项 or section) a value is taken from.

    ``review`` is set when the reading of a garbled or ambiguous source needs a
    lawyer's confirmation; it says what is doubtful.
    """

    document: SourceDocument
    article: str
    quote: str | None = None
    review: str | None = None
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        number = f"（{self.document.number}）" if self.document.number else ""
        object.__setattr__(self, "text", f"《{self.document.title}》{number}{self.article}")

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {"source": self.document.id, "title": self.document.title,
                "number": self.document.number, "date": self.document.date,
                "article": self.article, "quote": self.quote, "review": self.review,
                "text": self.text}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TraceStep(FieldRepr):
    """One step of an explanation.

    ``code`` is stable and machine-readable (e.g. ``calendar.holiday``); ``zh`` and
    ``en`` say the same for people; ``basis`` names the law or rule relied on, if any.
    """

    code: str
    zh: str
    en: str
    basis: str | None = None

    def __str__(self) -> str:
        basis = f" [{self.basis}]" if self.basis else ""
        return f"{self.zh} / {self.en}{basis}"

    def to_json(self) -> dict[str, str | None]:
        """A JSON-ready mapping."""
        return {"code": self.code, "zh": self.zh, "en": self.en, "basis": self.basis}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Violation(FieldRepr):
    """One breach of a rule, with a stable ``code`` and the rule's ``source``."""

    code: str
    zh: str
    en: str
    source: str | None = None

    def __str__(self) -> str:
        return f"[{self.code}] {self.zh} / {self.en}"

    def to_json(self) -> dict[str, str | None]:
        """A JSON-ready mapping."""
        return {"code": self.code, "message_zh": self.zh, "message_en": self.en,
                "source": self.source}
