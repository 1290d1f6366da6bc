"""The audit's fast paths (issue 12) give what the general ones give: plain ISO dates, days
read from the cache, the date columns of the ledger only, rows audited as read, JSON rows
written field by field, and CSV lines without quotes split at their commas."""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from govdisclose import load_rulebook
from govdisclose._dates import _LEDGER_DATE
from govdisclose.ledgers.audit_rows import AuditRow, audit_row
from govdisclose.ledgers.audit_stream import audit_chunks
from govdisclose.ledgers.csv_records import csv_records
from govdisclose.ledgers.reading import _too_long, open_ledger, parse_ledger_date, read_ledger
from govdisclose.ledgers.row_events import DATE_COLUMNS, date_columns, read_dates
from govdisclose.outputs.json_files import json_rows

AS_OF = date(2026, 12, 31)

DATE_TEXTS = ["2026-03-02", "2026-02-30", "2026-13-01", "0000-01-01", "2026-00-10", "2026-03-00",
              "2026/3/2", "2026.3.2", "2026年3月2日", "２０２６-０３-０２", "2026-3-2", "2026-03-2",
              "2026-W01-1", "20260302", "2026-03-02 10:00", "2026-03-02T09:30", " 2026-03-02",
              "2026-03-02 ", "abcd-ef-gh", "2026-0a-02", "+026-03-02", "2026-\u0663\u0660-01",
              "\u0662\u0660\u0662\u0666-03-01", "9999-12-31", "2024-02-29", "2025-02-29"]


def _regex_only(text: str) -> date:
    """The ledger date as the pattern alone reads it (the reading before the ISO fast path)."""
    match = _LEDGER_DATE.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        msg = f"{text!r} is not a date"
        raise ValueError(msg)
    return date(int(match[1]), int(match[2]), int(match[3]))


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_a_ledger_date_is_read_as_the_pattern_reads_it(text: str) -> None:
    try:
        expected: date | str = _regex_only(text)
    except ValueError as exc:
        expected = f"ValueError: {exc}"
    try:
        got: date | str = parse_ledger_date(text)
    except ValueError as exc:
        got = f"ValueError: {exc}"
    assert got == expected


def test_days_read_from_the_cache_and_the_ledgers_columns_only_change_nothing() -> None:
    values = {"id": "A", "received_on": "2026-03-02", "replied_on": "2026-02-30",
              "supplement_requested_on": "2026/3/5", "reply_sent_on": "x"}
    columns = date_columns(values)
    assert columns == tuple(c for c in DATE_COLUMNS if c in values)
    for _ in range(3):  # the second and third time from the cache; a bad date never cached
        everything: list[dict[str, str]] = []
        present: list[dict[str, str]] = []
        assert read_dates(values, everything) == read_dates(values, present, columns) == {
            "received_on": date(2026, 3, 2), "supplement_requested_on": date(2026, 3, 5)}
        assert everything == present
        assert [e["message_en"] for e in present] == [
            "replied_on: '2026-02-30' is not a valid date",
            "reply_sent_on: 'x' is not a valid date"]


TRICKY = ["", "R-1", 'quote " and \\ backslash', "tab\there", "nl\nline", "\x00\x1f\x7f",
          "中文编号", "\u202eRLO", "emoji \U0001f600", "\u2028\u2029", "é", "=cmd|' /C calc'!A0"]


def _rows() -> list[AuditRow]:
    rows = []
    for i, text in enumerate(TRICKY):
        violations = ({"code": "reply.late", "message_zh": f"逾期 {text}", "message_en": text,
                       "source": None if i % 2 else "条例"},) if i % 3 else ()
        errors = ({"message_zh": text, "message_en": f"e {text}"},) if i % 4 == 1 else ()
        rows.append(AuditRow(i + 1, i + 2, text, "invalid" if errors else "overdue",
                             None if i % 5 == 0 else "2026-03-02", "2026-03-30" if i % 2 else None,
                             text or None, violations, errors, provisional=i % 2 == 0))
    return rows


def _old_json_rows(rows: list[AuditRow], encoding: str) -> str:
    """json_rows as it was: json.dumps of each row's to_json, escaped when the encoding
    cannot hold it."""
    from govdisclose.outputs.escaping import escape_bidi

    def dumps(value: object) -> str:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
        return text

    return escape_bidi(",\n    ".join(dumps(r.to_json()) for r in rows))


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "ascii", "no-such-codec"])
def test_json_rows_are_json_dumps_of_each_row(encoding: str) -> None:
    rows = _rows()
    assert json_rows(rows, encoding) == _old_json_rows(rows, encoding)
    assert json_rows(rows[:1], encoding) == _old_json_rows(rows[:1], encoding)
    assert json_rows([], encoding) == ""
    for r in rows:  # and each line is the row's JSON
        assert json.loads(json_rows([r])) == r.to_json()


LINES = ["a,b,c\n", "a,b,c\r\n", "a,b,c\r", "a,b,c", "\n", "\r\n", ",,\n", " , ,\n", "x\x00y,z\n",
         "é,中文,\u202e\n", "a,,\n", "a\nb,c\n", "a\rb\n", "one\n", "trailing,\n"]


@pytest.mark.parametrize("line", LINES)
def test_a_line_without_quotes_is_read_as_csv_reads_it(line: str) -> None:
    def reference(lines: list[str]) -> list[tuple[int, list[str], str]]:
        reader = csv.reader(lines)
        out = []
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return out
            except csv.Error as exc:
                out.append((reader.line_num, [], str(exc)))
                continue
            out.append((reader.line_num, cells, ""))

    lines = ["h1,h2\n", line, "z,9\n"]
    got = [(number, cells, problems[0].message_en if problems else "")
           for number, cells, problems in csv_records(lines, "f.csv", _too_long, quoted=False)]
    expected = [(number, cells, f"malformed CSV on this line: {reason}" if reason else "")
                for number, cells, reason in reference(lines)]
    assert got == expected


def test_a_line_over_csvs_own_limit_is_a_problem_of_its_line_only() -> None:
    lines = ["h1,h2\n", "a," + "x" * 200 + "\n", "b,c\n"]
    old = csv.field_size_limit(100)
    try:
        records = list(csv_records(lines, "f.csv", _too_long, quoted=False))
    finally:
        csv.field_size_limit(old)
    assert [(n, c) for n, c, _ in records] == [(1, ["h1", "h2"]), (2, []), (3, ["b", "c"])]
    assert records[1][2][0].code == "ledger.field_too_long"


def _mixed_ledger(path: Path) -> None:
    lines = ["编号,收到申请日期,replied_on,reply_sent_on,extension_approved_on,"
             "extension_approved_by,备注"]
    for i in range(300):
        rid = "" if i % 41 == 0 else f"R-{i % 250}"
        received = "2026-02-30" if i % 37 == 0 else f"2026-{1 + i % 11:02d}-{1 + i % 27:02d}"
        replied = "" if i % 3 == 0 else f"2026/{2 + i % 10}/{1 + i % 25}"
        sent = f"2026-{3 + i % 9:02d}-01" if i % 7 == 0 else ""
        extension = f"2026-{2 + i % 10:02d}-10" if i % 13 == 0 else ""
        approver = ["", "nobody", "机关负责人"][i % 3] if extension else ""
        note = "y" * 40_000 if i == 77 else "备注"
        if i % 23 == 0:  # a short row: fewer cells than the header has columns
            lines.append(f"{rid},{received},{replied}")
        else:
            lines.append(f"{rid},{received},{replied},{sent},{extension},{approver},{note}")
        if i % 60 == 0:
            lines.append(",,,,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_rows_audited_as_read_are_the_rows_audited_when_built(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    _mixed_ledger(path)
    book = load_rulebook("national")
    first: dict[str, int] = {}
    built = [audit_row(book, row, AS_OF, None, first) for row in read_ledger(path).rows]
    streamed = [r for chunk in audit_chunks(book, open_ledger(path), as_of=AS_OF)
                for r in chunk]
    assert streamed == built
    assert len(streamed) == 300  # every row, none dropped
    assert {r.state for r in streamed} >= {"invalid", "answered_on_time"}
