"""Errors as HTTP answers: bad input is a 4xx with its located problems, a bug a bare 500.

The body of every error (``schemas/service-error.schema.json``)::

    {"status": 422, "error": "invalid_input", "message_zh": "…", "message_en": "…",
     "problems": [{"code": "schema.required", "path": "$.events[0].on", "line": 3, …}]}

A :class:`~govdisclose.errors.GovDiscloseError` is the client's input: its status comes from
its class (and, for a :class:`RequestError`, from its first problem's code: a body too large
is 413, not 422).  Any other exception is a bug in govdisclose: the client gets a generic 500
and the traceback goes to the server's log only, never into the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._repr import FieldRepr
from ..errors import (
    ArgumentError,
    CalendarCoverageError,
    GovDiscloseError,
    LedgerError,
    LimitNotInForceError,
    Problem,
    RequestError,
    RulebookError,
    UnknownLimitError,
    UnknownRulebookError,
    UnknownWorkflowError,
)
from ..outputs.documents import render_json

__all__ = ["Answer", "busy", "error_answer", "internal_error", "json_answer", "timed_out"]

JSON = "application/json"

#: A RequestError's first problem code -> its status (other codes: 422).
_STATUS_OF_CODE = {
    "query.missing": 400, "query.date": 400, "query.count": 400, "query.boolean": 400, "query.kind": 400,
    "query.month": 400,
    "body.too_large": 413, "ledger.too_many_rows": 413, "body.media_type": 415,
    "body.charset": 415,
}
#: Error class -> (status, error word, code of the problem made from its message).
_STATUS_OF_CLASS: tuple[tuple[type[GovDiscloseError], int, str, str], ...] = (
    (UnknownRulebookError, 404, "not_found", "rulebook.unknown"),
    (UnknownLimitError, 404, "not_found", "limit.unknown"),
    (UnknownWorkflowError, 404, "not_found", "workflow.unknown"),
    (LimitNotInForceError, 422, "invalid_input", "limit.not_in_force"),
    (CalendarCoverageError, 422, "invalid_input", "calendar.coverage"),
    (ArgumentError, 400, "bad_request", "argument"),
    (LedgerError, 422, "invalid_input", "ledger.unreadable"),
)
_WORDS = {
    400: ("请求参数有误", "the request's parameters are wrong"),
    404: ("没有这一项", "no such thing"),
    413: ("请求过大", "the request is too large"),
    415: ("不支持的请求体格式", "unsupported body format"),
    422: ("输入有误", "the input is invalid"),
}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Answer(FieldRepr):
    """An HTTP answer: status, body bytes, media type, extra headers."""

    status: int
    body: bytes
    media_type: str = JSON
    headers: tuple[tuple[str, str], ...] = ()


def json_answer(document: Any, status: int = 200) -> Answer:
    """``document`` as the CLI's ``--json`` prints it."""
    return Answer(status, render_json(document).encode("utf-8"))


def _error(status: int, error: str, zh: str, en: str, problems: list[dict[str, object]],
           headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    document = {"status": status, "error": error, "message_zh": zh, "message_en": en,
                "problems": problems}
    return Answer(status, render_json(document).encode("utf-8"), JSON, headers)


def _words(exc: GovDiscloseError) -> tuple[str, str]:
    """The Chinese and English words of an error: composed from its attributes where the
    class carries them, else the halves of its bilingual message."""
    if isinstance(exc, UnknownRulebookError):
        hint = exc.suggestion
        return (f"没有名为 {exc.rulebook_id!r} 的规则集" + (f"；是否指 {hint!r}？" if hint else ""),
                f"unknown rulebook {exc.rulebook_id!r}" + (f"; did you mean {hint!r}?"
                                                           if hint else ""))
    if isinstance(exc, UnknownLimitError):
        return (f"规则集 {exc.book} 中没有时限 {exc.limit[:200]}",
                f"rulebook {exc.book!r} has no limit {exc.limit[:200]!r}")
    return _split(str(exc))


def _split(message: str) -> tuple[str, str]:
    """The Chinese and English halves of a bilingual exception message (``en / 中文``, or
    ``中文 / en``); the whole message for both when it is not split so."""
    head, sep, tail = message.partition(" / ")
    if not sep:
        return message, message
    head_is_zh = any("\u4e00" <= ch <= "\u9fff" for ch in head[:20])
    return (head, tail) if head_is_zh else (tail, head)


def error_answer(exc: GovDiscloseError) -> Answer:
    """The 4xx answer to an input govdisclose refuses."""
    if isinstance(exc, (RequestError, RulebookError)):
        problems = list(exc.problems)
        status = _STATUS_OF_CODE.get(problems[0].code, 422) if problems else 422
        error = {400: "bad_request", 413: "too_large", 415: "unsupported_media_type"}.get(
            status, "invalid_input")
        zh, en = _WORDS[status]
        return _error(status, error, zh, en, [p.to_json() for p in problems])
    status, error, code = 422, "invalid_input", "invalid"
    for cls, cls_status, cls_error, cls_code in _STATUS_OF_CLASS:
        if isinstance(exc, cls):
            status, error, code = cls_status, cls_error, cls_code
            break
    zh, en = _words(exc)
    problem = Problem(code, zh, en)
    return _error(status, error, zh, en, [problem.to_json()])


def internal_error() -> Answer:
    """A bug: no detail for the client (the log has the traceback)."""
    return _error(500, "internal", "内部错误，请报告（详情见服务器日志）",
                  "internal error, please report (the server log has the details)", [])


def busy() -> Answer:
    """Too many requests waiting or computing."""
    return _error(503, "busy", "服务繁忙，请稍后重试", "the service is busy; try again shortly",
                  [], (("Retry-After", "1"),))


def timed_out(seconds: float) -> Answer:
    """The work ran past the time cap."""
    return _error(503, "timeout", f"处理超过 {seconds:g} 秒，已放弃",
                  f"the work took longer than {seconds:g} s and was given up", [],
                  (("Retry-After", "5"),))


def not_found(path: str) -> Answer:
    """No route."""
    return _error(404, "not_found", f"没有这个地址：{path[:200]}", f"no such address: {path[:200]}",
                  [])


def method_not_allowed(method: str) -> Answer:
    return _error(405, "method_not_allowed", f"不支持 {method[:20]} 方法",
                  f"method {method[:20]} is not allowed here", [])


def http_error(status: int) -> Answer:
    """Any other refusal of the HTTP layer itself, with its status."""
    zh, en = _WORDS.get(status, ("请求有误", "the request was refused"))
    return _error(status, "bad_request", zh, en, [])
