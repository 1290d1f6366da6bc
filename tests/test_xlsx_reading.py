"""xlsx ledgers read with python-calamine (issue 12): the same records as openpyxl, and the
openpyxl stream wherever calamine would have to hold a huge sheet."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from govdisclose import load_rulebook
from govdisclose.ledgers import xlsx_records
from govdisclose.ledgers.audit import audit_ledger
from govdisclose.ledgers.reading import MAX_LEDGER_BYTES, MAX_XLSX_COLUMNS, read_ledger

python_calamine = pytest.importorskip("python_calamine")  # a dependency: skipped only if broken

ROOT = Path(__file__).resolve().parent.parent


def _workbook(path: Path, rows: list[list[object]], *, first_column: int = 1,
              first_row: int = 1) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.cell(first_row + r, first_column + c, value)
    book.save(path)
    return path


def _both(path: Path) -> tuple[list[object], list[object]]:
    calamine = list(xlsx_records._calamine_records(python_calamine, path, MAX_XLSX_COLUMNS))
    streamed = list(xlsx_records._openpyxl_records(path, MAX_XLSX_COLUMNS))

    def trimmed(records: list[object]) -> list[object]:
        # openpyxl pads every row to the column limit and may yield trailing empty rows
        out = [(n, list(cells)[: max((i + 1 for i, c in enumerate(cells) if c), default=0)], p)
               for n, cells, p in records]  # type: ignore[misc]
        while out and not out[-1][1]:
            out.pop()
        return out

    return trimmed(calamine), trimmed(streamed)


LEDGER_ROWS: list[list[object]] = [
    ["编号", "收到申请日期", "答复日期", "延期批准日期", "备注", "数"],
    ["X-1", datetime(2026, 9, 28), datetime(2026, 11, 20, 15, 30), date(2026, 10, 28), " 备 ",
     3.0],
    ["X-2", "2026-09-28", None, None, "=1+1", 2.5],
    [None, None, None, None, None, None],
    [12345, "2026/9/28", True, None, "a\u202eb", -7],
    ["X-4", "2026年9月28日", None, None, "x" * 40, 10**15],
]


@pytest.mark.parametrize("first_column", [1, 3])
def test_calamine_reads_what_openpyxl_reads(tmp_path: Path, first_column: int) -> None:
    path = _workbook(tmp_path / "l.xlsx", LEDGER_ROWS, first_column=first_column)
    calamine, streamed = _both(path)
    assert calamine == streamed
    assert [n for n, _, _ in calamine] == [1, 2, 3, 4, 5, 6]  # type: ignore[misc]


def test_a_sheet_whose_header_is_not_on_row_1_is_refused_by_both(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govdisclose.errors import LedgerError

    path = _workbook(tmp_path / "l.xlsx", LEDGER_ROWS, first_row=2)
    with pytest.raises(LedgerError) as calamine:
        read_ledger(path)
    monkeypatch.setattr(xlsx_records, "CALAMINE_MAX_CELLS", 0)
    with pytest.raises(LedgerError) as streamed:
        read_ledger(path)
    assert str(calamine.value) == str(streamed.value)
    assert "headers found: (none)" in str(calamine.value)


def test_the_audit_is_the_same_with_either_reader(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "l.xlsx", LEDGER_ROWS)
    book = load_rulebook("national")
    with_calamine = audit_ledger(book, read_ledger(path), as_of=date(2026, 11, 30))
    monkeypatch.setattr(xlsx_records, "CALAMINE_MAX_CELLS", 0)  # every sheet too big for it
    with_openpyxl = audit_ledger(book, read_ledger(path), as_of=date(2026, 11, 30))
    assert with_calamine == with_openpyxl
    assert [r.state for r in with_calamine.rows] == ["answered_on_time", "overdue", "invalid",
                                                     "overdue"]


def _forbid_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("calamine must not read this sheet")

    monkeypatch.setattr(xlsx_records, "_calamine_records", refuse)


def test_a_sheet_with_a_far_cell_is_streamed_not_held(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # A few cells, the last far away (ALL1000000 would make calamine hold a billion cells;
    # a lower limit stands in for it, so that openpyxl streams a small sheet here).
    monkeypatch.setattr(xlsx_records, "CALAMINE_MAX_CELLS", 10_000)
    path = _workbook(tmp_path / "far.xlsx", [["编号", "收到申请日期"], ["A", "2026-03-02"]])
    book = openpyxl.load_workbook(path)
    book.active.cell(500, 30, "far")  # type: ignore[union-attr]
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        assert xlsx_records._dense_cells(archive) == 500 * 30
    _forbid_calamine(monkeypatch)
    ledger = read_ledger(path)
    assert [r.values["id"] for r in ledger.rows] == ["A", ""]
    assert ledger.rows[1].line == 500


def test_cells_without_a_reference_are_streamed(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # A cell's r attribute is optional: its place is then known only by parsing.
    source = _workbook(tmp_path / "l.xlsx", [["编号", "收到申请日期"], ["A", "2026-03-02"]])
    target = tmp_path / "no-ref.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b' r="B2"', b"")
            new.writestr(info, data)
    assert xlsx_records._dense_cells(zipfile.ZipFile(target)) is None
    _forbid_calamine(monkeypatch)
    assert [r.values["received_on"] for r in read_ledger(target).rows] == ["2026-03-02"]


def test_dense_cells_measures_the_furthest_cell(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "l.xlsx", LEDGER_ROWS, first_row=3, first_column=2)
    with zipfile.ZipFile(path) as archive:
        assert xlsx_records._dense_cells(archive) == (3 + 5) * (2 + 5)


def test_the_limits_hold_for_calamine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govdisclose.errors import LedgerError
    from govdisclose.ledgers import reading

    wide = [["编号", "收到申请日期", *[f"c{i}" for i in range(1, 1200)]],
            ["A", "2026-03-02", *["v"] * 1199]]
    path = _workbook(tmp_path / "wide.xlsx", wide)
    ledger = read_ledger(path)  # calamine: the sheet is 2 x 1201 cells
    assert len(ledger.unknown_columns) == MAX_XLSX_COLUMNS - 2  # cells further right unread
    monkeypatch.setattr(reading, "MAX_FIELD_CHARS", 100)
    long_cell = _workbook(tmp_path / "long.xlsx", [["id", "received_on", "replied_on"],
                                                    ["1", "2026-03-02", "y" * 101]])
    assert read_ledger(long_cell).rows[0].problems[0].code == "ledger.field_too_long"
    monkeypatch.setattr(reading, "MAX_LEDGER_BYTES", 1000)
    with pytest.raises(LedgerError, match="uncompressed"):
        read_ledger(long_cell)
    assert MAX_LEDGER_BYTES > 1000
