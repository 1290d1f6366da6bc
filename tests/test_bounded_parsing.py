"""Bounded parsing (issue 11): hostile YAML and ledgers fail fast with a located problem.

Timing is asserted only loosely (the point is "does not hang"); the error code is the test.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from demo_books import DEMO_HEAD, DEMO_ITEM_LIMIT

from govdisclose import _yaml
from govdisclose._paths import rules_dir
from govdisclose._yaml import load_yaml_file, load_yaml_text
from govdisclose.errors import RulebookError, UnknownRulebookError
from govdisclose.ledgers import reading
from govdisclose.ledgers.audit import audit_ledger
from govdisclose.ledgers.reading import read_ledger
from govdisclose.rulebook.loading import RulebookLibrary, iter_rulebook_errors, load_rulebook

FAST = 2.0  # seconds: generous, only "it does not hang"


def _codes(text: str) -> list[str]:
    return [p.code for p in load_yaml_text(text, "x.yaml").problems]


def _timed(text: str) -> tuple[list[str], float]:
    start = time.perf_counter()
    codes = _codes(text)
    return codes, time.perf_counter() - start


# -- YAML: aliases, nesting, size ---------------------------------------------------------


def _alias_bomb(levels: int, width: int) -> str:
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_the_401_byte_alias_bomb_fails_fast() -> None:
    text = _alias_bomb(8, 8)
    assert len(text.encode()) < 450
    codes, seconds = _timed(text)
    assert codes == ["yaml.aliases"]
    assert seconds < FAST


def test_billion_laughs_fails_fast() -> None:
    codes, seconds = _timed(_alias_bomb(10, 10))
    assert codes == ["yaml.aliases"]
    assert seconds < FAST


def test_an_alias_to_itself_is_a_problem_not_a_recursion_error() -> None:
    assert _codes("a: &a [*a]\n") == ["yaml.aliases"]


def test_too_many_alias_references() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (_yaml.MAX_ALIASES + 1)) + "]\n"
    assert _codes(text) == ["yaml.aliases"]


def test_a_few_aliases_still_work() -> None:
    doc = load_yaml_text("a: &a {x: 1}\nb: *a\n")
    assert doc.problems == ()
    assert doc.data == {"a": {"x": 1}, "b": {"x": 1}}


@pytest.mark.parametrize("text", [
    "a: " + "[" * 900 + "]" * 900,
    "".join("  " * i + f"k{i}:\n" for i in range(900)) + "  " * 900 + "v: 1\n",
    "".join("  " * i + "-\n" for i in range(900)) + "  " * 900 + "x\n",
])
def test_900_levels_of_nesting_are_a_located_problem(text: str) -> None:
    (problem,) = load_yaml_text(text, "deep.yaml").problems
    assert problem.code == "yaml.too_deep"
    assert problem.file == "deep.yaml" and problem.line is not None
    assert len(problem.path) == _yaml.MAX_DEPTH


def test_nesting_at_the_limit_is_fine() -> None:
    depth = _yaml.MAX_DEPTH
    assert _codes("[" * depth + "]" * depth) == []


def test_too_many_nodes() -> None:
    codes, seconds = _timed("[" + ",".join(["1"] * (_yaml.MAX_NODES + 1)) + "]")
    assert codes == ["yaml.too_many_nodes"]
    assert seconds < 5 * FAST  # composing 100,000 nodes is real work


def test_a_long_scalar_is_a_located_problem() -> None:
    (problem,) = load_yaml_text("a: 1\nb: " + "x" * (_yaml.MAX_SCALAR_CHARS + 1)).problems
    assert (problem.code, problem.line, problem.column, problem.path) == \
        ("yaml.scalar_too_long", 2, 4, ("b",))


def test_a_100_mb_rulebook_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("w", encoding="utf-8") as out:
        out.write("id: big\nname: big\nsources:\n")
        entry = "  s{}: {{title: source number {}, location: sources/x.txt}}\n"
        for i in range(2_000_000):
            out.write(entry.format(i, i))
    assert path.stat().st_size > 100_000_000
    start = time.perf_counter()
    problems = list(iter_rulebook_errors(path))
    assert time.perf_counter() - start < FAST
    assert [p.code for p in problems] == ["yaml.too_large"]
    assert problems[0].file is not None and problems[0].file.endswith("big.yaml")


def test_a_large_text_is_refused_by_its_size() -> None:
    assert _codes("a: 1\n" + "#" * _yaml.MAX_DOCUMENT_BYTES) == ["yaml.too_large"]
    # Chinese text: bytes, not characters, are counted
    assert _codes("# " + "中" * (_yaml.MAX_DOCUMENT_BYTES // 3 + 1)) == ["yaml.too_large"]


def test_every_bundled_file_is_far_below_the_limits() -> None:
    for path in sorted(rules_dir().rglob("*.yaml")):
        assert path.stat().st_size * 10 < _yaml.MAX_DOCUMENT_BYTES, path
        assert load_yaml_file(path).problems == (), path


# -- YAML: tags and numbers ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "path"), [
    ("a: !foo [1]\n", ("a",)),
    ("a: !bar {b: 1}\n", ("a",)),
    ("a: !baz text\n", ("a",)),
    ("a: !!set {x, y}\n", ("a",)),
    ("a: !!binary aGk=\n", ("a",)),
    ("a: !!omap [b: 1]\n", ("a",)),
    ("!root {a: 1}\n", ()),
])
def test_custom_tags_on_any_node_are_a_located_problem(text: str, path: tuple[str, ...]) -> None:
    (problem,) = load_yaml_text(text).problems
    assert (problem.code, problem.line, problem.path) == ("yaml.tag", 1, path)


def test_standard_tags_are_fine() -> None:
    doc = load_yaml_text("a: !!str 1\nb: !!int '2'\nc: !!seq [1]\nd: !!map {e: 1}\nf: ! x\n")
    assert doc.problems == ()
    assert doc.data == {"a": "1", "b": 2, "c": [1], "d": {"e": 1}, "f": "x"}


@pytest.mark.parametrize(("value", "code"), [
    ("9" * 5000, "yaml.number_too_large"),
    ("-" + "9" * 30, "yaml.number_too_large"),
    (str(2**53), "yaml.number_too_large"),
    (".inf", "yaml.not_finite"),
    ("-.Inf", "yaml.not_finite"),
    (".nan", "yaml.not_finite"),
    ("1.0e+999", "yaml.not_finite"),
])
def test_numbers_must_be_finite_and_in_range(value: str, code: str) -> None:
    (problem,) = load_yaml_text(f"x: 1\namount: {value}\n", "n.yaml").problems
    assert (problem.code, problem.line, problem.column, problem.path) == \
        (code, 2, 9, ("amount",))


def test_numbers_in_range_are_fine() -> None:
    doc = load_yaml_text(f"a: {2**53 - 1}\nb: -{2**53 - 1}\nc: 0.5\nd: 1e5\n")
    assert doc.problems == ()
    assert doc.data == {"a": 2**53 - 1, "b": -(2**53 - 1), "c": 0.5, "d": "1e5"}


GOOD = DEMO_HEAD + DEMO_ITEM_LIMIT
AMOUNT_LINE = 17


def _book(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("amount", "code"), [
    (".inf", "yaml.not_finite"),
    (".nan", "yaml.not_finite"),
    ("9" * 5000, "yaml.number_too_large"),
    ("1001", "schema.maximum"),
    ("100000", "schema.maximum"),
])
def test_a_rulebook_amount_out_of_range_is_located(tmp_path: Path, amount: str,
                                                    code: str) -> None:
    path = _book(tmp_path, GOOD.replace("AMOUNT", amount))
    problems = list(iter_rulebook_errors(path))
    assert code in [p.code for p in problems]
    problem = next(p for p in problems if p.code == code)
    assert problem.line == AMOUNT_LINE
    assert problem.path[-1] == "amount"
    with pytest.raises(RulebookError):
        RulebookLibrary([rules_dir()]).load(path)


def test_a_sane_amount_passes_the_new_bounds(tmp_path: Path) -> None:
    path = _book(tmp_path, GOOD.replace("AMOUNT", "15"))
    assert list(iter_rulebook_errors(path)) == []


@pytest.mark.parametrize("parent", ["a" * 300, "../national", "x" * 5000])
def test_an_extends_that_is_no_id_is_a_located_problem(tmp_path: Path, parent: str) -> None:
    path = _book(tmp_path, GOOD.replace("extends: national", f"extends: {parent}")
                 .replace("AMOUNT", "15"))
    problems = list(iter_rulebook_errors(path))
    assert problems
    assert all(p.path == ("extends",) and p.line == 3 for p in problems)
    assert {p.code for p in problems} <= {"schema.maxLength", "schema.pattern"}
    assert all(len(p.message_en) < 300 for p in problems)


@pytest.mark.parametrize("ref", ["a" * 300, "../rules/national", "national/../national"])
def test_looking_up_something_that_is_no_id_is_unknown(ref: str) -> None:
    with pytest.raises(UnknownRulebookError):
        RulebookLibrary([rules_dir()]).find(ref)


# -- ledgers -------------------------------------------------------------------------------

HEADER = "id,received_on,replied_on\n"


def _ledger(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_over_long_field_is_a_problem_of_its_row_only(tmp_path: Path) -> None:
    huge = "x" * 131_073  # over csv's own field limit: the whole ledger was unreadable
    big = "y" * (reading.MAX_FIELD_CHARS + 1)  # over ours only
    path = _ledger(tmp_path, HEADER + f"1,2026-03-02,{huge}\n2,2026-03-03,2026-03-10\n"
                   f"3,2026-03-04,{big}\n4,2026-03-05,\n")
    ledger = read_ledger(path)
    assert [r.values["id"] for r in ledger.rows] == ["", "2", "3", "4"]
    assert [[(p.code, p.line) for p in r.problems] for r in ledger.rows] == [
        [("ledger.field_too_long", 2)], [], [("ledger.field_too_long", 4)], []]
    assert ledger.rows[2].values["replied_on"] == ""  # not carried into any output
    assert ledger.rows[2].problems[0].path == ("replied_on",)


def test_an_over_long_quoted_cell_on_many_lines_does_not_split_into_rows(
        tmp_path: Path) -> None:
    cell = '"' + "line\n" * 40_000 + '"'
    path = _ledger(tmp_path, HEADER + f"1,2026-03-02,{cell}\n2,2026-03-03,2026-03-10\n")
    ledger = read_ledger(path)
    assert [r.values["id"] for r in ledger.rows] == ["1", "2"]
    assert ledger.rows[0].problems[0].code == "ledger.field_too_long"
    assert ledger.rows[1].problems == ()


def test_an_unterminated_quote_is_located_and_swallows_nothing(tmp_path: Path) -> None:
    path = _ledger(tmp_path, HEADER + '1,2026-03-02,2026-03-10\n2,2026-03-03,"2026-03-11\n'
                   "3,2026-03-04,\n4,2026-03-05,2026-03-12\n")
    start = time.perf_counter()
    ledger = read_ledger(path)
    assert time.perf_counter() - start < FAST
    assert [(r.values["id"], r.line) for r in ledger.rows] == \
        [("1", 2), ("2", 3), ("3", 4), ("4", 5)]
    (problem,) = ledger.rows[1].problems
    assert (problem.code, problem.line) == ("ledger.unterminated_quote", 3)
    assert all(not r.problems for i, r in enumerate(ledger.rows) if i != 1)


def test_a_long_unterminated_quote_swallows_nothing(tmp_path: Path) -> None:
    rows = "".join(f"{i},2026-03-02,\n" for i in range(2, 30_000))
    path = _ledger(tmp_path, HEADER + '1,2026-03-02,"x\n' + rows)
    ledger = read_ledger(path)
    assert len(ledger.rows) == 29_999
    assert ledger.rows[0].problems[0].code == "ledger.unterminated_quote"
    assert not any(r.problems for r in ledger.rows[1:])


def test_quoted_cells_that_close_are_still_read(tmp_path: Path) -> None:
    path = _ledger(tmp_path, HEADER + '1,"2026-03-02","2026-03-10\n"\n"2",2026-03-03,'
                   '"a ""b"""\n3,"2026-03-04" ,\n')
    ledger = read_ledger(path)
    assert [r.problems for r in ledger.rows] == [(), (), ()]
    assert [r.values["replied_on"] for r in ledger.rows] == ["2026-03-10", 'a "b"', ""]


def test_invalid_rows_stay_in_the_audit_with_their_problem(tmp_path: Path) -> None:
    path = _ledger(tmp_path, HEADER + "1,2026-03-02," + "x" * 200_000 + "\n"
                   "2,2026-03-03,2026-03-10\n3,2026-03-04,\"2026-03-11\n")
    audit = audit_ledger(load_rulebook("national"), read_ledger(path), as_of=date(2026, 4, 1))
    assert [(r.line, r.state) for r in audit.rows] == \
        [(2, "invalid"), (3, "answered_on_time"), (4, "invalid")]
    assert "32767" in audit.rows[0].errors[0]["message_en"]
    assert "quote" in audit.rows[2].errors[0]["message_en"]


def test_an_xlsx_cell_over_the_limit_is_a_problem_of_its_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    # openpyxl itself writes no cell over Excel's limit, so a lower limit stands in for it
    monkeypatch.setattr(reading, "MAX_FIELD_CHARS", 100)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "received_on", "replied_on"])
    sheet.append(["1", "2026-03-02", "y" * 101])
    sheet.append(["2", "2026-03-03", "2026-03-10"])
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    ledger = read_ledger(path)
    assert [[p.code for p in r.problems] for r in ledger.rows] == \
        [["ledger.field_too_long"], []]
