"""An agency repository's settings: ``govdisclose.toml``, or ``[tool.govdisclose]`` in
``pyproject.toml``, found from a directory upward.

The search starts in the working directory and goes up one parent at a time to the root of
the file system.  In each directory ``govdisclose.toml`` is taken first; a ``pyproject.toml``
counts only when it has a ``[tool.govdisclose]`` table (a Python project without one is
passed by, so the search goes on above it).  The first file found wins; nothing is merged.

Keys (every one optional; paths relative to the file's directory)::

    rulebooks = ["rules"]        # directories of <id>.yaml, searched before the bundled books
    calendars = ["calendars"]    # year files or directories of them, over the bundled data
    cases = ["tests/cases"]      # what ``govdisclose test`` runs when given no path

A file that cannot be read, is not TOML, has an unknown key or a value of the wrong type is a
:class:`~govdisclose.errors.RulebookError` whose problems are located ``file:line:column``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._repr import FieldRepr
from .errors import Problem, RulebookError

__all__ = ["CONFIG_FILE", "PYPROJECT", "Project", "find_project"]

CONFIG_FILE = "govdisclose.toml"
PYPROJECT = "pyproject.toml"
#: The keys a settings table may have: each a list of directory (or file) paths.
KEYS = ("rulebooks", "calendars", "cases")
#: Larger than any settings file needs to be; refused before it is parsed.
MAX_CONFIG_BYTES = 1 << 20
_TABLE = "[tool.govdisclose]"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Project(FieldRepr):
    """The settings in force: where they came from, and the paths they name (absolute).

    ``file`` is None when no settings file was found (every tuple is then empty).
    """

    file: Path | None = None
    rulebooks: tuple[Path, ...] = ()
    calendars: tuple[Path, ...] = ()
    cases: tuple[Path, ...] = ()


def find_project(start: Path | None = None) -> Project:
    """The settings found from ``start`` (default: the working directory) upward.

    Raises:
        RulebookError: the file found is unreadable or malformed (every problem, located).
    """
    here = (start or Path.cwd()).absolute()
    for directory in (here, *here.parents):
        own = directory / CONFIG_FILE
        if own.is_file():
            return _read(own, table=None)
        pyproject = directory / PYPROJECT
        # Cheap test first: most pyproject.toml files name no govdisclose table, and parsing
        # TOML on every command start would be paid by every script calling the CLI.
        if pyproject.is_file() and _TABLE.encode() in _bytes(pyproject):
            return _read(pyproject, table=("tool", "govdisclose"))
    return Project()


def _bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_CONFIG_BYTES + 1)
    except OSError:
        return b""


def _problem(file: Path, text: str, code: str, zh: str, en: str, *, key: str | None = None,
             line: int | None = None, column: int | None = None) -> Problem:
    """A problem of ``file``, located at ``key``'s line when the text has it."""
    if key is not None and line is None:
        found = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
        if found is not None:
            line = text.count("\n", 0, found.start()) + 1
            column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return Problem(code, zh, en, str(file), line, column, (key,) if key else ())


def _read(file: Path, table: tuple[str, ...] | None) -> Project:
    try:
        raw = file.read_bytes()
        if len(raw) > MAX_CONFIG_BYTES:
            raise RulebookError([Problem("config.too_large", "配置文件过大", "settings file too "
                                         f"large (over {MAX_CONFIG_BYTES:,} bytes)", str(file))])
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise RulebookError([Problem("config.unreadable", f"无法读取配置文件：{reason}",
                                     f"cannot read the settings file: {reason}",
                                     str(file))]) from None
    data = _parse(file, text)
    for part in table or ():
        data = data.get(part, {})
    if not isinstance(data, dict):
        raise RulebookError([_problem(file, text, "config.type", "govdisclose 配置应为表",
                                      "the govdisclose settings must be a table",
                                      key=table[-1] if table else None)])
    problems: list[Problem] = []
    values: dict[str, tuple[Path, ...]] = {}
    for key, value in data.items():
        if key not in KEYS:
            problems.append(_problem(file, text, "config.unknown_key", f"未知的配置项 {key!r}"
                                     f"（可用：{', '.join(KEYS)}）", f"unknown setting {key!r} "
                                     f"(known: {', '.join(KEYS)})", key=key))
        elif not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
            problems.append(_problem(file, text, "config.type", f"{key} 应为路径字符串的列表",
                                     f"{key} must be a list of path strings, e.g. "
                                     f'{key} = ["{key}"]', key=key))
        else:
            values[key] = tuple(file.parent / v for v in value)
    for key, paths in values.items():
        problems.extend(_problem(file, text, "config.missing_path",
                                 f"{key} 所列路径不存在：{path}",
                                 f"{key} names a path that does not exist: {path}", key=key)
                        for path in paths if not path.exists())
    if problems:
        raise RulebookError(problems)
    return Project(file, values.get("rulebooks", ()), values.get("calendars", ()),
                   values.get("cases", ()))


def _parse(file: Path, text: str) -> dict[str, Any]:
    """The TOML document; a syntax error located where the parser stopped."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the same parser, published as tomli
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line, column = (int(where[1]), int(where[2])) if where else (None, None)
        if where is None and "end of document" in str(exc):
            line = text.count("\n") + 1
            column = len(text) - (text.rfind("\n") + 1) + 1
        raise RulebookError([_problem(file, text, "config.syntax", f"TOML 语法错误：{message}",
                                      f"TOML syntax error: {message}", line=line,
                                      column=column)]) from None
