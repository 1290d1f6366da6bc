"""JSON Schema validation of loaded documents, reported as located problems."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from ._paths import schemas_dir
from ._suggest import did_you_mean, hint_en, hint_zh

if TYPE_CHECKING:
    from collections.abc import Iterator

    from jsonschema.exceptions import ValidationError

    from ._yaml import YamlDocument
    from .errors import Problem

__all__ = ["iter_schema_problems", "load_schema", "validator"]


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The bundled schema ``schemas/<name>.schema.json``."""
    path = schemas_dir() / f"{name}.schema.json"
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


@lru_cache(maxsize=1)
def _registry() -> Registry[Any]:
    resources = []
    for path in sorted(schemas_dir().glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one bundled schema; ``$ref``s resolve offline among the bundled ones."""
    return Draft202012Validator(load_schema(name), registry=_registry())


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
        return (
            f"未知的键 {names}；允许的键：{hint}（是否拼写错误？）",
            f"unknown key {names}; allowed keys: {hint} (misspelt?)",
        )
    if keyword == "required":
        missing = [k for k in value if isinstance(instance, dict) and k not in instance]
        names = ", ".join(repr(m) for m in missing)
        return (f"缺少必填的键 {names}", f"missing required key {names}")
    if keyword == "type":
        return (
            f"类型应为 {value}，实际为 {shown}",
            f"must be of type {value} (got {shown})",
        )
    if keyword == "enum":
        options = ", ".join(repr(v) for v in value)
        return (f"取值应为 {options} 之一，实际为 {shown}",
                f"must be one of {options} (got {shown})")
    if keyword == "const":
        return (f"取值应为 {value!r}，实际为 {shown}", f"must be {value!r} (got {shown})")
    if keyword == "pattern":
        return (
            f"{shown} 的格式不对（应匹配 {value}，日期请写作带引号的 \"YYYY-MM-DD\"）",
            f"{shown} has the wrong format (must match {value}; write dates as quoted "
            '"YYYY-MM-DD")',
        )
    if keyword in {"minimum", "exclusiveMinimum"}:
        return (f"{shown} 太小（最小 {value}）", f"{shown} is too small (minimum {value})")
    if keyword in {"maximum", "exclusiveMaximum"}:
        return (f"{shown} 太大（最大 {value}）", f"{shown} is too large (maximum {value})")
    if keyword == "minLength":
        return (f"{shown} 太短", f"{shown} is too short (minimum length {value})")
    if keyword == "maxLength":
        return (f"{shown} 太长（最多 {value} 个字符）",
                f"{shown} is too long (maximum length {value})")
    if keyword == "minItems":
        return (f"至少需要 {value} 项", f"needs at least {value} item(s)")
    return (f"不符合规范：{error.message}", error.message)


def iter_schema_problems(name: str, doc: YamlDocument) -> Iterator[Problem]:
    """Every schema violation of ``doc`` against ``schemas/<name>.schema.json``, located."""
    errors = sorted(
        validator(name).iter_errors(doc.data), key=lambda e: (list(map(str, e.absolute_path)))
    )
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
