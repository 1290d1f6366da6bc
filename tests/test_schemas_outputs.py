"""Every ``--json`` output has a JSON Schema, and real output validates against it; the public
accessor ``govdisclose.schemas`` names, loads and resolves them."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from govdisclose import schemas
from govdisclose.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: Each ``--json`` output (command and a telling example) and its schema.
RUNS: list[tuple[str, list[str]]] = [
    ("rulebooks", ["rulebooks", "--json"]),
    ("limits", ["limits", "national", "--json"]),
    ("limits", ["limits", "huadian", "--on", "2026-01-05", "--json"]),
    ("limits", ["limits", "changchun-new-area.high-tech-zone", "--json"]),
    ("deadline", ["deadline", "national", "request.reply", "--from", "2026-09-28", "--json"]),
    ("deadline", ["deadline", "huadian", "sentiment.report.major", "--from", "2026-03-02T09:30",
                  "--json"]),
    ("deadline", ["deadline", "national", "request.reply", "--from", "2027-09-28",
                  "--provisional", "--json"]),
    ("workdays", ["workdays", "2026-09-28", "20", "--json"]),
    ("workdays", ["workdays", "2026-09-28", "0", "--json"]),
    ("compare", ["compare", "national", "huadian", "kuancheng", "--json"]),
    ("compare", ["compare", "changchun-new-area", "changchun-new-area.sasac", "--json"]),
    ("obligations", ["obligations", "huadian", "--year", "2026", "--json"]),
    ("obligations", ["obligations", "national", "--year", "9999", "--json"]),
    ("fee", ["fee", "--pages", "250", "--json"]),
    ("fee", ["fee", "--requests", "1000000", "--json"]),
    ("fee", ["fee", "--pages", "0", "--json"]),
    ("calendar-list", ["calendar", "list", "--json"]),
    ("outcome", ["evaluate", "national", str(EXAMPLES / "request.json"), "--as-of",
                 "2026-04-20", "--json"]),
    ("outcome", ["plan", "huadian", str(EXAMPLES / "huadian" / "item-policy-document.yaml"),
                 "--json"]),
    ("audit", ["audit", "huadian", str(EXAMPLES / "ledgers" / "huadian-2026.csv"), "--as-of",
               "2026-11-20", "--json", "--workers", "1"]),
    ("upcoming", ["upcoming", "huadian", str(EXAMPLES / "ledgers" / "huadian-2026.csv"),
                  "--within", "10", "--as-of", "2026-11-20", "--json"]),
    ("validate", ["validate", str(ROOT / "rules" / "national.yaml"), "--format", "json"]),
]
#: Outputs whose schema was missing before issue 13 (now each has one).
NEW = ["rulebooks", "limits", "deadline", "workdays", "compare", "obligations", "fee",
       "calendar-list", "upcoming", "validate"]


def _json_of(argv: list[str]) -> Any:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(argv)
    assert code in (0, 1), out.getvalue()[-2000:]
    return json.loads(out.getvalue())


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=schemas.registry())


@pytest.mark.parametrize(("name", "argv"), RUNS, ids=lambda v: v if isinstance(v, str)
                         else " ".join(a for a in v if "/" not in a))
def test_output_validates_against_its_schema(name: str, argv: list[str]) -> None:
    errors = [f"{e.json_path}: {e.message[:200]}"
              for e in _validator(name).iter_errors(_json_of(argv))]
    assert errors == []


def test_every_output_without_a_schema_before_has_one_now() -> None:
    assert set(NEW) <= set(schemas.names())
    assert {name for name, _ in RUNS} >= set(NEW)


@pytest.mark.parametrize("name", NEW)
def test_a_schema_refuses_what_its_output_never_is(name: str) -> None:
    # Each new schema is a contract, not "any object": a misspelt key is refused.
    assert list(_validator(name).iter_errors({"unexpected_key": 1}))


def test_names_are_the_bundled_files() -> None:
    names = schemas.names()
    assert names == sorted(names)
    assert {"request", "item", "outcome", "audit", "rulebook", "service-error",
            "rulebook-description", "calendar-month"} <= set(names)
    for name in names:
        assert schemas.path(name).name == f"{name}.schema.json"
        assert schemas.load(name)["$id"].endswith(f"/{name}.schema.json")


def test_load_returns_a_fresh_copy() -> None:
    first = schemas.load("deadline")
    first["title"] = "changed"
    assert schemas.load("deadline")["title"] == "govdisclose deadline --json"


@pytest.mark.parametrize("name", ["nope", "../pyproject", "/etc/passwd", "outcome.schema.json"])
def test_an_unknown_name_is_a_key_error_never_a_path(name: str) -> None:
    with pytest.raises(KeyError):
        schemas.path(name)
    with pytest.raises(KeyError):
        schemas.load(name)


def test_cross_schema_references_resolve_offline() -> None:
    # workdays.schema.json is outcome.schema.json's Deadline, by reference.
    validator = _validator("workdays")
    assert not list(validator.iter_errors(_json_of(["workdays", "2026-09-28", "20", "--json"])))
    assert list(validator.iter_errors({"due": 5}))


def test_the_deadline_schema_is_the_outcome_deadline_and_the_rulebook() -> None:
    # deadline.schema.json restates outcome.schema.json's Deadline (additionalProperties
    # false forbids extending it by reference): held together here.
    deadline = schemas.load("deadline")
    original = schemas.load("outcome")["$defs"]["Deadline"]
    assert list(deadline["properties"]) == ["rulebook", *original["properties"]]
    assert deadline["required"] == ["rulebook", *original.get("required", [])]
    for key, value in original["properties"].items():
        moved = json.loads(json.dumps(value).replace('"#/$defs/',
                                                     '"outcome.schema.json#/$defs/'))
        assert deadline["properties"][key] == moved, key


@pytest.mark.parametrize("book_id", ["national", "huadian", "yangquan", "kuancheng",
                                     "changchun-new-area.high-tech-zone"])
def test_the_service_rulebook_description_validates(book_id: str) -> None:
    from govdisclose import load_rulebook
    from govdisclose.service.describe import describe_rulebook

    document = describe_rulebook(load_rulebook(book_id))
    assert list(_validator("rulebook-description").iter_errors(document)) == []
    assert document["facts"] and document["channels"] and document["limits"]


def test_the_service_calendar_month_validates() -> None:
    from govdisclose.service.config import ServiceConfig
    from govdisclose.service.work import Handlers

    answer = Handlers(ServiceConfig()).calendar_month({"month": "2026-10"})
    document = json.loads(answer.body)
    assert list(_validator("calendar-month").iter_errors(document)) == []
    kinds = {d["date"]: d["kind"] for d in document["days"]}
    assert (kinds["2026-10-01"], kinds["2026-10-10"]) == ("holiday", "makeup_workday")


def test_upcoming_and_validate_schemas_hold_their_failing_outputs(tmp_path: Path) -> None:
    """The outputs with something to report validate too: overdue, due-soon and invalid rows
    of upcoming (worked in tests/test_upcoming.py), and a rulebook with problems."""
    ledger = tmp_path / "台账.csv"
    ledger.write_text("id,received_on,replied_on\nA,2026-09-07,\nB,2026-09-01,\n"
                      "C,2026-10-01,2026-10-09\nD,bad,\n", encoding="utf-8")
    upcoming = _json_of(["upcoming", "national", str(ledger), "--within", "5", "--as-of",
                         "2026-09-30", "--json"])
    assert upcoming["overdue"] and upcoming["due_soon"] and upcoming["invalid"]
    assert list(_validator("upcoming").iter_errors(upcoming)) == []
    book = tmp_path / "bad.yaml"
    book.write_text("id: bad\nname: 坏\nlimits: {x: 1}\n", encoding="utf-8")
    validated = _json_of(["validate", str(book), "--format", "json"])
    assert validated["problems"] and validated["valid"] is False
    assert list(_validator("validate").iter_errors(validated)) == []
