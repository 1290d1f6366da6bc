"""Generate docs/jurisdictions.md and the README rulebook table from the bundled books.

Run ``python -m govdisclose._docgen`` from the repository root to rewrite both;
``tests/test_docs.py`` fails when they drift from the books.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._yaml import load_yaml_file
from .engine.compare import (
    _decision_cells,
    _limit_cell,
    _obligation_cell,
    _policy_cell,
    _reply_cell,
)
from .errors import LimitNotInForceError
from .messages import Citation
from .rulebook.dated import latest_effective_date
from .rulebook.loading import bundled_library
from .rulebook.model import Relation

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

    from .engine.compare import Cell
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


def _md(text: object) -> str:
    """A table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _cites(cites: Iterable[Citation]) -> str:
    """Citations joined, each doubtful reading marked ⚠ for legal review."""
    texts = [f"{c}" + (" ⚠待审核" if c.review else "") for c in cites]
    return "；".join(dict.fromkeys(texts))


def _relation(cell: Cell | None) -> str:
    if cell is None or cell.relation is None:
        return ""
    if cell.capped:
        return "capped（可能更晚时以上位法为准）"
    return cell.relation.value


def _table(head: str, labels: Sequence[str], rows: list[list[object]]) -> list[str]:
    """A headed table, or nothing when there are no rows."""
    if not rows:
        return []
    return ["", f"**{head}**", "", "| " + " | ".join(labels) + " |",
            "| " + " | ".join("---" for _ in labels) + " |",
            *("| " + " | ".join(_md(c) for c in row) + " |" for row in rows)]


def _limit_rows(book: Rulebook, as_of: date) -> list[list[object]]:
    rows: list[list[object]] = []
    for key in sorted(k for k, lim in book.limits.items() if lim.book == book.id):
        limit = book.limits[key]
        for v in limit.values:
            valid = f"{v.valid_from or '…'} – {v.valid_until or '…'}"
            value = "repealed" if v.repealed else _value_text(
                v.amount, v.unit.zh if v.unit else "", v.up_to)
            on = max(v.valid_from or as_of, as_of)
            relation = ""
            if v.in_force(on):
                try:
                    cell = _limit_cell(book, key, on)
                except LimitNotInForceError:
                    cell = None
                relation = _relation(cell)
                if cell is not None and cell.applies and cell.relation is not Relation.NATIONAL:
                    relation += f"；适用 applies: {cell.applies}"
            rows.append([f"`{key}`", limit.label, value, valid, v.from_event or "", relation,
                         _cites(v.cites)])
    return rows


def _obligation_rows(book: Rulebook, as_of: date) -> list[list[object]]:
    rows: list[list[object]] = []
    own = sorted((o for o in book.obligations.values() if o.book == book.id), key=lambda o: o.id)
    for ob in own:
        cell = _obligation_cell(book, ob.id, as_of)
        for ov in ob.values:
            s = ov.schedule
            when = "" if s is None else (
                ", ".join(f"{m}月{d}日" for m, d in s.dates) if s.dates
                else f"每月{s.day}日" if s.every == "month"
                else "每年一次（无固定日期）" if s.undated else f"{s.month}月{s.day}日")
            relation = _relation(cell) if ov.in_force(as_of) else ""
            if relation and cell is not None and cell.applies:
                relation += f"；适用 applies: {cell.applies}"
            rows.append([f"`{ob.id}`", ob.label, when, "、".join(ob.levels) or "—", relation,
                         _cites(ov.cites)])
    return rows


def _policy_rows(book: Rulebook) -> list[list[object]]:
    rows: list[list[object]] = []
    for key in sorted(k for k, v in book.policies.items() if v.book == book.id):
        value = book.policies[key]
        cell = _policy_cell(book, key)
        national = book.root.policies.get(key)
        relation = _relation(cell)
        if cell is not None and cell.applies:
            relation += f"；适用 applies: {cell.applies}"
        rows.append([f"`{key}`", value.value,
                     "—" if national is None or book is book.root else national.value, relation,
                     _cites(value.cites)])
    return rows


def _reply_rows(book: Rulebook, as_of: date) -> list[list[object]]:
    rows: list[list[object]] = []
    for key in sorted(k for k, r in book.replies.items() if r.book == book.id):
        if book is book.root:
            continue
        reply = book.replies[key]
        cell = _reply_cell(book, key, max(reply.valid_from or as_of, as_of))
        rows.append([f"`{key}`", reply.label, _relation(cell),
                     "；".join(x for x in ((cell.note, cell.applies) if cell else ()) if x),
                     _cites(reply.cites)])
    return rows


def _decision_rows(book: Rulebook, as_of: date) -> list[list[object]]:
    cells = _decision_cells(book, as_of)
    return [[f"`{rule.id}`", cells[rule.id].text, _relation(cells[rule.id]),
             "；".join(x for x in (cells[rule.id].note, cells[rule.id].applies) if x),
             _cites(rule.cites)]
            for rule in book.decisions if rule.id in cells]


def _exemption_rows(book: Rulebook) -> list[list[object]]:
    if book is book.root:
        return []
    return [[f"`{key}`", ex.label, ex.strength, ex.restates or "—", _cites(ex.cites)]
            for key, ex in sorted(book.exemptions.items()) if ex.book == book.id]


def _conflict_rows(book: Rulebook) -> list[list[object]]:
    return [[f"`{key}`", p.label, _cites(p.cites)]
            for key, p in sorted(book.provisions.items())
            if p.book == book.id and p.relation == "conflict"]


def _duty_rows(book: Rulebook) -> list[list[object]]:
    return [[f"`{key}`", d.label, d.kind.value, d.actor or "—",
             _cites(d.cites) + (f" ⚠ {d.review}" if d.review else "")]
            for key, d in sorted(book.duties.items()) if d.book == book.id]


def _requirement_rows(book: Rulebook) -> list[list[object]]:
    parent = book.parent
    rows: list[list[object]] = []
    for key, req in book.requirements.items():
        if parent is not None and parent.requirements.get(key) is req:
            continue
        where = ("national 国家规定" if book is book.root
                 else "local, restates national 本地改写" if key in book.root.requirements
                 else "local 本地新增")
        rows.append([f"`{key}`", req.label, book.requirement_applies_to.get(key, "all"), where,
                     _cites(req.cites)])
    return rows


def _vocabulary_rows(book: Rulebook) -> list[list[object]]:
    parent = book.parent
    rows: list[list[object]] = []
    for category, entries in book.item_vocabulary.items():
        inherited = parent.item_vocabulary.get(category, {}) if parent is not None else {}
        for key, entry in entries.items():
            if inherited.get(key) is entry:
                continue
            ground = book.non_disclosure_grounds.get(key) \
                if category == "non_disclosure_reasons" else None
            rows.append([category, f"`{key}`", entry.label + (f"（→ {ground}）" if ground else ""),
                         _cites(entry.cites)])
    return rows


def _removal_rows(book: Rulebook) -> list[list[object]]:
    """Parent workflow steps a book leaves out (``workflows.<kind>.remove``), read from the
    book's file: the built workflow keeps only the steps that remain."""
    if book.file is None or book.parent is None:
        return []
    data = load_yaml_file(book.file).data
    workflows = data.get("workflows", {}) if isinstance(data, dict) else {}
    rows: list[list[object]] = []
    for kind, raw in sorted(workflows.items()):
        for entry in raw.get("remove", []) if isinstance(raw, dict) else ():
            refs = entry.get("cite", [])
            refs = refs if isinstance(refs, list) else [refs]
            cites = [Citation(book.sources[r["source"]], r["article"], r.get("quote"),
                              r.get("review")) for r in refs if r.get("source") in book.sources]
            rows.append([kind, f"`{entry.get('step')}`", entry.get("reason", ""), _cites(cites)])
    return rows


def jurisdictions_markdown() -> str:
    """Every reading of every bundled book with its source: limits, obligations, policies,
    reply types, decision rules, exemptions, conflicting provisions, duties, intake
    requirements, item vocabularies, workflow removals and review notes."""
    as_of = _as_of()
    out = ["# 各地规则一览 / Jurisdictions", "",
           "Generated from `rules/*.yaml` by `python -m govdisclose._docgen`; "
           "`tests/test_docs.py` checks it is current. Each book lists only what it states "
           "itself (inherited rules are its parent's); values are those the book states "
           "(all dated values listed). 'relation' compares a local rule with the national "
           f"one in force on {as_of.isoformat()} or later, as `govdisclose compare` does: "
           "same / stricter / allowed / local are lawful; conflict is reported and the "
           "national rule applies; capped: a period that may end later than the national "
           "one is cut to the national due date. ⚠ marks a reading for legal review.", ""]
    for book in _books():
        parent = f"，继承 `{book.parent.id}`" if book.parent else ""
        out.append(f"## {book.name} (`{book.id}`{parent})")
        if book.description:
            out += ["", book.description.strip()]
        limits = _limit_rows(book, as_of)
        if limits:
            out += _table("时限 Limits", ["limit", "事项", "value", "valid", "from", "relation",
                                          "source"], limits)
        else:
            out += ["", "No limits of its own: every limit is inherited. 时限全部沿用上级规定。"]
        out += _table("定期义务 Obligations", ["obligation", "义务", "schedule", "levels",
                                           "relation", "source"], _obligation_rows(book, as_of))
        out += _table("政策选择 Policies", ["policy", "value", "national", "relation", "source"],
                      _policy_rows(book))
        out += _table("答复类型 Reply types", ["reply", "答复", "relation", "note", "source"],
                      _reply_rows(book, as_of))
        out += _table("决定规则 Decision rules (in the book's order)",
                      ["rule", "答复", "relation", "note", "source"], _decision_rows(book, as_of))
        out += _table("不予公开情形 Exemptions", ["exemption", "情形", "strength", "restates",
                                              "source"], _exemption_rows(book))
        out += _table("与上位法抵触的条款 Provisions in conflict (reported, not applied)",
                      ["provision", "内容", "source"], _conflict_rows(book))
        out += _table("职责 Duties", ["duty", "职责", "kind", "actor", "source"],
                      _duty_rows(book))
        out += _table("申请要件 Intake requirements", ["requirement", "内容", "applies to",
                                                   "origin", "source"], _requirement_rows(book))
        out += _table("信息分类词表 Item vocabularies", ["vocabulary", "key", "名称", "source"],
                      _vocabulary_rows(book))
        out += _table("流程删减 Workflow steps removed", ["workflow", "step", "reason 理由",
                                                      "source"], _removal_rows(book))
        notes = [n for n in book.review_notes if n.book == book.id]
        if notes:
            out += ["", "**⚠ 待法律审核 / For legal review**", ""]
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
