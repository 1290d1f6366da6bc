"""govdisclose: Chinese government-information-disclosure rules as data.

Rulebooks (YAML) declare time limits, exemptions, review stages and replies;
deadlines are computed in working days on the official Chinese calendar.
"""

from __future__ import annotations

from .engine.items import ItemOutcome, evaluate_item
from .engine.limits import limit_deadline
from .engine.requests import RequestOutcome, evaluate_request
from .errors import (
    CalendarCoverageError,
    CalendarDataError,
    GovDiscloseError,
    LimitNotInForceError,
    NoticeError,
    Problem,
    RequestError,
    RulebookError,
    UnknownLimitError,
    UnknownRulebookError,
)
from .messages import Citation, SourceDocument
from .periods.calendar import OfficialCalendar, WorkdayCalendar, official_calendar
from .periods.counting import (
    Deadline,
    Extension,
    Pause,
    ReceiptPolicy,
    Unit,
    add_working_days,
    compute_deadline,
    working_days_between,
)
from .rulebook.loading import iter_rulebook_errors, list_rulebooks, load_rulebook
from .rulebook.model import Rulebook

__all__ = [
    "CalendarCoverageError",
    "CalendarDataError",
    "Citation",
    "Deadline",
    "Extension",
    "GovDiscloseError",
    "ItemOutcome",
    "LimitNotInForceError",
    "NoticeError",
    "OfficialCalendar",
    "Pause",
    "Problem",
    "ReceiptPolicy",
    "RequestError",
    "RequestOutcome",
    "Rulebook",
    "RulebookError",
    "SourceDocument",
    "Unit",
    "UnknownLimitError",
    "UnknownRulebookError",
    "WorkdayCalendar",
    "add_working_days",
    "compute_deadline",
    "evaluate_item",
    "evaluate_request",
    "iter_rulebook_errors",
    "limit_deadline",
    "list_rulebooks",
    "load_rulebook",
    "official_calendar",
    "working_days_between",
]
