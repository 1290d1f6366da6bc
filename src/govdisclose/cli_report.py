"""Picture and report sub-commands (graph, report) registered on the CLI."""

from __future__ import annotations
