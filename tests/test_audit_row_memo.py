"""Rows of a ledger that agree on everything their evaluation reads share one evaluation
(ledgers/audit_rows.py, :func:`row_memo`, one per audit): the result is the one each row gets
alone, with its own id, number and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govdisclose._paths import rules_dir
from govdisclose.engine.tables import Memo
from govdisclose.ledgers import audit_rows
from govdisclose.ledgers.audit_rows import AuditRow, audit_row, row_memo
from govdisclose.ledgers.audit_stream import audit_chunks
from govdisclose.ledgers.reading import open_ledger, read_ledger
from govdisclose.periods.calendar import official_calendar
from govdisclose.rulebook.loading import RulebookLibrary
from govdisclose.rulebook.model import Rulebook

HEADER = ("id,received_on,replied_on,supplement_requested_on,supplement_received_on,"
          "extension_approved_on,extension_approved_by,extension_notified_on")

#: Rows by their cells after the id: each appears several times in the ledger below.
#: The two extensions differ only in who approved them (第三十三条第二款: the office head):
#: the approver's text is part of what a row's evaluation reads.
BASES = (
    "2026-03-02,2026-03-20,,,,,",
    "2026-03-02,2026-04-08,,,,,",  # late (20 working days from 03-02 end on 03-30)
    "2026-03-02,,,,,,",             # open or overdue by as_of
    "2026-03-02,,2026-03-05,2026-03-11,,,",
    "2026-03-02,,,,2026-03-25,政府信息公开工作机构负责人,2026-03-26",
    "2026-03-02,,,,2026-03-25,agency,2026-03-26",
    "2026-03-03,2026-03-20,,,,,",
)


def _books() -> RulebookLibrary:
    return RulebookLibrary([rules_dir()])


def _ledger(tmp_path: Path, repeats: int = 3) -> Path:
    lines = [HEADER]
    n = 0
    for _ in range(repeats):
        for cells in BASES:
            lines.append(f"R-{n},{cells}")
            n += 1
    path = tmp_path / "repeated.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _audit_book(book: Rulebook, path: Path, as_of: date) -> list[AuditRow]:
    return [r for chunk in audit_chunks(book, open_ledger(path), as_of=as_of) for r in chunk]


def _audit(book_library: RulebookLibrary, path: Path, as_of: date) -> list[AuditRow]:
    return _audit_book(book_library.load("national"), path, as_of)


def _alone(path: Path, as_of: date) -> list[AuditRow]:
    """Each row audited on a new book object (an empty memo), in a ledger of its own."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for i, line in enumerate(lines[1:]):
        single = path.with_name(f"alone-{i}.csv")
        single.write_text(f"{lines[0]}\n{line}\n", encoding="utf-8")
        (row,) = _audit(_books(), single, as_of)
        out.append(AuditRow(i + 1, i + 2, row.id, row.state, row.received_on, row.due,
                            row.replied_on, row.violations, row.errors, row.provisional))
    return out


@pytest.fixture()
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the requests evaluated (not found in the memo)."""
    seen: list[str] = []
    evaluate = audit_rows.evaluate_request

    def counting(book, request, **kw):  # type: ignore[no-untyped-def]
        seen.append(request.id)
        return evaluate(book, request, **kw)

    monkeypatch.setattr(audit_rows, "evaluate_request", counting)
    return seen


def test_repeated_rows_share_an_evaluation_and_get_what_each_gets_alone(
        tmp_path: Path, evaluations: list[str]) -> None:
    path = _ledger(tmp_path)
    as_of = date(2026, 4, 10)
    shared = _audit(_books(), path, as_of)
    # one evaluation per distinct row, the first time it appears
    assert evaluations[:len(BASES)] == [f"R-{i}" for i in range(len(BASES))]
    assert len(evaluations) == len(BASES)
    alone = _alone(path, as_of)
    assert shared == alone
    assert [r.id for r in shared] == [f"R-{i}" for i in range(3 * len(BASES))]
    states = {r.state for r in shared}
    assert {"answered_on_time", "answered_late", "overdue"} <= states
    # the approver alone tells the two extensions apart
    right, wrong = shared[4], shared[5]
    assert "extension.not_approved_by_office_head" in {v["code"] for v in wrong.violations}
    assert "extension.not_approved_by_office_head" not in {v["code"] for v in right.violations}


def _rows(path: Path, book: Rulebook, as_of: date, calendar: object,
          memo: Memo) -> list[AuditRow]:
    first: dict[str, int] = {}
    return [audit_row(book, row, as_of, calendar, first, memo)  # type: ignore[arg-type]
            for row in read_ledger(path).rows]


def test_a_memo_given_another_as_of_or_calendar_evaluates_again(
        tmp_path: Path, evaluations: list[str]) -> None:
    path = _ledger(tmp_path, repeats=1)
    book = _books().load("national")
    calendar, memo = official_calendar(), row_memo()
    early = _rows(path, book, date(2026, 3, 25), calendar, memo)
    assert len(evaluations) == len(BASES)
    assert _rows(path, book, date(2026, 3, 25), calendar, memo) == early  # all found
    assert len(evaluations) == len(BASES)
    late = _rows(path, book, date(2026, 4, 10), calendar, memo)  # another as_of
    assert len(evaluations) == 2 * len(BASES)
    assert [r.state for r in late] != [r.state for r in early]
    _rows(path, book, date(2026, 4, 10), official_calendar(provisional=True), memo)
    assert len(evaluations) == 3 * len(BASES)  # another calendar object
    assert late == _alone(path, date(2026, 4, 10))


def test_each_audit_has_its_own_memo(tmp_path: Path, evaluations: list[str]) -> None:
    path = _ledger(tmp_path, repeats=2)
    book = _books().load("national")
    for run in (1, 2):  # nothing outlives an audit: the second evaluates as the first did
        _audit_book(book, path, date(2026, 4, 10))
        assert len(evaluations) == run * len(BASES)


def test_invalid_rows_are_not_shared(tmp_path: Path, evaluations: list[str]) -> None:
    path = tmp_path / "ids.csv"
    # the same days under a repeated id and an empty one: invalid, whatever the memo holds
    path.write_text(f"{HEADER}\nA,{BASES[0]}\nA,{BASES[0]}\n,{BASES[0]}\nB,{BASES[0]}\n",
                    encoding="utf-8")
    rows = _audit(_books(), path, date(2026, 4, 10))
    assert [r.state for r in rows] == ["answered_on_time", "invalid", "invalid",
                                       "answered_on_time"]
    assert rows[1].errors and rows[2].errors and not rows[3].errors
    assert evaluations == ["A"]


def test_the_same_cells_under_other_columns_are_another_row(tmp_path: Path,
                                                            evaluations: list[str]) -> None:
    book = _books().load("national")
    replied = tmp_path / "replied.csv"
    replied.write_text("id,received_on,replied_on\nA,2026-03-02,2026-04-08\n", encoding="utf-8")
    consulted = tmp_path / "consulted.csv"
    consulted.write_text("id,received_on,third_party_consulted_on\nA,2026-03-02,2026-04-08\n",
                         encoding="utf-8")
    calendar, memo = official_calendar(), row_memo()
    (late,) = _rows(replied, book, date(2026, 4, 10), calendar, memo)
    (open_,) = _rows(consulted, book, date(2026, 4, 10), calendar, memo)
    assert (late.state, open_.state) == ("answered_late", "overdue")
    assert late.replied_on == "2026-04-08" and open_.replied_on is None
    assert evaluations == ["A", "A"]
