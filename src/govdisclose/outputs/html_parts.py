"""What the HTML pages share: one jinja2 environment that escapes everything it prints.

The pages (:mod:`.html_report`, its calendar :mod:`.html_calendar`, the workflow pictures
:mod:`.svg`, and the audit page :mod:`.html_audit`) are templates shipped in the package
(``outputs/templates/*.j2``); Python computes what goes on a page, the templates say where.
No HTML is built from strings (issue 11): every ``{{ value }}`` is HTML-escaped by jinja2's
autoescaping — text and attribute values alike, quotes included — unless it is
:class:`markupsafe.Markup` that one of these templates rendered itself.  Every printed value
first passes :func:`.escaping.escape_bidi`, so no bidi control reaches a page or a picture.
"""

from __future__ import annotations

import html
import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .escaping import BIDI_CONTROLS, escape_bidi

__all__ = ["render", "render_markup"]

#: What the finalizer rewrites: the characters html.escape(quote=True) escapes, and the bidi
#: controls (escape_bidi).
_REWRITTEN = re.compile("[" + re.escape("&<>\"'" + "".join(sorted(BIDI_CONTROLS))) + "]")


def _finalize(value: object) -> object:
    # Runs on every {{ … }}.  Markup is what our own templates rendered (a macro, an embedded
    # picture) and was finalized part by part already.  Anything else is shown with its bidi
    # controls escaped, then HTML-escaped here as html.escape(quote=True) does (&quot;, &#x27;),
    # so that the pages stay byte-identical to the string-built ones they replace; autoescaping
    # stays on underneath, and would escape the value if this function ever let one through.
    # A text with nothing to rewrite (most cells: dates, numbers, states) goes through as it
    # is, and autoescaping prints it unchanged: one search instead of two escapes and a Markup.
    if isinstance(value, Markup):
        return value
    # (a str subclass, such as a vocabulary member, by its characters, as the escapes read it)
    text = (value if type(value) is str else str.__str__(value)) if isinstance(value, str) \
        else str(value)
    if _REWRITTEN.search(text) is None:
        return text
    return Markup(html.escape(escape_bidi(text)))


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("govdisclose.outputs", "templates"),
        autoescape=True,  # every template is HTML or SVG: escape all, not by file name
        undefined=StrictUndefined,  # a misspelt name fails loudly instead of printing nothing
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_markup(template: str, **context: object) -> Markup:
    """``template`` (a name under ``outputs/templates/``) rendered with ``context``.

    The result is :class:`~markupsafe.Markup`: it may be embedded in another page unescaped,
    because everything in it went through the autoescaping environment.
    """
    return Markup(_environment().get_template(template).render(**context))


def render(template: str, **context: object) -> str:
    """:func:`render_markup` as a plain string, for writing to a file."""
    return str(render_markup(template, **context))
