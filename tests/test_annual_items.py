"""The item ledger (主动公开台账) as a source of section 二: ``annual-report … --items FILE``.

The example examples/ledgers/items-2026.yaml (8 items of the fictional 华甸市 agency, with the
register examples/ledgers/register-2026.yaml) is worked by hand:

- item 1 规章 华甸市养犬管理规定, issued 2026-09-01: the register lists it (same title, same day)
  → counted once; 规章 本年制发 stays 1.
- item 2 行政规范性文件 issued 2026-05-20, not in the register → 本年制发 2 + 1 = 3.  Its repeal is
  not recorded in an item ledger, so 本年废止 (1) and 现行有效 (3) stay the register's.
- item 3 issued 2025-11-01 → not in 2026.
- item 4 行政许可 decided 2026-03-10 → 312 (the register's yearly count) + 1 = 313, with the
  register's note that a yearly count and dated decisions are added.
- item 5 行政处罚 华罚〔2026〕1号: the register lists that id → counted once; item 6 华罚〔2026〕3号
  decided 2026-10-09 → 4 + 1 = 5.
- item 7 has no annual_report_row → listed as not counted.
- item 8 says penalty (第二十条第（六）项) but its category is art20.regulations
  (第二十条第（一）项) → a located problem; not counted; the report is incomplete (exit 1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govdisclose import load_rulebook
from govdisclose._yaml import load_yaml_text
from govdisclose.annual.format import format_for_year
from govdisclose.annual.items import items_from_document, merge_items, read_item_ledger
from govdisclose.annual.register import Register, read_register
from govdisclose.annual.report import build_table
from govdisclose.annual.sections import build_report
from govdisclose.cli import main
from govdisclose.ledgers.reading import read_ledger

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "examples" / "ledgers" / "every-row-2026.csv"
REGISTER = ROOT / "examples" / "ledgers" / "register-2026.yaml"
ITEMS = ROOT / "examples" / "ledgers" / "items-2026.yaml"
BOOK = load_rulebook("huadian")
SECTION = format_for_year(2026).proactive


def _items(text: str):  # type: ignore[no-untyped-def]
    return items_from_document(load_yaml_text(text, "items.yaml"), BOOK, SECTION)


def test_the_example_worked_by_hand() -> None:
    items = read_item_ledger(ITEMS, BOOK, SECTION)
    assert items.items == 8
    assert [d.title for d in items.documents] == ["华甸市养犬管理规定", "华甸市政务数据共享管理办法",
                                                  "华甸市政务服务事项清单管理办法"]
    assert all(d.issued_only for d in items.documents)
    assert [(d.kind, d.id, d.count) for d in items.decisions] == [
        ("licensing", "华许〔2026〕15号", 1), ("penalty", "华罚〔2026〕1号", 1),
        ("penalty", "华罚〔2026〕3号", 1)]
    assert [r.row for r in items.not_counted] == [7]
    assert [r.row for r in items.rejected] == [8]
    [problem] = items.problems
    assert problem.code == "items.row_category"
    assert problem.path == (7, "annual_report_row") and problem.line == 53
    assert "第二十条第（六）项" in problem.message_zh and "art20.regulations" in problem.message_en

    table = build_table(BOOK, read_ledger(LEDGER), 2026)
    report = build_report(table, read_register(REGISTER), items=items)
    values = {c.code: c.value for c in report.proactive.cells}
    assert values == {"s2.rules.issued": 1, "s2.rules.repealed": 1, "s2.rules.in_force": 2,
                      "s2.normative_documents.issued": 3, "s2.normative_documents.repealed": 1,
                      "s2.normative_documents.in_force": 3, "s2.licensing.decisions": 313,
                      "s2.penalty.decisions": 5, "s2.coercion.decisions": 0,
                      "s2.fees.amount": values["s2.fees.amount"]}
    sources = {c.code: c.sources for c in report.proactive.cells}
    assert "items-2026.yaml 第 2 项 / items-2026.yaml item 2" in \
        sources["s2.normative_documents.issued"]
    assert not any("items-2026" in s for s in sources["s2.normative_documents.in_force"])
    codes = [n.code for n in report.proactive.notes]
    assert {"items.counted_once", "items.not_counted", "register.decisions_mixed"} <= set(codes)
    assert "items.row_category" in [p.code for p in report.problems]


def test_items_alone_give_only_what_an_item_ledger_records() -> None:
    items = _items("- {id: A, title: 某规章, attribute: proactive, annual_report_row: rules,"
                   " issued_on: '2026-02-01'}\n"
                   "- {id: B, title: 某许可决定, attribute: proactive, annual_report_row: licensing,"
                   " decision_on: '2026-12-31'}\n"
                   "- {id: C, title: 去年的许可, attribute: proactive, annual_report_row: licensing,"
                   " decision_on: '2025-12-31'}\n")
    table = build_table(BOOK, read_ledger(LEDGER), 2026)
    report = build_report(table, Register(""), items=items)
    values = {c.code: c.value for c in report.proactive.cells}
    assert values["s2.rules.issued"] == 1
    # No repeal or in-force data without the register: missing, never 0.
    assert values["s2.rules.repealed"] is None and values["s2.rules.in_force"] is None
    assert values["s2.normative_documents.issued"] is None
    assert values["s2.licensing.decisions"] == 1
    assert values["s2.penalty.decisions"] is None
    assert {"s2.rules.repealed", "s2.rules.in_force"} <= set(report.proactive.missing)


def test_a_bad_item_is_located_in_the_ledger_and_listed() -> None:
    items = _items("items:\n"
                   "  - {id: A, title: 好的, attribute: proactive, annual_report_row: rules,"
                   " issued_on: '2026-02-01'}\n"
                   "  - {id: B, title: 坏的, attribute: proactive, annual_report_row: rules,"
                   " issued_on: '2026-13-01'}\n"
                   "  - {id: C, title: 没有日期, attribute: proactive, annual_report_row: penalty,"
                   " formed_on: '2026-02-01'}\n")
    assert items.items == 3 and len(items.documents) == 1
    assert [r.row for r in items.rejected] == [2, 3]
    by_code = {p.code: p for p in items.problems}
    assert by_code["items.date_missing"].path == ("items", 2)
    assert by_code["items.date_missing"].line == 4
    bad_date = next(p for p in items.problems if p.path[:2] == ("items", 1))
    assert bad_date.file == "items.yaml" and bad_date.line == 3


def test_a_ledger_that_is_not_a_list_is_a_problem_not_a_crash() -> None:
    items = _items("title: 不是列表\n")
    assert items.items == 0
    assert [p.code for p in items.problems] == ["items.not_a_list"]


def test_a_record_in_both_is_counted_once() -> None:
    register = read_register(REGISTER)
    items = read_item_ledger(ITEMS, BOOK, SECTION)
    merged, notes = merge_items(register, items)
    assert len(merged.documents) == len(register.documents) + 2  # items 2 and 3
    assert len(merged.decisions) == len(register.decisions) + 2  # items 4 and 6
    assert [n.code for n in notes] == ["items.counted_once", "items.not_counted"]
    assert "2 条" in notes[0].message_zh


def test_cli_items_in_the_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["annual-report", "huadian", str(LEDGER), "--year", "2026", "--full",
                 "--register", str(REGISTER), "--items", str(ITEMS), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["complete"] is False  # item 8 could not be used
    cells = {c["code"]: c["value"] for c in data["sections"]["proactive"]["cells"]}
    assert cells["s2.normative_documents.issued"] == 3 and cells["s2.penalty.decisions"] == 5
    assert [p["code"] for p in data["problems"]] == ["items.row_category"]


def test_items_imply_the_whole_report_and_belong_to_no_other_subcommand(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["annual-report", "huadian", str(LEDGER), "--year", "2026",
                 "--items", str(ITEMS)]) == 2
    assert "--json" in capsys.readouterr().err
    assert main(["annual-report", "template", "-o", str(tmp_path / "x.xlsx"),
                 "--items", str(ITEMS)]) == 2
    assert main(["annual-report", "check", str(REGISTER), "--items", str(ITEMS)]) == 2
    assert main(["annual-report", "huadian", str(LEDGER), "--year", "2026", "--full",
                 "--items", str(tmp_path / "none.yaml"), "--json"]) == 2
