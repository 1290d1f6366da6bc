"""The library writes every output the CLI writes, without the CLI (issue 9: outputs/).

A program that audits a ledger or fills the annual report's table must be able to produce the
audit's text, CSV, JSON and HTML and the table's text, CSV and Excel workbook (and the duties'
iCalendar file) with ``govdisclose.outputs`` alone: each test runs such a program in a fresh
interpreter, checks that ``govdisclose.cli`` was never imported, and compares what it wrote
byte for byte with what the CLI writes for the same input.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from govdisclose import load_rulebook
from govdisclose.annual.report import build_table
from govdisclose.cli import main
from govdisclose.ledgers.audit import audit_ledger
from govdisclose.ledgers.reading import read_ledger
from govdisclose.outputs import (
    annual_report_csv,
    audit_csv,
    audit_json,
    render_audit_html,
    write_annual_report_csv,
    write_audit_csv,
    write_audit_json,
)

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "examples" / "ledgers" / "huadian-2026.csv"
ANNUAL = ROOT / "tests" / "data" / "ledgers" / "unplaced-2024.csv"


def _run_without_cli(script: str, out: Path) -> None:
    """Run ``script`` in a fresh interpreter with ``OUT`` set; it must not import the CLI."""
    program = textwrap.dedent(script) + textwrap.dedent("""
        import sys
        loaded = sorted(m for m in sys.modules if m == "govdisclose.cli"
                        or m.startswith("govdisclose.cli."))
        assert not loaded, loaded
        print("no cli")
    """)
    done = subprocess.run([sys.executable, "-c", program, str(out)], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("no cli")


def _cli(argv: list[str]) -> tuple[int, str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    return code, buffer.getvalue()


def test_audit_outputs_without_the_cli(tmp_path: Path) -> None:
    lib, cli = tmp_path / "lib", tmp_path / "cli"
    lib.mkdir()
    cli.mkdir()
    _run_without_cli(f"""
        import sys
        from datetime import date
        from pathlib import Path

        from govdisclose import load_rulebook
        from govdisclose.ledgers.audit import audit_ledger
        from govdisclose.ledgers.reading import read_ledger
        from govdisclose.outputs import (audit_text, write_audit_csv, write_audit_html,
                                         write_audit_json)

        out = Path(sys.argv[1])
        result = audit_ledger(load_rulebook("huadian"), read_ledger(Path({str(LEDGER)!r})),
                              as_of=date(2026, 11, 20))
        write_audit_csv(result, out / "audit.csv")
        write_audit_html(result, out / "audit.html")
        with (out / "audit.json").open("w", encoding="utf-8") as handle:
            write_audit_json(result, handle)
        (out / "audit.txt").write_text(audit_text(result), encoding="utf-8")
    """, lib)
    base = ["audit", "huadian", str(LEDGER), "--as-of", "2026-11-20", "--workers", "1"]
    code, text = _cli(base)
    assert code == 1
    assert (lib / "audit.txt").read_text(encoding="utf-8") == text
    assert _cli([*base, "--json"])[1] == (lib / "audit.json").read_text(encoding="utf-8")
    _cli([*base, "--csv", str(cli / "audit.csv")])
    _cli([*base, "--html", str(cli / "audit.html")])
    for name in ("audit.csv", "audit.html"):
        assert (lib / name).read_bytes() == (cli / name).read_bytes(), name
    assert (lib / "audit.csv").read_bytes().startswith(b"\xef\xbb\xbfrow,line,id,state")
    assert json.loads((lib / "audit.json").read_text(encoding="utf-8"))["rulebook"] == "huadian"


def test_annual_report_outputs_without_the_cli(tmp_path: Path) -> None:
    lib, cli = tmp_path / "lib", tmp_path / "cli"
    lib.mkdir()
    cli.mkdir()
    _run_without_cli(f"""
        import sys
        from pathlib import Path

        from govdisclose import load_rulebook
        from govdisclose.annual.report import build_table
        from govdisclose.ledgers.reading import read_ledger
        from govdisclose.outputs import (annual_report_text, write_annual_report_csv,
                                         write_annual_report_xlsx)

        out = Path(sys.argv[1])
        table = build_table(load_rulebook("national"), read_ledger(Path({str(ANNUAL)!r})), 2024)
        (out / "table.txt").write_text(annual_report_text(table), encoding="utf-8")
        write_annual_report_csv(table, out / "table.csv")
        write_annual_report_xlsx(table, out / "table.xlsx")
    """, lib)
    base = ["annual-report", "national", str(ANNUAL), "--year", "2024"]
    code, text = _cli(base)
    assert code == 1  # the ledger has unplaced rows
    assert (lib / "table.txt").read_text(encoding="utf-8") == text
    _cli([*base, "--csv", str(cli / "table.csv")])
    _cli([*base, "--xlsx", str(cli / "table.xlsx")])
    assert (lib / "table.csv").read_bytes() == (cli / "table.csv").read_bytes()
    ours, theirs = openpyxl.load_workbook(lib / "table.xlsx"), openpyxl.load_workbook(
        cli / "table.xlsx")
    assert ours.sheetnames == theirs.sheetnames == ["三 申请情况", "说明 notes", "未能归类 unplaced"]
    for name in ours.sheetnames:
        assert [[c.value for c in row] for row in ours[name].iter_rows()] == \
            [[c.value for c in row] for row in theirs[name].iter_rows()], name
        assert sorted(map(str, ours[name].merged_cells.ranges)) == \
            sorted(map(str, theirs[name].merged_cells.ranges)), name


def test_obligations_calendar_without_the_cli(tmp_path: Path) -> None:
    _run_without_cli("""
        import sys
        from datetime import datetime, timezone
        from pathlib import Path

        from govdisclose import load_rulebook
        from govdisclose.engine.obligations import obligations_for_year
        from govdisclose.outputs.ics import to_ics

        book = load_rulebook("huadian")
        stamp = datetime(2026, 1, 1, tzinfo=timezone.utc)
        text = to_ics(book, obligations_for_year(book, 2026), stamp)
        Path(sys.argv[1], "lib.ics").write_text(text, encoding="utf-8")
    """, tmp_path)
    assert _cli(["obligations", "huadian", "--year", "2026", "--ics",
                 str(tmp_path / "cli.ics")])[0] == 0
    assert (tmp_path / "lib.ics").read_bytes() == (tmp_path / "cli.ics").read_bytes()


@pytest.fixture(scope="module")
def audit_result():  # type: ignore[no-untyped-def]
    from datetime import date

    return audit_ledger(load_rulebook("huadian"), read_ledger(LEDGER), as_of=date(2026, 11, 20))


def test_string_and_file_forms_agree(audit_result, tmp_path: Path) -> None:
    write_audit_csv(audit_result, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes() == audit_csv(audit_result).encode("utf-8-sig")
    buffer = io.StringIO()
    write_audit_json(audit_result, buffer)
    assert buffer.getvalue() == audit_json(audit_result)
    assert json.loads(audit_json(audit_result)) == json.loads(json.dumps(audit_result.to_json()))
    table = build_table(load_rulebook("national"), read_ledger(ANNUAL), 2024)
    write_annual_report_csv(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == annual_report_csv(table).encode("utf-8-sig")


def test_audit_page_escapes_and_highlights(audit_result) -> None:
    page = render_audit_html(audit_result)
    assert page.startswith("<!doctype html>") and page.endswith("</html>\n")
    assert "http" not in page  # self-contained
    assert page.count("<tr class='") == len(audit_result.rows)  # every row, none dropped
    assert page.count("<tr class='bad'>") == sum(
        1 for r in audit_result.rows if not r.ok and r.state != "invalid")
    assert page.count("<tr class='invalid'>") == sum(
        1 for r in audit_result.rows if r.state == "invalid")
