"""``govdisclose ledger template``: the Excel ledger (台账.xlsx) agencies fill in (issue 13,
part 6).  The written template, filled in here the way a clerk would with Excel (openpyxl),
audits clean; the empty one reads without error; every drop-down value is one the readers
accept.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from govdisclose.annual.report import build_table
from govdisclose.cli import main
from govdisclose.ledgers.reading import COLUMNS, read_ledger
from govdisclose.outputs.ledger_template import (
    LEDGER_SHEET,
    ledger_template_columns,
    write_ledger_template,
)
from govdisclose.rulebook.loading import load_rulebook
from govdisclose.rulebook.vocabulary import Channel


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    write_ledger_template(path)
    return path


def _headers(path: Path) -> dict[str, int]:
    """Canonical column -> 1-based column index, read from the template's header row."""
    ws = load_workbook(path)[LEDGER_SHEET]
    by_header = {c.header: c.key for c in ledger_template_columns()}
    return {by_header[str(cell.value)]: cell.column for cell in ws[1]}


def _fill(path: Path, rows: list[dict[str, object]]) -> None:
    """Type rows into the template as Excel would store them (dates as date cells)."""
    book = load_workbook(path)
    ws = book[LEDGER_SHEET]
    index = _headers(path)
    for r, values in enumerate(rows, 2):
        for key, value in values.items():
            ws.cell(r, index[key], value)
    book.save(path)


# -- the CLI --------------------------------------------------------------------------------


def test_cli_writes_the_template_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    out = tmp_path / "my ledger.xlsx"
    assert main(["ledger", "template", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    written = out.read_bytes()
    assert main(["ledger", "template", "-o", str(out)]) == 2  # never overwritten
    err = capsys.readouterr().err
    assert "exists" in err
    assert "已存在" in err
    assert out.read_bytes() == written


def test_cli_default_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["ledger", "template"]) == 0
    assert (tmp_path / "台账.xlsx").is_file()


def test_cli_refuses_an_unknown_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["ledger", "frobnicate"])
    assert exc.value.code == 2


# -- the workbook ---------------------------------------------------------------------------


def test_the_empty_template_reads_and_audits_clean(template: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    ledger = read_ledger(template)
    assert ledger.rows == ()
    # every column the reader knows is in the template, under a header the reader accepts
    assert set(ledger.columns) == set(COLUMNS)
    if "channel" not in COLUMNS:  # the channel column is kept, not read (yet)
        assert ledger.unknown_columns == ("申请渠道",)
    assert main(["audit", "national", str(template), "--as-of", "2026-10-27", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["rows"] == 0


def test_a_filled_template_audits_clean(template: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # Worked by hand on the official calendar (国务院办公厅关于2026年部分节假日安排的通知:
    # 09-25..27 and 10-01..07 off, Sun 09-20 and Sat 10-10 worked), national: reply within 20
    # working days of receipt, the day of receipt not counted.
    #   L-1 received Mon 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, worked), 10-12..16,
    #       10-19..23, 10-26..30 -> due 10-30; replied 10-20: on time.
    #   L-2 received Fri 10-09: 10-10, 10-12..16, 10-19..23, 10-26..30, 11-02..05 -> due 11-05;
    #       no reply on 10-27: open, not overdue.
    #   L-3 received 09-07, supplement asked 09-08 and received 09-15 (the period restarts):
    #       20 working days after 09-15 -> 09-16..18, 09-20, 09-21..24, 09-28..30, 10-08..10,
    #       10-12..16, 10-19 -> due 10-19 (20th: count 3+1+4+3+3+5+1); replied 10-16 (a text
    #       date, as clerks type them): on time.
    _fill(template, [
        {"id": "L-1", "received_on": date(2026, 9, 28), "channel": Channel.ONLINE.zh,
         "applicant_type": "自然人", "replied_on": date(2026, 10, 20), "outcome": "予以公开"},
        {"id": "L-2", "received_on": date(2026, 10, 9), "channel": Channel.IN_PERSON.zh,
         "applicant_type": "商业企业"},
        {"id": "L-3", "received_on": date(2026, 9, 7), "channel": Channel.REGISTERED_MAIL.zh,
         "applicant_type": "科研机构", "supplement_requested_on": date(2026, 9, 8),
         "supplement_received_on": date(2026, 9, 15), "replied_on": "2026年10月16日",
         "outcome": "部分公开"},
    ])
    assert main(["audit", "national", str(template), "--as-of", "2026-10-27", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [(r["id"], r["state"], r["due"]) for r in rows] == [
        ("L-1", "answered_on_time", "2026-10-30"),
        ("L-2", "open", "2026-11-05"),
        ("L-3", "answered_on_time", "2026-10-19"),
    ]


def test_sheets_formats_and_drop_downs(template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames[0] == LEDGER_SHEET  # the readers take the first sheet
    assert "说明" in book.sheetnames
    ws = book[LEDGER_SHEET]
    columns = ledger_template_columns()
    assert [c.value for c in ws[1]] == [c.header for c in columns]
    lists = book["选项"]
    assert lists.sheet_state == "hidden"
    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    for i, column in enumerate(columns, 1):
        letter = ws.cell(1, i).column_letter
        check = validations.get(f"{letter}2:{letter}1048576")
        if column.kind == "date":
            assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd"
            assert check is not None
            assert check.type == "date"
        elif column.kind == "choice":
            assert check is not None
            assert check.type == "list"
            sheet, _, cells = str(check.formula1).partition("!")
            assert sheet == "'选项'"
            first, last = cells.replace("$", "").split(":")
            listed = [c.value for row in lists[first:last] for c in row]
            assert listed == list(column.choices)
        else:
            assert check is None
    instructions = " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row
                            if c.value is not None)
    for column in columns:
        assert column.header in instructions


def test_the_lists_are_the_words_the_readers_accept(tmp_path: Path) -> None:
    columns = {c.key: c for c in ledger_template_columns()}
    assert columns["channel"].choices == tuple(c.zh for c in Channel)
    assert "部分公开" in columns["outcome"].choices  # the short form, not the long label
    # One row per (applicant type, outcome) pair, each replied in 2026: the annual report
    # places every row, so every drop-down value is one it resolves.
    path = tmp_path / "台账.xlsx"
    write_ledger_template(path)
    applicants = columns["applicant_type"].choices
    outcomes = columns["outcome"].choices
    _fill(path, [{"id": f"R-{i}", "received_on": date(2026, 3, 2),
                  "replied_on": date(2026, 3, 16), "applicant_type": applicants[i % len(applicants)],
                  "outcome": outcome} for i, outcome in enumerate(outcomes)])
    table = build_table(load_rulebook("national"), read_ledger(path), 2026)
    assert table.unplaced == ()
