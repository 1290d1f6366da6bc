"""YAML test cases written by policy staff (schemas/case.schema.json), and their runner."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._config import find_project
from .._dates import parse_date, parse_moment
from .._repr import FieldRepr
from .._schema import iter_schema_problems
from .._yaml import YamlDocument, load_yaml_file
from ..errors import (
    CalendarCoverageError,
    GovDiscloseError,
    LimitNotInForceError,
    Problem,
    RequestError,
    UnknownLimitError,
)
from ..periods.calendar import official_calendar
from ..rulebook.loading import RulebookLibrary, bundled_library, current_library, project_library

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from ..periods.calendar import OfficialCalendar
    from ..rulebook.model import Rulebook

__all__ = ["Case", "CaseResult", "case_rulebook_problems", "iter_case_files", "library_for",
           "load_cases", "run_case"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Case(FieldRepr):
    """One case of a case file."""

    name: str
    file: str
    line: int | None
    rulebook: str
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class CaseResult(FieldRepr):
    case: Case
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    def __str__(self) -> str:
        where = f"{self.case.file}:{self.case.line}"
        if self.passed:
            return f"PASS {where}: {self.case.name}"
        return f"FAIL {where}: Test '{self.case.name}': " + "; ".join(self.failures)


def iter_case_files(paths: list[Path]) -> Iterator[Path]:
    """YAML files under ``paths`` (files are taken as they are), sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.yaml") if p.is_file())
        else:
            yield path


def load_cases(path: Path) -> tuple[list[Case], list[Problem]]:
    """The cases of one file, or the problems that keep it from being read."""
    doc: YamlDocument = load_yaml_file(path)
    problems = list(doc.problems)
    if not problems:
        problems.extend(iter_schema_problems("case", doc))
    if problems:
        return [], problems
    book = doc.data["rulebook"]
    cases = [Case(c["name"], doc.file, doc.locate(("cases", i))[0],
                  _relative_to(path, c.get("rulebook", book)), c)
             for i, c in enumerate(doc.data["cases"])]
    return cases, []


def _is_path(ref: str) -> bool:
    """A rulebook named by file (``../rules/x.yaml``) rather than by id."""
    return ref.endswith((".yaml", ".yml"))


def _relative_to(case_file: Path, ref: str) -> str:
    """A rulebook path is read from the case file's directory, as ``request_file`` is: a
    case file means the same whatever directory the runner starts in.  Ids are left as they
    are (the library in use resolves them)."""
    if not _is_path(ref) or Path(ref).is_absolute():
        return ref
    return str(case_file.parent / ref)


def library_for(case_file: Path) -> RulebookLibrary:
    """Where a case file's rulebook ids are looked up: the library in use (the CLI sets the
    one of the govdisclose.toml found from the working directory); when that is the bundled
    one, the settings found from the case file's own directory upward — so that
    ``govdisclose test /path/to/agency/tests/cases`` works from anywhere."""
    lib = current_library()
    if lib is not bundled_library():
        return lib
    return _library_of(find_project(case_file.absolute().parent).rulebooks)


@lru_cache(maxsize=8)
def _library_of(directories: tuple[Path, ...]) -> RulebookLibrary:
    return project_library(directories)


def case_rulebook_problems(path: Path, library: RulebookLibrary | None = None) -> list[Problem]:
    """Each ``rulebook`` of a valid case file that names no rulebook: an id the library in
    use (the project's, then the bundled books) does not have, or a path with no file.
    Located at the key; ``validate`` reports them."""
    lib = library or library_for(path)
    doc = load_yaml_file(path)
    if doc.problems or not isinstance(doc.data, dict):
        return []
    wheres: list[tuple[tuple[str | int, ...], Any]] = [(("rulebook",), doc.data.get("rulebook"))]
    wheres += [(("cases", i, "rulebook"), c.get("rulebook"))
               for i, c in enumerate(doc.data.get("cases") or []) if isinstance(c, dict)]
    problems: list[Problem] = []
    for where, ref in wheres:
        if not isinstance(ref, str):
            continue
        if _is_path(ref):
            if not Path(_relative_to(path, ref)).is_file():
                problems.append(doc.problem(where, "case.unknown_rulebook",
                                            f"规则集文件不存在：{ref}（相对于用例文件所在目录）",
                                            f"no rulebook file {ref} (read from the case "
                                            "file's directory)"))
            continue
        try:
            lib.find(ref)
        except GovDiscloseError as exc:
            problems.append(doc.problem(where, "case.unknown_rulebook", f"找不到规则集 {ref!r}"
                                        "（govdisclose.toml 的 rulebooks 目录和附带规则集中均无）",
                                        f"{exc} (looked in govdisclose.toml's rulebooks, then "
                                        "the bundled books)"))
    return problems


def _run_deadline(book: Rulebook, case: Case, cal: _CalendarChoice) -> list[str]:
    from ..engine.limits import limit_deadline

    spec = case.data["deadline"]
    expect = case.data["expect"]
    calendar = cal.get(bool(spec.get("provisional", False)))
    try:
        deadline = limit_deadline(book, spec["limit"], parse_moment(spec["from"]),
                                  calendar=calendar)
    except CalendarCoverageError as exc:
        if expect.get("error") == "calendar_coverage":
            return []
        return [f"unexpected calendar coverage error: {exc}"]
    except UnknownLimitError as exc:
        return [] if expect.get("error") == "unknown_limit" else [str(exc)]
    except LimitNotInForceError as exc:
        return [] if expect.get("error") == "not_in_force" else [str(exc)]
    failures = []
    if "error" in expect:
        failures.append(f"expected error {expect['error']}, got due {deadline.due}")
    got = deadline.to_json()
    for key in ("due", "amount", "unit", "provisional"):
        if key in expect and got[key] != expect[key]:
            failures.append(f"{key}: expected {expect[key]!r}, got {got[key]!r}")
    text = deadline.explain()
    for needle in expect.get("trace_contains", []):
        if needle not in text:
            failures.append(f"trace does not contain {needle!r}")
    return failures


def _compare_common(got: Mapping[str, Any], expect: Mapping[str, Any]) -> list[str]:
    from .._schema import validator

    failures = [f"outcome does not match schemas/outcome.schema.json: {e.message}"
                for e in validator("outcome").iter_errors(got)]
    for key, due in expect.get("deadlines", {}).items():
        # ``null`` expects the deadline to be absent or not yet determinable.
        actual = got["deadlines"][key]["due"] if key in got["deadlines"] else (
            None if due is None else "(absent)")
        if actual != due:
            failures.append(f"deadline {key}: expected {due!r}, got {actual!r}")
    if "violations" in expect:
        codes = sorted(v["code"] for v in got["violations"])
        if codes != sorted(expect["violations"]):
            failures.append(f"violations: expected {sorted(expect['violations'])}, got {codes}")
    if "filings" in expect:
        filings = {f["id"]: f["due"] for f in got.get("filings", [])}
        if filings != expect["filings"]:
            failures.append(f"filings: expected {expect['filings']}, got {filings}")
    if "requirements" in expect:
        ids = sorted(r["id"] for r in got.get("requirements", []))
        if ids != sorted(expect["requirements"]):
            failures.append(f"requirements: expected {sorted(expect['requirements'])}, got {ids}")
    text = json.dumps(got["trace"], ensure_ascii=False) + json.dumps(
        [d["trace"] for d in got["deadlines"].values()], ensure_ascii=False)
    failures.extend(f"trace does not contain {needle!r}"
                    for needle in expect.get("trace_contains", []) if needle not in text)
    return failures


def _input(case: Case, key: str) -> tuple[Any, YamlDocument | None]:
    """The inline input ``key`` or the file named by ``key_file`` (relative to the case)."""
    from ..engine.request_input import load_document

    if key in case.data:
        return case.data[key], None
    path = Path(case.file).parent / case.data[f"{key}_file"]
    doc = load_document(path)
    if doc.problems:
        raise RequestError(doc.problems)
    return doc.data, doc


def _run_request(book: Rulebook, case: Case, cal: _CalendarChoice) -> list[str]:
    from ..engine.request_input import parse_request
    from ..engine.requests import evaluate_request

    expect = case.data["expect"]
    data, doc = _input(case, "request")
    request = parse_request(data, book, doc=doc)
    as_of = parse_date(case.data.get("as_of") or data.get("received_on")
                               or data["submitted_on"])
    got = evaluate_request(book, request, as_of=as_of, calendar=cal.get(False)).to_json()
    failures = _compare_common(got, expect)
    if "state" in expect and got["status"]["state"] != expect["state"]:
        failures.append(f"state: expected {expect['state']!r}, got {got['status']['state']!r}")
    reply = got["reply"] or {}
    for key, field in (("reply", "type"), ("notice", "notice")):
        if key in expect and reply.get(field) != expect[key]:
            failures.append(f"{key}: expected {expect[key]!r}, got {reply.get(field)!r}")
    if "steps" in expect:
        steps = [s["id"] for s in got["steps"]]
        if steps != expect["steps"]:
            failures.append(f"steps: expected {expect['steps']}, got {steps}")
    return failures


def _run_item(book: Rulebook, case: Case, cal: _CalendarChoice) -> list[str]:
    from ..engine.items import evaluate_item, parse_item

    expect = case.data["expect"]
    data, doc = _input(case, "item")
    item = parse_item(data, book, doc=doc)
    as_of = parse_date(case.data["as_of"]) if "as_of" in case.data else None
    got = evaluate_item(book, item, as_of=as_of, calendar=cal.get(False)).to_json()
    failures = _compare_common(got, expect)
    if "review" in expect:
        review = [s["id"] for s in got["review"]]
        if review != expect["review"]:
            failures.append(f"review: expected {expect['review']}, got {review}")
    return failures


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class _CalendarChoice(FieldRepr):
    """The calendar a run asks for: user paths, and provisional for every case or per case."""

    paths: Sequence[Path] | None
    provisional: bool

    def get(self, case_provisional: bool) -> OfficialCalendar:
        return official_calendar(provisional=self.provisional or case_provisional,
                                 extra=self.paths)


#: case kind -> runner
RUNNERS: dict[str, Callable[[Rulebook, Case, _CalendarChoice], list[str]]] = {
    "deadline": _run_deadline, "request": _run_request, "request_file": _run_request,
    "item": _run_item, "item_file": _run_item}


def run_case(case: Case, library: RulebookLibrary | None = None, *,
             calendar_paths: Sequence[Path] | None = None, provisional: bool = False) -> CaseResult:
    """Run one case; a bad rulebook or input is reported as a failure, never raised.

    ``calendar_paths`` and ``provisional`` choose the calendar as ``official_calendar`` does
    (``None``: GOVDISCLOSE_CALENDAR_PATH); a case's own ``provisional: true`` also counts.
    """
    cal = _CalendarChoice(calendar_paths, provisional)
    try:
        book = (library or library_for(Path(case.file))).load(case.rulebook)
        for kind, runner in RUNNERS.items():
            if kind in case.data:
                return CaseResult(case, tuple(runner(book, case, cal)))
        return CaseResult(case, ("no runner for this case kind",))
    except RequestError as exc:
        return CaseResult(case, (f"invalid input: {exc}",))
    except GovDiscloseError as exc:
        return CaseResult(case, (f"{type(exc).__name__}: {exc}",))
