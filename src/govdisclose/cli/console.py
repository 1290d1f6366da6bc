"""Console output that survives any encoding: a Chinese Windows console (GBK), a redirection
under ``PYTHONIOENCODING=gbk``, a plain ASCII terminal.

While a command runs, stdout and stderr replace what their encoding cannot hold instead of
raising ``UnicodeEncodeError``: the symbols govdisclose prints become the nearest ones GBK has
(:data:`FALLBACKS`: ``✗`` → ``×``, ``✓`` → ``√``, ``†`` → ``※`` …), anything else ``?``.
UTF-8 output is unchanged.  Bidi control characters are shown escaped (``\\u202e``).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import sys
from typing import TYPE_CHECKING, Any

from ..outputs.escaping import BidiEscapingWriter

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["ERRORS", "FALLBACKS", "console_streams"]

#: Symbols outside GBK → replacements inside it (each also in GB18030 and GB2312).
FALLBACKS: dict[str, str] = {
    "✗": "×", "✘": "×", "✓": "√", "✔": "√", "†": "※", "‡": "※", "↳": "└", "⚠": "！",
    "▶": "→", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u200b": "",
}

#: The name of the codec error handler :func:`console_streams` installs.
ERRORS = "govdisclose-console"


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        sub = FALLBACKS.get(ch, "?")
        try:
            sub.encode(exc.encoding)
        except (UnicodeEncodeError, LookupError):
            sub = "?"
        out.append(sub)
    return "".join(out), exc.end


codecs.register_error(ERRORS, _fallback)


@contextlib.contextmanager
def console_streams() -> Iterator[None]:
    """Within the block, ``sys.stdout`` and ``sys.stderr`` replace what they cannot encode;
    their error handlers are restored afterwards."""
    saved: list[tuple[io.TextIOWrapper[Any], str | None]] = []
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors != ERRORS:
            with contextlib.suppress(ValueError, OSError):  # closed, or not reconfigurable
                previous = stream.errors
                stream.reconfigure(errors=ERRORS)
                saved.append((stream, previous))
    # Bidi controls from inputs never reach the console unescaped (outputs.escaping): text the
    # commands print directly goes through the same function as every file output.
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = BidiEscapingWriter(out), BidiEscapingWriter(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
        for stream, previous in saved:
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors=previous)
