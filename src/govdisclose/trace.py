"""Explanations: each step of a computation in plain Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TraceStep"]


@dataclass(frozen=True, slots=True)
class TraceStep:
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
