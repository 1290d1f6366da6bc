"""The receipt date of a request (收到申请之日): given, or fixed by the book's receipt rules in
force on the day it was submitted (条例 2019 第三十一条)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import Problem, RequestError
from ..messages import TraceStep
from ..rulebook.vocabulary import Channel, ReceiptDateField

if TYPE_CHECKING:
    from datetime import date

    from ..rulebook.model import Rulebook
    from .request_model import Request

__all__ = ["receipt_date", "received_step"]


def _zh(term: type[Channel] | type[ReceiptDateField], key: str | None) -> str:
    """The Chinese label of ``key`` in ``term`` (the raw key when it is not one)."""
    try:
        return term(str(key)).zh
    except ValueError:
        return str(key)


@lru_cache(maxsize=4096)
def received_step(day: date) -> TraceStep:
    """The trace step of a receipt date given in the request (one immutable step per day)."""
    return TraceStep("receipt", f"收到申请之日：{day.isoformat()}", f"received on {day.isoformat()}")


def receipt_date(book: Rulebook, request: Request, trace: list[TraceStep]) -> date:
    """The receipt date, given or fixed by the book's receipt rules in force on the day the
    request was submitted (条例 2019 第三十一条 has them from 2019-05-15)."""
    if request.received_on is not None:
        trace.append(received_step(request.received_on))
        return request.received_on
    channel = request.channel
    rules = book.receipt_rules_on(request.submitted_on) if request.submitted_on \
        else book.receipt_rules
    for rule in rules:
        if channel in rule.channels:
            chosen: date | None = getattr(request, rule.received_on)
            if chosen is None:
                raise RequestError([Problem(
                    "receipt.missing", f"提交渠道为{_zh(Channel, channel)}的申请需要提供"
                    f"{_zh(ReceiptDateField, rule.received_on)}（{rule.received_on}）"
                    f"（{'；'.join(str(c) for c in rule.cites)}）",
                    f"channel {channel} needs {rule.received_on} to fix the receipt date",
                    None, None, None, (rule.received_on,))])
            trace.append(TraceStep(
                "receipt", f"提交渠道：{_zh(Channel, channel)}；以"
                f"{_zh(ReceiptDateField, rule.received_on)}（{chosen.isoformat()}）为收到申请之日",
                f"channel {channel}: received on {rule.received_on}, {chosen.isoformat()}",
                "；".join(str(c) for c in rule.cites)))
            return chosen
    if request.submitted_on is not None and any(channel in r.channels for r in book.receipt_rules):
        raise RequestError([Problem(
            "receipt.not_in_force", f"{request.submitted_on} 没有有效的收件规则（渠道 {channel}），"
            "请给出 received_on", f"no receipt rule for channel {channel} was in force on "
            f"{request.submitted_on}; give received_on", None, None, None, ("received_on",))])
    raise RequestError([Problem("receipt.no_rule", f"规则集 {book.id} 对渠道 {channel} 没有收件规则",
                                f"rulebook {book.id} has no receipt rule for channel {channel}",
                                None, None, None, ("channel",))])
