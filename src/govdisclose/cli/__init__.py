"""The ``govdisclose`` command line.  :func:`main` is the console script's entry point."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
