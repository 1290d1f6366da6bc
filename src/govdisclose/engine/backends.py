"""Decision backends: how a rulebook's decision rules are matched against facts.

The pure-Python backend is the reference.  ``durable`` wraps durable-rules
(optional extra) for deployments that already run it; a differential test
requires both to agree on every bundled book.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ArgumentError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..rulebook.model import DecisionRule

__all__ = ["BACKENDS", "DecisionBackend", "PythonBackend", "get_backend"]


class DecisionBackend(Protocol):
    """Finds the first decision rule, in the rulebook's order, whose condition holds."""

    name: str

    def first_match(self, rules: Sequence[DecisionRule], facts: Mapping[str, Any]
                    ) -> DecisionRule | None: ...


class PythonBackend:
    """The reference backend: conditions evaluated in order, first match wins."""

    name = "python"

    def first_match(self, rules: Sequence[DecisionRule], facts: Mapping[str, Any]
                    ) -> DecisionRule | None:
        for rule in rules:
            if rule.when.holds(facts):
                return rule
        return None  # the rulebook has no catch-all rule


def _durable() -> DecisionBackend:
    from .durable import DurableBackend

    return DurableBackend()


#: backend name -> factory
BACKENDS = {"python": PythonBackend, "durable": _durable}


def get_backend(name: str = "python") -> DecisionBackend:
    """The backend called ``name`` (``python`` or ``durable``).

    Raises:
        ValueError: unknown name.
        ImportError: ``durable`` without ``pip install 'govdisclose[durable]'``.
    """
    try:
        factory = BACKENDS[name]
    except KeyError:
        msg = f"unknown backend {name!r}; use one of {', '.join(BACKENDS)}"
        raise ArgumentError(msg) from None
    backend: DecisionBackend = factory()
    return backend
