"""Outputs: what results look like outside Python, one module per format.

==================  =====================================================================
module              writes
==================  =====================================================================
:mod:`.text`        ``audit_text`` (what ``audit`` prints), ``annual_report_text``
:mod:`.json_files`  ``write_audit_json`` / ``audit_json`` (``audit --json``, a row a line)
:mod:`.csv_files`   ``write_audit_csv`` / ``audit_csv``, ``write_annual_report_csv`` /
                    ``annual_report_csv`` (UTF-8 with BOM for Excel)
:mod:`.xlsx`        ``write_annual_report_xlsx`` (laid out like the official table)
:mod:`.ics`         ``to_ics`` (recurring duties as iCalendar events)
:mod:`.graph`       ``workflow_graph`` → ``Graph.to_mermaid()`` / ``Graph.to_dot()``
:mod:`.svg`         ``workflow_svg`` (the workflow layout engine, inline SVG)
:mod:`.html_report` ``render_report`` / ``write_report`` (the rulebook page; its calendar in
                    :mod:`.html_calendar`, shared helpers in :mod:`.html_parts`)
:mod:`.html_audit`  ``render_audit_html`` / ``write_audit_html`` (``audit --html``)
:mod:`.annual_report_html`
                    ``render_annual_report_html`` / ``write_annual_report_html`` (the whole
                    annual report, ``annual-report --full --html``)
:mod:`.annual_docx` ``write_annual_report_docx`` (``--full --docx``; needs the ``docx`` extra,
                    so it is imported only by its callers, not here)
:mod:`.annual_layout`
                    ``layout`` (the report as headings, paragraphs and tables, shared by the
                    HTML and Word writers)
:mod:`.annual_template`
                    ``write_register_template`` (``annual-report template``: the register
                    workbook with its instructions sheet and dropdown lists)
==================  =====================================================================

Every writer takes a result (``AuditResult``, ``AnnualTable``, a rulebook, …) and needs no
CLI.  JSON of other results is their ``to_json()``.

Every writer escapes what it did not write itself (docs/security.md): :mod:`.escaping` holds
the rules (bidi controls shown as ``\\u202e``, OWASP's CSV-injection rule for CSV and xlsx
cells), and the HTML and SVG are jinja2 templates under ``templates/`` with autoescaping on
(:mod:`.html_parts`).

May import every layer below it; nothing below imports it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .csv_files import (
        annual_report_csv,
        audit_csv,
        write_annual_report_csv,
        write_audit_csv,
    )
    from .graph import Graph, workflow_graph
    from .html_audit import render_audit_html, write_audit_html
    from .html_report import render_report, write_report
    from .ics import to_ics
    from .json_files import audit_json, write_audit_json
    from .svg import workflow_svg
    from .text import annual_report_text, audit_text
    from .xlsx import write_annual_report_xlsx

#: Public name -> the module defining it.  The writers are imported when first asked for
#: (PEP 562): the CLI imports :mod:`.escaping` on every call, and must not pay for jinja2,
#: openpyxl and the SVG layout when it prints one deadline.
_WHERE = {
    "annual_report_csv": "csv_files", "audit_csv": "csv_files",
    "write_annual_report_csv": "csv_files", "write_audit_csv": "csv_files",
    "Graph": "graph", "workflow_graph": "graph",
    "render_audit_html": "html_audit", "write_audit_html": "html_audit",
    "render_report": "html_report", "write_report": "html_report",
    "to_ics": "ics", "audit_json": "json_files", "write_audit_json": "json_files",
    "workflow_svg": "svg", "annual_report_text": "text", "audit_text": "text",
    "write_annual_report_xlsx": "xlsx",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(import_module(f".{module}", __name__), name)


__all__ = [
    "Graph",
    "annual_report_csv",
    "annual_report_text",
    "audit_csv",
    "audit_json",
    "audit_text",
    "render_audit_html",
    "render_report",
    "to_ics",
    "workflow_graph",
    "workflow_svg",
    "write_annual_report_csv",
    "write_annual_report_xlsx",
    "write_audit_csv",
    "write_audit_html",
    "write_audit_json",
    "write_report",
]
