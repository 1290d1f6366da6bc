"""The methods ``@dataclass`` would generate for the package's frozen dataclasses —
``__repr__``, ``__eq__`` and ``__hash__`` — written once instead of per class.

``@dataclass`` compiles each method it adds with ``exec`` while the module is imported.  A
command that computes one deadline imports about sixty classes; compiling their ``__repr__``
took about 6 ms of its 85, their ``__eq__`` and ``__hash__`` about 5 ms more
(``benchmarks/bench_startup.py``).  Every frozen dataclass of the package therefore says
``repr=False, eq=False`` and inherits :class:`FieldRepr`, whose methods do what the generated
ones would:

* ``__repr__`` writes ``Name(field=value, …)``, leaving out the fields declared with
  ``repr=False``;
* ``__eq__`` compares the fields declared with ``compare=True`` of two instances of the same
  class as tuples (element by element, each the same object or equal: the generated method's
  comparison up to Python 3.12; 3.13's compares field by field with ``==``, which differs only
  for a value unequal to itself, such as one NaN object) and answers ``NotImplemented`` for
  another class;
* ``__hash__`` hashes those fields (or those declared ``hash=True``) as a tuple.

``tests/test_repr.py`` holds each class's methods equal to the stdlib's generated ones, class
by class.  A frozen value cannot contain itself, so no recursion guard is needed.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any

__all__ = ["FieldRepr", "field_eq", "field_hash", "field_repr"]

#: class -> the names of its fields shown, in order (found on the first repr of the class)
_SHOWN: dict[type, tuple[str, ...]] = {}
#: class -> the tuple of its compared (hashed) fields, read in C (found on first use)
_COMPARED: dict[type, Any] = {}
_HASHED: dict[type, Any] = {}


def _no_fields(_value: object) -> tuple[()]:
    return ()


def _getter(names: tuple[str, ...]) -> Any:
    """The tuple of the fields ``names`` of an instance (read in C for two or more fields;
    a one-tuple for one, compared element by element as the generated method compares)."""
    if not names:
        return _no_fields
    if len(names) > 1:
        return attrgetter(*names)
    one = attrgetter(names[0])

    def single(value: object) -> tuple[Any]:
        return (one(value),)
    return single


def _compared(kind: type) -> Any:
    found = _COMPARED[kind] = _getter(tuple(f.name for f in fields(kind) if f.compare))
    return found


def _hashed(kind: type) -> Any:
    found = _HASHED[kind] = _getter(tuple(
        f.name for f in fields(kind) if (f.compare if f.hash is None else f.hash)))
    return found


def field_repr(self: object) -> str:
    """``Name(field=value, …)``, as a dataclass's generated ``__repr__`` writes it."""
    kind = type(self)
    names = _SHOWN.get(kind)
    if names is None:
        names = _SHOWN[kind] = tuple(f.name for f in fields(self) if f.repr)  # type: ignore[arg-type]
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
    return f"{kind.__qualname__}({shown})"


def field_eq(self: object, other: object) -> Any:
    """The generated ``__eq__``: the compared fields of two instances of one class as tuples
    (a bool); ``NotImplemented`` for an instance of another class."""
    kind = self.__class__
    if other.__class__ is not kind:
        return NotImplemented
    get = _COMPARED.get(kind) or _compared(kind)
    return get(self) == get(other)


def field_hash(self: object) -> int:
    """The generated ``__hash__`` of a frozen dataclass: its hashed fields as a tuple."""
    kind = self.__class__
    get = _HASHED.get(kind) or _hashed(kind)
    return hash(get(self))


class FieldRepr:
    """The base of a frozen dataclass declared with ``repr=False, eq=False``: the methods
    above as its ``__repr__``, ``__eq__`` and ``__hash__``.  No slots of its own (a slotted
    dataclass stays without ``__dict__``)."""

    __slots__ = ()
    __repr__ = field_repr
    __eq__ = field_eq
    __hash__ = field_hash
