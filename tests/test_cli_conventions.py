"""Conventions every command keeps: ``--version``, shell completion generated from the
parser, and one message and exit 2 for an input file that is missing or unreadable; the
command table names each command's module."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govdisclose.cli.main import COMMAND_MODULES, COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
REQUEST = str(ROOT / "examples" / "request.json")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"govdisclose {version('govdisclose')}\n"


#: Every command that reads an input file, with the file missing.  ``audit`` words it so
#: first; every other command now says the same.
MISSING = [
    ["evaluate", "national", "{missing}"],
    ["plan", "national", "{missing}"],
    ["audit", "national", "{missing}", "--as-of", "2026-03-02"],
    ["validate", "{missing}"],
    ["test", "{missing}"],
    ["calendar", "import", "{missing}"],
    ["upcoming", "national", "{missing}", "--within", "5", "--as-of", "2026-03-02"],
    ["annual-report", "check", "{missing}"],
    ["graph", "{missing}.yaml"],
    ["compare", "national", "{missing}.yml"],
    ["limits", "{missing}.yaml"],
    ["deadline", "national", "request.reply", "--from", "2026-03-02", "--calendar", "{missing}"],
    ["evaluate", "national", REQUEST, "--calendar", "{missing}"],
]


@pytest.mark.parametrize("argv", MISSING, ids=lambda argv: " ".join(argv[:2]))
def test_missing_input_exits_2_with_one_message(argv: list[str], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    words = [w.replace("{missing}", str(missing)) for w in argv]
    assert main(words) == 2
    err = capsys.readouterr().err
    shown = next(w for w in words if str(missing) in w)
    assert err == f"error: {shown}: no such file / 文件不存在\n"


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="root reads any file; Windows has no mode bits")
def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "r.json"
    locked.write_text("{}", encoding="utf-8")
    locked.chmod(0)
    assert main(["evaluate", "national", str(locked)]) == 2
    assert f"error: {locked}: cannot be read (" in capsys.readouterr().err


def test_a_directory_where_a_file_is_needed(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "national", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path}: is a directory, not a file / 是目录，不是文件\n"


def _complete(script: str, *words: str) -> list[str]:
    """What the generated bash function offers after ``words`` (the last one being typed)."""
    line = " ".join(words)
    probe = (f"{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _govdisclose; "
             'printf "%s\\n" "${COMPREPLY[@]}"')
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completion_from_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert set(_complete(script, "govdisclose", "''")) >= {*COMMANDS, "--version"}
    assert _complete(script, "govdisclose", "val") == ["validate"]
    assert "--format" in _complete(script, "govdisclose", "validate", "--f")
    assert _complete(script, "govdisclose", "validate", "--format", "''") == \
        ["text", "json", "github"]
    assert set(_complete(script, "govdisclose", "calendar", "''")) >= {"import", "list", "show"}
    assert "--amend" in _complete(script, "govdisclose", "calendar", "import", "--")


def test_zsh_completion_uses_bashcompinit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "zsh"]) == 0
    script = capsys.readouterr().out
    assert "bashcompinit" in script and "complete -o default -F _govdisclose govdisclose" in script


def test_completion_runs_through_the_entry_point() -> None:
    done = subprocess.run([sys.executable, "-m", "govdisclose", "completion", "bash"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "_govdisclose" in done.stdout


def test_the_command_table_names_the_module_of_every_command() -> None:
    """``COMMAND_MODULES`` (what running one command imports) agrees with each command
    module's own ``COMMANDS``, in the same order, and no command module is left out."""
    modules = {path.stem for path in (ROOT / "src" / "govdisclose" / "cli").glob("*.py")}
    for module in sorted(modules - {"__init__", "main"}):
        defined = getattr(importlib.import_module(f"govdisclose.cli.{module}"), "COMMANDS", {})
        assert list(defined) == [n for n, m in COMMAND_MODULES.items() if m == module], module
    assert set(COMMAND_MODULES.values()) <= modules
    assert list(COMMANDS) == [*COMMAND_MODULES, "completion"]
    for name in COMMANDS:
        assert COMMANDS[name].help


def test_help_lists_every_command_in_the_tables_order(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines()
              if line.startswith("    ") and not line.startswith("     ")]
    assert listed == list(COMMANDS)
    for name in COMMANDS:
        assert COMMANDS[name].help.split()[0] in out


def test_the_command_table_takes_a_stand_in_and_gives_it_back() -> None:
    from dataclasses import replace

    from govdisclose.cli.main import CommandTable

    table = CommandTable({"deadline": "rulebooks"})
    original = table["deadline"]
    table["deadline"] = replace(original, help="stand-in")
    table["extra"] = original
    assert list(table) == ["deadline", "extra"] and table["deadline"].help == "stand-in"
    del table["extra"]
    assert "extra" not in table and len(table) == 1
    with pytest.raises(KeyError):
        table["nonesuch"]
