"""Every frozen dataclass of the package inherits ``_repr.FieldRepr`` (no ``__repr__``, ``__eq__``
or ``__hash__`` compiled per class at import: bench_startup.py), and writes, compares and
hashes as the generated methods would."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import sys
from typing import Any

import pytest

import govdisclose
from govdisclose._repr import FieldRepr, field_eq, field_hash, field_repr
from govdisclose.messages import Citation, SourceDocument


def _frozen_dataclasses() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(govdisclose.__path__, "govdisclose."):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra not installed here (docx, dask)
            continue
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) \
                    and value.__module__ == module.__name__ \
                    and value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


FROZEN = _frozen_dataclasses()


def test_the_package_has_its_frozen_dataclasses() -> None:
    assert len(FROZEN) > 150
    assert SourceDocument in FROZEN and Citation in FROZEN


@pytest.mark.parametrize("kind", FROZEN, ids=lambda k: f"{k.__module__}.{k.__qualname__}")
def test_a_frozen_dataclass_writes_the_generated_repr(kind: type) -> None:
    fields = dataclasses.fields(kind)
    fix = "declare it @dataclass(frozen=True, …, repr=False, eq=False) and inherit _repr.FieldRepr"
    assert issubclass(kind, FieldRepr), fix
    assert kind.__repr__ is field_repr, fix  # type: ignore[comparison-overlap]
    # a slotted one stays slotted: the base adds no __dict__
    assert kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
    if "__slots__" in vars(kind):
        assert not hasattr(object.__new__(kind), "__dict__")
    # The stdlib's own dataclass with the same fields (and the same repr=False ones), its
    # __repr__ generated: the two must write the same text for the same values.
    twin = dataclasses.make_dataclass(
        kind.__name__, [(f.name, Any, dataclasses.field(repr=f.repr)) for f in fields],
        frozen=True)
    twin.__qualname__ = kind.__qualname__
    values = [(f"it's {i}" if i % 3 == 0 else None if i % 3 == 1 else (i, "二"))
              for i in range(len(fields))]
    ours = object.__new__(kind)
    for f, value in zip(fields, values, strict=True):
        object.__setattr__(ours, f.name, value)
    assert repr(ours) == repr(twin(*values))


def test_a_nested_value_is_written_as_the_generated_repr_writes_it() -> None:
    document = SourceDocument("ogi-2019", "中华人民共和国政府信息公开条例", number="国务院令第711号")
    cite = Citation(document, "第三十三条")
    assert repr(cite).startswith("Citation(document=SourceDocument(id='ogi-2019', title=")
    assert "number='国务院令第711号'" in repr(cite)


def _instance(kind: type, values: list[Any]) -> Any:
    made = object.__new__(kind)
    for f, value in zip(dataclasses.fields(kind), values, strict=True):
        object.__setattr__(made, f.name, value)
    return made


@pytest.mark.parametrize("kind", FROZEN, ids=lambda k: f"{k.__module__}.{k.__qualname__}")
def test_a_frozen_dataclass_compares_and_hashes_as_the_generated_methods_do(kind: type) -> None:
    fix = "declare it @dataclass(frozen=True, …, repr=False, eq=False) and inherit _repr.FieldRepr"
    assert kind.__eq__ is field_eq and kind.__hash__ is field_hash, fix  # type: ignore[comparison-overlap]
    fields = dataclasses.fields(kind)
    # The stdlib's own frozen dataclass with the same fields, compared and hashed as declared
    twin = dataclasses.make_dataclass(
        kind.__name__, [(f.name, Any, dataclasses.field(compare=f.compare, hash=f.hash))
                        for f in fields], frozen=True)
    nan = float("nan")
    base = [("v", i) for i in range(len(fields))]
    pairs = [(base, list(base)), (base, [nan, *base[1:]] if fields else base)]
    same_nan = ([nan, *base[1:]], [nan, *base[1:]])  # the same NaN object: equal as tuples
    if fields:
        assert _instance(kind, same_nan[0]) == _instance(kind, same_nan[1])
    if fields and sys.version_info < (3, 13):  # (3.13's generated method compares with ==)
        pairs.append(same_nan)
    pairs += [([float("nan"), *base[1:]], [float("nan"), *base[1:]])] if fields else []
    for i in range(len(fields)):  # each field different in turn
        pairs.append((base, [*base[:i], ("other", i), *base[i + 1:]]))
    for left, right in pairs:
        ours, theirs = (_instance(kind, left), _instance(kind, right)), (twin(*left), twin(*right))
        assert (ours[0] == ours[1]) is (theirs[0] == theirs[1])
        assert (ours[0] != ours[1]) is (theirs[0] != theirs[1])
        if ours[0] == ours[1]:
            assert hash(ours[0]) == hash(ours[1])
    one = _instance(kind, base)
    assert one.__eq__(twin(*base)) is NotImplemented and one != twin(*base)
    assert one == one and hash(one) == hash(_instance(kind, list(base)))


class _Counted:
    """A value that counts how often it is hashed or compared."""

    calls = 0

    def __hash__(self) -> int:
        _Counted.calls += 1
        return 1

    def __eq__(self, other: object) -> bool:
        _Counted.calls += 1
        return True


def test_a_one_field_value_reads_its_field_once() -> None:
    # Not, All and Any_ (the conditions) have one field: hashing or comparing one must read it
    # once, as the generated methods do (twice per level doubles with each level of nesting).
    from govdisclose.rulebook.conditions import Compare, Not

    _Counted.calls = 0
    left, right = Not(_Counted()), Not(_Counted())  # type: ignore[arg-type]
    hash(left)
    assert _Counted.calls == 1
    assert left == right
    assert _Counted.calls == 2
    part = Compare("clear", "equals", True)
    assert hash(Not(part)) == hash((part,))  # (the generated method's hash)
