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
