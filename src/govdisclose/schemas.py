"""The JSON Schemas govdisclose publishes: its inputs, and every ``--json`` output.

>>> from govdisclose import schemas
>>> "outcome" in schemas.names()
True
>>> schemas.load("deadline")["title"]
'govdisclose deadline --json'

Each schema is JSON Schema 2020-12 with an ``$id``; its ``$ref``s name other schemas of this
set by file name (``outcome.schema.json#/$defs/Deadline``), so they resolve offline with
:func:`registry`.  The files ship in the wheel; :func:`path` gives one's location.

=========================  ====================================================
name                       describes
=========================  ====================================================
``rulebook``               rulebook files (``rules/*.yaml``)
``calendar``               holiday year files; ``calendar import --json``
``request`` / ``item``     evaluate / plan input
``outcome``                ``evaluate --json``, ``plan --json``
``case``                   YAML test cases
``rulebooks``              ``rulebooks --json``
``limits``                 ``limits --json``
``deadline``               ``deadline --json``
``workdays``               ``workdays --json``
``compare``                ``compare --json``
``obligations``            ``obligations --json``
``fee``                    ``fee --json``
``calendar-list``          ``calendar list --json``
``audit``                  ``audit --json``
``annual-report``          ``annual-report --json`` (and ``-full``, ``-check``)
``rulebook-description``   the service's ``GET /v1/rulebooks/{id}``
``service-error``          the service's error answers
=========================  ====================================================
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._paths import schemas_dir

if TYPE_CHECKING:
    from pathlib import Path

    from referencing import Registry

__all__ = ["SUFFIX", "load", "names", "path", "registry"]

#: Every schema file is ``<name>.schema.json``.
SUFFIX = ".schema.json"


def names() -> list[str]:
    """The name of every bundled schema, sorted (``"outcome"``, ``"request"``, …)."""
    return sorted(p.name.removesuffix(SUFFIX) for p in schemas_dir().glob(f"*{SUFFIX}"))


def path(name: str) -> Path:
    """The file of schema ``name``.

    Raises:
        KeyError: no bundled schema has this name (a name is never read as a path).
    """
    if name not in names():
        raise KeyError(name)
    return schemas_dir() / f"{name}{SUFFIX}"


def load(name: str) -> dict[str, Any]:
    """Schema ``name`` as a fresh dict (the caller may change it).

    Raises:
        KeyError: no bundled schema has this name.
    """
    result: dict[str, Any] = json.loads(path(name).read_text(encoding="utf-8"))
    return result


def registry() -> Registry[Any]:
    """A :mod:`referencing` registry of every schema by its ``$id``, for
    ``jsonschema.Draft202012Validator(load(name), registry=registry())``."""
    from referencing import Registry, Resource

    return Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in map(load, names()))
