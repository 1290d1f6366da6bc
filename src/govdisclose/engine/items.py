"""Plan a proactively published item (主动公开): review stages, deadlines, chains, filings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._dates import located_date
from .._repr import FieldRepr
from ..errors import Problem, RequestError
from ..messages import TraceStep, Violation
from ..rulebook.events import ITEM_EVENTS
from ..rulebook.loading import load_rulebook
from ..rulebook.vocabulary import LimitAbout
from .categories import check_category
from .limits import limit_deadline
from .monitoring import judge
from .request_input import checked_input
from .starts import start_of
from .workflow import StepOutcome, walk

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .._yaml import YamlDocument
    from ..periods.calendar import OfficialCalendar
    from ..periods.counting import Deadline
    from ..rulebook.model import Rulebook

__all__ = ["Item", "ItemOutcome", "evaluate_item", "parse_item"]

_DATE_FIELDS = tuple(dict.fromkeys(f for fields in ITEM_EVENTS.values() for f in fields))
#: rulebook event -> item date fields that record it (kept for callers of earlier releases).
EVENT_FIELDS = ITEM_EVENTS
_VOCABULARY = {"genre": "genres", "carrier": "carriers", "domain": "domains",
               "non_disclosure_reason": "non_disclosure_reasons"}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Item(FieldRepr):
    id: str
    title: str
    attribute: str
    genre: str | None
    carrier: str | None
    domain: str | None
    non_disclosure_reason: str | None
    dates: Mapping[str, date]
    flags: Mapping[str, bool]
    #: the proactive-content category (a key of the book's proactive_categories)
    category: str | None = None
    #: the tier of the item's agency (条例 2019 第二十一条), an AgencyTier value
    agency_tier: str | None = None
    #: the row of section 二 of the annual report it counts in (``annual-report --items``)
    annual_report_row: str | None = None

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
    if "category" in data and data["category"] not in book.proactive_categories:
        problems.append(doc.problem(
            ("category",), "item.category", f"{data['category']!r} 不是规则集 {book.id} 的主动公开"
            "类别（proactive_categories）", f"{data['category']!r} is not one of {book.id}'s "
            f"proactive_categories: {', '.join(book.proactive_categories)}"))
    if problems:
        raise RequestError(problems)
    return Item(data["id"], data["title"], data["attribute"], data.get("genre"),
                data.get("carrier"), data.get("domain"), data.get("non_disclosure_reason"),
                MappingProxyType(dates), MappingProxyType(dict(data.get("flags", {}))),
                data.get("category"), data.get("agency_tier"), data.get("annual_report_row"))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ItemOutcome(FieldRepr):
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
        book = load_rulebook(book)  # one look-up after the first (RulebookLibrary)
    if not isinstance(item, Item):
        item = parse_item(item, book)
    if calendar is None:  # resolved once, not per deadline (it reads the environment)
        from ..periods.calendar import official_calendar

        calendar = official_calendar()
    facts = item.facts()
    trace: list[TraceStep] = []
    deadlines: dict[str, Deadline] = {}
    known_events = {event: item.dates[f] for event, fields in ITEM_EVENTS.items()
                    for f in reversed(fields) if f in item.dates}
    pending = sorted(k for k, lim in book.limits.items()
                     if lim.about in (LimitAbout.ITEM, LimitAbout.REVIEW)
                     and not lim.extension_of
                     and (lim.applies_when is None or lim.applies_when.holds(facts)))
    # An event not yet recorded is projected to its latest lawful day: the due date of the
    # limit it discharges (宽城: the office receives the item at the latest when the
    # 15-day reporting period ends; an interpretation follows publication).  Limits counting
    # from a projected event need that limit first: iterate to a fixed point (chains are
    # short: 宽城 15 + 5).
    for _ in range(3):
        for key in list(pending):
            limit = book.limits[key]
            dates = dict(known_events)
            projected: dict[str, str] = {}
            for value in limit.values:
                wanted = value.from_event or ""
                if wanted in dates:
                    continue
                producer = next((k for k, lim in book.limits.items() if k in deadlines
                                 and lim.done_by is not None and lim.done_by.event == wanted),
                                None)
                due = _day(deadlines[producer].due) if producer is not None else None
                if producer is not None and due is not None:
                    dates[wanted] = due
                    projected[wanted] = producer
            if not any(v.from_event in dates for v in limit.values):
                continue
            pending.remove(key)
            start = start_of(book, limit, dates, trace)
            if start is None:
                continue
            deadline = limit_deadline(book, key, start, calendar=calendar)
            guessed = next((v.from_event for v in reversed(limit.values)
                            if v.from_event in projected), None)
            if guessed is not None:
                label = book.events[guessed].label if guessed in book.events else guessed
                deadline = _with_step(deadline, TraceStep(
                    "projected", f"{label}尚未发生，按最迟日期 {start}（{projected[guessed]} 届满日）推算",
                    f"{guessed} has not happened yet; counted from its latest lawful date {start} "
                    f"(due date of {projected[guessed]})"))
            deadlines[key] = deadline
    for key in pending:
        trace.append(TraceStep("limit.not_started", f"{key}：起算事件尚未记录，未计算",
                               f"{key}: its starting event is not recorded; not computed"))

    violations: list[Violation] = []
    attribute = book.attributes.get(item.attribute)
    if attribute is not None and attribute.reason_required and not item.non_disclosure_reason:
        violations.append(Violation(
            "item.no_reason", "不予公开（或部分公开）未说明理由",
            "not (fully) disclosed without a stated reason",
            "；".join(str(c) for c in attribute.reason_required)))
    ground = book.non_disclosure_grounds.get(item.non_disclosure_reason or "")
    if ground is not None and ground in book.exemptions:
        exemption = book.exemptions[ground]
        trace.append(TraceStep(
            "item.non_disclosure_ground", f"不予公开理由 {item.non_disclosure_reason} 即不予公开情形"
            f"「{exemption.label}」", f"the reason {item.non_disclosure_reason} is the exemption "
            f"{exemption.label_en or ground}", "；".join(str(c) for c in exemption.cites) or None))
    if item.category is not None:
        finding = check_category(book, item.category, item.attribute, item.agency_tier,
                                 known_events.get("item.formed"), trace)
        if finding is not None:
            violations.append(finding)
    for key, deadline in deadlines.items():
        limit = book.limits[key]
        if limit.done_by is not None:
            found = judge(book, limit, deadline, known_events.get(limit.done_by.event), as_of,
                          calendar)
            if found is not None:
                violations.append(found)

    # Duties that attach to an item (obligations with `applies_when`), e.g. huadian's
    # 不予公开报备: listed with the first due date on or after the item was formed.
    filings = []
    formed = known_events.get("item.formed")
    if formed is not None:
        for key, obligation in sorted(book.obligations.items()):
            if obligation.applies_when is None or not obligation.applies_when.holds(facts):
                continue
            scheduled = obligation.value_on(formed)
            if scheduled is None or scheduled.schedule is None:
                continue
            due_dates = [d for y in (formed.year, formed.year + 1) if y <= MAXYEAR
                         for d in scheduled.schedule.due_dates(y) if d >= formed]
            filings.append({"id": key, "label": obligation.label,
                            "due": min(due_dates).isoformat() if due_dates else None,
                            "sources": [str(c) for c in scheduled.cites]})
    requirements = []
    for key, provision in sorted(book.provisions.items()):
        if provision.applies_when is not None and provision.applies_when.holds(facts):
            requirements.append({"id": key, "label": provision.label,
                                 "relation": provision.relation,
                                 "sources": [str(c) for c in provision.cites]})
    review = walk(book, "item", facts, deadlines, min(known_events.values(), default=None))
    return ItemOutcome(book.id, item.id, as_of, deadlines, review, tuple(filings),
                       tuple(requirements), tuple(violations), tuple(trace))


def _with_step(deadline: Deadline, step: TraceStep) -> Deadline:
    from dataclasses import replace

    return replace(deadline, head=(*deadline.head, step))
