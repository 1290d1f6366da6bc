"""The values period arithmetic works with: units, the receipt policy, pauses, extensions."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import TYPE_CHECKING

from .._repr import FieldRepr

if TYPE_CHECKING:
    from datetime import date

__all__ = ["CHINA_STANDARD_TIME", "AppliedPause", "Extension", "Pause", "ReceiptPolicy", "Unit"]

#: UTC+8 without daylight saving, as observed in mainland China since 1991-09.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")



class Unit(str, enum.Enum):
    """The unit a limit is stated in."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"

    @property
    def zh(self) -> str:
        return {"working_days": "个工作日", "calendar_days": "日", "hours": "小时"}[self.value]

    @property
    def en(self) -> str:
        return self.value.replace("_", " ")


class ReceiptPolicy(str, enum.Enum):
    """What happens when the triggering event falls on a non-working day.

    ``NEXT_DAY`` (default): the event day is simply not counted; the first day
    counted is the next working day after it.  ``SHIFT_TO_NEXT_WORKDAY``: the event
    is deemed to happen on the next working day, which itself is then not counted
    — a rulebook chooses this with ``receipt_on_non_workday: shift_to_next_workday``.
    """

    NEXT_DAY = "next_day"
    SHIFT_TO_NEXT_WORKDAY = "shift_to_next_workday"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Pause(FieldRepr):
    """Time not counted: a consultation or a suspension.

    ``start`` still counts; counting resumes the day after ``end``.  With no
    ``end``, the pause runs to the end of its ``window`` (working days after
    ``start``, e.g. 15 for a third party, 条例 第三十二条) or, with no window,
    stays open and makes the deadline not yet determinable.
    """

    kind: str
    start: date
    end: date | None = None
    window: int | None = None
    label_zh: str = "暂停计算"
    label_en: str = "pause"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Extension(FieldRepr):
    """An approved extension of ``amount`` more units."""

    amount: int
    approved_on: date


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AppliedPause(FieldRepr):
    """A pause as it was applied: its resolved end and the units it removed."""

    kind: str
    start: date
    end: date | None
    removed: int
    by_window: bool
    window: int | None = None
    label_zh: str = "暂停计算"
    label_en: str = "pause"

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "start": self.start.isoformat(),
                "end": self.end.isoformat() if self.end else None,
                "removed": self.removed, "by_window": self.by_window}
