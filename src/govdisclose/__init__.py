"""govdisclose: Chinese government-information-disclosure rules as data.

Rulebooks (YAML) declare time limits, exemptions, review stages and replies;
deadlines are computed in working days on the official Chinese calendar.
"""

from __future__ import annotations

# Not ``typing.TYPE_CHECKING``: importing typing alone would double the cost of this module;
# type checkers treat any constant of this name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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

# Each public name is imported from its module on first use (PEP 562), not here: a CLI call or
# a script that needs one corner of the package does not pay for the rest, and
# ``import govdisclose`` costs a few milliseconds.  The table is the one above, for readers
# and type checkers; tests/test_startup.py holds the two equal.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("ItemOutcome", "evaluate_item"), "engine.items"),
    "limit_deadline": "engine.limits",
    **dict.fromkeys(("RequestOutcome", "evaluate_request"), "engine.requests"),
    **dict.fromkeys(("CalendarCoverageError", "CalendarDataError", "GovDiscloseError",
                     "LimitNotInForceError", "NoticeError", "Problem", "RequestError",
                     "RulebookError", "UnknownLimitError", "UnknownRulebookError"), "errors"),
    **dict.fromkeys(("Citation", "SourceDocument"), "messages"),
    **dict.fromkeys(("OfficialCalendar", "WorkdayCalendar", "official_calendar"),
                    "periods.calendar"),
    **dict.fromkeys(("Deadline", "Extension", "Pause", "ReceiptPolicy", "Unit",
                     "add_working_days", "compute_deadline", "working_days_between"),
                    "periods.counting"),
    **dict.fromkeys(("iter_rulebook_errors", "list_rulebooks", "load_rulebook"),
                    "rulebook.loading"),
    "Rulebook": "rulebook.model",
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first access (then kept as a global)."""
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
