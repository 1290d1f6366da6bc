"""``govdisclose upcoming``: open requests falling due within N working days, the overdue ones
apart, and an iCalendar feed of their due dates (issue 13, part 6).

Every date below is worked by hand on the official calendar: 国务院办公厅关于2026年部分节假日
安排的通知 (国办发明电〔2025〕7号) — 中秋节 09-25..27 and 国庆节 10-01..07 off, Sunday 09-20
and Saturday 10-10 worked.  National rulebook: reply within 20 working days, the day of
receipt not counted; an approved extension adds 20 working days from the original due date.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from govdisclose.cli import main
from govdisclose.ledgers.audit import audit_ledger
from govdisclose.ledgers.reading import open_ledger, read_ledger
from govdisclose.ledgers.upcoming import upcoming
from govdisclose.rulebook.loading import load_rulebook

# A2  received Tue 09-01: 09-02..04 (3), 09-07..11 (8), 09-14..18 (13), Sun 09-20 (14),
#     09-21..24 (18), 09-28 (19), 09-29 (20) -> due 09-29.
# A7  received Wed 09-02: one working day later than A2 -> due 09-30.
# B1  received Mon 09-07: 09-08..11 (4), 09-14..18 (9), 09-20 (10), 09-21..24 (14),
#     09-28..30 (17), 10-08 (18), 10-09 (19), Sat 10-10 (20) -> due Saturday 10-10.
# A1  received Mon 09-28: 09-29, 09-30 (2), 10-08..10 (5), 10-12..16 (10), 10-19..23 (15),
#     10-26..30 (20) -> due 10-30.
# A3  received Fri 10-09: 10-10 (1), 10-12..16 (6), 10-19..23 (11), 10-26..30 (16),
#     11-02..05 (20) -> due 11-05.
# E1  received 09-28 like A1 (due 10-30), extension approved 10-20: 20 working days after
#     10-30 -> 11-02..06 (5), 11-09..13 (10), 11-16..20 (15), 11-23..27 (20) -> due 11-27.
# A4  replied: closed.  A5  supplement asked, not received: no reply period running.
# A6  an impossible date: invalid.
LEDGER = """\
id,received_on,replied_on,extension_approved_on,extension_approved_by,supplement_requested_on
A1,2026-09-28,,,,
A2,2026-09-01,,,,
A3,2026-10-09,,,,
A4,2026-09-10,2026-09-20,,,
A5,2026-10-20,,,,2026-10-21
A6,2026-10-40,,,,
A7,2026-09-02,,,,
B1,2026-09-07,,,,
E1,2026-09-28,,2026-10-20,office_head,
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["upcoming", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_as_of_the_last_day_before_national_day(ledger: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # As of Wed 09-30, three working days ahead are 10-08, 10-09 and Sat 10-10 (the holiday
    # week counts none): B1, due Saturday 10-10, is ten calendar days away but due within 3.
    code, out = _json(capsys, "national", str(ledger), "--as-of", "2026-09-30", "--within", "3")
    assert code == 1  # A2 is overdue
    assert out["until"] == "2026-10-10"
    assert [(r["id"], r["due"], r["working_days_overdue"]) for r in out["overdue"]] == [
        ("A2", "2026-09-29", 1)]
    # A7 is due that very day: 0 working days left, still open.
    assert [(r["id"], r["due"], r["working_days_left"]) for r in out["due_soon"]] == [
        ("A7", "2026-09-30", 0), ("B1", "2026-10-10", 3)]
    # A1, A3 and E1 are due later; A5 was received after 09-30 and A3 too: as audit, a
    # receipt after the as-of date is an error of the row.
    assert [r["id"] for r in out["invalid"]] == ["A3", "A5", "A6"]


def test_within_two_working_days_stops_before_the_saturday(
        ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _json(capsys, "national", str(ledger), "--as-of", "2026-09-30", "--within", "2")
    assert out["until"] == "2026-10-09"
    assert [r["id"] for r in out["due_soon"]] == ["A7"]


def test_soonest_first_and_the_overdue_apart(ledger: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # As of Tue 10-27, 5 working days: 10-28, 10-29, 10-30, 11-02, 11-03 -> until 11-03.
    code, out = _json(capsys, "national", str(ledger), "--as-of", "2026-10-27", "--within", "5")
    assert code == 1
    assert out["until"] == "2026-11-03"
    # Overdue, the longest first.  A2: working days in (09-29, 10-27] = 09-30, 10-08..10,
    # 10-12..16, 10-19..23, 10-26, 10-27 = 1 + 3 + 5 + 5 + 2 = 16.  A7 (due 09-30): 15.
    # B1 (due 10-10): 10-12..16, 10-19..23, 10-26, 10-27 = 12.
    assert [(r["id"], r["due"], r["working_days_overdue"]) for r in out["overdue"]] == [
        ("A2", "2026-09-29", 16), ("A7", "2026-09-30", 15), ("B1", "2026-10-10", 12)]
    # A1 due 10-30: 10-28, 10-29, 10-30 left.  A3 (11-05) and E1 (extended to 11-27): later.
    assert [(r["id"], r["due"], r["working_days_left"]) for r in out["due_soon"]] == [
        ("A1", "2026-10-30", 3)]
    assert out["summary"] == {"rows": 9, "overdue": 3, "due_soon": 1, "open_later": 2,
                              "waiting": 1, "closed": 1, "invalid": 1, "ok": False}
    # Within 7 working days (until 11-05) A3 is due too, after A1.
    _, out = _json(capsys, "national", str(ledger), "--as-of", "2026-10-27", "--within", "7")
    assert out["until"] == "2026-11-05"
    assert [r["id"] for r in out["due_soon"]] == ["A1", "A3"]


def test_the_extended_due_date_is_the_audits(ledger: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    # As of Fri 11-20, 5 working days: 11-23..27 -> until 11-27, E1's extended due date.
    _, out = _json(capsys, "national", str(ledger), "--as-of", "2026-11-20", "--within", "5")
    assert [(r["id"], r["due"], r["working_days_left"]) for r in out["due_soon"]] == [
        ("E1", "2026-11-27", 5)]


def test_every_due_date_is_the_audits(ledger: Path) -> None:
    book = load_rulebook("national")
    as_of = date(2026, 10, 27)
    audit = {r.id: r for r in audit_ledger(book, read_ledger(ledger), as_of=as_of).rows}
    result = upcoming(book, open_ledger(ledger), as_of=as_of, within=25)  # to 12-01
    listed = [*result.overdue, *result.due_soon]
    assert {r.id for r in listed} == {i for i, r in audit.items()
                                      if r.state in ("open", "overdue")}
    for reminder in listed:
        assert reminder.due.isoformat() == audit[reminder.id].due
        assert reminder.overdue is (audit[reminder.id].state == "overdue")


def test_nothing_overdue_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text("编号,收到申请日期\nA1,2026-09-28\n", encoding="utf-8")
    assert main(["upcoming", "national", str(path), "--as-of", "2026-10-27",
                 "--within", "5"]) == 0
    text = capsys.readouterr().out
    assert "2026-10-30  A1" in text
    assert "还剩 3 个工作日" in text


def test_text_output(ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["upcoming", "national", str(ledger), "--as-of", "2026-10-27",
                 "--within", "5"]) == 1
    text = capsys.readouterr().out
    overdue, _, rest = text.partition("即将到期 due soon")
    assert "overdue (3)" in overdue
    assert overdue.index("A2") < overdue.index("A7") < overdue.index("B1")
    assert "A1" in rest
    assert "line 7: A6" in rest  # the invalid row is named


def test_unreadable_ledger_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["upcoming", "national", str(tmp_path / "missing.csv"), "--within", "5",
                 "--as-of", "2026-10-27"]) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nx\n", encoding="utf-8")
    assert main(["upcoming", "national", str(bad), "--within", "5",
                 "--as-of", "2026-10-27"]) == 2
    assert "received_on" in capsys.readouterr().err


def test_within_must_be_a_whole_number(ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["upcoming", "national", str(ledger), "--within", "-1"])
    assert exc.value.code == 2
    assert "不小于 0 的整数" in capsys.readouterr().err


def test_ics_feed(ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    icalendar = pytest.importorskip("icalendar")
    feed = tmp_path / "due.ics"
    assert main(["upcoming", "national", str(ledger), "--as-of", "2026-10-27", "--within", "5",
                 "--ics", str(feed)]) == 1
    capsys.readouterr()
    raw = feed.read_bytes()
    assert b"\r\n" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = [(str(e["UID"]), e["DTSTART"].dt, str(e["SUMMARY"])) for e in cal.walk("VEVENT")]
    assert events == [
        ("national-A2@govdisclose", date(2026, 9, 29), "已逾期：答复期限 A2"),
        ("national-A7@govdisclose", date(2026, 9, 30), "已逾期：答复期限 A7"),
        ("national-B1@govdisclose", date(2026, 10, 10), "已逾期：答复期限 B1"),
        ("national-A1@govdisclose", date(2026, 10, 30), "答复期限 A1"),
    ]
    stamps = {str(e["DTSTAMP"].dt) for e in cal.walk("VEVENT")}
    assert stamps == {"2026-10-26 16:00:00+00:00"}  # the as-of day, midnight in China


def test_ics_escapes_hostile_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    icalendar = pytest.importorskip("icalendar")
    path = tmp_path / "ledger.csv"
    hostile = "X;1,\\a\nEND:VCALENDAR\u202e"
    path.write_text('id,received_on\n"' + hostile.replace('"', '""') + '",2026-09-28\n',
                    encoding="utf-8")
    feed = tmp_path / "due.ics"
    assert main(["upcoming", "national", str(path), "--as-of", "2026-10-27", "--within", "5",
                 "--ics", str(feed)]) == 0
    capsys.readouterr()
    raw = feed.read_bytes().decode("utf-8")
    lines = raw.split("\r\n")
    # the id's line break is the text \n: no line of its own, nothing ends the calendar early
    assert [i for i, line in enumerate(lines) if line.startswith("END:VCALENDAR")] == [
        len(lines) - 2]
    assert "\n" not in raw.replace("\r\n", "")
    assert "\u202e" not in raw  # the bidi control is shown, never live
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["SUMMARY"]) == "答复期限 X;1,\\a\nEND:VCALENDAR\\u202e"


def test_a_horizon_past_the_calendar_is_a_located_error(
        ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # As of Thu 12-24, 10 working days run into 2027, which no bundled notice covers: the
    # calendar's own error (exit 1, zh + en, naming --provisional), no half-made list.
    assert main(["upcoming", "national", str(ledger), "--as-of", "2026-12-24",
                 "--within", "10"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "2027" in captured.err
    assert "--provisional" in captured.err
    assert "缺少 2027 年" in captured.err
    # Within 4 working days (12-25, 12-28..30) stays in 2026 and works.
    assert main(["upcoming", "national", str(ledger), "--as-of", "2026-12-24",
                 "--within", "4"]) == 1
    assert "至 2026-12-30" in capsys.readouterr().out
