"""Issue 11, "closed arithmetic" and "every bad input is typed, every bug is loud": each input
the review broke the library with, kept as a regression test.

* ``fee`` is exact (integer fen inside, decimal strings in JSON) and costs O(tiers), up to a
  documented maximum of units;
* dates near 9999 and before 0001 give a CalendarCoverageError or a located input error;
* a schema-valid but semantically bad request is a violation in the result, never an exception;
* the CLI maps typed errors to exit 1/2, anything else to exit 3 with the version and the
  traceback, and its output survives a GBK console.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from govdisclose import load_rulebook
from govdisclose.cli import main
from govdisclose.engine.fees import BAND_ROWS, MAX_FEE_UNITS, fee
from govdisclose.engine.items import evaluate_item, parse_item
from govdisclose.engine.obligations import obligations_for_year
from govdisclose.engine.request_input import parse_request
from govdisclose.engine.requests import evaluate_request
from govdisclose.errors import (
    ArgumentError,
    CalendarCoverageError,
    RequestError,
    RulebookError,
)
from govdisclose.periods.calendar import official_calendar
from govdisclose.periods.counting import compute_deadline

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


# -- fee: exact, O(tiers), bounded ----------------------------------------------------------


def _per_unit_fen(scale: str, units: int) -> int:
    """The fee the slow way: every unit priced on its own (the tiers of national.yaml)."""
    total = 0
    for tier in load_rulebook("national").fees[scale].tiers:
        for unit in range(tier.first, units + 1):
            if tier.last is not None and unit > tier.last:
                break
            steps = (unit - tier.first) // tier.band if tier.band else 0
            total += round((tier.price + steps * (tier.increment or 0)) * 100)
    return total


@pytest.mark.parametrize("scale", ["per_request", "per_volume"])
def test_fee_is_exact_and_agrees_with_pricing_every_unit(scale: str) -> None:
    book = load_rulebook("national")
    for units in [*range(0, 260), 999, 1234]:
        result = fee(book, scale, units)
        assert isinstance(result.total, Decimal)
        assert result.total_fen == _per_unit_fen(scale, units), units
        assert sum(row["units"] for row in result.breakdown) == units
        assert sum(row["subtotal"] for row in result.breakdown) == result.total


def test_fee_is_o_tiers_up_to_its_documented_maximum() -> None:
    book = load_rulebook("national")
    started = time.perf_counter()
    result = fee(book, "per_request", MAX_FEE_UNITS)  # 46 s and 3.9 GB at 10**8 before
    assert time.perf_counter() - started < 0.5
    assert len(result.breakdown) <= len(book.fees["per_request"].tiers) + BAND_ROWS
    last = result.breakdown[-1]
    assert last["to"] == MAX_FEE_UNITS and last["band"] == 10
    # 1-10 free, 11-30 at 100, then 200 rising by 100 every 10 requests: closed form.
    bands = (MAX_FEE_UNITS - 30) // 10
    assert result.total_fen == 100 * (2000 + 10 * (bands * 200 + 100 * bands * (bands - 1) // 2))
    with pytest.raises(ArgumentError, match="at most 1,000,000,000"):
        fee(book, "per_request", MAX_FEE_UNITS + 1)
    for bad in (-1, 2.5, True):
        with pytest.raises(ArgumentError):
            fee(book, "per_volume", bad)  # type: ignore[arg-type]


def test_fee_json_money_is_a_decimal_string(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fee", "--pages", str(MAX_FEE_UNITS), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"] == "39999994700.00"  # 700 + 2000 + 40 a page past 200; no e+10
    assert all(isinstance(row["price"], str) and isinstance(row["subtotal"], str)
               for row in payload["breakdown"])
    assert set(payload) == {"scale", "units", "total", "currency", "breakdown", "sources",
                            "condition"}
    assert main(["fee", "--pages", str(10**18)]) == 2  # printed 3.999999999999999e+19 before
    captured = capsys.readouterr()
    assert "e+" not in captured.out and "at most 1,000,000,000" in captured.err


def test_a_fee_price_below_the_fen_is_a_rulebook_error() -> None:
    book = load_rulebook("national")
    scale = book.fees["per_volume"]
    for price in (0.005, float("inf"), float("nan")):
        broken = replace(book, fees={**book.fees, "per_volume": replace(
            scale, tiers=(replace(scale.tiers[0], price=price), *scale.tiers[1:]))})
        with pytest.raises(RulebookError) as caught:
            fee(broken, "per_volume", 3)
        assert caught.value.problems[0].path == ("fees", "per_volume", "tiers", 0, "price")


# -- dates near 9999 and before 0001 ---------------------------------------------------------


@pytest.mark.parametrize("provisional", [[], ["--provisional"]])
def test_a_deadline_from_9999_is_a_coverage_error(provisional: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    for start in ("9999-12-31T09:30", "9999-12-31", "0001-01-01"):
        assert main(["deadline", "huadian", "request.reply", "--from", start,
                     *provisional]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: no holiday schedule for")
        # --provisional cannot reach it either: the message must not recommend it.
        assert "until then use --provisional" not in err and "公布前可用" not in err


def test_the_coverage_error_under_provisional_does_not_recommend_provisional() -> None:
    calendar = official_calendar(provisional=True, extra=())
    with pytest.raises(CalendarCoverageError) as caught:
        calendar.add_working_days(date(calendar.reach[1], 12, 20), 30)
    assert caught.value.provisional and caught.value.year == calendar.reach[1] + 1
    assert "--provisional" in str(caught.value)  # named only to say how far it reaches
    assert "until then use --provisional" not in str(caught.value)
    # Without --provisional, a year it would answer still recommends it (unchanged wording).
    with pytest.raises(CalendarCoverageError, match="until then use --provisional"):
        official_calendar(extra=()).add_working_days(date(calendar.last_year, 12, 31), 30)


def test_an_hour_period_past_9999_is_an_argument_error(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    assert main(["deadline", "huadian", "sentiment.report.general", "--from",
                 "9999-12-31T23:00"]) == 2
    assert "0001-01-01 to 9999-12-31" in capsys.readouterr().err
    assert main(["deadline", "huadian", "sentiment.report.general", "--from",
                 "0001-01-01T00:00+14:00"]) == 2  # before 0001 in China Standard Time
    with pytest.raises(ArgumentError):
        compute_deadline(datetime(2026, 1, 1, 9, 30), 1e20, "hours")
    assert main(["deadline", "huadian", "sentiment.report.general", "--from",
                 "0001-01-01T00:00", "--json"]) == 0


def test_calendar_days_past_9999_are_a_coverage_error() -> None:
    with pytest.raises(CalendarCoverageError):
        compute_deadline(date(2026, 3, 2), 10**9, "calendar_days")


def test_obligations_in_9999(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["obligations", "huadian", "--year", "9999", "--json"]) == 0
    capsys.readouterr()
    # A duty due 9999-12-31 has no next day to end its all-day event on.
    assert main(["obligations", "huadian", "--year", "9999", "--ics",
                 str(tmp_path / "o.ics")]) == 2
    assert "--ics" in capsys.readouterr().err
    assert not (tmp_path / "o.ics").exists()
    for year in ("0", "10000", "x"):
        with pytest.raises(SystemExit) as caught:
            main(["obligations", "huadian", "--year", year])
        assert caught.value.code == 2
    with pytest.raises(ArgumentError):
        obligations_for_year(load_rulebook("huadian"), 0)


def test_an_item_formed_on_9999_12_31() -> None:
    book = load_rulebook("huadian")
    text = (EXAMPLES / "huadian" / "item-not-disclosed.yaml").read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(text)
    data["formed_on"] = "9999-12-31"
    outcome = evaluate_item(book, parse_item(data, book), as_of=None)
    assert [f["due"] for f in outcome.filings] == ["9999-12-31"]


# -- requests: typed errors and violations, never a stray exception --------------------------


def _request(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (EXAMPLES / "national" / "request-supplement-restart.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize("fact", ["exemption_grounds", "missing_requirements"])
def test_a_nested_list_fact_is_a_located_request_error(fact: str) -> None:
    book = load_rulebook("national")
    data = _request()
    data["facts"][fact] = [["x"], {"y": 1}]
    with pytest.raises(RequestError) as caught:
        parse_request(data, book)
    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("fact.type", ("facts", fact))]


def test_a_supplement_before_receipt_is_a_violation_not_an_exception() -> None:
    book = load_rulebook("national")
    data = _request()
    data["events"][0]["on"], data["events"][1]["on"] = "2026-04-01", "2026-04-02"
    outcome = evaluate_request(book, parse_request(data, book), as_of=date(2026, 6, 1))
    codes = [v.code for v in outcome.violations]
    assert codes.count("event.before_receipt") == 2
    assert outcome.deadlines["request.reply"].restart is None


def test_a_supplement_received_before_it_was_requested_is_a_violation() -> None:
    book = load_rulebook("national")
    data = _request()
    data["events"][0]["on"] = "2026-05-08"  # requested after the 05-06 receipt of it
    outcome = evaluate_request(book, parse_request(data, book), as_of=date(2026, 6, 1))
    assert "event.out_of_order" in [v.code for v in outcome.violations]


# -- the CLI: files it cannot write, bugs ----------------------------------------------------


def test_report_onto_an_existing_file_is_a_usage_error(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    assert main(["report", "huadian", "-o", str(target)]) == 2  # FileExistsError before
    assert "use another path" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert main(["report", "huadian", "-o", str(target / "sub")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_an_unwritable_output_is_a_usage_error(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    ledger = str(EXAMPLES / "ledgers" / "huadian-2026.csv")
    for argv in (["audit", "national", ledger, "--as-of", "2026-12-01", "--csv", str(tmp_path)],
                 ["annual-report", "national", ledger, "--year", "2026", "--xlsx",
                  str(tmp_path)],
                 ["obligations", "huadian", "--year", "2026", "--ics", str(tmp_path)]):
        assert main(argv) == 2, argv
        assert "cannot write" in capsys.readouterr().err


# -- output encoding: a GBK console -----------------------------------------------------------

#: commands whose output holds symbols outside GBK (✗ † ↳ …), with their usual exit code
GBK_COMMANDS: list[tuple[list[str], int]] = [
    (["evaluate", "national", "examples/national/request-extension-after-due.json",
      "--as-of", "2026-11-20"], 0),
    (["plan", "huadian", "examples/huadian/item-policy-document.yaml", "--as-of",
      "2026-11-20"], 0),
    (["annual-report", "huadian", "examples/ledgers/huadian-2026.csv", "--year", "2026"], 1),
    (["annual-report", "national", "tests/data/ledgers/basic-2024.csv", "--year", "2024"], 0),
    (["audit", "national", "examples/ledgers/huadian-2026.csv", "--as-of", "2026-12-01"], 1),
    (["compare", "national", "huadian", "kuancheng", "--on", "2026-06-01"], 0),
    (["deadline", "huadian", "request.reply", "--from", "2026-09-28", "--explain"], 0),
    (["workdays", "2026-09-28", "20", "--explain"], 0),
    (["limits", "national", "--on", "2026-06-01"], 0),
    (["obligations", "yangquan", "--year", "2026"], 0),
    (["fee", "--requests", "1000"], 0),
    (["calendar", "show", "2026"], 0),
    (["rulebooks"], 0),
    (["evaluate", "national", "examples/national/request-extension-after-due.json",
      "--as-of", "2026-11-20", "--json"], 0),
    (["deadline", "huadian", "request.reply", "--from", "2027-01-04"], 1),  # error on stderr
    (["audit", "national", "examples/ledgers/huadian-2026.csv", "--as-of", "2026-12-01",
      "--json"], 1),
]


def test_every_command_survives_a_gbk_console() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONUTF8": "0"}
    runs = [(argv, code, subprocess.Popen(
        [sys.executable, "-m", "govdisclose", *argv], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)) for argv, code in GBK_COMMANDS]
    texts = {}
    for argv, code, process in runs:
        out, err = process.communicate(timeout=120)
        stderr = err.decode("gbk")
        assert process.returncode == code, (argv, stderr)
        assert "codec" not in stderr and "Traceback" not in stderr, argv
        text = texts[argv[0]] = out.decode("gbk")  # every byte is GBK
        if "--json" in argv:
            utf8 = subprocess.run([sys.executable, "-m", "govdisclose", *argv], cwd=ROOT,
                                  env={**env, "PYTHONIOENCODING": "utf-8"},
                                  capture_output=True, check=False)
            assert json.loads(text) == json.loads(utf8.stdout.decode("utf-8"))  # lossless
    # The symbols GBK lacks become the nearest ones it has, not "?".
    assert "  × [" in texts["plan"] and "└ " in texts["compare"] and "※" in texts["annual-report"]


@pytest.mark.parametrize("argv", [
    ["validate", "9" * 400],                      # the long fuzz run: OSError, exit 3
    ["validate", ""],                             # '' meant the whole current directory
    ["test", ""],
    ["evaluate", "national", "x" * 300, "--as-of", "2026-03-02"],
    ["audit", "national", "a\x00b", "--as-of", "2026-03-02"],
])
def test_an_unusable_path_argument_is_a_usage_error(argv: list[str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "路径" in capsys.readouterr().err


def test_validate_paths_reports_a_name_the_file_system_refuses() -> None:
    from govdisclose.cli.rulebooks import validate_paths

    count, problems = validate_paths([Path("9" * 400)])
    assert count == 0 and [p.code for p in problems] == ["file.unreadable"]


# -- a dict built in Python may have keys JSON cannot ------------------------------------------

_REQUEST = {"id": "R", "received_on": "2026-03-02"}


@pytest.mark.parametrize(("data", "code", "path"), [
    ({**_REQUEST, 1: "x"}, "schema.additionalProperties", ()),
    ({**_REQUEST, None: 1, "amout": 2}, "schema.additionalProperties", ()),
    ({**_REQUEST, "applicant": {2: "citizen"}}, "schema.additionalProperties", ("applicant",)),
    ({**_REQUEST, "events": [{"type": "replied", "on": "2026-03-05", 3: 1}]},
     "schema.additionalProperties", ("events", 0)),
    ({**_REQUEST, "facts": {1: True}}, "fact.key", ("facts",)),
    ({**_REQUEST, "facts": {None: True, "exists": True}}, "fact.key", ("facts",)),
    ({**_REQUEST, "facts": {(1, 2): True}}, "fact.key", ("facts",)),
    # a value the schema refuses too: its problem's path holds the key (written with repr)
    ({**_REQUEST, "facts": {1.5: None}}, "schema.type", ("facts", 1.5)),
    ({**_REQUEST, "facts": {b"x": None}}, "schema.type", ("facts", b"x")),
], ids=["top", "top-mixed", "applicant", "event", "fact-int", "fact-none", "fact-tuple",
        "fact-float-bad-value", "fact-bytes-bad-value"])
def test_a_key_that_is_not_text_is_a_request_error(data: dict[Any, Any], code: str,
                                                   path: tuple[Any, ...]) -> None:
    # Found by a study of msgspec: these raised TypeError from difflib (did-you-mean) or from
    # sorting the unknown keys.  Each is a located problem, in both languages.
    book = load_rulebook("national")
    for call in (lambda: parse_request(data, book),
                 lambda: evaluate_request(book, data, as_of=date(2026, 3, 31))):
        with pytest.raises(RequestError) as raised:
            call()
        [problem] = raised.value.problems
        assert (problem.code, problem.path) == (code, path)
        str(raised.value)  # the message renders, the path too ($.facts[1.5])
        if code != "schema.type":
            assert "JSON" in problem.message_en and "JSON" in problem.message_zh
            assert "not a string" in problem.message_en


def test_an_item_key_that_is_not_text_is_a_request_error() -> None:
    book = load_rulebook("national")
    item = {"id": "W", "title": "t", "attribute": "proactive", "formed_on": "2025-01-02"}
    for data, path in (({**item, 5: 1}, ()), ({**item, "flags": {5: True}}, ("flags",))):
        with pytest.raises(RequestError) as raised:
            parse_item(data, book)
        assert [(p.code, p.path) for p in raised.value.problems] == [
            ("schema.additionalProperties", path)]


def test_an_unknown_key_with_a_quote_keeps_the_hint_for_a_misspelt_one() -> None:
    # The unknown text keys are named in order (a key that is not text would come after
    # them): the first is the misspelt one here, and the hint is for it.
    with pytest.raises(RequestError) as raised:
        parse_request({**_REQUEST, "chanel": "web", "x'y": 1}, load_rulebook("national"))
    [problem] = raised.value.problems
    assert problem.path == ("chanel",)
    assert "did you mean 'channel'?" in problem.message_en
    assert problem.message_en.startswith("unknown key 'chanel', \"x'y\"")
