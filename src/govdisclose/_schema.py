"""JSON Schema validation of loaded documents, reported as located problems.

Each bundled schema is compiled once per process into a checker (Python source written from the
schema's own keywords and local ``$ref``s by _schema_checker.py: the schema stays the contract).
Its yes is final; a document it does not pass is walked by jsonschema, whose errors are reported
exactly as before.  Where it does not restate a form exactly (``uniqueItems`` of non-strings) it
says no and jsonschema decides; a schema with a keyword it does not know (``format``, a ``$ref``
to another file) is jsonschema's alone.  jsonschema is imported on first use only: never at
import, nor for a valid document.

Documents read from files carry line numbers (the YAML loader kept them); plain data passed
in (a dict) is checked as it is, and its problems carry the JSON path and no line.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ._paths import schemas_dir
from ._schema_checker import TYPES, Unsupported, checker
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


@lru_cache(maxsize=1)
def _validator_class() -> Any:
    """Draft 2020-12 with the JSON types above."""
    from jsonschema import Draft202012Validator, validators

    checker = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {name: _type_check(check) for name, check in TYPES.items()})
    return validators.extend(Draft202012Validator, type_checker=checker)  # type: ignore[no-untyped-call]


def _type_check(check: Check) -> Callable[[Any, Any], bool]:  # as jsonschema calls it
    return lambda _checker, x: check(x)


@cache
def validator(name: str) -> Validator:
    """The validator of one bundled schema, built once; ``$ref``s resolve offline among ours."""
    result: Validator = _validator_class()(load_schema(name), registry=_registry())
    return result


@cache
def compiled(name: str) -> Check | None:
    """The compiled checker of one bundled schema (built once), or None when the schema uses a
    keyword the compiler does not restate.  Its True is final; a False is jsonschema's to confirm."""
    try:
        return checker(load_schema(name), name)
    except Unsupported:
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
        unknown = set(instance) - set(allowed) if isinstance(instance, dict) else set()
        # the text keys in order, then any other (a dict passed in: not comparable, by repr)
        text = sorted(e for e in unknown if isinstance(e, str))
        not_text = sorted((e for e in unknown if not isinstance(e, str)), key=repr)
        extra = [*text, *not_text]
        names = ", ".join(repr(e) for e in extra)
        hint = ", ".join(allowed)
        if not_text:
            bad = ", ".join(repr(e) for e in not_text)
            other = ", ".join(repr(e) for e in text)
            return (f"键 {bad} 不是字符串（JSON 对象的键必须是字符串）"
                    f"{f'；未知的键 {other}' if other else ''}；允许的键：{hint}",
                    f"key {bad} is not a string (JSON object keys are strings)"
                    f"{f'; unknown key {other}' if other else ''}; allowed keys: {hint}")
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
            if extra and isinstance(extra[0], str):  # (a key that is not text: its object's)
                path = (*path, extra[0])
        zh, en = _explain(best)
        yield doc.problem(path, f"schema.{best.validator}", zh, en)
