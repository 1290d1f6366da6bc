"""The rulebook an engine entry point is given by id, remembered in-process.

``evaluate_request("national", …)`` is called per request, thousands of times a second; going
back to the loader each time (find the file, resolve the path, look the book up) costs more
than the lookup here.  A remembered book is handed out only while the files it was built from
— its own and each ancestor's — keep the modification time and size they had when it was
loaded; after an edit the loader is asked again, as it would have been without the memo.
Paths are not remembered (a relative path depends on the working directory): only ids.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..rulebook.loading import load_rulebook

if TYPE_CHECKING:
    from pathlib import Path

    from ..rulebook.model import Rulebook

__all__ = ["book_for"]

#: rulebook id -> (the files of the book and its ancestors, their stamps when loaded, the book)
_LOADED: dict[str, tuple[tuple[str, ...], tuple[tuple[int, int], ...], Rulebook]] = {}


def _files(book: Rulebook) -> tuple[str, ...]:
    """The files ``book`` was built from: its own and each ancestor's."""
    out = []
    found: Rulebook | None = book
    while found is not None:
        if found.file is not None:
            out.append(str(found.file))
        found = found.parent
    return tuple(out)


def _stamps(files: tuple[str, ...]) -> tuple[tuple[int, int], ...] | None:
    """(modification time in ns, size) of each file; None when one cannot be read (the
    loader then says why)."""
    out = []
    for file in files:
        try:
            # os.stat of a str: a third cheaper than Path.stat, and this runs per request
            stat = os.stat(file)  # noqa: PTH116
        except OSError:
            return None
        out.append((stat.st_mtime_ns, stat.st_size))
    return tuple(out)


def book_for(ref: str | Path) -> Rulebook:
    """``load_rulebook(ref)``, remembered by id while the book's files are unchanged."""
    if not isinstance(ref, str) or ref.endswith((".yaml", ".yml")):
        return load_rulebook(ref)
    memo = _LOADED.get(ref)
    if memo is not None and memo[1] == _stamps(memo[0]):
        return memo[2]
    book = load_rulebook(ref)
    files = _files(book)
    stamps = _stamps(files)
    if stamps:  # a book not read from files (none to watch) is not remembered
        _LOADED[ref] = (files, stamps, book)
    return book
