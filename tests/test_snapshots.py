"""Golden snapshots: what govdisclose computes today, kept byte for byte, so that a change
meant to leave behaviour alone (such as moving modules into subpackages) can show it did.

Three kinds, stored under tests/snapshots/:

* ``examples/<book>/<file>.json``: ``govdisclose evaluate BOOK FILE --as-of 2026-11-20 --json``
  (``plan`` for files whose names start with ``item``) for every ``examples/<book>/*.json``
  and ``*.yaml``, plus ``examples/request.json`` against ``national``; with exit code and
  stderr.
* ``cases/<dir>/<file>.json``: for every case file under tests/cases/, ``{case name: what
  the library computes for it}`` (the deadline as ``govdisclose deadline --json`` prints it
  and its explanation, or the outcome of the request or item, or the error raised), and the
  failures ``govdisclose test`` reports for it (``[]`` when the case passes).
* ``cli/<name>.txt``: stdout, stderr and exit code of each command in ``CLI_COMMANDS``
  (the one hand-kept list; the others follow the files on disk, so a new example or case
  fails here until its snapshot is written, and a snapshot whose source is gone fails too).

To regenerate after a change of behaviour that is meant (then review ``git diff tests/snapshots``):

    GOVDISCLOSE_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshots.py

Without that variable nothing is written: a missing or stale snapshot fails.

Every date is given explicitly (no command reads "today").  JSON is written with
``json.dumps(sort_keys=True, ensure_ascii=False, indent=1)``, so the JSON snapshots pin
values, not the key order or indentation the CLI prints (the .txt snapshots pin text).
Commands run with the repository root as the working directory and are given paths
relative to it (``audit`` prints the ledger path as given).  Normalised: the repository root
is replaced by ``<ROOT>`` wherever it appears, since error messages and problem locations of
bad inputs can carry absolute paths of case and input files (no stored snapshot has one
today).

The CLI is called in-process through the function the installed ``govdisclose`` console
script names (reinstall after changing it in pyproject.toml), and the few internal helpers
needed (case loading and running, input parsing) are looked up by name (``_internal``), so
that moving modules needs no edit here.
"""

from __future__ import annotations

import difflib
import importlib
import json
import os
import pkgutil
import shlex
from datetime import date, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import govdisclose
from govdisclose import (
    GovDiscloseError,
    RequestError,
    evaluate_item,
    evaluate_request,
    limit_deadline,
    load_rulebook,
    official_calendar,
)

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots"
EXAMPLES = ROOT / "examples"
CASES = ROOT / "tests" / "cases"
UPDATE = os.environ.get("GOVDISCLOSE_UPDATE_SNAPSHOTS", "") not in ("", "0")
EXAMPLES_AS_OF = "2026-11-20"

#: snapshot name -> command line (after ``govdisclose``), run from the repository root.
CLI_COMMANDS: dict[str, str] = {
    "rulebooks": "rulebooks",
    "evaluate-national-request": "evaluate national examples/request.json --as-of 2026-04-20",
    "plan-huadian-item-policy-document":
        "plan huadian examples/huadian/item-policy-document.yaml --as-of 2026-11-20",
    "deadline-huadian-request.reply-explain":
        "deadline huadian request.reply --from 2026-09-28 --explain",
    "limits-national": "limits national --on 2026-06-01",
    "compare-national-huadian-kuancheng": "compare national huadian kuancheng --on 2026-06-01",
    "workdays-explain": "workdays 2026-09-28 20 --explain",
    "obligations-yangquan-2026": "obligations yangquan --year 2026",
    "audit-national-huadian-2026":
        "audit national examples/ledgers/huadian-2026.csv --as-of 2026-12-01",
    "audit-huadian-huadian-2026":
        "audit huadian examples/ledgers/huadian-2026.csv --as-of 2026-12-01",
    "annual-report-huadian-2026":
        "annual-report huadian examples/ledgers/huadian-2026.csv --year 2026",
    "annual-report-national-basic-2024":
        "annual-report national tests/data/ledgers/basic-2024.csv --year 2024",
}

# -- locating the code under test ------------------------------------------------------------

#: where internal helpers live today; if a refactor moves one, ``_internal`` finds it anyway.
_WHERE = {"load_cases": "govdisclose.testing.cases", "run_case": "govdisclose.testing.cases",
          "load_document": "govdisclose.engine.request_input",
          "parse_request": "govdisclose.engine.request_input",
          "parse_item": "govdisclose.engine.items"}


def _internal(name: str) -> Callable[..., Any]:
    """An internal function by name: from ``_WHERE``, else the one module defining it."""
    try:
        function: Callable[..., Any] = getattr(importlib.import_module(_WHERE[name]), name)
    except (ImportError, AttributeError):
        pass
    else:
        return function
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(govdisclose.__path__, "govdisclose."):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # optional extras
            continue
        obj = getattr(module, name, None)
        if callable(obj) and getattr(obj, "__module__", None) == info.name:
            found[info.name] = obj
    if len(found) != 1:
        msg = f"cannot locate govdisclose's {name!r} (found in {sorted(found)}); update _WHERE"
        raise LookupError(msg)
    return next(iter(found.values()))


def _cli_main() -> Callable[[list[str]], int]:
    """The function behind the installed ``govdisclose`` console script."""
    (script,) = entry_points(group="console_scripts", name="govdisclose")
    return script.load()  # type: ignore[no-any-return]


# -- serialising -----------------------------------------------------------------------------


def _normalise(text: str) -> str:
    for root in {str(ROOT), ROOT.as_posix()}:
        text = text.replace(json.dumps(root)[1:-1], "<ROOT>").replace(root, "<ROOT>")
    return text


def _dumps(payload: Any) -> str:
    return _normalise(json.dumps(payload, sort_keys=True, ensure_ascii=False, indent=1) + "\n")


def _run_cli(argv: list[str], capsys: pytest.CaptureFixture[str],
             monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(ROOT)
    capsys.readouterr()
    code = _cli_main()(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _check(snapshot: Path, text: str) -> None:
    """Compare ``text`` with the stored snapshot byte for byte (or write it when updating)."""
    data = text.encode("utf-8")
    rel = snapshot.relative_to(ROOT).as_posix()
    if UPDATE:
        if not snapshot.is_file() or snapshot.read_bytes() != data:
            snapshot.parent.mkdir(parents=True, exist_ok=True)
            snapshot.write_bytes(data)
        return
    if not snapshot.is_file():
        pytest.fail(f"missing snapshot {rel}; write it with GOVDISCLOSE_UPDATE_SNAPSHOTS=1 "
                    "python -m pytest tests/test_snapshots.py", pytrace=False)
    stored = snapshot.read_bytes()
    if stored == data:
        return
    diff = "".join(difflib.unified_diff(
        stored.decode("utf-8", "replace").splitlines(keepends=True),
        text.splitlines(keepends=True), f"{rel} (stored)", f"{rel} (now)"))
    pytest.fail(f"output differs from snapshot {rel}:\n{diff}\n(if the change is meant: "
                "GOVDISCLOSE_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py)",
                pytrace=False)


# -- 1. examples -----------------------------------------------------------------------------


def _example_inputs() -> list[tuple[str, Path]]:
    """(rulebook, input) for every example input, as tests/test_examples.py finds them."""
    found = [(p.parent.name, p) for p in sorted(EXAMPLES.glob("*/*"))
             if p.suffix in (".json", ".yaml") and p.parent.name not in ("ci", "ledgers")]
    return [*found, ("national", EXAMPLES / "request.json")]


def _example_snapshot(path: Path) -> Path:
    return SNAPSHOTS / "examples" / f"{path.relative_to(EXAMPLES).as_posix()}.json"


@pytest.mark.parametrize(("book", "path"), [
    pytest.param(book, path, id=path.relative_to(EXAMPLES).as_posix())
    for book, path in _example_inputs()])
def test_example_outcome(book: str, path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    command = "plan" if path.name.startswith("item") else "evaluate"
    argv = [command, book, path.relative_to(ROOT).as_posix(), "--as-of", EXAMPLES_AS_OF,
            "--json"]
    code, out, err = _run_cli(argv, capsys, monkeypatch)
    record: dict[str, Any] = {"command": shlex.join(["govdisclose", *argv]), "exit_code": code,
                              "stderr": err}
    try:
        record["outcome"] = json.loads(out)
    except ValueError:
        record["stdout"] = out
    _check(_example_snapshot(path), _dumps(record))


# -- 2. YAML cases ---------------------------------------------------------------------------


def _case_files() -> list[Path]:
    return sorted(p for p in CASES.rglob("*.yaml") if p.is_file())


def _case_snapshot(path: Path) -> Path:
    return SNAPSHOTS / "cases" / path.relative_to(CASES).with_suffix(".json")


def _start(text: str) -> date | datetime:
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def _input(case: Any, key: str) -> tuple[Any, Any]:
    """A case's inline input ``key`` or the file named by ``key_file``, as the runner reads it."""
    if key in case.data:
        return case.data[key], None
    doc = _internal("load_document")(Path(case.file).parent / case.data[f"{key}_file"])
    if doc.problems:
        raise RequestError(doc.problems)
    return doc.data, doc


def _kind(spec: Any) -> str | None:
    return next((k.removesuffix("_file") for k in ("deadline", "request", "request_file", "item",
                                                    "item_file") if k in spec), None)


def _compute(kind: str | None, case: Any) -> dict[str, Any]:
    """What the library computes for one case, set up as the case runner sets it up."""
    spec = case.data
    book = load_rulebook(case.rulebook)
    if kind == "deadline":
        d = spec["deadline"]
        deadline = limit_deadline(book, d["limit"], _start(d["from"]), calendar=official_calendar(
            provisional=bool(d.get("provisional", False))))
        return {"deadline": {"rulebook": book.id, **deadline.to_json()},
                "explain": deadline.explain().splitlines()}
    if kind not in ("request", "item"):
        return {}
    data, doc = _input(case, kind)
    parsed = _internal(f"parse_{kind}")(data, book, doc=doc)
    if kind == "request":
        as_of = date.fromisoformat(spec.get("as_of") or data.get("received_on")
                                   or data["submitted_on"])
        return {"as_of": as_of.isoformat(),
                "outcome": evaluate_request(book, parsed, as_of=as_of).to_json()}
    item_as_of = date.fromisoformat(spec["as_of"]) if "as_of" in spec else None
    return {"as_of": item_as_of.isoformat() if item_as_of else None,
            "outcome": evaluate_item(book, parsed, as_of=item_as_of).to_json()}


def _case_record(case: Any) -> dict[str, Any]:
    kind = _kind(case.data)
    record: dict[str, Any] = {"kind": kind, "rulebook": case.rulebook}
    try:
        record.update(_compute(kind, case))
    except GovDiscloseError as exc:
        record["error"] = {"type": type(exc).__name__, "message": str(exc)}
    record["runner_failures"] = list(_internal("run_case")(case).failures)
    return record


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: p.relative_to(CASES).as_posix())
def test_case_file_results(path: Path) -> None:
    cases, problems = _internal("load_cases")(path)
    assert not problems, "\n".join(map(str, problems))
    names = [c.name for c in cases]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"case names must be unique within a file to key snapshots: {duplicates}"
    _check(_case_snapshot(path), _dumps({c.name: _case_record(c) for c in cases}))


# -- 3. CLI text -----------------------------------------------------------------------------


def _cli_snapshot(name: str) -> Path:
    return SNAPSHOTS / "cli" / f"{name}.txt"


@pytest.mark.parametrize("name", sorted(CLI_COMMANDS))
def test_cli_text(name: str, capsys: pytest.CaptureFixture[str],
                  monkeypatch: pytest.MonkeyPatch) -> None:
    argv = shlex.split(CLI_COMMANDS[name])
    code, out, err = _run_cli(argv, capsys, monkeypatch)
    text = (f"$ govdisclose {CLI_COMMANDS[name]}\nexit code: {code}\n"
            f"--- stdout ---\n{out}--- stderr ---\n{err}")
    _check(_cli_snapshot(name), _normalise(text))


# -- no snapshot without a source ------------------------------------------------------------


def test_no_stale_snapshots() -> None:
    expected = {_example_snapshot(p) for _, p in _example_inputs()}
    expected |= {_case_snapshot(p) for p in _case_files()}
    expected |= {_cli_snapshot(n) for n in CLI_COMMANDS}
    stored = {p for p in SNAPSHOTS.rglob("*") if p.is_file()} if SNAPSHOTS.is_dir() else set()
    stale = sorted(p.relative_to(ROOT).as_posix() for p in stored - expected)
    if UPDATE:
        for rel in stale:
            (ROOT / rel).unlink()
        return
    assert not stale, (f"snapshots without a source (delete them, or run with "
                       f"GOVDISCLOSE_UPDATE_SNAPSHOTS=1): {stale}")
