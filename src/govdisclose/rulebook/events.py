"""The event vocabularies of evaluation: one frozen row per request event type, and the events
a request or an item record supplies to the rulebook's limits.

A request's ``events`` (``schemas/request.schema.json``) each do one thing to the reply period
— open or close a procedure, pause it, restart it, extend it, or answer the request — and each
stands for an event of the rulebooks' vocabulary (``events`` in ``rules/national.yaml``), from
which a limit may count (``from``) or by which it is discharged (``done_by``).  The engine
(:mod:`govdisclose.engine.requests`), the ledger columns (:mod:`govdisclose.ledgers.reading`)
and the test strategies (:mod:`govdisclose.testing.strategies`) all read :data:`REQUEST_EVENTS`;
``tests/test_law_as_data.py`` holds it against the request schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from .vocabulary import EventRole, LimitAbout, PauseKind

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ITEM_EVENTS", "RECEIPT_EVENT", "REGISTERED_EVENT", "REPLY_DUE_EVENT",
           "REQUEST_EVENTS", "SUPPLEMENT_DUE_EVENT", "RequestEventType", "supplied_events"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RequestEventType(FieldRepr):
    """One request event type.

    Attributes:
        type: the value of ``events[].type`` in a request.
        role: what it does to the reply period.
        book_event: the rulebook event it records (a limit's ``from`` or ``done_by``).
        closes: for a closing, restarting event, the event type it ends.
        pause: for a pausing event, the kind of pause; its window is the limit of the book
            whose ``pause_window_for`` names this kind (none: the pause has no window).  Whether
            its time is counted is dated data (``kinds`` of the national ``counting.pause``):
            a kind not listed on the receipt date stops nothing (中止 never does).
        fact: the boolean fact derived from its presence (declared in the national book).
        ledger_column: the ledger (台账) column recording its date, with the Chinese headers
            accepted for it; ``None`` when ledgers do not record it.
        notice_event: the rulebook event recorded by the event's ``notified_on`` (the day the
            applicant was told of it), when the event may carry one.
        label_zh, label_en: for people.
    """

    type: str
    role: EventRole
    book_event: str
    label_zh: str
    label_en: str
    closes: str | None = None
    pause: PauseKind | None = None
    fact: str | None = None
    ledger_column: str | None = None
    ledger_headers: tuple[str, ...] = ()
    notice_event: str | None = None


#: Every request event type, in the order they usually happen.
REQUEST_EVENTS: Mapping[str, RequestEventType] = MappingProxyType({row.type: row for row in (
    # 补正: a one-time notice opens the supplement; the supplemented request restarts the period.
    RequestEventType("supplement_requested", EventRole.OPENS, "request.supplement_requested",
                     "告知补正", "supplement requested", fact="supplement_requested",
                     ledger_column="supplement_requested_on",
                     ledger_headers=("告知补正日期", "补正告知日期")),
    RequestEventType("supplement_received", EventRole.RESTARTS, "request.supplement_received",
                     "收到补正", "supplement received", closes="supplement_requested",
                     ledger_column="supplement_received_on",
                     ledger_headers=("收到补正日期", "补正收到日期")),
    # Consultations pause the reply period; the letter's day is taken as its receipt.
    RequestEventType("third_party_consulted", EventRole.PAUSES,
                     "third_party.consultation_received", "征求第三方意见",
                     "third-party consultation", pause=PauseKind.THIRD_PARTY,
                     fact="third_party_consulted", ledger_column="third_party_consulted_on",
                     ledger_headers=("征求第三方意见日期", "征求第三方意见时间")),
    RequestEventType("third_party_replied", EventRole.CLOSES, "third_party.replied",
                     "第三方答复", "third party replied", closes="third_party_consulted",
                     ledger_column="third_party_replied_on",
                     ledger_headers=("第三方答复日期", "第三方回复日期")),
    RequestEventType("agency_consulted", EventRole.PAUSES, "interagency.consultation_received",
                     "征求其他机关意见", "inter-agency consultation",
                     pause=PauseKind.INTERAGENCY, fact="agency_consulted",
                     ledger_column="agency_consulted_on",
                     ledger_headers=("征求其他机关意见日期", "征求有关机关意见日期")),
    RequestEventType("agency_replied", EventRole.CLOSES, "interagency.replied",
                     "被征求意见机关答复", "consulted agency replied", closes="agency_consulted",
                     ledger_column="agency_replied_on",
                     ledger_headers=("其他机关答复日期", "被征求意见机关答复日期")),
    RequestEventType("extension_approved", EventRole.EXTENDS, "request.extension_approved",
                     "批准延期", "extension approved", fact="extension_approved",
                     ledger_column="extension_approved_on",
                     ledger_headers=("延期批准日期", "批准延期日期"),
                     notice_event="request.extension_notified"),
    # 数量、频次明显超过合理范围: reasons asked (the period runs on), a later reply date fixed.
    RequestEventType("reasons_requested", EventRole.RECORDS, "request.reasons_requested",
                     "要求说明理由", "reasons requested", fact="reasons_requested",
                     ledger_column="reasons_requested_on",
                     ledger_headers=("要求说明理由日期", "要求申请人说明理由日期")),
    RequestEventType("reply_date_fixed", EventRole.SETS_DUE, "request.reply_date_fixed",
                     "确定延迟答复的期限并告知", "later reply date fixed and told",
                     fact="reply_date_fixed", ledger_column="reply_date_fixed_on",
                     ledger_headers=("告知延迟答复期限日期", "确定延迟答复期限日期")),
    # The written notice to a third party of a disclosure decided in the public interest.
    RequestEventType("third_party_notified", EventRole.RECORDS,
                     "third_party.disclosure_notified", "书面告知第三方",
                     "third party told in writing", fact="third_party_notified",
                     ledger_column="third_party_notified_on",
                     ledger_headers=("书面告知第三方日期", "告知第三方日期")),
    RequestEventType("suspended", EventRole.PAUSES, "request.suspended", "中止",
                     "suspension", pause=PauseKind.SUSPENSION, fact="suspended",
                     ledger_column="suspended_on", ledger_headers=("中止日期", "中止办理日期")),
    RequestEventType("resumed", EventRole.CLOSES, "request.resumed", "恢复", "resumed",
                     closes="suspended", ledger_column="resumed_on",
                     ledger_headers=("恢复日期", "恢复办理日期")),
    RequestEventType("replied", EventRole.REPLIES, "request.replied", "答复", "replied",
                     ledger_column="replied_on", ledger_headers=("答复日期", "答复时间")),
)})

#: The receipt of a request (收到申请之日), fixed by the request or its receipt rules.
RECEIPT_EVENT = "request.received"
#: The registration of a request (登记之日), when the request records ``registered_on``.
REGISTERED_EVENT = "request.registered"
#: The original reply deadline, from which an extension counts on.
REPLY_DUE_EVENT = "request.reply_due"
#: The last day of the supplement period a notice gave (``supplement_due`` of the notice):
#: past it with no supplement, the request is deemed abandoned (条例 2019 第三十条).
SUPPLEMENT_DUE_EVENT = "request.supplement_due"

#: Rulebook event -> the item date fields that record it, most specific first.
ITEM_EVENTS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "item.formed": ("changed_on", "formed_on"),  # 形成或者变更之日: a change restarts the period
    "item.published": ("published_on",),
    "item.issued": ("issued_on",),
    "decision.made": ("decision_on",),
    "item.received_by_office": ("reported_on",),
    "review.submitted": ("review_submitted_on",),
    "item.interpretation_published": ("interpretation_published_on",),
})


def supplied_events(about: LimitAbout) -> frozenset[str] | None:
    """The rulebook events an evaluation records for limits about ``about``; ``None`` when no
    evaluation monitors such limits (they are counted only on demand, from a given day)."""
    if about is LimitAbout.REQUEST:
        return frozenset({RECEIPT_EVENT, REGISTERED_EVENT, REPLY_DUE_EVENT, SUPPLEMENT_DUE_EVENT,
                          *(row.book_event for row in REQUEST_EVENTS.values()),
                          *(row.notice_event for row in REQUEST_EVENTS.values()
                            if row.notice_event is not None)})
    if about in (LimitAbout.ITEM, LimitAbout.REVIEW):
        return frozenset(ITEM_EVENTS)
    return None
