"""Dates in input, and the one place they are parsed.

Documents govdisclose defines (rulebooks, year files, requests, items, cases, command-line
arguments) write dates as ISO ``YYYY-MM-DD``.  Ledgers (台账) are kept by hand, in Excel, and
also write ``2026/3/2``, ``2026.3.2``, ``2026年3月2日`` and full-width digits; ``lenient=True``
accepts those (and ignores a time of day).  A date that does not exist (2026-02-30) is never
accepted.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._yaml import YamlDocument
    from .errors import Problem

__all__ = ["located_date", "parse_date", "parse_moment"]

_LEDGER_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                          r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def parse_date(text: str, *, lenient: bool = False) -> date:
    """``text`` as a date: ISO ``YYYY-MM-DD``, or with ``lenient`` the spellings of ledgers.

    Raises:
        ValueError: not a date, or a date that does not exist.
    """
    if not lenient:
        return date.fromisoformat(text)
    if (len(text) == 10 and text[4] == "-" == text[7] and text.isascii()
            and text[:4].isdigit() and text[5:7].isdigit() and text[8:].isdigit()):
        # plain ISO, the common case: what the pattern below reads it as, and the same error
        # for an impossible date (date.fromisoformat raises date()'s own ValueError)
        return date.fromisoformat(text)
    match = _LEDGER_DATE.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        msg = f"{text!r} is not a date"
        raise ValueError(msg)
    return date(int(match[1]), int(match[2]), int(match[3]))


def parse_moment(text: str) -> date | datetime:
    """``YYYY-MM-DD`` as a date, ``YYYY-MM-DDTHH:MM`` (for hour periods) as a date-time.

    Raises:
        ValueError: neither.
    """
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def located_date(doc: YamlDocument, path: tuple[str | int, ...], text: str | None,
                 problems: list[Problem]) -> date | None:
    """``text`` (ISO) as a date; None for None, or for a bad date after adding a problem
    located at ``path`` in ``doc``."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(doc.problem(path, "date.invalid", f"{text!r} 不是有效日期（应为 YYYY-MM-DD）",
                                    f"{text!r} is not a valid date (use YYYY-MM-DD)"))
        return None
