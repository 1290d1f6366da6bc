"""The day a reply is judged by: made (作出), sent (发出) or served (送达), as a book's
reply-date policy says (the ``reply_date`` policy; default: the day sent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages import TraceStep
from ..rulebook.vocabulary import ReplyDate

if TYPE_CHECKING:
    from datetime import date

    from ..rulebook.model import Rulebook
    from .request_model import RequestEvent

__all__ = ["REPLY_DATE_POLICY", "reply_day"]

#: The policy key by which a book says which date of a reply is judged (:class:`ReplyDate`).
REPLY_DATE_POLICY = "reply_date"


def reply_day(book: Rulebook, reply: RequestEvent, receipt: date,
              trace: list[TraceStep]) -> date:
    """The day ``reply`` is judged by: made (``on``), sent (``sent_on``, else ``on``) or served
    (``served_on``), as the book's reply-date policy in force on ``receipt`` says (default: the
    day sent).  A reply that records only ``on`` is judged by it, with no trace step."""
    if reply.sent_on is None and reply.served_on is None:
        return reply.on
    value, _, _ = book.policy(REPLY_DATE_POLICY, receipt)
    chosen = ReplyDate(value.value) if value is not None else ReplyDate.SENT
    cites = "；".join(str(c) for c in value.cites) if value is not None else None
    sent = reply.sent_on or reply.on
    day = {ReplyDate.MADE: reply.on, ReplyDate.SENT: sent,
           ReplyDate.SERVED: reply.served_on}[chosen]
    source = "" if value is not None else "（规则集未规定，默认）"
    source_en = "" if value is not None else " (the book sets none: the default)"
    if day is None:
        trace.append(TraceStep(
            "reply.date", f"答复以{chosen.zh}判断是否按期{source}，但未记录送达之日：以发出之日"
            f"（{sent.isoformat()}）判断", f"the reply is judged by {chosen.en}{source_en}, "
            f"which is not recorded: judged by the day sent, {sent.isoformat()}", cites))
        return sent
    trace.append(TraceStep(
        "reply.date", f"答复以{chosen.zh}（{day.isoformat()}）判断是否按期{source}；作出于 "
        f"{reply.on.isoformat()}", f"the reply is judged by {chosen.en}{source_en}, "
        f"{day.isoformat()}; made on {reply.on.isoformat()}", cites))
    return day
