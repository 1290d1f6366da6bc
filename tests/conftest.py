"""Collect the YAML cases under tests/cases/ as pytest items (OpenFisca's YamlFile pattern)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from govdisclose.testing.cases import Case, load_cases, run_case

if TYPE_CHECKING:
    from collections.abc import Iterator

CASES = Path(__file__).parent / "cases"

# The compiled rulebook cache of this run: a directory of its own, never the user's (test
# collection already loads books, so it is set before any fixture runs).
_CACHE = tempfile.mkdtemp(prefix="govdisclose-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    os.environ["GOVDISCLOSE_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and CASES in file_path.parents:
        return YamlCaseFile.from_parent(parent, path=file_path)
    return None


class YamlCaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        cases, problems = load_cases(self.path)
        if problems:
            raise CaseFileError("\n".join(str(p) for p in problems))
        for case in cases:
            yield YamlCaseItem.from_parent(self, name=f"{case.line}: {case.name}", case=case)


class CaseFileError(Exception):
    pass


class YamlCaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.case = case

    def runtest(self) -> None:
        result = run_case(self.case)
        if not result.passed:
            raise CaseFailedError(str(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: object = None) -> str:
        if isinstance(excinfo.value, CaseFailedError):
            return str(excinfo.value)
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self.case.line, self.case.name


class CaseFailedError(AssertionError):
    pass
