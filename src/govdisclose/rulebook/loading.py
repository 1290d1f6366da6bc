"""Load rulebook files: strict YAML, schema, semantic checks, inheritance.

``load_rulebook`` raises :class:`RulebookError` carrying *every* problem found,
each located ``file:line:column`` with its JSON path; ``iter_rulebook_errors``
yields the same problems without raising.

A file that loaded cleanly once is read back from the compiled cache (:mod:`.cache`) while
its bytes, the schemas and the code are unchanged; ``iter_rulebook_errors`` (``validate``)
always reads the files.
"""

from __future__ import annotations

import contextlib
import re
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .._cache import CachedFile, active_cache, chain_digest
from .._paths import rules_dir
from .._suggest import did_you_mean, hint_zh
from .._yaml import MAX_DOCUMENT_BYTES, YamlDocument, load_yaml_file, load_yaml_text
from ..errors import Problem, RulebookError, UnknownRulebookError
from .builder import Builder

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from .._cache import RulebookCache
    from .model import Rulebook

__all__ = ["RulebookLibrary", "bundled_library", "current_library", "iter_rulebook_errors",
           "list_rulebooks", "load_rulebook", "project_library", "using_library"]

#: What a rulebook id looks like (``id`` and ``extends`` in schemas/rulebook.schema.json);
#: anything else is never looked up as a file name (no ``..``, no over-long names).
_ID = re.compile(r"[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*")
MAX_ID_LENGTH = 100


class RulebookLibrary:
    """A set of rulebook files found by id; loads each book once, with its ancestors.

    A library is a snapshot: it resolves an id to its file the first time the id is asked
    for and keeps the book it built for as long as the library lives (the bundled library:
    the process).  ``evaluate_request("national", …)`` runs thousands of times a second, and
    an id asked for again costs one dictionary look-up, no file system call.  A file edited
    since is read by a new library (a new process, or ``using_library(RulebookLibrary(…))``).

    Args:
        directories: searched in order for ``<id>.yaml``.
        use_cache: read and write the compiled cache (:mod:`.cache`) unless
            ``GOVDISCLOSE_NO_CACHE`` says otherwise at load time; False: always the files.
    """

    def __init__(self, directories: list[Path], *, use_cache: bool = True) -> None:
        self.directories = list(directories)
        self.use_cache = use_cache
        self._books: dict[Path, Rulebook] = {}
        #: id -> the book loaded for it (ids only: a relative path depends on the cwd)
        self._ids: dict[str, Rulebook] = {}
        #: each loaded book's chain digest (:func:`.cache.chain_digest`); None: not known, so
        #: its children are checked in full and not written to the cache
        self._chains: dict[Path, str | None] = {}

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
        if type(ref) is str and (known := self._ids.get(ref)) is not None:
            return known
        by_id = not isinstance(ref, Path) and not str(ref).endswith((".yaml", ".yml"))
        path = self.find(str(ref)) if by_id else Path(ref)
        book, problems = self._load(path.resolve(), ())
        if problems or book is None:
            raise RulebookError(problems)
        if by_id:
            self._ids[str(ref)] = book
        return book

    def problems(self, path: Path) -> list[Problem]:
        """Every problem of one file (its ancestors' problems are summarised, not repeated),
        including ``location:`` values that do not resolve to a shipped text."""
        from .._sources import iter_location_problems

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
        cache = active_cache() if self.use_cache else None
        content = _read_bounded(path) if cache is not None else None
        if cache is None or content is None:  # no cache, or a file the plain load reports on
            return self._load_file(path, stack, own_only)
        key = cache.key(content)
        entry = cache.read(key)
        if entry is not None:
            try:
                book, problems = self._load_file(path, stack, own_only, key=key, entry=entry,
                                                 cache=cache)
            except Exception:  # an entry that does not build is a miss, not an error
                book, problems = None, []
            if book is not None:
                return book, problems
            # Problems are located only in the file itself (the cached data has no
            # positions): load it again from the bytes, and report from them.
        return self._load_file(path, stack, own_only, key=key, cache=cache,
                               doc=_parse(content, path, _display(path)))

    def _load_file(self, path: Path, stack: tuple[Path, ...], own_only: bool, *,
                   key: str | None = None, entry: CachedFile | None = None,
                   cache: RulebookCache | None = None, doc: YamlDocument | None = None,
                   ) -> tuple[Rulebook | None, list[Problem]]:
        """Check and build one book from ``entry`` (cached data, checked as YAML and against
        the schema when it was written), else from ``doc``, else from the file; with a
        ``cache``, a clean book is written to it under ``key`` (the bytes ``doc`` came from)."""
        display = _display(path)
        if entry is not None:
            doc = YamlDocument(entry.data, None, display)
            problems: list[Problem] = []
        else:
            from .._schema import iter_schema_problems

            if doc is None:
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
        # The chain digest this book builds under: its parent's ("" for a root book); None
        # when the parent's is not known (it was loaded without the cache).
        parent_chain: str | None = ""
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
            parent_chain = self._chains.get(parent_path)
        # Built cleanly before under this very parent chain: the checks that can only report
        # problems would find none again.
        checked = entry is not None and parent_chain == entry.built_under
        builder = Builder(doc, parent, path, checked=checked)
        book = builder.build()
        problems.extend(builder.problems)
        if problems:
            return None, problems
        self._books[path] = book
        if key is not None and parent_chain is not None:
            self._chains[path] = chain_digest(key, parent_chain)
            if cache is not None and not checked:
                cache.write(key, doc.data, parent_chain)
        return book, []


def _read_bounded(path: Path) -> bytes | None:
    """The file's bytes, or None when it cannot be read or is over the loader's size limit."""
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _parse(content: bytes, path: Path, display: str) -> YamlDocument:
    """What :func:`load_yaml_file` makes of the file, from the bytes already read (and
    hashed): the document is exactly the one the key names, even if the file changes now."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:  # the file load words this problem
        return load_yaml_file(path, display)
    # what reading in text mode does (universal newlines)
    return load_yaml_text(text.replace("\r\n", "\n").replace("\r", "\n"), display)


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


def project_library(directories: Sequence[Path] = ()) -> RulebookLibrary:
    """An agency's directories (``rulebooks`` of ``govdisclose.toml``), then the bundled books:
    a local id is found first, and a local book's ``extends: national`` finds the bundled one.
    No directories: the bundled library itself (and its loaded books)."""
    if not directories:
        return bundled_library()
    return RulebookLibrary([*directories, rules_dir()])


#: The library ids are resolved in while a command runs (:func:`using_library`); None: the
#: bundled one.  A context variable, not a global: a server thread or a test that sets it does
#: not change what another sees.
_IN_USE: ContextVar[RulebookLibrary | None] = ContextVar("govdisclose_library", default=None)


def current_library() -> RulebookLibrary:
    """The library in use (:func:`using_library`), else the bundled one."""
    return _IN_USE.get() or bundled_library()


@contextlib.contextmanager
def using_library(library: RulebookLibrary) -> Iterator[RulebookLibrary]:
    """Resolve ids in ``library`` (by :func:`load_rulebook`, the case runner, ``validate``)
    within the block: the CLI runs every command in the agency's library this way."""
    token = _IN_USE.set(library)
    try:
        yield library
    finally:
        _IN_USE.reset(token)


def list_rulebooks() -> list[str]:
    """Ids of the bundled rulebooks."""
    return bundled_library().ids()


def load_rulebook(ref: str | Path) -> Rulebook:
    """Load a rulebook by id (``"huadian"``) or any rulebook file by path.  Ids are looked up
    in the bundled books, or, inside :func:`using_library`, in that library.

    >>> load_rulebook("national").limit("request.reply", date(2026, 3, 2)).amount
    20
    """
    return current_library().load(ref)


def iter_rulebook_errors(path: Path) -> Iterator[Problem]:
    """Every problem in one rulebook file, located; empty when the file is valid.  A parent
    named by ``extends`` is found next to the file, then in the library in use."""
    directories = current_library().directories
    yield from RulebookLibrary(directories, use_cache=False).problems(path)
