"""What the HTML pages share: escaping and the bilingual section heading.

Used by :mod:`.html_report` (the rulebook page), :mod:`.html_calendar` (its working-day
calendar) and :mod:`.svg` (the workflow pictures inside it).
"""

from __future__ import annotations

import html

__all__ = ["escape", "heading"]


def escape(text: object) -> str:
    """``text`` as HTML text or attribute value (quotes escaped too)."""
    return html.escape(str(text), quote=True)


def heading(level: int, zh: str, en: str, anchor: str | None = None) -> str:
    """``<hN id=anchor>中文<span class="en">English</span></hN>``."""
    ident = f' id="{escape(anchor)}"' if anchor else ""
    return f'<h{level}{ident}>{escape(zh)}<span class="en">{escape(en)}</span></h{level}>'
