"""pre-commit entry points that take many files (pre-commit appends the changed files).

``python -m govdisclose._hooks audit RULEBOOK [--as-of DATE] [--encoding ENC]
[--calendar PATH] [--provisional] LEDGER...`` audits each ledger in turn and exits with the
worst exit code.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .cli.main import main as cli_main

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] != "audit":
        sys.stderr.write("usage: python -m govdisclose._hooks audit RULEBOOK [OPTIONS] "
                         "LEDGER...\n")
        return 2
    rulebook, rest = args[1], args[2:]
    options: list[str] = []
    files: list[str] = []
    i = 0
    while i < len(rest):
        if rest[i] in ("--as-of", "--encoding", "--calendar"):
            options += rest[i:i + 2]
            i += 2
        elif rest[i] == "--provisional":
            options.append(rest[i])
            i += 1
        else:
            files.append(rest[i])
            i += 1
    worst = 0
    for file in files:
        worst = max(worst, cli_main(["audit", rulebook, file, *options]))
    return worst


if __name__ == "__main__":
    sys.exit(main())
