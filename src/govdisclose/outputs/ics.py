"""iCalendar (RFC 5545) output: recurring duties, and the reply deadlines of ``upcoming``, as
all-day events.

:func:`to_ics` writes what ``govdisclose obligations --ics FILE`` saves, from the duties
:func:`govdisclose.engine.obligations.obligations_for_year` computes: one event per dated duty,
lines folded at 75 octets, CRLF line ends.  The DTSTAMP is passed in; nothing reads the clock.

Every text value passes :func:`_escape` (RFC 5545 §3.3.11): a line break of any kind — CRLF,
LF or a bare CR — becomes ``\\n``, so no value can end its content line or start a property
of its own; backslash, semicolon and comma are escaped; other control characters, which a TEXT
value may not hold, are written as ``\\x01``-style text; bidi controls as ``\\u202e``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from .escaping import escape_bidi

if TYPE_CHECKING:
    from ..engine.obligations import ObligationDue
    from ..ledgers.upcoming import Upcoming
    from ..rulebook.model import Rulebook

__all__ = ["to_ics", "upcoming_ics"]


# Controls a TEXT value may not hold (RFC 5545 TSAFE-CHAR): all but tab, and line breaks,
# which are turned into the escape \n first.
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _escape(text: str) -> str:
    """``text`` as an iCalendar TEXT value (RFC 5545 §3.3.11), on one content line."""
    one_line = text.replace("\r\n", "\n").replace("\r", "\n")
    visible = _CONTROLS.sub(lambda m: "\n" if m.group() == "\n" else f"\\x{ord(m.group()):02x}",
                            escape_bidi(one_line))
    return (visible.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode("utf-8")
        limit = 75 if not out else 74
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def to_ics(book: Rulebook, dues: list[ObligationDue], stamp: datetime) -> str:
    """An iCalendar file of all-day events, one per dated duty.

    ``stamp`` is the DTSTAMP written into every event (passed in: nothing reads the clock).
    """
    stamp_text = stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//govdisclose//obligations//ZH",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_escape(book.name)} 政府信息公开定期义务"]
    for o in dues:
        if o.due is None:
            continue
        description = "；".join(o.sources) + (f"\n{o.note}" if o.note else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(f'{o.book}-{o.id}-{o.due.isoformat()}')}@govdisclose",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{o.due.strftime('%Y%m%d')}",
            # RFC 5545 3.6.1: an all-day event without DTEND lasts one day — the only way to
            # write one on 9999-12-31, whose next day does not exist.
            *([] if o.due == date.max else
              [f"DTEND;VALUE=DATE:{(o.due + timedelta(days=1)).strftime('%Y%m%d')}"]),
            f"SUMMARY:{_escape(o.label)}",
            f"DESCRIPTION:{_escape(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def upcoming_ics(result: Upcoming, calendar_name: str) -> str:
    """The reminders' due dates as an iCalendar feed: one all-day event per request, the
    overdue included (on their past due date, the summary saying so).

    The conventions of :func:`to_ics`: CRLF lines folded at 75 octets, every text value
    escaped.  The UID names the rulebook and the request, not the date, so that a calendar
    subscribed to the feed moves the event when an extension moves the due date; DTSTAMP is
    the as-of day's midnight in China, so a later run's event replaces an earlier one's and
    nothing reads the clock.
    """
    from ..periods.values import CHINA_STANDARD_TIME

    stamp = datetime.combine(result.as_of, time(0), tzinfo=CHINA_STANDARD_TIME)
    stamp_text = stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//govdisclose//upcoming//ZH",
             "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(calendar_name)} 依申请公开答复期限"]
    for r in (*result.overdue, *result.due_soon):
        summary = f"{'已逾期：' if r.overdue else ''}答复期限 {r.id}"
        description = (f"申请 {r.id}，{r.received_on} 收到，答复期限 {r.due}"
                       f"（{result.file} 第 {r.line} 行，规则集 {result.rulebook}）\n"
                       f"request {r.id}, received {r.received_on}, reply due {r.due} "
                       f"({result.file} line {r.line}, rulebook {result.rulebook})")
        if r.provisional:
            description += "\n暂定 provisional: no published holiday schedule for that year"
        end = r.due + timedelta(days=1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(f'{result.rulebook}-{r.id}')}@govdisclose",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{r.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
