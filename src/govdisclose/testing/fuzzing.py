"""Hypothesis strategies of hostile input for every public entry point (issue 11): requests,
items, rulebook texts, ledger texts, fee and deadline calls, and CLI argument lists.

They mix well-formed structure with junk — dates at the ends of the calendar, huge and
non-finite numbers, nested lists where scalars belong, markup, formulas, bidi controls, long
strings, YAML aliases and tags — so that a run exercises the checks, not only the happy path.
``tests/test_fuzz.py`` runs them briefly; ``benchmarks/fuzz_long.py`` runs them for millions of
inputs.  Needs the ``test`` extra (hypothesis).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from .._paths import rules_dir
from ..ledgers.reading import COLUMNS
from ..rulebook.events import REQUEST_EVENTS
from ..rulebook.vocabulary import Channel

__all__ = ["CLI_COMMANDS", "FUZZ_BOOKS", "NOT_FUZZED", "cli_argvs", "fee_calls", "hostile_text", "item_dicts",
           "ledger_texts", "limit_calls", "request_dicts", "rulebook_texts"]

#: The bundled books (fixed, so that examples replay identically).
FUZZ_BOOKS = ("national", "yangquan", "huadian", "kuancheng", "changchun-new-area",
              "changchun-new-area.high-tech-zone", "changchun-new-area.sasac")
#: The CLI's commands (tests/test_fuzz.py holds this list against the parser).
CLI_COMMANDS = ("rulebooks", "validate", "limits", "deadline", "workdays", "test", "compare",
                "evaluate", "plan", "obligations", "fee", "audit", "annual-report", "graph",
                "report", "calendar", "upcoming", "ledger", "completion")
#: Commands the fuzzer leaves out: ``serve`` runs until stopped, and ``init DIR`` writes a
#: repository wherever its first word points (both are tested on their own).
NOT_FUZZED = ("serve", "init")

_NASTY = ("", " ", "\u202e", "\u200f", "<img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0",
          "+1", "-1", "@SUM(A1)", "\r", "\n", "\x00", "\t", "'", '"', "\\", "%", "{{7*7}}",
          "&amp;", "../../etc/passwd", "答复期限", "９９", "二〇二六年三月二日", "2026年3月2日",
          "NaN", "Infinity", "-0", "1e999", "9" * 400)
_DATES = ("2026-03-02", "2026-02-29", "2019-05-14", "2019-05-15", "0001-01-01", "9999-12-31",
          "9999-12-31T09:30", "2026-13-01", "2026-00-10", "26-3-2", "2026/03/02", "20260302",
          "2026-03-02T25:00", "2007-12-31", "2030-01-01", "2026-W10-1")


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Short strings, half of them from a list of known troublemakers."""
    return st.one_of(st.sampled_from(_NASTY), st.text(max_size=max_size))


def _plausible_dates() -> st.SearchStrategy[str]:
    return st.dates(min_value=date(2008, 5, 1), max_value=date(2026, 12, 31)).map(str)


def _dates() -> st.SearchStrategy[Any]:
    """Mostly real dates of the covered years (so that evaluation goes deep), the rest hostile."""
    plausible = _plausible_dates()
    return st.one_of(plausible, plausible, plausible, st.sampled_from(_DATES),
                     st.dates().map(str), hostile_text(20), st.integers(), st.none())


def _ids() -> st.SearchStrategy[str]:
    return st.one_of(st.from_regex(r"\A[A-Z]{2}-20[0-9]{2}-[0-9]{3}\Z"), hostile_text(20))


def _keys(size: int) -> st.SearchStrategy[Any]:
    """Mapping keys: mostly hostile text; now and then a key a dict built in Python may have
    and JSON may not (a number, None, a boolean: ``json.dumps`` writes each as text)."""
    text = hostile_text(size)
    return st.one_of(text, text, text, text, st.integers(), st.floats(), st.none(),
                     st.booleans())


def _json_values(depth: int = 2) -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text())
    if depth <= 0:
        return scalars
    inner = _json_values(depth - 1)
    return st.one_of(scalars, st.lists(inner, max_size=3),
                     st.dictionaries(_keys(12), inner, max_size=3))


_FACT_NAMES = ("request_kind", "clear", "excessive", "excessive_reasons", "exists",
               "held_by_this_agency", "already_public", "repeated_request",
               "special_law_applies", "needs_processing", "exemption_grounds",
               "third_party_consent", "public_interest_override", "other_law_requires",
               "separable", "writing_difficult", "separate_matters", "missing_requirements",
               "record_inaccurate", "correction_within_powers", "attribute", "form_complete")
_GROUNDS = ("state_secret", "third_party_rights", "internal_affairs", "process_information",
            "enforcement_files", "prohibited_by_law", "endangers_security")


def _facts() -> st.SearchStrategy[dict[str, Any]]:
    plausible = st.fixed_dictionaries({}, optional={
        "request_kind": st.sampled_from(["information", "petition", "publication",
                                         "correction", "x"]),
        "clear": st.booleans(), "exists": st.booleans(), "separable": st.booleans(),
        "held_by_this_agency": st.booleans(), "excessive": st.booleans(),
        "exemption_grounds": st.one_of(st.lists(st.sampled_from(_GROUNDS), max_size=3),
                                       _json_values(2)),
        "third_party_consent": st.booleans(), "public_interest_override": st.booleans(),
        "separate_matters": st.one_of(st.integers(-3, 10**20), st.floats()),
        "missing_requirements": st.lists(hostile_text(15), max_size=3),
    })
    junk = st.dictionaries(st.one_of(st.sampled_from(_FACT_NAMES), _keys(15)),
                           _json_values(2), max_size=4)
    return st.one_of(plausible, plausible, plausible, junk)


def _events() -> st.SearchStrategy[list[Any]]:
    event = st.fixed_dictionaries(
        {"type": st.one_of(st.sampled_from(sorted(REQUEST_EVENTS)), hostile_text(20)),
         "on": _dates()},
        optional={"reply": hostile_text(20), "amount": st.one_of(st.integers(), st.floats()),
                  "consent": _json_values(0), "supplement_due": _dates(),
                  "sent_on": _dates(), "served_on": _dates(), "reply_by": _dates(),
                  "approved_by": hostile_text(15), "notified_on": _dates(),
                  "note": hostile_text()})
    return st.lists(st.one_of(event, event, event, _json_values(1)), max_size=5)


def request_dicts() -> st.SearchStrategy[dict[str, Any]]:
    """Request mappings in (and around) the shape of ``schemas/request.schema.json``."""
    base = st.fixed_dictionaries(
        {"id": _ids(), "received_on": _dates()},
        optional={
            "channel": st.one_of(st.sampled_from([c.value for c in Channel]), hostile_text(10)),
            "applicant": st.one_of(st.fixed_dictionaries(
                {"type": st.sampled_from(["citizen", "organization", "x"])}), _json_values(1)),
            "submitted_on": _dates(), "signed_on": _dates(), "confirmed_on": _dates(),
            "registered_on": _dates(), "title": hostile_text(),
            "events": _events(), "facts": _facts(),
        })
    extra = st.dictionaries(_keys(10), _json_values(1), max_size=2)
    return st.one_of(base, base, base, st.tuples(extra, base).map(
        lambda pair: {**pair[0], **pair[1]}))


def item_dicts() -> st.SearchStrategy[dict[str, Any]]:
    """Item mappings in (and around) the shape of ``schemas/item.schema.json``."""
    attribute = st.sampled_from(["proactive", "on_request", "not_disclosed", "partial"])
    plausible = st.fixed_dictionaries(
        {"id": _ids(), "title": st.text(min_size=1, max_size=20), "attribute": attribute,
         "formed_on": _plausible_dates()},
        optional={"published_on": _plausible_dates(),
                  "flags": st.dictionaries(st.sampled_from(["major", "policy_document",
                                                            "licensing_or_penalty"]),
                                           st.booleans(), max_size=3)})
    hostile = st.fixed_dictionaries(
        {"id": hostile_text(20), "title": hostile_text(),
         "attribute": st.one_of(attribute, hostile_text(10))},
        optional={"formed_on": _dates(), "published_on": _dates(), "decided_on": _dates(),
                  "genre": hostile_text(15), "domain": hostile_text(15),
                  "non_disclosure_reason": hostile_text(15), "category": hostile_text(15),
                  "agency_tier": hostile_text(15),
                  "flags": st.dictionaries(_keys(15), _json_values(0), max_size=3)})
    return st.one_of(plausible, plausible, hostile)


_YAML_TRICKS = ("a: &x [1, 2]\nb: *x\n", "!!python/object:os.system ['true']\n",
                "x: !custom [1]\n", "x: .inf\n", "x: .nan\n", "x: " + "9" * 5000 + "\n",
                "[" * 200 + "]" * 200 + "\n", "x: {a: 1, a: 2}\n", "\ufeffid: x\n", "\t- x\n",
                "x: |\n  " + "y" * 10000 + "\n")


def rulebook_texts() -> st.SearchStrategy[str]:
    """Rulebook files: a bundled book's text with lines dropped, repeated or corrupted, a
    trick of YAML, or junk."""
    base = (rules_dir() / "changchun-new-area.yaml").read_text(encoding="utf-8").splitlines()

    @st.composite
    def mutated(draw: st.DrawFn) -> str:
        lines = list(base)
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(lines) - 1))
            action = draw(st.sampled_from(["drop", "dup", "replace", "insert"]))
            if action == "drop":
                del lines[i]
            elif action == "dup":
                lines.insert(i, lines[i])
            elif action == "replace":
                lines[i] = draw(hostile_text())
            else:
                lines.insert(i, draw(st.sampled_from(_YAML_TRICKS)))
            if not lines:
                lines = [""]
        return "\n".join(lines) + "\n"

    return st.one_of(mutated(), st.sampled_from(_YAML_TRICKS), st.text(max_size=200))


def ledger_texts() -> st.SearchStrategy[str]:
    """CSV ledgers: known and unknown headers, hostile cells, broken quoting."""
    headers = sorted({h for names in COLUMNS.values() for h in names})
    cell = st.one_of(_dates().map(lambda v: "" if v is None else str(v)), hostile_text(),
                     st.sampled_from(['"unterminated', 'a""b', '"x",y', "x" * 2000]))

    @st.composite
    def ledger(draw: st.DrawFn) -> str:
        cols = draw(st.lists(st.one_of(st.sampled_from(headers), hostile_text(10)),
                             min_size=1, max_size=6))
        rows = draw(st.lists(st.lists(cell, min_size=len(cols), max_size=len(cols)),
                             max_size=5))
        return "\n".join(",".join(r) for r in [cols, *rows]) + "\n"

    return ledger()


def fee_calls() -> st.SearchStrategy[tuple[str, str, int]]:
    """(book, scale, units): scales known and unknown, units from negative to astronomical."""
    return st.tuples(st.sampled_from(FUZZ_BOOKS),
                     st.sampled_from(["per_request", "per_volume", "per_page", ""]),
                     st.one_of(st.integers(-5, 500), st.integers(-10**30, 10**30)))


def limit_calls() -> st.SearchStrategy[tuple[str, str, Any]]:
    """(book, limit id, start): every limit id of the national book, junk ids, starts across
    the whole date range with and without a time."""
    ids = ["request.reply", "request.extension", "request.supplement_notice", "item.publish",
           "request.third_party_opinion", "request.interagency_opinion"]
    plausible = st.dates(min_value=date(2008, 5, 1), max_value=date(2026, 12, 31))
    starts = st.one_of(plausible, plausible, plausible, st.dates(), st.datetimes())
    limit_ids = st.one_of(st.sampled_from(ids), st.sampled_from(ids), hostile_text(20))
    return st.tuples(st.sampled_from(FUZZ_BOOKS), limit_ids, starts)


def cli_argvs() -> st.SearchStrategy[list[str]]:
    """CLI argument lists: a command, then options and values (dates at the calendar's ends,
    bundled example files, junk); ``{tmp}`` stands for a scratch directory."""
    examples = sorted(str(p) for p in (rules_dir().parent / "examples").rglob("*")
                      if p.is_file()) if (rules_dir().parent / "examples").is_dir() else []
    words = st.one_of(
        st.sampled_from(["national", "huadian", "yangquan", "request.reply", "--json",
                         "--as-of", "--from", "--year", "--on", "--ics", "--html", "--csv",
                         "--xlsx", "-o", "{tmp}/out", "{tmp}", "--provisional", "--pages",
                         "--requests", "-n", "--format", "mermaid", "dot", "request", "item",
                         "show", "list", "import", "2026", "9999", "0", "-1", "10000000000"]),
        st.sampled_from(_DATES), st.sampled_from(examples or ["examples"]), hostile_text(20))
    return st.tuples(st.sampled_from(CLI_COMMANDS), st.lists(words, max_size=6)).map(
        lambda t: [t[0], *t[1]])
