"""Start-up stays cheap (issue 12): ``import govdisclose`` and a CLI call import only what they
use.  Structural checks (which modules a fresh interpreter holds), never timings; the figures
are benchmarks/bench_startup.py's."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

import govdisclose
from govdisclose._paths import CACHE_DIR_ENV, NO_CACHE_ENV

if TYPE_CHECKING:
    from pathlib import Path

#: What neither ``import govdisclose`` nor the deadline command may load: schema validation,
#: YAML, Excel, HTML templates.
HEAVY = ("jsonschema", "yaml", "openpyxl", "jinja2")


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Subprocesses started here use a cache directory of their own, never the user's."""
    directory = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(directory))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    return directory


def all_modules_after(code: str) -> set[str]:
    """Every module (full dotted name) a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120, env=dict(os.environ))
    return set(json.loads(out.stdout.splitlines()[-1]))


def modules_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after running ``code``."""
    return {name.split(".")[0] for name in all_modules_after(code)}


def test_import_govdisclose_loads_nothing_heavy() -> None:
    loaded = modules_after("import govdisclose")
    assert loaded.isdisjoint(HEAVY)
    # nor the package's own layers: each is imported when a name from it is first used
    names = subprocess.run(
        [sys.executable, "-c", "import govdisclose, sys; "
         "print(sorted(m for m in sys.modules if m.startswith('govdisclose.')))"],
        capture_output=True, text=True, check=True, timeout=120).stdout.strip()
    assert names == "[]"


def test_the_public_names_are_the_modules_objects() -> None:
    exports = govdisclose._EXPORTS
    assert set(exports) == set(govdisclose.__all__)
    for name in govdisclose.__all__:
        module = importlib.import_module(f"govdisclose.{exports[name]}")
        assert getattr(govdisclose, name) is getattr(module, name)
    assert set(govdisclose.__all__) <= set(dir(govdisclose))


def test_a_name_that_is_not_public_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        govdisclose.nonesuch  # noqa: B018
    assert not hasattr(govdisclose, "load_rulebooks")


def test_star_import_and_from_import_work_in_a_fresh_interpreter() -> None:
    code = ("from govdisclose import *\n"
            "from govdisclose import load_rulebook, add_working_days\n"
            "from datetime import date\n"
            "assert add_working_days(date(2026, 9, 28), 20) == date(2026, 10, 30)\n"
            "assert Rulebook is type(load_rulebook('national'))\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


DEADLINE = ("from govdisclose.cli.main import main\n"
            "code = main(['deadline', 'national', 'request.reply', '--from', '2026-12-03'])\n"
            "assert code == 0, code\n")


def test_the_deadline_command_parses_no_rulebook_once_it_is_cached() -> None:
    """The second call reads the book and the calendar's year file from the cache: parsing
    the book would fail the run, and PyYAML is not even imported."""
    modules_after(DEADLINE)  # writes the cache
    refuse = ("import govdisclose.rulebook.loading as loading\n"
              "def refuse(*args, **kwargs):\n"
              "    raise AssertionError('a rulebook was parsed')\n"
              "loading.load_yaml_file = loading.load_yaml_text = refuse\n")
    loaded = modules_after(refuse + DEADLINE)
    assert "jsonschema" not in loaded
    assert "yaml" not in loaded


def test_the_deadline_command_loads_no_excel_or_html_code() -> None:
    modules_after(DEADLINE)  # writes the cache
    assert modules_after(DEADLINE).isdisjoint({"openpyxl", "jinja2", "jsonschema"})


def test_the_deadline_command_imports_no_other_command() -> None:
    """Running one command imports its own command module, not the others' (cli.main's
    COMMAND_MODULES), nor what only they need: ``init``'s subprocess, ``calendar``'s calendar
    module; nor decimal, which only spreadsheet cells need (outputs.escaping)."""
    modules_after(DEADLINE)  # writes the cache
    loaded = all_modules_after(DEADLINE)
    assert {m for m in loaded if m.startswith("govdisclose.cli.")} == {
        "govdisclose.cli.main", "govdisclose.cli.args", "govdisclose.cli.console",
        "govdisclose.cli.rulebooks"}
    assert loaded.isdisjoint({"subprocess", "calendar", "decimal"})


def test_a_cached_deadline_command_checks_no_schema_nor_imports_chinesecalendar() -> None:
    """From the cache, neither the book nor the year file is checked against a schema again
    (their keys hold the schemas' content), chinesecalendar's years are read without importing
    it, and difflib is loaded only to suggest a name."""
    modules_after(DEADLINE)  # writes the cache
    loaded = all_modules_after(DEADLINE)
    assert loaded.isdisjoint({"govdisclose._schema", "difflib", "chinese_calendar"})


def test_naming_the_commands_imports_no_command_module() -> None:
    loaded = all_modules_after("from govdisclose.cli.main import COMMANDS\n"
                               "assert 'deadline' in COMMANDS and 'nonesuch' not in COMMANDS\n"
                               "assert list(COMMANDS)[-1] == 'completion'\n")
    assert {m for m in loaded if m.startswith("govdisclose.cli.")} == {
        "govdisclose.cli.main", "govdisclose.cli.args", "govdisclose.cli.console"}
