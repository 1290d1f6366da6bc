"""The legal basis of each counting rule, as the trace of a deadline cites it.

``periods`` knows how to count, not why: the why is law, and law is data (the national
rulebook's ``counting`` section, dated).  The engine builds a :class:`CountingBasis` from the
book for the day a period starts and passes it in; arithmetic called without one (the public
``compute_deadline``) explains its steps without a basis.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._repr import FieldRepr

__all__ = ["NO_BASIS", "CountingBasis"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CountingBasis(FieldRepr):
    """The basis, as one line of text each, of the rules a computation applies.

    Attributes:
        start: the start day is not counted.
        end: a last day that is not a working day rolls to the next working day.
        pause: consultation time is not counted.
        restart: a supplemented request counts anew.
        extension: how an extension runs.
        hours: hour periods run from the exact time.
        receipt: a receipt on a non-working day is deemed to happen on the next working day
            (a book's ``receipt_on_non_workday`` policy, when it so chooses).
    """

    start: str | None = None
    end: str | None = None
    pause: str | None = None
    restart: str | None = None
    extension: str | None = None
    hours: str | None = None
    receipt: str | None = None


#: No basis given: trace steps carry none.
NO_BASIS = CountingBasis()
