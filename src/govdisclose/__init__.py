"""govdisclose: Chinese government-information-disclosure rules as data.

Rulebooks (YAML) declare time limits, exemptions, review stages and replies;
deadlines are computed in working days on the official Chinese calendar.
"""

from __future__ import annotations

from .calendar import OfficialCalendar, WorkdayCalendar, official_calendar
from .citations import Citation, SourceDocument
from .deadlines import (
    Deadline,
    Extension,
    Pause,
    ReceiptPolicy,
    Unit,
    add_working_days,
    compute_deadline,
    working_days_between,
)
from .errors import (
    CalendarCoverageError,
    CalendarDataError,
    GovDiscloseError,
    Problem,
    RequestError,
    RulebookError,
    UnknownRulebookError,
)

__all__ = [
    "CalendarCoverageError",
    "CalendarDataError",
    "Citation",
    "Deadline",
    "Extension",
    "GovDiscloseError",
    "OfficialCalendar",
    "Pause",
    "Problem",
    "ReceiptPolicy",
    "RequestError",
    "RulebookError",
    "SourceDocument",
    "Unit",
    "UnknownRulebookError",
    "WorkdayCalendar",
    "add_working_days",
    "compute_deadline",
    "official_calendar",
    "working_days_between",
]
