"""Sources belong to the project (issue 10, point 15): every text a rulebook cites ships under
``rules/sources/``, its ``location:`` resolves there, and ``validate`` says when it does not."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from demo_books import DEMO_HEAD

from govdisclose import iter_rulebook_errors, list_rulebooks, load_rulebook
from govdisclose._yaml import load_yaml_file
from govdisclose.cli import main
from govdisclose.cli.rulebooks import validate_paths

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "rules" / "sources"

BOOK = DEMO_HEAD + "    location: {location}\n"


def _write_book(tmp_path: Path, location: str) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "demo.txt").write_text("第一条\n第二条\n第三条\n", encoding="utf-8")
    path = tmp_path / "demo.yaml"
    path.write_text(BOOK.format(location=location), encoding="utf-8")
    return path


@pytest.mark.parametrize("book_id", list_rulebooks())
def test_every_source_of_every_book_is_shipped(book_id: str) -> None:
    book = load_rulebook(book_id)
    assert book.file is not None
    for key, source in book.sources.items():
        if book.parent is not None and key in book.parent.sources:
            continue  # the parent's own test covers it
        assert source.location, f"{book_id}: {key} has no location"
        name = re.split(r"[\s（(]", source.location, maxsplit=1)[0]
        assert name.startswith("sources/"), source.location
        assert (book.file.parent / name).is_file(), source.location


def test_the_bundled_rules_validate_with_their_locations_and_index() -> None:
    count, problems = validate_paths([ROOT / "rules"])
    assert problems == []
    assert count >= 11


def test_a_location_naming_a_missing_file_is_a_located_problem(tmp_path: Path) -> None:
    path = _write_book(tmp_path, "sources/missing.txt L1-2")
    (problem,) = iter_rulebook_errors(path)
    assert problem.code == "location.missing"
    assert problem.line == 9
    assert problem.path == ("sources", "demo-rules", "location")
    assert "missing.txt" in problem.message_zh and "missing.txt" in problem.message_en


def test_line_references_must_be_inside_the_file(tmp_path: Path) -> None:
    # demo.txt has 3 lines: L2-3 and L1 are fine; L3-4 runs past the end; L3-2 is reversed.
    path = _write_book(tmp_path, "sources/demo.txt L2-3（另见 L1；L3-4，L3-2）")
    problems = list(iter_rulebook_errors(path))
    assert [p.code for p in problems] == ["location.lines", "location.lines"]
    assert "L3-4" in problems[0].message_en and "L3-2" in problems[1].message_en


def test_a_good_location_and_a_url_pass(tmp_path: Path) -> None:
    assert list(iter_rulebook_errors(_write_book(tmp_path, "sources/demo.txt L1-3"))) == []
    url = tmp_path / "url"
    url.mkdir()
    assert list(iter_rulebook_errors(_write_book(url, "https://www.gov.cn/x.htm"))) == []


def test_validate_exits_1_on_an_unresolved_location(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_book(tmp_path, "../elsewhere/rules.txt")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "demo.yaml:9" in out and "location" in out


def test_the_index_lists_every_text_with_its_provenance() -> None:
    texts = load_yaml_file(SOURCES / "index.yaml").data["texts"]
    files = {p.name for p in SOURCES.iterdir() if p.name != "index.yaml"}
    assert set(texts) == files
    for name, entry in texts.items():
        assert entry["title"] and entry["provenance"], name
        for key in ("issuer", "number", "date", "url"):
            assert key in entry, (name, key)  # null where unknown, never left out


def test_an_unlisted_or_missing_text_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "index.yaml").write_text(
        "kind: source-texts\ntexts:\n  gone.txt:\n    title: 某办法\n    kind: notes\n"
        "    issuer: null\n    number: null\n    date: null\n    url: null\n"
        "    provenance: 测试\n", encoding="utf-8")
    (folder / "extra.txt").write_text("x\n", encoding="utf-8")
    _, problems = validate_paths([folder])
    assert sorted(p.code for p in problems) == ["sources.missing", "sources.unlisted"]


def test_scraped_texts_keep_the_lines_the_books_cite() -> None:
    # 宽城 第十七条 is the text's last article; the editorial sign-off follows on L34.
    lines = (SOURCES / "kuancheng.disclosure-rules.txt").read_text(encoding="utf-8").splitlines()
    assert lines[33].strip().startswith("初审")
    assert "第十七条" in lines[32]


def test_no_tracked_file_refers_to_a_folder_outside_the_project() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    outside = re.compile(r"\.\./shared/|/work/shared|\bseeds?/\d{3}_|种子")
    offenders = [name for name in tracked
                 if (ROOT / name).is_file() and name != "tests/test_sources.py"
                 and outside.search((ROOT / name).read_text(encoding="utf-8", errors="replace"))]
    assert offenders == []
