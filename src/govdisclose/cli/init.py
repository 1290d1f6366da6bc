"""``govdisclose init DIR``: scaffold an agency rulebook repository.

What is written (never over an existing file): ``govdisclose.toml``; ``rules/<id>.yaml``, a
rulebook extending ``national`` that inserts one local step into the inherited request
workflow (``extends: true`` + ``insert``: no parent step vanishes); ``tests/cases/<id>/``, two
cases and the request one of them reads; ``calendars/``; ``.pre-commit-config.yaml``;
``.github/workflows/govdisclose.yml``; ``README.md``.  The result passes ``govdisclose
validate`` and ``govdisclose test`` as generated (tests/test_init.py).

**Where govdisclose is installed from.**  No package is published, so the CI workflow and the
pre-commit config must name a real source (:func:`detect_source`): ``--source`` when given;
else the source the running govdisclose was installed from (PEP 610 ``direct_url.json``: a
VCS URL with its commit, or a local directory); else, running from a source checkout, that
checkout's path.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from .._repr import FieldRepr
from ..errors import ArgumentError
from .args import EXIT_OK, Command, path_arg

if TYPE_CHECKING:
    import argparse

__all__ = ["COMMANDS", "Source", "detect_source", "scaffold"]

_TEMPLATES = Path(__file__).absolute().parent / "scaffold"
#: A rulebook id (schemas/rulebook.schema.json), one segment: the agency's own book.
_ID = re.compile(r"[a-z][a-z0-9-]{0,60}")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Source(FieldRepr):
    """Where to install govdisclose from.

    Attributes:
        pip: what ``pip install`` takes (``git+URL@REV`` or a path).
        repo: pre-commit's ``repo:`` (a git URL or the path of a git checkout).
        rev: pre-commit's ``rev:`` (a commit or tag of ``repo``).
        found: how it was found, for the message ``init`` prints.
    """

    pip: str
    repo: str
    rev: str
    found: str


def _git(directory: Path, *words: str) -> str | None:
    """``git -C directory words…``'s output, or None (not a work tree, no git, an error)."""
    try:
        done = subprocess.run(["git", "-C", str(directory), *words], capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.strip()
    return out if done.returncode == 0 and out else None


def _git_head(directory: Path) -> str | None:
    """The commit checked out in ``directory``, if it is a git work tree."""
    head = _git(directory, "rev-parse", "HEAD")
    return head if head and re.fullmatch(r"[0-9a-f]{40,64}", head) else None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govdisclose")
    except PackageNotFoundError:
        return "0"


def _from_text(text: str, rev: str | None, found: str) -> Source:
    """A source given as a URL (``https://…``, ``git+…``, ``git@…``) or a local path."""
    if "://" in text or text.startswith("git@"):
        url, pinned = text.removeprefix("git+"), ""
        base, sep, tail = url.rpartition("@")
        if sep and "/" not in tail and "://" in base:  # https://host/repo@v1 pins v1
            url, pinned = base, tail
        chosen = rev or pinned or f"v{_version()}"
        return Source(f"git+{url}@{chosen}", url, chosen, found)
    path = Path(text).expanduser().absolute()
    chosen = rev or _git_head(path) or f"v{_version()}"
    # A checkout cloned from somewhere: CI machines can reach that URL, not this path.
    remote = _git(path, "remote", "get-url", "origin")
    if remote and "://" in remote:
        return Source(f"git+{remote}@{chosen}", remote, chosen, f"{found}, its origin")
    return Source(str(path), str(path), chosen, found)


def detect_source(override: str | None = None, rev: str | None = None) -> Source:
    """Where the running govdisclose came from (see the module's docstring).

    Raises:
        ArgumentError: nothing says where; pass ``--source``.
    """
    if override:
        return _from_text(override, rev, "--source")
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        raw = distribution("govdisclose").read_text("direct_url.json")
    except PackageNotFoundError:
        raw = None
    if raw:
        try:
            info = json.loads(raw)
        except ValueError:
            info = {}
        url = str(info.get("url", ""))
        vcs = info.get("vcs_info")
        if isinstance(vcs, dict) and url:
            commit = rev or str(vcs.get("commit_id") or vcs.get("requested_revision") or "")
            return Source(f"git+{url}@{commit}" if commit else f"git+{url}", url,
                          commit or f"v{_version()}", "direct_url.json (vcs)")
        if "dir_info" in info and url.startswith("file://"):
            return _from_text(unquote(urlparse(url).path), rev, "direct_url.json (directory)")
    # A source checkout run in place (the package two levels below a pyproject.toml).
    checkout = Path(__file__).absolute().parents[3]
    if (checkout / "pyproject.toml").is_file() and (checkout / "rules").is_dir():
        return _from_text(str(checkout), rev, "source checkout")
    msg = ("cannot tell where govdisclose was installed from; pass --source URL_OR_PATH / "
           "无法确定 govdisclose 的安装来源，请用 --source 指定仓库地址或路径")
    raise ArgumentError(msg)


def _files(book_id: str) -> dict[str, str]:
    """Output path → template name."""
    return {"govdisclose.toml": "govdisclose.toml.tmpl",
            f"rules/{book_id}.yaml": "rulebook.yaml.tmpl",
            f"tests/cases/{book_id}/cases.yaml": "cases.yaml.tmpl",
            f"tests/cases/{book_id}/request.json": "request.json.tmpl",
            "calendars/.gitkeep": "",
            ".pre-commit-config.yaml": "pre-commit-config.yaml.tmpl",
            ".github/workflows/govdisclose.yml": "workflow.yml.tmpl",
            "README.md": "README.md.tmpl"}


def scaffold(directory: Path, book_id: str, name: str, name_en: str, source: Source
             ) -> tuple[list[Path], list[Path]]:
    """Write the repository's files; returns (written, kept: already there, left alone)."""
    values = {"id": book_id, "name": name, "name_en": name_en, "pip_source": source.pip,
              "repo": source.repo, "rev": source.rev}
    written: list[Path] = []
    kept: list[Path] = []
    for relative, template in _files(book_id).items():
        target = directory / relative
        text = (_TEMPLATES / template).read_text(encoding="utf-8").format(**values) \
            if template else ""
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrite
                handle.write(text)
        except FileExistsError:
            kept.append(target)
            continue
        written.append(target)
    return written, kept


def _cmd_init(args: argparse.Namespace) -> int:
    book_id = args.id or args.directory.absolute().name.lower()
    if not _ID.fullmatch(book_id):
        if args.id:
            msg = (f"{book_id!r} is not a rulebook id (a-z, 0-9, -; starting with a letter) / "
                   "规则集编号只能由小写字母、数字和连字符组成，以字母开头")
            raise ArgumentError(msg)
        book_id = "agency"
    source = detect_source(args.source, args.rev)
    try:
        written, kept = scaffold(args.directory, book_id, args.name, args.name_en, source)
    except OSError as exc:
        msg = (f"cannot write in {args.directory}: {exc.strerror or exc} / "
               f"无法在 {args.directory} 中写入文件")
        raise ArgumentError(msg) from None
    for path in written:
        print(f"wrote {path}")
    for path in kept:
        print(f"kept {path} (exists; not overwritten / 已存在，未覆盖)", file=sys.stderr)
    print(f"govdisclose from {source.pip} ({source.found}); next: cd {args.directory} && "
          "govdisclose validate rules tests/cases && govdisclose test")
    return EXIT_OK


def _configure_init(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", type=path_arg, metavar="DIR",
                   help="the repository's directory (created if missing)")
    p.add_argument("--id", help="the rulebook's id (default: DIR's name, if it is one, else "
                                "agency)")
    p.add_argument("--name", default="本机关", help="the agency's name (default 本机关)")
    p.add_argument("--name-en", default="the agency", help="the agency's name in English")
    p.add_argument("--source", metavar="URL_OR_PATH",
                   help="where CI and pre-commit install govdisclose from: a git URL or a "
                        "path (default: where this govdisclose was installed from)")
    p.add_argument("--rev", help="the commit or tag of --source to pin (default: its HEAD)")


COMMANDS: dict[str, Command] = {
    "init": Command("scaffold an agency rulebook repository (rulebook, cases, CI, pre-commit)",
                    _configure_init, _cmd_init),
}
