"""Duties and permissions of the regulation that are neither periods nor replies, and the
categories of information an agency must disclose proactively — dated, cited data.

``duties`` (a book section) lists what an agency shall (应当) or may (可以) do about a request
and the standing rules it shall set up: each entry names who acts (``actor``), whom it concerns
(``to``), when it arises (``applies_when`` on the request's facts, ``after`` a recorded event),
and, where the record can show it, what records its performance (``done_by``: the event, the
event it must not come after, and the violation codes).  A permission whose ``after`` event is
recorded without its conditions makes that event ineffective (``unfounded``).

``proactive_categories`` lists the categories of 条例 2019 第二十条、第二十一条; a category may be
limited to agencies of some tiers (``agency_tiers``, :class:`~.vocabulary.AgencyTier`).
The engine reads both (:mod:`govdisclose.engine.duties`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from .dated import Dated
from .events import supplied_events
from .sections import dated_span
from .vocabulary import AgencyTier, DutyKind, LimitAbout

if TYPE_CHECKING:
    from ..messages import Citation
    from .builder import Builder, Path_
    from .conditions import Condition

__all__ = ["ContentCategory", "Duty", "DutyCheck", "build_categories", "build_duties"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DutyCheck(FieldRepr):
    """What records a duty's performance, and how the record is judged.

    Attributes:
        event: the rulebook event recording the day it was done.
        before: the rulebook event it must be done by (on or before), if any.
        late: the violation code when done after ``before``.
        wrong_actor: the violation code when the event records another actor than the
            duty's ``actor``.
    """

    event: str
    before: str | None = None
    late: str | None = None
    wrong_actor: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Duty(Dated):
    """One entry of ``duties``."""

    key: str
    about: LimitAbout
    kind: DutyKind
    label: str
    label_en: str | None
    actor: str | None
    to: str | None
    applies_when: Condition | None
    after: str | None
    done_by: DutyCheck | None
    unfounded: str | None
    cites: tuple[Citation, ...]
    review: str | None
    book: str


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ContentCategory(Dated):
    """One category of information to be disclosed proactively (``proactive_categories``);
    ``agency_tiers`` empty: every agency."""

    key: str
    label: str
    label_en: str | None
    agency_tiers: tuple[AgencyTier, ...]
    cites: tuple[Citation, ...]
    review: str | None
    book: str


def _event(b: Builder, path: Path_, name: str | None, about: LimitAbout) -> None:
    """``name`` must be a declared event that the evaluation of ``about`` records."""
    if name is None:
        return
    if name not in b.ctx.events:
        b.unknown(path, "事件", "event", name, b.ctx.events, "events")
        return
    supplied = supplied_events(about)
    if supplied is not None and name not in supplied:
        b.fail(path, "duty.event_not_supplied",
               f"事件 {name!r} 不是{about.zh}评估能够记录的事件",
               f"event {name!r} is not one {about.en} evaluation records")


def _duty(b: Builder, key: str, data: dict[str, Any]) -> Duty:
    path: Path_ = ("duties", key)
    about = LimitAbout(data["about"])
    kind = DutyKind(data["kind"])
    b.role((*path, "actor"), data.get("actor"))
    b.role((*path, "to"), data.get("to"))
    _event(b, (*path, "after"), data.get("after"), about)
    check = None
    if "done_by" in data:
        raw = data["done_by"]
        check = DutyCheck(raw["event"], raw.get("before"), raw.get("late"),
                          raw.get("wrong_actor"))
        _event(b, (*path, "done_by", "event"), check.event, about)
        _event(b, (*path, "done_by", "before"), check.before, about)
        if check.late is not None and check.before is None:
            b.fail((*path, "done_by", "late"), "duty.late_without_before",
                   "给出 late 时须给出 before（在哪一事件之前履行）",
                   "late needs before (the event the duty must be done by)")
        if check.wrong_actor is not None and data.get("actor") is None:
            b.fail((*path, "done_by", "wrong_actor"), "duty.no_actor",
                   "给出 wrong_actor 时须给出 actor", "wrong_actor needs the duty's actor")
    if data.get("unfounded") is not None and (kind is not DutyKind.PERMISSION
                                              or "after" not in data):
        b.fail((*path, "unfounded"), "duty.unfounded_not_permission",
               "unfounded 只用于有 after 事件的 permission",
               "unfounded is for a permission with an after event")
    if kind is DutyKind.INSTITUTIONAL and ("applies_when" in data or "after" in data
                                           or check is not None):
        b.fail(path, "duty.institutional_conditional",
               "institutional（常设制度）不带 applies_when、after 或 done_by",
               "an institutional duty has no applies_when, after or done_by")
    cites = b.cites((*path, "cite"), data["cite"])
    return Duty(**dated_span(b, path, data), key=key, about=about, kind=kind, label=data["label"],
                label_en=data.get("label_en"), actor=data.get("actor"), to=data.get("to"),
                applies_when=b.condition((*path, "applies_when"), data), after=data.get("after"),
                done_by=check, unfounded=data.get("unfounded"), cites=cites,
                review=data.get("review"), book=b.book_id)


def build_duties(b: Builder, data: Any) -> dict[str, Duty]:
    """The ``duties`` section."""
    return {k: _duty(b, k, v) for k, v in data.items()}


def build_categories(b: Builder, data: Any) -> dict[str, ContentCategory]:
    """The ``proactive_categories`` section."""
    out = {}
    for key, v in data.items():
        path: Path_ = ("proactive_categories", key)
        out[key] = ContentCategory(
            **dated_span(b, path, v), key=key, label=v["label"], label_en=v.get("label_en"),
            agency_tiers=tuple(AgencyTier(t) for t in v.get("agency_tiers", ())),
            cites=b.cites((*path, "cite"), v["cite"]), review=v.get("review"),
            book=b.book_id)
    return out
