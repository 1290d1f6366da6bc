"""Plan a proactively published item (主动公开): review stages, deadlines, chains, filings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._dates import located_date
from ..errors import LimitNotInForceError, Problem, RequestError
from ..messages import TraceStep, Violation
from .limits import limit_deadline
from .request_input import checked_input
from .workflow import StepOutcome, walk

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .._yaml import YamlDocument
    from ..periods.calendar import OfficialCalendar
    from ..periods.counting import Deadline
    from ..rulebook.model import Rulebook

__all__ = ["Item", "ItemOutcome", "evaluate_item", "parse_item"]

_DATE_FIELDS = ("formed_on", "changed_on", "issued_on", "decision_on", "reported_on",
                "review_submitted_on", "published_on", "interpretation_published_on")
#: rulebook event -> item date fields that record it, most specific first.
EVENT_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "item.formed": ("changed_on", "formed_on"),  # 形成或者变更之日: a change restarts the period
    "item.published": ("published_on",),
    "item.issued": ("issued_on",),
    "decision.made": ("decision_on",),
    "item.received_by_office": ("reported_on",),
    "review.submitted": ("review_submitted_on",),
})
#: event -> the limit whose due date is the latest lawful date of that event, used when
#: the event has not happened yet (宽城: the office receives the item at the latest when
#: the 15-day reporting period ends; an interpretation follows publication).
PROJECTED_BY: Mapping[str, str] = MappingProxyType({
    "item.received_by_office": "item.report_to_office",
    "item.published": "item.publish",
})
_VOCABULARY = {"genre": "genres", "carrier": "carriers", "domain": "domains"}
_OGI = "政府信息公开条例（2019）"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    attribute: str
    genre: str | None
    carrier: str | None
    domain: str | None
    non_disclosure_reason: str | None
    dates: Mapping[str, date]
    flags: Mapping[str, bool]

    def facts(self) -> dict[str, Any]:
        """The item as facts for rulebook conditions."""
        out: dict[str, Any] = {"attribute": self.attribute, **self.flags}
        for key in ("genre", "carrier", "domain", "non_disclosure_reason"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


def parse_item(data: Any, book: Rulebook, *, doc: YamlDocument | None = None) -> Item:
    """Validate an item against ``schemas/item.schema.json`` and the book's vocabulary.

    Raises:
        RequestError: with every problem found, located where ``doc`` allows.
    """
    doc = checked_input(data, "item", doc)
    problems: list[Problem] = []
    dates: dict[str, date] = {}
    for key in _DATE_FIELDS:
        day = located_date(doc, (key,), data.get(key), problems)
        if day is not None:
            dates[key] = day
    for key, category in _VOCABULARY.items():
        known = book.item_vocabulary.get(category)
        if key in data and known and data[key] not in known:
            problems.append(doc.problem(
                (key,), "item.vocabulary", f"{data[key]!r} 不在规则集 {book.id} 的{category}之列"
                f"（可选：{', '.join(known)}）", f"{data[key]!r} is not one of {book.id}'s "
                f"{category}: {', '.join(known)}"))
    if problems:
        raise RequestError(problems)
    return Item(data["id"], data["title"], data["attribute"], data.get("genre"),
                data.get("carrier"), data.get("domain"), data.get("non_disclosure_reason"),
                MappingProxyType(dates), MappingProxyType(dict(data.get("flags", {}))))


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    rulebook: str
    item_id: str
    as_of: date | None
    deadlines: Mapping[str, Deadline]
    review: tuple[StepOutcome, ...]
    filings: tuple[dict[str, Any], ...]
    requirements: tuple[dict[str, Any], ...]
    violations: tuple[Violation, ...]
    trace: tuple[TraceStep, ...]

    @property
    def provisional(self) -> bool:
        return any(d.provisional for d in self.deadlines.values())

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON (schemas/outcome.schema.json, kind ``item``)."""
        return {
            "kind": "item", "rulebook": self.rulebook, "id": self.item_id,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "provisional": self.provisional,
            "deadlines": {k: d.to_json() for k, d in self.deadlines.items()},
            "review": [s.to_json() for s in self.review],
            "filings": list(self.filings), "requirements": list(self.requirements),
            "violations": [v.to_json() for v in self.violations],
            "trace": [t.to_json() for t in self.trace],
        }


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def evaluate_item(book: Rulebook | str, item: Item | Mapping[str, Any], *,
                  as_of: date | None = None,
                  calendar: OfficialCalendar | None = None) -> ItemOutcome:
    """Plan ``item`` under ``book``; with ``as_of``, also judge what is overdue by then.

    ``book`` may be a bundled rulebook id and ``item`` a plain mapping in the form of
    ``schemas/item.schema.json``; both are then loaded and validated first.
    """
    if isinstance(book, str):
        from ..rulebook.loading import load_rulebook

        book = load_rulebook(book)
    if not isinstance(item, Item):
        item = parse_item(item, book)
    if calendar is None:  # resolved once, not per deadline (it reads the environment)
        from ..periods.calendar import official_calendar

        calendar = official_calendar()
    facts = item.facts()
    trace: list[TraceStep] = []
    deadlines: dict[str, Deadline] = {}
    known_events = {event: item.dates[f] for event, fields in EVENT_FIELDS.items()
                    for f in reversed(fields) if f in item.dates}
    pending = sorted(k for k in book.limits if k.startswith(("item.", "review.")))
    # Limits counting from a projected event need the producing limit first: iterate to a
    # fixed point (chains are short: 宽城 15 + 5).
    for _ in range(3):
        for key in list(pending):
            limit = book.limits[key]
            if limit.extension_of:
                pending.remove(key)
                continue
            if limit.applies_when is not None and not limit.applies_when.holds(facts):
                pending.remove(key)
                continue
            anchor = next(iter(known_events.values()), None)
            try:
                resolved = book.limit(key, anchor or date(2019, 5, 15))
            except LimitNotInForceError:
                pending.remove(key)
                continue
            event = resolved.from_event or ""
            start = known_events.get(event)
            projected = False
            if start is None and event in PROJECTED_BY and PROJECTED_BY[event] in deadlines:
                start = _day(deadlines[PROJECTED_BY[event]].due)
                projected = start is not None
            if start is None:
                continue
            deadline = limit_deadline(book, key, start, calendar=calendar)
            if projected:
                label = book.events[event].label if event in book.events else event
                deadline = _with_step(deadline, TraceStep(
                    "projected", f"{label}尚未发生，按最迟日期 {start}（{PROJECTED_BY[event]} 届满日）推算",
                    f"{event} has not happened yet; counted from its latest lawful date {start} "
                    f"(due date of {PROJECTED_BY[event]})"))
            deadlines[key] = deadline
            pending.remove(key)
    for key in pending:
        limit = book.limits[key]
        if limit.extension_of or (limit.applies_when and not limit.applies_when.holds(facts)):
            continue
        trace.append(TraceStep("limit.not_started", f"{key}：起算事件尚未记录，未计算",
                               f"{key}: its starting event is not recorded; not computed"))

    violations: list[Violation] = []
    if item.attribute in ("not_disclosed", "partial") and not item.non_disclosure_reason:
        violations.append(Violation(
            "item.no_reason", "不予公开（或部分公开）未说明理由",
            "not (fully) disclosed without a stated reason", f"{_OGI}第五条、第十三条"))
    published = item.dates.get("published_on")
    publish_key = next((k for k in ("item.publish_licensing_penalty", "item.publish")
                        if k in deadlines), None)
    if publish_key is not None:
        due = _day(deadlines[publish_key].due)
        if due is not None and published is not None and published > due:
            violations.append(Violation(
                "item.published_late", f"{published} 公开，晚于期限 {due}",
                f"published on {published}, after the deadline {due}",
                "；".join(str(c) for c in deadlines[publish_key].sources)))
        elif due is not None and published is None and as_of is not None and as_of > due:
            violations.append(Violation(
                "item.publish_overdue", f"截至 {as_of} 尚未公开，已超过期限 {due}",
                f"not published by {as_of}; the deadline was {due}",
                "；".join(str(c) for c in deadlines[publish_key].sources)))
    if "item.interpretation" in deadlines:
        due = _day(deadlines["item.interpretation"].due)
        done = item.dates.get("interpretation_published_on")
        src = "；".join(str(c) for c in deadlines["item.interpretation"].sources)
        if due is not None and done is not None and done > due:
            violations.append(Violation("item.interpretation_late",
                                        f"政策解读于 {done} 发布，晚于期限 {due}",
                                        f"interpretation published on {done}, after {due}", src))
        elif due is not None and done is None and as_of is not None and as_of > due:
            violations.append(Violation("item.interpretation_missing",
                                        f"政策文件截至 {as_of} 未发布解读（期限 {due}）",
                                        f"policy document without an interpretation by {as_of} "
                                        f"(due {due})", src))

    filings = []
    if item.attribute == "not_disclosed":
        formed = known_events.get("item.formed")
        for key, obligation in sorted(book.obligations.items()):
            if not key.startswith("filing.") or formed is None:
                continue
            value = obligation.value_on(formed)
            if value is None or value.schedule is None:
                continue
            dates = [d for y in (formed.year, formed.year + 1)
                     for d in value.schedule.due_dates(y) if d >= formed]
            filings.append({"id": key, "label": obligation.label,
                            "due": min(dates).isoformat() if dates else None,
                            "sources": [str(c) for c in value.cites]})
    requirements = []
    for key, provision in sorted(book.provisions.items()):
        if provision.applies_when is not None and provision.applies_when.holds(facts):
            requirements.append({"id": key, "label": provision.label,
                                 "relation": provision.relation,
                                 "sources": [str(c) for c in provision.cites]})
    review = walk(book, "item", facts, deadlines)
    return ItemOutcome(book.id, item.id, as_of, deadlines, review, tuple(filings),
                       tuple(requirements), tuple(violations), tuple(trace))


def _with_step(deadline: Deadline, step: TraceStep) -> Deadline:
    from dataclasses import replace

    return replace(deadline, head=(*deadline.head, step))
