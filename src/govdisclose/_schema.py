"""JSON Schema validation of loaded documents, reported as located problems.

Each bundled schema is compiled once per process into a checker (closures built from the schema's
own keywords and local ``$ref``s: the schema stays the contract).  Its yes is final; a document it
does not pass is walked by jsonschema, whose errors are reported exactly as before.  Where it does
not restate a form exactly (``uniqueItems`` of non-strings) it says no and jsonschema decides; a
schema with a keyword it does not know (``format``, a ``$ref`` to another file) is jsonschema's
alone.  jsonschema is imported on first use only: never at import, nor for a valid document.

Documents read from files carry line numbers (the YAML loader kept them); plain data passed
in (a dict) is checked as it is, and its problems carry the JSON path and no line.
"""

from __future__ import annotations

import json
import math
import operator
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ._paths import schemas_dir
from ._suggest import did_you_mean, hint_en, hint_zh

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry

    from ._yaml import YamlDocument
    from .errors import Problem

    Check = Callable[[Any], bool]

__all__ = ["compiled", "is_valid", "iter_schema_problems", "load_schema", "validator"]

#: The YAML loader's bounds on numbers (``_yaml.MAX_INTEGER``, finite floats), applied to plain data
#: too: a dict never went through the loader.  Restated, not imported, because importing ``_yaml``
#: loads PyYAML; tests/test_dict_parsing.py holds the two equal.
_MAX_INTEGER = 2**53 - 1


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The bundled schema ``schemas/<name>.schema.json``."""
    path = schemas_dir() / f"{name}.schema.json"
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


@lru_cache(maxsize=1)
def _registry() -> Registry[Any]:
    from referencing import Registry, Resource

    resources = []
    for path in sorted(schemas_dir().glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


# The JSON types as both validators see them.  A tuple is an array (a dict built in Python
# may hold one; ``json.dumps`` wrote it as one); a number must be finite and an integer at
# most ``_MAX_INTEGER`` in magnitude, as the YAML loader requires of a file.
def _is_integer(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and -_MAX_INTEGER <= x <= _MAX_INTEGER


def _is_number(x: Any) -> bool:
    if isinstance(x, float):
        return math.isfinite(x)
    return _is_integer(x)


def _is_array(x: Any) -> bool:
    return isinstance(x, (list, tuple))


_TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict), "array": _is_array,
    "string": lambda x: isinstance(x, str), "integer": _is_integer, "number": _is_number,
    "boolean": lambda x: isinstance(x, bool), "null": lambda x: x is None}
#: The types whose check above is an isinstance() alone: compiled as one isinstance() call,
#: under which the checks such a type guards need no guard of their own.
_CLASSES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list, tuple), "string": (str,), "boolean": (bool,)}


@lru_cache(maxsize=1)
def _validator_class() -> Any:
    """Draft 2020-12 with the JSON types above."""
    from jsonschema import Draft202012Validator, validators

    checker = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {name: _type_check(check) for name, check in _TYPES.items()})
    return validators.extend(Draft202012Validator, type_checker=checker)  # type: ignore[no-untyped-call]


def _type_check(check: Check) -> Callable[[Any, Any], bool]:  # as jsonschema calls it
    return lambda _checker, x: check(x)


@cache
def validator(name: str) -> Validator:
    """The validator of one bundled schema, built once; ``$ref``s resolve offline among ours."""
    result: Validator = _validator_class()(load_schema(name), registry=_registry())
    return result


def _always(_x: Any) -> bool:
    return True


def _never(_x: Any) -> bool:
    return False


#: Keywords that only annotate (or hold definitions); both validators ignore them.
_ANNOTATIONS = frozenset({"$id", "$schema", "$comment", "$defs", "title", "description",
                          "examples", "default", "deprecated", "readOnly", "writeOnly"})


#: Raised in the compiler for a keyword (or form) it does not restate; :func:`compiled` then leaves
#: the schema to jsonschema.  A builtin: the package's own exceptions are errors.py's.
_Unsupported = NotImplementedError


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:  # the common case (a type and one constraint): no loop
        first, second = checks
        return lambda x: first(x) and second(x)
    frozen = tuple(checks)

    def run(x: Any) -> bool:
        for check in frozen:  # noqa: SIM110 (not all(): this runs for every node of every document)
            if not check(x):
                return False
        return True
    return run


def _any_of(checks: tuple[Check, ...]) -> Check:
    def run(x: Any) -> bool:
        for check in checks:  # noqa: SIM110 (a loop is faster than any())
            if check(x):
                return True
        return False
    return run


def _each(each: Check) -> Check:
    """``each`` holds for every element of ``x`` (its items, or a dict's keys)."""
    def run(x: Any) -> bool:
        for element in x:  # noqa: SIM110 (a loop is faster than all())
            if not each(element):
                return False
        return True
    return run


def _equal_to(option: Any) -> Check:
    """jsonschema's equality with one ``enum``/``const`` option: a boolean equals only itself, a
    number any equal number (not a boolean); lists and mappings are not restated."""
    if isinstance(option, str):
        return lambda x: isinstance(x, str) and x == option
    if option is None or isinstance(option, bool):
        return lambda x: x is option
    if isinstance(option, (int, float)):
        return lambda x: isinstance(x, (int, float)) and not isinstance(x, bool) and x == option
    raise _Unsupported


class _Compiler:
    """Compiles one schema document; ``$ref``s within it (``#/…``) are followed, once each."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if not pointer.startswith("#/"):
            raise _Unsupported  # another document: jsonschema resolves it
        found = self.refs.get(pointer)
        if found is None:
            cell: list[Check] = []  # filled below; a recursive definition calls through it
            self.refs[pointer] = found = lambda x: cell[0](x)  # noqa: PLW0108 (late)
            target: Any = self.root
            try:
                for part in pointer[2:].split("/"):
                    target = target[part.replace("~1", "/").replace("~0", "~")]
            except (KeyError, TypeError):  # percent-escapes, indexes: jsonschema resolves
                raise _Unsupported from None
            cell.append(self.compile(target))
        return found

    def obj(self, schema: dict[str, Any], typed: bool) -> Check:
        """``properties``, ``additionalProperties``, ``required`` (``typed``: and the object type)
        in one pass over a dict."""
        if "patternProperties" in schema:
            raise _Unsupported
        props = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        extra = self.compile(schema.get("additionalProperties", True))
        needed = frozenset(schema.get("required", ()))
        if not props and extra is _always and not typed:  # ``required`` alone (in an anyOf)
            return lambda x: not isinstance(x, dict) or x.keys() >= needed

        def run(x: Any) -> bool:
            if not isinstance(x, dict):
                return not typed
            if not x.keys() >= needed:
                return False
            for key, value in x.items():  # noqa: SIM110 (a loop is faster than all())
                if not props.get(key, extra)(value):
                    return False
            return True
        return run

    def keyword(self, key: str, value: Any, typed: tuple[type, ...] = ()) -> Check:
        """The check of one keyword other than the object ones (unguarded where ``typed`` holds)."""
        if key == "type":
            names = [value] if isinstance(value, str) else value
            if not all(n in _TYPES for n in names):
                raise _Unsupported
            # either of the classes in one isinstance(), or one of the other types
            classes = tuple(c for n in names for c in _CLASSES.get(n, ()))
            others = tuple(_TYPES[n] for n in names if n not in _CLASSES)
            if not others:
                return lambda x: isinstance(x, classes)
            rest = others[0] if len(others) == 1 else _any_of(others)
            return (lambda x: isinstance(x, classes) or rest(x)) if classes else rest
        if key == "$ref":
            return self.ref(value)
        if key in ("enum", "const"):
            options = value if key == "enum" else [value]
            if all(isinstance(o, str) for o in options):
                allowed = frozenset(options)
                return lambda x: isinstance(x, str) and x in allowed
            return _any_of(tuple(_equal_to(o) for o in options))
        if key == "pattern":
            search = re.compile(value).search
            if typed == (str,):
                return lambda x: search(x) is not None
            return lambda x: not isinstance(x, str) or search(x) is not None
        if key in ("minLength", "maxLength", "minItems", "maxItems", "minProperties",
                   "maxProperties"):
            low, high = (value, math.inf) if key.startswith("min") else (0, value)
            kind = {"L": "string", "I": "array", "P": "object"}[key[3]]
            if typed == _CLASSES[kind]:
                return lambda x: low <= len(x) <= high
            applies = _TYPES[kind]
            return lambda x: not applies(x) or low <= len(x) <= high
        if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            compare: Callable[[Any, Any], bool] = {
                "minimum": operator.ge, "maximum": operator.le,
                "exclusiveMinimum": operator.gt, "exclusiveMaximum": operator.lt}[key]
            return lambda x: not _is_number(x) or compare(x, value)
        if key == "items":
            each = _each(self.compile(value))
            return each if typed == _CLASSES["array"] else (lambda x: not _is_array(x) or each(x))
        if key == "propertyNames":
            names_ok = _each(self.compile(value))
            return lambda x: not isinstance(x, dict) or names_ok(x)
        if key == "uniqueItems":
            if value is not True:
                return _always
            # strings only: other elements need jsonschema's equality (False: it decides)
            return lambda x: not _is_array(x) or (all(isinstance(i, str) for i in x)
                                                  and len(set(x)) == len(x))
        if key in ("anyOf", "allOf", "oneOf"):
            checks = tuple(self.compile(s) for s in value)
            if key == "anyOf":
                return _any_of(checks)
            if key == "allOf":
                return _all_of(list(checks))
            return lambda x: sum(1 for c in checks if c(x)) == 1
        raise _Unsupported

    def compile(self, schema: Any) -> Check:
        if isinstance(schema, bool):
            return _always if schema else _never
        if not isinstance(schema, dict) or ("$id" in schema and schema is not self.root):
            raise _Unsupported  # (a nested $id moves the base of its $refs)
        # a type of one class is checked once, first, and the checks it guards go unguarded
        classes = _CLASSES.get(schema["type"], ()) if isinstance(schema.get("type"), str) else ()
        checks = [self.keyword(key, schema[key], classes)
                  for key in sorted(schema, key=lambda k: k != "type")
                  if key not in _ANNOTATIONS and key not in _OBJECT_KEYWORDS
                  and not (classes and key == "type")]
        if objects := bool(_OBJECT_KEYWORDS & schema.keys()):
            checks.insert(1 if "type" in schema and not classes else 0, self.obj(schema, classes == (dict,)))
        rest = _all_of(checks)
        if not classes or (objects and classes == (dict,)):
            return rest
        return (lambda x: isinstance(x, classes)) if rest is _always else (
            lambda x: isinstance(x, classes) and rest(x))


_OBJECT_KEYWORDS = frozenset({"properties", "additionalProperties", "required"})


@cache
def compiled(name: str) -> Check | None:
    """The compiled checker of one bundled schema (built once), or None when the schema uses a
    keyword the compiler does not restate.  Its True is final; a False is jsonschema's to confirm."""
    schema = load_schema(name)
    try:
        return _Compiler(schema).compile(schema)
    except _Unsupported:
        return None


def is_valid(name: str, data: Any) -> bool:
    """Whether ``data`` satisfies ``schemas/<name>.schema.json``: the compiled checker's yes is
    final; its no (or no checker) is jsonschema's to give."""
    check = compiled(name)
    return (check is not None and check(data)) or bool(validator(name).is_valid(data))


def _shown(instance: Any) -> str:
    """``repr`` of a value, cut short: a hostile value may be megabytes long."""
    text = repr(instance)
    return text if len(text) <= 80 else f"{text[:60]}…"


def _explain(error: ValidationError) -> tuple[str, str]:
    """Plain Chinese and English wording for the common schema keywords."""
    keyword = str(error.validator)
    value: Any = error.validator_value
    instance: Any = error.instance
    shown = _shown(instance)
    schema: Any = error.schema
    if keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(instance) - set(allowed)) if isinstance(instance, dict) else []
        names = ", ".join(repr(e) for e in extra)
        hint = ", ".join(allowed)
        # The closest allowed key to the first unknown one: `amout:` -> amount.
        guess = did_you_mean(extra[0], allowed) if extra else None
        if guess is not None:
            return (f"未知的键 {names}{hint_zh(guess)}；允许的键：{hint}",
                    f"unknown key {names}{hint_en(guess)} allowed keys: {hint}")
        return (f"未知的键 {names}；允许的键：{hint}（是否拼写错误？）",
                f"unknown key {names}; allowed keys: {hint} (misspelt?)")
    if keyword == "required":
        missing = [k for k in value if isinstance(instance, dict) and k not in instance]
        names = ", ".join(repr(m) for m in missing)
        return (f"缺少必填的键 {names}", f"missing required key {names}")
    if keyword == "type":
        return (f"类型应为 {value}，实际为 {shown}", f"must be of type {value} (got {shown})")
    if keyword == "enum":
        options = ", ".join(repr(v) for v in value)
        return (f"取值应为 {options} 之一，实际为 {shown}", f"must be one of {options} (got {shown})")
    if keyword == "const":
        return (f"取值应为 {value!r}，实际为 {shown}", f"must be {value!r} (got {shown})")
    if keyword == "pattern":
        return (f"{shown} 的格式不对（应匹配 {value}，日期请写作带引号的 \"YYYY-MM-DD\"）",
                f"{shown} has the wrong format (must match {value}; write dates as quoted "
                '"YYYY-MM-DD")')
    if keyword in {"minimum", "exclusiveMinimum"}:
        return (f"{shown} 太小（最小 {value}）", f"{shown} is too small (minimum {value})")
    if keyword in {"maximum", "exclusiveMaximum"}:
        return (f"{shown} 太大（最大 {value}）", f"{shown} is too large (maximum {value})")
    if keyword == "minLength":
        return (f"{shown} 太短", f"{shown} is too short (minimum length {value})")
    if keyword == "maxLength":
        return (f"{shown} 太长（最多 {value} 个字符）", f"{shown} is too long (maximum length {value})")
    if keyword == "minItems":
        return (f"至少需要 {value} 项", f"needs at least {value} item(s)")
    return (f"不符合规范：{error.message}", error.message)


def iter_schema_problems(name: str, doc: YamlDocument) -> Iterator[Problem]:
    """Every schema violation of ``doc`` against ``schemas/<name>.schema.json``, located (by line
    when ``doc`` was read from a file, else by JSON path alone)."""
    check = compiled(name)
    if check is not None and check(doc.data):
        return  # the common case: no error walk, jsonschema not even imported
    errors = sorted(validator(name).iter_errors(doc.data),
                    key=lambda e: (list(map(str, e.absolute_path))))
    for error in errors:
        # oneOf/anyOf: report the most specific sub-error, which names the bad field.
        best = error
        while best.context:
            best = min(best.context, key=lambda e: -len(e.absolute_path))
        path = tuple(best.absolute_path)
        best_schema: Any = best.schema
        if best.validator == "additionalProperties" and isinstance(best.instance, dict):
            allowed = best_schema.get("properties", {})
            extra = [k for k in best.instance if k not in allowed]
            if extra:
                path = (*path, extra[0])
        zh, en = _explain(best)
        yield doc.problem(path, f"schema.{best.validator}", zh, en)
