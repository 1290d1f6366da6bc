"""Write a year document (``schemas/calendar.schema.json``) as a year file.

Every string is written as a JSON string, which is valid YAML whatever characters it holds;
blocks and make-up days are one flow mapping a line, as in the bundled ``rules/calendars/``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dump_year_file"]


def _s(value: Any) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def _notice(lines: list[str], notice: dict[str, Any], indent: str) -> None:
    for key in ("title", "document_number", "published", "url", "note"):
        if key in notice:
            lines.append(f"{indent}{key}: {_s(notice[key])}")
    if notice.get("festivals"):
        lines.append(f"{indent}festivals: [{', '.join(_s(f) for f in notice['festivals'])}]")


def dump_year_file(document: dict[str, Any], *, generated_by: str | None = None) -> str:
    """The YAML text of a year file."""
    lines = ["# yaml-language-server: $schema=https://govdisclose.example/schemas/calendar.schema.json",
             f"# {document['year']} 年法定节假日安排 / the official {document['year']} holiday schedule."]
    if generated_by:
        lines.append(f"# {generated_by}")
    lines += [f"year: {document['year']}", "notice:"]
    _notice(lines, document["notice"], "  ")
    if document.get("amendments"):
        lines.append("amendments:")
        for amendment in document["amendments"]:
            first, *rest = _notice_lines(amendment)
            lines.append(f"  - {first}")
            lines.extend(f"    {line}" for line in rest)
    lines.append("holidays:" if document["holidays"] else "holidays: []")
    for block in document["holidays"]:
        fields = ", ".join(f"{k}: {_s(block[k])}" for k in ("name", "name_en", "from", "to")
                           if k in block)
        lines.append(f"  - {{{fields}}}")
    lines.append("makeup_workdays:" if document["makeup_workdays"] else "makeup_workdays: []")
    for entry in document["makeup_workdays"]:
        lines.append(f"  - {{date: {_s(entry['date'])}, for: {_s(entry['for'])}}}")
    return "\n".join(lines) + "\n"


def _notice_lines(notice: dict[str, Any]) -> list[str]:
    out: list[str] = []
    _notice(out, notice, "")
    return out
