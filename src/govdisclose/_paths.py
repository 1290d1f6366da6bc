"""Where the bundled rulebooks and JSON Schemas live: the one place that knows."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["calendars_dir", "data_dir", "holidays_dir", "rules_dir", "schemas_dir"]


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """Return the directory holding ``rules/`` and ``schemas/``.

    A wheel install carries them inside the package as ``govdisclose/_data``
    (hatch ``force-include``).  An editable install or a source checkout has
    them at the repository root, two levels above the package directory; the
    package directory itself is located through :mod:`importlib.resources`,
    never through the current working directory.
    """
    package = Path(str(resources.files("govdisclose")))
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
