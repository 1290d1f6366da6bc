"""Checks on what a child book inherits by id: no near-miss ids, no limit the engine never reads.

* A child restates an inherited entry by writing the same id (``limits.request.reply``).  An id
  that is *not* inherited but is one or two keystrokes from an inherited one
  (``request.suplement_notice``) is almost surely a misspelt restatement that would leave the
  parent's value silently in force: it is a load error with a did-you-mean
  (``inherit.near_miss``), unless the entry says ``new: true`` (a deliberately new id).  The
  key is read here only (no model keeps it), and an entry that restates an inherited id cannot
  say it is new (``inherit.not_new``).
* The engine reads one limit per pause kind (``pause_window_for``) and one extension per
  extended limit (``extension_of``), the first in the book's order
  (:class:`~govdisclose.rulebook.index.LimitIndex`); a second one would be dead data, so it is
  a load error (``limit.shadowed``).  Every other limit is read whatever its id: request limits
  are counted for every request, item and review limits for every item, filing and sentiment
  limits on demand (``deadline``, ``limits``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._suggest import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .builder import Builder, Path_
    from .parts import Limit

__all__ = ["check_inherited_ids", "check_limits", "near_miss"]

#: The sections whose entries a child may restate by id: where the data is, the model field,
#: and what an entry is called (zh, en).
KEYED: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("events",), "events", "事件", "event"),
    (("roles",), "roles", "角色", "role"),
    (("facts",), "facts", "事实", "fact"),
    (("limits",), "limits", "时限", "limit"),
    (("obligations",), "obligations", "定期义务", "obligation"),
    (("policies",), "policies", "程序规则", "policy"),
    (("exemptions",), "exemptions", "不予公开情形", "exemption ground"),
    (("replies",), "replies", "答复类型", "reply type"),
    (("attributes",), "attributes", "公开属性", "attribute"),
    (("intake", "requirements"), "requirements", "申请材料要求", "intake requirement"),
    (("fees",), "fees", "收费标准", "fee scale"),
    (("provisions",), "provisions", "规定", "provision"),
    (("duties",), "duties", "义务", "duty"),
    (("proactive_categories",), "proactive_categories", "主动公开类别", "proactive category"),
)


def _distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from ``a`` to ``b``; any value
    above ``limit`` is reported as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    # What the two share at either end costs no edit (a swap across the edge of a shared part
    # would swap two equal characters): ids share long stems (request.…), so the table left
    # to fill is small.
    shared = min(len(a), len(b))
    head = 0
    while head < shared and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < shared - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    a, b = a[head:len(a) - tail], b[head:len(b) - tail]
    # Only the band of cells within ``limit`` of the diagonal is filled: a cell i, j off it
    # is at least |i - j| edits.  A value is kept at most ``over``: the cells an answer of
    # ``limit`` or less is built from are all at most ``limit`` (the values along a path of
    # edits never decrease).  A rulebook load without the cache runs it some three thousand
    # times (tests/test_rulebook_inheritance.py holds it to the textbook table).
    n, m = len(a), len(b)
    over = limit + 1
    row = [j if j <= limit else over for j in range(m + 1)]
    before = row
    for i in range(1, n + 1):
        current = [over] * (m + 1)
        if i <= limit:
            current[0] = i
        best = current[0]
        x = a[i - 1]
        for j in range(max(1, i - limit), min(m, i + limit) + 1):
            y = b[j - 1]
            value = row[j - 1] + (x != y)  # substitute (or keep)
            if row[j] < value:  # delete
                value = row[j] + 1
            if current[j - 1] < value:  # insert
                value = current[j - 1] + 1
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y and before[j - 2] < value:
                value = before[j - 2] + 1  # swap two neighbours
            current[j] = min(value, over)
            if value < best:  # noqa: PLR1730 (min() is a call in the inner loop)
                best = value
        if best > limit:
            return over
        before, row = row, current
    return min(row[m], over)


def near_miss(name: str, inherited: Iterable[str]) -> str | None:
    """The inherited id ``name`` most likely misspells: one edit away (two for ids of eight
    characters or more), the closest by :func:`~govdisclose._suggest.did_you_mean`."""
    limit = 1 if len(name) < 8 else 2
    close = [k for k in inherited if k != name and _distance(name, k, limit) <= limit]
    if not close:
        return None
    return did_you_mean(name, close) or min(close, key=lambda k: _distance(name, k, limit))


def _check_section(b: Builder, where: tuple[str, ...], own: Mapping[str, Any],
                   inherited: Mapping[str, Any], zh: str, en: str) -> None:
    for key, entry in own.items():
        said_new = isinstance(entry, dict) and entry.get("new") is True
        if key in inherited and said_new:
            b.fail((*where, key, "new"), "inherit.not_new",
                   f"{zh} {key!r} 是上级规则集已有的编号，本条改写上级的规定，并非本级新增：删去 new: true",
                   f"{en} {key!r} is inherited: this entry restates the parent's, it is not new; "
                   "drop new: true")
        if key in inherited or said_new:
            continue
        guess = near_miss(key, inherited)
        if guess is None:
            continue
        b.fail((*where, key), "inherit.near_miss",
               f"{zh} {key!r} 不是上级规则集已有的编号，但与上级的 {guess!r} 仅差一两个字符"
               f"（是否指 {guess}？）：改写上级规定须用同一编号，否则上级的规定照旧适用；"
               "确为本级新增的，写 new: true",
               f"{en} {key!r} is not inherited but is a near miss of the inherited {guess!r} "
               f"(did you mean {guess!r}?): a restatement must use the same id, or the "
               "parent's entry stays in force; if it is deliberately new, add new: true")


def check_inherited_ids(b: Builder) -> None:
    """Report every entry of the child whose id misspells an inherited one."""
    if b.parent is None:
        return
    for where, attr, zh, en in KEYED:
        own: Any = b.data
        for part in where:
            own = own.get(part, {}) if isinstance(own, dict) else {}
        if isinstance(own, dict):
            _check_section(b, where, own, getattr(b.parent, attr), zh, en)
    for category, entries in b.data.get("item_vocabulary", {}).items():
        _check_section(b, ("item_vocabulary", category), entries,
                       b.parent.item_vocabulary.get(category, {}), "信息词表项",
                       "item vocabulary entry")


def check_limits(b: Builder, limits: Mapping[str, Limit]) -> None:
    """A limit of this book that the engine would never read, because an earlier limit (in the
    book's order) already answers the same pause kind or extends the same limit."""
    claimed: dict[tuple[str, str], str] = {}
    for key, limit in limits.items():
        for field, value in (("pause_window_for", limit.pause_window_for),
                             ("extension_of", limit.extension_of)):
            if value is None:
                continue
            first = claimed.setdefault((field, str(value)), key)
            if first != key and limit.book == b.book_id:
                path: Path_ = ("limits", key, field)
                b.fail(path, "limit.shadowed",
                       f"时限 {key!r} 的 {field}: {value} 已由时限 {first!r} 给出，引擎只采用"
                       f"在先的 {first!r}，本时限不会被使用：请改写 {first!r}（同一编号）",
                       f"limit {key!r}: {field} {value} is already given by {first!r}; the "
                       f"engine reads only the first, so {key!r} would never be used: restate "
                       f"{first!r} (same id) instead")
