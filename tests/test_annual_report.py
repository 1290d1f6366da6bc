"""Section 三 of the annual report (收到和处理政府信息公开申请情况) from hand-made ledgers.

Every expected number below was worked out by hand from the ledgers under
tests/data/ledgers/; the comments say which rows make up each count.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from govdisclose import RulebookError, load_rulebook
from govdisclose.annual.report import (
    AnnualReportError,
    AnnualTable,
    build_table,
    bundled_format,
    bundled_format_path,
    iter_format_problems,
    load_format,
    spelling_key,
)
from govdisclose.cli import main
from govdisclose.ledgers.reading import read_ledger

DATA = Path(__file__).parent / "data" / "ledgers"
COLUMNS = ("citizen", "commercial", "research", "public_interest", "legal_services", "other",
           "total")


def table_for(name: str, year: int = 2024, **kwargs: str) -> AnnualTable:
    ledger = read_ledger(DATA / name, **kwargs)
    return build_table(load_rulebook("national"), ledger, year)


def nonzero(table: AnnualTable) -> dict[tuple[str, str], int]:
    """Every non-zero cell of the table as (row code, column code) -> number."""
    return {(row.code, col): value for row in table.rows
            for col, value in zip(COLUMNS, row.values, strict=True) if value}


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# -- the format file -------------------------------------------------------------------------


def test_the_bundled_format_is_valid_and_shaped_like_the_official_table() -> None:
    assert list(iter_format_problems(bundled_format_path())) == []
    fmt = bundled_format()
    assert fmt.document_number == "国办公开办函〔2021〕30号"
    assert fmt.first_year == 2021
    assert fmt.identity == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    # Seven data columns; 法人或其他组织 is a heading over five of them, with no subtotal column.
    assert tuple(c.code for c in fmt.columns) == COLUMNS
    assert [c.text for c in fmt.columns] == ["自然人", "商业企业", "科研机构", "社会公益组织",
                                             "法律服务机构", "其他", "总计"]
    assert {c.group.text for c in fmt.columns if c.group} == {"法人或其他组织"}
    assert "organization" not in [c.code for c in fmt.columns]
    # 一, 二, 三 (2 + 8 + 3 + 5 + 3 + 1 = 22 rows, the fixture's rowspan), 四.
    results = fmt.row("results")
    assert sum(1 for row, _ in results.walk() if not row.is_group) == 22
    assert len(fmt.data_rows) == 25
    assert fmt.data_rows[0].label == "一、本年新收政府信息公开申请数量"
    assert fmt.data_rows[1].label == "二、上年结转政府信息公开申请数量"
    assert fmt.data_rows[-1].label == "四、结转下年度继续办理"
    assert fmt.row("partial").label == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert fmt.row("not_disclosed.endangers_security").text == "危及“三安全一稳定”"
    assert [r.code for r in fmt.row("not_disclosed").children][-1] == "not_disclosed.inquiry_matter"
    assert fmt.depth == 3


def test_verification_status_follows_the_reference() -> None:
    fmt = bundled_format()
    status = {row.code: row.verified for row, _ in fmt.walk()}
    for code in ("received", "carried_over", "results", "disclosed", "partial", "not_disclosed",
                 "not_disclosed.state_secret", "not_disclosed.inquiry_matter"):
        assert status[code] == "verified", code
    # （四） and its items 1–2 were read on a 2022 government page (郏县); item 3 was cut off there.
    for code in ("unable", "unable.not_held", "unable.needs_creation"):
        assert status[code] == "verified", code
        assert fmt.row(code).sources == ("jiaxian-township-2022",), code
    for code in ("unable.unclear_after_supplement", "not_processed",
                 "not_processed.confirmation", "total", "carried_forward"):
        assert status[code] == "inferred", code
        assert fmt.row(code).sources == (), code
    # Every cited source is one the file lists.
    listed = {s.id for s in fmt.sources}
    assert all(set(row.sources) <= listed for row, _ in fmt.walk())
    assert [status[c] for c in ("other.overdue_supplement", "other.overdue_fee", "other.other")
            ] == ["secondary"] * 3
    assert all(c.verified == "verified" for c in fmt.columns)


def test_a_policy_person_can_correct_a_label_in_the_yaml(tmp_path: Path, capsys) -> None:
    copy = tmp_path / "annual-report-2021.yaml"
    text = bundled_format_path().read_text(encoding="utf-8")
    copy.write_text(text.replace('text: 其他, text_en: other, verified: secondary',
                                 'text: 其他情形, text_en: other, verified: verified'),
                    encoding="utf-8")
    fmt = load_format(copy)
    assert fmt.row("other.other").label == "3.其他情形"
    assert fmt.row("other.other").verified == "verified"
    ledger = write_csv(tmp_path / "l.csv", [["id", "received_on", "replied_on", "applicant_type",
                                             "outcome"],
                                            ["1", "2024-02-01", "2024-02-05", "citizen", "其他情形"]])
    table = build_table(load_rulebook("national"), read_ledger(ledger), 2024, table_format=fmt)
    assert table.value("other.other", "citizen") == 1 and table.complete
    assert main(["annual-report", "national", str(ledger), "--year", "2024", "--format",
                 str(copy), "--json"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["other.other"]["label"] == "3.其他情形"


def test_format_problems_are_located(tmp_path: Path) -> None:
    text = bundled_format_path().read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text.replace("code: not_processed.repeated", "code: not_processed.petition")
            .replace("text: 属于行政查询事项", "text: 属于行政执法案卷")
            .replace("verified: secondary, count: outcome}", "verified: maybe, count: outcome}"),
        encoding="utf-8")
    problems = list(iter_format_problems(broken))
    assert [p.code for p in problems] == ["schema.enum"]  # the schema is checked first
    assert problems[0].line is not None and "maybe" in problems[0].message_en
    broken.write_text(
        text.replace("code: not_processed.repeated", "code: not_processed.petition")
            .replace("text: 属于行政查询事项", "text: 属于行政执法案卷"), encoding="utf-8")
    codes = sorted(p.code for p in iter_format_problems(broken))
    assert "format.duplicate_code" in codes and "format.ambiguous_label" in codes
    with pytest.raises(RulebookError) as exc:
        load_format(broken)
    assert all(p.line for p in exc.value.problems)
    assert "broken.yaml" in str(exc.value)


# -- counting ---------------------------------------------------------------------------------


def test_every_column_and_carried_over_and_forward() -> None:
    table = table_for("basic-2024.csv")
    assert nonzero(table) == {
        # 一: received in 2024 — A01 (01-01), A02, A08 citizen; A03, A09 commercial; A04, A05,
        # A06, A07 one each.
        ("received", "citizen"): 3, ("received", "commercial"): 2, ("received", "research"): 1,
        ("received", "public_interest"): 1, ("received", "legal_services"): 1,
        ("received", "other"): 1, ("received", "total"): 9,
        # 二: received before 2024, not replied before it: A10 (2023-12-31), A11, A14.
        ("carried_over", "citizen"): 1, ("carried_over", "legal_services"): 1,
        ("carried_over", "other"): 1, ("carried_over", "total"): 3,
        # 三: replied in 2024 — A01, A02, A10 disclosed; A03 .. A07 (A07 on 12-31).
        ("disclosed", "citizen"): 3, ("disclosed", "total"): 3,
        ("partial", "commercial"): 1, ("partial", "total"): 1,
        ("not_disclosed.state_secret", "research"): 1,
        ("not_disclosed.state_secret", "total"): 1,
        ("unable.not_held", "public_interest"): 1, ("unable.not_held", "total"): 1,
        ("not_processed.repeated", "legal_services"): 1,
        ("not_processed.repeated", "total"): 1,
        ("other.overdue_supplement", "other"): 1, ("other.overdue_supplement", "total"): 1,
        ("total", "citizen"): 3, ("total", "commercial"): 1, ("total", "research"): 1,
        ("total", "public_interest"): 1, ("total", "legal_services"): 1, ("total", "other"): 1,
        ("total", "total"): 8,
        # 四: A08 not replied, A09 replied 2025, A11 pending since 2023, A14 replied 2025.
        ("carried_forward", "citizen"): 1, ("carried_forward", "commercial"): 1,
        ("carried_forward", "legal_services"): 1, ("carried_forward", "other"): 1,
        ("carried_forward", "total"): 4,
    }
    assert table.identity.holds and table.complete and not table.unplaced
    assert all(c.left == c.right for c in table.identity.columns)
    # A12 was replied on 2023-12-31 and A13 received on 2025-01-01: counted, not dropped.
    s = table.summary
    assert (s.ledger_rows, s.counted, s.unplaced, s.received_after_year,
            s.replied_before_year) == (14, 12, 0, 1, 1)
    where = {p.id: (p.entry, p.exit) for p in table.placements}
    assert where["A10"] == ("carried_over", "disclosed")
    assert where["A14"] == ("carried_over", "carried_forward")
    assert where["A01"] == ("received", "disclosed")
    assert "A12" not in where and "A13" not in where


def test_the_same_ledger_in_another_year() -> None:
    # 2025: A08, A09 (replied 2025-01-10), A11, A14 carry over; A13 is new; nothing else.
    table = table_for("basic-2024.csv", year=2025)
    assert nonzero(table) == {
        ("received", "citizen"): 1, ("received", "total"): 1,
        ("carried_over", "citizen"): 1, ("carried_over", "commercial"): 1,
        ("carried_over", "legal_services"): 1, ("carried_over", "other"): 1,
        ("carried_over", "total"): 4,
        ("disclosed", "commercial"): 1, ("disclosed", "other"): 1, ("disclosed", "total"): 2,
        ("total", "commercial"): 1, ("total", "other"): 1, ("total", "total"): 2,
        ("carried_forward", "citizen"): 2, ("carried_forward", "legal_services"): 1,
        ("carried_forward", "total"): 3,
    }
    assert table.complete
    assert table.summary.replied_before_year == 9


def test_labels_chinese_headers_and_spellings() -> None:
    table = table_for("labels-2024.csv")
    assert nonzero(table) == {
        # B01, B07 (个人), B09 citizen; B02, B10 commercial; B05, B08 legal services.
        ("received", "citizen"): 3, ("received", "commercial"): 2, ("received", "research"): 1,
        ("received", "public_interest"): 1, ("received", "legal_services"): 2,
        ("received", "other"): 1, ("received", "total"): 10,
        ("disclosed", "citizen"): 1, ("disclosed", "total"): 1,  # （一）予以公开
        # full-width and half-width punctuation alike
        ("partial", "commercial"): 1, ("partial", "research"): 1, ("partial", "total"): 2,
        ("not_disclosed.endangers_security", "public_interest"): 1,  # 3.危及"三安全一稳定"
        ("not_disclosed.endangers_security", "total"): 1,
        ("not_disclosed.third_party_rights", "legal_services"): 1,  # （三）不予公开 4．…
        ("not_disclosed.third_party_rights", "total"): 1,
        ("unable.needs_creation", "other"): 1, ("unable.needs_creation", "total"): 1,
        ("not_processed.petition", "citizen"): 1, ("not_processed.petition", "total"): 1,
        ("not_processed.publication", "commercial"): 1,  # NOT_PROCESSED.Publication
        ("not_processed.publication", "total"): 1,
        ("other.overdue_supplement", "legal_services"): 1,  # "，" for "、"
        ("other.overdue_supplement", "total"): 1,
        ("other.other", "citizen"): 1, ("other.other", "total"): 1,
        ("total", "citizen"): 3, ("total", "commercial"): 2, ("total", "research"): 1,
        ("total", "public_interest"): 1, ("total", "legal_services"): 2, ("total", "other"): 1,
        ("total", "total"): 10,
    }
    assert table.complete


def test_gbk_ledger(tmp_path: Path, capsys) -> None:
    gbk = DATA / "labels-2024.gbk.csv"
    assert gbk.read_bytes() == (DATA / "labels-2024.csv").read_text(
        encoding="utf-8").encode("gbk")
    assert table_for("labels-2024.gbk.csv", encoding="gbk").rows == table_for(
        "labels-2024.csv").rows
    assert main(["annual-report", "national", str(gbk), "--year", "2024"]) == 2
    assert "gbk" in capsys.readouterr().err
    assert main(["annual-report", "national", str(gbk), "--year", "2024", "--encoding",
                 "gbk"]) == 0
    assert "10" in capsys.readouterr().out


def test_xlsx_ledger(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "收到申请日期", "答复日期", "申请人情况", "答复结果", "备注"])
    sheet.append([1, datetime(2024, 3, 1), datetime(2024, 3, 20), "自然人", "予以公开", "x"])
    sheet.append([2, date(2023, 12, 1), date(2024, 1, 10), "科研机构", "unable.not_held", None])
    sheet.append([3, "2024-11-30", None, "社会公益组织", None, None])
    sheet.append([4, datetime(2024, 5, 1), datetime(2024, 5, 2), "法律服务机构",
                  "（五）不予处理 5.要求行政机关确认或重新出具已获取信息", None])
    sheet.append([None, None, None, None, None, None])  # a blank row is not a ledger row
    sheet.append([5, datetime(2022, 1, 1), datetime(2022, 2, 1), "自然人", "予以公开", None])
    book.save(path)
    table = build_table(load_rulebook("national"), read_ledger(path), 2024)
    assert nonzero(table) == {
        ("received", "citizen"): 1, ("received", "public_interest"): 1,
        ("received", "legal_services"): 1, ("received", "total"): 3,
        ("carried_over", "research"): 1, ("carried_over", "total"): 1,
        ("disclosed", "citizen"): 1, ("disclosed", "total"): 1,
        ("unable.not_held", "research"): 1, ("unable.not_held", "total"): 1,
        ("not_processed.confirmation", "legal_services"): 1,
        ("not_processed.confirmation", "total"): 1,
        ("total", "citizen"): 1, ("total", "research"): 1, ("total", "legal_services"): 1,
        ("total", "total"): 3,
        ("carried_forward", "public_interest"): 1, ("carried_forward", "total"): 1,
    }
    assert table.complete
    assert table.summary.ledger_rows == 5 and table.summary.replied_before_year == 1


def _outcome_spellings() -> list[tuple[str, str]]:
    fmt = bundled_format()
    out: list[tuple[str, str]] = []
    for row, parents in fmt.walk():
        if row.count != "outcome":
            continue
        out += [(row.code, row.code), (row.code, row.code.upper()), (row.code, row.label),
                (row.code, row.text), (row.code, f" {row.label.replace('.', '．')} ")]
        if parents and parents[-1].code != "results":
            out.append((row.code, f"{parents[-1].label} {row.label}"))
            out.append((row.code, f"{parents[-1].text}：{row.text}"))
    return out


def test_every_outcome_label_and_code_is_accepted(tmp_path: Path) -> None:
    spellings = _outcome_spellings()
    assert len({code for code, _ in spellings}) == 21
    rows = [["id", "received_on", "replied_on", "applicant_type", "outcome"]]
    rows += [[str(i), "2024-06-01", "2024-06-10", "citizen", text]
             for i, (_, text) in enumerate(spellings)]
    table = build_table(load_rulebook("national"), read_ledger(write_csv(tmp_path / "o.csv", rows)),
                        2024)
    assert table.complete, [str(u) for u in table.unplaced]
    got = {p.id: p.exit for p in table.placements}
    assert [got[str(i)] for i in range(len(spellings))] == [code for code, _ in spellings]


@pytest.mark.parametrize(("spelling", "column"), [
    ("citizen", "citizen"), ("自然人", "citizen"), ("公民", "citizen"), ("Citizen", "citizen"),
    ("commercial", "commercial"), ("商业企业", "commercial"),
    ("法人或其他组织-商业企业", "commercial"), ("research", "research"), ("科研机构", "research"),
    ("public_interest", "public_interest"), ("社会公益组织", "public_interest"),
    ("legal_services", "legal_services"), ("法律服务机构", "legal_services"),
    ("other", "other"), ("其他", "other"), ("法人或其他组织（其他）", "other"),
])
def test_applicant_types(tmp_path: Path, spelling: str, column: str) -> None:
    ledger = write_csv(tmp_path / "a.csv", [["id", "received_on", "applicant_type"],
                                            ["1", "2024-06-01", spelling]])
    table = build_table(load_rulebook("national"), read_ledger(ledger), 2024)
    assert nonzero(table) == {("received", column): 1, ("received", "total"): 1,
                              ("carried_forward", column): 1, ("carried_forward", "total"): 1}


@pytest.mark.parametrize("spelling", ["organization", "法人或其他组织", "法人或其他组织 "])
def test_an_organisation_without_a_category_is_not_placed(tmp_path: Path, spelling: str) -> None:
    ledger = write_csv(tmp_path / "a.csv", [["id", "received_on", "applicant_type"],
                                            ["1", "2024-06-01", spelling]])
    table = build_table(load_rulebook("national"), read_ledger(ledger), 2024)
    assert nonzero(table) == {}
    (unplaced,) = table.unplaced
    assert [r.code for r in unplaced.reasons] == ["applicant_type.no_category"]
    assert "商业企业" in unplaced.reasons[0].message_zh
    assert "subtotal" in unplaced.reasons[0].message_en


# -- unplaced rows and the identity ----------------------------------------------------------


def test_unplaced_rows_are_listed_with_reasons_and_break_the_identity() -> None:
    table = table_for("unplaced-2024.csv")
    reasons = {u.id: [r.code for r in u.reasons] for u in table.unplaced}
    assert reasons == {
        "C02": ["outcome.unknown"],
        "C03": ["applicant_type.missing"],
        "C04": ["applicant_type.no_category"],
        "C05": ["outcome.missing"],
        "C06": ["outcome.needs_item"],
        "C07": ["received_on.invalid"],
        "C08": ["received_on.missing"],
        "C09": ["replied_on.before_received"],
        "C10": ["replied_on.invalid"],
        "C11": ["outcome.without_reply"],
        "C13": ["outcome.pending_but_replied"],
        "C14": ["outcome.not_a_result"],
        "C17": ["applicant_type.total"],
        "C18": ["applicant_type.unknown"],
    }
    for u in table.unplaced:
        assert all(r.message_zh and r.message_en for r in u.reasons)
        assert u.line == int(u.id[1:]) + 1  # header on line 1
    counted = {u.id: u.counted_in for u in table.unplaced if u.counted_in}
    # Only rows whose result cannot be placed are counted (in 一 or 二) at all.
    assert counted == {"C02": ("received",), "C05": ("received",), "C06": ("received",),
                       "C11": ("received",), "C13": ("received",), "C14": ("carried_over",)}
    assert nonzero(table) == {
        # C01 and C12 (办理中, not replied) placed; C02, C11, C13 citizen and C05, C06
        # commercial counted in 一 only; C14 in 二 only.
        ("received", "citizen"): 5, ("received", "commercial"): 2, ("received", "total"): 7,
        ("carried_over", "legal_services"): 1, ("carried_over", "total"): 1,
        ("disclosed", "citizen"): 1, ("disclosed", "total"): 1,
        ("total", "citizen"): 1, ("total", "total"): 1,
        ("carried_forward", "citizen"): 1, ("carried_forward", "total"): 1,
    }
    identity = table.identity
    assert not identity.holds and not table.complete
    assert {c.code: c.difference for c in identity.columns if c.difference} == {
        "citizen": 3, "commercial": 2, "legal_services": 1, "total": 6}
    assert "6 件" in identity.explanation_zh and "3、6、7、12、14、15" in identity.explanation_zh
    assert "lines 3, 6, 7, 12, 14, 15" in identity.explanation_en
    s = table.summary
    assert (s.ledger_rows, s.counted, s.unplaced, s.partly_counted, s.received_after_year,
            s.replied_before_year) == (18, 2, 14, 6, 1, 1)
    assert s.counted + s.unplaced + s.received_after_year + s.replied_before_year == 18


def test_a_ledger_without_applicant_or_reply_columns(tmp_path: Path) -> None:
    ledger = write_csv(tmp_path / "l.csv", [["id", "received_on"], ["1", "2024-02-01"],
                                            ["2", "2023-02-01"]])
    table = build_table(load_rulebook("national"), read_ledger(ledger), 2024)
    assert [r.code for u in table.unplaced for r in u.reasons] == ["applicant_type.no_column"] * 2
    # Issue 14: a missing applicant-type column is now a warning of its own, and the identity
    # (which holds over nothing counted) is qualified by the two rows left out.
    assert [w.code for w in table.warnings] == ["ledger.no_applicant_type", "ledger.no_replied_on",
                                                "identity.unplaced_rows"]
    assert table.identity.holds and table.identity.unplaced_rows == 2
    assert table.identity.verdict_zh == "成立（另有 2 行未能归类，未计入）"


def test_a_year_before_the_format_is_refused() -> None:
    # Issue 14: 2019 and 2020 now get the 2019 format (format_for_year); a year before any
    # bundled format, or the 2021 format forced on 2020, is still refused.
    ledger = read_ledger(DATA / "basic-2024.csv")
    with pytest.raises(AnnualReportError, match="2018"):
        build_table(load_rulebook("national"), ledger, 2018)
    with pytest.raises(AnnualReportError, match="2021"):
        build_table(load_rulebook("national"), ledger, 2020, table_format=bundled_format())


def test_spelling_key_ignores_width_spaces_and_punctuation() -> None:
    assert spelling_key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == spelling_key(
        "(二) 部分公开(区分处理的,只计这一情形,不计其他情形)")
    assert spelling_key("危及“三安全一稳定”") == spelling_key('危及"三安全一稳定"')
    assert spelling_key("ＣＩＴＩＺＥＮ") == "citizen"


# -- outputs and the CLI ----------------------------------------------------------------------


def test_json_output(capsys) -> None:
    assert main(["annual-report", "national", str(DATA / "basic-2024.csv"), "--year", "2024",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2024 and data["complete"] is True
    assert data["format"]["number"] == "国办公开办函〔2021〕30号"
    assert [c["code"] for c in data["columns"]] == list(COLUMNS)
    assert [c["group"] for c in data["columns"]][1:6] == ["法人或其他组织"] * 5
    assert len(data["rows"]) == 25
    for row in data["rows"]:
        assert set(row) >= {"code", "label", "verified", "values"}
        assert len(row["values"]) == 7 and row["values"][6] == sum(row["values"][:6])
    rows = {r["code"]: r for r in data["rows"]}
    assert rows["received"]["values"] == [3, 2, 1, 1, 1, 1, 9]
    assert rows["total"]["values"] == [3, 1, 1, 1, 1, 1, 8]
    assert rows["other.other"]["verified"] == "secondary"
    # A verified label names the published reports it was read in; they are listed in format.
    assert rows["unable.not_held"]["sources"] == ["jiaxian-township-2022"]
    assert rows["other.other"]["sources"] == []
    listed = {s["id"]: s for s in data["format"]["sources"]}
    assert listed["jiaxian-township-2022"]["url"].startswith("http://www.sxjiaxian.gov.cn/")
    assert listed["jiaxian-township-2022"]["year"] == 2022
    assert rows["not_disclosed.state_secret"]["groups"] == ["三、本年度办理结果", "（三）不予公开"]
    assert data["identity"]["holds"] is True
    assert data["unplaced"] == []
    assert data["summary"] == {"ledger_rows": 14, "counted": 12, "unplaced": 0,
                               "partly_counted": 0, "received_after_year": 1,
                               "replied_before_year": 1}


def test_json_output_with_unplaced_rows(capsys) -> None:
    assert main(["annual-report", "national", str(DATA / "unplaced-2024.csv"), "--year", "2024",
                 "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] is False and data["identity"]["holds"] is False
    first = data["unplaced"][0]
    assert (first["id"], first["line"], first["number"]) == ("C02", 3, 2)
    assert first["counted_in"] == ["received"] and first["column"] == "citizen"
    assert first["reasons"][0]["code"] == "outcome.unknown"
    assert "予以公示" in first["reasons"][0]["message_zh"]


def test_text_output(capsys) -> None:
    assert main(["annual-report", "national", str(DATA / "basic-2024.csv"), "--year",
                 "2024"]) == 0
    out = capsys.readouterr().out
    assert "三、收到和处理政府信息公开申请情况" in out and "国办公开办函〔2021〕30号" in out
    assert "法人或其他组织" in out and "成立 holds" in out
    assert "四、结转下年度继续办理*" in out and "3.其他†" in out
    line = next(x for x in out.splitlines() if x.startswith("一、本年新收"))
    assert line.split()[1:] == ["3", "2", "1", "1", "1", "1", "9"]
    assert main(["annual-report", "national", str(DATA / "unplaced-2024.csv"), "--year",
                 "2024"]) == 1
    out = capsys.readouterr().out
    assert "不成立 does NOT hold" in out and "未能归类 unplaced (14)" in out and "C18" in out


def test_csv_output(tmp_path: Path, capsys) -> None:
    out = tmp_path / "table.csv"
    assert main(["annual-report", "national", str(DATA / "basic-2024.csv"), "--year", "2024",
                 "--csv", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][2:] == ["自然人", "法人或其他组织：商业企业", "法人或其他组织：科研机构",
                           "法人或其他组织：社会公益组织", "法人或其他组织：法律服务机构",
                           "法人或其他组织：其他", "总计"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["received"][1:] == ["一、本年新收政府信息公开申请数量", "3", "2", "1", "1", "1",
                                       "1", "9"]
    assert by_code["not_disclosed"][2:] == [""] * 7  # a merged label, no numbers
    assert by_code["carried_forward"][2:] == ["1", "1", "0", "0", "1", "1", "4"]
    assert len(rows) == 1 + 25 + 5  # header, data rows, merged 三 （三） （四） （五） （六）
    assert "wrote" in capsys.readouterr().out


def test_xlsx_output_reads_back_like_the_official_table(tmp_path: Path, capsys) -> None:
    out = tmp_path / "table.xlsx"
    assert main(["annual-report", "national", str(DATA / "basic-2024.csv"), "--year", "2024",
                 "--xlsx", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # header: identity cell, 申请人情况, 自然人 and 总计 over two rows, 法人或其他组织 over five
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= merged
    assert sheet["A2"].value == bundled_format().identity
    assert sheet["D2"].value == "申请人情况" and sheet["E3"].value == "法人或其他组织"
    assert [sheet.cell(row=4, column=c).value for c in range(5, 10)] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # 三、本年度办理结果 spans its 22 rows; （三）不予公开 its 8; 一 spans the label columns.
    assert {"A5:C5", "A7:A28", "B9:B16", "B28:C28", "A29:C29"} <= merged
    assert sheet["A7"].value == "三、本年度办理结果" and sheet["B9"].value == "（三）不予公开"
    assert sheet["C9"].value == "1.属于国家秘密" and sheet["B28"].value == "（七）总计"
    assert [sheet.cell(row=5, column=c).value for c in range(4, 11)] == [3, 2, 1, 1, 1, 1, 9]
    assert [sheet.cell(row=28, column=c).value for c in range(4, 11)] == [3, 1, 1, 1, 1, 1, 8]
    assert sheet["A29"].value == "四、结转下年度继续办理"
    assert book.sheetnames == ["三 申请情况", "说明 notes"]
    notes = {r[0]: r[1:3] for r in book["说明 notes"].iter_rows(values_only=True)}
    assert notes["other.other"] == ("3.其他", "secondary")
    assert notes["carried_forward"] == ("四、结转下年度继续办理", "inferred")
    capsys.readouterr()
    bad = tmp_path / "bad.xlsx"
    assert main(["annual-report", "national", str(DATA / "unplaced-2024.csv"), "--year", "2024",
                 "--xlsx", str(bad)]) == 1
    assert "C02" in capsys.readouterr().err
    unplaced = openpyxl.load_workbook(bad)["未能归类 unplaced"]
    assert unplaced.max_row == 1 + 14


def test_cli_exit_codes(tmp_path: Path, capsys) -> None:
    base = ["annual-report", "national"]
    assert main([*base, str(DATA / "basic-2024.csv"), "--year", "2024"]) == 0
    assert main([*base, str(DATA / "unplaced-2024.csv"), "--year", "2024"]) == 1
    assert main([*base, str(tmp_path / "missing.csv"), "--year", "2024"]) == 2
    no_id = write_csv(tmp_path / "no-id.csv", [["received_on"], ["2024-01-01"]])
    assert main([*base, str(no_id), "--year", "2024"]) == 2
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_text("not a workbook", encoding="utf-8")
    assert main([*base, str(not_excel), "--year", "2024"]) == 2
    # 2020 now has a format (2019 试行, issue 14); 2018 has none.
    assert main([*base, str(DATA / "basic-2024.csv"), "--year", "2018"]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 4
    with pytest.raises(SystemExit) as exc:  # --json and --csv together: a usage error
        main([*base, str(DATA / "basic-2024.csv"), "--year", "2024", "--json", "--csv", "x"])
    assert exc.value.code == 2
    broken = tmp_path / "format.yaml"
    shutil.copy(bundled_format_path(), broken)
    broken.write_text(broken.read_text(encoding="utf-8").replace("kind: annual-report-format",
                                                                 "kind: rulebook"),
                      encoding="utf-8")
    assert main([*base, str(DATA / "basic-2024.csv"), "--year", "2024", "--format",
                 str(broken)]) == 1


def test_a_repeated_id_is_listed_not_counted_twice(tmp_path: Path) -> None:
    from govdisclose import load_rulebook
    from govdisclose.annual.report import build_table
    from govdisclose.ledgers.reading import read_ledger

    path = tmp_path / "dup.csv"
    path.write_text("id,received_on,replied_on,applicant_type,outcome\n"
                    "A,2024-03-01,2024-03-10,citizen,disclosed\n"
                    "A,2024-03-01,2024-03-10,citizen,disclosed\n", encoding="utf-8")
    table = build_table(load_rulebook("national"), read_ledger(path), 2024)
    (dup,) = table.unplaced
    assert dup.line == 3 and dup.reasons[0].code == "id.duplicate"
    received = next(r for r in table.rows if r.code == table.format.rows_counting("received")[0].code)
    assert received.values[-1] == 1  # 总计 column: the request is counted once


@pytest.mark.parametrize("name", ["basic-2024.csv", "unplaced-2024.csv"])
def test_annual_report_json_matches_its_published_schema(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    from govdisclose._schema import validator

    ledger = Path(__file__).parent / "data" / "ledgers" / name
    main(["annual-report", "national", str(ledger), "--year", "2024", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert [e.message for e in validator("annual-report").iter_errors(out)] == []


# -- issue 14: formats by year, sections 二 and 四, aliases, warnings ---------------------------

EXAMPLE_EVERY_ROW = Path(__file__).parent.parent / "examples" / "ledgers" / "every-row-2026.csv"


def test_formats_are_chosen_by_reporting_year_and_both_files_are_valid() -> None:
    from govdisclose.annual.format import bundled_format_paths, format_for_year

    assert [p.name for p in bundled_format_paths()] == ["annual-report-2019.yaml",
                                                        "annual-report-2021.yaml"]
    for path in bundled_format_paths():
        assert list(iter_format_problems(path)) == []
    assert format_for_year(2019).id == format_for_year(2020).id == "annual-report-2019"
    assert format_for_year(2021).id == format_for_year(2026).id == "annual-report-2021"
    assert format_for_year(2020).document_number == "国办公开办函〔2019〕60号"
    with pytest.raises(AnnualReportError, match="2018"):
        format_for_year(2018)


def test_the_2019_format_has_one_row_for_other_handling_and_the_procurement_block() -> None:
    from govdisclose.annual.format import format_for_year

    fmt = format_for_year(2020)
    # 三、本年度办理结果 spans 20 rows in 上海 2019: 2 + 8 + 3 + 5 + 1 + 1.
    assert sum(1 for row, _ in fmt.row("results").walk() if not row.is_group) == 20
    assert fmt.row("other").count == "outcome" and not fmt.row("other").is_group
    assert fmt.proactive is not None
    assert [b.heading for b in fmt.proactive.blocks][-1] == "第二十条第（九）项"
    assert fmt.proactive.cell("s2.licensing.change").value_type == "signed_count"
    assert fmt.proactive.cell("s2.normative_documents.made").row.text == "规范性文件"
    table = build_table(load_rulebook("national"), read_ledger(DATA / "basic-2024.csv"), 2020)
    assert table.format.id == "annual-report-2019"


def test_sections_two_and_four_of_the_2021_format_as_cells() -> None:
    fmt = bundled_format()
    assert fmt.proactive is not None and fmt.remedies is not None
    assert fmt.proactive.heading == "二、主动公开政府信息情况"
    assert [b.heading for b in fmt.proactive.blocks] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert [c.code for c in fmt.proactive.cells] == [
        "s2.rules.issued", "s2.rules.repealed", "s2.rules.in_force",
        "s2.normative_documents.issued", "s2.normative_documents.repealed",
        "s2.normative_documents.in_force", "s2.licensing.decisions", "s2.penalty.decisions",
        "s2.coercion.decisions", "s2.fees.amount"]
    assert [c.text for c in fmt.proactive.blocks[0].columns] == ["本年制发件数", "本年废止件数",
                                                                 "现行有效件数"]
    assert fmt.proactive.cell("s2.fees.amount").column.text == "本年收费金额（单位：万元）"
    assert fmt.proactive.cell("s2.fees.amount").value_type == "wan_yuan"
    assert {c.verified for c in fmt.proactive.cells} == {"verified"}
    cells = fmt.remedies.cells
    assert len(cells) == 15
    assert [c.code for c in cells[:5]] == ["s4.review.upheld", "s4.review.corrected",
                                           "s4.review.other", "s4.review.pending",
                                           "s4.review.total"]
    assert [c.column.text for c in cells[5:10]] == ["结果维持", "结果纠正", "其他结果", "尚未审结",
                                                    "总计"]
    assert fmt.remedies.cell("s4.litigation_direct.total").total_of == (
        "s4.litigation_direct.upheld", "s4.litigation_direct.corrected",
        "s4.litigation_direct.other", "s4.litigation_direct.pending")
    assert fmt.remedies.cell("s4.litigation_after_review.upheld").row.text == "复议后起诉"
    # The section heading's wording in the 2021 notice was not seen (reports differ).
    assert fmt.remedies.verified == "secondary"
    assert {s.id for s in fmt.sources} >= {"longgang-2024", "changchun-new-area-2025"}


def test_a_format_citing_an_unlisted_source_or_a_bad_total_is_reported(tmp_path: Path) -> None:
    text = bundled_format_path().read_text(encoding="utf-8")
    text = text.replace("sources: [wendeng-petitions-2022]", "sources: [nowhere]")
    text = text.replace("total_of: [upheld, corrected, other, pending]",
                        "total_of: [upheld, corrected, other, missing]", 1)
    path = tmp_path / "annual-report-2021.yaml"
    path.write_text(text, encoding="utf-8")
    codes = sorted(p.code for p in iter_format_problems(path))
    assert codes == ["format.total_of", "format.unknown_source"]


def test_the_example_ledger_fills_every_row_and_every_column() -> None:
    table = build_table(load_rulebook("huadian"), read_ledger(EXAMPLE_EVERY_ROW), 2026)
    assert table.complete and table.identity.verdict_zh == "成立"
    assert table.warnings == ()
    outcome_rows = [r for r in table.rows if r.code in
                    {row.code for row in table.format.rows_counting("outcome")}]
    # 21 result rows (2 + 8 + 3 + 5 + 3), each filled; （一） twice (ER-01, ER-22).
    assert len(outcome_rows) == 21 and all(r.values[-1] >= 1 for r in outcome_rows)
    for i, column in enumerate(COLUMNS):
        assert table.row("received").values[i] > 0, column
    # 22 received in 2026 and 2 carried over (ER-22, ER-23); 22 handled; ER-23 and ER-24 open.
    assert table.row("received").values[-1] == 22
    assert table.row("carried_over").values[-1] == 2
    assert table.row("total").values[-1] == 22
    assert table.value("carried_forward", "legal_services") == 1
    assert table.value("carried_forward", "other") == 1
    # The short spellings: 企业, 部分公开, 律师事务所, 逾期不补正.
    assert table.value("partial", "commercial") == 1
    assert table.value("not_disclosed.endangers_security", "legal_services") == 1
    assert table.value("other.overdue_supplement", "citizen") == 1


@pytest.mark.parametrize(("outcome", "row"), [
    ("部分公开", "partial"),
    ("逾期不补正", "other.overdue_supplement"),
    ("申请人无正当理由逾期不补正", "other.overdue_supplement"),
    ("申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请", "other.overdue_supplement"),
])
def test_short_outcome_spellings_are_placed(tmp_path: Path, outcome: str, row: str) -> None:
    ledger = write_csv(tmp_path / "l.csv", [["id", "received_on", "replied_on", "applicant_type",
                                             "outcome"],
                                            ["1", "2024-02-01", "2024-02-20", "自然人", outcome]])
    table = build_table(load_rulebook("national"), read_ledger(ledger), 2024)
    assert table.complete and table.value(row, "citizen") == 1


@pytest.mark.parametrize(("applicant", "column"), [("企业", "commercial"),
                                                  ("律师事务所", "legal_services")])
def test_short_applicant_spellings_are_placed(tmp_path: Path, applicant: str, column: str) -> None:
    ledger = write_csv(tmp_path / "l.csv", [["id", "received_on", "replied_on", "applicant_type",
                                             "outcome"],
                                            ["1", "2024-02-01", "2024-02-20", applicant, "予以公开"]])
    table = build_table(load_rulebook("national"), read_ledger(ledger), 2024)
    assert table.complete and table.value("disclosed", column) == 1


def test_spellings_without_a_certain_place_are_unplaced_with_the_reason(tmp_path: Path) -> None:
    ledger = write_csv(tmp_path / "l.csv", [
        ["id", "received_on", "replied_on", "applicant_type", "outcome"],
        ["1", "2024-02-01", "2024-02-20", "法人", "予以公开"],
        ["2", "2024-02-01", "2024-02-20", "其他组织", "予以公开"],
        ["3", "2024-02-01", "2024-02-20", "自然人", "信息不存在"]])
    table = build_table(load_rulebook("national"), read_ledger(ledger), 2024)
    reasons = [r for u in table.unplaced for r in u.reasons]
    assert [r.code for r in reasons] == ["applicant_type.no_category"] * 2 + ["outcome.ambiguous"]
    assert "法律服务机构" in reasons[0].message_zh  # it names the categories to choose from
    assert "unable.not_held" in reasons[2].message_en
    assert "unable.needs_creation" in reasons[2].message_en
    # 信息不存在 is counted in 一 but in no result row: the identity does not hold.
    assert not table.identity.holds and table.identity.verdict_zh == "不成立"


def test_holds_is_qualified_in_json_when_rows_are_unplaced() -> None:
    table = build_table(load_rulebook("huadian"),
                        read_ledger(ROOT_EXAMPLES / "ledgers" / "huadian-2026.csv"), 2026)
    data = table.to_json()
    assert data["identity"]["holds"] is True
    assert data["identity"]["unplaced_rows"] == 2
    assert data["identity"]["verdict_zh"] == "成立（另有 2 行未能归类，未计入）"
    assert "identity.unplaced_rows" in [w["code"] for w in data["warnings"]]
    assert not data["complete"]


def test_a_ledger_without_an_outcome_column_gets_a_warning(tmp_path: Path) -> None:
    ledger = write_csv(tmp_path / "l.csv", [["id", "received_on", "replied_on", "applicant_type"],
                                            ["1", "2024-02-01", "2024-02-20", "自然人"]])
    table = build_table(load_rulebook("national"), read_ledger(ledger), 2024)
    assert [w.code for w in table.warnings] == ["ledger.no_outcome"]
    assert not table.identity.holds


ROOT_EXAMPLES = Path(__file__).parent.parent / "examples"
