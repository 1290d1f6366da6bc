"""Decision precedence respects higher law (issue 10, point 4).

A national decision rule marked ``mandatory`` (an outcome the 2019 regulation prescribes:
第十四条 grounds through 第三十六条第（三）项, 第三十五条, 第三十六条, 第三十八条, 第三十九条) cannot be
pre-empted by a local rule; a local rule or reply classed ``relation: conflict`` is reported
and never applied; a local exemption that ``restates`` a national ground keeps its overrides.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govdisclose.engine.backends import PythonBackend
from govdisclose.engine.replies import decide
from govdisclose.messages import TraceStep
from govdisclose.rulebook.loading import load_rulebook

BOOKS = ["national", "yangquan", "huadian", "kuancheng", "changchun-new-area",
         "changchun-new-area.high-tech-zone", "changchun-new-area.sasac"]
ON = date(2026, 3, 2)
BASE: dict[str, Any] = {"request_kind": "information", "clear": True, "exists": True,
                        "held_by_this_agency": True, "already_public": False,
                        "information_category": "proactive"}


def _decide(book_id: str, **facts: Any) -> tuple[Any, list[TraceStep]]:
    trace: list[TraceStep] = []
    book = load_rulebook(book_id)
    decision = decide(book, {**BASE, **facts}, PythonBackend(), ON, trace)
    assert decision is not None
    return decision, trace


@pytest.mark.parametrize(("facts", "reply"), [
    # 第三十六条第（六）项：已就申请事项作出答复、申请人重复申请的，告知申请人不予重复处理
    ({"repeated_request": True}, "repeated"),
    # 第三十五条：申请数量、频次明显超过合理范围……不予处理
    ({"excessive": True}, "excessive_not_processed"),
    # 第三十六条第（七）项：依照有关法律、行政法规的规定办理
    ({"special_law_applies": True}, "special_law"),
    # 第三十八条：需要加工、分析的，可以不予提供
    ({"needs_processing": True}, "no_processing_duty"),
    # 第三十九条第二款：要求提供公开出版物的，可以告知获取的途径
    ({"request_kind": "publication"}, "publication"),
    # 第十四条：依法确定为国家秘密的政府信息……不予公开 (category 'proactive' notwithstanding)
    ({"exemption_grounds": ["national_secret"]}, "non_disclosure_decision"),
    ({"exemption_grounds": ["state_secret"], "separable": True}, "partial_decision"),
    # 第三十六条第（五）项：告知申请人并说明理由；能够确定……告知该行政机关的名称、联系方式
    ({"held_by_this_agency": False}, "not_this_agency"),
])
def test_yangquan_cannot_pre_empt_a_mandatory_national_outcome(facts: dict[str, Any],
                                                              reply: str) -> None:
    decision, _ = _decide("yangquan", **facts)
    assert decision.type == reply


def test_a_trade_secret_with_an_overriding_public_interest_is_disclosed() -> None:
    # 第十五条：第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开
    decision, trace = _decide("yangquan", exemption_grounds=["trade_secret"],
                              public_interest_override=True, information_category="on_request")
    assert decision.type == "disclosure_decision"
    assert any(s.code == "exemption.lifted" for s in trace)


@pytest.mark.parametrize("facts", [{"secrecy_undetermined": True},
                                   {"existence_reveals_protected": True}])
def test_conflicting_local_replies_are_reported_not_applied(facts: dict[str, Any]) -> None:
    # 第三十六条 lists the replies; 暂缓公开 and 不予确认 are not among them (第三十三条 runs on)
    decision, trace = _decide("yangquan", **facts)
    assert decision.type not in ("deferred", "neither_confirm_nor_deny")
    assert any(s.code == "higher_law" for s in trace)


def test_conflicting_replies_are_classed_in_the_data() -> None:
    book = load_rulebook("yangquan")
    assert {k for k, r in book.replies.items() if r.conflict} == {
        "deferred", "neither_confirm_nor_deny"}


def _mandatory_cases(book_id: str) -> list[tuple[str, dict[str, Any]]]:
    """For every mandatory national rule, facts reaching it first in the national book."""
    national = load_rulebook("national")
    facts_by_rule: dict[str, dict[str, Any]] = {
        "not_an_information_request": {"request_kind": "petition"},
        "publication_requested": {"request_kind": "publication"},
        "excessive": {"excessive": True},
        "repeated": {"repeated_request": True},
        "special_law": {"special_law_applies": True},
        "not_this_agency": {"held_by_this_agency": False},
        "does_not_exist": {"exists": False},
        "already_public": {"already_public": True},
        "needs_processing": {"needs_processing": True},
        "exempt_but_separable": {"exemption_grounds": ["internal_affairs"], "separable": True},
        "exempt": {"exemption_grounds": ["internal_affairs"]},
        # 第四十一条：有权更正的行政机关审核属实的，应当予以更正并告知申请人；不属于本行政机关职能范围的，
        # 可以转送有权更正的行政机关处理并告知申请人，或者告知申请人向有权更正的行政机关提出
        "correction_made": {"request_kind": "correction", "record_inaccurate": True},
        "correction_forwarded": {"request_kind": "correction", "correction_within_powers": False,
                                 "correction_forwarded": True},
        "correction_elsewhere": {"request_kind": "correction",
                                 "correction_within_powers": False},
        "correction_not_verified": {"request_kind": "correction", "record_inaccurate": False},
    }
    # every 第十四条 ground reaches the non-disclosure outcome
    for key, ground in national.exemptions.items():
        if ground.strength == "mandatory":
            facts_by_rule[f"exempt:{key}"] = {"exemption_grounds": [key]}
    mandatory = {r.id for r in national.decisions_on(ON) if r.mandatory}
    assert mandatory <= {k.split(":")[0] for k in facts_by_rule}, "a mandatory rule has no case"
    return [(k, v) for k, v in facts_by_rule.items() if k.split(":")[0] in mandatory]


@pytest.mark.parametrize("book_id", BOOKS)
def test_every_book_reaches_every_mandatory_national_outcome(book_id: str) -> None:
    national = load_rulebook("national")
    book = load_rulebook(book_id)
    for case, facts in _mandatory_cases(book_id):
        trace: list[TraceStep] = []
        expected = decide(national, {**BASE, **facts}, PythonBackend(), ON, trace)
        got = decide(book, {**BASE, **facts}, PythonBackend(), ON, trace)
        assert expected is not None and got is not None
        form = book.replies[got.type]
        assert expected.type in (got.type, form.implements), (book_id, case, got.type)


@pytest.mark.parametrize("book_id", BOOKS)
def test_local_forms_say_what_the_national_reply_requires(book_id: str) -> None:
    """A reply that ``implements`` a national type states remedies where the national one must."""
    book = load_rulebook(book_id)
    national = load_rulebook("national")
    for key, reply in book.replies.items():
        if reply.implements is not None:
            target = national.replies[reply.implements]
            assert reply.remedies or not target.remedies, (book_id, key)
            assert not reply.conflict, (book_id, key)


def test_huadian_disclosure_bills_no_search_copy_or_postage_fees() -> None:
    # 第四十二条：行政机关依申请提供政府信息，不收取费用。The answer form's fee lines are
    # reported as conflicting provisions, never prescribed; the information is not held back
    # until payment.
    decision, trace = _decide("huadian")
    assert decision.type == "answer_disclosed"
    assert not any("费" in line for line in decision.contents)
    reported = [s for s in trace if s.code == "higher_law"]
    assert len(reported) == 2 and all("抵触" in s.zh for s in reported)


@pytest.mark.parametrize("book_id", BOOKS)
def test_reply_conflicts_name_conflicting_provisions(book_id: str) -> None:
    book = load_rulebook(book_id)
    for key, reply in book.replies.items():
        for name in reply.conflicts:
            assert book.provisions[name].relation == "conflict", (book_id, key, name)


def test_validate_names_local_rules_that_could_shadow_a_mandatory_outcome() -> None:
    from govdisclose.engine.shadowing import shadowing

    found = shadowing(load_rulebook("yangquan"), ON)
    # one entry per local rule, naming every national rule it could pre-empt
    assert len({s.local for s in found}) == len(found)
    pairs = {(s.local, n) for s in found for n in s.national}
    # 第三十六条第（五）项 and 第十四条 via 第三十六条第（三）项
    assert ("yq_not_this_bureau", "not_this_agency") in pairs
    assert ("yq_proactive_not_yet_published", "exempt") in pairs
    # a local form of the national reply does not shadow it; conflicts are never applied
    assert ("yq_exempt", "exempt") not in pairs
    assert not {p for p in pairs if p[0] in ("yq_deferred", "yq_neither_confirm_nor_deny")}
    # a rule that cannot fire where the national one is first does not shadow it
    assert ("yq_unclear", "excessive") not in pairs
    assert shadowing(load_rulebook("national"), ON) == []


def test_validate_notes_local_rules_that_could_shadow_a_mandatory_national_outcome(
        capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from govdisclose.cli import main

    rules = Path(__file__).resolve().parent.parent / "rules"
    assert main(["validate", str(rules / "huadian.yaml")]) == 0  # a note, not a failure
    out = capsys.readouterr().out
    assert "note:" in out and "hd_incomplete" in out and "mandatory" in out
    # grouped: one line per local rule, each national rule named with its article
    notes = [line for line in out.splitlines() if "本地决定规则" in line]
    named = [line.split("本地决定规则 ")[1].split()[0] for line in notes]
    assert len(notes) == len(set(named)) > 1
    (incomplete,) = [line for line in notes if "本地决定规则 hd_incomplete " in line]
    assert "第三十五条 excessive" in incomplete and "第三十六条第（五）项 not_this_agency" in incomplete


def test_a_reply_conflicting_with_higher_law_is_no_answer() -> None:
    # 阳泉 暂缓公开 has no basis in 条例 2019 第三十六条: recording it does not answer the request.
    # Received 2026-03-02, 15 日 → 03-17; as of 03-20 the request is overdue (2026 notice: no
    # holiday in March).
    from datetime import date

    from govdisclose.engine.requests import evaluate_request

    data = {"id": "D", "received_on": "2026-03-02",
            "events": [{"type": "replied", "on": "2026-03-12", "reply": "deferred"}],
            "facts": {"exists": True, "secrecy_undetermined": True}}
    out = evaluate_request("yangquan", data, as_of=date(2026, 3, 20))
    assert out.status.state == "overdue"
    assert [v.code for v in out.violations] == ["reply.conflicts_with_higher_law",
                                                 "reply.overdue"]
