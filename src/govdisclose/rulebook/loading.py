"""Load rulebook files: strict YAML, schema, semantic checks, inheritance.

``load_rulebook`` raises :class:`RulebookError` carrying *every* problem found,
each located ``file:line:column`` with its JSON path; ``iter_rulebook_errors``
yields the same problems without raising.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._dates import located_date
from .._paths import rules_dir
from .._schema import iter_schema_problems
from .._yaml import YamlDocument, load_yaml_file
from ..errors import Problem, RulebookError, UnknownRulebookError
from ..messages import Citation, SourceDocument
from ..periods.counting import Unit
from .conditions import Condition, fact_names, parse_condition
from .model import (
    DecisionRule,
    Exemption,
    FactDef,
    FeeScale,
    FeeTier,
    Labelled,
    Limit,
    LimitValue,
    Obligation,
    ObligationValue,
    PolicyValue,
    Provision,
    ReceiptRule,
    ReplyType,
    ReviewNote,
    Rulebook,
    Schedule,
    Step,
    Workflow,
    frozen_map,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from datetime import date

__all__ = ["RulebookLibrary", "bundled_library", "iter_rulebook_errors", "list_rulebooks",
           "load_rulebook"]

#: The closed value list of each policy (schemas/rulebook.schema.json, ``policies``).
POLICY_VALUES: Mapping[str, frozenset[str]] = {
    "third_party_silence": frozenset({"agency_decides", "deemed_consent", "deemed_refusal"}),
    "interagency_silence": frozenset({"deemed_consent", "agency_decides"}),
    "receipt_on_non_workday": frozenset({"next_day", "shift_to_next_workday"}),
    "oral_requests": frozenset({"accepted", "accepted_if_writing_difficult", "not_accepted"}),
    "phone_requests": frozenset({"accepted", "not_accepted"}),
    "one_request_one_matter": frozenset({"required", "not_required"}),
    "fees": frozenset({"free", "processing_fee_when_excessive", "charged"}),
}

Path_ = tuple[str | int, ...]


@dataclass
class _Context:
    """What a book may refer to: its ancestors' declarations plus its own."""

    sources: dict[str, SourceDocument] = field(default_factory=dict)
    events: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    facts: dict[str, tuple[str, tuple[str, ...] | None]] = field(default_factory=dict)
    limits: set[str] = field(default_factory=set)
    replies: set[str] = field(default_factory=set)
    exemptions: set[str] = field(default_factory=set)


class _Builder:
    """Checks one parsed book against its context and builds the merged :class:`Rulebook`."""

    def __init__(self, doc: YamlDocument, parent: Rulebook | None, path: Path) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.parent = parent
        self.path = path
        self.book_id: str = self.data["id"]
        self.problems: list[Problem] = []
        self.ctx = _Context()
        if parent is not None:
            self.ctx.sources.update(parent.sources)
            self.ctx.events.update(parent.events)
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
        guess = difflib.get_close_matches(name, list(known), n=1)
        hint_zh = f"（是否指 {guess[0]}？）" if guess else ""
        hint_en = f" (did you mean {guess[0]!r}?)" if guess else ""
        self.fail(path, f"unknown.{where}", f"未声明的{what_zh} {name!r}{hint_zh}",
                  f"undeclared {what_en} {name!r}{hint_en}; declare it under {where}")

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

    def merged(self, attr: str, own: Mapping[str, Any]) -> Mapping[str, Any]:
        base = dict(getattr(self.parent, attr)) if self.parent is not None else {}
        base.update(own)
        return frozen_map(base)

    # -- sections --------------------------------------------------------------------------

    def build(self) -> Rulebook:
        d = self.data
        for key, src in d.get("sources", {}).items():
            self.ctx.sources[key] = SourceDocument(
                key, src["title"], src["number"], src["date"], src.get("issuer"),
                src.get("effective"), src.get("location"), src.get("note"))
            for field_name in ("date", "effective"):
                if src.get(field_name) is not None:
                    self.date_of(("sources", key, field_name), src[field_name])
        self.ctx.events.update(d.get("events", {}))
        self.ctx.roles.update(d.get("roles", {}))
        for name, fact in d.get("facts", {}).items():
            values = tuple(fact["values"]) if "values" in fact else None
            self.ctx.facts[name] = (fact["type"], values)
        self.ctx.limits.update(d.get("limits", {}))
        self.ctx.replies.update(d.get("replies", {}))
        self.ctx.exemptions.update(d.get("exemptions", {}))

        events = {k: self.labelled(("events", k), k, v) for k, v in d.get("events", {}).items()}
        roles = {k: self.labelled(("roles", k), k, v) for k, v in d.get("roles", {}).items()}
        facts = {k: FactDef(k, v["type"], tuple(v["values"]) if "values" in v else None,
                            v["label"], v.get("label_en")) for k, v in d.get("facts", {}).items()}
        limits = {k: self.limit(k, v) for k, v in d.get("limits", {}).items()}
        obligations = {k: self.obligation(k, v) for k, v in d.get("obligations", {}).items()}
        policies = {k: self.policy(k, v) for k, v in d.get("policies", {}).items()}
        exemptions = {}
        for k, v in d.get("exemptions", {}).items():
            cites = self.cites(("exemptions", k, "cite"), v["cite"])
            exemptions[k] = Exemption(k, v["label"], v.get("label_en"), v["strength"],
                                      tuple(v.get("overrides", ())), cites, self.book_id,
                                      tuple(c.text for c in cites))
        replies = {k: ReplyType(k, v["label"], v.get("label_en"), v.get("notice"),
                                tuple(v.get("contents", ())), bool(v.get("remedies", False)),
                                self.cites(("replies", k, "cite"), v["cite"]), self.book_id)
                   for k, v in d.get("replies", {}).items()}
        decisions = self.decisions(d.get("decisions", []))
        workflows = {k: self.workflow(k, v) for k, v in d.get("workflows", {}).items()}
        attributes = {k: self.labelled(("attributes", k), k, v)
                      for k, v in d.get("attributes", {}).items()}
        vocabulary = {
            cat: frozen_map({k: self.labelled(("item_vocabulary", cat, k), k, v)
                             for k, v in entries.items()})
            for cat, entries in d.get("item_vocabulary", {}).items()}
        intake = d.get("intake", {})
        requirements = {k: self.labelled(("intake", "requirements", k), k, v)
                        for k, v in intake.get("requirements", {}).items()}
        applies = {k: v.get("applies_to", "all")
                   for k, v in intake.get("requirements", {}).items()}
        receipt = tuple(
            ReceiptRule(tuple(r["channels"]), r["received_on"],
                        self.cites(("intake", "receipt_rules", i, "cite"), r["cite"]),
                        self.book_id)
            for i, r in enumerate(intake.get("receipt_rules", [])))
        fees = {k: self.fee_scale(k, v) for k, v in d.get("fees", {}).items() if k != "note"}
        provisions = {k: Provision(k, v["label"], v.get("label_en"), v.get("relation"),
                                   self.cites(("provisions", k, "cite"), v["cite"]), self.book_id,
                                   self.condition(("provisions", k, "applies_when"), v))
                      for k, v in d.get("provisions", {}).items()}
        notes = tuple(ReviewNote(n["topic"], n["reading"],
                                 self.cites(("review_notes", i, "cite"), n["cite"]), self.book_id)
                      for i, n in enumerate(d.get("review_notes", [])))
        parent = self.parent
        merged_vocab: dict[str, Mapping[str, Labelled]] = dict(
            parent.item_vocabulary if parent else {})
        merged_vocab.update(vocabulary)
        return Rulebook(
            id=self.book_id, name=d["name"], name_en=d.get("name_en"), level=d.get("level"),
            description=d.get("description"), file=self.path, parent=parent,
            sources=frozen_map(self.ctx.sources),
            events=self.merged("events", events), roles=self.merged("roles", roles),
            facts=self.merged("facts", facts), limits=self.merged("limits", limits),
            obligations=self.merged("obligations", obligations),
            policies=self.merged("policies", policies),
            exemptions=self.merged("exemptions", exemptions),
            replies=self.merged("replies", replies),
            decisions=decisions + (parent.decisions if parent else ()),
            workflows=self.merged("workflows", workflows),
            attributes=self.merged("attributes", attributes),
            item_vocabulary=frozen_map(merged_vocab),
            requirements=self.merged("requirements", requirements),
            requirement_applies_to=self.merged("requirement_applies_to", applies),
            receipt_rules=receipt if receipt else (parent.receipt_rules if parent else ()),
            fees=self.merged("fees", fees),
            provisions=self.merged("provisions", provisions),
            review_notes=(parent.review_notes if parent else ()) + notes,
            own_limits=frozenset(limits), own_policies=frozenset(policies),
            request_limits=tuple(sorted(
                k for k, v in {**(parent.limits if parent else {}), **limits}.items()
                if k.startswith("request.") and not v.extension_of and not v.pause_window_for)),
        )

    def dated(self, path: Path_, values: list[dict[str, Any]]
              ) -> list[tuple[date | None, date | None]]:
        """Check effective dates: only the first may be open, sorted, no overlap."""
        spans: list[tuple[date | None, date | None]] = []
        for i, value in enumerate(values):
            start = self.date_of((*path, i, "valid_from"), value.get("valid_from"))
            end = self.date_of((*path, i, "valid_until"), value.get("valid_until"))
            if "valid_from" not in value and i > 0:
                self.fail((*path, i), "dates.open_start",
                          "只有第一个取值可以省略 valid_from",
                          "only the first value may omit valid_from")
            if start and end and end < start:
                self.fail((*path, i, "valid_until"), "dates.reversed",
                          "valid_until 早于 valid_from", "valid_until is before valid_from")
            spans.append((start, end))
        for i in range(1, len(spans)):
            prev_start, prev_end = spans[i - 1]
            start, _ = spans[i]
            if start is None:
                continue
            if prev_start is not None and start <= prev_start:
                self.fail((*path, i, "valid_from"), "dates.order",
                          "生效日期应按先后排列且不得重复",
                          "effective dates must be in increasing order, without repeats")
            elif prev_end is not None and prev_end >= start:
                self.fail((*path, i, "valid_from"), "dates.overlap",
                          f"与前一取值的有效期重叠（前一取值至 {prev_end} 止）",
                          f"overlaps the previous value, valid until {prev_end}")
        return spans

    def limit(self, key: str, data: dict[str, Any]) -> Limit:
        path: Path_ = ("limits", key)
        self.role((*path, "actor"), data.get("actor"))
        if "extension_of" in data and data["extension_of"] not in self.ctx.limits:
            self.unknown((*path, "extension_of"), "时限", "limit", data["extension_of"],
                         self.ctx.limits, "limits")
        spans = self.dated((*path, "values"), data["values"])
        values = []
        for i, (v, (start, end)) in enumerate(zip(data["values"], spans, strict=True)):
            vpath = (*path, "values", i)
            repealed = bool(v.get("repealed", False))
            if not repealed:
                for needed in ("amount", "unit", "from"):
                    if needed not in v:
                        self.fail(vpath, "limit.incomplete", f"缺少 {needed}（或写 repealed: true）",
                                  f"missing {needed!r} (or set repealed: true)")
            event = v.get("from")
            if event is not None and event not in self.ctx.events:
                self.unknown((*vpath, "from"), "起算事件", "event", event, self.ctx.events,
                             "events")
            unit = Unit(v["unit"]) if "unit" in v else None
            amount = v.get("amount")
            if unit in (Unit.WORKING_DAYS, Unit.CALENDAR_DAYS) and amount is not None \
                    and int(amount) != amount:
                self.fail((*vpath, "amount"), "limit.fraction", "按日计算的期限必须为整数",
                          "a day period must be a whole number")
            if isinstance(amount, float) and amount.is_integer():
                amount = int(amount)
            values.append(LimitValue(start, end, amount, unit, event, bool(v.get("up_to", False)),
                                     repealed, self.cites((*vpath, "cite"), v["cite"]),
                                     self.book_id))
        return Limit(key, data["label"], data.get("label_en"), data.get("actor"),
                     data.get("extension_of"), data.get("pause_window_for"), tuple(values),
                     self.book_id, self.condition((*path, "applies_when"), data))

    def obligation(self, key: str, data: dict[str, Any]) -> Obligation:
        path: Path_ = ("obligations", key)
        self.role((*path, "actor"), data.get("actor"))
        spans = self.dated((*path, "values"), data["values"])
        values = []
        for i, (v, (start, end)) in enumerate(zip(data["values"], spans, strict=True)):
            vpath = (*path, "values", i)
            schedule = None
            if "schedule" in v:
                s = v["schedule"]
                dates = []
                for j, text in enumerate(s.get("dates", [])):
                    month, day = (int(x) for x in text.split("-"))
                    if not (1 <= month <= 12 and 1 <= day <= 31):
                        self.fail((*vpath, "schedule", "dates", j), "schedule.date",
                                  f"{text} 不是有效的月-日", f"{text} is not a valid MM-DD")
                    dates.append((month, day))
                if s["every"] == "year" and ("month" in s) != ("day" in s):
                    self.fail((*vpath, "schedule"), "schedule.incomplete",
                              "month 和 day 须同时给出（无固定日期的年度义务两者都不写）",
                              "give both month and day (or neither, for a yearly duty with no "
                              "fixed date)")
                if s["every"] == "month" and "day" not in s:
                    self.fail((*vpath, "schedule"), "schedule.incomplete",
                              "每月一次的义务需要 day", "a monthly duty needs day")
                schedule = Schedule(s["every"], s.get("month"), s.get("day"), tuple(dates),
                                    s.get("covers"))
            elif not v.get("repealed"):
                self.fail(vpath, "obligation.incomplete", "缺少 schedule（或写 repealed: true）",
                          "missing schedule (or set repealed: true)")
            values.append(ObligationValue(start, end, schedule, bool(v.get("repealed", False)),
                                          self.cites((*vpath, "cite"), v["cite"]), self.book_id))
        return Obligation(key, data["label"], data.get("label_en"), data.get("actor"),
                          tuple(values), self.book_id)

    def policy(self, key: str, data: dict[str, Any]) -> PolicyValue:
        allowed = POLICY_VALUES[key]
        for i, value in enumerate([data["value"], *data.get("local_may_choose", [])]):
            if value not in allowed:
                where: Path_ = ("policies", key, "value") if i == 0 else (
                    "policies", key, "local_may_choose", i - 1)
                self.fail(where, "policy.value",
                          f"{key} 的取值 {value!r} 无效；可用：{', '.join(sorted(allowed))}",
                          f"{value!r} is not a value of {key}; use one of "
                          f"{', '.join(sorted(allowed))}")
        return PolicyValue(key, data["value"], tuple(data.get("local_may_choose", ())),
                           self.cites(("policies", key, "cite"), data["cite"]), self.book_id)

    def decisions(self, items: list[dict[str, Any]]) -> tuple[DecisionRule, ...]:
        out = []
        seen: set[str] = set()
        for i, rule in enumerate(items):
            path: Path_ = ("decisions", i)
            if rule["id"] in seen:
                self.fail((*path, "id"), "decision.duplicate", f"规则编号 {rule['id']} 重复",
                          f"duplicate rule id {rule['id']!r}")
            seen.add(rule["id"])
            if rule["reply"] not in self.ctx.replies:
                self.unknown((*path, "reply"), "答复类型", "reply type", rule["reply"],
                             self.ctx.replies, "replies")
            for j, ground in enumerate(rule.get("grounds", [])):
                if ground not in self.ctx.exemptions:
                    self.unknown((*path, "grounds", j), "不予公开情形", "exemption ground", ground,
                                 self.ctx.exemptions, "exemptions")
            when = parse_condition(rule["when"], self.ctx.facts, self.doc, (*path, "when"),
                                   self.problems)
            if when is None:
                continue
            cites = self.cites((*path, "cite"), rule["cite"])
            out.append(DecisionRule(rule["id"], when, rule["reply"],
                                    tuple(rule.get("grounds", ())), rule.get("note"),
                                    cites, self.book_id, tuple(c.text for c in cites)))
        return tuple(out)

    def workflow(self, kind: str, data: dict[str, Any]) -> Workflow:
        path: Path_ = ("workflows", kind)
        ids = [s["id"] for s in data["steps"]]
        steps = []
        for i, s in enumerate(data["steps"]):
            spath = (*path, "steps", i)
            if ids.count(s["id"]) > 1 and ids.index(s["id"]) != i:
                self.fail((*spath, "id"), "workflow.duplicate", f"环节编号 {s['id']} 重复",
                          f"duplicate step id {s['id']!r}")
            self.role((*spath, "role"), s.get("role"))
            if "limit" in s and s["limit"] not in self.ctx.limits:
                self.unknown((*spath, "limit"), "时限", "limit", s["limit"], self.ctx.limits,
                             "limits")
            for j, nxt in enumerate(s.get("next", [])):
                if nxt not in ids:
                    self.unknown((*spath, "next", j), "环节", "step", nxt, set(ids), "steps")
            when = None
            if "when" in s:
                when = parse_condition(s["when"], self.ctx.facts, self.doc, (*spath, "when"),
                                       self.problems)
            cites = self.cites((*spath, "cite"), s["cite"])
            steps.append(Step(s["id"], s["label"], s.get("label_en"), s.get("role"),
                              s.get("limit"), when, tuple(s.get("next", ())), cites,
                              tuple(c.text for c in cites)))
        if data["start"] not in ids:
            self.unknown((*path, "start"), "环节", "step", data["start"], set(ids), "steps")
        else:
            reached = {data["start"]}
            frontier = [data["start"]]
            edges = {s["id"]: s.get("next", []) for s in data["steps"]}
            while frontier:
                for nxt in edges.get(frontier.pop(), []):
                    if nxt not in reached:
                        reached.add(nxt)
                        frontier.append(nxt)
            for i, s in enumerate(data["steps"]):
                if s["id"] not in reached:
                    self.fail((*path, "steps", i, "id"), "workflow.unreachable",
                              f"环节 {s['id']} 无法从起点 {data['start']} 到达（检查 next）",
                              f"step {s['id']!r} cannot be reached from {data['start']!r} "
                              "(check the next lists)")
        names: set[str] = set()
        for step in steps:
            if step.when is not None:
                fact_names(step.when, names)
        return Workflow(kind, data["start"], tuple(steps), self.book_id, tuple(sorted(names)))

    def fee_scale(self, key: str, data: dict[str, Any]) -> FeeScale:
        tiers = []
        expected = 1
        for i, t in enumerate(data["tiers"]):
            if t["from"] != expected:
                self.fail(("fees", key, "tiers", i, "from"), "fees.gap",
                          f"档位应从 {expected} 开始（档位须连续）",
                          f"tier must start at {expected} (tiers must be contiguous)")
            last = t["to"]
            if last is not None:
                expected = last + 1
            elif i != len(data["tiers"]) - 1:
                self.fail(("fees", key, "tiers", i, "to"), "fees.open",
                          "只有最后一档可以不设上限", "only the last tier may be open-ended")
            tiers.append(FeeTier(t["from"], last, t["price"], t.get("band"), t.get("increment")))
        return FeeScale(key, data["label"], tuple(tiers),
                        self.cites(("fees", key, "cite"), data["cite"]), self.book_id)


class RulebookLibrary:
    """A set of rulebook files found by id; loads each book once, with its ancestors.

    Args:
        directories: searched in order for ``<id>.yaml``.
    """

    def __init__(self, directories: list[Path]) -> None:
        self.directories = list(directories)
        self._books: dict[Path, Rulebook] = {}

    def ids(self) -> list[str]:
        """Ids of every rulebook file in the library's directories."""
        found: dict[str, None] = {}
        for directory in self.directories:
            for path in sorted(directory.glob("*.yaml")):
                found.setdefault(path.stem, None)
        return sorted(found)

    def find(self, rulebook_id: str, near: Path | None = None) -> Path:
        """The file of ``rulebook_id``: next to ``near`` first, then the library's directories.

        Raises:
            UnknownRulebookError: with a did-you-mean suggestion.
        """
        dirs = ([near.parent] if near is not None else []) + self.directories
        for directory in dirs:
            candidate = directory / f"{rulebook_id}.yaml"
            if candidate.is_file():
                return candidate
        known = self.ids()
        guess = difflib.get_close_matches(rulebook_id, known, n=1)
        raise UnknownRulebookError(rulebook_id, known, guess[0] if guess else None)

    def load(self, ref: str | Path) -> Rulebook:
        """Load a book by id or path.

        Raises:
            RulebookError: every problem of the book and of its ancestors.
            UnknownRulebookError: no file has this id.
        """
        path = Path(ref) if isinstance(ref, Path) or str(ref).endswith((".yaml", ".yml")) \
            else self.find(str(ref))
        book, problems = self._load(path.resolve(), ())
        if problems or book is None:
            raise RulebookError(problems)
        return book

    def problems(self, path: Path) -> list[Problem]:
        """Every problem of one file (its ancestors' problems are summarised, not repeated)."""
        _, problems = self._load(path.resolve(), (), own_only=True)
        return problems

    def _load(self, path: Path, stack: tuple[Path, ...], *, own_only: bool = False
              ) -> tuple[Rulebook | None, list[Problem]]:
        if path in self._books:
            return self._books[path], []
        display = _display(path)
        doc = load_yaml_file(path, display)
        problems = list(doc.problems)
        if not problems:
            problems.extend(iter_schema_problems("rulebook", doc))
        if problems:
            return None, problems
        data = doc.data
        if data["id"] != path.stem:
            problems.append(doc.problem(("id",), "rulebook.filename",
                                        f"id {data['id']!r} 与文件名 {path.name} 不一致",
                                        f"id {data['id']!r} does not match the file name "
                                        f"{path.name}; name the file {data['id']}.yaml"))
        parent: Rulebook | None = None
        if "extends" in data:
            try:
                parent_path = self.find(data["extends"], near=path).resolve()
            except UnknownRulebookError as exc:
                hint = f"（是否指 {exc.suggestion}？）" if exc.suggestion else ""
                problems.append(doc.problem(
                    ("extends",), "rulebook.unknown_parent",
                    f"找不到上级规则集 {data['extends']!r}{hint}",
                    f"unknown parent rulebook {data['extends']!r}"
                    + (f" (did you mean {exc.suggestion!r}?)" if exc.suggestion else "")))
                return None, problems
            if parent_path == path or parent_path in stack:
                problems.append(doc.problem(("extends",), "rulebook.cycle",
                                            f"继承关系成环：{data['extends']}",
                                            f"cyclic extends through {data['extends']!r}"))
                return None, problems
            parent, parent_problems = self._load(parent_path, (*stack, path))
            if parent is None:
                if own_only:
                    problems.append(doc.problem(
                        ("extends",), "rulebook.parent_invalid",
                        f"上级规则集 {data['extends']} 有错误，请先修正",
                        f"the parent rulebook {data['extends']!r} has errors; fix it first"))
                else:
                    problems.extend(parent_problems)
                return None, problems
        builder = _Builder(doc, parent, path)
        book = builder.build()
        problems.extend(builder.problems)
        if problems:
            return None, problems
        self._books[path] = book
        return book, []


def _display(path: Path) -> str:
    """A short, stable name for messages: relative to the cwd when below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@lru_cache(maxsize=1)
def bundled_library() -> RulebookLibrary:
    """The library of bundled rulebooks (``rules/``)."""
    return RulebookLibrary([rules_dir()])


def list_rulebooks() -> list[str]:
    """Ids of the bundled rulebooks."""
    return bundled_library().ids()


def load_rulebook(ref: str | Path) -> Rulebook:
    """Load a bundled rulebook by id (``"huadian"``) or any rulebook file by path.

    >>> load_rulebook("national").limit("request.reply", date(2026, 3, 2)).amount
    20
    """
    return bundled_library().load(ref)


def iter_rulebook_errors(path: Path) -> Iterator[Problem]:
    """Every problem in one rulebook file, located; empty when the file is valid."""
    yield from RulebookLibrary([rules_dir()]).problems(path)
