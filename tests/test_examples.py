"""Every example under examples/ runs, and the README's Python block is the quickstart."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(path: Path) -> None:
    runpy.run_path(str(path), run_name="__main__")


def test_readme_python_block_is_the_quickstart_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    example = (ROOT / "examples" / "quickstart.py").read_text(encoding="utf-8")
    body = example.split('from __future__ import annotations\n\n', 1)[1]
    assert block.group(1).strip() == body.strip()


def _example_inputs() -> list[Path]:
    return sorted(p for p in (ROOT / "examples").glob("*/*")
                  if p.suffix in (".json", ".yaml") and p.parent.name not in ("ci", "ledgers"))


def test_every_example_input_is_checked_by_a_case() -> None:
    referenced = set()
    for case_file in (ROOT / "tests" / "cases").rglob("*.yaml"):
        text = case_file.read_text(encoding="utf-8")
        for line in text.splitlines():
            if "request_file:" in line or "item_file:" in line:
                rel = line.split(":", 1)[1].strip().strip("'\"")
                referenced.add((case_file.parent / rel).resolve())
    missing = [p for p in _example_inputs() if p.resolve() not in referenced]
    assert not missing, missing


@pytest.mark.parametrize("path", _example_inputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_runs_from_the_cli_and_matches_the_outcome_schema(
        path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from govdisclose._schema import validator
    from govdisclose.cli import main

    book = path.parent.name
    command = "plan" if path.name.startswith("item") else "evaluate"
    assert main([command, book, str(path), "--as-of", "2026-11-20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e.message for e in validator("outcome").iter_errors(out)] == []
