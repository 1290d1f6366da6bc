"""An agency repository's settings (govdisclose.toml or [tool.govdisclose]): found upward from
the working directory, malformed files located, ids resolved from the agency's rulebooks,
case paths read from the case file, and validate checking every case's rulebook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govdisclose._config import find_project
from govdisclose.cli.main import main
from govdisclose.errors import RulebookError

ROOT = Path(__file__).resolve().parent.parent

BOOK = """\
id: moumou
name: 某某局
extends: national
sources:
  local: {title: 某某局制度, number: null, date: null}
"""

CASES = """\
rulebook: {ref}
cases:
  - name: 9月28日收到，20个工作日于10月30日届满
    deadline: {{limit: request.reply, from: "2026-09-28"}}
    expect: {{due: "2026-10-30"}}
"""


def _repo(base: Path, config: str = 'rulebooks = ["rules"]\n', name: str = "govdisclose.toml"
          ) -> Path:
    (base / "rules").mkdir(parents=True)
    (base / "rules" / "moumou.yaml").write_text(BOOK, encoding="utf-8")
    (base / name).write_text(config, encoding="utf-8")
    return base


def test_found_from_a_subdirectory(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    project = find_project(deep)
    assert project.file == repo / "govdisclose.toml"
    assert project.rulebooks == (repo / "rules",)


def test_pyproject_counts_only_with_its_table(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", '[tool.govdisclose]\nrulebooks = ["rules"]\n',
                 "pyproject.toml")
    inner = repo / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_project(inner).file == repo / "pyproject.toml"


def test_govdisclose_toml_wins_over_pyproject_in_one_directory(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'cases = ["rules"]\n')
    (repo / "pyproject.toml").write_text('[tool.govdisclose]\nrulebooks = ["rules"]\n',
                                         encoding="utf-8")
    assert find_project(repo).file == repo / "govdisclose.toml"


@pytest.mark.parametrize(("text", "code", "line"), [
    ('rulebooks = ["rules"\n', "config.syntax", 2),
    ('\n\nrulebook = ["rules"]\n', "config.unknown_key", 3),
    ('rulebooks = "rules"\n', "config.type", 1),
    ('calendars = ["nowhere"]\n', "config.missing_path", 1),
])
def test_malformed_settings_are_located(tmp_path: Path, text: str, code: str, line: int) -> None:
    (tmp_path / "govdisclose.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        find_project(tmp_path)
    problem = caught.value.problems[0]
    assert (problem.code, problem.file, problem.line) == (
        code, str(tmp_path / "govdisclose.toml"), line)
    assert problem.message_zh and problem.message_en


def test_malformed_settings_stop_a_command_with_the_location(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    (tmp_path / "govdisclose.toml").write_text("rulebooks = [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["limits", "national"]) == 1
    assert f"{tmp_path / 'govdisclose.toml'}:2:1" in capsys.readouterr().err


def test_cases_name_the_agency_book_and_validate_checks_ids(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    repo = _repo(tmp_path)
    cases = repo / "tests" / "cases"
    cases.mkdir(parents=True)
    (cases / "ok.yaml").write_text(CASES.format(ref="moumou"), encoding="utf-8")
    monkeypatch.chdir(repo)
    assert main(["test", "tests/cases"]) == 0
    assert main(["validate", "rules", "tests/cases"]) == 0
    (cases / "typo.yaml").write_text(CASES.format(ref="moumuo"), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "tests/cases"]) == 1
    out = capsys.readouterr().out
    assert "tests/cases/typo.yaml:1:11: $.rulebook: 找不到规则集 'moumuo'" in out
    assert "moumou" in out  # did you mean


def test_rulebook_paths_in_cases_are_read_from_the_case_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    cases = repo / "tests" / "cases"
    cases.mkdir(parents=True)
    (cases / "by-path.yaml").write_text(CASES.format(ref="../../rules/moumou.yaml"),
                                        encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd in (repo, cases, elsewhere):
        monkeypatch.chdir(cwd)
        assert main(["test", str(cases)]) == 0
        assert main(["validate", str(cases)]) == 0


def test_settings_calendars_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from test_calendar_year_turn import SYNTHETIC_2027

    # 2027 is known only through govdisclose.toml's calendars (synthetic test data).
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "2027.yaml").write_text(SYNTHETIC_2027, encoding="utf-8")
    (tmp_path / "govdisclose.toml").write_text('calendars = ["calendars"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOVDISCLOSE_CALENDAR_PATH", raising=False)
    # 2027-02-04 (四) + 1 working day: 02-05..12 off in the synthetic file → 02-15 (一)
    assert main(["workdays", "2027-02-04", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2027-02-15"
    # --calendar replaces the settings' calendars: the bundled data has no 2027
    (tmp_path / "other").mkdir()
    assert main(["workdays", "2027-02-04", "1", "--calendar", "other"]) == 1


def test_cases_outside_the_cwd_use_the_settings_above_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path / "repo")
    cases = repo / "tests" / "cases"
    cases.mkdir(parents=True)
    (cases / "ok.yaml").write_text(CASES.format(ref="moumou"), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no govdisclose.toml above it
    assert main(["test", str(cases)]) == 0
    assert main(["validate", str(cases)]) == 0


def test_serve_takes_its_directories_from_the_settings_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``govdisclose serve`` without --rules/--calendar uses govdisclose.toml's, as every
    command resolves ids from there; the command line wins where it is given."""
    from govdisclose.cli.main import build_parser
    from govdisclose.cli.serve import service_config

    (tmp_path / "rules").mkdir()
    (tmp_path / "calendars").mkdir()
    (tmp_path / "govdisclose.toml").write_text(
        'rulebooks = ["rules"]\ncalendars = ["calendars"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = service_config(build_parser("serve").parse_args(["serve"]))
    assert config.rules == ((tmp_path / "rules").absolute(),)
    assert config.calendar == ((tmp_path / "calendars").absolute(),)
    other = tmp_path / "other"
    other.mkdir()
    given = service_config(build_parser("serve").parse_args(["serve", "--rules", str(other)]))
    assert given.rules == (other,)
    assert given.calendar == ((tmp_path / "calendars").absolute(),)
