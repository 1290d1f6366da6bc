"""Issue 10 point 12: the national law that was missing — 第三十五条's second branch, the
duties of 第三十二条、第三十三条第二款、第四十三至四十五条, 第四十一条's replies and the proactive
categories of 第二十条、第二十一条 — as data the engine reads (YAML cases in
tests/cases/national/missing-national-law.yaml).  Dates: 国办发明电〔2025〕7号 (2026)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from govdisclose import RequestError, load_rulebook
from govdisclose._paths import schemas_dir
from govdisclose.engine.items import evaluate_item
from govdisclose.engine.requests import evaluate_request
from govdisclose.rulebook import vocabulary as v

BASE: dict[str, Any] = {"id": "N", "received_on": "2026-03-02", "channel": "in_person"}


def _duties(facts: dict[str, Any], events: list[dict[str, Any]] | None = None
            ) -> dict[str, dict[str, Any]]:
    out = evaluate_request("national", {**BASE, "facts": facts, "events": events or []},
                           as_of=date(2026, 3, 10)).to_json()
    return {d["id"]: d for d in out["duties"]}


def test_article_45_is_a_standing_duty_on_every_request() -> None:
    duties = _duties({})
    assert duties["agency.request_handling_rules"]["state"] == "standing"
    assert "第四十五条" in duties["agency.request_handling_rules"]["sources"][0]


def test_article_43_help_applies_only_when_the_applicant_needs_it() -> None:
    assert "request.reading_help" not in _duties({})
    found = _duties({"reading_or_sensory_difficulty": True})["request.reading_help"]
    assert (found["kind"], found["state"], found["to"]) == ("duty", "applies", "applicant")
    assert "第四十三条" in found["sources"][0]


def test_article_44_several_applicants_and_the_applicants_suggestion() -> None:
    duties = _duties({"several_applicants": True, "proactive_suggestion_accepted": True})
    assert duties["request.several_applicants"]["kind"] == "permission"
    assert duties["request.proactive_suggestion"]["kind"] == "duty"
    assert duties["request.proactive_suggestion"]["review"]  # 及时: no period in the text
    # information not disclosable is not put under proactive disclosure (第四十四条第一款)
    withheld = _duties({"several_applicants": True, "exemption_grounds": ["state_secret"]})
    assert "request.several_applicants" not in withheld


def test_article_35_the_wait_for_reasons_stops_nothing_and_says_so() -> None:
    # 收到 03-02，20 个工作日 → 03-30（3 月无节假日）；03-04 要求说明理由不停止计算。
    out = evaluate_request("national", {**BASE, "facts": {"excessive": True},
                                        "events": [{"type": "reasons_requested",
                                                    "on": "2026-03-04"}]},
                           as_of=date(2026, 3, 10))
    assert out.deadlines["request.reply"].due == date(2026, 3, 30)
    (asked,) = [d for d in out.duties if d.id == "request.excessive_reasons"]
    assert asked.review is not None and "条例未规定" in asked.review


def test_a_fixed_date_before_the_period_end_changes_nothing() -> None:
    out = evaluate_request("national", {**BASE, "facts": {"excessive": True,
                                                          "excessive_reasons": "reasonable"},
                                        "events": [{"type": "reply_date_fixed",
                                                    "on": "2026-03-05",
                                                    "reply_by": "2026-03-20"}]},
                           as_of=date(2026, 3, 10))
    assert out.deadlines["request.reply"].due == date(2026, 3, 30)


def test_event_fields_are_checked() -> None:
    with pytest.raises(RequestError) as caught:
        evaluate_request("national", {**BASE, "events": [
            {"type": "reply_date_fixed", "on": "2026-03-05"},
            {"type": "extension_approved", "on": "2026-03-25", "approved_by": "chief"},
            {"type": "replied", "on": "2026-03-26", "notified_on": "2026-03-27"}]},
            as_of=date(2026, 3, 30))
    codes = sorted(p.code for p in caught.value.problems)
    assert codes == ["event.field", "event.reply_by", "event.role"]


def test_a_duty_naming_an_undeclared_event_fails_to_load(tmp_path: Any) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text("""\
id: demo
name: 示例
extends: national
sources: {}
duties:
  demo.notice:
    about: request
    kind: duty
    label: 告知
    done_by: {event: request.notifed}
    cite: {source: ogi-2019, article: 第三十二条}
""", encoding="utf-8")
    from govdisclose import RulebookError

    with pytest.raises(RulebookError) as caught:
        load_rulebook(path)
    assert [p.code for p in caught.value.problems] == ["unknown.events"]


# -- 第二十条、第二十一条 -------------------------------------------------------------------------

ITEM: dict[str, Any] = {"id": "I", "title": "行政处罚决定书", "formed_on": "2026-03-02"}


def _item_codes(**fields: Any) -> list[str]:
    out = evaluate_item("national", {**ITEM, **fields}, as_of=date(2026, 3, 10))
    return sorted(x.code for x in out.violations)


def test_an_article_20_item_marked_on_request_is_a_finding() -> None:
    assert _item_codes(attribute="on_request", category="art20.budgets") \
        == ["item.category_not_proactive"]
    assert _item_codes(attribute="proactive", category="art20.budgets") == []
    out = evaluate_item("national", {**ITEM, "attribute": "on_request",
                                     "category": "art20.budgets"})
    assert "第二十条第（七）项" in (out.violations[0].source or "")


def test_article_21_depends_on_the_agency_tier() -> None:
    # 农田水利工程建设运营: only 乡（镇）人民政府; 市政建设: 设区的市级、县级人民政府及其部门.
    assert _item_codes(attribute="on_request", category="art21.irrigation",
                       agency_tier="township") == ["item.category_not_proactive"]
    assert _item_codes(attribute="on_request", category="art21.irrigation",
                       agency_tier="county") == []
    assert _item_codes(attribute="on_request", category="art21.municipal_construction",
                       agency_tier="county") == ["item.category_not_proactive"]
    out = evaluate_item("national", {**ITEM, "attribute": "on_request",
                                     "category": "art21.municipal_construction"})
    assert out.violations == () and any(t.code == "category.tier_unknown" for t in out.trace)


def test_an_unknown_category_is_an_input_error() -> None:
    with pytest.raises(RequestError) as caught:
        evaluate_item("national", {**ITEM, "attribute": "proactive", "category": "art20.budget"})
    assert [p.code for p in caught.value.problems] == ["item.category"]


@pytest.mark.parametrize(("schema", "pointer", "vocabulary"), [
    ("item", ["properties", "agency_tier", "enum"], v.AgencyTier),
    ("rulebook", ["$defs", "Duty", "properties", "kind", "enum"], v.DutyKind),
    ("outcome", ["$defs", "RequestOutcome", "properties", "duties", "items", "properties",
                 "state", "enum"], v.DutyState),
])
def test_new_schema_enums_are_the_vocabularies(schema: str, pointer: list[str],
                                               vocabulary: Any) -> None:
    node = json.loads((schemas_dir() / f"{schema}.schema.json").read_text(encoding="utf-8"))
    for part in pointer:
        node = node[part]
    assert node == [str(m.value) for m in vocabulary]
