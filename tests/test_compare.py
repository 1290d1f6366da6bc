"""Issue 10, point 14 (part): ``compare`` ranks obligations and a limit's starting event too."""

from __future__ import annotations

from datetime import date

from govdisclose import load_rulebook
from govdisclose.engine.compare import compare_books
from govdisclose.rulebook.model import Relation

ON = date(2026, 3, 2)


def _rows(*ids: str) -> dict[tuple[str, str], dict[str, object]]:
    result = compare_books([load_rulebook(i) for i in ids], ON)
    return {(kind, key): dict(zip(result.books, cells, strict=True))
            for kind, key, cells in result.rows}


def test_yangquan_annual_report_by_1_may_conflicts_with_31_january() -> None:
    # 阳泉 yq-ogi 第十三条: “一般情况下,在每年51日前公布本行政机关的政府信息公开工作年度报告”
    # (read 5月1日); 条例第四十九条第一款: 每年1月31日前. 2026-05-01 is after 2026-01-31:
    # later than higher law allows, so the national date applies.
    row = _rows("national", "yangquan")[("obligation", "report.annual")]
    national, local = row["national"], row["yangquan"]
    assert national is not None and national.relation is Relation.NATIONAL
    assert "1月31日" in national.text
    assert local is not None and local.relation is Relation.CONFLICT
    assert "5月1日" in local.text and local.applies is not None and "1月31日" in local.applies


def test_inherited_and_local_obligations_are_classified() -> None:
    rows = _rows("national", "kuancheng", "changchun-new-area.high-tech-zone")
    annual = rows[("obligation", "report.annual")]
    assert annual["kuancheng"] is not None and annual["kuancheng"].relation is Relation.INHERITED
    ledger = rows[("obligation", "ledger.monthly")]
    cell = ledger["changchun-new-area.high-tech-zone"]
    assert cell is not None and cell.relation is Relation.LOCAL and "每月4日" in cell.text
    assert ledger["national"] is None


def test_a_later_starting_event_is_not_ranked_stricter_by_amount_alone() -> None:
    # 桦甸 hd-request 第十条第一款: “自申请人登记之日起15个工作日内做出书面答复”; 条例第三十三条第二款:
    # “自收到申请之日起20个工作日内”. Registration falls back to receipt (otherwise: request.received),
    # so it is never earlier; 15 working days from a later start may end after 20 from receipt
    # (registered 6 working days late: 6 + 15 = 21 > 20). Not stricter in general.
    cell = _rows("national", "huadian")[("limit", "request.reply")]["huadian"]
    assert cell is not None and cell.relation is Relation.INCOMPARABLE
    assert "登记之日" in cell.text and cell.note is not None and "收到申请之日" in cell.note


def test_same_starting_event_still_ranks_by_amount() -> None:
    # 新区国资委: 15个工作日 from item.formed, as 条例第二十六条's 20: stricter.
    cell = _rows("national", "changchun-new-area.sasac")[("limit", "item.publish")][
        "changchun-new-area.sasac"]
    assert cell is not None and cell.relation is Relation.STRICTER and cell.note is None
    # huadian's extension counts from the same event as the national one: still stricter.
    ext = _rows("national", "huadian")[("limit", "request.extension")]["huadian"]
    assert ext is not None and ext.relation is Relation.STRICTER


def test_the_national_due_date_caps_a_local_period_that_may_end_later() -> None:
    # The engine caps 桦甸's 15 working days from 登记之日 at 条例第三十三条第二款's 20 from 收到申请之日
    # (engine/request_deadlines.py ``_within_higher_law``): compare says so rather than leave it open.
    cell = _rows("national", "huadian")[("limit", "request.reply")]["huadian"]
    assert cell is not None and cell.capped and cell.applies is not None
    assert "20个工作日" in cell.applies and "以上位法届满日为准" in (cell.note or "")
    assert cell.to_json()["capped"] is True


LAWFUL = {Relation.SAME, Relation.STRICTER, Relation.ALLOWED, Relation.LOCAL}


def test_no_local_rule_is_silently_applied_against_higher_law() -> None:
    # Issue 10, "Done when": compare over every book shows no local rule silently applied
    # against higher law. Every local limit, obligation, policy, reply type and decision rule
    # is lawful (same/stricter/allowed/local), capped by the national due date, or a conflict
    # for which the national rule is applied.
    from govdisclose import list_rulebooks
    from govdisclose.rulebook.dated import latest_effective_date

    national = load_rulebook("national")
    checked = 0
    for book_id in list_rulebooks():
        if book_id == "national":
            continue
        book = load_rulebook(book_id)
        on = max(latest_effective_date(national), latest_effective_date(book))
        result = compare_books([national, book], on)
        for kind, key, (_, cell) in result.rows:
            if kind not in ("limit", "obligation", "policy", "reply", "decision"):
                continue
            if cell is None or cell.relation in (Relation.NATIONAL, Relation.INHERITED):
                continue
            checked += 1
            where = (book_id, kind, key, cell.text, cell.relation)
            if cell.relation is Relation.CONFLICT:
                assert cell.applies, where  # reported, and what applies instead is named
            elif cell.relation is Relation.INCOMPARABLE:
                assert cell.capped and cell.applies, where
            else:
                assert cell.relation in LAWFUL, where
    assert checked > 50
