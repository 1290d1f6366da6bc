"""Build one checked :class:`Rulebook` from its parsed file and its (already built) parent.

Every section has one builder (:mod:`.sections`) and one explicit merge rule for ``extends``
inheritance (:data:`SECTIONS`):

* ``append`` — the parent's entries, then the child's; in a keyed section a child's key
  replaces the parent's entry of that key (e.g. ``limits``: a child restates ``request.reply``
  whole);
* ``prepend`` — the child's entries before the parent's (``decisions``: local rules are tried
  first);
* ``replace`` — a child that states the section replaces the parent's whole section
  (``intake.receipt_rules``, ``remedies``).

The parent is never mutated.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._dates import located_date
from .._repr import FieldRepr
from .._suggest import did_you_mean, hint_zh
from ..messages import Citation, SourceDocument
from . import duties, inheritance, sections, workflows
from .conditions import Condition, parse_condition
from .model import FactDef, Labelled, ReviewNote, Rulebook, frozen_map
from .vocabulary import CountingRuleKind

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import date
    from pathlib import Path

    from .._yaml import YamlDocument
    from ..errors import Problem

__all__ = ["SECTIONS", "Builder", "Merge", "Path_"]

Path_ = tuple[str | int, ...]


class Merge(str, enum.Enum):
    """How a child book's section combines with its parent's."""

    APPEND = "append"
    PREPEND = "prepend"
    REPLACE = "replace"


@dataclass
class _Context:
    """What a book may refer to: its ancestors' declarations plus its own."""

    sources: dict[str, SourceDocument] = field(default_factory=dict)
    events: set[str] = field(default_factory=set)
    otherwise: dict[str, str] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    facts: dict[str, tuple[str, tuple[str, ...] | None]] = field(default_factory=dict)
    limits: set[str] = field(default_factory=set)
    replies: set[str] = field(default_factory=set)
    exemptions: set[str] = field(default_factory=set)


def _keyed(build: Callable[[Builder, str, dict[str, Any]], Any]
           ) -> Callable[[Builder, Any], dict[str, Any]]:
    """A keyed section's builder from the builder of one entry."""
    def run(b: Builder, data: Any) -> dict[str, Any]:
        return {k: build(b, k, v) for k, v in data.items()}
    return run


def _labelled(section: str) -> Callable[[Builder, Any], dict[str, Any]]:
    def run(b: Builder, data: Any) -> dict[str, Any]:
        return {k: b.labelled((section, k), k, v) for k, v in data.items()}
    return run


def _attributes(b: Builder, data: Any) -> dict[str, Any]:
    from .model import AttributeDef

    out = {}
    for k, v in data.items():
        plain = b.labelled(("attributes", k), k, v)
        if "reason_required" in v:
            reason = b.cites(("attributes", k, "reason_required"), v["reason_required"])
        elif b.parent is not None and k in b.parent.attributes:  # restated: keeps the duty
            reason = b.parent.attributes[k].reason_required
        else:
            reason = ()
        out[k] = AttributeDef(k, plain.label, plain.label_en, plain.description, plain.cites,
                              reason)
    return out


def _facts(b: Builder, data: Any) -> dict[str, Any]:
    return {k: FactDef(k, v["type"], tuple(v["values"]) if "values" in v else None,
                       v["label"], v.get("label_en")) for k, v in data.items()}


def _vocabulary(b: Builder, data: Any) -> dict[str, Any]:
    return {cat: frozen_map({k: b.labelled(("item_vocabulary", cat, k), k, v)
                             for k, v in entries.items()}) for cat, entries in data.items()}


def _reason_grounds(b: Builder, data: Any) -> dict[str, Any]:
    """Each non-disclosure reason of an item form -> the exemption ground it stands for (the
    engine cites that ground when an item is withheld for the reason)."""
    out = {}
    for key, reason in data.get("non_disclosure_reasons", {}).items():
        if "ground" not in reason:
            continue
        if reason["ground"] not in b.ctx.exemptions:
            b.unknown(("item_vocabulary", "non_disclosure_reasons", key, "ground"), "不予公开情形",
                      "exemption", reason["ground"], b.ctx.exemptions, "exemptions")
        out[key] = reason["ground"]
    return out


def _requirements(b: Builder, data: Any) -> dict[str, Any]:
    return {k: b.labelled(("intake", "requirements", k), k, v) for k, v in data.items()}


def _applies(b: Builder, data: Any) -> dict[str, Any]:
    return {k: v.get("applies_to", "all") for k, v in data.items()}


def _provisions(b: Builder, data: Any) -> dict[str, Any]:
    from .model import Provision

    return {k: Provision(k, v["label"], v.get("label_en"), v.get("relation"),
                         b.cites(("provisions", k, "cite"), v["cite"]), b.book_id,
                         b.condition(("provisions", k, "applies_when"), v))
            for k, v in data.items()}


def _review_notes(b: Builder, data: Any) -> tuple[ReviewNote, ...]:
    return tuple(ReviewNote(n["topic"], n["reading"],
                            b.cites(("review_notes", i, "cite"), n["cite"]), b.book_id)
                 for i, n in enumerate(data))


def _counting(b: Builder, data: Any) -> dict[Any, Any]:
    if b.parent is not None and data:
        b.fail(("counting",), "counting.not_root",
               "期间计算规则属于国家法律，只能写在根规则集（国家基线）中",
               "counting rules are national law: state them only in the root (national) book")
    built = {k: sections.counting(b, k, v) for k, v in data.items()}
    return {CountingRuleKind(k): v for k, v in built.items()}


@dataclass(frozen=True, repr=False, eq=False)
class Section(FieldRepr):
    """Where a section's data is, how it is built, the model field it fills, how it merges."""

    where: tuple[str, ...]
    build: Callable[[Builder, Any], Any]
    attr: str
    merge: Merge


#: Every section of a rulebook, in build order (declarations before their users).
SECTIONS: tuple[Section, ...] = (
    Section(("events",), _keyed(sections.event), "events", Merge.APPEND),
    Section(("roles",), _labelled("roles"), "roles", Merge.APPEND),
    Section(("facts",), _facts, "facts", Merge.APPEND),
    Section(("limits",), _keyed(sections.limit), "limits", Merge.APPEND),
    Section(("obligations",), _keyed(sections.obligation), "obligations", Merge.APPEND),
    Section(("policies",), _keyed(sections.policy), "policies", Merge.APPEND),
    Section(("exemptions",), _keyed(sections.exemption), "exemptions", Merge.APPEND),
    Section(("replies",), _keyed(sections.reply), "replies", Merge.APPEND),
    Section(("decisions",), sections.decisions, "decisions", Merge.PREPEND),
    Section(("workflows",), _keyed(workflows.workflow), "workflows", Merge.APPEND),
    Section(("attributes",), _attributes, "attributes", Merge.APPEND),
    Section(("item_vocabulary",), _vocabulary, "item_vocabulary", Merge.APPEND),
    Section(("item_vocabulary",), _reason_grounds, "non_disclosure_grounds", Merge.APPEND),
    Section(("intake", "requirements"), _requirements, "requirements", Merge.APPEND),
    Section(("intake", "requirements"), _applies, "requirement_applies_to", Merge.APPEND),
    Section(("intake", "receipt_rules"), sections.receipt_rules, "receipt_rules",
            Merge.REPLACE),
    Section(("fees",), _keyed(sections.fee_scale), "fees", Merge.APPEND),
    Section(("provisions",), _provisions, "provisions", Merge.APPEND),
    Section(("review_notes",), _review_notes, "review_notes", Merge.APPEND),
    Section(("duties",), duties.build_duties, "duties", Merge.APPEND),
    Section(("proactive_categories",), duties.build_categories, "proactive_categories",
            Merge.APPEND),
    Section(("counting",), _counting, "counting", Merge.REPLACE),
    Section(("remedies",), sections.remedies, "remedies", Merge.REPLACE),
)


def _merge(rule: Merge, parent: Any, own: Any, stated: bool) -> Any:
    if isinstance(own, dict):
        if rule is Merge.REPLACE:
            return frozen_map(own if stated or parent is None else parent)
        base = dict(parent) if parent is not None else {}
        base.update(own)
        return frozen_map(base)
    parent_items = tuple(parent) if parent is not None else ()
    if rule is Merge.REPLACE:
        return tuple(own) if stated else parent_items
    if rule is Merge.PREPEND:
        return tuple(own) + parent_items
    return parent_items + tuple(own)


class Builder:
    """Checks one parsed book against its context and builds the merged :class:`Rulebook`.

    ``checked``: these very files (the book and every ancestor) built without a problem
    before (the compiled cache, :mod:`.cache`, knows): the checks that only ever report a
    problem and build nothing (:mod:`.inheritance`) are skipped, since they would find none
    again.  The model built is the same either way.
    """

    def __init__(self, doc: YamlDocument, parent: Rulebook | None, path: Path, *,
                 checked: bool = False) -> None:
        self.doc = doc
        self.checked = checked
        self.data: dict[str, Any] = doc.data
        self.parent = parent
        self.path = path
        self.book_id: str = self.data["id"]
        self.problems: list[Problem] = []
        self.ctx = _Context()
        if parent is not None:
            self.ctx.sources.update(parent.sources)
            self.ctx.events.update(parent.events)
            self.ctx.otherwise.update({k: e.otherwise for k, e in parent.events.items()
                                       if e.otherwise})
            self.ctx.roles.update(parent.roles)
            self.ctx.facts.update({k: (f.type, f.values) for k, f in parent.facts.items()})
            self.ctx.limits.update(parent.limits)
            self.ctx.replies.update(parent.replies)
            self.ctx.exemptions.update(parent.exemptions)

    # -- helpers ---------------------------------------------------------------------------

    def fail(self, path: Path_, code: str, zh: str, en: str) -> None:
        self.problems.append(self.doc.problem(path, code, zh, en))

    def unknown(self, path: Path_, what_zh: str, what_en: str, name: str,
                known: set[str] | Mapping[str, Any], where: str) -> None:
        guess = did_you_mean(name, known)
        self.fail(path, f"unknown.{where}", f"未声明的{what_zh} {name!r}{hint_zh(guess)}",
                  f"undeclared {what_en} {name!r}"
                  + (f" (did you mean {guess!r}?)" if guess else "")
                  + f"; declare it under {where}")

    def date_of(self, path: Path_, text: str | None) -> date | None:
        return located_date(self.doc, path, text, self.problems)

    def cites(self, path: Path_, data: Any) -> tuple[Citation, ...]:
        items = data if isinstance(data, list) else [data]
        out = []
        for i, item in enumerate(items):
            where = (*path, i) if isinstance(data, list) else path
            source = self.ctx.sources.get(item["source"])
            if source is None:
                self.unknown((*where, "source"), "来源文件", "source", item["source"],
                             self.ctx.sources, "sources")
                continue
            out.append(Citation(source, item["article"], item.get("quote"), item.get("review")))
        return tuple(out)

    def labelled(self, path: Path_, key: str, data: Mapping[str, Any]) -> Labelled:
        cites = self.cites((*path, "cite"), data["cite"]) if "cite" in data else ()
        return Labelled(key, data["label"], data.get("label_en"), data.get("description"), cites)

    def condition(self, path: Path_, data: Mapping[str, Any]) -> Condition | None:
        """The optional ``applies_when`` condition at ``path``."""
        if "applies_when" not in data:
            return None
        return parse_condition(data["applies_when"], self.ctx.facts, self.doc, path,
                               self.problems)

    def role(self, path: Path_, name: str | None) -> None:
        if name is not None and name not in self.ctx.roles:
            self.unknown(path, "角色", "role", name, self.ctx.roles, "roles")

    # -- the book --------------------------------------------------------------------------

    def _declare(self) -> None:
        """Names the book declares, usable anywhere in it (and in its children)."""
        d = self.data
        for key, src in d.get("sources", {}).items():
            self.ctx.sources[key] = SourceDocument(
                key, src["title"], src["number"], src["date"], src.get("issuer"),
                src.get("effective"), src.get("location"), src.get("note"))
            for field_name in ("date", "effective"):
                if src.get(field_name) is not None:
                    self.date_of(("sources", key, field_name), src[field_name])
        self.ctx.events.update(d.get("events", {}))
        self.ctx.otherwise.update({k: v["otherwise"] for k, v in d.get("events", {}).items()
                                   if "otherwise" in v})
        self.ctx.roles.update(d.get("roles", {}))
        for name, fact in d.get("facts", {}).items():
            values = tuple(fact["values"]) if "values" in fact else None
            self.ctx.facts[name] = (fact["type"], values)
        self.ctx.limits.update(d.get("limits", {}))
        self.ctx.replies.update(d.get("replies", {}))
        self.ctx.exemptions.update(d.get("exemptions", {}))

    def build(self) -> Rulebook:
        d = self.data
        self._declare()
        if not self.checked:
            inheritance.check_inherited_ids(self)  # a misspelt restatement never passes silently
        fields: dict[str, Any] = {}
        own: dict[str, Any] = {}
        for section in SECTIONS:
            data: Any = d
            for part in section.where:
                data = data.get(part, {}) if isinstance(data, dict) else {}
            stated = bool(data)
            if section.attr == "fees":  # the scales' shared note is documentation only
                data = {k: v for k, v in data.items() if k != "note"}
            built = section.build(self, data)
            own[section.attr] = built
            parent_value = getattr(self.parent, section.attr) if self.parent else None
            fields[section.attr] = _merge(section.merge, parent_value, built, stated)
        # a duty of other agencies (e.g. the government's annual report) is not this book's
        fields["obligations"] = frozen_map({k: o for k, o in fields["obligations"].items()
                                            if o.binds(d.get("level"))})
        if not self.checked:
            inheritance.check_limits(self, fields["limits"])  # no limit the engine never reads
        return Rulebook(
            id=self.book_id, name=d["name"], name_en=d.get("name_en"), level=d.get("level"),
            description=d.get("description"), file=self.path, parent=self.parent,
            sources=frozen_map(self.ctx.sources), **fields,
            own_limits=frozenset(own["limits"]), own_policies=frozenset(own["policies"]),
        )
