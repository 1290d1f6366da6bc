"""The ``govdisclose`` command line.  Exit codes: 0 ok, 1 findings or invalid input, 2 usage
or unreadable input, 3 an internal error (a bug: reported with the version and the traceback).
Every command takes its dates as arguments; none reads "today" unless its help says so.

The command table is explicit: each command module exports its ``COMMANDS``, and
:data:`COMMAND_MODULES` names the module of every command, in the order ``--help`` shows.
Command modules import :mod:`.args`, never each other.

Start-up is part of the interface (scripts call the CLI thousands of times): :func:`main`
imports the module of the one command named and builds that command's parser alone, not all
of them; the command modules import what a command needs when it runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import MutableMapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .._paths import NO_CACHE_ENV
from ..errors import ArgumentError, GovDiscloseError
from .args import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Command
from .console import console_streams

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from .._config import Project

__all__ = ["COMMANDS", "COMMAND_MODULES", "EXIT_INTERNAL", "READS_NO_RULEBOOK", "CommandTable",
           "build_parser", "main"]

#: Exit code of an internal error: an exception that is not a :class:`GovDiscloseError`.
EXIT_INTERNAL = 3

#: The module of this package whose ``COMMANDS`` defines each command, by command name, in
#: the order ``--help`` lists them (``completion``, defined below, comes last).
COMMAND_MODULES: dict[str, str] = {
    "rulebooks": "rulebooks", "validate": "rulebooks", "limits": "rulebooks",
    "deadline": "rulebooks", "workdays": "rulebooks", "test": "rulebooks",
    "compare": "rulebooks",
    "evaluate": "engine", "plan": "engine", "obligations": "engine", "fee": "engine",
    "audit": "ledgers",
    "annual-report": "annual",
    "ledger": "ledger_tools", "upcoming": "ledger_tools",
    "graph": "pictures", "report": "pictures",
    "calendar": "calendar",
    "serve": "serve",
    "init": "init",
}


class CommandTable(MutableMapping[str, Command]):
    """The command table: every command's name, in ``--help`` order, known without importing
    a command module; a command's :class:`~.args.Command` is taken from its module's
    ``COMMANDS`` when first looked up, so running one command imports that module alone.
    Iterating over the names imports nothing; ``values()`` and ``items()`` import them all.
    A command set here (``completion``, or a test's stand-in) is used as it is."""

    def __init__(self, modules: Mapping[str, str]) -> None:
        self._modules: dict[str, str | None] = dict(modules)
        self._commands: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        command = self._commands.get(name)
        if command is None:
            # KeyError: not a command (a command set here is in self._commands: no None left)
            module = self._modules[name]
            defined: dict[str, Command] = import_module(f"{__package__}.{module}").COMMANDS
            command = self._commands[name] = defined[name]
        return command

    def __setitem__(self, name: str, command: Command) -> None:
        self._modules.setdefault(name, None)
        self._commands[name] = command

    def __delitem__(self, name: str) -> None:
        del self._modules[name]
        self._commands.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._modules  # without importing the command's module

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


#: Every command (:class:`CommandTable`): ``COMMANDS[name]`` imports that command's module only.
COMMANDS = CommandTable(COMMAND_MODULES)


def _configure_completion(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=("bash", "zsh"),
                   help="the shell; e.g. `govdisclose completion bash > "
                        "~/.local/share/bash-completion/completions/govdisclose`, or in ~/.zshrc: "
                        "eval \"$(govdisclose completion zsh)\"")


def _cmd_completion(args: argparse.Namespace) -> int:
    # Generated here, from the parser itself, so that it can never disagree with it; no
    # dependency (shtab, argcomplete) for what is a word list per command.
    from .completion import completion_script

    sys.stdout.write(completion_script(build_parser(), args.shell))
    return EXIT_OK


COMMANDS["completion"] = Command("print a shell completion script (bash or zsh)",
                                 _configure_completion, _cmd_completion)

#: The commands that read no rulebook, so have no ``--no-cache``; every other one has it.
READS_NO_RULEBOOK = frozenset({"calendar", "ledger", "init", "completion"})
#: The commands that need no project settings (govdisclose.toml): a broken one must not stop
#: them (``init`` writes one; ``completion`` runs from a shell's start-up file).
NO_PROJECT = frozenset({"init", "completion", "serve"})


class _Version(argparse.Action):
    """``--version``: the installed distribution's version, looked up only when asked (the
    metadata import would slow every other start)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print govdisclose's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        sys.stdout.write(f"govdisclose {_version()}\n")
        parser.exit()


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: ``COLUMNS``, else the
    standard output's terminal, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, given the width its own default would find (less 2, as it
    does) without importing ``shutil``: that import (bz2, lzma, fnmatch) cost every command
    about 2 ms, though help is printed rarely — argparse makes a formatter for every argument
    it adds."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_columns() - 2)


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help uses :class:`_Formatter`; its subcommands' parsers are
    of this class too (argparse makes them of the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the command ``only`` alone (what :func:`main` runs:
    the same parser for that command, without the cost of configuring all the others)."""
    parser = _Parser(
        prog="govdisclose",
        description="政府信息公开规则与期限计算 / Chinese government-information-disclosure "
                    "rules and deadlines")
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS if only is None else [only]:
        command = COMMANDS[name]
        p = sub.add_parser(name, help=command.help, description=command.help)
        command.configure(p)
        if name not in READS_NO_RULEBOOK:
            p.add_argument("--no-cache", action="store_true",
                           help="read the rulebook files themselves, not the compiled cache "
                                "(also GOVDISCLOSE_NO_CACHE=1; the cache lives in "
                                "GOVDISCLOSE_CACHE_DIR, else ~/.cache/govdisclose)")
        p.set_defaults(run=command.run)
    return parser


@contextlib.contextmanager
def _cache_off(off: bool) -> Iterator[None]:
    """``--no-cache``: for the command's duration, what ``GOVDISCLOSE_NO_CACHE=1`` does (worker
    processes it starts inherit it too); the environment is restored afterwards."""
    if not off:
        yield
        return
    saved = os.environ.get(NO_CACHE_ENV)
    os.environ[NO_CACHE_ENV] = "1"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(NO_CACHE_ENV, None)
        else:
            os.environ[NO_CACHE_ENV] = saved


def _project(args: argparse.Namespace) -> Project:
    """The settings of the agency repository the command runs in (none: all empty)."""
    from .._config import Project, find_project

    return Project() if args.command in NO_PROJECT else find_project()


@contextlib.contextmanager
def _project_books(project: Project) -> Iterator[None]:
    """Resolve rulebook ids in the project's directories, then the bundled books, while the
    command runs (nothing to import when the project names none: start-up stays cheap)."""
    if not project.rulebooks:
        yield
        return
    from ..rulebook.loading import project_library, using_library

    with using_library(project_library(project.rulebooks)):
        yield


def _check_rulebook_files(args: argparse.Namespace) -> None:
    """A rulebook named by path (``limits my.yaml``) is an input file like any other: missing
    or unreadable, the same message and exit 2 (:func:`.args.check_input`).  Ids are left to
    the library, which names the known ones."""
    from pathlib import Path

    from .args import check_input

    refs = getattr(args, "rulebooks", None) or [getattr(args, "rulebook", None)]
    for ref in refs:
        if isinstance(ref, str) and ref.endswith((".yaml", ".yml")):
            check_input(Path(ref))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govdisclose")
    except PackageNotFoundError:
        return "unknown"


def _internal_error(argv: Sequence[str] | None) -> int:
    """Report the exception being handled as a bug: what to do, the version, the traceback."""
    import traceback

    shown = " ".join(sys.argv[1:] if argv is None else argv)
    print(f"internal error, please report / 内部错误，请报告: govdisclose {_version()}, Python "
          f"{sys.version.split()[0]}, command: govdisclose {shown}\n"
          "Please report it with this message, the traceback below and the input files "
          "involved. / 请将本信息、以下回溯信息和所涉输入文件一并报告。", file=sys.stderr)
    traceback.print_exc(file=sys.stderr)
    return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (argparse exits 2 itself on a usage error).

    Bad input is a typed error (a :class:`GovDiscloseError`) reported in one located message:
    exit 2 for an :class:`ArgumentError`, 1 for the others.  Any other exception is a bug,
    never reported as if the user had erred: exit 3 with the version and the full traceback
    on stderr.  Output survives any console encoding (:mod:`.console`).
    """
    with console_streams():
        words = sys.argv[1:] if argv is None else list(argv)
        # A command named first: its parser alone; anything else (--help, a typo, nothing)
        # gets the whole parser, whose usage lists every command.
        parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
        try:
            # An input file that cannot be read is refused while parsing (args.InputFile),
            # with the one message every command uses.
            args = parser.parse_args(words)
        except ArgumentError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            _check_rulebook_files(args)
            args.project = _project(args)
            with _cache_off(getattr(args, "no_cache", False)), _project_books(args.project):
                code: int = args.run(args)
        except ArgumentError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except GovDiscloseError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FINDINGS
        except BrokenPipeError:
            return EXIT_OK
        except Exception:
            return _internal_error(argv)
        return code
