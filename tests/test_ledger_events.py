"""Ledgers read every request event of the event table, and the fields events carry.

Issue 10, points 11 and 12 on the ledger side: the reply's days sent and served (the book's
``reply_date`` policy says which is judged), 第三十五条's reasons and later reply date, the
第三十二条 notice to a third party, consultations of other agencies, 中止/恢复, the supplement
period (第三十条) and the extension's approver and notice (第三十三条第二款), each from its
own column.  Dates are worked by hand on the 2026 calendar: 2026-03-02 (Mon) + 20 working
days = 03-03..06, 09..13, 16..20, 23..27, 30 → 2026-03-30 (no holiday in March); 清明
2026-04-04..06 off.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from govdisclose import load_rulebook
from govdisclose.cli import main
from govdisclose.engine.requests import evaluate_request
from govdisclose.ledgers.audit import AuditRow, audit_ledger
from govdisclose.ledgers.reading import COLUMNS, FIELD_COLUMNS, read_ledger
from govdisclose.ledgers.row_events import EVENT_COLUMNS
from govdisclose.rulebook.events import REQUEST_EVENTS
from govdisclose.rulebook.model import Rulebook


def _csv(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def _audit(book: str | Rulebook, path: Path, as_of: str = "2026-06-30") -> list[AuditRow]:
    rulebook = load_rulebook(book) if isinstance(book, str) else book
    return list(audit_ledger(rulebook, read_ledger(path), as_of=date.fromisoformat(as_of)).rows)


def _codes(row: AuditRow) -> list[str]:
    return sorted(str(v["code"]) for v in row.violations)


@pytest.fixture
def served_book(tmp_path: Path) -> Rulebook:
    """A local book judging the day a reply is served (policy ``reply_date: served``)."""
    path = tmp_path / "local-served.yaml"
    path.write_text(
        "id: local-served\nname: 测试地区（虚构）\nextends: national\n"
        "sources:\n  t: {title: 测试用规定（虚构）, number: null, date: null}\n"
        "policies:\n  reply_date:\n    value: served\n    cite: {source: t, article: 第一条}\n",
        encoding="utf-8")
    return load_rulebook(str(path))


# -- the table is the ledger's ------------------------------------------------------------


def test_every_event_of_the_table_has_a_ledger_column_read_in_table_order() -> None:
    assert all(row.ledger_column for row in REQUEST_EVENTS.values())
    assert [kind for _, kind in EVENT_COLUMNS] == list(REQUEST_EVENTS)
    for row in REQUEST_EVENTS.values():
        assert COLUMNS[str(row.ledger_column)] == (row.ledger_column, *row.ledger_headers)
    for f in FIELD_COLUMNS:
        assert REQUEST_EVENTS[f.event].ledger_column  # the event carrying it has a column
        assert COLUMNS[f.column] == (f.column, *f.headers)
    aliases = [a for names in COLUMNS.values() for a in names]
    assert len(aliases) == len(set(aliases))  # no header names two columns


NEW_COLUMNS = [c for c in COLUMNS if c not in {
    "id", "received_on", "replied_on", "supplement_requested_on", "supplement_received_on",
    "third_party_consulted_on", "third_party_replied_on", "extension_approved_on",
    "applicant_type", "outcome"}]


@pytest.mark.parametrize("column", NEW_COLUMNS)
def test_each_new_column_is_known_by_every_header(tmp_path: Path, column: str) -> None:
    for header in COLUMNS[column]:
        ledger = read_ledger(_csv(tmp_path, f"编号,收到申请日期,{header}", "A,2026-03-02,"))
        assert ledger.columns == ("id", "received_on", column), header
        assert ledger.unknown_columns == ()


# -- the reply: made, sent, served ----------------------------------------------------------

REPLY_HEADER = "id,received_on,replied_on,reply_sent_on,reply_served_on"


def test_the_book_says_which_day_of_the_reply_is_judged(tmp_path: Path,
                                                         served_book: Rulebook) -> None:
    # Due 03-30.  R-1: made 03-27, sent 03-30 (the due day), served 04-02.
    # made and sent 03-27, nothing served: a served-judged book falls back on the day sent.
    path = _csv(tmp_path, REPLY_HEADER, "R-1,2026-03-02,2026-03-27,2026-03-30,2026-04-02",
                "R-2,2026-03-02,2026年3月27日,,")
    national = _audit("national", path)
    assert [(r.state, r.due) for r in national] == [("answered_on_time", "2026-03-30")] * 2
    served = _audit(served_book, path)
    assert (served[0].state, _codes(served[0])) == ("answered_late", ["reply.late"])
    assert "2026-04-02" in served[0].violations[0]["message_zh"]
    assert served[1].state == "answered_on_time"
    # replied_on is the day made, written as received_on is: ISO, whatever the cell's spelling
    assert [r.replied_on for r in served] == ["2026-03-27", "2026-03-27"]
    # sent after the due date is late in the national book (default: the day sent)
    late = _audit("national", _csv(tmp_path, REPLY_HEADER, "R-3,2026-03-02,2026-03-27,"
                                   "2026-03-31,"))
    assert (late[0].state, _codes(late[0])) == ("answered_late", ["reply.late"])


def test_reply_dates_from_an_xlsx_ledger_with_chinese_headers(tmp_path: Path,
                                                             served_book: Rulebook) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["编号", "收到申请日期", "答复日期", "发文日期", "送达日期"])
    ws.append(["X-1", datetime(2026, 3, 2), datetime(2026, 3, 27), datetime(2026, 3, 30),
               datetime(2026, 4, 2)])
    ws.append(["X-2", "2026-03-02", "2026/3/27", "2026.3.27", "2026年3月30日"])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    assert read_ledger(path).columns == ("id", "received_on", "replied_on", "reply_sent_on",
                                         "reply_served_on")
    national = _audit("national", path)
    served = _audit(served_book, path)
    assert [r.state for r in national] == ["answered_on_time", "answered_on_time"]
    assert [r.state for r in served] == ["answered_late", "answered_on_time"]
    assert served[0].line == 2 and served[1].replied_on == "2026-03-27"


# -- every other event --------------------------------------------------------------------

#: (columns -> cell, the same record as request events, as_of, state, due, violation codes)
CASES: dict[str, tuple[dict[str, str], list[dict[str, Any]], str, str, str | None,
                       list[str]]] = {
    # 第三十三条第三款: 03-03, 03-04 counted; paused to the reply 03-11; 18 more from 03-12:
    # 03-12, 13, 16..20, 23..27, 30, 31, 04-01..03, (清明) 04-07.
    "agency consulted and replied": (
        {"agency_consulted_on": "2026-03-04", "agency_replied_on": "2026-03-11"},
        [{"type": "agency_consulted", "on": "2026-03-04"},
         {"type": "agency_replied", "on": "2026-03-11"}],
        "2026-04-10", "overdue", "2026-04-07", ["reply.overdue"]),
    # 中止 stops nothing (no suspension in 条例 2019): due 03-30 as without it.
    "suspended and resumed": (
        {"suspended_on": "2026-03-04", "resumed_on": "2026-03-11"},
        [{"type": "suspended", "on": "2026-03-04"}, {"type": "resumed", "on": "2026-03-11"}],
        "2026-04-10", "overdue", "2026-03-30", ["reply.overdue"]),
    "resumed with no suspension": (
        {"resumed_on": "2026-03-11"}, [{"type": "resumed", "on": "2026-03-11"}],
        "2026-04-10", "overdue", "2026-03-30", ["event.out_of_order", "reply.overdue"]),
    # 第三十五条: asking for reasons stops nothing.
    "reasons requested": (
        {"reasons_requested_on": "2026-03-04"}, [{"type": "reasons_requested", "on": "2026-03-04"}],
        "2026-04-10", "overdue", "2026-03-30", ["reply.overdue"]),
    # 第三十五条: a later reply date fixed (04-30) and told on 03-20; replied 04-28 on time.
    "reply date fixed": (
        {"reply_date_fixed_on": "2026-03-20", "reply_by": "2026-04-30",
         "replied_on": "2026-04-28"},
        [{"type": "reply_date_fixed", "on": "2026-03-20", "reply_by": "2026-04-30"},
         {"type": "replied", "on": "2026-04-28"}],
        "2026-06-30", "answered_on_time", "2026-04-30", []),
    # 第三十二条 notice: the duty needs facts a ledger does not give; recorded, no finding.
    "third party notified": (
        {"third_party_notified_on": "2026-03-20", "replied_on": "2026-03-20"},
        [{"type": "third_party_notified", "on": "2026-03-20"},
         {"type": "replied", "on": "2026-03-20"}],
        "2026-06-30", "answered_on_time", "2026-03-30", []),
    # 第三十条: past the supplement period (03-20) with no supplement: deemed abandoned.
    "supplement period ran out": (
        {"supplement_requested_on": "2026-03-05", "supplement_due": "2026-03-20"},
        [{"type": "supplement_requested", "on": "2026-03-05", "supplement_due": "2026-03-20"}],
        "2026-04-01", "abandoned", None, []),
    # 第三十三条第二款: approved by the office head (named by its label), told 03-26; 20 more
    # working days from 03-30: 03-31, 04-01..03, (清明) 04-07..10, 13..17, 20..24, 27, 28.
    "extension approved and told": (
        {"extension_approved_on": "2026-03-25", "extension_approved_by": "政府信息公开工作机构负责人",
         "extension_notified_on": "2026-03-26", "replied_on": "2026-04-20"},
        [{"type": "extension_approved", "on": "2026-03-25", "approved_by": "office_head",
          "notified_on": "2026-03-26"}, {"type": "replied", "on": "2026-04-20"}],
        "2026-06-30", "answered_on_time", "2026-04-28", []),
    # approved by the agency, not the office head; told 03-31, after the original due 03-30.
    "extension by the wrong role, told late": (
        {"extension_approved_on": "2026-03-25", "extension_approved_by": "agency",
         "extension_notified_on": "2026-03-31"},
        [{"type": "extension_approved", "on": "2026-03-25", "approved_by": "agency",
          "notified_on": "2026-03-31"}],
        "2026-04-10", "overdue", "2026-03-30",
        ["extension.not_approved_by_office_head", "extension.notice_late", "reply.overdue"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_event_is_read_as_evaluate_reads_it(tmp_path: Path, name: str) -> None:
    cells, events, as_of, state, due, codes = CASES[name]
    path = _csv(tmp_path, ",".join(("id", "received_on", *cells)),
                ",".join(("E-1", "2026-03-02", *cells.values())))
    (row,) = _audit("national", path, as_of)
    assert (row.state, row.due, _codes(row), row.errors) == (state, due, sorted(codes), ())
    out = evaluate_request("national", {"id": "E-1", "received_on": "2026-03-02",
                                        "events": events}, as_of=date.fromisoformat(as_of))
    assert (out.status.state, out.status.due.isoformat() if out.status.due else None,
            sorted(v.code for v in out.violations)) == (state, due, sorted(codes))


def test_without_the_new_columns_the_same_row_reads_as_before(tmp_path: Path) -> None:
    # "reply date fixed" without its columns: the 20 working days stand, answered late.
    path = _csv(tmp_path, "id,received_on,replied_on", "E-1,2026-03-02,2026-04-28")
    (row,) = _audit("national", path)
    assert (row.state, row.due, _codes(row)) == ("answered_late", "2026-03-30", ["reply.late"])


# -- bad cells: invalid rows, each problem naming its column ---------------------------------

BAD = {
    "B-1": ("reply_served_on", "2026-13-01", "", "reply_served_on：'2026-13-01' 不是有效日期"),
    "B-2": ("reply_sent_on", "2026-03-20", "", "reply_sent_on 有值，但 replied_on 为空"),
    "B-3": ("reply_served_on", "2026-03-19", "2026-03-20",
            "reply_served_on（2026-03-19）早于reply_sent_on（2026-03-20）"),
    "B-4": ("extension_approved_by", "局长", "", "extension_approved_by：规则集 national 没有角色 '局长'"),
    "B-5": ("reply_date_fixed_on", "2026-03-20", "", "reply_date_fixed_on 有值，须写明 reply_by"),
    "B-6": ("supplement_due", "2026-03-04", "", "supplement_due（2026-03-04）早于"
            "supplement_requested_on（2026-03-05）"),
    "B-7": ("extension_notified_on", "2026.3.24", "", "extension_notified_on（2026-03-24）早于"
            "extension_approved_on（2026-03-25）"),
    "B-8": ("suspended_on", "2026-02-27", "", "suspended_on（2026-02-27）早于收到申请日期（2026-03-02）"),
}


def test_a_bad_cell_makes_an_invalid_row_located_by_line_and_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = ("id,received_on,replied_on,reply_sent_on,reply_served_on,extension_approved_on,"
              "extension_approved_by,extension_notified_on,reply_date_fixed_on,"
              "supplement_requested_on,supplement_due,suspended_on")
    columns = header.split(",")
    lines = []
    for row_id, (column, text, sent, _) in BAD.items():
        cells = dict.fromkeys(columns, "")
        cells.update(id=row_id, received_on="2026-03-02")
        if column in ("reply_served_on", "reply_sent_on") and sent:
            cells.update(replied_on="2026-03-18", reply_sent_on=sent)
        if column.startswith("extension_"):
            cells["extension_approved_on"] = "2026-03-25"
        if column == "supplement_due":
            cells["supplement_requested_on"] = "2026-03-05"
        if column == "reply_served_on" and not sent:
            cells["replied_on"] = "2026-03-18"
        cells[column] = text
        lines.append(",".join(cells[c] for c in columns))
    path = _csv(tmp_path, header, *lines)
    rows = _audit("national", path)
    assert [r.state for r in rows] == ["invalid"] * len(BAD)
    for row, (_, _, _, message) in zip(rows, BAD.values(), strict=True):
        assert len(row.errors) == 1 and message in row.errors[0]["message_zh"], row.errors
        assert row.line == row.number + 1  # the CSV line after the header
    assert main(["audit", "national", str(path), "--as-of", "2026-06-30"]) == 1
    text = capsys.readouterr().out
    assert f"{path}:2: B-1: invalid: reply_served_on：'2026-13-01' 不是有效日期" in text


def test_audit_json_with_every_column_matches_its_schema(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from govdisclose._schema import validator

    cells = {"replied_on": "2026-04-28", "reply_sent_on": "2026-04-28",
             "reply_served_on": "2026-04-30", "reasons_requested_on": "2026-03-04",
             "reply_date_fixed_on": "2026-03-20", "reply_by": "2026-04-30"}
    path = _csv(tmp_path, ",".join(("编号", "收到申请日期", *cells)),
                ",".join(("J-1", "2026/3/2", *cells.values())))
    assert main(["audit", "national", str(path), "--as-of", "2026-06-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e.message for e in validator("audit").iter_errors(out)] == []
    row = out["rows"][0]
    assert (row["received_on"], row["replied_on"], row["due"]) == ("2026-03-02", "2026-04-28",
                                                                    "2026-04-30")


def test_docs_list_every_column_with_its_headers() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "ci.md").read_text(encoding="utf-8")
    for column, (_, *headers) in COLUMNS.items():
        line = next((t for t in doc.splitlines() if t.startswith(f"| `{column}` |")), "")
        assert line.startswith(f"| `{column}` | {', '.join(headers)}"), column


def test_the_example_ledger_reads_as_before_with_replied_on_in_iso() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "ledgers" / "huadian-2026.csv"
    ledger = read_ledger(example)
    assert ledger.unknown_columns == ("备注",)
    rows = {r.id: r for r in _audit("huadian", example, "2026-12-01")}
    assert rows["HD-007"].replied_on == "2026-06-15"  # written 2026年6月15日
    assert (rows["HD-006"].state, rows["HD-006"].replied_on) == ("invalid", "2026-05-01")
