"""The CLI's help formatter finds the width argparse's own would (without importing shutil)."""

from __future__ import annotations

import argparse

import pytest

from govdisclose.cli.main import _Formatter, build_parser


@pytest.mark.parametrize("columns", ["50", "132", "", "0", "wide"])
def test_the_help_width_is_argparses_own(monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    ours = _Formatter("govdisclose")
    theirs = argparse.HelpFormatter("govdisclose")
    assert ours._width == theirs._width


def test_every_parser_of_the_cli_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    parser = build_parser()
    subparsers = next(a for a in parser._actions
                      if isinstance(a, argparse._SubParsersAction))
    for name, sub in {"govdisclose": parser, **subparsers.choices}.items():
        assert sub.formatter_class is _Formatter, name
        ours = sub.format_help()
        sub.formatter_class = argparse.HelpFormatter
        assert ours == sub.format_help(), name  # the same help as argparse's own formatter
