"""The compiled rulebook cache (govdisclose._cache): a hit builds the very book a cold
load builds, anything stale, corrupt or unreadable is ignored and rewritten, problems keep
their file:line, ``--no-cache`` and GOVDISCLOSE_NO_CACHE bypass it, and its files are data."""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from demo_books import DEMO_HEAD

from govdisclose import _cache as cache_module
from govdisclose._cache import MAX_ENTRIES, RulebookCache, active_cache
from govdisclose._paths import CACHE_DIR_ENV, NO_CACHE_ENV, cache_dir, rules_dir
from govdisclose.cli.main import COMMANDS, READS_NO_RULEBOOK, build_parser, main
from govdisclose.rulebook import loading
from govdisclose.rulebook.loading import RulebookLibrary

if TYPE_CHECKING:
    from collections.abc import Iterator

    from govdisclose.errors import Problem

BUNDLED = RulebookLibrary([rules_dir()], use_cache=False).ids()


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test here has its own cache directory, never the user's."""
    directory = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(directory))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    yield directory


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("rulebook-*.json")) if directory.is_dir() else []


def library(*directories: Path, use_cache: bool = True) -> RulebookLibrary:
    """A fresh library (nothing held in memory from an earlier load)."""
    return RulebookLibrary([*directories, rules_dir()], use_cache=use_cache)


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, reading a rulebook file as YAML fails the test."""
    def refuse(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("a rulebook was parsed although the cache holds it")
    monkeypatch.setattr(loading, "load_yaml_file", refuse)
    monkeypatch.setattr(loading, "load_yaml_text", refuse)


def load_problems(lib: RulebookLibrary, path: Path) -> list[Problem]:
    """The problems ``load`` raises for ``path`` (none: an empty list)."""
    from govdisclose.errors import RulebookError

    try:
        lib.load(path)
    except RulebookError as exc:
        return list(exc.problems)
    return []


# -- a hit is the cold load -------------------------------------------------------------------


@pytest.mark.parametrize("book_id", BUNDLED)
def test_a_hit_builds_the_book_a_cold_load_builds(book_id: str, cache_in_tmp: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cold = library(use_cache=False).load(book_id)
    assert entries(cache_in_tmp) == []  # use_cache=False writes nothing
    first = library().load(book_id)  # a miss: loads the files, writes the entries
    assert first == cold
    assert entries(cache_in_tmp)
    no_parsing(monkeypatch)
    hit = library().load(book_id)
    assert hit == cold
    assert hit.file == cold.file


def test_a_fresh_process_loads_every_book_from_the_cache_without_yaml_or_jsonschema(
        cache_in_tmp: Path) -> None:
    code = ("import sys\n"
            "from govdisclose.rulebook.loading import load_rulebook, list_rulebooks\n"
            "books = [load_rulebook(i) for i in list_rulebooks()]\n"
            "print(sorted(m for m in ('yaml', 'jsonschema') if m in sys.modules))\n")
    env = {**os.environ, CACHE_DIR_ENV: str(cache_in_tmp)}

    def run() -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, check=True, timeout=120).stdout.strip()

    run()  # (in a process of its own too: this one's fingerprint is as old as the session)
    assert len(entries(cache_in_tmp)) == len(BUNDLED)
    assert run() == "[]"


# -- stale entries ----------------------------------------------------------------------------


def national_as_json(extra_limits: dict[str, Any] | None = None) -> str:
    """The national book as JSON (which is YAML), with ``extra_limits`` added."""
    from govdisclose._yaml import load_yaml_file

    data = load_yaml_file(rules_dir() / "national.yaml").data
    data = copy.deepcopy(data)
    data["limits"].update(extra_limits or {})
    return json.dumps(data, ensure_ascii=False, indent=1)


def test_an_edited_file_is_loaded_again(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    path = books / "demo.yaml"
    path.write_text(DEMO_HEAD + "description: 第一版\n", encoding="utf-8")
    assert library(books).load(path).description == "第一版"
    path.write_text(DEMO_HEAD + "description: 第二版\n", encoding="utf-8")
    assert library(books).load(path).description == "第二版"
    path.write_text(DEMO_HEAD + "description: 第一版\n", encoding="utf-8")  # back again
    assert library(books).load(path).description == "第一版"


def test_a_changed_parent_checks_the_unchanged_child_again(tmp_path: Path) -> None:
    """The child's entry is valid data, but it was checked under the old parent: under the
    new one its own limit misspells an inherited id, and that is reported, located."""
    books = tmp_path / "books"
    books.mkdir()
    parent, child = books / "national.yaml", books / "demo.yaml"
    national = json.loads(national_as_json())
    parent.write_text(national_as_json(), encoding="utf-8")
    child.write_text(DEMO_HEAD + """\
limits:
  request.fooo_notice:
    label: 新增的时限
    about: request
    values:
      - amount: 5
        unit: working_days
        from: request.received
        cite: {source: demo-rules, article: 第五条}
""", encoding="utf-8")
    assert library(books).load(child).parent.file == parent  # type: ignore[union-attr]
    added = {"request.foo_notice": national["limits"]["request.reply"]}
    parent.write_text(national_as_json(added), encoding="utf-8")
    expected = load_problems(library(books, use_cache=False), child)
    assert [p.code for p in expected] == ["inherit.near_miss"]
    got = load_problems(library(books), child)
    assert got == expected
    assert got[0].line is not None
    assert got[0].line == expected[0].line


def test_a_renamed_file_reports_its_id_located(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    path = books / "demo.yaml"
    path.write_text(DEMO_HEAD, encoding="utf-8")
    library(books).load(path)  # cached under its content
    renamed = path.rename(books / "other.yaml")
    expected = load_problems(library(books, use_cache=False), renamed)
    assert [p.code for p in expected] == ["rulebook.filename"]
    got = load_problems(library(books), renamed)
    assert got == expected
    assert got[0].line == 1


BROKEN = {
    "schema": "limits:\n  request.reply:\n    amout: 3\n",
    "reference": "review_notes:\n  - topic: 说明\n    reading: 说明\n"
                 "    cite: {source: nowhere, article: 第一条}\n",
}


@pytest.mark.parametrize("body", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_book_is_never_cached_and_reports_as_without_the_cache(
        body: str, tmp_path: Path, cache_in_tmp: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    path = books / "demo.yaml"
    path.write_text(DEMO_HEAD + body, encoding="utf-8")
    for _ in range(2):  # and again, with whatever the first load wrote
        got = load_problems(library(books), path)
        assert got
        assert got[0].line is not None
        assert got == load_problems(library(books, use_cache=False), path)
        store = RulebookCache(cache_in_tmp)
        assert store.read(store.key(path.read_bytes())) is None


# -- corrupt, unreadable, foreign entries -----------------------------------------------------


def spoil_truncate(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])


def spoil_garbage(entry: Path) -> None:
    entry.write_bytes(b"\x80\x00 not json at all")


def spoil_empty(entry: Path) -> None:
    entry.write_bytes(b"")


def spoil_body(entry: Path) -> None:
    """Valid JSON still, but not what was written: the body's checksum no longer matches."""
    header, _, body = entry.read_bytes().partition(b"\n")
    assert b'"label"' in body
    entry.write_bytes(header + b"\n" + body.replace(b'"label"', b'"lAbel"', 1))


def spoil_format(entry: Path) -> None:
    header, _, body = entry.read_bytes().partition(b"\n")
    fields = json.loads(header)
    fields["format"] = -1
    entry.write_bytes(json.dumps(fields).encode() + b"\n" + body)


def spoil_directory(entry: Path) -> None:
    """Unreadable: a directory where the file should be."""
    entry.unlink()
    entry.mkdir()


def spoil_shape(entry: Path) -> None:
    body = b"[1, 2, 3]"
    header = {"format": cache_module.FORMAT, "key": entry.stem.removeprefix("rulebook-"),
              "built_under": "", "body_digest": cache_module.digest(body)}
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)


SPOILERS = [spoil_truncate, spoil_garbage, spoil_empty, spoil_body, spoil_format,
            spoil_directory, spoil_shape]


@pytest.mark.parametrize("spoil", SPOILERS, ids=lambda f: f.__name__.removeprefix("spoil_"))
def test_a_spoilt_entry_is_ignored_and_rewritten(spoil: Any, cache_in_tmp: Path) -> None:
    cold = library(use_cache=False).load("huadian")
    library().load("huadian")
    written = entries(cache_in_tmp)
    assert written
    for entry in written:
        spoil(entry)
    assert library().load("huadian") == cold
    if spoil is not spoil_directory:  # a directory cannot be replaced by a file
        assert all(RulebookCache(cache_in_tmp).read(e.stem.removeprefix("rulebook-"))
                   for e in written)


def test_an_entry_under_another_key_is_not_used(cache_in_tmp: Path) -> None:
    library().load("national")
    library().load("kuancheng")
    national_key = RulebookCache(cache_in_tmp).key((rules_dir() / "national.yaml").read_bytes())
    kuancheng_key = RulebookCache(cache_in_tmp).key(
        (rules_dir() / "kuancheng.yaml").read_bytes())
    source = cache_in_tmp / f"rulebook-{kuancheng_key}.json"
    (cache_in_tmp / f"rulebook-{national_key}.json").write_bytes(source.read_bytes())
    assert RulebookCache(cache_in_tmp).read(national_key) is None
    assert library().load("national") == library(use_cache=False).load("national")


def test_entries_of_another_user_are_not_read(cache_in_tmp: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    library().load("national")
    key = RulebookCache(cache_in_tmp).key((rules_dir() / "national.yaml").read_bytes())
    assert RulebookCache(cache_in_tmp).read(key) is not None
    monkeypatch.setattr(cache_module, "_UID", cache_module._UID + 1)  # as another user sees it
    assert RulebookCache(cache_in_tmp).read(key) is None


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker / "cache"))
    assert library().load("yangquan") == library(use_cache=False).load("yangquan")


def test_writes_leave_no_temporary_files_and_old_entries_are_pruned(cache_in_tmp: Path) -> None:
    store = RulebookCache(cache_in_tmp)
    for i in range(MAX_ENTRIES + 5):
        store.write(f"{i:064x}", {"i": i}, "")
        os.utime(cache_in_tmp / f"rulebook-{i:064x}.json", (i, i))  # written in this order
    kept = entries(cache_in_tmp)
    assert len(kept) == MAX_ENTRIES
    assert store.read(f"{0:064x}") is None  # the oldest went first
    assert store.read(f"{MAX_ENTRIES + 4:064x}") is not None
    assert [p for p in cache_in_tmp.iterdir() if p.name.startswith(".")] == []


# -- the format is data -------------------------------------------------------------------------


def test_an_entry_is_two_lines_of_json(cache_in_tmp: Path) -> None:
    library().load("changchun-new-area.sasac")
    for entry in entries(cache_in_tmp):
        header, body = entry.read_text(encoding="utf-8").split("\n", 1)
        assert set(json.loads(header)) == {"format", "key", "built_under", "body_digest"}
        assert isinstance(json.loads(body), dict)


def test_the_cache_never_unpickles() -> None:
    tree = ast.parse(Path(cache_module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in (node.names if isinstance(node, ast.Import)
                              else [ast.alias(node.module or "")])}
    assert not imported & {"pickle", "cPickle", "shelve", "marshal", "dill", "cloudpickle"}


# -- where it lives, and turning it off -------------------------------------------------------


def test_the_cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "govdisclose"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # invalid per XDG: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "govdisclose"


@pytest.mark.parametrize(("value", "off"), [("1", True), ("yes", True), ("0", False),
                                            ("", False)])
def test_the_environment_turns_it_off(value: str, off: bool, cache_in_tmp: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_CACHE_ENV, value)
    assert (active_cache() is None) is off
    library().load("kuancheng")
    assert (entries(cache_in_tmp) == []) is off


def deadline(cache: Path, *extra: str, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process (in this one, books loaded earlier stay in memory)."""
    return subprocess.run(
        [sys.executable, "-m", "govdisclose", "deadline", "national", "request.reply",
         "--from", "2026-12-03", *extra], capture_output=True, text=True, timeout=120,
        check=True, env={**os.environ, CACHE_DIR_ENV: str(cache), **(env or {})})


def test_no_cache_on_the_command_line_and_in_the_environment(cache_in_tmp: Path) -> None:
    plain = deadline(cache_in_tmp, "--no-cache").stdout
    assert entries(cache_in_tmp) == []
    assert deadline(cache_in_tmp, env={NO_CACHE_ENV: "1"}).stdout == plain
    assert entries(cache_in_tmp) == []
    assert deadline(cache_in_tmp).stdout == plain  # writes the entry
    assert entries(cache_in_tmp)
    assert deadline(cache_in_tmp).stdout == plain  # reads it
    assert plain.startswith("request.reply: 20")


def test_every_command_that_reads_rulebooks_takes_no_cache() -> None:
    for name in COMMANDS:
        sub = build_parser(name)._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
        options = {o for action in sub._actions for o in action.option_strings}
        assert ("--no-cache" in options) is (name not in READS_NO_RULEBOOK), name


def test_no_cache_lasts_for_the_command_only(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []

    def record(args: argparse.Namespace) -> int:
        seen.append(os.environ.get(NO_CACHE_ENV))
        return 0

    monkeypatch.setitem(COMMANDS, "fee", replace(COMMANDS["fee"], run=record))
    assert main(["fee", "--requests", "3", "--no-cache"]) == 0
    assert NO_CACHE_ENV not in os.environ
    assert main(["fee", "--requests", "3"]) == 0
    assert seen == ["1", None]


# -- holiday year files (the same store, keys of their own kind) ---------------------------------


def test_a_year_file_is_read_from_the_cache_once_it_loaded_cleanly(
        cache_in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govdisclose._paths import calendars_dir
    from govdisclose.periods import year_files

    path = calendars_dir() / "2026.yaml"
    cold = year_files.load_year_file(path)
    cache = RulebookCache(cache_in_tmp)
    key = cache.key(path.read_bytes(), "year-file")
    assert key != cache.key(path.read_bytes())  # never the entry of a rulebook of those bytes
    assert cache.read(key) is not None

    def refuse(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("the year file was parsed although the cache holds it")
    monkeypatch.setattr(year_files, "load_yaml_file", refuse)
    monkeypatch.setattr("govdisclose._yaml.load_yaml_text", refuse)
    assert year_files.load_year_file(path) == cold


def test_a_broken_year_file_is_never_cached_and_keeps_its_location(cache_in_tmp: Path,
                                                                   tmp_path: Path) -> None:
    from govdisclose._paths import calendars_dir
    from govdisclose.errors import CalendarDataError
    from govdisclose.periods.year_files import ScheduleSource, load_year_file

    broken = tmp_path / "2026.yaml"
    text = (calendars_dir() / "2026.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("year: 2026", "year: 2025", 1), encoding="utf-8")
    for _ in range(2):  # the second time too: nothing was cached, the file is read again
        with pytest.raises(CalendarDataError) as failed:
            load_year_file(broken, source=ScheduleSource.USER)
        assert all(p.line is not None for p in failed.value.problems)
    cache = RulebookCache(cache_in_tmp)
    assert cache.read(cache.key(broken.read_bytes(), "year-file")) is None


def test_a_corrupt_year_file_entry_is_ignored(cache_in_tmp: Path) -> None:
    from govdisclose._paths import calendars_dir
    from govdisclose.periods.year_files import load_year_file

    path = calendars_dir() / "2026.yaml"
    cold = load_year_file(path)
    for entry in entries(cache_in_tmp):
        entry.write_bytes(entry.read_bytes()[:-20])  # truncated: its body hash fails
    assert load_year_file(path) == cold


def test_chinesecalendar_years_are_read_from_the_cache_while_its_data_is_unchanged(
        cache_in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govdisclose.periods import year_files

    from_package = list(year_files._chinesecalendar_tables())
    assert list(year_files.chinesecalendar_years()) == from_package  # computed, written
    assert len(entries(cache_in_tmp)) == 1

    def refuse() -> Any:
        pytest.fail("chinesecalendar was read although the cache holds its years")
    monkeypatch.setattr(year_files, "_chinesecalendar_tables", refuse)
    assert list(year_files.chinesecalendar_years()) == from_package
    # a different data module (an upgrade) is another key: read from the package again
    monkeypatch.setattr(year_files, "_chinesecalendar_stamp", lambda: b"another version")
    with pytest.raises(pytest.fail.Exception, match="chinesecalendar was read"):
        list(year_files.chinesecalendar_years())


def test_a_spoilt_chinesecalendar_entry_is_read_again(cache_in_tmp: Path) -> None:
    from govdisclose.periods import year_files

    from_package = list(year_files._chinesecalendar_tables())
    list(year_files.chinesecalendar_years())
    stamp = year_files._chinesecalendar_stamp()
    assert stamp is not None
    cache = RulebookCache(cache_in_tmp)
    key = cache.key(stamp, "chinesecalendar")
    cache.write(key, {"years": [[2026, [["not a day", "x", "y"]], []]]}, "")
    assert list(year_files.chinesecalendar_years()) == from_package
