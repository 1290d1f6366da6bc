"""Load rulebook files: strict YAML, schema, semantic checks, inheritance.

``load_rulebook`` raises :class:`RulebookError` carrying *every* problem found,
each located ``file:line:column`` with its JSON path; ``iter_rulebook_errors``
yields the same problems without raising.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .._paths import rules_dir
from .._schema import iter_schema_problems
from .._sources import iter_location_problems
from .._suggest import did_you_mean, hint_zh
from .._yaml import load_yaml_file
from ..errors import Problem, RulebookError, UnknownRulebookError
from .builder import Builder

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .model import Rulebook

__all__ = ["RulebookLibrary", "bundled_library", "iter_rulebook_errors", "list_rulebooks",
           "load_rulebook"]

#: What a rulebook id looks like (``id`` and ``extends`` in schemas/rulebook.schema.json);
#: anything else is never looked up as a file name (no ``..``, no over-long names).
_ID = re.compile(r"[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*")
MAX_ID_LENGTH = 100


class RulebookLibrary:
    """A set of rulebook files found by id; loads each book once, with its ancestors.

    Args:
        directories: searched in order for ``<id>.yaml``.
    """

    def __init__(self, directories: list[Path]) -> None:
        self.directories = list(directories)
        self._books: dict[Path, Rulebook] = {}

    def ids(self) -> list[str]:
        """Ids of every rulebook file in the library's directories."""
        found: dict[str, None] = {}
        for directory in self.directories:
            for path in sorted(directory.glob("*.yaml")):
                found.setdefault(path.stem, None)
        return sorted(found)

    def find(self, rulebook_id: str, near: Path | None = None) -> Path:
        """The file of ``rulebook_id``: next to ``near`` first, then the library's directories.

        Raises:
            UnknownRulebookError: with a did-you-mean suggestion.
        """
        dirs = ([near.parent] if near is not None else []) + self.directories
        if len(rulebook_id) > MAX_ID_LENGTH or not _ID.fullmatch(rulebook_id):
            dirs = []  # not an id: no file can have it
        for directory in dirs:
            candidate = directory / f"{rulebook_id}.yaml"
            if candidate.is_file():
                return candidate
        known = self.ids()
        raise UnknownRulebookError(rulebook_id, known, did_you_mean(rulebook_id, known))

    def load(self, ref: str | Path) -> Rulebook:
        """Load a book by id or path.

        Raises:
            RulebookError: every problem of the book and of its ancestors.
            UnknownRulebookError: no file has this id.
        """
        path = Path(ref) if isinstance(ref, Path) or str(ref).endswith((".yaml", ".yml")) \
            else self.find(str(ref))
        book, problems = self._load(path.resolve(), ())
        if problems or book is None:
            raise RulebookError(problems)
        return book

    def problems(self, path: Path) -> list[Problem]:
        """Every problem of one file (its ancestors' problems are summarised, not repeated),
        including ``location:`` values that do not resolve to a shipped text."""
        resolved = path.resolve()
        _, problems = self._load(resolved, (), own_only=True)
        if not problems:
            doc = load_yaml_file(resolved, _display(resolved))
            problems.extend(iter_location_problems(doc, resolved.parent))
        return problems

    def _load(self, path: Path, stack: tuple[Path, ...], *, own_only: bool = False
              ) -> tuple[Rulebook | None, list[Problem]]:
        if path in self._books:
            return self._books[path], []
        display = _display(path)
        doc = load_yaml_file(path, display)
        problems = list(doc.problems)
        if not problems:
            problems.extend(iter_schema_problems("rulebook", doc))
        if problems:
            return None, problems
        data = doc.data
        if data["id"] != path.stem:
            problems.append(doc.problem(("id",), "rulebook.filename",
                                        f"id {data['id']!r} 与文件名 {path.name} 不一致",
                                        f"id {data['id']!r} does not match the file name "
                                        f"{path.name}; name the file {data['id']}.yaml"))
        parent: Rulebook | None = None
        if "extends" in data:
            try:
                parent_path = self.find(data["extends"], near=path).resolve()
            except UnknownRulebookError as exc:
                problems.append(doc.problem(
                    ("extends",), "rulebook.unknown_parent",
                    f"找不到上级规则集 {data['extends']!r}{hint_zh(exc.suggestion)}",
                    f"unknown parent rulebook {data['extends']!r}"
                    + (f" (did you mean {exc.suggestion!r}?)" if exc.suggestion else "")))
                return None, problems
            if parent_path == path or parent_path in stack:
                problems.append(doc.problem(("extends",), "rulebook.cycle",
                                            f"继承关系成环：{data['extends']}",
                                            f"cyclic extends through {data['extends']!r}"))
                return None, problems
            parent, parent_problems = self._load(parent_path, (*stack, path))
            if parent is None:
                if own_only:
                    problems.append(doc.problem(
                        ("extends",), "rulebook.parent_invalid",
                        f"上级规则集 {data['extends']} 有错误，请先修正",
                        f"the parent rulebook {data['extends']!r} has errors; fix it first"))
                else:
                    problems.extend(parent_problems)
                return None, problems
        builder = Builder(doc, parent, path)
        book = builder.build()
        problems.extend(builder.problems)
        if problems:
            return None, problems
        self._books[path] = book
        return book, []


def _display(path: Path) -> str:
    """A short, stable name for messages: relative to the cwd when below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@lru_cache(maxsize=1)
def bundled_library() -> RulebookLibrary:
    """The library of bundled rulebooks (``rules/``)."""
    return RulebookLibrary([rules_dir()])


def list_rulebooks() -> list[str]:
    """Ids of the bundled rulebooks."""
    return bundled_library().ids()


def load_rulebook(ref: str | Path) -> Rulebook:
    """Load a bundled rulebook by id (``"huadian"``) or any rulebook file by path.

    >>> load_rulebook("national").limit("request.reply", date(2026, 3, 2)).amount
    20
    """
    return bundled_library().load(ref)


def iter_rulebook_errors(path: Path) -> Iterator[Problem]:
    """Every problem in one rulebook file, located; empty when the file is valid."""
    yield from RulebookLibrary([rules_dir()]).problems(path)
