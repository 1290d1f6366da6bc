"""A request (依申请公开) and its events as the engine reads them: immutable values, built by
the parsers (engine/request_input.py, engine/request_dict.py) and the ledger reader."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.vocabulary import EventRole

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

__all__ = ["FIXES_REPLY_DATE", "Request", "RequestEvent"]


#: Builds an instance without running ``__init__`` (see the ``_fast`` constructors).
_new = object.__new__
_set = object.__setattr__


# Frozen dataclasses without __slots__: the frozen __init__ sets each field through
# object.__setattr__, and a parsed request has a dozen fields per event; a plain instance
# dictionary lets the parser fill them at once (``_fast``), as periods/counting.py's Deadline
# does.  They are as immutable as any frozen dataclass.
@dataclass(frozen=True, repr=False, eq=False)
class RequestEvent(FieldRepr):
    """One thing that happened to a request; ``index`` is its position in the input."""

    type: str
    on: date
    index: int
    amount: int | None = None
    reply: str | None = None
    consent: bool | None = None
    #: supplement_requested: the last day of the supplement period the notice gave
    supplement_due: date | None = None
    #: replied: the day the reply was sent (发出) and served (送达), when recorded; ``on`` is
    #: the day it was made (作出)
    sent_on: date | None = None
    served_on: date | None = None
    #: reply_date_fixed: the later reply date fixed and told the applicant
    reply_by: date | None = None
    #: extension_approved: who approved it (a role key) and the day the applicant was told
    approved_by: str | None = None
    notified_on: date | None = None

    @classmethod
    def _fast(cls, type: str, on: date, index: int, amount: int | None,
              reply: str | None, consent: bool | None, supplement_due: date | None,
              sent_on: date | None, served_on: date | None, reply_by: date | None,
              approved_by: str | None, notified_on: date | None) -> RequestEvent:
        """Every field, in order, without the frozen ``__init__``'s per-field
        ``object.__setattr__`` (the parser builds one per event; tests hold the two equal)."""
        event: RequestEvent = _new(cls)
        _set(event, "__dict__", {
            "type": type, "on": on, "index": index, "amount": amount, "reply": reply,
            "consent": consent, "supplement_due": supplement_due, "sent_on": sent_on,
            "served_on": served_on, "reply_by": reply_by, "approved_by": approved_by,
            "notified_on": notified_on})
        return event

    @classmethod
    def _bare(cls, type: str, on: date, index: int) -> RequestEvent:
        """An event with no field but its type and day (most events parsed, most ledger rows'):
        a copy of the fields' defaults with the three set (tests hold it equal to ``__init__``'s)."""
        event: RequestEvent = _new(cls)
        values = _BARE_FIELDS.copy()
        values["type"] = type
        values["on"] = on
        values["index"] = index
        _set(event, "__dict__", values)
        return event


#: A bare event's instance dictionary before its type, day and index are set.
_BARE_FIELDS = {f.name: f.default for f in fields(RequestEvent)}


@dataclass(frozen=True, repr=False, eq=False)
class Request(FieldRepr):
    id: str
    received_on: date | None
    submitted_on: date | None
    signed_on: date | None
    confirmed_on: date | None
    channel: str | None
    applicant_type: str | None
    applicant_category: str | None
    title: str | None
    events: tuple[RequestEvent, ...]
    facts: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    registered_on: date | None = None  # 登记之日, where a book counts from registration

    @classmethod
    def _fast(cls, id: str, received_on: date | None, submitted_on: date | None,
              signed_on: date | None, confirmed_on: date | None, channel: str | None,
              applicant_type: str | None, applicant_category: str | None, title: str | None,
              events: tuple[RequestEvent, ...], facts: Mapping[str, Any],
              registered_on: date | None) -> Request:
        """Every field, in order, without the frozen ``__init__``'s per-field
        ``object.__setattr__`` (one per request parsed; tests hold the two equal)."""
        request: Request = _new(cls)
        _set(request, "__dict__", {
            "id": id, "received_on": received_on, "submitted_on": submitted_on,
            "signed_on": signed_on, "confirmed_on": confirmed_on, "channel": channel,
            "applicant_type": applicant_type, "applicant_category": applicant_category,
            "title": title, "events": events, "facts": facts, "registered_on": registered_on})
        return request


#: The event types that fix a later reply date (and so must give it: ``reply_by``), read once
#: from the event table.
FIXES_REPLY_DATE = frozenset(t for t, row in REQUEST_EVENTS.items()
                             if row.role is EventRole.SETS_DUE)
