"""Engine sub-commands (evaluate, plan, obligations, fee) registered on the CLI."""

from __future__ import annotations
