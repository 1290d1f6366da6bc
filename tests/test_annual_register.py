"""The agency register (年报数据) for sections 二, 四 and 六 of the annual report: the template
workbook, reading it back (xlsx and YAML), located problems, the figures, and the CLI.

The example register examples/ledgers/register-2026.yaml (and the same rows in .xlsx) is worked
by hand below, block by block.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from govdisclose.annual.register import read_register
from govdisclose.annual.register_sheets import SHEETS
from govdisclose.annual.sections import (
    PROACTIVE_KEYS,
    REMEDY_KEYS,
    figure_table,
    format_cells,
    proactive_figures,
    processing_fee_figures,
    remedy_figures,
)
from govdisclose.cli import main
from govdisclose.errors import LedgerError
from govdisclose.outputs.annual_template import write_register_template

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_YAML = ROOT / "examples" / "ledgers" / "register-2026.yaml"
EXAMPLE_XLSX = ROOT / "examples" / "ledgers" / "register-2026.xlsx"
LEDGER = ROOT / "examples" / "ledgers" / "huadian-2026.csv"

# -- the example, worked by hand (reporting year 2026) ---------------------------------------
#
# 二, 第二十条第（一）项 — documents (YAML items):
#   规章: 1 in force since 2024; 2 issued 2019, repealed 2026-06-30; 3 issued 2026-09-01.
#     本年制发 1 (item 3); 本年废止 1 (item 2); 现行有效 2 (items 1, 3).
#   行政规范性文件: 4 issued 2026-02-15; 5 issued 2026-12-31 (the last day counts);
#     6 issued 2021, expired 2026-03-31 (not repealed, no longer in force);
#     7 issued 2023, repealed 2026-12-31 (repealed on the last day: not in force at year end);
#     8 issued 2027 (not yet); 9 repealed 2025; 10 in force since 2024.
#     本年制发 2 (4, 5); 本年废止 1 (7); 现行有效 3 (4, 5, 10).
# 二, （五）（六）项 — decisions: 行政许可 the 2026 count 312 (the 2025 count 280 is another year);
#   行政处罚 dated 2026-03-02, 2026-07-15, 2026-11-30 ×2 → 4 (the 2025-12-31 one is last year's);
#   行政强制 no row, declared none for 2026 in 无此项 → 0 (not missing).
# 二, （八）项 — fees: 12.5 万元 + 3456.78 元 (0.345678 万元) + 1000 元 (0.1 万元) = 12.945678
#   → 12.9457 万元 (rounded half up, with a note); the 2025 row is another year.
# 四 — cases: 行政复议: 1 upheld 2026, 2 corrected 2026, 3 filed 2026 no result (pending),
#   4 filed 2025 decided 2026-01-15 other (carried in), 5 concluded 2025 (not counted)
#   → 1/1/1/1, total 4.
#   直接起诉: 6 upheld 2026; 7 upheld but decided 2027-01-20 → pending at year end;
#   8 filed 2025 尚未审结 → pending → 1/0/0/2, total 3.
#   复议后起诉: 9 other 2026; 10 corrected, no date, filed 2026 → corrected (note);
#   11 filed 2027 (not counted) → 0/1/1/0, total 2.
# 六 — 信息处理费: 100 + 250.50 + 49.50 = 400.00 元 in 2026, for 2 requests (HD-2026-011 paid
#   twice); the 2025 charge is last year's.
PROACTIVE_2026 = {
    "rules.issued": 1, "rules.repealed": 1, "rules.in_force": 2,
    "normative_documents.issued": 2, "normative_documents.repealed": 1,
    "normative_documents.in_force": 3,
    "licensing.decisions": 312, "penalty.decisions": 4, "coercion.decisions": 0,
    "fees.amount": Decimal("12.9457"),
}
REMEDIES_2026 = {
    "review.upheld": 1, "review.corrected": 1, "review.other": 1, "review.pending": 1,
    "review.total": 4,
    "litigation_direct.upheld": 1, "litigation_direct.corrected": 0,
    "litigation_direct.other": 0, "litigation_direct.pending": 2, "litigation_direct.total": 3,
    "litigation_after_review.upheld": 0, "litigation_after_review.corrected": 1,
    "litigation_after_review.other": 1, "litigation_after_review.pending": 0,
    "litigation_after_review.total": 2,
}


@pytest.fixture(params=[EXAMPLE_YAML, EXAMPLE_XLSX], ids=["yaml", "xlsx"])
def example(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def test_every_block_of_the_example_as_worked_by_hand(example: Path) -> None:
    register = read_register(example)
    assert register.problems == () and register.rejected == ()
    proactive = proactive_figures(register, 2026)
    assert {f.key: f.value for f in proactive.figures} == PROACTIVE_2026
    assert tuple(PROACTIVE_2026) == PROACTIVE_KEYS
    assert [n.code for n in proactive.notes] == ["register.fees_rounded"]
    remedies = remedy_figures(register, 2026)
    assert {f.key: f.value for f in remedies.figures} == REMEDIES_2026
    assert tuple(REMEDIES_2026) == REMEDY_KEYS
    assert [n.code for n in remedies.notes] == ["register.case_result_undated"]
    fees = processing_fee_figures(register, 2026)
    assert fees.value("processing_fees.amount") == Decimal("400.00")
    assert fees.value("processing_fees.requests") == 2


def test_sources_name_the_register_rows() -> None:
    xlsx = proactive_figures(read_register(EXAMPLE_XLSX), 2026)
    # header on row 1: YAML items 1 and 3 are rows 2 and 4
    assert xlsx.figure("rules.in_force").sources == ("“文件”第 2、4 行 / sheet 文件 rows 2, 4",)
    assert xlsx.figure("coercion.decisions").sources == ("“无此项”第 2 行 / sheet 无此项 row 2",)
    yaml_form = proactive_figures(read_register(EXAMPLE_YAML), 2026)
    assert yaml_form.figure("normative_documents.in_force").sources == (
        "documents 第 4–5、10 项 / documents items 4-5, 10",)


def test_no_data_is_missing_never_zero() -> None:
    register = read_register(EXAMPLE_YAML)
    # 2027: no decision, fee or processing-fee row, no declaration → missing; documents and
    # cases are whole registers, so they are counted (0 where nothing happened)
    proactive = proactive_figures(register, 2027)
    assert proactive.missing == ("licensing.decisions", "penalty.decisions",
                                 "coercion.decisions", "fees.amount")
    assert proactive.value("normative_documents.issued") == 1
    assert processing_fee_figures(register, 2027).missing == ("processing_fees.amount",
                                                             "processing_fees.requests")
    table = figure_table("二", proactive, [("s2.fees.amount", "fees.amount"),
                                           ("s2.rules.issued", "rules.issued"),
                                           ("s2.unknown", "no.such_key")])
    assert [c.value for c in table.cells] == [None, 0, None]
    assert table.missing == ("s2.fees.amount", "s2.unknown")


def test_the_formats_cells_map_onto_the_figures() -> None:
    from govdisclose.annual.format import format_for_year

    fmt = format_for_year(2026)
    assert fmt.proactive is not None and fmt.remedies is not None
    cells = format_cells(fmt.proactive)
    assert {key for _, key in cells} == set(PROACTIVE_KEYS)
    assert {key for _, key in format_cells(fmt.remedies)} == set(REMEDY_KEYS)
    table = figure_table(fmt.proactive.heading, proactive_figures(
        read_register(EXAMPLE_YAML), 2026), cells)
    assert table.missing == () and table.value("s2.fees.amount") == Decimal("12.9457")
    # the 2019 layout counts other things (本年新制作数量 …): those cells are missing, not 0
    old = format_for_year(2020)
    assert old.proactive is not None
    old_table = figure_table("二", proactive_figures(read_register(EXAMPLE_YAML), 2020),
                             format_cells(old.proactive))
    assert "s2.rules.made" in old_table.missing


# -- the template ------------------------------------------------------------------------------


def test_the_empty_template_reads_back_as_an_empty_register(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "年报数据.xlsx"
    write_register_template(path)
    register = read_register(path)
    assert (register.problems, register.rejected, register.documents, register.cases) == \
        ((), (), (), ())
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["说明", *(s.name for s in SHEETS)]
    instructions = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row
                             if c.value is not None)
    assert "第五十条" in instructions and "现行有效" in instructions and "万元" in instructions
    lists = {str(v.formula1) for v in book["复议诉讼"].data_validations.dataValidation}
    assert '"维持,纠正,其他,尚未审结"' in lists
    assert any("行政诉讼（复议后起诉）" in f for f in lists)
    units = {str(v.formula1) for v in book["行政事业性收费"].data_validations.dataValidation}
    assert units == {'"元,万元"'}
    kinds = {str(v.formula1) for v in book["文件"].data_validations.dataValidation}
    assert kinds == {'"规章,行政规范性文件"'}


def test_a_filled_template_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "filled.xlsx"
    write_register_template(path, {"documents": [
        {"kind": "规章", "title": "=HYPERLINK(\"x\")", "issued_on": date(2026, 1, 5)}]})
    (document,) = read_register(path).documents
    assert (document.kind, document.issued_on) == ("rules", date(2026, 1, 5))
    assert document.title.startswith("'=")  # written as text, never a formula


# -- located problems --------------------------------------------------------------------------


def _xlsx(tmp_path: Path, sheet: str, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    return path


def test_bad_cells_are_located_by_sheet_row_and_column(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "文件", [
        ["类别", "文件名称", "印发日期", "废止日期", "经办人"],
        ["规章", "甲", "2026-02-30", None, "张三"],
        ["章程", "乙", "2026-03-01", None, None],
        ["规章", "丙", "2026-03-01", "2026-02-01", None],
        ["行政规范性文件", "丁", "2026/3/1", None, None],
    ])
    register = read_register(path)
    found = [(p.code, p.line, p.column, p.path) for p in register.problems]
    assert found == [
        ("register.unknown_column", 1, 5, ("文件", 1)),
        ("register.date", 2, 3, ("文件", 2, "印发日期")),
        ("register.choice", 3, 1, ("文件", 3, "类别")),
        ("register.date_order", 4, 4, ("文件", 4, "废止日期")),
    ]
    date_problem = register.problems[1]
    assert "“文件”第 2 行“印发日期”" in date_problem.message_zh
    assert "sheet 文件 row 2, column 印发日期 (issued_on)" in date_problem.message_en
    assert [r.row for r in register.rejected] == [2, 3, 4]
    assert [d.title for d in register.documents] == ["丁"]  # the only usable row


@pytest.mark.parametrize(("sheet", "rows", "code"), [
    ("行政事业性收费", [["年度", "金额", "单位"], [2026, "1.23456", "万元"]], "register.precision"),
    ("行政事业性收费", [["年度", "金额", "单位"], [2026, "1.234", "元"]], "register.precision"),
    ("行政事业性收费", [["年度", "金额", "单位"], [2026, -5, "元"]], "register.amount"),
    ("行政事业性收费", [["金额", "单位"], [5, "元"]], "register.missing"),
    ("处理决定", [["类别", "年度"], ["行政许可", 2026]], "register.missing"),
    ("处理决定", [["类别", "年度", "数量"], ["行政许可", 2026, 1.5]], "register.count"),
    ("处理决定", [["类别", "年度", "决定日期"], ["行政处罚", 2025, "2026-01-02"]],
     "register.year_mismatch"),
    ("复议诉讼", [["案号", "类别", "收到日期", "结果", "审结日期"],
              ["1", "行政复议", "2026-01-02", "尚未审结", "2026-03-01"]],
     "register.pending_but_decided"),
    ("复议诉讼", [["案号", "类别", "收到日期", "审结日期"], ["1", "行政复议", "2026-01-02",
                                                 "2026-03-01"]], "register.missing"),
    ("信息处理费", [["收费日期", "申请编号", "金额（元）"], ["2026-01-02", "A", "0.001"]],
     "register.precision"),
    ("无此项", [["项目", "年度"], ["行政许可", 26000]], "register.year"),
])
def test_each_rule_of_a_cell_is_a_located_problem(tmp_path: Path, sheet: str,
                                                  rows: list[list[object]], code: str) -> None:
    register = read_register(_xlsx(tmp_path, sheet, rows))
    assert [p.code for p in register.problems] == [code]
    assert register.problems[0].line == 2 and len(register.rejected) == 1


def test_a_sheet_missing_a_required_column_lists_every_row(tmp_path: Path) -> None:
    register = read_register(_xlsx(tmp_path, "复议诉讼", [["案号", "收到日期"],
                                                          ["1", "2026-01-01"],
                                                          ["2", "2026-01-01"]]))
    assert [p.code for p in register.problems] == ["register.missing_column"]
    assert [r.row for r in register.rejected] == [2, 3]


def test_unknown_sheets_are_problems_and_unreadable_files_raise(tmp_path: Path) -> None:
    register = read_register(_xlsx(tmp_path, "其他表", [["a"], [1]]))
    assert [p.code for p in register.problems] == ["register.unknown_sheet"]
    with pytest.raises(LedgerError):
        read_register(tmp_path / "missing.xlsx")
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_text("not a zip", encoding="utf-8")
    with pytest.raises(LedgerError):
        read_register(not_excel)
    with pytest.raises(LedgerError):
        read_register(tmp_path / "x.csv")


def test_the_yaml_form_is_located_too(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("kind: annual-register\ncases:\n  - {id: a, route: 行政复议, filed_on: 2026-01-02}\n"
                    "  - {id: b, route: 信访, filed_on: 2026-01-02, result: 维持}\n"
                    "fees:\n  - {year: 2026, amount: 1, unit: 元, colour: red}\n"
                    "extras: []\n", encoding="utf-8")
    register = read_register(path)
    found = [(p.code, p.line, p.path) for p in register.problems]
    assert found == [("register.unknown_column", 6, ("fees", 0, "colour")),
                     ("register.unknown_sheet", 7, ("extras",)),
                     ("register.choice", 4, ("cases", 1, "route"))]
    assert [c.id for c in register.cases] == ["a"] and len(register.fees) == 1
    assert str(register.rejected[0]) == "cases 第 2 项 / cases item 2"


def test_the_yaml_example_matches_its_schema() -> None:
    from govdisclose._schema import iter_schema_problems
    from govdisclose._yaml import load_yaml_file

    assert list(iter_schema_problems("annual-register", load_yaml_file(EXAMPLE_YAML))) == []
    schema = json.loads((ROOT / "schemas" / "annual-register.schema.json").read_text("utf-8"))
    assert set(schema["properties"]) == {"kind", *(s.key for s in SHEETS)}
    for sheet in SHEETS:
        item = schema["properties"][sheet.key]["items"]
        assert list(item["properties"]) == [c.key for c in sheet.columns]


def test_a_case_filed_earlier_with_an_undated_result_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("cases:\n  - {id: a, route: review, filed_on: 2025-05-01, result: upheld}\n",
                    encoding="utf-8")
    remedies = remedy_figures(read_register(path), 2026)
    assert [p.code for p in remedies.problems] == ["register.case_undated"]
    assert remedies.value("review.total") == 0


# -- the CLI -----------------------------------------------------------------------------------


def test_cli_template_writes_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "年报数据.xlsx"
    assert main(["annual-report", "template", "-o", str(out)]) == 0
    assert read_register(out).problems == ()
    assert main(["annual-report", "template", "-o", str(out)]) == 2  # never overwritten
    assert "exists" in capsys.readouterr().err


def test_cli_check_is_a_sub_command(capsys: pytest.CaptureFixture[str]) -> None:
    # 'check' is taken as the checker, not a rulebook (tests/test_annual_check.py tests it)
    assert main(["annual-report", "check", "report.xlsx", "--previous", "old.xlsx"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_full_report_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["annual-report", "huadian", str(LEDGER), "--year", "2026", "--register",
                 str(EXAMPLE_XLSX), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "annual-report-full" and report["year"] == 2026
    sections = report["sections"]
    cells = {c["code"]: c["value"] for c in sections["proactive"]["cells"]}
    assert cells["s2.fees.amount"] == "12.9457" and cells["s2.rules.in_force"] == 2
    remedies = {c["code"]: c["value"] for c in sections["remedies"]["cells"]}
    assert remedies["s4.litigation_direct.total"] == 3
    assert [sections[k]["heading"] for k in ("overview", "problems_and_improvements",
                                             "other_matters")] == [
        "一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert sections["other_matters"]["paragraphs"][0]["figures"] == {
        "processing_fees.amount": "400.00", "processing_fees.requests": 2}
    assert report["problems"] == []
    # complete only if section 三 is: the exit code follows report.complete
    assert code == (0 if report["complete"] else 1)


def test_cli_usage_errors(tmp_path: Path) -> None:
    base = ["annual-report", "huadian", str(LEDGER), "--year", "2026"]
    assert main([*base, "--register", str(EXAMPLE_YAML)]) == 2  # JSON only so far
    assert main([*base, "--register", str(tmp_path / "none.xlsx"), "--json"]) == 2
    assert main(["annual-report", "huadian", str(LEDGER)]) == 2  # no --year
    assert main(["annual-report", "template", str(LEDGER)]) == 2
