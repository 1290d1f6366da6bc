"""How the request was made (条例 2019 第二十九条): channel, form and contents, read against the
book's dated ``policies`` (``phone_requests``, ``oral_requests``, ``one_request_one_matter``)
and its ``intake.requirements``.

Each finding is a value with its citation.  A channel the policy in force does not accept
(桦甸: 不直接受理电话申请) stops the request from being processed as an information request:
the outcome's state is ``not_accepted`` and no reply period runs.  Everything else is reported
and leaves the request in the normal procedure: a missing item of content is a ground for the
one-time notice to supplement (第三十条), which the record shows as its own event.
Nothing here knows an article number; the policies and requirements carry their citations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..errors import Problem, RequestError
from ..messages import TraceStep
from ..rulebook.model import Relation
from ..rulebook.vocabulary import (
    Channel,
    OneRequestOneMatter,
    OralRequests,
    PhoneRequests,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..rulebook.model import Rulebook
    from ..rulebook.parts import PolicyValue

__all__ = ["IntakeFinding", "intake"]

#: The channel-specific policies: channel -> (policy key, the values that refuse it).
_CHANNEL_POLICIES: Mapping[str, tuple[str, frozenset[str]]] = {
    Channel.PHONE.value: ("phone_requests", frozenset({PhoneRequests.NOT_ACCEPTED.value})),
    Channel.ORAL.value: ("oral_requests", frozenset({OralRequests.NOT_ACCEPTED.value})),
}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class IntakeFinding(FieldRepr):
    """One finding about how the request was made.

    Attributes:
        code: stable identifier (``intake.channel_not_accepted`` …).
        blocks: whether it keeps the request out of the procedure (``not_accepted``).
        relation: how the rule applied stands against the national one.
    """

    code: str
    zh: str
    en: str
    cites: tuple[str, ...]
    blocks: bool = False
    relation: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "zh": self.zh, "en": self.en, "sources": list(self.cites),
                "blocks": self.blocks, "relation": self.relation}


#: The facts the intake reads (with the channel): how many independent matters a request
#: holds, and the requirements it lacks.
_SEPARATE_MATTERS = "separate_matters"
_MISSING_REQUIREMENTS = "missing_requirements"


def _cites(value: PolicyValue) -> tuple[str, ...]:
    return tuple(str(c) for c in value.cites)


def _higher_law(key: str, set_aside: PolicyValue, applied: PolicyValue,
                trace: list[TraceStep]) -> None:
    local = "；".join(_cites(set_aside))
    national = "；".join(_cites(applied))
    trace.append(TraceStep(
        "higher_law", f"本地规定 {key} = {set_aside.value}（{local}）与上位法（{national}）抵触，"
        f"依上位法优于下位法原则适用 {applied.value}", f"the local rule {key} = "
        f"{set_aside.value} ({local}) conflicts with higher law ({national}); "
        f"{applied.value} applies", "上位法优于下位法"))


def _channel(book: Rulebook, channel: str, facts: Mapping[str, Any], on: date,
             trace: list[TraceStep]) -> list[IntakeFinding]:
    if channel not in _CHANNEL_POLICIES:
        return []
    key, refusing = _CHANNEL_POLICIES[channel]
    applied, relation, set_aside = book.policy(key, on)
    if applied is None:
        return []
    if relation is Relation.CONFLICT and set_aside is not None:
        _higher_law(key, set_aside, applied, trace)
    label = Channel(channel).zh
    cites = _cites(applied)
    if applied.value in refusing:
        return [IntakeFinding(
            "intake.channel_not_accepted", f"以{label}方式提出的申请不予受理（{'；'.join(cites)}）："
            "应告知申请人以书面形式提出", f"requests made by {channel} are not accepted "
            f"({'; '.join(cites)}): the applicant should be told to apply in writing", cites,
            blocks=True, relation=relation.value)]
    if applied.value == OralRequests.ACCEPTED_IF_WRITING_DIFFICULT.value:
        difficult = facts.get("writing_difficult")
        if difficult is False:
            return [IntakeFinding(
                "intake.oral_not_accepted", "申请人采用书面形式并无困难：口头申请不予受理，应告知其以书面"
                f"形式提出（{'；'.join(cites)}）", "writing is not difficult for the applicant: "
                "the oral request is not accepted; the applicant should apply in writing",
                cites, blocks=True, relation=relation.value)]
        words = ("记录未载明书面形式是否确有困难；" if difficult is None else "")
        return [IntakeFinding(
            "intake.oral_form_filled", f"{words}口头申请由受理的政府信息公开工作机构代为填写申请"
            f"（{'；'.join(cites)}）", ("the record does not say whether writing was difficult; "
                                      if difficult is None else "") + "the office that takes "
            "an oral request fills in the application for the applicant", cites,
            relation=relation.value)]
    return []


def _matters(book: Rulebook, facts: Mapping[str, Any], on: date) -> list[IntakeFinding]:
    count = facts.get(_SEPARATE_MATTERS)
    if not isinstance(count, int) or count <= 1:
        return []
    applied, relation, _ = book.policy("one_request_one_matter", on)
    if applied is None:
        return []
    cites = _cites(applied)
    if applied.value == OneRequestOneMatter.REQUIRED.value:
        return [IntakeFinding(
            "intake.several_matters", f"本规则集要求一事一申请（{'；'.join(cites)}），本申请含 {count} "
            "项相互独立的请求", f"the book requires one matter per request ({'; '.join(cites)}); "
            f"this application holds {count} independent matters", cites,
            relation=relation.value)]
    return [IntakeFinding(
        "intake.several_matters_together", f"一件申请含 {count} 项相互独立的请求，可全部处理完毕后统一"
        f"答复（{'；'.join(cites)}）", f"{count} independent matters in one application may be "
        f"answered together once all are handled ({'; '.join(cites)})", cites,
        relation=relation.value)]


def _requirements(book: Rulebook, applicant: str | None, facts: Mapping[str, Any]
                  ) -> list[IntakeFinding]:
    missing = facts.get(_MISSING_REQUIREMENTS) or []
    if not missing:
        return []
    unknown = [k for k in missing if k not in book.requirements]
    if unknown:
        known = ", ".join(book.requirements)
        raise RequestError([Problem(
            "request.unknown_requirement",
            f"missing_requirements 中的 {', '.join(map(str, unknown))} 不是规则集 {book.id} 的申请要求"
            f"（可选：{known}）", f"missing_requirements names {', '.join(map(str, unknown))}, "
            f"not a requirement of {book.id} (one of: {known})", None, None, None,
            ("facts", _MISSING_REQUIREMENTS))])
    national = book.root.requirements
    out = []
    for key in missing:
        req = book.requirements[key]
        applies = book.requirement_applies_to.get(key, "all")
        if applies not in ("all", applicant) and applicant is not None:
            continue  # a requirement for the other kind of applicant
        cites = tuple(str(c) for c in req.cites)
        local = key not in national
        out.append(IntakeFinding(
            "intake.requirement_missing", f"申请缺少：{req.label}（{'；'.join(cites)}）"
            + ("；此为本地要求，国家规则集未列，能否据以要求补正待审核" if local
               else "；可一次性告知补正"),
            f"the request lacks: {req.label_en or req.label}"
            + ("; a local requirement the national book does not list — whether it can ground "
               "a notice to supplement is to be reviewed" if local else
               "; a ground for the one-time notice to supplement"),
            cites, relation=(Relation.LOCAL if local else Relation.NATIONAL).value))
    return out


def intake(book: Rulebook, channel: str | None, applicant: str | None, facts: Mapping[str, Any],
           on: date, trace: list[TraceStep]) -> tuple[IntakeFinding, ...]:
    """What the rules in force on ``on`` (the receipt date) say about how the request was made
    (``channel`` and ``applicant``: the request's channel and applicant type).

    Raises:
        RequestError: ``missing_requirements`` names a requirement the book does not declare.
    """
    if not channel and facts.get(_SEPARATE_MATTERS) is None \
            and not facts.get(_MISSING_REQUIREMENTS):
        return ()  # the common case: nothing said of how it was made (none of the below)
    found = [*(_channel(book, channel, facts, on, trace) if channel else []),
             *_matters(book, facts, on), *_requirements(book, applicant, facts)]
    for finding in found:
        trace.append(TraceStep(finding.code, finding.zh, finding.en,
                               "；".join(finding.cites) or None))
    return tuple(found)
