"""The request engine and item planning, with deadlines worked out by hand."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from govdisclose import RequestError, load_rulebook
from govdisclose._schema import validator
from govdisclose.engine.items import evaluate_item, parse_item
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request

D = date.fromisoformat
NATIONAL = load_rulebook("national")

# Received Mon 2026-03-02; 20 working days -> 03-30 (2026 notice; 清明 04-04..06 off).
BASE: dict[str, Any] = {"id": "T-1", "received_on": "2026-03-02", "channel": "in_person",
                        "applicant": {"type": "citizen"}, "events": [], "facts": {}}


def run(events: list[dict[str, Any]] | None = None, facts: dict[str, Any] | None = None,
        as_of: str = "2026-06-30", book: str = "national", **extra: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["events"] = events or []
    data["facts"] = facts or {}
    data.update(extra)
    rb = load_rulebook(book)
    outcome = evaluate_request(rb, parse_request(data, rb), as_of=D(as_of)).to_json()
    errors = [e.message for e in validator("outcome").iter_errors(outcome)]
    assert errors == []
    return outcome


def codes(outcome: dict[str, Any]) -> list[str]:
    return sorted(v["code"] for v in outcome["violations"])


def test_third_party_pause_partial_disclosure() -> None:
    # (03-04, 03-13] removes 7 working days: 03-30 + 7 -> 04-09 (清明 skipped).
    out = run([{"type": "third_party_consulted", "on": "2026-03-04"},
               {"type": "third_party_replied", "on": "2026-03-13", "consent": False},
               {"type": "replied", "on": "2026-04-08", "reply": "partial"}],
              {"exists": True, "exemption_grounds": ["third_party_rights"], "separable": True})
    assert out["deadlines"]["request.reply"]["due"] == "2026-04-09"
    # 15 working days after 03-04: 03-05..06, 09..13, 16..20, 23..25 -> 03-25.
    assert out["deadlines"]["request.third_party_opinion"]["due"] == "2026-03-25"
    assert out["status"]["state"] == "answered_on_time"
    assert out["reply"]["type"] == "partial"
    assert out["reply"]["notice"] is None  # the regulation names no notice
    assert out["reply"]["remedies"] is True
    assert [s["id"] for s in out["steps"]] == ["intake", "consult_third_party", "decide", "reply"]
    assert codes(out) == []


def test_third_party_consent_lifts_the_exemption() -> None:
    out = run([{"type": "third_party_consulted", "on": "2026-03-04"},
               {"type": "third_party_replied", "on": "2026-03-13", "consent": True}],
              {"exists": True, "exemption_grounds": ["third_party_rights"]}, as_of="2026-03-20")
    assert out["reply"]["type"] == "disclosed"
    assert any(t["code"] == "exemption.lifted" for t in out["trace"])


def test_supplement_restart_and_overdue() -> None:
    # Notice due 7 working days after 03-02 -> 03-11; sent 03-05 (in time). Supplement received
    # Tue 03-10: 20 working days anew -> 04-08. No reply by 04-10: overdue by 2 (04-09, 04-10).
    out = run([{"type": "supplement_requested", "on": "2026-03-05"},
               {"type": "supplement_received", "on": "2026-03-10"}],
              {"exists": True}, as_of="2026-04-10")
    assert out["deadlines"]["request.supplement_notice"]["due"] == "2026-03-11"
    assert out["deadlines"]["request.reply"]["due"] == "2026-04-08"
    assert out["status"] == {"state": "overdue", "as_of": "2026-04-10", "due": "2026-04-08",
                             "replied_on": None, "working_days_left": None,
                             "working_days_late": 2}
    assert codes(out) == ["reply.overdue"]
    assert [s["id"] for s in out["steps"]] == ["intake", "supplement", "decide", "reply"]


def test_late_supplement_notice_is_a_violation() -> None:
    out = run([{"type": "supplement_requested", "on": "2026-03-12"}], as_of="2026-03-13")
    assert "supplement.late" in codes(out)


def test_valid_and_invalid_extension() -> None:
    base = {"received_on": "2026-09-28"}
    # Due 10-30 (国庆 10-01..07 off, 10-10 worked); extension approved 10-28: + 20 -> 11-27.
    ok = run([{"type": "extension_approved", "on": "2026-10-28"},
              {"type": "replied", "on": "2026-11-20"}], as_of="2026-11-30", **base)
    assert ok["deadlines"]["request.reply"]["due"] == "2026-11-27"
    assert ok["status"]["state"] == "answered_on_time"
    # Approved 11-02, after 10-30: not applied; reply 11-20 is 15 working days late.
    bad = run([{"type": "extension_approved", "on": "2026-11-02"},
               {"type": "replied", "on": "2026-11-20"}], as_of="2026-11-30", **base)
    assert bad["deadlines"]["request.reply"]["due"] == "2026-10-30"
    assert bad["status"]["state"] == "answered_late"
    assert bad["status"]["working_days_late"] == 15
    assert codes(bad) == ["extension.after_due", "reply.late"]


def test_extension_longer_than_allowed_is_capped() -> None:
    out = run([{"type": "extension_approved", "on": "2026-10-28", "amount": 30}],
              as_of="2026-10-29", received_on="2026-09-28")
    assert out["deadlines"]["request.reply"]["due"] == "2026-11-27"
    assert "extension.too_long" in codes(out)


def test_open_request_counts_working_days_left() -> None:
    # As of Fri 03-20, due 03-30: 03-23..27 and 03-30 remain = 6.
    out = run(as_of="2026-03-20")
    assert out["status"]["state"] == "open"
    assert out["status"]["working_days_left"] == 6
    assert out["reply"] is None  # no findings recorded yet


def test_open_suspension_does_not_stop_the_clock() -> None:
    # 条例 2019 has no 中止; 第三十三条第三款 excludes only consultation time. Due 03-30 as if
    # nothing happened; by 06-30 the request is overdue.
    out = run([{"type": "suspended", "on": "2026-03-10"}], as_of="2026-06-30")
    assert out["deadlines"]["request.reply"]["due"] == "2026-03-30"
    assert out["deadlines"]["request.reply"]["pauses"] == []
    assert out["status"]["state"] == "overdue"
    assert codes(out) == ["reply.overdue"]


def test_disorder_is_reported() -> None:
    out = run([{"type": "third_party_replied", "on": "2026-03-05"},
               {"type": "supplement_requested", "on": "2026-02-27"}], as_of="2026-03-06")
    assert "event.out_of_order" in codes(out)
    assert "event.before_receipt" in codes(out)


def test_events_after_as_of_are_left_out_each_said_in_the_trace_in_order() -> None:
    # Given out of order, two of them twice over, three after as_of (2026-03-09): the record
    # reads the events up to as_of in date order, and the trace names each later one by day.
    events = [{"type": "replied", "on": "2026-03-20"},
              {"type": "third_party_consulted", "on": "2026-03-03"},
              {"type": "third_party_replied", "on": "2026-03-12"},
              {"type": "replied", "on": "2026-03-20"},
              {"type": "third_party_consulted", "on": "2026-03-03"}]
    out = run(events, as_of="2026-03-09")
    future = [t["en"] for t in out["trace"] if t["code"] == "event.future"]
    assert future == [f"{kind} on {day} is after as_of and was not taken into account"
                      for kind, day in (("third_party_replied", "2026-03-12"),
                                        ("replied", "2026-03-20"), ("replied", "2026-03-20"))]
    assert out["status"]["state"] == "open"  # the replies after as_of are not read
    assert "request.third_party_opinion" in out["deadlines"]  # the consultation is
    assert "request.third_party_opinion[2]" in out["deadlines"]  # (both of them)
    # an as_of after every event leaves none out
    assert not [t for t in run(events, as_of="2026-03-20")["trace"]
                if t["code"] == "event.future"]


def test_a_consultation_answered_after_as_of_is_not_read() -> None:
    # The third party's consent lifts the exemption (第三十二条) only once it is recorded by
    # as_of: an answer after as_of is left out, as if there were none.
    events = [{"type": "third_party_consulted", "on": "2026-03-03"},
              {"type": "third_party_replied", "on": "2026-03-12", "consent": True}]
    facts = {"exists": True, "exemption_grounds": ["third_party_rights"]}
    before = run(events, facts, as_of="2026-03-09")
    unanswered = run(events[:1], facts, as_of="2026-03-09")
    after = run(events, facts, as_of="2026-03-12")
    assert before["reply"] == unanswered["reply"]
    assert before["reply"] != after["reply"]
    assert after["reply"]["grounds"] == []  # (the consent lifted the ground)


def test_the_last_answer_of_a_consultation_gives_the_consent() -> None:
    # Two answers recorded: the later one is the third party's (last) word.
    facts = {"exists": True, "exemption_grounds": ["third_party_rights"]}
    asked = {"type": "third_party_consulted", "on": "2026-03-03"}

    def answered(*consents: bool) -> dict[str, Any]:
        return run([asked, *({"type": "third_party_replied", "on": f"2026-03-{10 + i}",
                              "consent": c} for i, c in enumerate(consents))], facts,
                   as_of="2026-03-20")["reply"]

    assert answered(True, False) == answered(False) != answered(True)
    assert answered(False, True) == answered(True)


def test_an_event_before_receipt_still_sets_its_fact() -> None:
    # A supplement requested before receipt is reported (event.before_receipt) and still
    # recorded: the workflow's steps read the fact it sets as they read any other.
    before = run([{"type": "supplement_requested", "on": "2026-02-27"}], as_of="2026-03-06")
    after = run([{"type": "supplement_requested", "on": "2026-03-03"}], as_of="2026-03-06")
    none = run([], as_of="2026-03-06")
    assert "event.before_receipt" in codes(before)
    steps = [[s["id"] for s in out["steps"]] for out in (before, after, none)]
    assert steps[0] == steps[1] != steps[2]


def test_one_answer_ends_one_consultation_the_other_runs_to_its_window() -> None:
    # Two consultations of the third party, one answer: the answer ends the first; the second
    # is paused to the end of its window (request.third_party_opinion, 15 working days from
    # Thu 2026-03-05: 03-26; the 2026 notice, 国办发明电〔2025〕7号, gives no day off in March).
    out = run([{"type": "third_party_consulted", "on": "2026-03-03"},
               {"type": "third_party_consulted", "on": "2026-03-05"},
               {"type": "third_party_replied", "on": "2026-03-10"}], as_of="2026-03-11")
    pauses = out["deadlines"]["request.reply"]["pauses"]
    assert [(p["start"], p["end"], p["by_window"]) for p in pauses] == [
        ("2026-03-03", "2026-03-10", False), ("2026-03-05", "2026-03-26", True)]


def test_reply_of_the_wrong_type_is_reported() -> None:
    out = run([{"type": "replied", "on": "2026-03-10", "reply": "disclosed"}],
              {"held_by_this_agency": False}, as_of="2026-03-10")
    assert out["reply"]["type"] == "not_this_agency"
    assert out["reply"]["notice"] is None  # the regulation names no notice
    assert codes(out) == ["reply.type_mismatch"]


def test_receipt_date_from_channel() -> None:
    data = {"id": "T-2", "submitted_on": "2026-03-02", "channel": "registered_mail",
            "signed_on": "2026-03-04"}
    out = evaluate_request(NATIONAL, parse_request(data, NATIONAL), as_of=D("2026-03-05"))
    assert out.received_on == D("2026-03-04")
    missing = {"id": "T-3", "submitted_on": "2026-03-02", "channel": "letter"}
    with pytest.raises(RequestError, match="confirmed_on"):
        evaluate_request(NATIONAL, parse_request(missing, NATIONAL), as_of=D("2026-03-05"))


def test_bad_requests_raise_typed_errors_with_paths() -> None:
    with pytest.raises(RequestError) as caught:
        parse_request({"id": "X", "received_on": "2026-02-30",
                       "facts": {"exsits": True, "exists": "yes"}}, NATIONAL)
    got = {(p.code, p.path) for p in caught.value.problems}
    assert ("date.invalid", ("received_on",)) in got
    assert ("fact.unknown", ("facts", "exsits")) in got
    assert ("fact.type", ("facts", "exists")) in got
    with pytest.raises(RequestError):
        evaluate_request(NATIONAL, parse_request(BASE, NATIONAL), as_of=D("2026-03-01"))


def test_huadian_silent_third_party_is_not_consent_under_higher_law() -> None:
    # 桦甸 says silence is consent (依申请公开工作办法 第六条); 条例2019 第三十二条 lets the agency
    # decide. Window: 15 working days after 03-04 -> 03-25; as of 04-30 it has passed.
    out = run([{"type": "third_party_consulted", "on": "2026-03-04"}],
              {"exists": True, "exemption_grounds": ["third_party_rights"]},
              as_of="2026-04-30", book="huadian")
    assert any(t["code"] == "higher_law" for t in out["trace"])
    assert out["reply"]["type"] != "disclosed"


# -- items ------------------------------------------------------------------------------------


def plan(book: str, data: dict[str, Any], as_of: str | None = None) -> dict[str, Any]:
    rb = load_rulebook(book)
    out = evaluate_item(rb, parse_item(data, rb), as_of=D(as_of) if as_of else None).to_json()
    assert [e.message for e in validator("outcome").iter_errors(out)] == []
    return out


def test_kuancheng_report_chain_is_projected() -> None:
    # Formed Mon 09-21 (中秋 09-25..27, 国庆 10-01..07 off, 10-10 worked): 15 working days ->
    # 10-19; the office then has 5 -> 10-26 (= 20 working days from formation).
    out = plan("kuancheng", {"id": "K", "title": "t", "attribute": "proactive",
                             "formed_on": "2026-09-21"})
    assert out["deadlines"]["item.report_to_office"]["due"] == "2026-10-19"
    assert out["deadlines"]["item.office_publish"]["due"] == "2026-10-26"
    assert any(t["code"] == "projected"
               for t in out["deadlines"]["item.office_publish"]["trace"])


def test_sasac_major_items_go_to_the_principal() -> None:
    item = {"id": "S", "title": "t", "attribute": "proactive", "formed_on": "2026-03-02",
            "flags": {"major": True}}
    major = plan("changchun-new-area.sasac", item)
    assert "principal_approval" in [s["id"] for s in major["review"]]
    # 15 working days after 03-02: 03-03..06 (4), 09..13 (9), 16..20 (14), 03-23.
    assert major["deadlines"]["item.publish"]["due"] == "2026-03-23"
    item["flags"] = {"major": False}
    assert "principal_approval" not in [s["id"] for s in plan(
        "changchun-new-area.sasac", item)["review"]]


def test_not_disclosed_without_reason_and_huadian_filing() -> None:
    out = plan("huadian", {"id": "H", "title": "t", "attribute": "not_disclosed",
                           "formed_on": "2026-05-06"})
    assert "item.no_reason" in codes(out)
    assert out["filings"][0]["id"] == "filing.non_disclosure"
    assert out["filings"][0]["due"] == "2026-12-31"
    # The filing attaches through the obligation's `applies_when` (data), not its id: an item
    # that is disclosed has none.
    assert plan("huadian", {"id": "H", "title": "t", "attribute": "proactive",
                            "formed_on": "2026-05-06"})["filings"] == []


def test_an_obligation_attaches_to_items_by_its_condition_not_its_id(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "rules" / "huadian.yaml").read_text(encoding="utf-8")
    renamed = text.replace("  filing.non_disclosure:", "  report.non_disclosed_list:")
    path = tmp_path / "huadian.yaml"
    path.write_text(renamed, encoding="utf-8")
    book = load_rulebook(str(path))
    data = {"id": "H", "title": "t", "attribute": "not_disclosed", "formed_on": "2026-05-06"}
    out = evaluate_item(book, parse_item(data, book)).to_json()
    assert [f["id"] for f in out["filings"]] == ["report.non_disclosed_list"]


def test_unpublished_item_becomes_overdue() -> None:
    # National: 20 working days after 03-02 -> 03-30.
    out = plan("national", {"id": "N", "title": "t", "attribute": "proactive",
                            "formed_on": "2026-03-02"}, as_of="2026-04-01")
    assert out["deadlines"]["item.publish"]["due"] == "2026-03-30"
    assert codes(out) == ["item.publish_overdue"]


def test_item_vocabulary_is_checked() -> None:
    book = load_rulebook("changchun-new-area.sasac")
    genres = list(book.item_vocabulary["genres"])
    with pytest.raises(RequestError, match="genres"):
        parse_item({"id": "S", "title": "t", "attribute": "proactive",
                    "formed_on": "2026-03-02", "genre": "no-such-genre"}, book)
    assert parse_item({"id": "S", "title": "t", "attribute": "proactive",
                       "formed_on": "2026-03-02", "genre": genres[0]}, book).genre == genres[0]
