"""A book's request plan: what evaluating any request under a book reads from the book alone,
found once per book object and kept on it (:meth:`Rulebook.derived`).

The book never changes, so neither do these: the reply period and the consultation windows
(found through the limit index), the receipt policy, each request limit with the national
limit of the same id that caps it (higher law), and the memos of the evaluation's steps
(engine/tables.py).  Evaluating a request then reads attributes of one object instead of
asking the book the same questions again for every request (issue 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .._repr import FieldRepr
from ..rulebook.conditions import equality
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.index import InForce
from ..rulebook.vocabulary import PauseKind
from .duties import DutyRow, duty_row
from .limits import receipt_policy
from .replies import DecideTable, decide_table
from .request_events import REPLIED, excluded_table
from .starts import StartTable, start_table
from .tables import Memo, deadline_memo, memo, request_duty_rules
from .workflow import WalkTables, walk_tables

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from ..periods.counting import ReceiptPolicy
    from ..rulebook.duties import Duty
    from ..rulebook.events import RequestEventType
    from ..rulebook.model import Limit, Rulebook
    from ..rulebook.parts import Workflow

__all__ = ["PLAN", "Judged", "PlannedLimit", "RequestPlan", "build_plan", "judged_row",
           "request_plan"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PlannedLimit(FieldRepr):
    """A request limit counted from its own event, in the book's order."""

    limit: Limit
    #: the reply period itself (it says why it does not run rather than being left out)
    is_reply: bool
    #: the root book's limit of the same id, where this one is a local book's: a local period
    #: may end earlier than the national one, never later (上位法优于下位法)
    national: Limit | None
    #: the common case of each one's start (engine/starts.py; None: ask start_of)
    starts: StartTable | None
    national_starts: StartTable | None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RequestPlan(FieldRepr):
    """What a request evaluation reads from the book alone."""

    root: Rulebook
    #: the reply period (None: the book has none; :func:`.request_events.reply_limit` says so)
    reply: Limit | None
    #: its conditions as one comparison (:func:`~govdisclose.rulebook.conditions.equality`),
    #: where they are one: the fact is compared with no call
    reply_equality: tuple[str, Any, bool] | None
    policy: ReceiptPolicy
    limits: tuple[PlannedLimit, ...]
    #: (row of the event table, the window limit of its kind) for each pausing row with one
    windows: tuple[tuple[RequestEventType, Limit], ...]
    #: consent fact -> the window of its consultation (None: the book gives none)
    consent_windows: Mapping[str, Limit | None]
    deadlines: Memo
    #: the root book's deadline memo (the national periods that cap a local book's), and the
    #: memo of a capped period (engine/request_deadlines.py)
    root_deadlines: Memo
    caps: Memo
    #: the duties about requests by the days they are in force, each selection also as rows
    #: (``duty_rows[i]`` is ``duty_rules.selections[i]``'s: engine/duties.py), and the memo of
    #: each one's answer
    duty_rules: InForce[Duty]
    duty_rows: tuple[tuple[DutyRow, ...], ...]
    #: per selection, the events its duties follow (``after``), and its rows without those
    #: that follow one and are not standing: the rows to read when none of those events is
    #: recorded (most requests)
    duty_follows: tuple[frozenset[str], ...]
    duty_rows_unfollowed: tuple[tuple[DutyRow, ...], ...]
    duties: Memo
    #: the memo of a request's status by its due date, the day replied and ``as_of``
    #: (engine/requests.py)
    statuses: Memo
    #: each request limit discharged by an event (``done_by``), with that event and whether
    #: the book gives a code for its being done late and for its not being done by the due
    #: date (no code: :func:`~.monitoring.judge` finds nothing), in the order of
    #: :attr:`limits` (the order of a request's deadlines); None when a consultation window
    #: is discharged by one too: every deadline is then looked up
    judged: tuple[Judged, ...] | None
    #: the memos of the workflow's steps (engine/workflow.py), the reply decision's table
    #: (engine/replies.py) and the memo of a late or overdue finding (engine/monitoring.py)
    walks: WalkTables
    #: the request workflow in force (None: none) throughout each interval of days between
    #: ``workflow_bounds`` (as :class:`~govdisclose.rulebook.index.InForce` selects)
    workflow_bounds: tuple[date, ...]
    workflows: tuple[Workflow | None, ...]
    decide: DecideTable
    judgements: Memo
    #: the pause kinds not counted in the reply period, by interval of days between those on
    #: which the pause rule's values change (engine/request_events.py's ``excluded_table``)
    excluded: tuple[tuple[date, ...], tuple[tuple[str, ...], ...]]
    #: the memo of what an approved extension gives (engine/extensions.py)
    extensions: Memo


#: A limit discharged by an event (``done_by``): the limit, the event, whether a code is
#: given for its being done late, and for its not being done by the due date.
Judged = tuple["Limit", str, bool, bool]


def judged_row(limit: Limit) -> Judged:
    """The :data:`Judged` row of a limit with ``done_by``."""
    check = limit.done_by
    assert check is not None
    return limit, check.event, check.late is not None, check.overdue is not None


#: The name a book keeps its plan under (:meth:`Rulebook.derived`).
PLAN = "engine.request_plan"


def build_plan(book: Rulebook) -> RequestPlan:
    """The request plan of ``book``, built afresh (:func:`request_plan` keeps it)."""
    index = book.limit_index
    reply = index.done_by.get(REPLIED)
    root = book.root
    limits = []
    for limit in index.request:
        national = root.limits.get(limit.id) if limit.book != root.id else None
        limits.append(PlannedLimit(limit, limit is reply, national, start_table(book, limit),
                                   start_table(root, national) if national is not None
                                   else None))
    windows = []
    for row in REQUEST_EVENTS.values():
        found = index.window_for.get(str(row.pause)) if row.pause is not None else None
        if found is not None:
            windows.append((row, found))
    consent = MappingProxyType({
        "third_party_consent": index.window_for.get(str(PauseKind.THIRD_PARTY)),
        "interagency_consent": index.window_for.get(str(PauseKind.INTERAGENCY))})
    judged: tuple[Judged, ...] | None = tuple(
        judged_row(p.limit) for p in limits if p.limit.done_by is not None)
    if any(window.done_by is not None for _, window in windows):
        judged = None
    flow = book.workflows.get("request")
    flows = InForce.of((flow,) if flow is not None else ())
    duties = request_duty_rules(book)
    rows = tuple(tuple(duty_row(d) for d in selection) for selection in duties.selections)
    follows = tuple(frozenset(d.after for d in selection if d.after is not None)
                    for selection in duties.selections)
    # (row[1]: standing, row[2]: the event it follows; engine/duties.py's DutyRow)
    unfollowed = tuple(tuple(row for row in selection if row[2] is None or row[1])
                       for selection in rows)
    when = reply.applies_when if reply is not None else None
    return RequestPlan(root, reply, equality(when) if when is not None else None,
                       receipt_policy(book), tuple(limits), tuple(windows),
                       consent, deadline_memo(book), deadline_memo(root),
                       memo(book, "engine.memo.caps"), duties, rows, follows, unfollowed,
                       memo(book, "engine.memo.duty"), memo(book, "engine.memo.status"),
                       judged, walk_tables(book), flows.bounds,
                       tuple(chosen[0] if chosen else None for chosen in flows.selections),
                       decide_table(book),
                       memo(book, "engine.memo.judge"), excluded_table(book),
                       memo(book, "engine.memo.extension"))


def request_plan(book: Rulebook) -> RequestPlan:
    """The request plan of ``book`` (built on first use, kept as long as the book)."""
    return book.derived(PLAN, build_plan)
