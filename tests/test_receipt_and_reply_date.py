"""Issue 10, points 10 and 11: the receipt date (dated receipt rules, the channel named in
Chinese, a weekend receipt under the policy in force) and which date of a reply is judged.

Dates are worked by hand on 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号,
tests/data/notices/2026.txt): 清明 04-04..06 off, no make-up day nearby.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from govdisclose import RequestError, load_rulebook
from govdisclose.engine.reply_date import REPLY_DATE_POLICY
from govdisclose.engine.requests import evaluate_request
from govdisclose.rulebook.parts import PolicyValue
from govdisclose.rulebook.vocabulary import ReplyDate

if TYPE_CHECKING:
    from pathlib import Path

SATURDAY_EMAIL: dict[str, Any] = {"id": "R", "channel": "email", "submitted_on": "2026-03-07",
                                  "confirmed_on": "2026-03-07"}


# -- receipt ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("submitted", "in_force"), [("2019-05-14", False), ("2019-05-15", True)])
def test_receipt_rules_are_dated_from_2019_05_15(submitted: str, in_force: bool) -> None:
    # 条例 2019 第三十一条第（一）项 "申请人当面提交政府信息公开申请的，以提交之日为收到申请之日"
    # applies from 2019-05-15; the day before, no receipt rule is in force.
    request = {"id": "1", "submitted_on": submitted, "channel": "in_person"}
    if in_force:
        out = evaluate_request("national", request, as_of=date(2019, 5, 20))
        assert out.received_on == date(2019, 5, 15)
    else:
        with pytest.raises(RequestError) as caught:
            evaluate_request("national", request, as_of=date(2019, 5, 20))
        assert [p.code for p in caught.value.problems] == ["receipt.not_in_force"]


def test_the_receipt_trace_names_the_channel_in_chinese() -> None:
    # 条例 2019 第三十一条第（三）项 "以双方确认之日为收到申请之日" (e-mail read as an internet channel)
    out = evaluate_request("national", SATURDAY_EMAIL, as_of=date(2026, 3, 20))
    step = next(t for t in out.trace if t.code == "receipt")
    assert "电子邮件" in step.zh and "确认之日" in step.zh
    assert "email" not in step.zh and "confirmed_on" not in step.zh
    assert step.basis is not None and "第三十一条第（三）项" in step.basis


def test_a_missing_receipt_date_is_asked_for_in_chinese() -> None:
    with pytest.raises(RequestError) as caught:
        evaluate_request("national", {"id": "1", "submitted_on": "2026-03-02",
                                      "channel": "registered_mail"}, as_of=date(2026, 3, 20))
    problem = caught.value.problems[0]
    assert problem.code == "receipt.missing"
    assert "邮寄（需签收）" in problem.message_zh and "签收之日" in problem.message_zh


def test_the_national_receipt_policy_cites_both_readings() -> None:
    policy, _, _ = load_rulebook("national").policy("receipt_on_non_workday")
    assert policy is not None and policy.value == "next_day"
    assert "shift_to_next_workday" in policy.local_may_choose
    reviews = " ".join(c.review or "" for c in policy.cites)
    # neither text is in the reference folder: named in a review note, not cited as a source
    assert "国办公开办函〔2015〕207号" in reviews and "shift_to_next_workday" in reviews
    assert "待法律审核" in reviews


def _shift_book(tmp_path: Path) -> Path:
    path = tmp_path / "shift.yaml"
    path.write_text("""\
id: shift
name: 示例区
extends: national
sources:
  demo-rules: {title: 示例区政府信息公开办法, number: null, date: null}
policies:
  receipt_on_non_workday:
    value: shift_to_next_workday
    cite: {source: demo-rules, article: 第一条}
""", encoding="utf-8")
    return path


def test_a_saturday_receipt_under_each_policy(tmp_path: Path) -> None:
    # next_day (national): received Sat 03-07, counting from Mon 03-09: 03-09..13 = 5, 03-16..20
    # = 10, 03-23..27 = 15, 03-30..04-03 = 20 -> 04-03.
    out = evaluate_request("national", SATURDAY_EMAIL, as_of=date(2026, 3, 20))
    reply = out.deadlines["request.reply"]
    assert reply.due == date(2026, 4, 3)
    codes = [t.code for t in reply.trace]
    assert codes.count("receipt.non_workday") == 1 and "receipt.shifted" not in codes
    # shift_to_next_workday: deemed received Mon 03-09, not counted: 03-10..13 = 4, … 03-30..
    # 04-03 = 19, 04-04..06 清明, 04-07 = 20 -> 04-07.
    out = evaluate_request(load_rulebook(_shift_book(tmp_path)), SATURDAY_EMAIL,
                           as_of=date(2026, 3, 20))
    reply = out.deadlines["request.reply"]
    assert reply.due == date(2026, 4, 7)
    codes = [t.code for t in reply.trace]
    assert codes.count("receipt.shifted") == 1 and "receipt.non_workday" not in codes
    # the shift is the book's choice, and the step cites it
    shifted = next(t for t in reply.trace if t.code == "receipt.shifted")
    assert "第一条" in (shifted.basis or "")


# -- the reply date --------------------------------------------------------------------------

def _replied(**days: str) -> dict[str, Any]:
    return {**SATURDAY_EMAIL, "events": [{"type": "replied", "on": "2026-04-03", **days}]}


def test_by_default_the_day_sent_is_judged() -> None:
    # due 04-03 (above); sent 04-07: 04-04..06 清明 off, 04-07 = 1 working day late.
    out = evaluate_request("national", _replied(sent_on="2026-04-07"), as_of=date(2026, 4, 10))
    assert out.status.state == "answered_late" and out.status.replied_on == date(2026, 4, 7)
    assert out.status.working_days_late == 1
    assert [v.code for v in out.violations] == ["reply.late"]
    step = next(t for t in out.trace if t.code == "reply.date")
    # The national book states the policy (reply_date: sent), with its citation and review note.
    assert "发出之日" in step.zh and "第三十三条第二款" in (step.basis or "")


def test_a_local_book_may_choose_the_day_served(tmp_path: Path) -> None:
    book = tmp_path / "local-served.yaml"
    book.write_text(
        "id: local-served\nname: 测试地区（虚构）\nextends: national\n"
        "sources:\n  t: {title: 测试用规定（虚构）, number: null, date: null}\n"
        "policies:\n  reply_date:\n    value: served\n    cite: {source: t, article: 第一条}\n",
        encoding="utf-8")
    local = load_rulebook(str(book))
    assert local.policy("reply_date")[0].value == "served"
    # Due 04-03 (above). Made and sent 04-03, served 04-09: the book judges the day served,
    # which is after the due date.
    out = evaluate_request(local, _replied(served_on="2026-04-09"), as_of=date(2026, 4, 10))
    assert out.status.replied_on == date(2026, 4, 9)
    assert out.status.state == "answered_late"


def test_a_reply_with_only_its_day_is_judged_by_it_without_a_step() -> None:
    out = evaluate_request("national", _replied(), as_of=date(2026, 4, 10))
    assert out.status.state == "answered_on_time"
    assert all(t.code != "reply.date" for t in out.trace)


def test_served_late_is_not_late_when_the_day_sent_is_judged() -> None:
    out = evaluate_request("national", _replied(served_on="2026-04-09"), as_of=date(2026, 4, 10))
    assert out.status.state == "answered_on_time" and out.status.replied_on == date(2026, 4, 3)


@pytest.mark.parametrize(("choice", "days", "judged", "state"), [
    (ReplyDate.MADE, {"sent_on": "2026-04-07"}, date(2026, 4, 3), "answered_on_time"),
    (ReplyDate.SERVED, {"sent_on": "2026-04-03", "served_on": "2026-04-09"}, date(2026, 4, 9),
     "answered_late"),
    # served not recorded: the day sent, and the trace says so
    (ReplyDate.SERVED, {"sent_on": "2026-04-03"}, date(2026, 4, 3), "answered_on_time"),
])
def test_a_book_may_choose_the_reply_date(choice: ReplyDate, days: dict[str, str],
                                          judged: date, state: str) -> None:
    # The rulebook schema does not declare the policy yet: set it on a loaded book.  The
    # citation borrowed here only exercises the trace.
    national = load_rulebook("national")
    cites = national.policies["receipt_on_non_workday"].cites
    value = PolicyValue(valid_from=None, valid_until=None, key=REPLY_DATE_POLICY,
                        value=str(choice), local_may_choose=(), cites=cites, book=national.id)
    book = replace(national, policies={**national.policies, REPLY_DATE_POLICY: value})
    out = evaluate_request(book, _replied(**days), as_of=date(2026, 4, 10))
    assert (out.status.replied_on, out.status.state) == (judged, state)
    step = next(t for t in out.trace if t.code == "reply.date")
    assert choice.zh in step.zh and step.basis


@pytest.mark.parametrize(("event", "code"), [
    ({"type": "replied", "on": "2026-04-03", "sent_on": "2026-04-02"}, "reply_date.early"),
    ({"type": "replied", "on": "2026-04-03", "sent_on": "2026-04-07",
      "served_on": "2026-04-06"}, "reply_date.early"),
    ({"type": "extension_approved", "on": "2026-04-01", "sent_on": "2026-04-02"},
     "reply_date.not_a_reply"),
])
def test_reply_dates_are_checked(event: dict[str, Any], code: str) -> None:
    with pytest.raises(RequestError) as caught:
        evaluate_request("national", {**SATURDAY_EMAIL, "events": [event]},
                         as_of=date(2026, 4, 10))
    assert code in [p.code for p in caught.value.problems]
