"""The reply a request gets: a third party's silence read under the policy in force, exemptions
lifted by their overrides, the first decision rule in force that fires, and the reply's
contents with the remedies sentence in force (``remedies`` in the book)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..messages import TraceStep
from ..rulebook.conditions import fact_names
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.model import Relation
from ..rulebook.vocabulary import ExemptionOverride, PauseKind, ThirdPartySilence
from .backends import PythonBackend
from .request_events import RECORDED_FACTS
from .tables import Memo, change_days

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..periods.counting import Deadline
    from ..rulebook.model import DecisionRule, Limit, Rulebook
    from .backends import DecisionBackend
    from .request_model import RequestEvent

__all__ = ["CONSULTATION_TYPES", "SET_BEFORE_DECIDING", "DecideTable", "ReplyDecision",
           "consultation_consent", "decide", "decide_table"]

#: A rule that would have fired, set aside for higher law: (rule, the rule applied instead,
#: pre-empted by a mandatory national outcome rather than classed a conflict).
SetAside = tuple["DecisionRule", "DecisionRule | None", bool]
#: The rule chosen (None: no rule fires) and the rules set aside on the way, in order.
Choice = tuple["DecisionRule | None", tuple[SetAside, ...]]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ReplyDecision(FieldRepr):
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


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _Consultation(FieldRepr):
    """A kind of consultation whose answer is a consent fact, and the policy reading silence."""

    fact: str
    policy: str
    who_zh: str
    who_en: str
    code: str
    consulted: frozenset[str]
    answered: frozenset[str]


def _of(kind: PauseKind) -> tuple[frozenset[str], frozenset[str]]:
    consulted = frozenset(t for t, r in REQUEST_EVENTS.items() if r.pause is kind)
    return consulted, frozenset(t for t, r in REQUEST_EVENTS.items() if r.closes in consulted)


#: 第三十二条 (third party: the policy third_party_silence) and 第三十四条 (a co-producing
#: agency: interagency_silence); the silence each policy reads is dated rulebook data.
_CONSULTATIONS = (
    _Consultation("third_party_consent", "third_party_silence", "第三方", "the third party",
                  "third_party.silence", *_of(PauseKind.THIRD_PARTY)),
    _Consultation("interagency_consent", "interagency_silence", "被征求意见的行政机关",
                  "the consulted agency", "interagency.silence", *_of(PauseKind.INTERAGENCY)),
)


#: Each event type of a consultation (asked or answered) -> (its kind's place in
#: :data:`_CONSULTATIONS`, whether it answers).  (A plain dict, private: a read-only view's
#: ``get`` costs a call more.)
_CONSULTATION_OF: dict[str, tuple[int, bool]] = {
    **{t: (i, False) for i, k in enumerate(_CONSULTATIONS) for t in k.consulted},
    **{t: (i, True) for i, k in enumerate(_CONSULTATIONS) for t in k.answered}}
#: The event types of any kind of consultation (asked or answered).
CONSULTATION_TYPES = frozenset(_CONSULTATION_OF)


def consultation_consent(book: Rulebook, facts: dict[str, Any], events: list[RequestEvent],
                         windows: Mapping[str, Limit | None], deadlines: Mapping[str, Deadline],
                         on: date, as_of: date, trace: list[TraceStep]) -> None:
    """Fill each consent fact (``third_party_consent``, ``interagency_consent``) from an answer,
    or from silence under the policy in force on ``on`` (the receipt date) once the
    consultation's window (``windows``: its limit by fact; its deadline among ``deadlines``)
    has run out by ``as_of``.  (Events of no consultation change nothing: the caller,
    evaluate_request, passes over a record with none of :data:`CONSULTATION_TYPES`.)"""
    # One pass over the events: per kind of consultation met, [asked, answered, the last
    # consent an answer gave (None: none gave one)].
    found: dict[int, list[Any]] = {}
    for e in events:
        place = _CONSULTATION_OF.get(e.type)
        if place is None:
            continue
        seen = found.get(place[0])
        if seen is None:
            seen = found[place[0]] = [False, False, None]
        if not place[1]:
            seen[0] = True
            continue
        seen[1] = True
        if e.consent is not None:
            seen[2] = e.consent
    for i in sorted(found) if len(found) > 1 else found:
        kind = _CONSULTATIONS[i]
        if kind.fact in facts:
            continue  # given: nothing to read
        asked, answered, consent = found[i]
        if consent is not None:
            facts[kind.fact] = consent
            continue
        if not asked or answered:
            continue  # silence is read only of a consultation asked and never answered
        limit = windows.get(kind.fact)
        window = deadlines.get(limit.id) if limit is not None else None
        if window is not None and window.due is not None and as_of > window.due:
            _silence(book, kind, facts, on, trace)


def _silence(book: Rulebook, kind: _Consultation, facts: dict[str, Any], on: date,
             trace: list[TraceStep]) -> None:
    applied, relation, set_aside = book.policy(kind.policy, on)
    if applied is None:
        return
    reading = ThirdPartySilence(applied.value)  # the widest vocabulary of silence readings
    cite = "；".join(str(c) for c in applied.cites)
    if relation is Relation.CONFLICT and set_aside is not None:
        local = "；".join(str(c) for c in set_aside.cites)
        trace.append(TraceStep(
            "higher_law", f"本地规定{kind.who_zh}逾期未答复视为 {set_aside.value}（{local}），与上位法"
            f"（{cite}）抵触，依上位法优于下位法原则适用国家规定：{reading.zh}",
            f"the local rule reads a silent {kind.who_en.removeprefix('the ')} as "
            f"{set_aside.value} ({local}); it conflicts with higher law ({cite}), so the "
            f"national rule applies: {reading.en}", "上位法优于下位法"))
    if reading is ThirdPartySilence.DEEMED_CONSENT:
        facts[kind.fact] = True
    elif reading is ThirdPartySilence.DEEMED_REFUSAL:
        facts[kind.fact] = False
    trace.append(TraceStep(
        kind.code, f"{kind.who_zh}逾期未提出意见：{applied.value}（{cite}）",
        f"{kind.who_en} did not answer in time: {applied.value} ({cite})"))


def _precedence(book: Rulebook, facts: dict[str, Any], backend: DecisionBackend, on: date,
                trace: list[TraceStep]) -> DecisionRule | None:
    """The decision rule that governs ``facts``, higher law first; each rule set aside on the
    way is reported in ``trace``."""
    rules = book.decisions_on(on)
    root = book.root
    national_rules = root.decisions_on(on) if root is not book else ()
    chosen, set_aside = _choose(book, rules, national_rules, facts, backend)
    for local, applied, pre_empted in set_aside:
        _set_aside(book, local, applied, on, trace, pre_empted=pre_empted)
    return chosen


def _choose(book: Rulebook, rules: tuple[DecisionRule, ...],
            national_rules: tuple[DecisionRule, ...], facts: dict[str, Any],
            backend: DecisionBackend) -> Choice:
    """The decision rule among ``rules`` that governs ``facts``, and the rules set aside.

    The national rules (``national_rules``, empty for the national book) are matched alone
    first: when the national rule that fires is ``mandatory`` (an outcome the regulation
    prescribes, e.g. arts. 14, 35, 36, 38-39), no local rule can pre-empt it.  Otherwise the
    first rule, a child's before its parent's, fires among those not classed ``conflict``
    (rule or reply); a conflicting local rule that would have fired is set aside.
    """
    root_id = book.root.id
    national = backend.first_match(national_rules, facts) if national_rules else None
    if national is not None and national.mandatory:
        # the first rule giving the national outcome, in a local form where the book has one
        same = tuple(r for r in rules if not r.conflict and national.reply in
                     (r.reply, getattr(book.replies.get(r.reply), "implements", None)))
        chosen = backend.first_match(same, facts) or national
        local = backend.first_match(rules, facts)
        if local is not None and local is not chosen and local.book != root_id:
            return chosen, ((local, chosen, True),)
        return chosen, ()

    def applicable(rule: DecisionRule) -> bool:
        reply = book.replies.get(rule.reply)
        return not rule.conflict and not (reply is not None and reply.conflict)

    first = backend.first_match(rules, facts)
    if first is not None and not applicable(first):
        fallback = backend.first_match(tuple(r for r in rules if applicable(r)), facts)
        return fallback, ((first, fallback, False),)
    return first, ()


def _set_aside(book: Rulebook, local: DecisionRule, applied: DecisionRule | None, on: date,
               trace: list[TraceStep], *, pre_empted: bool = False) -> None:
    """Report a local rule set aside by higher law in favour of ``applied``: classed as a
    conflict, or ``pre_empted`` by a mandatory national outcome."""
    reply = book.reply(local.reply, on)
    label = reply.label if reply is not None else local.reply
    cite = "；".join(local.sources)
    if applied is None:
        zh_to, en_to = "", ""
    else:
        zh_to = f"，适用规则 {applied.id}（{'；'.join(applied.sources)}）"
        en_to = f"; rule {applied.id} ({applied.book}) applies"
    why_zh = "不得排除上位法规定的强制结果" if pre_empted else "与上位法抵触"
    why_en = ("cannot pre-empt an outcome higher law prescribes" if pre_empted
              else "conflicts with higher law")
    trace.append(TraceStep(
        "higher_law", f"本地规则 {local.id}（{cite}）答复“{label}”{why_zh}，依上位法优于下位法原则"
        f"不予适用{zh_to}",
        f"local rule {local.id} ({local.book}) {why_en} and is not applied{en_to}",
        "上位法优于下位法"))


def _decide_facts(book: Rulebook) -> tuple[str, ...]:
    """Every fact :func:`decide` reads: those of the decision rules of the book and of its
    root, the exemption grounds, and the facts of every override that can lift one (a closed
    vocabulary)."""
    names = {"exemption_grounds", *(o.fact for o in ExemptionOverride)}
    for rule in (*book.decisions, *book.root.decisions):
        fact_names(rule.when, names)
    return tuple(sorted(names))


#: What :func:`decide` reads from a book alone (:func:`decide_table`): the facts it reads,
#: the places among them of the lists the book declares, the days its rules change, its memo,
#: and the facts it reads that a request's record or its consultations can give
#: (:data:`SET_BEFORE_DECIDING`).
DecideTable = tuple[tuple[str, ...], tuple[int, ...], tuple["date", ...], Memo, tuple[str, ...]]

#: The facts an evaluation sets before it decides, other than the request's own: each event's
#: fact, the channel and the applicant's type (engine/request_events.py), and each
#: consultation's consent (:func:`consultation_consent`).
SET_BEFORE_DECIDING = frozenset({*RECORDED_FACTS, *(k.fact for k in _CONSULTATIONS)})


def decide_table(book: Rulebook) -> DecideTable:
    """The book's :func:`decide` table (built on first use, kept as long as the book)."""
    return book.derived("engine.decide", _decide_table)


def _decide_table(book: Rulebook) -> DecideTable:
    names = _decide_facts(book)
    lists = tuple(i for i, name in enumerate(names)
                  if (fact := book.facts.get(name)) is not None and fact.type == "list")
    return (names, lists, change_days(book), Memo(),
            tuple(name for name in names if name in SET_BEFORE_DECIDING))


def decide(book: Rulebook, facts: dict[str, Any], backend: DecisionBackend, on: date,
           trace: list[TraceStep], tables: DecideTable | None = None,
           given: Mapping[str, Any] | None = None) -> ReplyDecision | None:
    """The reply for ``facts`` under the rules in force on ``on`` (the receipt date).

    With the reference backend the answer — the decision, the trace steps on the way and the
    grounds left standing — depends only on the rules in force (the regime of ``on``) and the
    facts read; it is memoised per book by them (engine/tables.py).  The key holds each
    value and its type (``1``, ``1.0`` and ``True`` are equal keys but not the same to every
    operator), a list as a tuple; any other value that cannot be a key (a mapping: a request
    built in code, not parsed) makes the look-up fail, and the decision is computed, not
    remembered.  ``tables``: the book's :func:`decide_table`, when the caller has it at hand.

    ``given``: the request's own facts, when ``facts`` holds them merged over what the
    evaluation set before (:data:`SET_BEFORE_DECIDING`, nothing else).  The key is then made
    of them all (a request states few) and of the facts read that the evaluation can set,
    rather than of every fact read looked up in turn; a computed decision checks that no
    other fact read was set."""
    table = None
    key: tuple[Any, ...] | None = None
    if type(backend) is PythonBackend:
        names, lists, days, table, set_before = tables if tables is not None \
            else decide_table(book)
        if given is not None:
            stated = tuple(given.values())
            kinds = tuple(map(type, stated))
            if list in kinds:
                stated = tuple([tuple(v) if type(v) is list else v for v in stated])
            extra = tuple(map(facts.get, set_before))
            key = (bisect_right(days, on), tuple(given), kinds, stated,
                   tuple(map(type, extra)), extra)
        else:
            values: list[Any] = list(map(facts.get, names))
            types = tuple(map(type, values))
            for i in lists:
                if types[i] is list:
                    values[i] = tuple(values[i])
            key = (bisect_right(days, on), types, tuple(values))  # (the regime)
        try:
            hit = table[key]
        except TypeError:  # a value that cannot be a key: computed, not remembered
            hit = key = None
        if hit is not None:
            decision, steps, remaining = hit
            trace.extend(steps)
            facts["exemption_grounds"] = list(remaining)
            remembered: ReplyDecision | None = decision
            return remembered
        if given is not None:
            _only_given(names, set_before, facts, given)
    mark = len(trace)
    decision = _decide(book, facts, backend, on, trace)
    if table is not None and key is not None:
        table.remember(key, (decision, tuple(trace[mark:]), tuple(facts["exemption_grounds"])))
    return decision


def _only_given(names: tuple[str, ...], set_before: tuple[str, ...], facts: Mapping[str, Any],
                given: Mapping[str, Any]) -> None:
    """That each fact :func:`decide` reads is, unless the evaluation may set it, the request's
    own (the same value, of the same type) or absent: the memo key made of ``given`` covers it.
    Otherwise something other than the request set it before deciding — a programming error:
    the memo could answer for other facts.  (Checked when a decision is computed; a decision
    found in the memo was checked when it was computed for the same key.)"""
    for name in names:
        if name in set_before:
            continue
        if name not in given:
            if name in facts:
                break
            continue
        ours, stated = facts.get(name), given[name]
        if ours is not stated and (type(ours) is not type(stated) or ours != stated):
            break
    else:
        return
    raise AssertionError(f"decide: fact {name!r} differs from the request's own facts: "
                         "something else set it before deciding (SET_BEFORE_DECIDING)")


def _decide(book: Rulebook, facts: dict[str, Any], backend: DecisionBackend, on: date,
            trace: list[TraceStep]) -> ReplyDecision | None:
    remaining = []
    for key in list(facts.get("exemption_grounds") or []):
        ex = book.exemptions[key]
        # A local restatement cannot drop an override the national ground grants (higher
        # law: e.g. the public-interest override of the third-party ground, art. 15).
        national = book.root.exemptions.get(ex.restates or key)
        overrides = (*ex.overrides, *(o for o in (national.overrides if national else ())
                                      if o not in ex.overrides))
        override = next((o for o in overrides
                         if facts.get(ExemptionOverride(o).fact) is True), None)
        if override is not None:
            trace.append(TraceStep(
                "exemption.lifted", f"不予公开情形“{ex.label}”因 {override} 而不再适用"
                f"（{'；'.join(str(c) for c in ex.cites)}）",
                f"exemption {key} is lifted by {override}"))
        else:
            remaining.append(key)
    facts["exemption_grounds"] = remaining
    rule = _precedence(book, facts, backend, on, trace)
    reply = book.reply(rule.reply, on) if rule is not None else None
    if rule is None or reply is None:
        trace.append(TraceStep("decision.none", "没有决定规则适用", "no decision rule applies"))
        return None
    grounds = [k for k in (rule.grounds or tuple(remaining)) if k in book.exemptions]
    trace.append(TraceStep(
        "decision", f"规则 {rule.id}（{rule.book}）适用：{reply.label}（{'；'.join(rule.sources)}）",
        f"rule {rule.id} ({rule.book}) fired: {reply.label_en or reply.label}"))
    for key in reply.conflicts:
        provision = book.provisions.get(key)
        if provision is not None:
            cite = "；".join(str(c) for c in provision.cites)
            trace.append(TraceStep(
                "higher_law", f"本地答复所载“{provision.label}”（{cite}）与上位法抵触，不予适用，"
                "不列入答复内容", f"the local form's {key} ({provision.label_en or cite}) "
                "conflicts with higher law: reported, not prescribed", "上位法优于下位法"))
    contents = list(reply.contents)
    if reply.remedies:
        remedy = book.remedy(on)
        if remedy is not None:
            contents.append(f"{remedy.text}（{remedy.basis.text}）")
    return ReplyDecision(
        type=reply.key, label=reply.label, label_en=reply.label_en, notice=reply.notice,
        contents=tuple(contents), remedies=reply.remedies,
        grounds=tuple({"key": k, "label": book.exemptions[k].label,
                       "strength": book.exemptions[k].strength,
                       "sources": list(book.exemptions[k].sources)} for k in grounds),
        rule=rule.id, rule_book=rule.book, sources=rule.sources)
