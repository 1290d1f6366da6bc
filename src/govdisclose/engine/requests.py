"""Evaluate a request (依申请公开) against a rulebook: deadlines, status, violations, reply, steps.

Legal findings are returned as values; only malformed input raises (RequestError).
Nothing here reads the clock: ``as_of`` is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import LimitNotInForceError, Problem, RequestError
from ..messages import TraceStep, Violation
from ..periods.calendar import official_calendar
from ..periods.counting import Deadline, Extension, Pause, ReceiptPolicy
from ..rulebook.loading import load_rulebook
from ..rulebook.model import Relation, Rulebook
from .backends import DecisionBackend, PythonBackend
from .limits import limit_deadline, receipt_policy
from .request_input import Request, parse_request
from .workflow import StepOutcome, walk

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..periods.calendar import OfficialCalendar
    from .request_input import RequestEvent

__all__ = ["ReplyDecision", "RequestOutcome", "Status", "evaluate_request"]

_OGI = "政府信息公开条例（2019）"
_REMEDY = ("告知申请人可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请"
           "行政复议或者提起行政诉讼")


@dataclass(frozen=True, slots=True)
class Status:
    """Where the request stands on ``as_of``."""

    state: str  # open | overdue | answered_on_time | answered_late
    as_of: date
    due: date | None
    replied_on: date | None = None
    working_days_left: int | None = None
    working_days_late: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "as_of": self.as_of.isoformat(),
                "due": self.due.isoformat() if self.due else None,
                "replied_on": self.replied_on.isoformat() if self.replied_on else None,
                "working_days_left": self.working_days_left,
                "working_days_late": self.working_days_late}


@dataclass(frozen=True, slots=True)
class ReplyDecision:
    """The reply the rulebook prescribes for the facts, with the rule that fired."""

    type: str
    label: str
    label_en: str | None
    notice: str | None
    contents: tuple[str, ...]
    remedies: bool
    grounds: tuple[dict[str, Any], ...]
    rule: str
    rule_book: str
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "label": self.label, "label_en": self.label_en,
                "notice": self.notice, "contents": list(self.contents),
                "remedies": self.remedies, "grounds": list(self.grounds),
                "rule": {"id": self.rule, "rulebook": self.rule_book,
                         "sources": list(self.sources)}}


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """Everything the engine found for one request."""

    rulebook: str
    request_id: str
    as_of: date
    received_on: date
    deadlines: Mapping[str, Deadline]
    status: Status
    violations: tuple[Violation, ...]
    reply: ReplyDecision | None
    steps: tuple[StepOutcome, ...]
    trace: tuple[TraceStep, ...]
    backend: str = "python"
    notes: tuple[str, ...] = field(default=())

    @property
    def provisional(self) -> bool:
        return any(d.provisional for d in self.deadlines.values())

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON (schemas/outcome.schema.json, kind ``request``)."""
        return {
            "kind": "request",
            "rulebook": self.rulebook,
            "id": self.request_id,
            "as_of": self.as_of.isoformat(),
            "received_on": self.received_on.isoformat(),
            "provisional": self.provisional,
            "status": self.status.to_json(),
            "deadlines": {k: d.to_json() for k, d in self.deadlines.items()},
            "violations": [v.to_json() for v in self.violations],
            "reply": self.reply.to_json() if self.reply else None,
            "steps": [s.to_json() for s in self.steps],
            "trace": [t.to_json() for t in self.trace],
            "backend": self.backend,
        }


def _receipt(book: Rulebook, request: Request, trace: list[TraceStep]) -> date:
    """The receipt date, given or fixed by the book's receipt rules (条例 第三十一条)."""
    if request.received_on is not None:
        trace.append(TraceStep("receipt", f"收到申请之日：{request.received_on.isoformat()}",
                               f"received on {request.received_on.isoformat()}"))
        return request.received_on
    channel = request.channel
    for rule in book.receipt_rules:
        if channel in rule.channels:
            chosen: date | None = getattr(request, rule.received_on)
            if chosen is None:
                raise RequestError([Problem(
                    "receipt.missing", f"渠道 {channel} 需要提供 {rule.received_on}"
                    f"（{'；'.join(str(c) for c in rule.cites)}）",
                    f"channel {channel} needs {rule.received_on} to fix the receipt date",
                    None, None, None, (rule.received_on,))])
            trace.append(TraceStep(
                "receipt", f"以{channel}方式提交，以 {rule.received_on}（{chosen.isoformat()}）"
                "为收到申请之日", f"channel {channel}: received on {rule.received_on}, "
                f"{chosen.isoformat()}", "；".join(str(c) for c in rule.cites)))
            return chosen
    raise RequestError([Problem("receipt.no_rule", f"规则集 {book.id} 对渠道 {channel} 没有收件规则",
                                f"rulebook {book.id} has no receipt rule for channel {channel}",
                                None, None, None, ("channel",))])


def _violation(code: str, zh: str, en: str, source: str | None = None) -> Violation:
    return Violation(code, zh, en, source)


#: request limits evaluate_request computes itself; other request.* limits are counted from receipt
_HANDLED = frozenset({"request.reply", "request.supplement_notice", "request.third_party_opinion",
                      "request.interagency_opinion", "request.extension"})
#: closing event -> the event it closes
_CLOSES = {"supplement_received": "supplement_requested",
           "third_party_replied": "third_party_consulted",
           "agency_replied": "agency_consulted", "resumed": "suspended"}
#: opening event -> (closing event, pause kind, window limit, label zh, label en)
_PAUSES = {
    "third_party_consulted": ("third_party_replied", "third_party", "request.third_party_opinion",
                              "征求第三方意见", "third-party consultation"),
    "agency_consulted": ("agency_replied", "interagency", "request.interagency_opinion",
                         "征求其他机关意见", "inter-agency consultation"),
    "suspended": ("resumed", "suspension", None, "中止", "suspension"),
}


def _check_order(events: list[RequestEvent], receipt: date, violations: list[Violation]) -> None:
    """Events before receipt, replies without their request, and similar disorder."""
    opened: dict[str, int] = {}
    pairs = _CLOSES
    for e in events:
        if e.on < receipt:
            violations.append(_violation(
                "event.before_receipt", f"{e.type}（{e.on.isoformat()}）早于收到申请之日 "
                f"{receipt.isoformat()}", f"{e.type} on {e.on.isoformat()} is before receipt on "
                f"{receipt.isoformat()}"))
        if e.type in pairs:
            opener = pairs[e.type]
            if opened.get(opener, 0) <= 0:
                violations.append(_violation(
                    "event.out_of_order", f"{e.type}（{e.on.isoformat()}）之前没有 {opener}",
                    f"{e.type} on {e.on.isoformat()} has no earlier {opener}"))
            else:
                opened[opener] -= 1
        else:
            opened[e.type] = opened.get(e.type, 0) + 1


def _pauses(book: Rulebook, events: list[RequestEvent]) -> list[Pause]:
    """Consultations and suspensions as pauses (条例 第三十三条第三款)."""
    kinds = _PAUSES
    pauses = []
    used: set[int] = set()
    for e in events:
        if e.type not in kinds:
            continue
        closer, kind, window_limit, zh, en = kinds[e.type]
        end = next((c for c in events if c.type == closer and c.on >= e.on
                    and c.index not in used), None)
        window = None
        if end is not None:
            used.add(end.index)
        elif window_limit is not None and window_limit in book.limits:
            try:
                resolved = book.limit(window_limit, e.on)
                window = int(resolved.amount)
            except LimitNotInForceError:
                window = None
        pauses.append(Pause(kind, e.on, end.on if end else None, window, zh, en))
    return pauses


def _derived_facts(request: Request, events: list[RequestEvent]) -> dict[str, Any]:
    types = {e.type for e in events}
    derived: dict[str, Any] = {
        "supplement_requested": "supplement_requested" in types,
        "third_party_consulted": "third_party_consulted" in types,
        "agency_consulted": "agency_consulted" in types,
        "extension_approved": "extension_approved" in types,
        "suspended": "suspended" in types,
    }
    if request.channel:
        derived["channel"] = request.channel
    if request.applicant_type:
        derived["applicant_type"] = request.applicant_type
    return derived


def _third_party_consent(book: Rulebook, facts: dict[str, Any], events: list[RequestEvent],
                         deadlines: Mapping[str, Deadline], as_of: date,
                         trace: list[TraceStep]) -> None:
    """Fill ``third_party_consent`` from a reply, or from silence under the policy in force."""
    if "third_party_consent" in facts:
        return
    answers = [e for e in events if e.type == "third_party_replied" and e.consent is not None]
    if answers:
        facts["third_party_consent"] = answers[-1].consent
        return
    window = deadlines.get("request.third_party_opinion")
    silent = ("third_party_consulted" in {e.type for e in events}
              and "third_party_replied" not in {e.type for e in events}
              and window is not None and window.due is not None and as_of > window.due)
    if not silent:
        return
    applied, relation, set_aside = book.policy("third_party_silence")
    if applied is None:
        return
    cite = "；".join(str(c) for c in applied.cites)
    if relation is Relation.CONFLICT and set_aside is not None:
        local = "；".join(str(c) for c in set_aside.cites)
        trace.append(TraceStep(
            "higher_law", f"本地规定第三方逾期未答复视为 {set_aside.value}（{local}），与上位法"
            f"（{cite}）抵触，依上位法优于下位法原则适用国家规定：由行政机关决定是否公开",
            f"the local rule reads a silent third party as {set_aside.value} ({local}); it "
            f"conflicts with higher law ({cite}), so the national rule applies: the agency "
            "decides", "上位法优于下位法"))
    if applied.value == "deemed_consent":
        facts["third_party_consent"] = True
    elif applied.value == "deemed_refusal":
        facts["third_party_consent"] = False
    trace.append(TraceStep(
        "third_party.silence", f"第三方逾期未提出意见：{applied.value}（{cite}）",
        f"the third party did not answer in time: {applied.value} ({cite})"))


def _decide(book: Rulebook, facts: dict[str, Any], backend: DecisionBackend,
            trace: list[TraceStep]) -> ReplyDecision | None:
    grounds_in = list(facts.get("exemption_grounds") or [])
    remaining = []
    lifted = []
    for key in grounds_in:
        ex = book.exemptions[key]
        override = next((o for o in ex.overrides if (
            (o == "third_party_consent" and facts.get("third_party_consent") is True)
            or (o == "public_interest" and facts.get("public_interest_override") is True)
            or (o == "other_law_requires" and facts.get("other_law_requires") is True))), None)
        if override is not None:
            lifted.append(key)
            trace.append(TraceStep(
                "exemption.lifted", f"不予公开情形“{ex.label}”因 {override} 而不再适用"
                f"（{'；'.join(str(c) for c in ex.cites)}）",
                f"exemption {key} is lifted by {override}"))
        else:
            remaining.append(key)
    facts["exemption_grounds"] = remaining
    rule = backend.first_match(book.decisions, facts)
    if rule is None:
        trace.append(TraceStep("decision.none", "没有决定规则适用", "no decision rule applies"))
        return None
    reply = book.replies[rule.reply]
    grounds = [k for k in (rule.grounds or tuple(remaining)) if k in book.exemptions]
    trace.append(TraceStep(
        "decision", f"规则 {rule.id}（{rule.book}）适用：{reply.label}（{'；'.join(rule.sources)}）",
        f"rule {rule.id} ({rule.book}) fired: {reply.label_en or reply.label}"))
    contents = list(reply.contents)
    if reply.remedies:
        contents.append(_REMEDY + f"（{_OGI}第五十一条）")
    return ReplyDecision(
        type=reply.key, label=reply.label, label_en=reply.label_en, notice=reply.notice,
        contents=tuple(contents), remedies=reply.remedies,
        grounds=tuple({"key": k, "label": book.exemptions[k].label,
                       "strength": book.exemptions[k].strength,
                       "sources": list(book.exemptions[k].sources)} for k in grounds),
        rule=rule.id, rule_book=rule.book, sources=rule.sources)


def _optional(book: Rulebook, key: str, start: date, calendar: OfficialCalendar | None,
              policy: ReceiptPolicy, trace: list[TraceStep]) -> Deadline | None:
    """A limit's deadline, or None (with a trace step) when the book has no value in force.

    E.g. the 7-working-day 补正 notice exists only from 2019-05-15 (条例 2019 第三十条).
    """
    if key not in book.limits:
        return None
    try:
        return limit_deadline(book, key, start, calendar=calendar, policy=policy)
    except LimitNotInForceError:
        trace.append(TraceStep("limit.not_in_force", f"{key} 在 {start} 无有效规定，未计算",
                               f"{key} has no value in force on {start}; not computed"))
        return None


def _other_request_limits(book: Rulebook, receipt: date, handled: frozenset[str],
                          calendar: OfficialCalendar | None, facts: Mapping[str, Any],
                          deadlines: dict[str, Deadline], policy: ReceiptPolicy) -> None:
    """Local request.* limits counted from receipt that the core logic does not handle."""
    for key in book.request_limits:
        limit = book.limits[key]
        if key in handled:
            continue
        if limit.applies_when is not None and not limit.applies_when.holds(facts):
            continue
        try:
            resolved = book.limit(key, receipt)
        except LimitNotInForceError:
            continue
        if resolved.from_event not in ("request.received", "request.registered"):
            continue
        deadlines[key] = limit_deadline(book, key, receipt, calendar=calendar, policy=policy)


def evaluate_request(
    book: Rulebook | str,
    request: Request | Mapping[str, Any],
    *,
    as_of: date,
    calendar: OfficialCalendar | None = None,
    backend: DecisionBackend | None = None,
    include_steps: bool = True,
) -> RequestOutcome:
    """Evaluate ``request`` under ``book`` as things stand on ``as_of``.

    ``book`` may be a bundled rulebook id and ``request`` a plain mapping in the form of
    ``schemas/request.schema.json``; both are then loaded and validated first.

    ``include_steps=False`` leaves out the workflow (ledger audits do not report it).

    Raises:
        RequestError: the request cannot be evaluated (no receipt date, ``as_of``
            before receipt).
        CalendarCoverageError: a deadline leaves the calendar's coverage.
    """
    if isinstance(book, str):
        book = load_rulebook(book)
    if not isinstance(request, Request):
        request = parse_request(request, book)
    decider = backend or PythonBackend()
    # Resolved once here, not per deadline: official_calendar() reads the environment.
    calendar = calendar if calendar is not None else official_calendar()
    policy = receipt_policy(book)
    trace: list[TraceStep] = []
    notes: list[str] = []
    receipt = _receipt(book, request, trace)
    if as_of < receipt:
        raise RequestError([Problem("as_of.before_receipt",
                                    f"评估日期 {as_of} 早于收到申请之日 {receipt}",
                                    f"as_of {as_of} is before the receipt date {receipt}")])
    ordered = sorted(request.events, key=lambda e: (e.on, e.index))
    events = [e for e in ordered if e.on <= as_of]
    for e in ordered:
        if e.on > as_of:
            trace.append(TraceStep("event.future", f"{e.type}（{e.on}）晚于评估日期，未计入",
                                   f"{e.type} on {e.on} is after as_of and was not taken into "
                                   "account"))
    violations: list[Violation] = []
    _check_order(events, receipt, violations)
    deadlines: dict[str, Deadline] = {}

    # 补正：一次性告知，期限自收到申请之日起算（条例 第三十条）
    requested = [e for e in events if e.type == "supplement_requested"]
    notice = _optional(book, "request.supplement_notice", receipt, calendar, policy, trace)
    if notice is not None:
        deadlines["request.supplement_notice"] = notice
        if requested and notice.due is not None and requested[0].on > notice.due:
            violations.append(_violation(
                "supplement.late", f"补正告知于 {requested[0].on} 发出，晚于期限 {notice.due}",
                f"the supplement notice went out on {requested[0].on}, after its deadline "
                f"{notice.due}", "；".join(str(c) for c in notice.sources)))
    if len(requested) > 1:
        violations.append(_violation(
            "supplement.not_one_time", "补正应当一次性告知，记录显示多次告知",
            "a supplement must be requested once, all at once; the record shows several",
            f"{_OGI}第三十条"))
    restart = None
    if requested:
        received = [e for e in events if e.type == "supplement_received"
                    and e.on >= requested[0].on]
        if received:
            restart = received[0].on

    pauses = _pauses(book, events)
    extension = None
    approvals = [e for e in events if e.type == "extension_approved"]
    if approvals and "request.extension" in book.limits:
        try:
            maximum = book.limit("request.extension", receipt)
        except LimitNotInForceError as exc:
            raise RequestError([Problem(
                "extension.no_rule", f"{receipt} 无有效的延期规定", str(exc), None, None, None,
                ("events",))]) from exc
        amount = approvals[0].amount or int(maximum.amount)
        if amount > maximum.amount:
            violations.append(_violation(
                "extension.too_long", f"延期 {amount} 个工作日，超过最长 {maximum.amount} 个工作日",
                f"an extension of {amount} exceeds the maximum of {maximum.amount}; the maximum "
                "is applied", "；".join(str(c) for c in maximum.cites)))
            amount = int(maximum.amount)
        extension = Extension(amount, approvals[0].on)
        if len(approvals) > 1:
            violations.append(_violation(
                "extension.repeated", "记录显示多次延期，仅第一次延期计入",
                "several extensions recorded; only the first is applied", f"{_OGI}第三十三条第二款"))

    reply_deadline = limit_deadline(book, "request.reply", receipt, pauses=pauses,
                                    restart=restart, extension=extension, calendar=calendar, policy=policy)
    deadlines["request.reply"] = reply_deadline
    violations.extend(reply_deadline.violations)
    for event_type, key in (("third_party_consulted", "request.third_party_opinion"),
                            ("agency_consulted", "request.interagency_opinion")):
        consulted = [e for e in events if e.type == event_type]
        for n, e in enumerate(consulted, 1):
            window = _optional(book, key, e.on, calendar, policy, trace)
            if window is not None:
                deadlines[key if n == 1 else f"{key}[{n}]"] = window

    facts: dict[str, Any] = {**_derived_facts(request, events), **request.facts}
    _other_request_limits(book, receipt, _HANDLED, calendar, facts, deadlines, policy)

    # 状态 / status
    due = reply_deadline.due
    cal_due = due.date() if isinstance(due, datetime) else due
    replies = [e for e in events if e.type == "replied"]
    cal = calendar
    if replies:
        replied_on = replies[0].on
        if cal_due is None or replied_on <= cal_due:
            status = Status("answered_on_time", as_of, cal_due, replied_on)
        else:
            late = cal.working_days_between(cal_due, replied_on)
            status = Status("answered_late", as_of, cal_due, replied_on, working_days_late=late)
            violations.append(_violation(
                "reply.late", f"于 {replied_on} 答复，晚于答复期限 {cal_due}（迟延 {late} 个工作日）",
                f"replied on {replied_on}, after the deadline {cal_due} ({late} working days "
                "late)", "；".join(str(c) for c in reply_deadline.sources)))
        for extra in replies[1:]:
            notes.append(f"further reply recorded on {extra.on}")
    elif cal_due is None:
        status = Status("open", as_of, None)
    elif as_of > cal_due:
        late = cal.working_days_between(cal_due, as_of)
        status = Status("overdue", as_of, cal_due, working_days_late=late)
        violations.append(_violation(
            "reply.overdue", f"截至 {as_of} 仍未答复，已超过答复期限 {cal_due}",
            f"no reply by {as_of}; the deadline was {cal_due}",
            "；".join(str(c) for c in reply_deadline.sources)))
    else:
        status = Status("open", as_of, cal_due,
                        working_days_left=cal.working_days_between(as_of, cal_due))

    _third_party_consent(book, facts, events, deadlines, as_of, trace)
    reply = None
    if request.facts:
        reply = _decide(book, facts, decider, trace)
        given = next((e.reply for e in replies if e.reply), None)
        if reply is not None and given is not None and given != reply.type:
            violations.append(_violation(
                "reply.type_mismatch", f"实际答复类型 {given} 与规则要求的 {reply.type} 不符",
                f"the reply given ({given}) is not the one the rules prescribe ({reply.type})",
                "；".join(reply.sources)))
    else:
        trace.append(TraceStep("decision.pending", "尚未记录审查认定的事实，暂不能确定答复类型",
                               "no findings recorded yet: the reply type cannot be chosen"))
    steps = walk(book, "request", facts, deadlines) if include_steps else ()
    return RequestOutcome(book.id, request.id, as_of, receipt, deadlines, status,
                          tuple(violations), reply, steps, tuple(trace), decider.name,
                          tuple(notes))
