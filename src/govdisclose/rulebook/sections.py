"""One builder per rulebook section: check a section's data and build its values.

Each function takes the :class:`~govdisclose.rulebook.builder.Builder` of the book (its
context of declared names, its problems) and the section's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..periods.counting import Unit
from .conditions import parse_condition
from .events import supplied_events
from .parts import (
    Basis,
    CountingRule,
    DecisionRule,
    DoneBy,
    EventDef,
    Exemption,
    FeeScale,
    FeeTier,
    Limit,
    LimitValue,
    Obligation,
    ObligationValue,
    PolicyValue,
    ReceiptRule,
    Remedy,
    ReplyType,
    Schedule,
)
from .vocabulary import POLICIES, CountingRuleKind, LimitAbout, values_of

if TYPE_CHECKING:
    from .builder import Builder, Path_

__all__ = ["basis", "counting", "dated_span", "decisions", "event", "exemption", "fee_scale", "limit",
           "obligation", "policy", "receipt_rules", "remedies", "reply"]


def event(b: Builder, key: str, data: dict[str, Any]) -> EventDef:
    path: Path_ = ("events", key)
    cites = b.cites((*path, "cite"), data["cite"]) if "cite" in data else ()
    otherwise = data.get("otherwise")
    if otherwise is not None and otherwise not in b.ctx.events:
        b.unknown((*path, "otherwise"), "起算事件", "event", otherwise, b.ctx.events, "events")
    return EventDef(key, data["label"], data.get("label_en"), data.get("description"), cites,
                    otherwise)


def _check_event_supplied(b: Builder, path: Path_, event_id: str, about: LimitAbout,
                          role_zh: str, role_en: str) -> None:
    """A limit about a request or an item must name events that evaluation records (or that
    fall back, through ``otherwise``, on one it records): never silently ignored."""
    supplied = supplied_events(about)
    if supplied is None or event_id not in b.ctx.events:
        return
    seen = {event_id}
    current: str | None = event_id
    while current is not None and current not in supplied:
        current = b.ctx.otherwise.get(current)
        if current in seen:
            break
        if current is not None:
            seen.add(current)
    if current is None or current not in supplied:
        known = ", ".join(sorted(supplied))
        b.fail(path, "limit.event_not_supplied",
               f"{role_zh} {event_id!r} 不是{about.zh}评估能够记录的事件（可用：{known}；"
               "或在 events 中为其写 otherwise）",
               f"{role_en} {event_id!r} is not an event {about.en} records (known: {known}; "
               "or give the event an `otherwise`)")


def limit(b: Builder, key: str, data: dict[str, Any]) -> Limit:
    path: Path_ = ("limits", key)
    b.role((*path, "actor"), data.get("actor"))
    about = LimitAbout(data["about"])
    if "extension_of" in data and data["extension_of"] not in b.ctx.limits:
        b.unknown((*path, "extension_of"), "时限", "limit", data["extension_of"],
                  b.ctx.limits, "limits")
    done_by = None
    if "done_by" in data:
        raw = data["done_by"]
        if isinstance(raw, str):  # shorthand: both cases judged, with generic codes
            done_by = DoneBy(raw, f"{key}.late", f"{key}.overdue")
        else:
            done_by = DoneBy(raw["event"], raw.get("late"), raw.get("overdue"))
        where: Path_ = (*path, "done_by") if isinstance(raw, str) else (*path, "done_by",
                                                                         "event")
        if done_by.event not in b.ctx.events:
            b.unknown(where, "事件", "event", done_by.event, b.ctx.events, "events")
        _check_event_supplied(b, where, done_by.event, about, "done_by", "done_by")
    elif b.parent is not None and key in b.parent.limits:
        # A child restating a limit keeps what discharges it (a reply is a reply everywhere).
        done_by = b.parent.limits[key].done_by
    spans = dated(b, (*path, "values"), data["values"])
    values = []
    for i, (v, (start, end)) in enumerate(zip(data["values"], spans, strict=True)):
        vpath = (*path, "values", i)
        repealed = bool(v.get("repealed", False))
        if not repealed:
            for needed in ("amount", "unit", "from"):
                if needed not in v:
                    b.fail(vpath, "limit.incomplete", f"缺少 {needed}（或写 repealed: true）",
                           f"missing {needed!r} (or set repealed: true)")
        from_event = v.get("from")
        if from_event is not None and from_event not in b.ctx.events:
            b.unknown((*vpath, "from"), "起算事件", "event", from_event, b.ctx.events, "events")
        elif from_event is not None:
            _check_event_supplied(b, (*vpath, "from"), from_event, about, "起算事件", "from event")
        unit = Unit(v["unit"]) if "unit" in v else None
        amount = v.get("amount")
        if unit in (Unit.WORKING_DAYS, Unit.CALENDAR_DAYS) and amount is not None \
                and int(amount) != amount:
            b.fail((*vpath, "amount"), "limit.fraction", "按日计算的期限必须为整数",
                   "a day period must be a whole number")
        if isinstance(amount, float) and amount.is_integer():
            amount = int(amount)
        values.append(LimitValue(
            valid_from=start, valid_until=end, amount=amount, unit=unit, from_event=from_event,
            up_to=bool(v.get("up_to", False)), repealed=repealed,
            cites=b.cites((*vpath, "cite"), v["cite"]), book=b.book_id))
    return Limit(key, data["label"], data.get("label_en"), data.get("actor"),
                 data.get("extension_of"), data.get("pause_window_for"), tuple(values),
                 b.book_id, b.condition((*path, "applies_when"), data), about, done_by)


def dated(b: Builder, path: Path_, values: list[dict[str, Any]]
          ) -> list[tuple[Any, Any]]:
    """Check effective dates: only the first may be open, sorted, no overlap."""
    spans: list[tuple[Any, Any]] = []
    for i, value in enumerate(values):
        start = b.date_of((*path, i, "valid_from"), value.get("valid_from"))
        end = b.date_of((*path, i, "valid_until"), value.get("valid_until"))
        if "valid_from" not in value and i > 0:
            b.fail((*path, i), "dates.open_start", "只有第一个取值可以省略 valid_from",
                   "only the first value may omit valid_from")
        if start and end and end < start:
            b.fail((*path, i, "valid_until"), "dates.reversed",
                   "valid_until 早于 valid_from", "valid_until is before valid_from")
        spans.append((start, end))
    for i in range(1, len(spans)):
        prev_start, prev_end = spans[i - 1]
        start, _ = spans[i]
        if start is None:
            continue
        if prev_start is not None and start <= prev_start:
            b.fail((*path, i, "valid_from"), "dates.order", "生效日期应按先后排列且不得重复",
                   "effective dates must be in increasing order, without repeats")
        elif prev_end is not None and prev_end >= start:
            b.fail((*path, i, "valid_from"), "dates.overlap",
                   f"与前一取值的有效期重叠（前一取值至 {prev_end} 止）",
                   f"overlaps the previous value, valid until {prev_end}")
    return spans


def obligation(b: Builder, key: str, data: dict[str, Any]) -> Obligation:
    path: Path_ = ("obligations", key)
    b.role((*path, "actor"), data.get("actor"))
    spans = dated(b, (*path, "values"), data["values"])
    values = []
    for i, (v, (start, end)) in enumerate(zip(data["values"], spans, strict=True)):
        vpath = (*path, "values", i)
        schedule = None
        if "schedule" in v:
            s = v["schedule"]
            dates = []
            for j, text in enumerate(s.get("dates", [])):
                month, day = (int(x) for x in text.split("-"))
                if not (1 <= month <= 12 and 1 <= day <= 31):
                    b.fail((*vpath, "schedule", "dates", j), "schedule.date",
                           f"{text} 不是有效的月-日", f"{text} is not a valid MM-DD")
                dates.append((month, day))
            if s["every"] == "year" and ("month" in s) != ("day" in s):
                b.fail((*vpath, "schedule"), "schedule.incomplete",
                       "month 和 day 须同时给出（无固定日期的年度义务两者都不写）",
                       "give both month and day (or neither, for a yearly duty with no fixed "
                       "date)")
            if s["every"] == "month" and "day" not in s:
                b.fail((*vpath, "schedule"), "schedule.incomplete", "每月一次的义务需要 day",
                       "a monthly duty needs day")
            schedule = Schedule(s["every"], s.get("month"), s.get("day"), tuple(dates),
                                s.get("covers"))
        elif not v.get("repealed"):
            b.fail(vpath, "obligation.incomplete", "缺少 schedule（或写 repealed: true）",
                   "missing schedule (or set repealed: true)")
        values.append(ObligationValue(
            valid_from=start, valid_until=end, schedule=schedule,
            repealed=bool(v.get("repealed", False)),
            cites=b.cites((*vpath, "cite"), v["cite"]), book=b.book_id))
    return Obligation(key, data["label"], data.get("label_en"), data.get("actor"),
                      tuple(values), b.book_id,
                      b.condition(("obligations", key, "applies_when"), data),
                      tuple(data.get("levels", ())))


def dated_span(b: Builder, path: Path_, data: dict[str, Any]) -> dict[str, Any]:
    """The optional ``valid_from``/``valid_until`` of a dated rule, checked."""
    start = b.date_of((*path, "valid_from"), data.get("valid_from"))
    end = b.date_of((*path, "valid_until"), data.get("valid_until"))
    if start and end and end < start:
        b.fail((*path, "valid_until"), "dates.reversed", "valid_until 早于 valid_from",
               "valid_until is before valid_from")
    return {"valid_from": start, "valid_until": end}


def policy(b: Builder, key: str, data: dict[str, Any]) -> PolicyValue:
    allowed = values_of(POLICIES[key])
    for i, value in enumerate([data["value"], *data.get("local_may_choose", [])]):
        if value not in allowed:
            where: Path_ = ("policies", key, "value") if i == 0 else (
                "policies", key, "local_may_choose", i - 1)
            b.fail(where, "policy.value",
                   f"{key} 的取值 {value!r} 无效；可用：{', '.join(sorted(allowed))}",
                   f"{value!r} is not a value of {key}; use one of {', '.join(sorted(allowed))}")
    return PolicyValue(**dated_span(b, ("policies", key), data), key=key, value=data["value"],
                       local_may_choose=tuple(data.get("local_may_choose", ())),
                       cites=b.cites(("policies", key, "cite"), data["cite"]), book=b.book_id)


def exemption(b: Builder, key: str, data: dict[str, Any]) -> Exemption:
    cites = b.cites(("exemptions", key, "cite"), data["cite"])
    return Exemption(key, data["label"], data.get("label_en"), data["strength"],
                     tuple(data.get("overrides", ())), cites, b.book_id,
                     tuple(c.text for c in cites), data.get("restates"))


def reply(b: Builder, key: str, data: dict[str, Any]) -> ReplyType:
    national = b.parent.root.replies if b.parent is not None else {}
    if "implements" in data and data["implements"] not in national:
        b.unknown(("replies", key, "implements"), "国家答复类型", "national reply type",
                  data["implements"], national, "replies")
    cites = b.cites(("replies", key, "cite"), data["cite"])
    notice = data.get("notice")
    if notice is not None and notice.strip("《》") not in "".join(c.quote or "" for c in cites):
        # a notice's name is the source's, or none: the regulation names no notices
        b.fail(("replies", key, "notice"), "reply.notice_unsourced",
               f"告知书名称 {notice} 未见于本答复所引原文（quote）；请引用载有该名称的条文，或删去 notice",
               f"the notice name {notice} is not in any quote this reply cites; cite the text "
               "that names it, or leave notice out")
    return ReplyType(**dated_span(b, ("replies", key), data), key=key, label=data["label"],
                     label_en=data.get("label_en"), notice=notice,
                     contents=tuple(data.get("contents", ())),
                     remedies=bool(data.get("remedies", False)),
                     cites=cites, book=b.book_id,
                     conflict=data.get("relation") == "conflict",
                     implements=data.get("implements"),
                     conflicts=tuple(data.get("conflicts", ())))


def decisions(b: Builder, items: list[dict[str, Any]]) -> tuple[DecisionRule, ...]:
    out = []
    seen: set[str] = set()
    for i, rule in enumerate(items):
        path: Path_ = ("decisions", i)
        if rule["id"] in seen:
            b.fail((*path, "id"), "decision.duplicate", f"规则编号 {rule['id']} 重复",
                   f"duplicate rule id {rule['id']!r}")
        seen.add(rule["id"])
        if rule.get("mandatory") and b.parent is not None:
            b.fail((*path, "mandatory"), "decision.mandatory_local",
                   "只有国家基线可以把决定规则标为上位法强制结果（mandatory）；"
                   "本地规则与上位法抵触的，用 relation 标注",
                   "only the national baseline marks a decision rule mandatory; class a local "
                   "rule with relation instead")
        if rule["reply"] not in b.ctx.replies:
            b.unknown((*path, "reply"), "答复类型", "reply type", rule["reply"], b.ctx.replies,
                      "replies")
        for j, ground in enumerate(rule.get("grounds", [])):
            if ground not in b.ctx.exemptions:
                b.unknown((*path, "grounds", j), "不予公开情形", "exemption ground", ground,
                          b.ctx.exemptions, "exemptions")
        when = parse_condition(rule["when"], b.ctx.facts, b.doc, (*path, "when"), b.problems)
        if when is None:
            continue
        cites = b.cites((*path, "cite"), rule["cite"])
        out.append(DecisionRule(**dated_span(b, path, rule), id=rule["id"], when=when,
                                reply=rule["reply"], grounds=tuple(rule.get("grounds", ())),
                                note=rule.get("note"), cites=cites, book=b.book_id,
                                sources=tuple(c.text for c in cites),
                                mandatory=bool(rule.get("mandatory", False)),
                                conflict=rule.get("relation") == "conflict"))
    return tuple(out)


def receipt_rules(b: Builder, items: list[dict[str, Any]]) -> tuple[ReceiptRule, ...]:
    return tuple(
        ReceiptRule(**dated_span(b, ("intake", "receipt_rules", i), r), channels=tuple(r["channels"]),
                    received_on=r["received_on"],
                    cites=b.cites(("intake", "receipt_rules", i, "cite"), r["cite"]),
                    book=b.book_id)
        for i, r in enumerate(items))


def fee_scale(b: Builder, key: str, data: dict[str, Any]) -> FeeScale:
    tiers = []
    expected = 1
    for i, t in enumerate(data["tiers"]):
        if t["from"] != expected:
            b.fail(("fees", key, "tiers", i, "from"), "fees.gap",
                   f"档位应从 {expected} 开始（档位须连续）",
                   f"tier must start at {expected} (tiers must be contiguous)")
        last = t["to"]
        if last is not None:
            expected = last + 1
        elif i != len(data["tiers"]) - 1:
            b.fail(("fees", key, "tiers", i, "to"), "fees.open", "只有最后一档可以不设上限",
                   "only the last tier may be open-ended")
        tiers.append(FeeTier(t["from"], last, t["price"], t.get("band"), t.get("increment")))
    return FeeScale(**dated_span(b, ("fees", key), data), key=key, label=data["label"],
                    tiers=tuple(tiers), cites=b.cites(("fees", key, "cite"), data["cite"]),
                    book=b.book_id)


def basis(b: Builder, path: Path_, data: dict[str, Any], start: Any, end: Any) -> Basis:
    """A dated basis: its citations, or only a review note where no source text is at hand."""
    cites = b.cites((*path, "cite"), data["cite"]) if "cite" in data else ()
    if not cites and not data.get("review"):
        b.fail(path, "basis.missing", "须给出 cite，或在原文不可得时给出 review 说明",
               "give a cite, or a review note where the source text is not available")
    return Basis(valid_from=start, valid_until=end, cites=cites, review=data.get("review"),
                 kinds=tuple(data.get("kinds", ())))


def counting(b: Builder, key: str, data: dict[str, Any]) -> CountingRule:
    path: Path_ = ("counting", key)
    spans = dated(b, (*path, "values"), data["values"])
    values = tuple(basis(b, (*path, "values", i), v, start, end)
                   for i, (v, (start, end)) in enumerate(zip(data["values"], spans,
                                                             strict=True)))
    return CountingRule(CountingRuleKind(key), data["label"], data.get("label_en"), values)


def remedies(b: Builder, items: list[dict[str, Any]]) -> tuple[Remedy, ...]:
    spans = dated(b, ("remedies",), items)
    return tuple(Remedy(valid_from=start, valid_until=end, text=r["text"],
                        basis=basis(b, ("remedies", i), r, start, end))
                 for i, (r, (start, end)) in enumerate(zip(items, spans, strict=True)))
