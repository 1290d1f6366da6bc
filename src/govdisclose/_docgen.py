"""Generate docs/jurisdictions.md and the README rulebook table from the bundled books.

Run ``python -m govdisclose._docgen`` from the repository root to rewrite both;
``tests/test_docs.py`` fails when they drift from the books.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LimitNotInForceError
from .rulebook.dated import latest_effective_date
from .rulebook.loading import bundled_library

if TYPE_CHECKING:
    from datetime import date

    from .rulebook.model import Rulebook

__all__ = ["jurisdictions_markdown", "readme_table"]

def _as_of() -> date:
    """The date the tables compare values on: the day the national rules last changed
    (not "today")."""
    found = latest_effective_date(bundled_library().load("national"))
    assert found is not None
    return found


def _books() -> list[Rulebook]:
    lib = bundled_library()
    return [lib.load(i) for i in lib.ids()]


def readme_table() -> str:
    """The README's rulebook table (between the ``rulebooks:`` markers)."""
    lines = ["| id | 名称 | extends |", "| --- | --- | --- |"]
    for book in _books():
        parent = f"`{book.parent.id}`" if book.parent else "—"
        lines.append(f"| `{book.id}` | {book.name} | {parent} |")
    return "\n".join(lines)


def _value_text(amount: float | None, unit_zh: str, up_to: bool) -> str:
    return f"{amount}{unit_zh}" + ("（最长）" if up_to else "")


def jurisdictions_markdown() -> str:
    """Every limit, obligation and review note of every bundled book, with its source."""
    as_of = _as_of()
    out = ["# 各地规则一览 / Jurisdictions", "",
           "Generated from `rules/*.yaml` by `python -m govdisclose._docgen`; "
           "`tests/test_docs.py` checks it is current. Values are those each book states "
           "(all dated values listed); 'relation' compares a local value with the national "
           f"one in force on {as_of.isoformat()} or later.", ""]
    for book in _books():
        parent = f"，继承 `{book.parent.id}`" if book.parent else ""
        out += [f"## {book.name} (`{book.id}`{parent})", ""]
        if book.description:
            out += [book.description.strip(), ""]
        own_limits = sorted(k for k, lim in book.limits.items() if lim.book == book.id)
        if own_limits:
            out += ["| limit | 事项 | value | valid | from | relation | source |",
                    "| --- | --- | --- | --- | --- | --- | --- |"]
        else:
            out.append("No limits of its own: every limit is inherited. 时限全部沿用上级规定。")
        for key in own_limits:
            limit = book.limits[key]
            for v in limit.values:
                valid = f"{v.valid_from or '…'} – {v.valid_until or '…'}"
                value = "repealed" if v.repealed else _value_text(
                    v.amount, v.unit.zh if v.unit else "", v.up_to)
                on = max(v.valid_from or as_of, as_of)
                try:
                    relation = book.limit(key, on).relation.value if v.in_force(on) else ""
                except LimitNotInForceError:
                    relation = ""
                cite = "；".join(f"{c}" + (" ⚠待审核" if c.review else "") for c in v.cites)
                out.append(f"| `{key}` | {limit.label} | {value} | {valid} | "
                           f"{v.from_event or ''} | {relation} | {cite} |")
        own_obligations = [o for o in book.obligations.values() if o.book == book.id]
        if own_obligations:
            out += ["", "| obligation | 义务 | schedule | source |", "| --- | --- | --- | --- |"]
            for ob in sorted(own_obligations, key=lambda o: o.id):
                for ov in ob.values:
                    s = ov.schedule
                    when = "" if s is None else (
                        ", ".join(f"{m}月{d}日" for m, d in s.dates) if s.dates
                        else f"每月{s.day}日" if s.every == "month"
                        else "每年一次（无固定日期）" if s.undated else f"{s.month}月{s.day}日")
                    cite = "；".join(f"{c}" + (" ⚠待审核" if c.review else "") for c in ov.cites)
                    out.append(f"| `{ob.id}` | {ob.label} | {when} | {cite} |")
        notes = [n for n in book.review_notes if n.book == book.id]
        if notes:
            out += ["", "**待法律审核 / For legal review**", ""]
            out += [f"- **{n.topic}** — {n.reading}" for n in notes]
        out.append("")
    return "\n".join(out)


def main() -> None:
    root = Path.cwd()
    (root / "docs" / "jurisdictions.md").write_text(jurisdictions_markdown(), encoding="utf-8")
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = re.sub(r"(<!-- rulebooks:start -->\n).*?(\n<!-- rulebooks:end -->)",
                  lambda m: m.group(1) + readme_table() + m.group(2), text, flags=re.S)
    readme.write_text(text, encoding="utf-8")
    sys.stdout.write("docs/jurisdictions.md and README.md rulebook table regenerated\n")


if __name__ == "__main__":
    main()
