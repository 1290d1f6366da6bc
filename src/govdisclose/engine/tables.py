"""Tables the engine derives once per rulebook object, so evaluating a request looks things up
instead of filtering the book's collections again.

A :class:`~govdisclose.rulebook.model.Rulebook` is immutable: anything computed from it alone
is computed on first use and kept on the book (:meth:`Rulebook.derived`), living and dying
with it — no global registry keyed by ``id(book)`` that could outlive a book and hand its
table to a new object at the same address.  Four kinds live here:

- the request duties in force on a day, per interval of days (as ``rulebook/index.py`` does
  for decision rules);
- the deadline memo: deadlines by everything they are computed from, shared by the requests
  received on one day with the same record;
- the regime: the days on which any dated rule of a book or of a book it extends starts or
  stops to apply cut time into intervals within which every "in force on" question has one
  answer;
- the memos of the steps of an evaluation that depend only on the rules in force on the
  receipt date (its regime) and on a few values of the request — the reply decision, each
  duty's answer, the workflow's steps, a late or overdue finding: each is a pure function of
  those, memoised by them (:class:`Memo`), its trace steps and violations (immutable)
  replayed into each request's own.

Memos are dicts: finding an entry is the dict's own subscript, with no Python call on the hot
path.  A request evaluation finds the ones it needs, with the book's other answers, in the book's
request plan (engine/plan.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from ..rulebook.dated import Dated
from ..rulebook.index import InForce
from ..rulebook.vocabulary import LimitAbout

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..rulebook.duties import Duty
    from ..rulebook.model import Rulebook

__all__ = ["MAX_MEMO_ENTRIES", "Memo", "change_days", "deadline_memo", "memo", "regime",
           "request_duties_on", "request_duty_rules"]

#: A memo's generation holds at most this many entries (:class:`Memo`): a stream of requests
#: with ever new fact values (numbers) or days must not grow it without bound.
MAX_MEMO_ENTRIES = 4096


#: Values with nothing dated inside: not walked.
_ATOMS = (str, bytes, int, float, date, type(None))


def _parts(kind: type) -> tuple[str, ...] | bool:
    """How :func:`_change_days` walks a value of type ``kind``: the names of a dataclass's
    public fields, True for a mapping's values or a collection's items, False for nothing."""
    if issubclass(kind, _ATOMS) or issubclass(kind, type):
        return False
    if issubclass(kind, (Mapping, tuple, list, set, frozenset)):
        return True
    if is_dataclass(kind):
        return tuple(f.name for f in fields(kind) if not f.name.startswith("_"))
    return False


def _change_days(book: Rulebook) -> tuple[date, ...]:
    """The sorted days on which a dated rule anywhere in ``book`` or the books it extends
    starts (``valid_from``) or stops (the day after ``valid_until``) to apply.

    Found by walking the books' data, not by listing their sections: a dated rule added to
    the model later is covered without a change here.
    """
    days: set[date] = set()
    seen: set[int] = set()
    how: dict[type, tuple[str, ...] | bool] = {}
    stack: list[object] = []
    chain: Rulebook | None = book
    while chain is not None:  # the engine also asks the root's rules (higher law)
        stack.extend(getattr(chain, f.name) for f in fields(chain)
                     if f.name != "parent" and not f.name.startswith("_"))
        chain = chain.parent
    while stack:
        item = stack.pop()
        kind = type(item)
        walk = how.get(kind)
        if walk is None:
            walk = how[kind] = _parts(kind)
        if walk is False or id(item) in seen:
            continue
        seen.add(id(item))
        if walk is True:
            stack.extend(item.values() if isinstance(item, Mapping)
                         else cast("Iterable[object]", item))
            continue
        if isinstance(item, Dated):
            if item.valid_from is not None:
                days.add(item.valid_from)
            if item.valid_until is not None and item.valid_until < date.max:
                days.add(item.valid_until + timedelta(days=1))
        stack.extend(getattr(item, name) for name in walk)
    return tuple(sorted(days))


def change_days(book: Rulebook) -> tuple[date, ...]:
    """The sorted days on which the rules of ``book`` (and of the books it extends) change
    (found on first use, kept as long as the book)."""
    return book.derived("engine.change_days", _change_days)


def regime(book: Rulebook, day: date) -> int:
    """The interval of ``day`` among the days the rules of ``book`` (and of the books it
    extends) change: two days with the same regime have the same rules in force."""
    return bisect_right(change_days(book), day)


class Memo(dict[tuple[Any, ...], Any]):
    """Results of a pure step of the evaluation by everything it is computed from, bounded in
    two generations.

    Look up with ``memo[key]``: the entry, or None when there is none.  A dict, so finding an
    entry of the current generation is the dict's own subscript, with no Python call on the
    hot path.  When the current generation holds ``bound`` entries (by default
    :data:`MAX_MEMO_ENTRIES`) it becomes the older one and a new one starts; an entry found in
    the older generation moves back to the current one, and whatever the older still holds at
    the next turn is dropped.  So the entries in use stay (a long audit keeps its common
    deadlines while one-off ones come and go), and a memo never holds more than twice the
    bound.
    """

    __slots__ = ("bound", "older")

    def __init__(self, bound: int = MAX_MEMO_ENTRIES) -> None:
        super().__init__()
        #: the most entries a generation holds
        self.bound = bound
        self.older: dict[tuple[Any, ...], Any] = {}

    def __missing__(self, key: tuple[Any, ...]) -> Any:
        found = self.older.pop(key, None)
        if found is not None:
            self.remember(key, found)
        return found

    def remember(self, key: tuple[Any, ...], value: Any) -> None:
        if len(self) >= self.bound:  # a new generation (a copy once per bound's worth of
            self.older = dict(self)      # new entries: constant time per entry)
            self.clear()
        self[key] = value


def _memo(_book: Rulebook) -> Memo:
    return Memo()


def memo(book: Rulebook, name: str) -> Memo:
    """The book's memo ``name`` (``engine.memo.<step>``: one per step of the evaluation;
    empty at first)."""
    return book.derived(name, _memo)


def _request_duties(book: Rulebook) -> InForce[Duty]:
    return InForce.of(d for d in book.duties.values() if d.about is LimitAbout.REQUEST)


def request_duty_rules(book: Rulebook) -> InForce[Duty]:
    """The book's duties about requests, by the days they are in force."""
    return book.derived("engine.request_duties", _request_duties)


def request_duties_on(book: Rulebook, on: date) -> tuple[Duty, ...]:
    """The book's duties about requests in force on ``on``, in the book's order."""
    return request_duty_rules(book).on(on)


def deadline_memo(book: Rulebook) -> Memo:
    """The book's memo of deadlines by everything they are computed from (empty at first).

    A deadline is a pure function of the book, the limit, the start, the day whose rules
    apply, the receipt policy, the record's pauses, restart and extension, and the calendar;
    requests received on the same day with the same record share one (immutable) deadline.
    Each entry is ``(calendar, deadline)``: the calendar is compared by identity by the
    caller (``hit[0] is calendar``) and kept with the deadline it made.
    """
    return book.derived("engine.deadlines", _memo)
