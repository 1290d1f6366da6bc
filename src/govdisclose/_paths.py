"""Where the bundled rulebooks and JSON Schemas live, and where the compiled rulebook cache
goes: the one place that knows."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

__all__ = ["CACHE_DIR_ENV", "NO_CACHE_ENV", "cache_dir", "cache_disabled_by_env", "calendars_dir",
           "data_dir", "holidays_dir", "rules_dir", "schemas_dir"]

#: Where the compiled rulebook cache lives (overrides ``$XDG_CACHE_HOME/govdisclose``).
CACHE_DIR_ENV = "GOVDISCLOSE_CACHE_DIR"
#: ``1`` (or any value but ``0``/empty): never read or write the compiled rulebook cache.
NO_CACHE_ENV = "GOVDISCLOSE_NO_CACHE"


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """Return the directory holding ``rules/`` and ``schemas/``.

    A wheel install carries them inside the package as ``govdisclose/_data``
    (hatch ``force-include``).  An editable install or a source checkout has
    them at the repository root, two levels above the package directory; the
    package directory itself is the one this module lives in, never the current
    working directory.  (Not :mod:`importlib.resources`: its import costs more than
    the rest of a cached rulebook load, and the package is always a directory.)
    """
    package = Path(__file__).absolute().parent
    bundled = package / "_data"
    if (bundled / "rules").is_dir():
        return bundled
    checkout = package.parent.parent
    if (checkout / "rules").is_dir() and (checkout / "schemas").is_dir():
        return checkout
    msg = (
        f"govdisclose data not found: neither {bundled} nor {checkout} holds rules/ and "
        "schemas/; reinstall the package / 找不到 govdisclose 的数据目录，请重新安装"
    )
    raise FileNotFoundError(msg)


def rules_dir() -> Path:
    """The bundled rulebooks (``rules/``)."""
    return data_dir() / "rules"


def calendars_dir() -> Path:
    """The bundled holiday-calendar overlays (``rules/calendars/``)."""
    return rules_dir() / "calendars"


def schemas_dir() -> Path:
    """The bundled JSON Schemas (``schemas/``)."""
    return data_dir() / "schemas"


def holidays_dir() -> Path:
    """The statutory-holiday rules (``rules/holidays/``)."""
    return rules_dir() / "holidays"


def cache_dir() -> Path:
    """The user's cache directory for compiled rulebooks: ``$GOVDISCLOSE_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/govdisclose``, else ``~/.cache/govdisclose``.  Read on every call (not
    memoised) so that a test or a job can point it elsewhere; it may not exist yet."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    # XDG says a relative value is invalid and must be ignored.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "govdisclose"


def cache_disabled_by_env() -> bool:
    """``GOVDISCLOSE_NO_CACHE`` is set to anything but empty or ``0``."""
    return os.environ.get(NO_CACHE_ENV, "") not in ("", "0")
