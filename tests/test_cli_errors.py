"""Bad input is a typed error with a plain message; a programming error is never disguised as
bad input (issue 9: the CLI used to turn any ValueError or TypeError into exit 2)."""

from __future__ import annotations

import pytest

from govdisclose.cli import main
from govdisclose.cli.main import COMMANDS, EXIT_INTERNAL


@pytest.mark.parametrize("argv", [["workdays", "2026-01-01", "-3"], ["fee", "--pages", "-1"],
                                  ["fee", "--requests", "x"], ["workdays", "2026-02-30", "3"]])
def test_bad_arguments_are_usage_errors(argv: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "error" in capsys.readouterr().err


def test_a_bug_is_an_internal_error_with_its_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Not a GovDiscloseError: a bug.  Exit 3, "please report", the version and the traceback.
    from dataclasses import replace

    def broken(_args: object) -> int:
        msg = "a programming error"
        raise ValueError(msg)

    monkeypatch.setitem(COMMANDS, "rulebooks", replace(COMMANDS["rulebooks"], run=broken))
    assert main(["rulebooks"]) == EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert "internal error, please report / 内部错误，请报告: govdisclose " in err
    assert "Traceback (most recent call last)" in err
    assert "ValueError: a programming error" in err
    assert "error: a programming error" not in err  # never shown as if the user had erred


def test_typed_errors_keep_their_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["limits", "no-such-book"]) == 1  # a GovDiscloseError: findings, exit 1
    assert capsys.readouterr().err.startswith("error: unknown rulebook")
    assert main(["fee", "--pages", str(10**18)]) == 2  # an ArgumentError: usage, exit 2
    assert "at most 1,000,000,000" in capsys.readouterr().err


def test_an_hour_limit_needs_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    # huadian's sentiment reports run in hours: a bare date is a usage error naming the fix.
    assert main(["deadline", "huadian", "sentiment.report.major", "--from", "2026-03-02"]) == 2
    assert "2026-03-02T09:30" in capsys.readouterr().err
    assert main(["deadline", "huadian", "sentiment.report.major", "--from",
                 "2026-03-02T09:30"]) == 0
