"""No dead data (issue 10, points 13 and 14): every declared policy, requirement and vocabulary is
read by the engine — how a request was made (条例 2019 第二十九条), one matter per request, the
fee policy (第四十二条), a form's non-disclosure reasons — and a duty binds only the agencies
the law names (第四十九条第二款).

Dates: 2026-03-02 is a Monday; 20 working days from it end on 2026-03-30 (国办发明电〔2025〕7号:
no holiday between; 清明 is 04-04..06).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from govdisclose import evaluate_request, load_rulebook
from govdisclose.engine.fees import fee
from govdisclose.engine.items import evaluate_item
from govdisclose.engine.obligations import obligations_for_year
from govdisclose.errors import RequestError, RulebookError
from govdisclose.rulebook.loading import list_rulebooks

AS_OF = date(2026, 4, 15)  # after the national due date 2026-03-30


def _request(channel: str = "in_person", applicant: str = "citizen",
             **facts: Any) -> dict[str, Any]:
    return {"id": "T-1", "received_on": "2026-03-02", "channel": channel,
            "applicant": {"type": applicant}, "events": [], "facts": facts}


def _codes(outcome: Any) -> list[str]:
    return [f.code for f in outcome.intake]


def test_a_phone_request_in_huadian_is_not_processed_as_normal() -> None:
    # 桦甸 三、(二)2.：各行政机关不直接受理通过电话提出的申请
    outcome = evaluate_request("huadian", _request("phone"), as_of=AS_OF)
    assert outcome.status.state.value == "not_accepted"
    assert outcome.status.due is None
    assert _codes(outcome) == ["intake.channel_not_accepted"]
    assert "三、(二)2." in outcome.intake[0].cites[0]
    assert not [v for v in outcome.violations if v.code.startswith("reply.")]
    assert outcome.to_json()["intake"][0]["blocks"] is True


def test_a_phone_request_under_the_national_book_runs_the_normal_period() -> None:
    outcome = evaluate_request("national", _request("phone"), as_of=AS_OF)
    assert outcome.status.state.value == "overdue"
    assert outcome.status.due == date(2026, 3, 30)
    assert outcome.intake == ()


@pytest.mark.parametrize(("difficult", "state", "code"), [
    # 第二十九条第一款：采用书面形式确有困难的，申请人可以口头提出，由……代为填写政府信息公开申请
    (False, "not_accepted", "intake.oral_not_accepted"),
    (True, "overdue", "intake.oral_form_filled"),
    (None, "overdue", "intake.oral_form_filled"),
])
def test_an_oral_request_is_accepted_where_writing_is_difficult(
        difficult: bool | None, state: str, code: str) -> None:
    facts = {} if difficult is None else {"writing_difficult": difficult}
    outcome = evaluate_request("national", _request("oral", **facts), as_of=AS_OF)
    assert outcome.status.state.value == state
    assert _codes(outcome) == [code]
    assert "第二十九条第一款" in outcome.intake[0].cites[0]
    if difficult is None:
        assert "记录未载明" in outcome.intake[0].zh


@pytest.mark.parametrize(("book_id", "code", "article"), [
    # 宽城 第十四条：依申请公开政府信息申请应按照一事一申请,一事一答复要求进行
    ("kuancheng", "intake.several_matters", "第十四条"),
    # 桦甸 三、(二)4.：单件申请中同时提出几项独立请求的,各行政机关可全部处理完毕后统一答复
    ("huadian", "intake.several_matters_together", "三、(二)4."),
])
def test_one_matter_per_request_is_read_where_a_book_declares_it(book_id: str, code: str,
                                                                 article: str) -> None:
    outcome = evaluate_request(book_id, _request(separate_matters=3), as_of=date(2026, 3, 5))
    assert _codes(outcome) == [code]
    assert "3" in outcome.intake[0].zh and article in outcome.intake[0].cites[0]
    assert outcome.status.state.value == "open"  # reported; the request is still handled
    assert evaluate_request(book_id, _request(separate_matters=1),
                            as_of=date(2026, 3, 5)).intake == ()


def test_the_national_book_has_no_one_matter_rule() -> None:
    outcome = evaluate_request("national", _request(separate_matters=3), as_of=date(2026, 3, 5))
    assert outcome.intake == ()


def test_missing_contents_are_named_with_their_source() -> None:
    # 第二十九条第二款第（一）项：申请人的姓名或者名称、身份证明、联系方式
    outcome = evaluate_request("national", _request(missing_requirements=["identity"]),
                               as_of=date(2026, 3, 5))
    (finding,) = outcome.intake
    assert finding.code == "intake.requirement_missing"
    assert finding.relation == "national" and "第二十九条第二款第（一）项" in finding.cites[0]
    assert "补正" in finding.zh


def test_a_local_requirement_is_marked_local_and_follows_the_applicant_type() -> None:
    # 桦甸 三、(二)2.：个人递交申请时,要同时提供身份证复印件（法人或其他组织另有要求）
    citizen = evaluate_request("huadian", _request(
        missing_requirements=["id_card_copy", "org_code_copy"]), as_of=date(2026, 3, 5))
    assert [f.relation for f in citizen.intake] == ["local"]
    assert "身份证复印件" in citizen.intake[0].zh and "待审核" in citizen.intake[0].zh
    org = evaluate_request("huadian", _request(
        applicant="organization", missing_requirements=["id_card_copy", "org_code_copy"]),
        as_of=date(2026, 3, 5))
    assert ["组织机构代码证" in f.zh for f in org.intake] == [True]


def test_an_unknown_requirement_is_bad_input() -> None:
    with pytest.raises(RequestError) as caught:
        evaluate_request("national", _request(missing_requirements=["idenity"]),
                         as_of=date(2026, 3, 5))
    assert caught.value.problems[0].code == "request.unknown_requirement"


def test_a_non_disclosure_reason_names_its_ground_and_must_be_known() -> None:
    book = load_rulebook("changchun-new-area.sasac")
    assert book.non_disclosure_grounds["trade_secret"] == "third_party_rights"
    item = {"id": "I-1", "title": "某评估报告", "attribute": "not_disclosed",
            "non_disclosure_reason": "trade_secret", "formed_on": "2026-07-06"}
    outcome = evaluate_item(book, item, as_of=date(2026, 8, 1))
    steps = [t for t in outcome.trace if t.code == "item.non_disclosure_ground"]
    assert steps and "第十五条" in (steps[0].basis or "")
    with pytest.raises(RequestError):
        evaluate_item(book, {**item, "non_disclosure_reason": "trade_secrets"},
                      as_of=date(2026, 8, 1))


def test_a_reason_naming_an_unknown_ground_fails_to_load(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(
        "id: demo\nname: 示例\nextends: national\nsources: {}\nitem_vocabulary:\n"
        "  non_disclosure_reasons:\n    secret: {label: 秘密, ground: state_secrets}\n",
        encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(path)
    (problem,) = caught.value.problems
    assert problem.line == 7 and problem.path[-1] == "ground"
    assert "state_secret" in problem.message_en  # the did-you-mean


def test_the_fee_says_when_it_may_be_charged() -> None:
    # 第四十二条第一款：不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，
    # ……可以收取信息处理费
    result = fee(load_rulebook("national"), "per_request", 12)
    assert result.total == 200  # the 11th and 12th requests at 100 yuan
    assert result.condition is not None
    assert result.condition.value == "processing_fee_when_excessive"
    assert "第四十二条第一款" in result.condition_sources[0]
    assert result.to_json()["condition"]["policy"] == "processing_fee_when_excessive"


@pytest.mark.parametrize("book_id", list_rulebooks())
def test_the_governments_annual_report_binds_governments_only(book_id: str) -> None:
    # 第四十九条第二款：县级以上地方人民政府的政府信息公开工作主管部门……公布本级政府……年度报告
    book = load_rulebook(book_id)
    dues = {o.id for o in obligations_for_year(book, 2027)}
    government = book.level in ("national", "municipal", "county", "district")
    assert ("report.annual_government" in dues) == government
    assert "report.annual" in dues  # 第一款 binds every department, and the government's


@pytest.mark.parametrize("book_id", list_rulebooks())
def test_a_notice_name_carries_its_source_or_is_left_out(book_id: str) -> None:
    # The regulation names no notices (第三十六条 says what a reply does, not what it is called).
    book = load_rulebook(book_id)
    for key, reply in book.replies.items():
        if reply.notice is None:
            continue
        assert reply.book != "national", key
        quotes = "".join(c.quote or "" for c in reply.cites)
        assert reply.notice.strip("《》") in quotes, (book_id, key)


def test_an_unsourced_notice_name_fails_to_load(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(
        "id: demo\nname: 示例\nextends: national\nsources:\n  d: {title: 示例办法, number: null, "
        "date: null}\nreplies:\n  told:\n    label: 告知\n    notice: 《某某告知书》\n"
        "    cite: {source: d, article: 第一条, quote: 应当告知申请人}\n", encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(path)
    (problem,) = caught.value.problems
    assert problem.code == "reply.notice_unsourced" and problem.line == 9


def test_a_silent_consulted_agency_is_deemed_to_consent() -> None:
    # 第三十四条：被征求意见机关应当自收到征求意见书之日起15个工作日内提出意见，逾期未提出意见的视为同意公开。
    # Consulted 2026-06-03 (Wednesday): 15 working days end 2026-06-25 (端午 06-19 is off).
    request = _request(request_kind="information", clear=True, exists=True,
                       held_by_this_agency=True)
    request["received_on"] = "2026-06-01"
    request["events"] = [{"type": "agency_consulted", "on": "2026-06-03"}]
    outcome = evaluate_request("national", request, as_of=date(2026, 6, 30))
    assert outcome.deadlines["request.interagency_opinion"].due == date(2026, 6, 25)
    steps = [t for t in outcome.trace if t.code == "interagency.silence"]
    assert steps and "deemed_consent" in steps[0].zh and "第三十四条" in steps[0].zh
    early = evaluate_request("national", request, as_of=date(2026, 6, 25))
    assert not [t for t in early.trace if t.code == "interagency.silence"]


def test_a_later_local_start_cannot_push_the_reply_past_the_national_due_date() -> None:
    # 桦甸 ②第十条 counts 15 working days from 登记之日; 第三十三条第二款 20 from 收到申请之日.
    # Received 2026-03-02, registered 2026-03-16: 15 working days from registration end 04-07,
    # 20 from receipt end 03-30 — the national date applies.
    request = _request()
    request["registered_on"] = "2026-03-16"
    outcome = evaluate_request("huadian", request, as_of=date(2026, 3, 31))
    assert outcome.status.due == date(2026, 3, 30)
    assert outcome.status.state.value == "overdue"
    assert any(t.code == "higher_law" for t in outcome.deadlines["request.reply"].head)


def test_a_correction_request_has_no_reply_period() -> None:
    # 第四十一条 sets no period for a correction; 第三十三条's 20 working days are a disclosure
    # request's (request.reply applies_when request_kind != correction).
    request = _request(request_kind="correction", record_inaccurate=True)
    outcome = evaluate_request("national", request, as_of=date(2026, 6, 1))
    assert outcome.status.state.value == "open" and outcome.status.due is None
    assert outcome.reply is not None and outcome.reply.type == "corrected"
    assert any(t.code == "reply.no_period" for t in outcome.deadlines["request.reply"].head)
    assert not [v for v in outcome.violations if v.code.startswith("reply.")]
