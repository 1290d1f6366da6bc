"""CI recipes that work as copied: ``validate --format``, the hooks' ``files:`` patterns, and
example workflows that install govdisclose from a real source."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from govdisclose.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
BAD = """\
id: broken
name: 坏
extends: national
sources: {}
limits:
  request.reply: {value: -3}
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "rules" / "broken.yaml"
    path.parent.mkdir()
    path.write_text(BAD, encoding="utf-8")
    return path


def test_validate_text_json_and_github_say_the_same(broken: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(broken)]) == 1
    text = [line for line in capsys.readouterr().out.splitlines() if line.startswith(str(broken))]
    assert text

    assert main(["validate", "--format", "json", str(broken)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["files"] == 1
    assert len(report["problems"]) == len(text)
    first = report["problems"][0]
    assert {"code", "file", "line", "column", "path", "message_zh", "message_en"} <= set(first)

    assert main(["validate", "--format", "github", str(broken)]) == 1
    annotations = capsys.readouterr().out.splitlines()
    assert len(annotations) == len(text)
    found = re.fullmatch(r"::error file=([^,]+),line=(\d+),col=(\d+)::(.+)", annotations[0])
    assert found is not None, annotations[0]
    assert found[1] == first["file"].replace(":", "%3A")
    assert (int(found[2]), int(found[3])) == (first["line"], first["column"])
    assert first["message_en"] in found[4]


def test_validate_json_when_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(ROOT / "rules" / "national.yaml")]) == 0
    assert json.loads(capsys.readouterr().out) == {"files": 1, "valid": True, "notes": [],
                                                   "problems": []}


def _hooks() -> dict[str, dict[str, object]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


@pytest.mark.parametrize(("hook", "path", "fires"), [
    ("govdisclose-validate", "rules/moumou.yaml", True),
    ("govdisclose-validate", "tests/cases/moumou/cases.yaml", True),
    ("govdisclose-validate", "calendars/2027.yaml", True),
    ("govdisclose-validate", ".pre-commit-config.yaml", False),
    ("govdisclose-validate", ".github/workflows/govdisclose.yml", False),
    ("govdisclose-validate", "tests/cases/moumou/request.json", False),
    ("govdisclose-test", "tests/cases/moumou/request.json", True),
    ("govdisclose-test", "tests/cases/moumou/item.yml", True),
    ("govdisclose-test", "rules/moumou.yaml", True),
    ("govdisclose-test", ".pre-commit-config.yaml", False),
    ("govdisclose-test", ".github/workflows/govdisclose.yml", False),
    ("govdisclose-audit", "ledger/2026.xlsx", True),
])
def test_hook_files_patterns(hook: str, path: str, fires: bool) -> None:
    # pre-commit matches `files` with re.search on the path from the repository's root
    assert bool(re.search(str(_hooks()[hook]["files"]), path)) is fires


@pytest.mark.parametrize("name", ["ledger-audit.yml", "annual-report-check.yml"])
def test_example_workflows_install_from_a_real_source(name: str) -> None:
    text = (ROOT / "examples" / "ci" / name).read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    runs = [s.get("run", "") for job in flow["jobs"].values() for s in job["steps"]]
    installs = [r for r in runs if "pip install" in r]
    assert installs == ['pip install "${GOVDISCLOSE_SOURCE:-.}"']
    assert "example.org" not in text
    assert not re.search(r"pip install govdisclose\b", text)
