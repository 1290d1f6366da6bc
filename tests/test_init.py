"""``govdisclose init``: the scaffolded agency repository passes validate and test as
generated, adds one step to the inherited workflow without losing a parent step, never
overwrites, and names a real govdisclose source in its CI files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from govdisclose.cli.init import detect_source
from govdisclose.cli.main import main
from govdisclose.rulebook.loading import load_rulebook

if TYPE_CHECKING:
    from govdisclose.rulebook.model import Rulebook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
         ) -> Path:
    target = tmp_path / "moumou"
    assert main(["init", str(target), "--name", "某某局", "--source", str(ROOT)]) == 0
    capsys.readouterr()
    monkeypatch.chdir(target)
    return target


def test_scaffold_passes_validate_and_test(repo: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    assert main(["validate", "rules", "tests/cases"]) == 0
    assert "ok: 2 file(s) valid" in capsys.readouterr().out
    assert main(["test"]) == 0  # no path: the cases of govdisclose.toml
    assert capsys.readouterr().out.splitlines()[-1] == "2 passed, 0 failed"
    # the whole repository: its data, not .pre-commit-config.yaml or the workflow
    assert main(["validate", "."]) == 0


def test_local_step_is_added_and_no_parent_step_vanishes(repo: Path) -> None:
    book = load_rulebook(repo / "rules" / "moumou.yaml")
    steps = _step_ids(book)
    assert "legal_review" in steps
    assert _step_ids(load_rulebook("national")) <= steps
    assert book.workflow("request", date(2026, 3, 2)).removals == ()  # type: ignore[union-attr]


def _step_ids(book: Rulebook) -> set[str]:
    workflow = book.workflow("request", date(2026, 3, 2))
    assert workflow is not None
    return {step.id for step in workflow.steps}


def test_ids_resolve_from_the_project_in_every_command(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "moumou", "request.reply", "--from", "2026-09-28", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2026-10-30"
    assert main(["rulebooks", "--json"]) == 0
    ids = [row["id"] for row in json.loads(capsys.readouterr().out)["rulebooks"]]
    assert "moumou" in ids and "national" in ids
    # from a subdirectory: the settings are found upward
    monkeypatch.chdir(repo / "tests" / "cases")
    assert main(["limits", "moumou", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rulebook"] == "moumou"


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "README.md").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(target), "--id", "moumou", "--source", str(ROOT)]) == 0
    assert (target / "README.md").read_text(encoding="utf-8") == "mine\n"
    assert "kept" in capsys.readouterr().err
    assert main(["init", str(target), "--id", "moumou", "--source", str(ROOT)]) == 0
    assert "wrote" not in capsys.readouterr().out


def test_bad_id_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "x"), "--id", "Bad Id", "--source", str(ROOT)]) == 2
    assert "规则集编号" in capsys.readouterr().err


def test_ci_files_name_the_source_without_placeholder(repo: Path) -> None:
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entry = config["repos"][0]
    assert entry["repo"] == str(ROOT) and entry["rev"]
    assert {h["id"] for h in entry["hooks"]} == {"govdisclose-validate", "govdisclose-test"}
    flow = yaml.safe_load((repo / ".github/workflows/govdisclose.yml").read_text("utf-8"))
    runs = [step.get("run", "") for step in flow["jobs"]["check"]["steps"]]
    assert f"pip install {ROOT}" in runs
    assert "govdisclose validate --format github rules tests/cases" in runs
    text = "".join(p.read_text("utf-8") for p in repo.rglob("*") if p.is_file())
    assert "example.org" not in text and "pip install govdisclose\n" not in text


@pytest.mark.parametrize(("given", "pip", "repo", "rev"), [
    ("https://git.example.gov.cn/ogi/govdisclose", "git+https://git.example.gov.cn/ogi/"
     "govdisclose@abc123", "https://git.example.gov.cn/ogi/govdisclose", "abc123"),
    ("git+https://h/g.git@v1", "git+https://h/g.git@v1", "https://h/g.git", "v1"),
])
def test_source_urls(given: str, pip: str, repo: str, rev: str) -> None:
    found = detect_source(given, "abc123" if "@" not in given else None)
    assert (found.pip, found.repo, found.rev) == (pip, repo, rev)


def test_source_detected_from_the_installation() -> None:
    # This checkout is installed editable (PEP 610 dir_info) or run in place: either way the
    # checkout's own path, pinned to its HEAD commit when it is a git work tree.
    found = detect_source()
    assert Path(found.pip) == ROOT or found.pip.startswith("git+")
    assert found.rev


class _Dist:
    def __init__(self, direct_url: dict[str, object]) -> None:
        self.text = json.dumps(direct_url)

    def read_text(self, name: str) -> str | None:
        return self.text if name == "direct_url.json" else None


def test_source_from_a_vcs_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    info = {"url": "https://git.example.gov.cn/ogi/govdisclose.git",
            "vcs_info": {"vcs": "git", "commit_id": "0" * 40}}
    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: _Dist(info))
    found = detect_source()
    assert found.pip == f"git+https://git.example.gov.cn/ogi/govdisclose.git@{'0' * 40}"
    assert (found.repo, found.rev) == ("https://git.example.gov.cn/ogi/govdisclose.git", "0" * 40)


def test_source_from_a_directory_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.metadata

    info = {"url": tmp_path.as_uri(), "dir_info": {}}
    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: _Dist(info))
    found = detect_source(rev="v9")
    assert (found.pip, found.repo, found.rev) == (str(tmp_path), str(tmp_path), "v9")
