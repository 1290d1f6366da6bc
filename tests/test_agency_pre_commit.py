"""The pre-commit hooks of this repository, run by pre-commit itself on a scaffolded agency
repository: they pass as generated, fire on a changed JSON fixture, and leave the
.pre-commit-config.yaml and the workflow files alone.

pre-commit installs a ``repo:`` by cloning it at ``rev``, so the hooks must come from a git
repository holding the code under test: the working tree of this checkout (tracked and new
files, uncommitted edits included) is committed into a temporary repository first, and
``govdisclose init --source`` points the scaffold at it.  pre-commit then builds the hook's
environment with pip (``language: python``), which needs the package index for the
dependencies: the test is skipped when pre-commit is not installed (extra ``test``), and
when the environment cannot be built (no network).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govdisclose.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit") or shutil.which(
    "pre-commit", path=str(Path(sys.executable).parent))

pytestmark = pytest.mark.skipif(PRE_COMMIT is None or shutil.which("git") is None,
                                reason="pre-commit (extra test) or git not installed")


def _git(cwd: Path, *words: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *words], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


def _snapshot(target: Path) -> Path:
    """This checkout's working tree as one commit of a new repository."""
    listed = _git(ROOT, "ls-files", "-co", "--exclude-standard", "-z").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "snapshot")
    return target


def _pre_commit(repo: Path, home: Path, *words: str) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None
    # offline, pip fails fast instead of retrying every dependency (then the test is skipped)
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_RETRIES": "0",
           "PIP_TIMEOUT": "15"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([PRE_COMMIT, "run", *words], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=900, check=False)


def test_hooks_on_a_scaffolded_repository(tmp_path: Path) -> None:
    source = _snapshot(tmp_path / "govdisclose")
    agency = tmp_path / "agency"
    assert main(["init", str(agency), "--id", "moumou", "--source", str(source)]) == 0
    _git(agency, "init", "-q")
    _git(agency, "add", "-A")
    home = tmp_path / "pre-commit-home"

    first = _pre_commit(agency, home, "--all-files")
    if "An unexpected error has occurred" in first.stdout + first.stderr and \
            "pip" in first.stdout + first.stderr:
        pytest.skip(f"pre-commit could not build the hook environment:\n{first.stdout[-2000:]}")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "govdisclose validate" in first.stdout and "govdisclose test" in first.stdout

    # Only the config and the workflow change: neither hook reads them as rulebooks.
    _git(agency, "commit", "-q", "-m", "scaffold")
    for name in (".pre-commit-config.yaml", ".github/workflows/govdisclose.yml"):
        with (agency / name).open("a", encoding="utf-8") as handle:
            handle.write("# edited\n")
    _git(agency, "add", "-A")
    quiet = _pre_commit(agency, home)
    assert quiet.returncode == 0, quiet.stdout
    assert quiet.stdout.count("(no files to check)Skipped") == 2, quiet.stdout

    # A changed JSON fixture makes the test hook run the cases (and fail here).
    _git(agency, "commit", "-q", "-m", "edits")
    fixture = agency / "tests" / "cases" / "moumou" / "request.json"
    fixture.write_text(fixture.read_text("utf-8").replace("2026-03-20", "2026-04-20"), "utf-8")
    _git(agency, "add", "-A")
    changed = _pre_commit(agency, home)
    assert changed.returncode == 1, changed.stdout
    assert "1 passed, 1 failed" in changed.stdout
