"""Testing aids: hypothesis strategies for deadline logic (:mod:`.strategies`, needs the
``test`` extra) and the runner of the YAML cases policy staff write (:mod:`.cases`).

``from govdisclose.testing import covered_dates`` works as before; the strategies module (and
hypothesis with it) is imported only when one of its names is asked for, so the case runner
works without hypothesis installed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PAUSE_KINDS", "Period", "covered_dates", "pause_sets", "period_starts", "periods",
           "requests", "working_day_counts"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import strategies

        return getattr(strategies, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
