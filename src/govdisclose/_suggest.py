"""Did-you-mean: the one helper that suggests the closest known name for a misspelt one
(keys, limit ids, operators, facts, rulebook ids)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["did_you_mean", "hint_en", "hint_zh"]


def did_you_mean(word: object, known: Iterable[str]) -> str | None:
    """The known name closest to ``word``, or None when nothing is close (or ``word`` is not
    text at all: a key of a dict passed in may be anything)."""
    if not isinstance(word, str):
        return None
    import difflib  # only when a name is wrong: not on every start-up

    guess = difflib.get_close_matches(word, list(known), n=1)
    return guess[0] if guess else None


def hint_en(suggestion: str | None) -> str:
    """``"; did you mean 'x'?"`` or ``""``."""
    return f"; did you mean {suggestion!r}?" if suggestion else ""


def hint_zh(suggestion: str | None) -> str:
    """``"（是否指 x？）"`` or ``""``."""
    return f"（是否指 {suggestion}？）" if suggestion else ""
