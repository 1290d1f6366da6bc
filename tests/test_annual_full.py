"""The whole annual report: the drafts of 一, 五 and 六 (figures from the tables, placeholders for
the prose, missing figures said to be missing), the HTML page as headless Chromium renders it,
escaping, the Word document read back, and the CLI (``annual-report … --full``).

The example ledger examples/ledgers/every-row-2026.csv and register
examples/ledgers/register-2026.yaml are worked by hand below.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from govdisclose import load_rulebook
from govdisclose.annual.draft import draft_figures, missing_parts, table_figure, wording
from govdisclose.annual.model import AnnualReport
from govdisclose.annual.register import Register, read_register
from govdisclose.annual.report import build_table
from govdisclose.annual.sections import build_report, processing_fee_figures
from govdisclose.cli import main
from govdisclose.ledgers.reading import read_ledger
from govdisclose.outputs.annual_report_html import render_annual_report_html

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "examples" / "ledgers" / "every-row-2026.csv"
BAD_LEDGER = ROOT / "examples" / "ledgers" / "huadian-2026.csv"
REGISTER = ROOT / "examples" / "ledgers" / "register-2026.yaml"
HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项")
SUBHEADINGS = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设",
               "（五）监督保障")

# -- the example, worked by hand (2026) ------------------------------------------------------
# 二 (see tests/test_annual_register.py): 规章 1/1/2, 行政规范性文件 2/1/3, 行政许可 312,
#   行政处罚 4, 行政强制 0 (declared none), 收费 12.9457 万元.
# 三, column 总计: ER-01..ER-21 and ER-24 received in 2026 → 22; ER-22, ER-23 received in 2025
#   and open at 1 January → 2.  Replied in 2026: 予以公开 ER-01, ER-22 → 2; 部分公开 ER-02 → 1;
#   不予公开 ER-03..ER-10 → 8; 无法提供 ER-11..ER-13 → 3; 不予处理 ER-14..ER-18 → 5;
#   其他处理 ER-19..ER-21 → 3; 总计 22.  Open at 31 December: ER-23, ER-24 → 2.
#   22 + 2 = 22 + 2.
# 四: 行政复议 总计 4, 尚未审结 1; 直接起诉 总计 3; 复议后起诉 总计 2.
# 六: 信息处理费 100 + 250.50 + 49.50 = 400.00 元 in 2026 (the 2025 charge is last year's),
#   from requests HD-2026-003 and HD-2026-011 → 2.
PROACTIVE = {"s2.rules.issued": 1, "s2.rules.repealed": 1, "s2.rules.in_force": 2,
             "s2.normative_documents.issued": 2, "s2.normative_documents.repealed": 1,
             "s2.normative_documents.in_force": 3, "s2.licensing.decisions": 312,
             "s2.penalty.decisions": 4, "s2.coercion.decisions": 0,
             "s2.fees.amount": Decimal("12.9457")}
REQUESTS = {"s3.received.total": 22, "s3.carried_over.total": 2, "s3.disclosed.total": 2,
            "s3.partial.total": 1, "s3.not_disclosed.total": 8, "s3.unable.total": 3,
            "s3.not_processed.total": 5, "s3.other.total": 3, "s3.total.total": 22,
            "s3.carried_forward.total": 2, "s4.review.total": 4, "s4.review.pending": 1,
            "s4.litigation_direct.total": 3, "s4.litigation_after_review.total": 2}
FEES = {"processing_fees.amount": Decimal("400.00"), "processing_fees.requests": 2}
REMEDIES_ROW = ["1", "1", "1", "1", "4", "1", "0", "0", "2", "3", "0", "1", "1", "0", "2"]


def _report(ledger: Path = LEDGER, register: Register | None = None, year: int = 2026,
            agency: str | None = None) -> AnnualReport:
    table = build_table(load_rulebook("huadian"), read_ledger(ledger), year)
    return build_report(table, read_register(REGISTER) if register is None else register,
                        agency=agency)


@pytest.fixture(scope="module")
def report() -> AnnualReport:
    return _report()


# -- the drafts ------------------------------------------------------------------------------


def test_the_drafts_state_the_figures_worked_by_hand(report: AnnualReport) -> None:
    overview = report.overview
    assert overview.heading == "一、总体情况"
    assert tuple(p.heading for p in overview.paragraphs) == SUBHEADINGS
    proactive, requests, *rest = overview.paragraphs
    assert dict(proactive.figures) == PROACTIVE
    assert proactive.sentences[0] == "本年制发规章 1 件，废止 1 件，现行有效规章 2 件。"
    assert "本年行政事业性收费金额 12.9457 万元。" in proactive.sentences
    assert dict(requests.figures) == REQUESTS
    assert requests.sentences[0] == "本年新收政府信息公开申请 22 件，上年结转政府信息公开申请 2 件。"
    assert "结转下年度继续办理 2 件。" in requests.sentences
    assert "不予公开 8 件" in requests.sentences[1] and "总计 22 件" in requests.sentences[1]
    for paragraph in rest:  # 政府信息管理, 平台建设, 监督保障: prose only
        assert paragraph.sentences == () and not paragraph.figures
        assert len(paragraph.placeholders) == 1
    five = report.problems_and_improvements
    assert five.heading == "五、存在的主要问题及改进情况"
    assert all(not p.sentences and p.placeholders for p in five.paragraphs)
    six = report.other_matters
    assert six.heading == "六、其他需要报告的事项"
    assert dict(six.paragraphs[0].figures) == FEES
    assert six.paragraphs[0].sentences == (
        "本年度收取信息处理费 400.00 元，涉及政府信息公开申请 2 件。",)
    assert six.paragraphs[-1].placeholders


def test_every_figure_stated_is_the_tables_and_in_its_sentence(report: AnnualReport) -> None:
    fees = processing_fee_figures(read_register(REGISTER), 2026)
    for section in (report.overview, report.problems_and_improvements, report.other_matters):
        for paragraph in section.paragraphs:
            text = "".join(paragraph.sentences)
            for code, value in paragraph.figures.items():
                if code.startswith("s2."):
                    assert report.proactive.value(code) == value
                elif code.startswith("s4."):
                    assert report.remedies.value(code) == value
                elif code.startswith("s3."):
                    assert table_figure(report.requests, code) == value
                else:
                    assert fees.value(code) == value
                assert f" {value} " in text
    # a merged row is the sum of its rows, as a checker recomputes it
    sub = [r.code for r in report.requests.format.row("not_disclosed").children]
    assert table_figure(report.requests, "s3.not_disclosed.citizen") == sum(
        report.requests.value(code, "citizen") for code in sub)
    assert table_figure(report.requests, "s3.no_such_row.total") is None


def test_a_missing_figure_is_said_to_be_missing_never_zero() -> None:
    report = _report(register=Register(""))  # no register: 二, 四 and 六's fees have no data
    proactive, requests = report.overview.paragraphs[:2]
    assert not proactive.figures
    assert all(s.startswith("【缺数：") for s in proactive.sentences)
    assert "规章（本年制发件数）" in proactive.sentences[0]
    assert not any(code.startswith("s4.") for code in requests.figures)
    assert requests.figures["s3.received.total"] == 22  # 三 comes from the ledger
    fees = report.other_matters.paragraphs[0]
    assert not fees.figures and "信息处理费金额（元）" in fees.sentences[0]
    assert not any(" 0 " in s for p in report.overview.paragraphs for s in p.sentences
                   if "缺数" in s)
    assert [m for m, _ in missing_parts(fees.sentences[0])] == [True]


def test_a_ledger_without_an_outcome_column_leaves_the_results_missing(tmp_path: Path) -> None:
    ledger = tmp_path / "no-outcome.csv"
    ledger.write_text("编号,申请人类型,收到申请日期,答复日期\nA-1,自然人,2026-01-05,2026-01-20\n"
                      "A-2,自然人,2026-12-20,\n", encoding="utf-8")
    report = _report(ledger)
    requests = report.overview.paragraphs[1]
    assert requests.figures["s3.received.total"] == 2
    assert requests.figures["s3.carried_forward.total"] == 1
    assert "s3.disclosed.total" not in requests.figures
    assert any(s.startswith("【缺数：予以公开") for s in requests.sentences)


def test_unplaced_ledger_rows_are_named_before_the_prose() -> None:
    report = _report(BAD_LEDGER)
    requests = report.overview.paragraphs[1]
    first = requests.placeholders[0]
    assert first.key == "overview.requests.unplaced" and "2 行未能归类" in first.prompt_zh


def test_a_cell_the_format_does_not_have_is_left_out() -> None:
    report = _report(year=2020)  # the 2019 format: 二 has other columns
    proactive = report.overview.paragraphs[0]
    assert not any("规章" in s for s in proactive.sentences)
    assert "s2.rules.issued" not in draft_figures(report.requests, report.proactive,
                                                  report.remedies, {})


def test_the_wording_is_data() -> None:
    assert set(wording()["sections"]) == {"overview", "problems_and_improvements",
                                          "other_matters"}


# -- the HTML page ---------------------------------------------------------------------------


class _Page(HTMLParser):
    """Visible text, headings, and every table as rows of (text, rowspan, colspan)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[str] = []
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._skip = 0
        self._heading: list[str] | None = None
        self._cell: list[str] | None = None
        self._spans = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("style", "title", "sup"):
            self._skip += 1
        elif tag == "h2":
            self._heading = []
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
            self._spans = (int(a.get("rowspan") or 1), int(a.get("colspan") or 1))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "sup"):
            self._skip -= 1
        elif tag == "h2" and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(("".join(self._cell), *self._spans))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        for part in (self._heading, self._cell):
            if part is not None:
                part.append(data)


def _parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    return parsed


def _chromium_dom(path: Path, profile: Path) -> str:
    browser = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which(
        "chromium")
    if browser is None:
        if os.environ.get("GOVDISCLOSE_REQUIRE_CHROMIUM"):
            pytest.fail("GOVDISCLOSE_REQUIRE_CHROMIUM is set but chromium is not installed")
        pytest.skip("chromium is not installed: the rendered-page test runs in CI (.ci/run)")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--dump-dom",
               path.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    return result.stdout.decode("utf-8")


def test_chromium_renders_the_whole_report(tmp_path: Path) -> None:
    out = tmp_path / "年报.html"
    assert main(["annual-report", "huadian", str(LEDGER), "--year", "2026", "--full",
                 "--register", str(REGISTER), "--agency", "桦甸市教育局", "--html",
                 str(out)]) == 0
    page = _parse(_chromium_dom(out, tmp_path / "profile"))
    text = "".join(page.text)
    assert list(page.headings[:6]) == list(HEADINGS)
    assert "桦甸市教育局2026年政府信息公开工作年度报告" in text
    assert "统计期限：2026年1月1日至2026年12月31日" in text
    for sub in SUBHEADINGS:
        assert sub in text
    assert "本年新收政府信息公开申请 22 件" in text
    assert "【待填写：" in text and "缺数" in text  # the legend explains both
    # 二: four blocks; 三; 四 — six tables in all
    assert len(page.tables) == 6
    rules = page.tables[0]
    assert rules[0] == [("第二十条第（一）项", 1, 4)]
    assert [c[0] for c in rules[2]] == ["规章", "1", "1", "2"]
    assert [c[0] for c in page.tables[3][2]] == ["行政事业性收费", "12.9457"]
    requests = page.tables[4]
    assert requests[0][0][1:] == (3, 3)  # the identity statement over three label columns
    assert requests[0][1] == ("申请人情况", 1, 7)
    assert ("法人或其他组织", 1, 5) in requests[1]
    assert [c[0] for c in requests[3]] == ["一、本年新收政府信息公开申请数量", "5", "4", "3",
                                           "3", "3", "4", "22"]
    remedies = page.tables[5]
    assert remedies[0] == [("行政复议", 2, 5), ("行政诉讼", 1, 10)]
    assert [c[0] for c in remedies[-1]] == REMEDIES_ROW


def test_the_page_marks_placeholders_and_missing_figures() -> None:
    page = render_annual_report_html(_report(register=Register("")))
    assert '<span class="placeholder">【待填写：' in page
    assert '<span class="missing">【缺数：' in page
    assert '<td class="missing">缺数</td>' in page
    assert page.count("<h2>") == 7  # six sections and the notes


def test_hostile_agency_and_register_text_is_escaped(tmp_path: Path) -> None:
    register = tmp_path / "register.yaml"
    register.write_text(
        "kind: annual-register\ncases:\n"
        "  - {id: '<img src=x onerror=alert(1)>\u202e', route: 行政复议, filed_on: 2025-03-01, "
        "result: 维持}\n", encoding="utf-8")
    hostile = "<script>alert(1)</script>\u202e局\x07"
    report = _report(register=read_register(register), agency=hostile)
    assert report.problems  # the undated case filed before 2026 is a problem naming its id
    page = render_annual_report_html(report)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\u202e局" in page
    assert "&lt;img src=x onerror=alert(1)&gt;\\u202e" in page
    assert "\u202e" not in page


# -- the Word document -----------------------------------------------------------------------


def test_the_docx_reads_back_with_headings_and_tables(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx", reason="needs the 'docx' extra: pip install '.[docx]'")
    out = tmp_path / "年报.docx"
    assert main(["annual-report", "huadian", str(LEDGER), "--year", "2026", "--full",
                 "--register", str(REGISTER), "--docx", str(out)]) == 0
    document = docx.Document(str(out))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "桦甸市2026年政府信息公开工作年度报告"
    assert "统计期限：2026年1月1日至2026年12月31日" in [p.text for p in paragraphs]
    level1 = [p.text.rstrip("*†") for p in paragraphs if p.style.name == "Heading 1"]
    assert level1[:6] == list(HEADINGS)
    level2 = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert level2 == list(SUBHEADINGS)
    assert any(p.text.startswith("【待填写：") for p in paragraphs)
    tables = document.tables
    assert len(tables) == 6
    assert [c.text for c in tables[0].rows[2].cells] == ["规章", "1", "1", "2"]
    requests = tables[4]
    assert [c.text for c in requests.rows[3].cells][-1] == "22"
    assert requests.cell(0, 0).text == requests.cell(2, 2).text  # merged identity cell
    assert [c.text for c in tables[5].rows[-1].cells] == REMEDIES_ROW


def test_the_docx_escapes_hostile_text(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx", reason="needs the 'docx' extra: pip install '.[docx]'")
    from govdisclose.outputs.annual_docx import write_annual_report_docx

    out = tmp_path / "r.docx"
    write_annual_report_docx(_report(agency="局\u202e\x07"), out)
    title = docx.Document(str(out)).paragraphs[0].text
    assert title.startswith("局\\u202e\\x07")


# -- the command line ------------------------------------------------------------------------


def test_cli_full_outputs_and_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    base = ["annual-report", "huadian", str(LEDGER), "--year", "2026"]
    out = tmp_path / "r.html"
    assert main([*base, "--full", "--html", str(out)]) == 1  # no register: 二/四 missing
    assert "<h2>一、总体情况</h2>" in out.read_text(encoding="utf-8")
    assert main([*base, "--full", "--register", str(REGISTER), "--html", str(out)]) == 2
    assert "exists" in capsys.readouterr().err  # a draft is never written over
    assert main([*base, "--full", "--json"]) == 1
    full = json.loads(capsys.readouterr().out)
    assert full["kind"] == "annual-report-full"
    assert main([*base, "--full"]) == 2  # no output named
    assert main([*base, "--full", "--csv", str(tmp_path / "t.csv")]) == 2
    assert main([*base, "--agency", "X", "--json"]) == 2  # --agency needs --full
    monkeypatch.setitem(sys.modules, "docx", None)  # the extra not installed
    assert main([*base, "--full", "--docx", str(tmp_path / "r.docx")]) == 2
    assert "python-docx" in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists()


def test_the_full_json_matches_its_schema() -> None:
    """schemas/annual-report-full.schema.json describes the --full --json document."""
    import json
    import subprocess
    import sys

    from govdisclose._schema import validator

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-m", "govdisclose", "annual-report", "national",
         "examples/ledgers/every-row-2026.csv", "--year", "2026", "--register",
         "examples/ledgers/register-2026.yaml", "--json"],
        cwd=root, capture_output=True, check=False)
    assert out.returncode == 0, out.stderr.decode()
    document = json.loads(out.stdout)
    assert [e.message for e in validator("annual-report-full").iter_errors(document)] == []
    # a missing figure is null, never 0, and the schema says so
    document["sections"]["proactive"]["cells"][0]["value"] = "12.34567"
    assert list(validator("annual-report-full").iter_errors(document))
