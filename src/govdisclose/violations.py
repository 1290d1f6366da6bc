"""What a record shows was done wrong: a legal finding, returned as a value."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Violation"]


@dataclass(frozen=True, slots=True)
class Violation:
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
