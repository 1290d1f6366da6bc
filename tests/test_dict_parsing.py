"""Requests and items passed as dicts: validated directly (no round trip through text), each
schema compiled once, problems located by JSON path; the same outcome as from a file.

Also the per-book tables the engine keeps (decision memo, request duties) and the in-process
memo of books by id: they change how fast, never what.
"""

from __future__ import annotations

import ast
import copy
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclose import RequestError, _schema_checker, _yaml, list_rulebooks, load_rulebook
from govdisclose._paths import rules_dir
from govdisclose._schema import compiled, is_valid, validator
from govdisclose.engine.backends import PythonBackend
from govdisclose.engine.items import evaluate_item, parse_item
from govdisclose.engine.replies import _decide_table, decide
from govdisclose.engine.request_input import load_document, parse_request
from govdisclose.engine.requests import evaluate_request
from govdisclose.errors import Problem
from govdisclose.rulebook.loading import RulebookLibrary, bundled_library, using_library

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = date(2026, 11, 30)
NATIONAL = load_rulebook("national")
BOOKS = set(list_rulebooks())
REQUEST_FILES = sorted(p for p in EXAMPLES.glob("*/request*.json") if p.parent.name in BOOKS)
ITEM_FILES = sorted(p for p in EXAMPLES.glob("*/item*.yaml") if p.parent.name in BOOKS)


def _example(name: str = "request-supplement-restart.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "national" / name).read_text(encoding="utf-8"))
    return data


def _problems(data: Any) -> tuple[Problem, ...]:
    with pytest.raises(RequestError) as caught:
        parse_request(data, NATIONAL)
    return caught.value.problems


# -- dict errors: JSON path, no line, zh and en ------------------------------------------------

def test_an_unknown_key_in_a_dict_is_located_by_json_path_with_no_line() -> None:
    data = _example()
    data["events"][1]["amout"] = 3
    (problem,) = _problems(data)
    assert (problem.code, problem.path) == ("schema.additionalProperties", ("events", 1, "amout"))
    assert (problem.file, problem.line, problem.column) == ("<request>", None, None)
    assert "未知的键 'amout'" in problem.message_zh
    assert "unknown key 'amout'" in problem.message_en and "'amount'" in problem.message_en
    assert str(problem).startswith("<request>: $.events[1].amout: ")


@pytest.mark.parametrize(("change", "code", "path"), [
    ({"received_on": 20260420}, "schema.type", ("received_on",)),
    ({"received_on": "20.4.2026"}, "schema.pattern", ("received_on",)),
    ({"channel": "pigeon"}, "schema.enum", ("channel",)),
    ({"applicant": {"type": "robot"}}, "schema.enum", ("applicant", "type")),
    ({"id": ""}, "schema.minLength", ("id",)),
    ({"events": [{"type": "replied"}]}, "schema.required", ("events", 0)),
])
def test_schema_problems_of_a_dict_carry_the_json_path(change: dict[str, Any], code: str,
                                                      path: tuple[str | int, ...]) -> None:
    data = {**_example(), **change}
    problems = _problems(data)
    assert [(p.code, p.path, p.line) for p in problems] == [(code, path, None)]
    assert all(p.message_zh and p.message_en for p in problems)


def test_a_date_object_in_a_dict_is_a_type_problem_not_a_crash() -> None:
    # json.dumps(default=str) used to turn it into text, then the date parser met the object
    data = {**_example(), "received_on": date(2026, 4, 20)}
    assert [(p.code, p.path) for p in _problems(data)] == [("schema.type", ("received_on",))]


@pytest.mark.parametrize("amount", [math.nan, math.inf, 2**53, -(2**60)])
def test_numbers_a_file_could_not_hold_are_refused_in_a_dict(amount: float) -> None:
    data = _example("request-extension-valid.json")
    index = next(i for i, e in enumerate(data["events"]) if e["type"] == "extension_approved")
    data["events"][index]["amount"] = amount
    assert [(p.code, p.path) for p in _problems(data)] == [
        ("schema.type", ("events", index, "amount"))]


def test_a_tuple_is_an_array_as_json_dumps_wrote_it() -> None:
    data = _example()
    as_tuple = {**data, "events": tuple(data["events"])}
    assert evaluate_request(NATIONAL, as_tuple, as_of=AS_OF) == \
        evaluate_request(NATIONAL, data, as_of=AS_OF)


def test_a_dict_that_is_not_an_object_is_one_problem_at_the_root() -> None:
    assert [(p.code, p.path) for p in _problems(["not", "a", "request"])] == [("schema.type", ())]


def test_the_bound_on_integers_is_the_yaml_loaders() -> None:
    assert _schema_checker.MAX_INTEGER == _yaml.MAX_INTEGER


# -- the same request as a dict and as a file ------------------------------------------------

@pytest.mark.parametrize("path", REQUEST_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_request_as_dict_and_as_file_gives_the_same_outcome(path: Path) -> None:
    book = load_rulebook(path.parent.name)
    doc = load_document(path)
    from_file = evaluate_request(book, parse_request(doc.data, book, doc=doc), as_of=AS_OF)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert parse_request(data, book) == parse_request(doc.data, book, doc=doc)
    assert evaluate_request(path.parent.name, data, as_of=AS_OF).to_json() == from_file.to_json()


@pytest.mark.parametrize("path", ITEM_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_item_as_dict_and_as_file_gives_the_same_plan(path: Path) -> None:
    book = load_rulebook(path.parent.name)
    doc = load_document(path)
    from_file = evaluate_item(book, parse_item(doc.data, book, doc=doc))
    assert evaluate_item(path.parent.name, copy.deepcopy(doc.data)).to_json() == \
        from_file.to_json()


def test_the_same_bad_request_as_dict_and_as_file_has_the_same_problems(tmp_path: Path) -> None:
    data = _example()
    data["events"][0]["on"] = "2026-4-27"
    data["facts"]["exsits"] = True
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    doc = load_document(path)
    with pytest.raises(RequestError) as from_file:
        parse_request(doc.data, NATIONAL, doc=doc)
    from_dict = _problems(data)

    def said(problems: tuple[Problem, ...]) -> list[tuple[str, Any, str, str]]:
        return [(p.code, p.path, p.message_zh, p.message_en) for p in problems]

    assert said(from_dict) == said(from_file.value.problems)
    assert all(p.line is not None and p.file == str(path) for p in from_file.value.problems)
    assert all(p.line is None and p.file == "<request>" for p in from_dict)


# -- compiled once; jsonschema only when needed ------------------------------------------------

def test_each_schema_is_compiled_once() -> None:
    assert validator("request") is validator("request")
    assert compiled("request") is compiled("request") is not None
    before = compiled.cache_info().misses
    for _ in range(3):
        parse_request(_example(), NATIONAL)
    assert compiled.cache_info().misses == before


def test_schema_module_does_not_import_jsonschema_at_import() -> None:
    tree = ast.parse((ROOT / "src" / "govdisclose" / "_schema.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = {a.name for n in top if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in top if isinstance(n, ast.ImportFrom)}
    assert not {m.split(".")[0] for m in names} & {"jsonschema", "referencing"}


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
    | st.sampled_from(["2026-03-02", "replied", "in_person", "citizen", "proactive", "x"]),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner)
    | st.dictionaries(st.sampled_from(["id", "type", "on", "amount", "facts", "events", "zz"]),
                      inner, max_size=3),
    max_leaves=8)


def _mutations(doc: Any) -> st.SearchStrategy[Any]:
    """``doc`` with one node replaced, one key dropped or one key added."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, at: tuple[Any, ...]) -> None:
        paths.append(at)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*at, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*at, i))
    walk(doc, ())

    def apply(path: tuple[Any, ...], how: str, key: str, value: Any) -> Any:
        out = copy.deepcopy(doc)
        if not path:
            return value
        parent = out
        for step in path[:-1]:
            parent = parent[step]
        if how == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif how == "add" and isinstance(parent[path[-1]], dict):
            parent[path[-1]][key] = value
        else:
            parent[path[-1]] = value
        return out

    return st.builds(apply, st.sampled_from(paths), st.sampled_from(["set", "drop", "add"]),
                     st.sampled_from(["id", "note", "amount", "type", "x"]), _JSON)


_DOCS = [("request", json.loads(p.read_text(encoding="utf-8"))) for p in REQUEST_FILES] + [
    ("item", load_document(p).data) for p in ITEM_FILES]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(range(len(_DOCS))).flatmap(
    lambda i: st.tuples(st.just(_DOCS[i][0]), _mutations(_DOCS[i][1]))))
def test_the_compiled_checker_agrees_with_jsonschema(case: tuple[str, Any]) -> None:
    name, data = case
    check = compiled(name)
    assert check is not None
    assert check(data) is bool(validator(name).is_valid(data))
    assert is_valid(name, data) is check(data)


_BOOK_DOCS = [load_document(p).data for p in sorted((ROOT / "rules").glob("*.yaml"))]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(range(len(_BOOK_DOCS))).flatmap(lambda i: _mutations(_BOOK_DOCS[i])))
def test_the_compiled_rulebook_checker_never_passes_what_jsonschema_refuses(data: Any) -> None:
    # the rulebook schema has forms the checker leaves to jsonschema (uniqueItems of
    # non-strings): its yes must be jsonschema's yes; is_valid is always jsonschema's answer
    check = compiled("rulebook")
    assert check is not None
    expected = bool(validator("rulebook").is_valid(data))
    assert not check(data) or expected
    assert is_valid("rulebook", data) is expected


@pytest.mark.parametrize("path", sorted((ROOT / "rules").glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_book_passes_the_compiled_checker(path: Path) -> None:
    check = compiled("rulebook")
    assert check is not None and check(load_document(path).data)


# -- per-book tables and the memo of books -----------------------------------------------------

def test_a_book_given_by_id_is_loaded_once_per_library() -> None:
    assert load_rulebook("national") is load_rulebook("national")
    outcome = evaluate_request("national", {"id": "R", "received_on": "2026-03-02"},
                               as_of=date(2026, 3, 2))
    assert outcome.rulebook == load_rulebook("national").id


def _national_with_reply_period(days: int) -> str:
    """national.yaml with the 2019 reply period (第三十三条: 20 working days) set to ``days``."""
    text = (rules_dir() / "national.yaml").read_text(encoding="utf-8")
    at = text.index("\n  request.reply:\n")
    at = text.index('valid_from: "2019-05-15"\n        amount: 20\n', at)
    return text[:at] + text[at:].replace("amount: 20", f"amount: {days}", 1)


def test_a_book_given_by_id_comes_from_the_library_in_use(tmp_path: Path) -> None:
    # An agency library whose national.yaml sets 25 days: inside using_library,
    # evaluate_request("national", …) finds that book, not the bundled one remembered outside
    # it.  The library is a snapshot: an edit after it loaded the book is read by a new one.
    local = tmp_path / "national.yaml"
    local.write_text(_national_with_reply_period(25), encoding="utf-8")
    request = {"id": "R", "received_on": "2026-03-02"}
    as_of = date(2026, 3, 2)

    def reply_amount() -> int | float:
        return evaluate_request("national", request, as_of=as_of).deadlines[
            "request.reply"].amount

    assert reply_amount() == 20
    with using_library(RulebookLibrary([tmp_path, rules_dir()], use_cache=False)):
        first = load_rulebook("national")
        assert first.file == local.resolve()
        assert reply_amount() == 25
        local.write_text(_national_with_reply_period(30), encoding="utf-8")
        assert load_rulebook("national") is first
        assert reply_amount() == 25
    with using_library(RulebookLibrary([tmp_path, rules_dir()], use_cache=False)):
        assert reply_amount() == 30
    assert reply_amount() == 20
    assert load_rulebook("national") is bundled_library().load("national")


@pytest.mark.parametrize("facts", [{"secrecy_undetermined": True},
                                   {"existence_reveals_protected": True}])
def test_a_remembered_decision_still_reports_the_rules_set_aside(facts: dict[str, Any]) -> None:
    book = load_rulebook("yangquan")
    base = {"request_kind": "information", "clear": True, "exists": True,
            "held_by_this_agency": True, "already_public": False,
            "information_category": "proactive", **facts}
    book.derived("engine.decide", _decide_table)[3].clear()
    runs = []
    for _ in range(2):  # computed, then remembered
        trace: list[Any] = []
        runs.append((decide(book, dict(base), PythonBackend(), date(2026, 3, 2), trace), trace))
    assert runs[0] == runs[1]
    assert any(s.code == "higher_law" for s in runs[1][1])
    assert book.derived("engine.decide", _decide_table)[3]


def test_outcomes_are_the_same_whether_tables_are_fresh_or_filled() -> None:
    # new book objects: every per-book table and memo empty, then filled by the first pass
    library = RulebookLibrary([rules_dir()])
    for path in REQUEST_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        fresh = library.load(path.parent.name)
        assert fresh is not load_rulebook(path.parent.name)
        cold = evaluate_request(fresh, data, as_of=AS_OF).to_json()
        warm = evaluate_request(fresh, data, as_of=AS_OF).to_json()
        by_id = evaluate_request(path.parent.name, data, as_of=AS_OF).to_json()
        assert cold == warm == by_id, path
