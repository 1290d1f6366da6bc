"""outputs/documents.py builds exactly what ``govdisclose <command> --json`` prints.

The service answers with these documents; the CLI prints them.  Each case runs the CLI in a
subprocess-free call (``main([...])`` with stdout captured) and compares its bytes with
``render_json(<document function>(...))`` for several inputs — so that the HTTP API and the
command line cannot drift apart, whichever of the two builds its JSON itself today.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import date, datetime
from pathlib import Path

import pytest

from govdisclose.cli import main
from govdisclose.engine.items import evaluate_item, parse_item
from govdisclose.engine.request_input import load_document, parse_request
from govdisclose.engine.requests import evaluate_request
from govdisclose.ledgers.audit import audit_stream
from govdisclose.ledgers.reading import open_ledger
from govdisclose.outputs import documents
from govdisclose.periods.calendar import official_calendar
from govdisclose.rulebook.loading import bundled_library, load_rulebook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _cli(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(argv))
    assert code in (0, 1), out.getvalue()[-2000:]
    return out.getvalue()


def test_rulebooks() -> None:
    assert _cli("rulebooks", "--json") == documents.render_json(
        documents.rulebooks_document(bundled_library()))


@pytest.mark.parametrize(("book", "on"), [("national", None), ("huadian", None),
                                          ("huadian", "2026-01-05"), ("kuancheng", "2019-06-01"),
                                          ("changchun-new-area.sasac", None)])
def test_limits(book: str, on: str | None) -> None:
    argv = ["limits", book, "--json", *(["--on", on] if on else [])]
    expected = documents.limits_document(load_rulebook(book),
                                         date.fromisoformat(on) if on else None)
    assert _cli(*argv) == documents.render_json(expected)


@pytest.mark.parametrize(("book", "limit", "start", "provisional"), [
    ("national", "request.reply", "2026-09-28", False),
    ("huadian", "request.reply", "2026-09-28", False),
    ("national", "request.reply", "2027-09-28", True),
    ("kuancheng", "request.supplement_notice", "2026-01-30", False),
])
def test_deadline(book: str, limit: str, start: str, provisional: bool) -> None:
    argv = ["deadline", book, limit, "--from", start, "--json",
            *(["--provisional"] if provisional else [])]
    calendar = official_calendar(provisional=provisional)
    expected = documents.deadline_document(load_rulebook(book), limit,
                                           date.fromisoformat(start), calendar)
    assert _cli(*argv) == documents.render_json(expected)


def test_deadline_of_an_hour_limit_takes_a_moment() -> None:
    book = load_rulebook("huadian")
    limit = "sentiment.report.major"
    assert book.limits_on(date(2026, 3, 2))[limit].unit.value == "hours"
    argv = ["deadline", "huadian", limit, "--from", "2026-03-02T09:30", "--json"]
    expected = documents.deadline_document(book, limit, datetime(2026, 3, 2, 9, 30))
    assert _cli(*argv) == documents.render_json(expected)


@pytest.mark.parametrize(("start", "n"), [("2026-09-28", 20), ("2026-01-01", 0),
                                          ("2025-12-31", 200)])
def test_workdays(start: str, n: int) -> None:
    expected = documents.workdays_document(date.fromisoformat(start), n, official_calendar())
    assert _cli("workdays", start, str(n), "--json") == documents.render_json(expected)


REQUESTS = [("national", EXAMPLES / "request.json"),
            *(("huadian", p) for p in sorted((EXAMPLES / "huadian").glob("request-*.json"))),
            *(("kuancheng", p) for p in sorted((EXAMPLES / "kuancheng").glob("request-*.json")))]


@pytest.mark.parametrize(("book", "file"), REQUESTS, ids=lambda v: getattr(v, "name", v))
def test_evaluate(book: str, file: Path) -> None:
    rulebook = load_rulebook(book)
    doc = load_document(file)
    outcome = evaluate_request(rulebook, parse_request(doc.data, rulebook, doc=doc),
                               as_of=date(2026, 11, 20), calendar=official_calendar())
    assert _cli("evaluate", book, str(file), "--as-of", "2026-11-20", "--json") == \
        documents.render_json(documents.evaluate_document(outcome))


ITEMS = [*(("huadian", p) for p in sorted((EXAMPLES / "huadian").glob("item-*.yaml"))),
         *(("changchun-new-area.sasac", p)
           for p in sorted((EXAMPLES / "changchun-new-area.sasac").glob("item-*.yaml")))]


@pytest.mark.parametrize(("book", "file"), ITEMS, ids=lambda v: getattr(v, "name", v))
@pytest.mark.parametrize("as_of", [None, "2026-11-20"])
def test_plan(book: str, file: Path, as_of: str | None) -> None:
    rulebook = load_rulebook(book)
    doc = load_document(file)
    outcome = evaluate_item(rulebook, parse_item(doc.data, rulebook, doc=doc),
                            as_of=date.fromisoformat(as_of) if as_of else None,
                            calendar=official_calendar())
    argv = ["plan", book, str(file), "--json", *(["--as-of", as_of] if as_of else [])]
    assert _cli(*argv) == documents.render_json(documents.plan_document(outcome))


@pytest.mark.parametrize("ledger", sorted((EXAMPLES / "ledgers").glob("*.csv")),
                         ids=lambda p: p.name)
def test_audit(ledger: Path) -> None:
    book = load_rulebook("huadian")
    head, chunks = audit_stream(book, open_ledger(ledger), as_of=date(2026, 11, 20), workers=1,
                                calendar=official_calendar())
    text, tally = documents.audit_document_text(head, chunks)
    assert _cli("audit", "huadian", str(ledger), "--as-of", "2026-11-20", "--json",
                "--workers", "1") == text
    assert tally.summary()["rows"] == text.count('{"row":')


def test_render_json_keeps_characters_as_they_are() -> None:
    assert documents.render_json({"名称": "桦甸市"}) == '{\n  "名称": "桦甸市"\n}\n'


def test_default_on_is_the_day_the_rules_last_changed_not_today() -> None:
    book = load_rulebook("huadian")
    assert documents.limits_document(book)["on"] == documents.default_on(book).isoformat()
    assert documents.default_on(book) <= date(2026, 12, 31)
