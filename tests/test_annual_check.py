"""``govdisclose annual-report check`` (issue 14, part 2): every kind of file the tool writes
passes clean, and each kind of error is caught at its cell."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from govdisclose.annual.check import check_report
from govdisclose.cli import main
from govdisclose.errors import LedgerError

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "examples" / "ledgers" / "every-row-2026.csv"
REGISTER_YAML = ROOT / "examples" / "ledgers" / "register-2026.yaml"
REGISTER_XLSX = ROOT / "examples" / "ledgers" / "register-2026.xlsx"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The files the tool writes: 三 as JSON (2026 and 2025) and xlsx, the whole report."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("made")
    files = {"requests": out / "t3-2026.json", "previous": out / "t3-2025.json",
             "full": out / "full-2026.json", "xlsx": out / "t3-2026.xlsx",
             "full_xlsx": out / "full-2026.xlsx"}
    for key, extra in (("requests", ["--year", "2026", "--json"]),
                       ("previous", ["--year", "2025", "--json"]),
                       ("full", ["--year", "2026", "--register", str(REGISTER_YAML), "--json"])):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(["annual-report", "huadian", str(LEDGER), *extra]) == 0
        files[key].write_text(buffer.getvalue(), encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["annual-report", "huadian", str(LEDGER), "--year", "2026", "--xlsx",
                     str(files["xlsx"])]) == 0
        assert main(["annual-report", "huadian", str(LEDGER), "--year", "2026", "--full",
                     "--register", str(REGISTER_YAML), "--xlsx", str(files["full_xlsx"])]) == 0
    return files


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _row(doc: dict[str, Any], code: str) -> tuple[int, list[Any]]:
    index = next(i for i, r in enumerate(doc["rows"]) if r["code"] == code)
    values: list[Any] = doc["rows"][index]["values"]
    return index, values


def _codes(path: Path, **kw: Any) -> list[tuple[str, str, str | None]]:
    result = check_report(path, **kw)
    return [(f.code, f.location.path, f.location.cell) for f in result.findings]


# -- clean files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["requests", "previous", "full", "xlsx", "full_xlsx"])
def test_every_file_the_tool_writes_passes(made: dict[str, Path], key: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["annual-report", "check", str(made[key])], capsys)
    assert code == 0, out
    assert "未发现问题 no problems found" in out


@pytest.mark.parametrize("path", [REGISTER_XLSX, REGISTER_YAML], ids=["xlsx", "yaml"])
def test_the_filled_register_passes(path: Path) -> None:
    result = check_report(path)
    assert result.kind == "register" and result.ok
    assert [n.code for n in result.notes] == ["register.cells_only"]


def test_kinds_are_told_apart(made: dict[str, Path]) -> None:
    kinds = {key: check_report(path).kind for key, path in made.items()}
    assert kinds == {"requests": "requests-json", "previous": "requests-json",
                     "full": "full-json", "xlsx": "requests-xlsx", "full_xlsx": "full-xlsx"}
    assert check_report(made["xlsx"]).year == 2026


def test_a_clean_carry_over_passes(made: dict[str, Path]) -> None:
    result = check_report(made["requests"], previous=made["previous"])
    assert result.ok, result.findings
    assert check_report(made["xlsx"], previous=made["previous"]).ok


# -- section 三 ------------------------------------------------------------------------------------


def test_a_row_total_that_does_not_add_up(made: dict[str, Path], tmp_path: Path) -> None:
    doc = _load(made["requests"])
    i, values = _row(doc, "disclosed")
    values[0] += 1  # 自然人 one more; 总计 unchanged
    found = _codes(_write(tmp_path, "t.json", doc))
    assert ("sum.row", f"$.rows[{i}].values[6]", "s3.disclosed.total") in found
    # and the result total (七) of 自然人 no longer matches its rows, nor the identity
    total, _ = _row(doc, "total")
    assert ("sum.results", f"$.rows[{total}].values[0]", "s3.total.citizen") in found
    assert not any(c == "identity" for c, _, _ in found)  # (七) itself was not changed


def test_the_identity_per_column(made: dict[str, Path], tmp_path: Path) -> None:
    doc = _load(made["requests"])
    _, received = _row(doc, "received")
    received[1] += 1
    received[6] += 1
    forward, _ = _row(doc, "carried_forward")
    result = check_report(_write(tmp_path, "t.json", doc))
    identity = [f for f in result.findings if f.code == "identity"]
    assert [f.location.cell for f in identity] == ["s3.identity.commercial", "s3.identity.total"]
    assert identity[0].location.path == f"$.rows[{forward}].values[1]"
    assert "勾稽关系" in identity[0].location.label_zh  # the format's own statement
    assert "商业企业" in identity[0].location.label_zh


def test_result_total_seven(made: dict[str, Path], tmp_path: Path) -> None:
    doc = _load(made["requests"])
    i, values = _row(doc, "total")
    values[6] += 2
    finding = next(f for f in check_report(_write(tmp_path, "t.json", doc)).findings
                   if f.code == "sum.results")
    assert finding.location.path == f"$.rows[{i}].values[6]"
    assert finding.location.label_zh.endswith("（七）总计 × 总计")
    assert (finding.found, finding.expected) == (str(values[6]), str(values[6] - 2))


@pytest.mark.parametrize(("value", "code"), [(-1, "value.negative"), (2.5, "value.fraction"),
                                             ("三", "value.not_a_number"), (None, "value.missing")])
def test_counts_are_whole_numbers_not_below_zero(made: dict[str, Path], tmp_path: Path,
                                                 value: object, code: str) -> None:
    doc = _load(made["requests"])
    i, values = _row(doc, "unable.not_held")
    values[2] = value
    found = _codes(_write(tmp_path, "t.json", doc))
    assert (code, f"$.rows[{i}].values[2]", "s3.unable.not_held.research") in found
    assert not any(c.startswith("sum.") for c, _, _ in found)  # a bad value is not summed


def test_an_error_in_the_workbook_is_located_by_sheet_and_cell(made: dict[str, Path],
                                                               tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(made["xlsx"])
    sheet = book.worksheets[0]
    target = next(row for row in sheet.iter_rows() for cell in row
                  if isinstance(cell.value, str) and cell.value.endswith("属于国家秘密"))
    row = target[0].row
    sheet.cell(row=row, column=4).value = -3  # depth 3: 自然人 is column D
    path = tmp_path / "t.xlsx"
    book.save(path)
    result = check_report(path)
    negative = next(f for f in result.findings if f.code == "value.negative")
    assert negative.location.path == f"三 申请情况!D{row}"
    assert (negative.location.sheet, negative.location.row, negative.location.column) == (
        "三 申请情况", row, 4)
    assert negative.location.cell == "s3.not_disclosed.state_secret.citizen"


# -- carry-over --------------------------------------------------------------------------------------


def test_a_broken_carry_over(made: dict[str, Path], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    doc = _load(made["previous"])
    _, forward = _row(doc, "carried_forward")
    forward[0] += 1
    forward[6] += 1
    previous = _write(tmp_path, "prev.json", doc)
    current = _load(made["requests"])
    i, _ = _row(current, "carried_over")
    found = _codes(made["requests"], previous=previous)
    assert found == [("carry_over", f"$.rows[{i}].values[0]", "s3.carried_over.citizen"),
                     ("carry_over", f"$.rows[{i}].values[6]", "s3.carried_over.total")]
    code, out = _run(["annual-report", "check", str(made["requests"]), "--previous",
                      str(previous)], capsys)
    assert code == 1 and "上一年度报告" in out


def test_previous_must_be_the_year_before(made: dict[str, Path]) -> None:
    found = _codes(made["requests"], previous=made["requests"])
    assert [c for c, _, _ in found] == ["carry_over.year"]


def test_previous_needs_section_three(made: dict[str, Path]) -> None:
    with pytest.raises(LedgerError):
        check_report(made["requests"], previous=REGISTER_YAML)


# -- sections 二 and 四 --------------------------------------------------------------------------------


def _cell(doc: dict[str, Any], section: str, code: str) -> tuple[int, dict[str, Any]]:
    cells = doc["sections"][section]["cells"]
    index = next(i for i, c in enumerate(cells) if c["code"] == code)
    cell: dict[str, Any] = cells[index]
    return index, cell


def test_a_group_total_of_four_that_does_not_add_up(made: dict[str, Path],
                                                    tmp_path: Path) -> None:
    """洪泽 2023: table 四's group totals did not add up."""
    doc = _load(made["full"])
    i, cell = _cell(doc, "remedies", "s4.litigation_direct.total")
    cell["value"] += 1
    result = check_report(_write(tmp_path, "full.json", doc))
    # the drafted overview states the total too: it now disagrees with the table as well
    assert {f.code for f in result.findings} <= {"sum.group", "narrative.figure"}
    (finding,) = [f for f in result.findings if f.code == "sum.group"]
    assert finding.location.path == f"$.sections.remedies.cells[{i}].value"
    assert finding.location.cell == "s4.litigation_direct.total"
    assert "未经复议直接起诉" in finding.location.label_zh
    assert "尚未审结" in finding.message_zh  # names the columns it is the sum of


def test_wan_yuan_with_five_decimals(made: dict[str, Path], tmp_path: Path) -> None:
    doc = _load(made["full"])
    i, cell = _cell(doc, "proactive", "s2.fees.amount")
    cell["value"] = "12.94571"
    assert _codes(_write(tmp_path, "full.json", doc)) == [
        ("value.decimals", f"$.sections.proactive.cells[{i}].value", "s2.fees.amount")]
    cell["value"] = Decimal("12.9457")  # a JSON number with 4 decimals is fine
    text = json.dumps(doc, ensure_ascii=False, default=float)
    (tmp_path / "n.json").write_text(text, encoding="utf-8")
    assert check_report(tmp_path / "n.json").ok


def test_wan_yuan_with_five_decimals_in_the_register(tmp_path: Path) -> None:
    data = yaml.safe_load(REGISTER_YAML.read_text(encoding="utf-8"))
    data["fees"] = [{"year": 2026, "amount": "1.23456", "unit": "万元"}]
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check_report(path)
    assert [f.code for f in result.findings] == ["register.precision"]
    assert result.findings[0].location.path == "$.fees[0].amount"


def test_a_missing_figure_is_a_finding(made: dict[str, Path], tmp_path: Path) -> None:
    doc = _load(made["full"])
    i, cell = _cell(doc, "proactive", "s2.penalty.decisions")
    cell["value"] = None
    assert _codes(_write(tmp_path, "full.json", doc)) == [
        ("value.missing", f"$.sections.proactive.cells[{i}].value", "s2.penalty.decisions")]


# -- the narrative ---------------------------------------------------------------------------------


def _paragraph(sentence: str, figures: dict[str, Any]) -> dict[str, Any]:
    return {"heading": None, "sentences": [sentence], "figures": figures, "placeholders": []}


def test_narrative_seventeen_against_the_table(made: dict[str, Path], tmp_path: Path) -> None:
    """洪泽 2024: the text said 17 requests, the table 95."""
    doc = _load(made["full"])
    _, received = _row(doc["sections"]["requests"], "received")
    doc["sections"]["overview"]["paragraphs"] = [
        _paragraph("本年新收政府信息公开申请17件。", {"s3.received.total": 17})]
    result = check_report(_write(tmp_path, "full.json", doc))
    (finding,) = result.findings
    assert finding.code == "narrative.figure"
    assert finding.location.path == "$.sections.overview.paragraphs[0].figures['s3.received.total']"
    assert (finding.found, finding.expected) == ("17", str(received[6]))
    assert finding.location.label_zh.startswith("一、本年新收政府信息公开申请数量")


def test_narrative_text_edited_away_from_its_figure(made: dict[str, Path],
                                                    tmp_path: Path) -> None:
    doc = _load(made["full"])
    _, received = _row(doc["sections"]["requests"], "received")
    doc["sections"]["overview"]["paragraphs"] = [
        _paragraph("本年新收政府信息公开申请17件。", {"s3.received.total": received[6]})]
    (finding,) = check_report(_write(tmp_path, "full.json", doc)).findings
    assert finding.code == "narrative.text"
    assert finding.location.path == "$.sections.overview.paragraphs[0]"


def test_narrative_merged_rows_and_other_figures(made: dict[str, Path], tmp_path: Path) -> None:
    doc = _load(made["full"])
    rows = doc["sections"]["requests"]
    unable = sum(_row(rows, code)[1][6] for code in
                 ("unable.not_held", "unable.needs_creation", "unable.unclear_after_supplement"))
    doc["sections"]["overview"]["paragraphs"] = [
        _paragraph(f"无法提供 {unable} 件。", {"s3.unable.total": unable})]
    result = check_report(_write(tmp_path, "full.json", doc))
    assert result.ok
    assert "processing_fees.amount" in result.notes[0].message_en  # not a table cell: a note


# -- unreadable files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name,content", [
    ("missing.json", None), ("broken.json", "{not json"), ("other.json", '{"kind": "audit"}'),
    ("ledger.csv", "id,received_on\nA,2026-01-01\n"), ("notes.yaml", "foo: 1\n"),
    ("fake.xlsx", "not a zip")])
def test_unreadable_files_exit_2(tmp_path: Path, name: str, content: str | None,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["annual-report", "check", str(path)]) == 2
    assert "error:" in capsys.readouterr().err


def test_a_workbook_that_is_neither_a_table_nor_a_register(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.append(["id", "received_on"])
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    assert main(["annual-report", "check", str(path)]) == 2
    assert "既不是年报数据登记表" in capsys.readouterr().err


def test_check_takes_no_ledger_options(made: dict[str, Path]) -> None:
    assert main(["annual-report", "check"]) == 2
    assert main(["annual-report", "check", str(made["requests"]), "--year", "2026"]) == 2
    assert main(["annual-report", "huadian", str(LEDGER), "--year", "2026", "--previous",
                 str(made["previous"])]) == 2


# -- JSON and CI -------------------------------------------------------------------------------------


def test_json_output_matches_its_schema(made: dict[str, Path], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from govdisclose._schema import validator

    doc = _load(made["full"])
    _cell(doc, "remedies", "s4.review.total")[1]["value"] = 9
    bad = _write(tmp_path, "full.json", doc)
    for path, expected in ((made["full"], 0), (bad, 1), (made["xlsx"], 0), (REGISTER_XLSX, 0)):
        code, out = _run(["annual-report", "check", str(path), "--json"], capsys)
        assert code == expected
        payload = json.loads(out)
        assert list(validator("annual-report-check").iter_errors(payload)) == []
        assert payload["ok"] is (expected == 0)
    code, out = _run(["annual-report", "check", str(bad), "--json"], capsys)
    assert json.loads(out)["summary"]["by_code"]["sum.group"] == 1


def test_the_schema_describes_every_field() -> None:
    schema = json.loads((ROOT / "schemas" / "annual-report-check.schema.json").read_text("utf-8"))

    def undocumented(node: Any, path: str = "$") -> list[str]:
        out: list[str] = []
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                if "description" not in sub and "$ref" not in sub:
                    out.append(f"{path}.{key}")
            for key, sub in node.items():
                out.extend(undocumented(sub, f"{path}/{key}"))
        return out

    assert undocumented(schema) == []


def test_the_ci_example_runs_check_over_every_file() -> None:
    flow = yaml.safe_load((ROOT / "examples" / "ci" / "annual-report-check.yml").read_text(
        "utf-8"))
    runs = " ".join(s.get("run", "") for job in flow["jobs"].values() for s in job["steps"])
    assert "govdisclose annual-report check" in runs and "--previous" in runs


# -- the whole report's workbook (--full --xlsx) ------------------------------------------------


def _figure_cell(book: Any, sheet: str, label: str, offset: int) -> Any:
    """The cell ``offset`` columns right of the first cell saying ``label`` on ``sheet``."""
    ws = book[sheet]
    cell = next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.rstrip("*†") == label)
    return ws.cell(row=cell.row, column=cell.column + offset)


def test_the_full_workbook_holds_the_json_reports_figures(made: dict[str, Path]) -> None:
    """The workbook's 二 and 四 read back as the same numbers as the JSON of the same report."""
    import openpyxl

    book = openpyxl.load_workbook(made["full_xlsx"])
    assert book.sheetnames[:3] == ["二 主动公开", "三 申请情况", "四 复议诉讼"]
    assert _figure_cell(book, "二 主动公开", "行政许可", 1).value == 312  # a number, not text
    # Excel holds a float: 12.9457 read back as written, no binary noise in its decimal form
    assert str(_figure_cell(book, "二 主动公开", "行政事业性收费", 1).value) == "12.9457"
    from_json = {c["code"]: c["value"] for key in ("proactive", "remedies")
                 for c in _load(made["full"])["sections"][key]["cells"]}
    result = check_report(made["full_xlsx"])
    assert result.kind == "full-xlsx" and result.ok
    from govdisclose.annual.check_read import read_report
    read = read_report(made["full_xlsx"])
    assert {code: Decimal(str(v.raw)) for code, v in read.figures.items()} == {
        code: Decimal(str(v)) for code, v in from_json.items()}
    assert read.figures["s4.review.total"].location.path.startswith("四 复议诉讼!")


def test_errors_in_the_full_workbook_are_located_by_sheet_and_cell(made: dict[str, Path],
                                                                   tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(made["full_xlsx"])
    fee = _figure_cell(book, "二 主动公开", "行政事业性收费", 1)
    fee.value = Decimal("12.94571")  # five decimals of 万元
    licensing = _figure_cell(book, "二 主动公开", "行政许可", 1)
    licensing.value = "缺数"  # what a missing figure prints: blank to the checker
    ws = book["四 复议诉讼"]
    values_row = max(c.row for row in ws.iter_rows() for c in row if isinstance(c.value, int))
    ws.cell(row=values_row, column=5).value = 5  # 行政复议 总计: 1 + 1 + 1 + 1 = 4
    path = tmp_path / "full.xlsx"
    book.save(path)
    found = {f.code: f for f in check_report(path).findings}
    assert set(found) == {"value.decimals", "value.missing", "sum.group"}
    assert found["value.decimals"].location.cell == "s2.fees.amount"
    assert found["value.decimals"].location.path == f"二 主动公开!B{fee.row}"
    assert found["value.missing"].location.cell == "s2.licensing.decisions"
    assert found["sum.group"].location.cell == "s4.review.total"
    assert found["sum.group"].location.path == f"四 复议诉讼!E{values_row}"
    assert (found["sum.group"].expected, found["sum.group"].found) == ("4", "5")


def test_a_full_workbook_without_section_four_says_so(made: dict[str, Path],
                                                      tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(made["full_xlsx"])
    del book["四 复议诉讼"]
    path = tmp_path / "no-four.xlsx"
    book.save(path)
    missing = [f for f in check_report(path).findings if f.code == "structure.missing"]
    assert len(missing) == 15 and all(f.location.cell.startswith("s4.") for f in missing)
