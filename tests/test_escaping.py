"""Escaping by construction (issue 11, part 1): hostile text in a ledger or a rulebook comes out
of every output inert.

* HTML (audit page, rulebook page, SVG pictures): autoescaped templates — a ledger cell
  ``<img src=x onerror=alert(1)>`` is text, never an element;
* CSV and xlsx: OWASP's CSV-injection rule — ``=cmd|' /C calc'!A0`` is written ``'=cmd|…``;
* bidi controls (U+202E, …) shown as ``\\u202e`` in text, JSON, CSV, xlsx, HTML, SVG, ICS,
  Mermaid and DOT;
* iCalendar: RFC 5545 escaping and folding — a bare CR in a label never ends a content line.

The first tests reproduce the broken items of the issue through the CLI, as they were found.
"""

from __future__ import annotations

import csv
import html
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import openpyxl
import pytest

from govdisclose import load_rulebook
from govdisclose.annual.report import build_table
from govdisclose.cli import main
from govdisclose.engine.obligations import obligations_for_year
from govdisclose.ledgers.audit import audit_ledger
from govdisclose.ledgers.reading import read_ledger
from govdisclose.outputs import (
    annual_report_csv,
    annual_report_text,
    audit_csv,
    audit_json,
    audit_text,
    render_audit_html,
    render_report,
    to_ics,
    workflow_graph,
    workflow_svg,
)
from govdisclose.outputs.escaping import (
    BIDI_CONTROLS,
    FORMULA_TRIGGERS,
    BidiEscapingWriter,
    escape_bidi,
    neutralise_cell,
)
from govdisclose.outputs.graph import Edge, Graph, Node
from govdisclose.rulebook.vocabulary import RequestState

XSS = "<img src=x onerror=alert(1)>"
FORMULA = "=cmd|' /C calc'!A0"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
SHOWN = "\\u202e"  # how every output shows it
AS_OF = ["--as-of", "2026-11-20", "--workers", "1"]


def _write_ledger(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "收到申请日期", "答复日期"])
        writer.writerows(rows)
    return path


@pytest.fixture
def hostile_ledger(tmp_path: Path) -> Path:
    return _write_ledger(tmp_path / "hostile.csv", [
        [XSS, XSS, XSS],  # invalid: id and both raw dates are the payload
        [FORMULA, FORMULA, "-2+3"],  # invalid: a formula in the id and the raw dates
        [f"HD{RLO}-001", "2026-03-02", "2026-03-16"],  # valid, with a bidi override in the id
        ["@SUM(1+1)", "2026-03-02", ""],
    ])


def _audit(ledger: Path):  # type: ignore[no-untyped-def]
    return audit_ledger(load_rulebook("huadian"), read_ledger(ledger), as_of=date(2026, 11, 20))


class _Elements(HTMLParser):
    """Every element and attribute a browser would build, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


# -- the broken items of the issue, as they were found ---------------------------------------


def test_audit_html_shows_a_markup_cell_as_text(hostile_ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    main(["audit", "huadian", str(hostile_ledger), *AS_OF, "--html", str(out)])
    page = out.read_text(encoding="utf-8")
    assert "<img" not in page
    parsed = _parse(page)
    assert "img" not in parsed.tags
    assert not any(name.startswith("on") for name in parsed.attributes)
    # the id and both raw dates of the invalid row are shown, as text
    cells = [t for t in parsed.text if t == XSS]
    assert len(cells) == 3, cells


def test_audit_csv_neutralises_formulas(hostile_ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit.csv"
    main(["audit", "huadian", str(hostile_ledger), *AS_OF, "--csv", str(out)])
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), (row, cell)
    by_id = {row[2]: row for row in rows[1:]}
    formula_row = by_id["'" + FORMULA]
    assert formula_row[4] == "'" + FORMULA  # the raw received date of the invalid row
    assert formula_row[6] == "'-2+3"
    assert "'@SUM(1+1)" in by_id
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]  # numbers stay numbers


def test_annual_report_xlsx_neutralises_formulas(tmp_path: Path) -> None:
    source = Path(__file__).parent / "data" / "ledgers" / "unplaced-2024.csv"
    text = source.read_text(encoding="utf-8").replace("\nC02,", f"\n{FORMULA},", 1)
    text = text.replace("\nC03,", "\nC\x01\u202e03,", 1)  # a control xlsx cannot hold, and RLO
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(text, encoding="utf-8")
    out = tmp_path / "table.xlsx"
    main(["annual-report", "national", str(ledger), "--year", "2024", "--xlsx", str(out)])
    book = openpyxl.load_workbook(out)
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert "'" + FORMULA in values
    texts = [v for v in values if isinstance(v, str)]
    assert not any(v.startswith(FORMULA_TRIGGERS) for v in texts)
    assert not any(RLO in v for v in texts)
    assert f"C\\x01{SHOWN}03" in values


def test_a_bare_cr_in_a_label_does_not_reach_the_ics() -> None:
    book = load_rulebook("huadian")
    dues = [o for o in obligations_for_year(book, 2026) if o.due is not None]
    label = f"年报\rDTSTART:19700101\r\nX-EVIL:1;a,b\\c{RLO}"
    hostile = [replace(dues[0], label=label, note="注\r意"), *dues[1:]]
    text = to_ics(book, hostile, datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert RLO not in text
    raw = text.encode("utf-8")
    assert b"\r" not in raw.replace(b"\r\n", b"")  # no bare CR anywhere
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert not any(line.startswith((b"X-EVIL", b"DTSTART:1970")) for line in lines)
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(dues)
    first = events[0]
    assert first.get("X-EVIL") is None
    assert str(first.get("SUMMARY")) == f"年报\nDTSTART:19700101\nX-EVIL:1;a,b\\c{SHOWN}"
    assert str(first.get("DESCRIPTION")).endswith("\n注\n意")
    assert first.decoded("DTSTART") == dues[0].due


# -- bidi controls, in every output ----------------------------------------------------------


def test_bidi_controls_in_a_ledger_id_are_shown_escaped(hostile_ledger: Path) -> None:
    result = _audit(hostile_ledger)
    html_page = render_audit_html(result)
    outputs = {"text": audit_text(result), "json": audit_json(result),
               "csv": audit_csv(result), "html": html_page}
    for name, text in outputs.items():
        assert RLO not in text, name
        assert f"HD{SHOWN}-001" in text or name == "text", name  # text lists problem rows only
    # JSON shows the escape and keeps the data: it decodes to the id as it was
    ids = [row["id"] for row in json.loads(outputs["json"])["rows"]]
    assert f"HD{RLO}-001" in ids


def test_bidi_controls_in_problem_rows_and_unplaced_rows(tmp_path: Path) -> None:
    ledger = _write_ledger(tmp_path / "l.csv", [[f"X{RLO}1", f"2026-13-01{RLO}", ""]])
    text = audit_text(_audit(ledger))
    assert RLO not in text
    assert f"X{SHOWN}1" in text

    source = Path(__file__).parent / "data" / "ledgers" / "unplaced-2024.csv"
    annual = tmp_path / "annual.csv"
    annual.write_text(source.read_text(encoding="utf-8").replace("\nC02,", f"\nC{RLO}02,", 1),
                      encoding="utf-8")
    table = build_table(load_rulebook("national"), read_ledger(annual), 2024)
    report = annual_report_text(table)
    assert RLO not in report
    assert f"C{SHOWN}02" in report
    assert RLO not in annual_report_csv(table)


def _hostile_graph() -> Graph:
    nodes = (Node("start", f"接收{RLO}<script>alert(1)</script>", "receive \"it\" & go", "agency",
                  f"机关{RLO}", None, None, None, start=True, sources=(f"《办法》{RLO}",)),
             Node("reply", "答复", None, None, None, None, None, f"a {RLO}= b", start=False))
    return Graph("demo", f"示例{RLO}", "request", date(2026, 1, 1), "start", nodes,
                 (Edge("start", "reply"),))


def test_bidi_controls_and_markup_in_pictures() -> None:
    graph = _hostile_graph()
    for name, text in {"mermaid": graph.to_mermaid(), "dot": graph.to_dot(),
                       "svg": workflow_svg(graph, "wf")}.items():
        assert RLO not in text, name
        assert SHOWN in text, name
        # a DOT "string" is text to Graphviz, markup and all; Mermaid and SVG must not carry it
        assert "<script" not in text or name == "dot", name
    svg = ET.fromstring(workflow_svg(graph, "wf"))
    assert not [e for e in svg.iter() if e.tag.endswith("script")]
    assert any("<script>alert(1)</script>" in (t.text or "") for t in svg.iter("tspan"))


def test_the_rulebook_page_escapes_what_a_rulebook_says() -> None:
    book = load_rulebook("huadian")
    hostile = replace(book, name=f"桦甸{RLO}<script>alert(1)</script>",
                      name_en='" onmouseover="alert(1)', description=XSS)
    page = render_report(hostile, 2026)
    assert RLO not in page
    assert f"桦甸{SHOWN}&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = _parse(page)
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    assert not any(name.startswith("on") for name in parsed.attributes)
    # the real pictures still come out whole
    assert page.count('<svg class="workflow"') == len(book.workflows)
    assert workflow_svg(workflow_graph(hostile, "request", date(2026, 12, 31)), "wf-request") in page


# -- the two functions ------------------------------------------------------------------------


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS))
def test_escape_bidi_shows_each_control(char: str) -> None:
    shown = escape_bidi(f"a{char}b")
    assert shown == f"a\\u{ord(char):04x}b"
    assert json.loads(f'"{shown}"') == f"a{char}b"  # the JSON escape of the same text


def test_escape_bidi_leaves_other_text_alone() -> None:
    text = "政府信息公开 ‘quotes’ \u200b — 123 עברית"
    assert escape_bidi(text) is text
    assert len(BIDI_CONTROLS) == 12


@pytest.mark.parametrize("value", [FORMULA, "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=1+1",
                                   "-2+3"])
def test_neutralise_cell_quotes_formula_starts(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-3, 0, 12, -1.5, 2.25, Decimal("-7.10")])
def test_neutralise_cell_keeps_numbers(value: object) -> None:
    assert neutralise_cell(value) == value
    assert type(neutralise_cell(value)) is type(value)


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), ("", ""), ("HD-001", "HD-001"), ("a=b", "a=b"), (" =1", " =1"),
    (True, "True"), (f"{RLO}=1", f"{SHOWN}=1"), (f"=1{RLO}", f"'=1{SHOWN}"),
])
def test_neutralise_cell_other_values(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_bidi_escaping_writer() -> None:
    buffer = io.StringIO()
    writer = BidiEscapingWriter(buffer)
    print(f"id {RLO}x", file=writer)  # type: ignore[arg-type]
    assert buffer.getvalue() == f"id {SHOWN}x\n"
    assert writer.getvalue() == buffer.getvalue()  # other attributes are the stream's


def test_an_ics_event_on_the_last_representable_day_has_no_dtend() -> None:
    """RFC 5545 3.6.1: an all-day event without DTEND lasts one day; 9999-12-31 has no next day."""
    from datetime import date, datetime, timezone

    from govdisclose import load_rulebook
    from govdisclose.engine.obligations import ObligationDue
    from govdisclose.outputs.ics import to_ics
    from govdisclose.rulebook.model import Relation

    book = load_rulebook("national")
    due = ObligationDue("report.annual", "年度报告", None, date.max, 9999, None, None, book.id,
                        Relation.NATIONAL, ("来源",))
    text = to_ics(book, [due], datetime(2026, 12, 3, tzinfo=timezone.utc))
    assert "DTSTART;VALUE=DATE:99991231" in text and "DTEND" not in text


@pytest.mark.parametrize("value", [
    "2026-03-02", "R-1", "", 12, 3.5, None, True, "办理中", "a&b", "<b>x</b>", 'say "hi"',
    "it's", "a\u202eb", "\u2066中文\u2069", "&\u202e<", RequestState.OVERDUE,
    "x" * 600 + "\u202e", "'" * 3])
def test_every_printed_value_is_escaped_as_html_escape_of_escape_bidi(value: object) -> None:
    # html_parts._finalize lets a text with nothing to rewrite through to autoescaping: the
    # page must read as the escapes have it, character for character.
    from govdisclose.outputs.html_parts import _environment

    page = _environment().from_string("{{ v }}").render(v=value)
    content = str.__str__(value) if isinstance(value, str) else str(value)
    assert page == html.escape(escape_bidi(content))
