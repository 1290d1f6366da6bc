"""What every output does to text it did not write itself (issue 11: escaping by construction).

Ledgers and requests come from outside and rulebooks are edited by hand, so any string that
reaches an output may be hostile.  Three rules, each one function used by every writer:

* :func:`escape_bidi` — bidirectional control characters (the Trojan-Source set) are shown as
  the visible text ``\\u202e`` instead of reordering what is around them.  Every output applies
  it: text, JSON, CSV, xlsx, HTML and SVG (through the template environment), iCalendar,
  Mermaid and DOT.  In JSON the six characters ``\\u202e`` are the JSON escape of the very
  same character, so JSON stays lossless while showing no live control.
* :func:`neutralise_cell` — OWASP's CSV-injection rule for every CSV and xlsx cell: text that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so that
  a spreadsheet shows it as text and never runs it as a formula.  Real numbers (``int``,
  ``float``, ``Decimal``, negative ones included) are written as numbers, unchanged.
* HTML is never built from strings: the pages are jinja2 templates with autoescaping on
  (:mod:`.templates`), and :func:`escape_bidi` runs on every value they print.

:class:`BidiEscapingWriter` wraps a text stream so that whatever is written through it passes
:func:`escape_bidi` (for the command line, whose commands print directly).
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, TypeAlias, TypeGuard

if TYPE_CHECKING:
    from decimal import Decimal
    from typing import TextIO

__all__ = ["BIDI_CONTROLS", "FORMULA_TRIGGERS", "BidiEscapingWriter", "Cell", "escape_bidi",
           "neutralise_cell"]

#: What a CSV or xlsx cell is written from: text, a number, or nothing.  (Written for type
#: checkers only: this module never imports :mod:`decimal`, see :func:`_is_decimal`.)
Cell: TypeAlias = "str | int | float | Decimal | None"

#: Bidirectional formatting characters: LRE, RLE, PDF, LRO, RLO (U+202A–U+202E), LRI, RLI, FSI,
#: PDI (U+2066–U+2069), LRM, RLM (U+200E, U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS: frozenset[str] = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f",
     "\u061c"])

_BIDI_CHARS = tuple(sorted(BIDI_CONTROLS))
_BIDI = re.compile("[" + "".join(_BIDI_CHARS) + "]")
_LONG = 512  # characters from which escape_bidi looks for each control as a substring

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def escape_bidi(text: str) -> str:
    """``text`` with each bidi control character written as ``\\uXXXX`` (lower-case hex).

    ``"a\\u202eb"`` (with the real U+202E) becomes the seven characters ``a\\u202eb``.  The
    form is the JSON and Python escape of the same character, so that JSON output decodes
    back to the original text; everywhere else it is plain, visible text.
    """
    # the common case: nothing to do, no copy.  Every control is outside ASCII; in a long text
    # (an audit's chunk of rows) a substring test a character is several times faster than
    # the pattern's search, in a short one (a cell) slower.
    if text.isascii():
        return text
    if len(text) < _LONG:
        if not _BIDI.search(text):
            return text
    elif not any(control in text for control in _BIDI_CHARS):
        return text
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _is_decimal(value: object) -> TypeGuard[Decimal]:
    """Whether ``value`` is a :class:`decimal.Decimal`.  There can be none before :mod:`decimal`
    is imported, so the loaded module is asked: importing it here would slow every command's
    start-up (the console imports this module), importing it per cell every export."""
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(value, decimal.Decimal)


def neutralise_cell(value: object) -> Cell:
    """A CSV or xlsx cell made safe to open in a spreadsheet (OWASP CSV injection).

    Numbers (``int``, ``float``, ``Decimal``; not ``bool``) are returned as they are: a number
    is never a formula, and ``-3`` must stay a number.  ``None`` stays ``None`` (an empty cell).
    Anything else becomes text with :func:`escape_bidi` applied, and a leading ``'`` when it
    starts with one of :data:`FORMULA_TRIGGERS`: ``=cmd|' /C calc'!A0`` is written
    ``'=cmd|' /C calc'!A0``, which Excel, LibreOffice and Google Sheets show as text.
    """
    if type(value) is str:  # most cells (an audit writes millions): no other test to pass
        text = escape_bidi(value)
        return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
    if value is None:
        return None
    if (isinstance(value, (int, float)) or _is_decimal(value)) and not isinstance(value, bool):
        return value
    text = escape_bidi(str(value))
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class BidiEscapingWriter:
    """A text stream that passes everything written to it through :func:`escape_bidi`.

    Meant to stand in for ``sys.stdout`` where code prints directly; every other attribute
    (``encoding``, ``flush``, ``isatty``, …) is the wrapped stream's.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape_bidi(text))
        return len(text)  # what the caller gave: ``print`` and friends count their own text

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
