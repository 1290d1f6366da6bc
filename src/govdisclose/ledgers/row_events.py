"""A ledger row's dates and request events, read through the request event table.

Every event of :data:`govdisclose.rulebook.events.REQUEST_EVENTS` with a ``ledger_column`` is
one column holding the day it happened; the fields some events carry (the reply's days sent
and served, the supplement period, the later reply date fixed, the extension's approver and
notice) have columns of their own (:data:`govdisclose.ledgers.reading.FIELD_COLUMNS`).  Each
cell is checked as :func:`govdisclose.engine.request_input.parse_request` checks a request: a
bad one is an error naming its column, never dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine.request_model import RequestEvent
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.vocabulary import EventRole
from .reading import FIELD_COLUMNS, parse_ledger_date

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date

    from ..rulebook.model import Rulebook

__all__ = ["DATE_COLUMNS", "EVENT_COLUMNS", "date_columns", "read_dates", "row_events"]

#: ledger column -> request event type, in the table's order (the order events usually happen)
EVENT_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (row.ledger_column, row.type) for row in REQUEST_EVENTS.values()
    if row.ledger_column is not None)
_EVENT_COLUMN = {kind: column for column, kind in EVENT_COLUMNS}
#: ledger column -> its position in EVENT_COLUMNS (the event's index) and its event type
_EVENT_SLOT = {column: (i, kind) for i, (column, kind) in enumerate(EVENT_COLUMNS)}
#: Event type -> the field it cannot go without (an event fixing the reply date: the date).
_NEEDS = {row.type: "reply_by" for row in REQUEST_EVENTS.values()
          if row.role is EventRole.SETS_DUE}
_FIELD_COLUMN_NAMES = tuple(f.column for f in FIELD_COLUMNS)
#: Every column holding a date, in the order its cells are checked.
DATE_COLUMNS: tuple[str, ...] = ("received_on", *(c for c, _ in EVENT_COLUMNS),
                                 *(f.column for f in FIELD_COLUMNS if f.is_date))


def _error(zh: str, en: str) -> dict[str, str]:
    return {"message_zh": zh, "message_en": en}


def date_columns(columns: Iterable[str]) -> tuple[str, ...]:
    """The columns of :data:`DATE_COLUMNS` among ``columns`` (a ledger's), in that order: the
    only ones :func:`read_dates` need look at in a row of that ledger."""
    present = set(columns)
    return tuple(c for c in DATE_COLUMNS if c in present)


#: Days already read, by their text: a ledger's dates repeat (a few hundred days a year), and a
#: lookup is cheaper than parsing again.  Cleared when full, so it stays small.
_DAYS: dict[str, date] = {}
_DAYS_MAX = 4_096


def read_dates(values: Mapping[str, str], errors: list[dict[str, str]],
               columns: tuple[str, ...] = DATE_COLUMNS) -> dict[str, date]:
    """Column -> day of every non-empty date cell; a cell that is no date is an error.

    ``columns``: the date columns to look at, in order; :func:`date_columns` of the ledger's
    columns gives the same result as all of :data:`DATE_COLUMNS`, faster."""
    dates: dict[str, date] = {}
    get, days = values.get, _DAYS
    for column in columns:
        text = get(column, "")
        if not text:
            continue
        day = days.get(text)
        if day is None:
            try:
                day = parse_ledger_date(text)
            except ValueError:
                errors.append(_error(f"{column}：{text!r} 不是有效日期",
                                     f"{column}: {text!r} is not a valid date"))
                continue
            if len(days) >= _DAYS_MAX:
                days.clear()
            days[text] = day
        dates[column] = day
    return dates


def _role(book: Rulebook, text: str) -> str | None:
    """The role of ``book`` that ``text`` names, by its key or its label."""
    if text in book.roles:
        return text
    return next((key for key, role in book.roles.items()
                 if text in (role.label, role.label_en)), None)


def _fields(book: Rulebook, values: Mapping[str, str], dates: Mapping[str, date],
            errors: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    """Event type -> the fields its columns give; a field without its event, a day before
    the event's (or, served, before sent) and an unknown approver are errors."""
    out: dict[str, dict[str, Any]] = {}
    for f in FIELD_COLUMNS:
        text = values.get(f.column, "")
        if not text or (f.is_date and f.column not in dates):
            continue  # empty, or a bad date already reported
        event_column = _EVENT_COLUMN[f.event]
        if not values.get(event_column):
            errors.append(_error(f"{f.column} 有值，但 {event_column} 为空",
                                 f"{f.column} is given but {event_column} is empty"))
            continue
        if event_column not in dates:
            continue  # the event's bad date is reported
        value: Any = text
        if f.is_date:
            value = dates[f.column]
            base = "reply_sent_on" if f.field == "served_on" and "reply_sent_on" in dates \
                else event_column
            if value < dates[base]:
                errors.append(_error(f"{f.column}（{value}）早于{base}（{dates[base]}）",
                                     f"{f.column} ({value}) is before {base} ({dates[base]})"))
        else:
            value = _role(book, text)
            if value is None:
                known = "、".join(f"{k}（{r.label}）" for k, r in book.roles.items())
                errors.append(_error(f"{f.column}：规则集 {book.id} 没有角色 {text!r}（可填：{known}）",
                                     f"{f.column}: rulebook {book.id} has no role {text!r}; "
                                     f"known: {', '.join(book.roles)}"))
                continue
        out.setdefault(f.event, {})[f.field] = value
    return out


def row_events(book: Rulebook, values: Mapping[str, str], dates: Mapping[str, date],
               errors: list[dict[str, str]]) -> tuple[RequestEvent, ...]:
    """The request events of a row whose date cells are ``dates`` (:func:`read_dates`), with
    the fields their columns give; problems are added to ``errors``."""
    fields = _fields(book, values, dates, errors) if _has_fields(values) else {}
    events = []
    # ``dates`` is in the order of DATE_COLUMNS, whose event columns are in EVENT_COLUMNS's
    for column, day in dates.items():
        slot = _EVENT_SLOT.get(column)
        if slot is None:
            continue
        i, kind = slot
        given = fields.get(kind, {})
        if kind in _NEEDS and _NEEDS[kind] not in given:
            need = next(f.column for f in FIELD_COLUMNS if f.field == _NEEDS[kind])
            errors.append(_error(f"{column} 有值，须写明 {need}",
                                 f"{column} is given: {need} is needed too"))
        events.append(RequestEvent(kind, day, i, **given) if given else
                      RequestEvent._bare(kind, day, i))
    return tuple(events)


def _has_fields(values: Mapping[str, str]) -> bool:
    """Whether any field column has a value (most rows of most ledgers: none)."""
    return any(map(values.get, _FIELD_COLUMN_NAMES))
