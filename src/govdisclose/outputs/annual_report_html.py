"""The whole annual report as one self-contained HTML page (``annual-report --full --html``).

Headed with the agency's name and the 统计期限, then the six sections with the headings the
format gives them: the drafts of 一, 五 and 六 (placeholders and missing figures marked), the
tables of 二, 三 and 四 laid out as the format's rows and columns with merged headings
(:mod:`.annual_layout`), the verification marks explained, and the notes.  Inline styles, no
scripts, no network resources.  The page is the template ``templates/annual.html.j2``: the
agency's name and every register or ledger text are untrusted, and the autoescaping
environment (:mod:`.html_parts`) makes each of them text, its bidi controls escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..annual.format_model import VERIFIED_MARKS
from .annual_layout import layout
from .html_parts import render

if TYPE_CHECKING:
    from pathlib import Path

    from ..annual.model import AnnualReport

__all__ = ["render_annual_report_html", "write_annual_report_html"]


def render_annual_report_html(report: AnnualReport) -> str:
    """The page of ``report``."""
    return render("annual.html.j2", page=layout(report), report=report,
                  marks={k: v for k, v in VERIFIED_MARKS.items() if v})


def write_annual_report_html(report: AnnualReport, path: Path) -> None:
    """Write :func:`render_annual_report_html` to ``path`` (UTF-8)."""
    path.write_text(render_annual_report_html(report), encoding="utf-8")
