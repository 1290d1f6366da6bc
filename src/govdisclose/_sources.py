"""Where a cited text is: every ``location:`` resolves to a shipped file, and every line it
names is inside that file.

The texts the rulebooks cite ship with them, under ``rules/sources/`` (official documents are
not protected by copyright, 著作权法 第五条); ``rules/sources/index.yaml`` gives each file's
title, issuing body, document number, date and URL where known.  A ``location`` value is a path
relative to the file that states it — a rulebook in ``rules/`` writes
``sources/huadian.compilation.txt L43-85（副本 B L1241-1285）`` — followed by optional remarks;
every ``L12`` or ``L12-34`` in the remarks is a line (1-based, as an editor numbers them) of
that file.  A location that is a URL (``http://`` or ``https://``) is not fetched.

``govdisclose validate`` reports a location that does not resolve; loading a rulebook does not
look (no file system access beyond the rulebook itself at run time).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ._schema import iter_schema_problems
from ._yaml import load_yaml_file

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from ._yaml import YamlDocument
    from .errors import Problem

__all__ = ["INDEX_NAME", "iter_index_problems", "iter_location_problems"]

#: The file in a sources folder that describes every text in it.
INDEX_NAME = "index.yaml"
_LINE_REF = re.compile(r"(?<![A-Za-z0-9])L(\d+)(?:-(\d+))?(?![0-9])")
_PATH_END = re.compile(r"[\s（(，,；;]")
_URL = ("http://", "https://")


def _line_count(path: Path, cache: dict[Path, int]) -> int:
    if path not in cache:
        cache[path] = len(path.read_text(encoding="utf-8").splitlines())
    return cache[path]


def _locations(data: Any, path: tuple[str | int, ...] = ()
               ) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string stored under a key named ``location``, with its JSON path."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "location" and isinstance(value, str):
                yield (*path, key), value
            else:
                yield from _locations(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _locations(value, (*path, index))


def iter_location_problems(doc: YamlDocument, base: Path) -> Iterator[Problem]:
    """Problems with the ``location`` values of one loaded YAML document.

    Args:
        doc: the document (rulebook or table format), loaded with positions.
        base: the directory its relative paths start from (the document's own folder).
    """
    counts: dict[Path, int] = {}
    for json_path, value in _locations(doc.data):
        text = value.strip()
        if text.startswith(_URL):
            continue
        match = _PATH_END.search(text)
        name = text[:match.start()] if match else text
        target = (base / name).resolve()
        if not name or not target.is_file():
            yield doc.problem(
                json_path, "location.missing",
                f"location 指向的文件不存在：{name or '（空）'}；请把原文放入 sources/ 并写相对路径",
                f"the file named by location does not exist: {name or '(empty)'}; put the text "
                "under sources/ and give a path relative to this file")
            continue
        lines = _line_count(target, counts)
        for ref in _LINE_REF.finditer(text[len(name):]):
            first = int(ref.group(1))
            last = int(ref.group(2)) if ref.group(2) else first
            if not 1 <= first <= last <= lines:
                yield doc.problem(
                    json_path, "location.lines",
                    f"行号 {ref.group(0)} 超出 {name}（共 {lines} 行）或起止颠倒",
                    f"line reference {ref.group(0)} is outside {name} ({lines} lines) "
                    "or reversed")


def iter_index_problems(path: Path) -> Iterator[Problem]:
    """Problems of a sources index: its schema, and every text listed exactly when present."""
    doc = load_yaml_file(path)
    if doc.problems:
        yield from doc.problems
        return
    schema_problems = list(iter_schema_problems("source-texts", doc))
    if schema_problems:
        yield from schema_problems
        return
    listed = doc.data["texts"]
    for name in listed:
        if not (path.parent / name).is_file():
            yield doc.problem(("texts", name), "sources.missing",
                              f"索引列出的原文文件不存在：{name}",
                              f"the index lists a text that is not in the folder: {name}")
    for file in sorted(path.parent.iterdir()):
        if file.is_file() and file.name != INDEX_NAME and file.name not in listed:
            yield doc.problem(("texts",), "sources.unlisted",
                              f"原文文件 {file.name} 未列入索引；请写明标题、发文机关、文号、日期和来源",
                              f"{file.name} is not in the index; give its title, issuer, number, "
                              "date and where it came from")
