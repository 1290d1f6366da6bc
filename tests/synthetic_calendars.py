"""Year files for tests that need a calendar other than the official one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def one_day_off_2026(folder: Path, day: str) -> Path:
    """SYNTHETIC: ``folder`` (made) holding a 2026 year file that gives ``day`` off and nothing
    else (a user file: it replaces the bundled 2026 schedule whole)."""
    folder.mkdir()
    (folder / "2026.yaml").write_text(
        "year: 2026\nnotice: {title: 测试用2026年安排（虚构）, document_number: null, "
        f'published: "2025-11-04"}}\nholidays:\n  - {{name: 测试, from: "{day}", '
        f'to: "{day}"}}\nmakeup_workdays: []\n', encoding="utf-8")
    return folder
