"""One ``__repr__`` for the package's frozen dataclasses, written once instead of per class.

``@dataclass`` compiles each method it adds with ``exec`` while the module is imported.  A
command that computes one deadline imports about sixty classes, and compiling their
``__repr__`` alone took about 6 ms of its 85 (``benchmarks/bench_startup.py``).  Every frozen
dataclass of the package therefore says ``repr=False`` and inherits :class:`FieldRepr`, whose
``__repr__`` writes the text the generated method would: ``Name(field=value, …)``, leaving out
the fields declared with ``repr=False`` (``tests/test_repr.py`` holds the two equal, class by
class).  A frozen value cannot contain itself, so no recursion guard is needed.
"""

from __future__ import annotations

from dataclasses import fields

__all__ = ["FieldRepr", "field_repr"]

#: class -> the names of its fields shown, in order (found on the first repr of the class)
_SHOWN: dict[type, tuple[str, ...]] = {}


def field_repr(self: object) -> str:
    """``Name(field=value, …)``, as a dataclass's generated ``__repr__`` writes it."""
    kind = type(self)
    names = _SHOWN.get(kind)
    if names is None:
        names = _SHOWN[kind] = tuple(f.name for f in fields(self) if f.repr)  # type: ignore[arg-type]
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
    return f"{kind.__qualname__}({shown})"


class FieldRepr:
    """The base of a frozen dataclass declared with ``repr=False``: :func:`field_repr` as its
    ``__repr__``.  No slots of its own (a slotted dataclass stays without ``__dict__``)."""

    __slots__ = ()
    __repr__ = field_repr
