"""The bounds of parsing a YAML document (docs/security.md, "Limits"), and the problem an
exceeded one is reported as: read by ``_yaml`` and by ``_yaml_composer`` alike, with no import
of PyYAML."""

from __future__ import annotations

from typing import Any

from .errors import Problem

__all__ = ["MAX_ALIASES", "MAX_ALIAS_NODES", "MAX_DEPTH", "MAX_DOCUMENT_BYTES", "MAX_INTEGER",
           "MAX_NODES", "MAX_SCALAR_CHARS", "located"]

# The limits, far above any real file: the largest bundled one (rules/huadian.yaml) has
# 149,296 bytes, 6,047 nodes, depth 14, no alias and no scalar over 1,256 characters.
#: Largest document, in UTF-8 bytes (about 28 times huadian.yaml).
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
#: Deepest nesting of lists and mappings (the bundled files reach 14).
MAX_DEPTH = 100
#: Most nodes (scalars, lists, mappings) as written (about 16 times huadian.yaml).
MAX_NODES = 100_000
#: Most alias references (``*name``) in a document (the bundled files use none).
MAX_ALIASES = 1_000
#: Most nodes the aliases may add when expanded (a "billion laughs" stops here).
MAX_ALIAS_NODES = 10_000
#: Longest scalar (key or value), in characters.
MAX_SCALAR_CHARS = 65_536
#: Largest integer magnitude (2**53 - 1: exact in every JSON reader); floats must be finite.
MAX_INTEGER = 2**53 - 1


def located(code: str, zh: str, en: str, file: str, mark: Any,
            path: tuple[str | int, ...] = ()) -> Problem:
    """A problem at ``mark`` (a PyYAML or libyaml mark, 0-based; None: no line)."""
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return Problem(code, zh, en, file, line, column, path)
