"""The compiled cache: the checked data of each rulebook file and holiday year file, kept
between processes.

Loading a book spends most of its time parsing YAML with positions and checking it against
the JSON Schema.  A file that loaded without a single problem is stored here as the plain
data it parsed to, so a later process skips both steps (and the YAML and schema libraries'
imports); when the book's ancestors are unchanged too, it also skips the builder's checks
that can only ever report a problem (:class:`~govdisclose.rulebook.builder.Builder`,
``checked``).  The model is always built by the same code as a cold load.  The holiday year
files the calendar reads (:func:`govdisclose.periods.year_files.load_year_file`) are kept
the same way, under keys of their own kind: a command that computes one deadline then needs
no YAML at all.

**Key.**  An entry is found by :meth:`RulebookCache.key`: the digest of the file's bytes and
of :func:`fingerprint` -- the cache format, the package version, the Python version, the
content of every bundled JSON Schema, and the size and modification time of every module a
load runs (a source checkout whose loading code changed starts afresh).  The entry also records
``built_under``: the *chain digest* of the parent the file last built cleanly under (``""``
for a root book).  A chain digest (:func:`chain_digest`) hashes a file's key with its
parent's chain digest, so it covers every file up the ``extends`` chain.

**Format.**  A JSON header line (format, key, ``built_under``, digest of the body) and a JSON
body (the data); never pickle, so a file planted in the cache directory is data, not code, and
an entry owned by another user is not read at all.  At most :data:`MAX_ENTRIES` are kept.

**Never an error, never a wrong result.**  An entry that is missing, unreadable, truncated,
corrupt (the body's digest differs), of another format or key is a miss, and the next clean
load rewrites it.  Writes go to a temporary file in the same directory, then ``os.replace``:
a reader sees the old entry or the new one, never half of one; a write that fails is
skipped.  Only a book that loaded without a problem is written; a load from cached data
that finds any problem is redone from the file, so every message keeps its
``file:line:column``.

Where: :func:`~govdisclose._paths.cache_dir` (``GOVDISCLOSE_CACHE_DIR``, else
``$XDG_CACHE_HOME/govdisclose``, else ``~/.cache/govdisclose``); ``GOVDISCLOSE_NO_CACHE=1``
or the CLI's ``--no-cache`` turns it off.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._paths import cache_dir, cache_disabled_by_env, schemas_dir
from ._repr import FieldRepr

__all__ = ["FORMAT", "CachedFile", "RulebookCache", "active_cache", "chain_digest", "digest",
           "fingerprint"]

#: Bumped whenever what an entry holds or means changes.
FORMAT = 2

try:  # BLAKE2b, 256 bits: the interpreter's own module; hashlib would load OpenSSL first (a few
    from _blake2 import blake2b  # milliseconds of every command's start-up)
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b


def digest(data: bytes) -> str:
    """The hex digest every key, chain and body check uses (BLAKE2b, 32 bytes)."""
    return blake2b(data, digest_size=32).hexdigest()


#: The most entries kept: each write beyond it removes the oldest-written ones (a checkout whose
#: code keeps changing would otherwise leave entries behind for ever).
MAX_ENTRIES = 128
#: An entry larger than this is not read (the largest YAML file the loader accepts is 4 MiB;
#: its data as JSON is smaller).
MAX_ENTRY_BYTES = 16 * 1024 * 1024


#: The user whose entries are read (on Windows, where files carry no uid: 0, as their stat says).
_UID = os.getuid() if hasattr(os, "getuid") else 0


@dataclass(frozen=True, repr=False, eq=False)
class CachedFile(FieldRepr):
    """What the cache holds for one file.

    Attributes:
        data: the file's YAML data as it passed the YAML and schema checks.
        built_under: the chain digest of the parent the file last built cleanly under
            (``""``: a root book).
    """

    data: dict[str, Any]
    built_under: str


def _package_version() -> str:
    """The installed distribution's version, from its ``.dist-info`` directory name.

    ``importlib.metadata`` would cost more than a whole cached load.  The directory sits
    beside the package (a regular install) or in site-packages (an editable one); other
    ``sys.path`` entries, the working directory among them, are never listed.
    """
    package_parent = str(Path(__file__).resolve().parent.parent)
    places = [package_parent, *(p for p in sys.path if p.endswith(("site-packages",
                                                                   "dist-packages")))]
    for place in places:
        try:
            with os.scandir(place) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("govdisclose-") and name.endswith(".dist-info"):
                        return name[len("govdisclose-"):-len(".dist-info")]
        except OSError:  # not a directory, or unreadable
            continue
    return "unknown"


#: The packages whose code a load runs: a book is read by the base modules (the package's own
#: top level), ``periods/`` and ``rulebook/`` -- the layers below ``engine/``, which by the
#: architecture rule (docs/architecture.md) import nothing above them.
_LOADING_CODE = ("", "periods", "rulebook")


def _code_signature() -> list[tuple[str, int, int]]:
    """Path, size and modification time of every module a load runs (stat only: cheap)."""
    package = Path(__file__).resolve().parent
    found: list[tuple[str, int, int]] = []
    for sub in _LOADING_CODE:
        with os.scandir(package / sub) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    stat = entry.stat()
                    found.append((entry.path, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What every key shares: format, versions, the schemas' content, the code's signature."""
    found = blake2b(
        f"govdisclose-rulebook-cache {FORMAT} {_package_version()} {sys.version}\n".encode(),
        digest_size=32)
    for path, size, mtime in _code_signature():
        found.update(f"{path} {size} {mtime}\n".encode())
    with os.scandir(schemas_dir()) as entries:  # (not Path.glob: it compiles a pattern)
        schemas = sorted(e.path for e in entries if e.name.endswith(".schema.json"))
    for schema in schemas:
        found.update(f"{Path(schema).name}\n".encode())
        found.update(bytes.fromhex(digest(Path(schema).read_bytes())))
    return found.hexdigest()


def chain_digest(key: str, parent_chain: str) -> str:
    """The digest of a book and all its ancestors: its key and its parent's chain digest."""
    return digest(f"{key}\n{parent_chain}".encode())


class RulebookCache:
    """The entries in one directory (created on the first write)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def key(self, content: bytes, kind: str = "rulebook") -> str:
        """The key of a file of ``kind`` (``rulebook``, ``year-file``) whose bytes are
        ``content``: the same bytes read as another kind of file never share an entry."""
        if kind != "rulebook":
            content = kind.encode() + b"\0" + content
        return digest(fingerprint().encode() + b"\n" + content)

    def _path(self, key: str) -> Path:
        return self.directory / f"rulebook-{key}.json"

    def read(self, key: str) -> CachedFile | None:
        """The entry of ``key``, or None when there is no usable one."""
        try:
            path = self._path(key)
            stat = path.stat()
            # Only this user's own entries: a cache directory others can write to (a shared
            # GOVDISCLOSE_CACHE_DIR) must not let them plant data for a file they can read.
            if stat.st_size > MAX_ENTRY_BYTES or stat.st_uid != _UID:
                return None
            header_line, _, body = path.read_bytes().partition(b"\n")
            header = json.loads(header_line)
            if not (isinstance(header, dict) and header.get("format") == FORMAT
                    and header.get("key") == key
                    and header.get("body_digest") == digest(body)
                    and isinstance(header.get("built_under"), str)):
                return None
            data = json.loads(body)
        except (OSError, ValueError):  # missing, unreadable, not JSON (ValueError covers
            return None                # JSONDecodeError and UnicodeDecodeError)
        if not isinstance(data, dict):
            return None
        return CachedFile(data, header["built_under"])

    def write(self, key: str, data: dict[str, Any], built_under: str) -> None:
        """Store an entry atomically; a cache that cannot be written is skipped silently."""
        try:
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        except (TypeError, ValueError):  # not plain data: nothing to store
            return
        header = json.dumps({"format": FORMAT, "key": key, "built_under": built_under,
                             "body_digest": digest(body)}).encode()
        final = self._path(key)
        temporary = self.directory / f".rulebook-{key}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(header + b"\n" + body)
            temporary.replace(final)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return
        self._prune()

    def _prune(self) -> None:
        """Remove the oldest-written entries beyond :data:`MAX_ENTRIES`, and temporary files a
        killed writer left (older than an hour); anything that cannot be removed stays."""
        now = time.time()
        entries: list[tuple[float, Path]] = []
        try:
            for path in self.directory.iterdir():
                modified = path.stat().st_mtime
                if path.name.startswith("rulebook-") and path.name.endswith(".json"):
                    entries.append((modified, path))
                elif path.name.startswith(".rulebook-") and now - modified > 3600:
                    path.unlink(missing_ok=True)
        except OSError:
            return
        for _, path in sorted(entries)[:max(0, len(entries) - MAX_ENTRIES)]:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def active_cache() -> RulebookCache | None:
    """The cache to use now, or None when ``GOVDISCLOSE_NO_CACHE`` turns it off or there is
    no home directory to put it in."""
    if cache_disabled_by_env():
        return None
    try:
        return RulebookCache(cache_dir())
    except (OSError, RuntimeError):  # Path.home() without HOME or a passwd entry
        return None
