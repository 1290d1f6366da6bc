"""Issue 10 (legal correctness): what stops the reply clock in which regime, and the 补正 states.

- 条例 2019 第三十三条第三款: "行政机关征求第三方和其他机关意见所需时间不计算在前款规定的期限内" — no
  suspension (中止); a local suspension (桦甸 ②第十一条) yields to higher law.
- 条例 2019 第三十条: "答复期限自行政机关收到补正的申请之日起计算。申请人无正当理由逾期不补正的，视为
  放弃申请" — while a supplement is outstanding the period has not started.
- 2008 第二十四条 (per the reference README): only third-party consultation time is not counted.

Dates on the 2026 notice (国办发明电〔2025〕7号: 清明 04-04..06) and the 2016 notice
(国办发明电〔2015〕18号: no March holiday); the YAML cases in tests/cases/national/
pauses-and-supplements.yaml and tests/cases/huadian/suspension.yaml work them by hand.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from govdisclose import RequestError, load_rulebook
from govdisclose._schema import validator
from govdisclose.engine.compare import compare_books
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request

D = date.fromisoformat
BASE: dict[str, Any] = {"id": "T-10", "received_on": "2026-03-02", "channel": "in_person",
                        "applicant": {"type": "citizen"}, "events": [], "facts": {}}
PAUSE_ARTICLE = "第三十三条第三款"


def run(events: list[dict[str, Any]], as_of: str, book: str = "national",
        **extra: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["events"] = events
    data.update(extra)
    rb = load_rulebook(book)
    out = evaluate_request(rb, parse_request(data, rb), as_of=D(as_of)).to_json()
    assert [e.message for e in validator("outcome").iter_errors(out)] == []
    return out


def all_trace(out: dict[str, Any]) -> str:
    return json.dumps([out["trace"], [d["trace"] for d in out["deadlines"].values()]],
                      ensure_ascii=False)


@pytest.mark.parametrize("book", ["national", "huadian", "yangquan", "kuancheng"])
def test_a_suspension_never_pauses_nor_cites_the_consultation_article(book: str) -> None:
    out = run([{"type": "suspended", "on": "2026-03-10"},
               {"type": "resumed", "on": "2026-03-20"}], as_of="2026-03-11", book=book)
    reply = out["deadlines"]["request.reply"]
    assert reply["due"] is not None
    assert reply["pauses"] == []
    steps = [t for t in out["trace"] if t["code"] in ("pause.not_excluded", "higher_law")]
    assert steps and all(PAUSE_ARTICLE not in (t["basis"] or "") for t in steps)
    assert all("中止" not in t["zh"] or PAUSE_ARTICLE not in (t["basis"] or "")
               for d in out["deadlines"].values() for t in d["trace"])


def test_huadian_local_suspension_yields_to_higher_law() -> None:
    out = run([{"type": "suspended", "on": "2026-03-10"}], as_of="2026-03-11", book="huadian")
    higher = [t for t in out["trace"] if t["code"] == "higher_law"]
    assert len(higher) == 1
    assert "第十一条" in higher[0]["zh"] and "第三十三条第二款" in higher[0]["zh"]
    # compare classifies the local rule against the national baseline: the national rule applies
    rows = compare_books([load_rulebook("national"), load_rulebook("huadian")],
                         D("2026-03-11")).to_json()["rows"]
    cell = next(r for r in rows if r["id"] == "request.force_majeure_suspension")["cells"]
    assert cell["huadian"]["relation"] == "conflict"


def test_consultations_still_pause_under_2019() -> None:
    # agency consulted 03-04, answered 03-13: 7 working days removed, 03-30 -> 04-09.
    out = run([{"type": "agency_consulted", "on": "2026-03-04"},
               {"type": "agency_replied", "on": "2026-03-13"}], as_of="2026-03-20")
    reply = out["deadlines"]["request.reply"]
    assert reply["due"] == "2026-04-09"
    assert [p["kind"] for p in reply["pauses"]] == ["interagency"]
    assert any(PAUSE_ARTICLE in (t["basis"] or "") for t in reply["trace"])


def test_2008_regime_agency_consultation_stops_nothing_and_cites_2008() -> None:
    out = run([{"type": "agency_consulted", "on": "2016-03-10"}], as_of="2016-03-31",
              received_on="2016-03-02")
    reply = out["deadlines"]["request.reply"]
    assert reply["due"] == "2016-03-23"  # 15 working days, nothing paused
    assert reply["pauses"] == []
    assert out["status"]["state"] == "overdue"
    step = next(t for t in out["trace"] if t["code"] == "pause.not_excluded")
    assert "第二十四条" in step["basis"] and "第三十三条" not in step["basis"]
    assert "第三十三条" not in all_trace(out)


def test_2008_regime_third_party_pause_cites_2008_article() -> None:
    out = run([{"type": "third_party_consulted", "on": "2016-03-10"},
               {"type": "third_party_replied", "on": "2016-03-17"}], as_of="2016-03-18",
              received_on="2016-03-02")
    reply = out["deadlines"]["request.reply"]
    assert reply["due"] == "2016-03-30"
    pause = next(t for t in reply["trace"] if t["code"] == "pause")
    assert "第二十四条" in pause["basis"]
    assert "第三十三条" not in all_trace(out)


def test_awaiting_supplement_has_no_due_date_and_is_never_overdue() -> None:
    out = run([{"type": "supplement_requested", "on": "2026-03-05"}], as_of="2026-06-30")
    assert out["status"] == {"state": "awaiting_supplement", "as_of": "2026-06-30", "due": None,
                             "replied_on": None, "working_days_left": None,
                             "working_days_late": None}
    reply = out["deadlines"]["request.reply"]
    assert reply["due"] is None
    assert any(t["code"] == "supplement.awaiting" and "第三十条" in (t["basis"] or "")
               for t in reply["trace"])
    assert out["violations"] == []


def test_supplement_period_run_out_means_abandoned() -> None:
    events = [{"type": "supplement_requested", "on": "2026-03-05",
               "supplement_due": "2026-03-20"}]
    assert run(events, as_of="2026-03-20")["status"]["state"] == "awaiting_supplement"
    out = run(events, as_of="2026-03-23")
    assert out["status"]["state"] == "abandoned"
    step = next(t for t in out["trace"] if t["code"] == "supplement.abandoned")
    assert "第三十条" in step["basis"]
    # a supplement received in time restarts the period as before: 03-18 + 20 -> 04-16
    # (03-19,20 = 2; 03-23..27 = 7; 03-30..04-03 = 12; 清明 04-04..06; 04-07..10 = 16;
    # 04-13..16 = 20).
    done = run([*events, {"type": "supplement_received", "on": "2026-03-18"}], as_of="2026-03-23")
    assert done["status"]["state"] == "open"
    assert done["deadlines"]["request.reply"]["due"] == "2026-04-16"


def test_supplement_due_before_the_notice_is_rejected() -> None:
    data = copy.deepcopy(BASE)
    data["events"] = [{"type": "supplement_requested", "on": "2026-03-05",
                       "supplement_due": "2026-03-04"}]
    with pytest.raises(RequestError, match=r"supplement_due|补正期限"):
        parse_request(data, load_rulebook("national"))


def test_a_2008_era_lapse_deems_nothing() -> None:
    """视为放弃申请 is 条例 2019 第三十条 (policy supplement_lapse, from 2019-05-15); the 2008 text
    is not at hand, so a request received 2019-05-06 whose supplement period ran out stays
    awaiting the supplement, and nothing cites the 2019 article."""
    events = [{"type": "supplement_requested", "on": "2019-05-08",
               "supplement_due": "2019-05-20"}]
    out = run(events, as_of="2019-06-28", received_on="2019-05-06")
    assert out["status"]["state"] == "awaiting_supplement"
    assert any(t["code"] == "supplement.lapsed" for t in out["trace"])
    assert not any("第711号" in (t["basis"] or "") for t in out["trace"]
                   if t["code"].startswith("supplement."))
