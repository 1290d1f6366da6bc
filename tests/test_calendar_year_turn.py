"""The year turns: user calendars, their precedence, the statutory holidays of provisional mode,
and a December ledger that audits green with --calendar or --provisional.

Holiday notices named in the comments are in tests/data/notices/.  Year files for 2027 here are
SYNTHETIC (no 2027 notice had been published when they were written) and say so.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from synthetic_calendars import one_day_off_2026

from govdisclose import CalendarDataError, official_calendar
from govdisclose.cli import main
from govdisclose.cli.args import warn_coverage_ending
from govdisclose.periods.calendar import DayKind
from govdisclose.periods.statutory import statutory_holidays

#: A SYNTHETIC 2027 year file: not a published notice, only test data.
SYNTHETIC_2027 = """\
# SYNTHETIC test data: no 2027 notice existed when this was written.
year: 2027
notice:
  title: 国务院办公厅关于2027年部分节假日安排的通知（测试用虚构数据）
  document_number: null
  published: "2026-11-30"
  note: synthetic
holidays:
  - {name: 元旦, from: "2027-01-01", to: "2027-01-03"}
  - {name: 春节, from: "2027-02-05", to: "2027-02-12"}
makeup_workdays:
  - {date: "2027-02-20", for: 春节}
"""

#: A December ledger: every reply period runs into 2027.
LEDGER = """\
编号,收到申请日期,答复日期
D-1,2026-12-04,
D-2,2026-12-10,2026-12-18
D-3,2026-11-02,2026-11-20
"""


def _short_2025(tmp_path: Path) -> Path:
    """A folder with a SYNTHETIC 2025 file that keeps only 元旦: no 春节 block, no make-up days."""
    folder = tmp_path / "cal"
    folder.mkdir()
    (folder / "2025.yaml").write_text(
        "year: 2025\nnotice: {title: 测试用2025年安排（虚构）, document_number: null, "
        'published: "2024-11-12"}\nholidays:\n  - {name: 元旦, from: "2025-01-01", '
        'to: "2025-01-01"}\nmakeup_workdays: []\n', encoding="utf-8")
    return folder


def _year_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "2027.yaml").write_text(SYNTHETIC_2027, encoding="utf-8")
    return folder


# -- statutory holidays (provisional mode) -----------------------------------------------------


def test_statutory_days_of_2027_worked_by_hand() -> None:
    # 放假办法（2024年修订）第二条.  Lunar dates for 2027 (万年历): 正月初一 02-06, so 除夕 02-05;
    # 清明 04-05; 端午 06-09; 中秋 09-15.
    days = {(d.day.isoformat(), d.name_zh) for d in statutory_holidays().days(2027)}
    assert days == {
        ("2027-01-01", "元旦"),
        ("2027-02-05", "春节"), ("2027-02-06", "春节"), ("2027-02-07", "春节"),
        ("2027-02-08", "春节"),
        ("2027-04-05", "清明节"),
        ("2027-05-01", "劳动节"), ("2027-05-02", "劳动节"),
        ("2027-06-09", "端午节"),
        ("2027-09-15", "中秋节"),
        ("2027-10-01", "国庆节"), ("2027-10-02", "国庆节"), ("2027-10-03", "国庆节"),
    }


@pytest.mark.parametrize("year", range(2008, 2027))
def test_every_statutory_day_was_off_in_every_published_year(year: int) -> None:
    # The law fixes these days; every notice 2008–2026 gave them off (chinesecalendar transcribes
    # the notices).  This checks the data and the lunar / solar-term computation together,
    # under the version in force each year (2007, 2013 and 2024 revisions).
    for d in statutory_holidays().days(year):
        assert not chinese_calendar.is_workday(d.day), (d.day, d.name_zh)


def test_the_version_in_force_decides_the_days() -> None:
    s = statutory_holidays()
    # 2007 revision: 春节 除夕、初一、初二 (2013-02-09..11); 2013 revision: 初一至初三 (2014-01-31..02-02)
    assert [d.day for d in s.days(2013) if d.name_zh == "春节"] == [
        date(2013, 2, 9), date(2013, 2, 10), date(2013, 2, 11)]
    assert [d.day for d in s.days(2014) if d.name_zh == "春节"] == [
        date(2014, 1, 31), date(2014, 2, 1), date(2014, 2, 2)]
    # 劳动节: 1 day until 2024, 2 days from 2025
    assert len([d for d in s.days(2024) if d.name_zh == "劳动节"]) == 1
    assert len([d for d in s.days(2025) if d.name_zh == "劳动节"]) == 2
    assert s.days(2007) == []  # no version in force: provisional counts weekends only


def test_provisional_guesses_no_makeup_or_substitute_day() -> None:
    cal = official_calendar(provisional=True, extra=())
    # 2027-05-01/02 fall on a Saturday and Sunday: Art. 6 would give substitute days, but where
    # is for the notice to say; the Monday stays a working day.
    assert cal.day_info(date(2027, 5, 1)).kind is DayKind.HOLIDAY
    assert cal.day_info(date(2027, 5, 3)).kind is DayKind.WORKDAY
    # No weekend is turned into a working day anywhere in a provisional year.
    day = date(2027, 1, 1)
    while day.year == 2027:
        assert cal.day_info(day).kind is not DayKind.MAKEUP_WORKDAY
        day += timedelta(days=1)


def test_the_scenario_of_the_issue_gives_2027_01_04(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "national", "request.reply", "--from", "2026-12-04",
                 "--provisional", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["due"] == "2027-01-04" and out["provisional"] is True
    assumed = [s for s in out["trace"] if s["code"] == "calendar.assumed_holiday"]
    assert [s["zh"][:10] for s in assumed] == ["2027-01-01"]


def test_statutory_data_file_is_checked(tmp_path: Path) -> None:
    from govdisclose._paths import holidays_dir
    from govdisclose.periods.statutory import load_statutory_holidays

    text = (holidays_dir() / "statutory.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "statutory.yaml"
    broken.write_text(text.replace('valid_until: "2013-12-31"', 'valid_until: "2014-06-30"'),
                      encoding="utf-8")
    with pytest.raises(CalendarDataError, match="overlaps the previous version"):
        load_statutory_holidays(broken)
    broken.write_text(text.replace("days: 3}", "dayz: 3}", 1), encoding="utf-8")
    with pytest.raises(CalendarDataError) as caught:
        load_statutory_holidays(broken)
    assert any(p.line is not None for p in caught.value.problems)


# -- user calendars ----------------------------------------------------------------------------


def test_a_user_year_file_extends_coverage(tmp_path: Path) -> None:
    cal = official_calendar(extra=[_year_dir(tmp_path)])
    assert cal.last_year == 2027
    assert not cal.is_workday(date(2027, 2, 11))
    assert cal.is_workday(date(2027, 2, 20))  # a Saturday worked
    assert cal.source_of(2027) is not None and cal.source_of(2027).source.value == "user"
    assert cal.source_of(2026) is not None and cal.source_of(2026).source.value == "bundled"
    assert cal.source_of(2025) is not None
    assert cal.source_of(2025).source.value == "chinesecalendar"


def test_user_files_win_over_bundled_ones(tmp_path: Path) -> None:
    # SYNTHETIC: a 2026 file that gives 2026-03-09 off and nothing else.
    cal = official_calendar(extra=[one_day_off_2026(tmp_path / "mine", "2026-03-09")])
    assert not cal.is_workday(date(2026, 3, 9))
    assert cal.is_workday(date(2026, 10, 8))  # the bundled 2026 file no longer applies


def test_the_environment_variable_names_user_files(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _year_dir(tmp_path)
    monkeypatch.setenv("GOVDISCLOSE_CALENDAR_PATH", str(folder))
    assert official_calendar().last_year == 2027
    assert official_calendar(extra=()).last_year == 2026  # () means bundled data only


def test_an_edited_user_file_is_read_again(tmp_path: Path) -> None:
    folder = _year_dir(tmp_path)
    assert not official_calendar(extra=[folder]).is_workday(date(2027, 2, 11))
    path = folder / "2027.yaml"
    path.write_text(SYNTHETIC_2027.replace('to: "2027-02-12"', 'to: "2027-02-10"'),
                    encoding="utf-8")
    import os

    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert official_calendar(extra=[folder]).is_workday(date(2027, 2, 11))


def test_a_missing_user_path_is_an_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CalendarDataError, match="no such calendar"):
        official_calendar(extra=[tmp_path / "nowhere"])
    # on the command line a missing path is unreadable input, as in every command: exit 2
    assert main(["workdays", "2026-12-04", "20", "--calendar", str(tmp_path / "nowhere")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_new_year_block_may_start_in_the_december_before(tmp_path: Path) -> None:
    folder = tmp_path / "cal"
    folder.mkdir()
    # SYNTHETIC: a 2027 file whose 元旦 block starts on 2026-12-31 (as the 2023 notice did).
    (folder / "2027.yaml").write_text(SYNTHETIC_2027.replace(
        '{name: 元旦, from: "2027-01-01"', '{name: 元旦, from: "2026-12-31"'), encoding="utf-8")
    cal = official_calendar(extra=[folder])
    assert not cal.is_workday(date(2026, 12, 31))  # a Thursday, off by the 2027 file


# -- every date command takes --calendar and --provisional --------------------------------------


@pytest.mark.parametrize("flag", ["calendar", "provisional"])
def test_the_december_ledger_audits_green(tmp_path: Path, flag: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    assert main(["audit", "national", str(ledger), "--as-of", "2026-12-20", "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)["rows"]
    # Without the 2027 schedule, both December rows cannot be judged (the CI turns red).
    assert [r["state"] for r in rows] == ["invalid", "invalid", "answered_on_time"]
    extra = ["--calendar", str(_year_dir(tmp_path))] if flag == "calendar" else ["--provisional"]
    assert main(["audit", "national", str(ledger), "--as-of", "2026-12-20", "--json",
                 *extra]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["state"] for r in rows] == ["open", "answered_on_time", "answered_on_time"]
    # D-1: 2026-12-04 + 20 working days.  Synthetic 2027 file: 01-01..03 off -> 01-04.
    # Provisional: 01-01 元旦 by law -> 01-04 as well.
    assert rows[0]["due"] == "2027-01-04"
    # Provisional results say so, row by row; a user file's do not.
    assert [r["provisional"] for r in rows] == [flag == "provisional", flag == "provisional", False]


COMMANDS = [
    ["deadline", "national", "request.reply", "--from", "2026-12-04"],
    ["workdays", "2026-12-04", "20"],
    ["evaluate", "national", "examples/request.json", "--as-of", "2026-04-20"],
    ["plan", "national", "examples/national/item-policy-document.yaml", "--as-of", "2026-11-20"],
    ["obligations", "national", "--year", "2027"],
    ["test", "CASES"],
    ["calendar", "list"],
    ["calendar", "show", "2027"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0] + (f"-{a[1]}" if a[0] == "calendar"
                                                                  else ""))
def test_every_date_command_takes_both_options(argv: list[str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = _year_dir(tmp_path)
    cases = tmp_path / "cases.yaml"
    # 2026-12-04 + 20 working days: 01-04 with the synthetic file (01-01..03 off) and with
    # provisional mode (01-01 元旦 by law).
    cases.write_text("rulebook: national\ncases:\n  - name: 年末跨入2027年\n    deadline: {limit: "
                     'request.reply, from: "2026-12-04"}\n    expect: {due: "2027-01-04"}\n',
                     encoding="utf-8")
    argv = [str(cases) if a == "CASES" else a for a in argv]
    assert main([*argv, "--calendar", str(folder)]) == 0, capsys.readouterr().err
    assert main([*argv, "--provisional"]) == 0, capsys.readouterr().err


def test_report_and_annual_report_take_both_options(tmp_path: Path) -> None:
    folder = _year_dir(tmp_path)
    ledger = Path("tests/data/ledgers/basic-2024.csv")
    for extra in (["--calendar", str(folder)], ["--provisional"]):
        assert main(["report", "national", "-o", str(tmp_path / "r"), "--year", "2027",
                     *extra]) == 0
        assert main(["annual-report", "national", str(ledger), "--year", "2024", "--json",
                     *extra]) in (0, 1)
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "provisional" in page


def test_calendar_show_marks_days_off_and_worked(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "show", "2026"]) == 0
    out = capsys.readouterr().out
    assert " 1休  2休  3休  4班" in out  # 2026 notice: 元旦 01-01..03 off, 01-04 (Sun) worked
    assert main(["calendar", "show", "2027"]) == 1  # not covered without an option
    assert "2027" in capsys.readouterr().err


def test_calendar_list_reports_each_source_and_differences(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _short_2025(tmp_path)
    assert main(["calendar", "list", "--calendar", str(folder), "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    by_year = {r["year"]: r for r in listing["years"]}
    assert by_year[2024]["source"] == "chinesecalendar" and by_year[2024]["version"]
    assert by_year[2026]["source"] == "bundled"
    assert by_year[2025]["source"] == "user"
    diffs = {d["date"]: (d["this"], d["chinesecalendar"])
             for d in by_year[2025]["differs_from_chinesecalendar"]}
    assert diffs["2025-01-26"] == ("off", "working")
    assert diffs["2025-01-28"] == ("working", "off")
    assert listing["coverage_end"] == "2026-12-31"


def test_coverage_warning_within_45_days(capsys: pytest.CaptureFixture[str]) -> None:
    cal = official_calendar(extra=())
    warn_coverage_ending(cal, date(2026, 11, 16))  # 45 days before 12-31
    err = capsys.readouterr().err
    assert "2026-12-31" in err and "calendar import" in err and "--provisional" in err
    warn_coverage_ending(cal, date(2026, 11, 15))  # 46 days: quiet
    assert capsys.readouterr().err == ""


def test_commands_that_read_the_clock_warn(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    import datetime as real

    from govdisclose.cli import args as cli_args

    class December(real.datetime):
        @classmethod
        def now(cls, tz: real.tzinfo | None = None) -> December:  # type: ignore[override]
            return cls(2026, 12, 3, 9, 0, tzinfo=tz)

    monkeypatch.setattr(cli_args, "datetime", December)  # the one place the CLI reads the clock
    assert main(["evaluate", "national", "examples/request.json", "--calendar",
                 str(_year_dir(tmp_path))]) == 0
    assert "warning" not in capsys.readouterr().err  # 2027 is covered by the user file
    assert main(["evaluate", "national", "examples/request.json"]) == 0
    assert "calendar import" in capsys.readouterr().err
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    main(["audit", "national", str(ledger), "--provisional", "--json"])
    assert "calendar import" in capsys.readouterr().err
    # with --as-of nothing reads the clock, and nothing warns
    main(["audit", "national", str(ledger), "--as-of", "2026-12-03", "--json"])
    assert "calendar import" not in capsys.readouterr().err


def test_validate_reports_days_that_differ_from_chinesecalendar(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _short_2025(tmp_path)  # a difference is a note, not a failure
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "2025-01-28" in out and "off in chinesecalendar" in out


def test_output_survives_a_gbk_console(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {"PYTHONIOENCODING": "gbk", "PATH": "", "SYSTEMROOT": ""}
    for argv in (["calendar", "show", "2027", "--provisional"], ["calendar", "list"],
                 ["deadline", "national", "request.reply", "--from", "2026-12-04",
                  "--provisional", "--explain"]):
        done = subprocess.run([sys.executable, "-m", "govdisclose", *argv], env=env,
                              capture_output=True, check=False)
        assert done.returncode == 0, done.stderr.decode("gbk", "replace")
        done.stdout.decode("gbk")


def test_the_pre_commit_audit_hook_passes_the_calendar_options(tmp_path: Path) -> None:
    from govdisclose._hooks import main as hook

    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    assert hook(["audit", "national", "--as-of", "2026-12-20", str(ledger)]) == 1
    assert hook(["audit", "national", "--as-of", "2026-12-20", "--provisional", str(ledger)]) == 0
    assert hook(["audit", "national", "--as-of", "2026-12-20", "--calendar",
                 str(_year_dir(tmp_path)), str(ledger)]) == 0
