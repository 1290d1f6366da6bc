"""Ledger sub-commands (audit, annual-report) registered on the CLI."""

from __future__ import annotations
