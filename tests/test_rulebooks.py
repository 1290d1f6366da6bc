"""Invariants over every bundled rulebook, and the figures the issues fix as contracts."""

from __future__ import annotations

from datetime import date

import pytest

from govdisclose import list_rulebooks, load_rulebook
from govdisclose.periods.counting import Unit
from govdisclose.rulebook.model import Relation

BOOKS = list_rulebooks()
EXPECTED_IDS = {
    "national", "changchun-new-area", "changchun-new-area.sasac",
    "changchun-new-area.high-tech-zone", "kuancheng", "huadian", "yangquan",
}
ON = date(2026, 3, 2)


def test_the_contracted_rulebook_ids_are_all_bundled() -> None:
    assert set(BOOKS) >= EXPECTED_IDS


@pytest.mark.parametrize("book_id", BOOKS)
def test_every_value_has_a_source(book_id: str) -> None:
    book = load_rulebook(book_id)
    for limit in book.limits.values():
        for value in limit.values:
            assert value.cites, (limit.id, value)
    for obligation in book.obligations.values():
        for ov in obligation.values:
            assert ov.cites, obligation.id
    for group in (book.exemptions, book.replies, book.policies, book.provisions, book.fees):
        for key, entry in group.items():
            assert entry.cites, key
    for rule in book.decisions:
        assert rule.cites, rule.id
    for workflow in book.workflows.values():
        for step in workflow.steps:
            assert step.cites, step.id


@pytest.mark.parametrize("book_id", BOOKS)
def test_extends_chain_ends_at_national(book_id: str) -> None:
    assert load_rulebook(book_id).chain[-1] == "national"


# (book, limit, amount, unit) — the figures issue 3 names.
CONTRACT = [
    ("national", "request.reply", 20, Unit.WORKING_DAYS),
    ("national", "request.extension", 20, Unit.WORKING_DAYS),
    ("national", "request.supplement_notice", 7, Unit.WORKING_DAYS),
    ("national", "request.third_party_opinion", 15, Unit.WORKING_DAYS),
    ("national", "request.interagency_opinion", 15, Unit.WORKING_DAYS),
    ("national", "item.publish", 20, Unit.WORKING_DAYS),
    ("changchun-new-area.high-tech-zone", "item.publish_licensing_penalty", 7,
     Unit.WORKING_DAYS),
    ("changchun-new-area.sasac", "item.publish", 15, Unit.WORKING_DAYS),
    ("huadian", "item.interpretation", 3, Unit.WORKING_DAYS),
    ("huadian", "item.archive_delivery", 20, Unit.WORKING_DAYS),
    ("huadian", "review.secrecy_determination", 10, Unit.WORKING_DAYS),
    ("huadian", "review.secrecy_determination.extension", 7, Unit.WORKING_DAYS),
    ("kuancheng", "item.report_to_office", 15, Unit.WORKING_DAYS),
    ("kuancheng", "item.office_publish", 5, Unit.WORKING_DAYS),
    ("yangquan", "item.transfer_to_publisher", 2, Unit.WORKING_DAYS),
    ("yangquan", "review.secrecy_review", 5, Unit.WORKING_DAYS),
    ("yangquan", "sentiment.response", 48, Unit.HOURS),
]


@pytest.mark.parametrize(("book_id", "limit", "amount", "unit"), CONTRACT,
                         ids=[f"{b}:{k}" for b, k, _, _ in CONTRACT])
def test_contracted_figures(book_id: str, limit: str, amount: int, unit: Unit) -> None:
    resolved = load_rulebook(book_id).limit(limit, ON)
    assert (resolved.amount, resolved.unit) == (amount, unit)


def test_huadian_sentiment_reports_by_severity() -> None:
    book = load_rulebook("huadian")
    hours = sorted(book.limit(k, ON).amount for k in book.limits if k.startswith(
        "sentiment.report."))
    assert hours == [0.5, 1, 2, 3]


def test_national_reply_period_changes_with_the_2019_regulation() -> None:
    book = load_rulebook("national")
    assert book.limit("request.reply", date(2019, 5, 14)).amount == 15
    assert book.limit("request.reply", date(2019, 5, 15)).amount == 20
    assert book.limit("request.extension", date(2012, 1, 1)).amount == 15


def test_obligation_dates() -> None:
    national = load_rulebook("national").obligations["report.annual"].value_on(ON)
    assert national is not None and national.schedule is not None
    assert national.schedule.due_dates(2026) == [date(2026, 1, 31)]
    huadian = load_rulebook("huadian").obligations["filing.non_disclosure"].value_on(ON)
    assert huadian is not None and huadian.schedule is not None
    assert huadian.schedule.due_dates(2026) == [date(2026, 3, 31), date(2026, 12, 31)]
    ledger = load_rulebook("changchun-new-area.high-tech-zone").obligations["ledger.monthly"]
    value = ledger.value_on(ON)
    assert value is not None and value.schedule is not None
    assert len(value.schedule.due_dates(2026)) == 12


def test_children_never_change_their_parents() -> None:
    national = load_rulebook("national")
    sasac = load_rulebook("changchun-new-area.sasac")
    assert sasac.limit("item.publish", ON).amount == 15
    assert national.limit("item.publish", ON).amount == 20
    assert load_rulebook("changchun-new-area").limit("item.publish", ON).amount == 20


def test_shorter_local_limit_is_stricter_and_applies() -> None:
    resolved = load_rulebook("changchun-new-area.sasac").limit("item.publish", ON)
    assert resolved.relation is Relation.STRICTER
    assert resolved.book == "changchun-new-area.sasac"


def test_huadian_third_party_silence_conflicts_and_national_rule_applies() -> None:
    applied, relation, set_aside = load_rulebook("huadian").policy("third_party_silence")
    assert relation is Relation.CONFLICT
    assert applied is not None and applied.value == "agency_decides"
    assert applied.book == "national"
    assert set_aside is not None and set_aside.value == "deemed_consent"


def _properties(node: object, path: str = "$") -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            out.append((f"{path}.{key}", sub))
        for key, sub in node.items():
            out.extend(_properties(sub, f"{path}/{key}"))
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            out.extend(_properties(sub, f"{path}[{i}]"))
    return out


@pytest.mark.parametrize("name", ["rulebook", "calendar", "request", "item", "case", "outcome",
                                  "audit", "annual-report", "annual-report-format", "annual-register",
                                  "annual-report-full", "source-texts", "statutory-holidays"])
def test_schemas_describe_every_field_and_close_every_object(name: str) -> None:
    import json

    from govdisclose._paths import schemas_dir

    schema = json.loads((schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"].endswith("2020-12/schema") and schema["$id"]
    undocumented = [p for p, sub in _properties(schema)
                    if "description" not in sub and "$ref" not in sub]
    assert undocumented == []


@pytest.mark.parametrize("book_id", BOOKS)
def test_publication_limits_never_apply_to_withheld_items(book_id: str) -> None:
    """Issue 10, point 6: a withheld item has no publication deadline to miss.

    Every item limit completed by publication (done_by item.published, e.g. 条例第二十六条
    “自该政府信息形成或者变更之日起20个工作日内及时公开”, 高新区要点六、(三) “行政许可、行政处罚事项
    应自作出行政决定之日起7个工作日内予以公开”) must say through ``applies_when`` that it holds
    only for published attributes — whatever the item's other facts.
    """
    from govdisclose.rulebook.vocabulary import LimitAbout

    book = load_rulebook(book_id)
    flags = {k: True for k, f in book.facts.items() if f.type == "boolean"}
    for key, limit in book.limits.items():
        if limit.about is not LimitAbout.ITEM or limit.done_by is None \
                or limit.done_by.event != "item.published":
            continue
        assert limit.applies_when is not None, key
        for attribute in ("not_disclosed", "on_request"):
            assert not limit.applies_when.holds({**flags, "attribute": attribute}), (key, attribute)
        for attribute in ("proactive", "partial"):
            assert limit.applies_when.holds({**flags, "attribute": attribute}), (key, attribute)


def test_kuancheng_page_sign_off_is_not_a_review_stage() -> None:
    """Issue 10, point 7: “初审:马聪颖 复审:张津毓 终审:彭士城” follows 第十七条
    (rules/sources/kuancheng.disclosure-rules.txt L34).

    It is the web page's editorial sign-off, not procedure: no workflow step or role may rest
    on it, and a review note (listed in docs/jurisdictions.md) says why, citing that line.
    """
    book = load_rulebook("kuancheng")
    footer = [c for w in book.workflows.values() for s in w.steps for c in s.cites
              if "L34" in c.article]
    assert footer == []
    assert not any(k.endswith("_reviewer") for k in book.roles)
    assert not any(any(w in s.label for w in ("初审", "复审", "终审"))
                   for w_ in book.workflows.values() for s in w_.steps)
    notes = [n for n in book.review_notes
             if any(c.quote and "终审" in c.quote and "L34" in c.article for c in n.cites)]
    assert notes and "workflows" in notes[0].reading
