"""A rulebook as one self-contained HTML page: limits, policies, workflow pictures,
the year's obligations, review notes and the working-day calendar.

The page has no scripts and no external resources (styles are inline, the workflow
pictures are SVG drawn by :mod:`.svg` from :class:`govdisclose.outputs.graph.Graph`), so it can
be mailed, archived or printed as it is.  Everything on it comes from the rulebook, the bundled
calendar and the year asked for; nothing depends on today's date.  This module works out what
the page shows; ``templates/report.html.j2`` lays it out (autoescaped, :mod:`.html_parts`), and
the working-day calendar is :mod:`.html_calendar`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .._repr import FieldRepr
from ..engine.obligations import obligations_for_year
from ..periods.calendar import official_calendar
from .graph import KINDS, format_amount, workflow_graph
from .html_calendar import calendar_view
from .html_parts import render
from .svg import workflow_svg_markup

if TYPE_CHECKING:
    from collections.abc import Mapping

    from markupsafe import Markup

    from ..engine.obligations import ObligationDue
    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import EventDef, PolicyValue, Relation, ResolvedLimit, Rulebook
    from .graph import Graph

__all__ = ["render_report", "report_date", "write_report"]


# -- page parts -----------------------------------------------------------------------------

_POLICY_LABELS: dict[str, tuple[str, str]] = {
    "third_party_silence": ("第三方逾期未提出意见", "third party silent past its window"),
    "interagency_silence": ("被征求意见机关逾期未提出意见", "consulted agency silent"),
    "receipt_on_non_workday": ("非工作日收到申请的起算", "request received on a non-working day"),
    "oral_requests": ("口头申请", "oral requests"),
    "phone_requests": ("电话申请", "requests by phone"),
    "one_request_one_matter": ("一事一申请", "one matter per request"),
    "fees": ("收费", "fees"),
}

_POLICY_VALUES: dict[str, tuple[str, str]] = {
    "agency_decides": ("由行政机关依法决定", "the agency decides"),
    "deemed_consent": ("视为同意", "deemed consent"),
    "deemed_refusal": ("视为不同意", "deemed refusal"),
    "next_day": ("自次日起算", "count from the next day"),
    "shift_to_next_workday": ("视为下一工作日收到", "deemed received on the next working day"),
    "accepted": ("受理", "accepted"),
    "accepted_if_writing_difficult": ("书面确有困难的可口头提出",
                                      "accepted where writing is truly difficult"),
    "not_accepted": ("不受理", "not accepted"),
    "required": ("须一事一申请", "required"),
    "not_required": ("不要求", "not required"),
    "free": ("不收费", "free"),
    "processing_fee_when_excessive": ("明显超过合理范围的可收取信息处理费",
                                      "processing fee only when excessive"),
    "charged": ("收费", "charged"),
}

_LEVELS = {"national": "国家", "municipal": "市级", "county": "县级（市）",
           "district": "区级", "zone": "开发区", "department": "部门"}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _LimitRow(FieldRepr):
    key: str
    limit: ResolvedLimit
    amount: str  # e.g. 最长15个工作日
    amount_en: str
    event: EventDef | None  # the event the limit counts from, when the book defines it
    since: str
    local: str  # the local value set aside, e.g. 30个工作日; "" when there is none


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _PolicyRow(FieldRepr):
    key: str
    zh: str
    en: str
    applied: PolicyValue
    value_zh: str
    value_en: str
    relation: Relation
    set_aside: PolicyValue | None
    set_aside_zh: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _WorkflowView(FieldRepr):
    kind: str
    zh: str
    en: str
    graph: Graph | None  # None: the book has no such workflow
    svg: Markup | None = None
    next: Mapping[str, str] = field(default_factory=dict)  # step -> "a, b" or "—"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _DutyRow(FieldRepr):
    due: ObligationDue
    when: str
    actor: str


def _limits(book: Rulebook, on: date) -> list[_LimitRow]:
    rows = []
    for key, lim in book.limits_on(on).items():
        own = book.limits[key].value_on(on)
        local = ""
        if lim.local is not None:
            local = (f"{format_amount(lim.local.amount or 0)}"
                     f"{lim.local.unit.zh if lim.local.unit else ''}")
        rows.append(_LimitRow(
            key, lim, f"{'最长' if lim.up_to else ''}{format_amount(lim.amount)}{lim.unit.zh}",
            f"{'up to ' if lim.up_to else ''}{format_amount(lim.amount)} {lim.unit.en}",
            book.events.get(lim.from_event) if lim.from_event else None,
            own.valid_from.isoformat() if own and own.valid_from else "—", local))
    return rows


def _policies(book: Rulebook) -> list[_PolicyRow]:
    rows = []
    for key in sorted(book.policies):
        applied, relation, set_aside = book.policy(key)
        if applied is None:
            continue
        zh, en = _POLICY_LABELS.get(key, (key, key))
        vzh, ven = _POLICY_VALUES.get(applied.value, (applied.value, applied.value))
        szh = "" if set_aside is None else _POLICY_VALUES.get(
            set_aside.value, (set_aside.value, set_aside.value))[0]
        rows.append(_PolicyRow(key, zh, en, applied, vzh, ven, relation, set_aside, szh))
    return rows


def _workflows(book: Rulebook, on: date) -> list[_WorkflowView]:
    out = []
    for kind, (zh, en) in KINDS.items():
        title = en[0].upper() + en[1:]
        if kind not in book.workflows:
            out.append(_WorkflowView(kind, zh, title, None))
            continue
        graph = workflow_graph(book, kind, on)
        following = {n.id: ", ".join(e.target for e in graph.edges if e.source == n.id) or "—"
                     for n in graph.nodes}
        out.append(_WorkflowView(kind, zh, title, graph, workflow_svg_markup(graph, f"wf-{kind}"),
                                 following))
    return out


def _duties(book: Rulebook, year: int) -> list[_DutyRow]:
    rows = []
    for due in obligations_for_year(book, year):
        role = book.roles.get(due.actor) if due.actor else None
        rows.append(_DutyRow(due, due.due.isoformat() if due.due else "年内 within the year",
                             role.label if role else (due.actor or "—")))
    return rows


def report_date(year: int) -> date:
    """The day the report's limits and pictures are resolved on: the last day of the year,
    so that the page shows the rules as they stand at the end of the year it covers."""
    return date(year, 12, 31)


def render_report(book: Rulebook, year: int, *, calendar: OfficialCalendar | None = None
                  ) -> str:
    """The whole report page of ``book`` for ``year`` as HTML text.

    A year the holiday calendar does not cover is said so on the page; every other part is
    still rendered.
    """
    calendar = calendar or official_calendar()
    on = report_date(year)
    chain = " → ".join(f"{b.name}（{b.id}）" for b in reversed(_ancestors(book)))
    level = f"{_LEVELS.get(book.level, book.level)} / {book.level}" if book.level else "—"
    return render("report.html.j2", book=book, year=year, on=on, chain=chain, level=level,
                  limits=_limits(book, on), policies=_policies(book),
                  workflows=_workflows(book, on), duties=_duties(book, year),
                  cal=calendar_view(year, calendar), sources=sorted(book.sources.items()))


def _ancestors(book: Rulebook) -> list[Rulebook]:
    out: list[Rulebook] = []
    current: Rulebook | None = book
    while current is not None:
        out.append(current)
        current = current.parent
    return out


def write_report(book: Rulebook, year: int, directory: Path | str, *,
                 calendar: OfficialCalendar | None = None) -> Path:
    """Write ``index.html`` into ``directory`` (created if needed); returns its path."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "index.html"
    target.write_text(render_report(book, year, calendar=calendar), encoding="utf-8")
    return target
