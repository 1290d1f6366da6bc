"""One exception hierarchy: bad data and bad calls raise; legal outcomes never do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._repr import FieldRepr

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

__all__ = [
    "AnnualReportError",
    "ArgumentError",
    "CalendarCoverageError",
    "CalendarDataError",
    "GovDiscloseError",
    "LedgerError",
    "LimitNotInForceError",
    "NoticeError",
    "Problem",
    "RequestError",
    "RulebookError",
    "UnknownLimitError",
    "UnknownRulebookError",
    "UnknownWorkflowError",
    "format_path",
]


def format_path(path: Sequence[str | int]) -> str:
    """Render a JSON path such as ``$.limits['request.reply'].values[0]``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            out += f".{part}"
        else:  # (a key of a dict passed in may be anything: a float, a tuple)
            out += f"[{part!r}]"
    return out


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Problem(FieldRepr):
    """One thing wrong with an input file, located as precisely as the input allows.

    ``message_zh`` and ``message_en`` say the same in plain words; ``code`` is a
    stable machine-readable identifier (e.g. ``schema.additionalProperties``).
    """

    code: str
    message_zh: str
    message_en: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = ()

    @property
    def location(self) -> str:
        """``file:line:column`` (parts that are unknown are left out)."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {format_path(self.path)}: {self.message_zh} / {self.message_en}"

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping of this problem."""
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": format_path(self.path),
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


class GovDiscloseError(Exception):
    """Base class of every error govdisclose raises on purpose."""


class _ProblemsError(GovDiscloseError):
    """An error carrying every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid input")


class RulebookError(_ProblemsError, ValueError):
    """A rulebook (or other bundled data file) is malformed or inconsistent."""


class CalendarDataError(RulebookError):
    """A holiday-calendar data file (a year file, user or bundled, or the statutory-holiday
    rules) is malformed, missing, or defines a year twice at one level."""


class NoticeError(_ProblemsError, ValueError):
    """A holiday notice's text cannot be read, or what it says fails a check (a stated
    weekday that is wrong, a make-up day on a weekday, a day both off and worked)."""


class ArgumentError(GovDiscloseError, ValueError):
    """A value passed in cannot be used: a negative count, a date where an hour period needs a
    date and time, a restart before the start.  On the command line it is a usage error (exit 2);
    any other ``ValueError`` or ``TypeError`` is a bug: the CLI reports it as an internal error
    (exit 3) with its traceback."""


class RequestError(_ProblemsError, ValueError):
    """A request, item, ledger row or test case given to govdisclose is malformed."""


class UnknownRulebookError(GovDiscloseError, LookupError):
    """No bundled rulebook has this id."""

    def __init__(self, rulebook_id: str, known: Sequence[str], suggestion: str | None) -> None:
        self.rulebook_id = rulebook_id
        self.known = tuple(known)
        self.suggestion = suggestion
        hint = f"; did you mean {suggestion!r}? / 是否指 {suggestion!r}？" if suggestion else ""
        super().__init__(
            f"unknown rulebook {rulebook_id!r} / 没有名为 {rulebook_id!r} 的规则集"
            f" (known: {', '.join(self.known)}){hint}"
        )


class UnknownLimitError(GovDiscloseError, LookupError):
    """The rulebook has no limit with this id."""

    def __init__(self, book: str, limit: str, known: tuple[str, ...]) -> None:
        from ._suggest import did_you_mean, hint_en

        self.book, self.limit = book, limit
        hint = hint_en(did_you_mean(limit, known))
        super().__init__(f"rulebook {book!r} has no limit {limit!r} / 规则集 {book} 中没有时限 "
                         f"{limit}{hint}")


class LimitNotInForceError(GovDiscloseError, LookupError):
    """The limit exists but no value of it is in force on the date asked."""

    def __init__(self, book: str, limit: str, on: date) -> None:
        self.book, self.limit, self.on = book, limit, on
        super().__init__(f"limit {limit!r} of {book!r} is not in force on {on.isoformat()} / "
                         f"时限 {limit} 在 {on.isoformat()} 未生效")


class UnknownWorkflowError(GovDiscloseError, LookupError):
    """The rulebook (and its ancestors) define no workflow of this kind."""

    def __init__(self, book: str, kind: str, known: tuple[str, ...], kind_zh: str) -> None:
        self.book, self.kind, self.known = book, kind, known
        have = ", ".join(known) if known else "none / 无"
        super().__init__(f"rulebook {book!r} has no {kind!r} workflow (it has: {have}) / "
                         f"规则集 {book} 没有{kind_zh}")


class LedgerError(GovDiscloseError):
    """The ledger cannot be read at all (missing file, bad encoding, no required columns)."""


class AnnualReportError(GovDiscloseError, ValueError):
    """The table cannot be built for this call (e.g. a year the format does not cover)."""


class CalendarCoverageError(GovDiscloseError, LookupError):
    """A date lies outside every holiday-calendar source's coverage.

    Attributes:
        year: the year that is not covered.
        first_year, last_year: the covered range (inclusive).
        reach: the years a provisional calendar answers (``None``: not known).  A year outside
            it cannot be answered by ``--provisional`` either, and the message says so instead
            of recommending it.
        provisional: whether the calendar asked was already provisional.
    """

    def __init__(self, year: int, first_year: int, last_year: int, *,
                 reach: tuple[int, int] | None = None, provisional: bool = False) -> None:
        self.year = year
        self.first_year = first_year
        self.last_year = last_year
        self.reach = reach
        self.provisional = provisional
        if provisional or (reach is not None and not reach[0] <= year <= reach[1]):
            span = f"{reach[0]}-{reach[1]}" if reach is not None else \
                f"{first_year}-{last_year}"
            span_zh = f"{reach[0]}—{reach[1]}" if reach is not None else \
                f"{first_year}—{last_year}"
            super().__init__(
                f"no holiday schedule for {year}: the calendar covers {first_year}-{last_year}, "
                f"and provisional mode (--provisional) only {span}. To count in {year}, pass a "
                f"year file for it with --calendar (or GOVDISCLOSE_CALENDAR_PATH); see "
                f"docs/calendar.md. / 缺少 {year} 年的节假日安排：已覆盖 {first_year}—{last_year} 年，"
                f"临时模式（--provisional）也只到 {span_zh} 年；须用 --calendar（或 "
                f"GOVDISCLOSE_CALENDAR_PATH）提供 {year} 年的年度文件。详见 docs/calendar.md。")
            return
        super().__init__(
            f"no official holiday schedule for {year}: the calendar covers "
            f"{first_year}-{last_year}. When the State Council general office's notice for "
            f"{year} is out, run `govdisclose calendar import notice.txt -o "
            f"calendars/{year}.yaml` and pass `--calendar calendars/` (or set "
            "GOVDISCLOSE_CALENDAR_PATH); until then use --provisional (weekends and the "
            "statutory holidays only, results marked provisional). See docs/calendar.md. / "
            f"缺少 {year} 年的法定节假日安排（已覆盖 {first_year}—{last_year} 年）：国务院办公厅"
            f"通知公布后，运行 govdisclose calendar import 通知.txt -o calendars/{year}.yaml，"
            "再加 --calendar calendars/（或设置 GOVDISCLOSE_CALENDAR_PATH）；公布前可用 "
            "--provisional（仅扣除周末和法定节假日，结果标记为临时）。详见 docs/calendar.md。"
        )
