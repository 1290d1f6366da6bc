"""Obligations calendar (with a real iCalendar parser), fees, and the CLI contracts."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import icalendar
import pytest

from govdisclose import load_rulebook
from govdisclose.cli import main
from govdisclose.engine.fees import fee
from govdisclose.engine.obligations import obligations_for_year
from govdisclose.outputs.ics import to_ics
from govdisclose.rulebook.model import Relation

ROOT = Path(__file__).resolve().parent.parent


def test_national_annual_reports_2026() -> None:
    dues = {o.id: o.due for o in obligations_for_year(load_rulebook("national"), 2026)}
    # 条例2019 第四十九条: departments by 01-31, the government's report by 03-31.
    assert dues == {"report.annual": date(2026, 1, 31),
                    "report.annual_government": date(2026, 3, 31)}


def test_a_later_local_report_date_yields_to_national_law() -> None:
    dues = [o for o in obligations_for_year(load_rulebook("yangquan"), 2026)
            if o.id == "report.annual"]
    assert len(dues) == 1
    assert dues[0].relation is Relation.CONFLICT
    assert dues[0].due == date(2026, 1, 31)
    assert dues[0].note is not None and "05-01" in dues[0].note


def test_monthly_ledger_and_undated_duties() -> None:
    htz = [o for o in obligations_for_year(load_rulebook("changchun-new-area.high-tech-zone"),
                                           2026) if o.id == "ledger.monthly"]
    assert [o.due for o in htz] == [date(2026, m, 4) for m in range(1, 13)]
    social = [o for o in obligations_for_year(load_rulebook("huadian"), 2026)
              if o.id == "evaluation.social"]
    assert [o.due for o in social] == [None]


def test_ics_parses_with_icalendar(tmp_path: Path) -> None:
    book = load_rulebook("huadian")
    dues = obligations_for_year(book, 2026)
    text = to_ics(book, dues, datetime(2026, 1, 1, tzinfo=timezone.utc))
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    dated = [o for o in dues if o.due is not None]
    assert len(events) == len(dated)
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts == sorted(o.due for o in dated)
    assert any("不予公开" in str(e.get("SUMMARY")) for e in events)
    out = tmp_path / "h.ics"
    assert main(["obligations", "huadian", "--year", "2026", "--ics", str(out)]) == 0
    assert icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")


@pytest.mark.parametrize(("scale", "units", "total"), [
    # 国办函〔2020〕109号 as in the reference: 1-10 free, 11-30 100, 31-40 200, 41-50 300 ...
    ("per_request", 10, 0), ("per_request", 11, 100), ("per_request", 30, 2000),
    ("per_request", 35, 3000), ("per_request", 45, 2000 + 2000 + 5 * 300),
    # pages: 1-30 free, 31-100 10, 101-200 20, 201+ 40 per page
    ("per_volume", 30, 0), ("per_volume", 31, 10), ("per_volume", 250, 700 + 2000 + 2000),
])
def test_fees(scale: str, units: int, total: float) -> None:
    assert fee(load_rulebook("national"), scale, units).total == total


def test_fee_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fee", "--requests", "35", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"] == "3000.00"  # money is an exact decimal string (docs/api.md)
    assert [b["price"] for b in payload["breakdown"]] == ["0.00", "100.00", "200.00"]
    assert main(["fee", "--requests", "3", "--pages", "3"]) == 2


def test_deadline_cli_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "national", "request.reply", "--from", "2026-09-28", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    for key in ("due", "limit", "amount", "unit", "provisional", "trace", "sources"):
        assert key in payload
    assert payload["due"] == "2026-10-30"
    assert main(["deadline", "yangquan", "sentiment.response", "--from", "2026-10-01T09:30",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2026-10-03T09:30:00+08:00"


def test_deadline_cli_reports_coverage_and_unknown_limits(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "national", "request.reply", "--from", "2026-12-10"]) == 1
    assert "2027" in capsys.readouterr().err
    assert main(["deadline", "national", "request.reply", "--from", "2026-12-10",
                 "--provisional", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["provisional"] is True
    assert main(["deadline", "national", "request.replyy", "--from", "2026-03-02"]) == 1
    assert "did you mean 'request.reply'" in capsys.readouterr().err


def test_limits_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["limits", "huadian", "--on", "2026-03-02", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["rulebook"] == "huadian" and payload["on"] == "2026-03-02"
    reply = payload["limits"]["request.reply"]
    assert (reply["amount"], reply["unit"]) == (15, "working_days")
    assert reply["sources"]
    assert payload["limits"]["request.supplement_notice"]["book"] == "national"


def test_rulebooks_and_compare_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rulebooks", "--json"]) == 0
    ids = {r["id"] for r in json.loads(capsys.readouterr().out)["rulebooks"]}
    assert "changchun-new-area.sasac" in ids
    assert main(["compare", "national", "huadian", "--on", "2026-03-02", "--json"]) == 0
    rows = {(r["kind"], r["id"]): r for r in json.loads(capsys.readouterr().out)["rows"]}
    silence = rows[("policy", "third_party_silence")]["cells"]["huadian"]
    assert silence["relation"] == "conflict" and silence["applies"] == "agency_decides"
    # 15 working days from registration (never before receipt) against 20 from receipt: not
    # stricter in general (issue 10, point 14).
    assert rows[("limit", "request.reply")]["cells"]["huadian"]["relation"] == "incomparable"
    assert rows[("limit", "request.extension")]["cells"]["huadian"]["relation"] == "stricter"


def test_evaluate_and_plan_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["evaluate", "national", str(ROOT / "examples" / "request.json"),
                 "--as-of", "2026-04-20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"]["state"] == "answered_on_time"
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: X\nreceived_on: '2026-03-02'\nfacts:\n  exsits: true\n", "utf-8")
    assert main(["evaluate", "national", str(bad), "--as-of", "2026-03-03"]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:4:" in err and "exsits" in err


def test_test_command_last_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(ROOT / "tests" / "cases" / "kuancheng")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith(" passed, 0 failed")
