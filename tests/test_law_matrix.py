"""Issue 10: the law matrix — every book, through the public API, against the regulation.

Expectations are worked from 《中华人民共和国政府信息公开条例》 (国务院令第711号, in force 2019-05-15;
rules/sources/ogi-regulation-2019.md) and, before 2019-05-15, the 2008 text (国务院令第492号,
第二十四条 as the reference README reports it: 15 working days + up to 15, only third-party
consultation time not counted). Nothing is copied from engine output: reply dates are counted by
the small reference counter below on the `chinesecalendar` package, never the engine's calendar.
Holiday notices: 2019 — 国办发明电〔2018〕15号 (劳动节 as adjusted in March 2019: 05-01..04 off;
端午 06-07..09 off); 2026 — 国办发明电〔2025〕7号 (no holiday in March; 清明 04-04..06).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Any

import chinese_calendar
import pytest

from govdisclose import load_rulebook
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request

BOOKS = ["national", "yangquan", "huadian", "kuancheng", "changchun-new-area",
         "changchun-new-area.high-tech-zone", "changchun-new-area.sasac"]
D = date.fromisoformat
SWITCH = D("2019-05-15")  # 国务院令第711号 in force

# -- the reference counter (chinesecalendar only) ----------------------------------------------

def add_working_days(start: date, n: int) -> date:
    """The n-th working day strictly after `start` (the start day is not counted)."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def add_days(start: date, n: int) -> date:
    """n calendar days after `start`; a last day that is a rest day rolls to the next workday
    (民事诉讼法 第八十五条第三款; 民法典 第二百零三条第一款)."""
    day = start + timedelta(days=n)
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def add(start: date, n: int, unit: str) -> date:
    return add_working_days(start, n) if unit == "wd" else add_days(start, n)


def removed(start: date, end: date, unit: str) -> int:
    """Units in the half-open pause (start, end] (docs/deadlines.md §5)."""
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    return sum(map(chinese_calendar.is_workday, days)) if unit == "wd" else len(days)


# National reply period and extension, and the pause kinds not counted, by regime.
NATIONAL = {2008: (15, 15), 2019: (20, 20)}  # 2008 第二十四条; 2019 第三十三条第二款
EXCLUDED = {2008: {"third_party"}, 2019: {"third_party", "interagency"}}  # 2019 第三十三条第三款
# Local reply periods as the local texts state them (amount, extension, unit); a local period is
# applied only where it is not longer than the national one (上位法优于下位法).
LOCAL = {
    "yangquan": (15, 20, "days"),  # 阳泉 第十条: "接到申请书之日起15日内" / "延长的期限不得超过20日"
    "huadian": (15, 15, "wd"),     # 桦甸 ②第十条: "15个工作日内" / "最长不得超过15个工作日"
    "kuancheng": (20, 20, "wd"),   # 宽城 第五条(五): "20个工作日 … 可延长20个工作日内"
}


def regime(received: date) -> int:
    return 2019 if received >= SWITCH else 2008


def expected_due(book_id: str, received: date, pauses: list[tuple[str, date, date]],
                 extension: bool = False) -> date:
    rg = regime(received)
    spans = [(s, e) for kind, s, e in pauses if kind in EXCLUDED[rg]]
    periods = [(*NATIONAL[rg], "wd")]
    if book_id in LOCAL:
        periods.append(LOCAL[book_id])
    dues = []
    for amount, more, unit in periods:
        due = add(received, amount + sum(removed(s, e, unit) for s, e in spans), unit)
        dues.append(add(due, more, unit) if extension else due)  # runs on from the original due
    return min(dues)


def test_reference_counter_matches_the_hand_count() -> None:
    # 2008: 05-14 + 15 wd: 05-15..17 = 3, 05-20..24 = 8, 05-27..31 = 13, 06-03,04 = 15 → 06-04;
    #   +15: 06-05,06 = 2, 06-07 端午, 06-10..14 = 7, 06-17..21 = 12, 06-24..26 = 15 → 06-26.
    assert add_working_days(D("2019-05-14"), 15) == D("2019-06-04")
    assert add_working_days(D("2019-06-04"), 15) == D("2019-06-26")
    # 2019: 05-15 + 20 wd: 05-16,17 = 2, … 05-31 = 12, 06-03..06 = 16, 06-10..13 = 20 → 06-13;
    #   +20: 06-14 = 1, 06-17..21 = 6, 06-24..28 = 11, 07-01..05 = 16, 07-08..11 = 20 → 07-11.
    assert add_working_days(D("2019-05-15"), 20) == D("2019-06-13")
    assert add_working_days(D("2019-06-13"), 20) == D("2019-07-11")
    # a pause (05-20, 05-27] removes 05-21..24 and 05-27 = 5 working days (7 calendar days)
    assert removed(D("2019-05-20"), D("2019-05-27"), "wd") == 5
    assert expected_due("national", D("2019-05-14"), [("third_party", D("2019-05-20"),
                                                        D("2019-05-27"))]) == D("2019-06-12")
    # 阳泉 15 日: 05-14 + 15 = 05-29 (Wed); 2026: 03-02 + 20 wd = 03-30 (no March holiday)
    assert add_days(D("2019-05-14"), 15) == D("2019-05-29")
    assert add_working_days(D("2026-03-02"), 20) == D("2026-03-30")


# -- running a full request ------------------------------------------------------------------

BASE_FACTS: dict[str, Any] = {"request_kind": "information", "clear": True, "exists": True,
                              "held_by_this_agency": True, "already_public": False}
# Facts a book's own rules ask of every ordinary, complete request.
BOOK_FACTS: dict[str, dict[str, Any]] = {
    "yangquan": {"information_category": "on_request"},  # 阳泉 第九条(三)
    "huadian": {"form_complete": True, "identity_genuine": True, "applicant_type": "citizen",
                "id_copy_provided": True},  # 桦甸 三、(二)3. 要件完备
}


@cache
def book(book_id: str) -> Any:
    return load_rulebook(book_id)


def run(book_id: str, *, received: str = "2026-03-02", as_of: str = "2026-03-10",
        facts: dict[str, Any] | None = None, events: list[dict[str, Any]] | None = None,
        **extra: Any) -> dict[str, Any]:
    data = {"id": "M-1", "received_on": received, "applicant": {"type": "citizen"},
            "events": events or [], **extra,
            "facts": {**BASE_FACTS, **BOOK_FACTS.get(book_id, {}), **(facts or {})}}
    rb = book(book_id)
    return evaluate_request(rb, parse_request(data, rb), as_of=D(as_of)).to_json()


def implements(book_id: str, reply: dict[str, Any] | None) -> str | None:
    """The national reply type a decided reply is, or declares it implements."""
    assert reply is not None, "no reply decided"
    form = book(book_id).replies[reply["type"]]
    return reply["type"] if reply["type"] in book("national").replies else form.implements


# 第五十一条: 可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，
# 也可以依法申请行政复议或者提起行政诉讼
REMEDY_WORDS = ("行政复议", "行政诉讼")


def assert_states(book_id: str, reply: dict[str, Any], national_type: str,
                  required: tuple[tuple[str, ...], ...]) -> None:
    text = (reply["notice"] or "") + "".join(reply["contents"])  # the notice's title tells too
    for alternatives in required:
        assert any(w in text for w in alternatives), (book_id, national_type, alternatives, text)
    if book("national").replies[national_type].remedies:
        assert reply["remedies"], (book_id, national_type, "remedies not stated")
        assert all(w in text for w in REMEDY_WORDS), (book_id, national_type, text)


# -- 第三十六条: the seven replies ---------------------------------------------------------

ARTICLE_36: list[tuple[str, dict[str, Any], str, tuple[tuple[str, ...], ...]]] = [
    # (一) 已经主动公开的，告知申请人获取该政府信息的方式、途径
    ("(一)", {"already_public": True}, "already_public", (("途径",),)),
    # (二) 可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间
    ("(二)", {}, "disclosed", (("提供", "途径", "方式"),)),
    # (三) 决定不予公开的，告知申请人不予公开并说明理由
    ("(三)", {"exemption_grounds": ["state_secret"]}, "not_disclosed", (("不予公开",), ("理由",))),
    # (四) 经检索没有所申请公开信息的，告知申请人该政府信息不存在
    ("(四)", {"exists": False}, "does_not_exist", (("不存在",),)),
    # (五) 不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该政府信息的行政机关的，
    #      告知申请人该行政机关的名称、联系方式
    ("(五)", {"held_by_this_agency": False}, "not_this_agency",
     (("理由",), ("名称",), ("联系方式",))),
    # (六) 申请人重复申请公开相同政府信息的，告知申请人不予重复处理
    ("(六)", {"repeated_request": True}, "repeated", (("不予重复处理",),)),
    # (七) 有关法律、行政法规对信息的获取有特别规定的，告知申请人依照有关法律、行政法规的规定办理
    ("(七)", {"special_law_applies": True}, "special_law", (("法律、行政法规",),)),
]


@pytest.mark.parametrize("book_id", BOOKS)
@pytest.mark.parametrize(("item", "facts", "national_type", "required"), ARTICLE_36,
                         ids=[c[0] for c in ARTICLE_36])
def test_article_36_reply(book_id: str, item: str, facts: dict[str, Any], national_type: str,
                          required: tuple[tuple[str, ...], ...]) -> None:
    reply = run(book_id, facts=facts)["reply"]
    assert implements(book_id, reply) == national_type, (book_id, item, reply and reply["type"])
    assert_states(book_id, reply, national_type, required)


# -- 第十四条 to 第十六条: the grounds -------------------------------------------------------

CONSENT = {"third_party_consent": True}
PUBLIC = {"public_interest_override": True}
OTHER_LAW = {"other_law_requires": True}
WITHHELD, DISCLOSED = "not_disclosed", "disclosed"
GROUNDS_14 = {"national": ["state_secret", "prohibited_by_law", "endangers_security"],
              "yangquan": ["national_secret"]}  # 阳泉 第七条(一) 属于国家秘密的
GROUNDS_15 = {"national": ["third_party_rights"],
              "yangquan": ["trade_secret", "personal_privacy"],   # 阳泉 第七条(二)(三)
              "huadian": ["trade_secret", "personal_privacy"]}    # 桦甸 ①一、(二)(三)
GROUNDS_16 = {"national": ["internal_affairs", "process_information", "enforcement_files"],
              "yangquan": ["in_process"]}  # 阳泉 第七条(四) 正在调查、讨论、处理过程中的
CARVED_OUT_16 = {"process_information", "enforcement_files", "in_process"}


def ground_cells() -> list[Any]:
    cells = []
    for book_id in BOOKS:
        for source in ("national", book_id) if book_id != "national" else ("national",):
            # 第十四条: "…不予公开" — no consent, public interest or other law lifts it.
            for g in GROUNDS_14.get(source, []):
                cells += [(book_id, g, {}, WITHHELD), (book_id, g, {**CONSENT, **PUBLIC,
                                                                  **OTHER_LAW}, WITHHELD)]
            # 第十五条: "行政机关不得公开。但是，第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响
            # 的，予以公开" — withheld, unless consent or an overriding public interest.
            for g in GROUNDS_15.get(source, []):
                cells += [(book_id, g, {}, WITHHELD), (book_id, g, CONSENT, DISCLOSED),
                          (book_id, g, PUBLIC, DISCLOSED)]
            # 第十六条: "可以不予公开" — the regulation allows withholding; the books encode that
            # they withhold (noted: a lawful choice, not a duty), and 第十五条's consent or public
            # interest does not reach 第十六条. 第十六条第二款: "法律、法规、规章规定上述信息应当公开的，从其
            # 规定" — for process information and enforcement files only.
            for g in GROUNDS_16.get(source, []):
                cells += [(book_id, g, {}, WITHHELD),
                          (book_id, g, {**CONSENT, **PUBLIC}, WITHHELD)]
                if g in CARVED_OUT_16:
                    cells.append((book_id, g, OTHER_LAW, DISCLOSED))
    return [pytest.param(*c, id=f"{c[0]}-{c[1]}-{'+'.join(c[2]) or 'bare'}") for c in cells]


@pytest.mark.parametrize(("book_id", "ground", "overrides", "expected"), ground_cells())
def test_exemption_ground(book_id: str, ground: str, overrides: dict[str, Any],
                          expected: str) -> None:
    reply = run(book_id, facts={"exemption_grounds": [ground], **overrides})["reply"]
    assert implements(book_id, reply) == expected, (book_id, ground, overrides, reply["type"])
    if expected == WITHHELD:  # 第三十六条第（三）项: 告知申请人不予公开并说明理由
        assert_states(book_id, reply, WITHHELD, (("不予公开",), ("理由",)))


# -- both regimes either side of 2019-05-15 ------------------------------------------------

PAUSE_EVENTS = {  # pause kind → (start event, end event); 05-20 → 05-27 in every cell
    "third_party": ("third_party_consulted", "third_party_replied"),
    "interagency": ("agency_consulted", "agency_replied"),
    "suspension": ("suspended", "resumed"),
}
P_START, P_END = D("2019-05-20"), D("2019-05-27")


@pytest.mark.parametrize("book_id", BOOKS)
@pytest.mark.parametrize("received", ["2019-05-14", "2019-05-15"])
@pytest.mark.parametrize("pause", [None, "third_party", "interagency", "suspension"])
def test_reply_period_by_regime(book_id: str, received: str, pause: str | None) -> None:
    # 2008 第二十四条: 15 + 15 working days, third-party consultation not counted. 2019 第三十三条:
    # 20 + 20, "征求第三方和其他机关意见所需时间不计算在前款规定的期限内"; neither text has 中止.
    events = []
    if pause is not None:
        begin, end = PAUSE_EVENTS[pause]
        events = [{"type": begin, "on": str(P_START)}, {"type": end, "on": str(P_END)}]
    pauses = [(pause, P_START, P_END)] if pause else []
    out = run(book_id, received=received, as_of="2019-08-30", facts={}, events=events)
    reply = out["deadlines"]["request.reply"]
    assert D(reply["due"]) == expected_due(book_id, D(received), pauses), (book_id, pause)
    # the same request with an extension approved on 05-21 (runs on from the original due date)
    out = run(book_id, received=received, as_of="2019-08-30", facts={},
              events=[*events, {"type": "extension_approved", "on": "2019-05-21"}])
    extended = D(out["deadlines"]["request.reply"]["due"])
    assert extended == expected_due(book_id, D(received), pauses, extension=True), (book_id, pause)


def _citations(out: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, text) of every step and every source the outcome cites."""
    found = [(f"trace:{s['code']}", f"{s['zh']} {s['basis'] or ''}") for s in out["trace"]]
    for key, d in out["deadlines"].items():
        found += [(f"{key}:{s['code']}", f"{s['zh']} {s['basis'] or ''}") for s in d["trace"]]
        found += [(f"{key}:sources", src["text"]) for src in d["sources"]]
    return found


@pytest.mark.parametrize("book_id", BOOKS)
@pytest.mark.parametrize("received", ["2019-05-14", "2019-05-15"])
def test_the_trace_cites_the_regime_in_force(book_id: str, received: str) -> None:
    events = [{"type": t, "on": str(day)} for begin_end in PAUSE_EVENTS.values()
              for t, day in zip(begin_end, (P_START, P_END), strict=True)]
    out = run(book_id, received=received, as_of="2019-08-30", events=events)
    steps = [*out["trace"], *out["deadlines"]["request.reply"]["trace"]]
    paused = [s for s in steps if s["code"] == "pause"]
    not_excluded = [s for s in steps if s["code"] == "pause.not_excluded"]
    if regime(D(received)) == 2008:
        # 2008-era: the 2008 article (第二十四条, 国务院令第492号), never the 2019 regulation
        assert len(paused) == 1 and "第二十四条" in paused[0]["basis"], (book_id, paused)
        assert len(not_excluded) == 2, (book_id, not_excluded)  # agency and 中止
        assert all("第二十四条" in (s["basis"] or "") for s in not_excluded), book_id
        # The request is governed by the regime in force on receipt (as its reply period and
        # pause kinds are): no part of the outcome applies 国务院令第711号, not even the 2019
        # consultation windows (第三十二条, 第三十四条; 2008 第二十三条 set the third party no period).
        assert not [c for c in _citations(out) if "711号" in c[1]], book_id
    else:
        assert len(paused) >= 1, book_id
        assert all("第三十三条第三款" in s["basis"] for s in paused), (book_id, paused)
        assert len(not_excluded) == 1, (book_id, not_excluded)  # 中止 only
        assert "第三十三条第三款" not in (not_excluded[0]["basis"] or ""), book_id


# -- a late reply is late as the national period says ------------------------------------------

# Received Mon 2026-03-02: national due 03-30 (20 working days, hand count in the test above).
# A book may be stricter (阳泉 15 日 → 03-17) but never later: 桦甸 counts from registration
# (②第十条 "自申请人登记之日起"); registered 03-16 its 15 working days would end 04-07, past the
# national maximum, so 03-30 stays the latest lawful due date (第三十三条第二款 "自收到申请之日起").
LATE_CELLS = {
    "replied-2026": ("2026-03-02", {"type": "replied", "on": "2026-03-31"}, "answered_late",
                     "reply.late"),
    "unanswered-2026": ("2026-03-02", None, "overdue", "reply.overdue"),
    # 2008-era: received 2019-05-14, due 06-04 (15 working days); 宽城's 20 must not apply
    "replied-2008": ("2019-05-14", {"type": "replied", "on": "2019-06-05"}, "answered_late",
                     "reply.late"),
}


@pytest.mark.parametrize("book_id", BOOKS)
@pytest.mark.parametrize("cell", list(LATE_CELLS))
def test_a_late_reply_is_late_by_the_national_period(book_id: str, cell: str) -> None:
    received, event, state, code = LATE_CELLS[cell]
    national_due = add_working_days(D(received), NATIONAL[regime(D(received))][0])
    as_of = str(add_working_days(national_due, 1))
    out = run(book_id, received=received, as_of=as_of, registered_on=str(
        add_working_days(D(received), 10)), events=[event] if event else [])
    assert D(out["status"]["due"]) <= national_due, (book_id, out["status"]["due"])
    assert out["status"]["state"] == state, (book_id, out["status"])
    assert code in [v["code"] for v in out["violations"]], (book_id, out["violations"])
