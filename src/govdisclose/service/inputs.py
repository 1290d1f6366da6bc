"""What a client sends, read into values or refused as located problems.

Every refusal is a :class:`~govdisclose.errors.RequestError` whose problems carry a stable
code, the JSON path of the offending value (``$.from`` for a query parameter, ``$.events[0].on``
inside a body) and the words in Chinese and English; :mod:`.errors` turns it into the 4xx
answer.  Nothing here reads a path a client names.
"""

from __future__ import annotations

import codecs
import json
import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from .._dates import parse_moment
from ..errors import Problem, RequestError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .._yaml import YamlDocument

__all__ = ["QUERY", "body_document", "csv_encoding", "query_bool", "query_count",
           "query_date", "query_moment", "refuse"]

#: The ``file`` of a problem found in the query string.
QUERY = "<query>"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?")


def refuse(code: str, zh: str, en: str, *path: str | int, file: str = QUERY) -> RequestError:
    """One located problem, as the error that carries it."""
    return RequestError([Problem(code, zh, en, file, None, None, tuple(path))])


def _text(query: Mapping[str, str], name: str, *, required: bool) -> str | None:
    value = query.get(name)
    if value is None and required:
        raise refuse("query.missing", f"缺少查询参数 {name}", f"the query parameter {name} is "
                     "missing", name)
    return value


def query_date(query: Mapping[str, str], name: str, *, required: bool = False) -> date | None:
    """An ISO date ``YYYY-MM-DD`` that exists (2026-02-30 does not)."""
    text = _text(query, name, required=required)
    if text is None:
        return None
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise refuse("query.date", f"{name} 应为存在的日期 YYYY-MM-DD，实际为 {text[:40]!r}",
                     f"{name} must be a date YYYY-MM-DD that exists (got {text[:40]!r})",
                     name) from None


def query_moment(query: Mapping[str, str], name: str) -> date | datetime:
    """A required date, or a date and time ``YYYY-MM-DDTHH:MM`` for hour limits."""
    text = _text(query, name, required=True) or ""
    try:
        if not _MOMENT.fullmatch(text):
            raise ValueError(text)
        return parse_moment(text)
    except ValueError:
        raise refuse("query.date", f"{name} 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM，实际为 "
                     f"{text[:40]!r}", f"{name} must be YYYY-MM-DD or YYYY-MM-DDTHH:MM "
                     f"(got {text[:40]!r})", name) from None


def query_count(query: Mapping[str, str], name: str, maximum: int) -> int:
    """A required whole number from 0 to ``maximum``."""
    text = _text(query, name, required=True) or ""
    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else -1
    if not 0 <= value <= maximum:
        raise refuse("query.count", f"{name} 应为 0 到 {maximum} 的整数，实际为 {text[:40]!r}",
                     f"{name} must be a whole number from 0 to {maximum} (got {text[:40]!r})",
                     name)
    return value


def query_bool(query: Mapping[str, str], name: str) -> bool:
    """``true`` or ``false`` (default false)."""
    text = query.get(name, "false")
    if text not in ("true", "false"):
        raise refuse("query.boolean", f"{name} 应为 true 或 false，实际为 {text[:40]!r}",
                     f"{name} must be true or false (got {text[:40]!r})", name)
    return text == "true"


def body_document(content: bytes, file: str) -> YamlDocument:
    """A JSON body read as the CLI reads a request file: by the bounded YAML reader (JSON is
    YAML), keeping lines and columns; a body that is not even JSON says where JSON breaks."""
    from .._yaml import load_yaml_text

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RequestError([Problem("body.encoding", f"请求体不是 UTF-8 文本（第 {exc.start} 字节）",
                                    f"the body is not UTF-8 text (byte {exc.start})",
                                    file)]) from None
    doc = load_yaml_text(text, file)
    if doc.problems:
        try:
            json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise RequestError([Problem("json.syntax", f"JSON 语法错误：{exc}",
                                        f"JSON syntax error: {exc}", file)]) from None
        raise RequestError(doc.problems)
    if not isinstance(doc.data, dict):
        raise RequestError([doc.problem((), "body.object", "请求体应为一个 JSON 对象",
                                        "the body must be one JSON object")])
    return doc


def csv_encoding(content_type: str | None) -> str | None:
    """The ``charset`` of a CSV body's content type (``None``: UTF-8, BOM accepted)."""
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset":
            name = value.strip().strip('"')
            try:
                codecs.lookup(name)
            except LookupError:
                raise refuse("body.charset", f"不认识的字符集 {name[:40]!r}",
                             f"unknown charset {name[:40]!r}", "content-type",
                             file="<headers>") from None
            return name
    return None

