"""The report as XHTML markup: ``reports/report.html`` rendered with the chapters' context.

The templates emit well-formed XHTML (the engine parses it with the C XML parser). Chapters that
start on a new page carry ``data-chapter`` on their top-level ``<section>``: the engine may cut
the report there to render it in two parts. Elements with ``data-running`` set the running
header strings; the engine carries them into the second part.
"""
from __future__ import annotations

import base64
import re

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from ..paths import TEMPLATES_DIR
from .charts import FONT_FAMILY
from .context import build_context
from .formatting import typeset
from .input import ReportInput

TEMPLATE = "report.html"
STYLESHEET = TEMPLATES_DIR / "print.css"

# Characters XML 1.0 forbids (C0 controls but tab/newline/return, and two non-characters). A user
# can paste them into a free-text answer; HTML parsers drop or replace them, and so do we.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BETWEEN_LINES = re.compile(r">\s*\n\s*<")

_env: Environment | None = None


def xml_safe(markup: str) -> str:
    """``markup`` without the characters an XML parser refuses."""
    return _NOT_XML.sub("", markup)


@pass_context
def svg_image(context, svg: str, alt: str = "") -> Markup:
    """An SVG chart as ``<img src="data:image/svg+xml;base64,...">``.

    WeasyPrint parses an image with the C XML parser and gives its elements no CSS cascade, which
    is much cheaper than inline ``<svg>`` markup going through the HTML parser and the style
    computation. The chart code is the same as the web page's (which inlines the SVG); in the
    report the labels use the report's font (``chart_font_family``) when there is one.
    """
    svg = str(svg)
    family = context.get("chart_font_family")
    if family:
        svg = svg.replace(f'font-family="{FONT_FAMILY}"', f'font-family="{family}"', 1)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img class="chart-img" alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}"/>')


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates kept between processes (a command line renders one report and exits)."""
    from ...cachedir import cache_dir

    folder = cache_dir("templates")
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    # Compiled code depends on the environment's settings too (``finalize``), which the cache does
    # not check: the pattern names them.
    return FileSystemBytecodeCache(str(folder), pattern="__jinja2_typeset_%s.cache")


def environment() -> Environment:
    global _env
    if _env is None:
        env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, undefined=StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, auto_reload=True, bytecode_cache=_bytecode_cache(),
                          finalize=typeset)
        env.filters["svg_image"] = svg_image
        _env = env
    return _env


def report_markup(data: ReportInput, *, render_version: str, chart_font_family: str | None = None,
                  inline_css: str = "") -> str:
    """The report's XHTML markup."""
    ctx = build_context(data)
    html = environment().get_template(TEMPLATE).render(**ctx, render_version=render_version, inline_css=inline_css,
                                                       chart_font_family=chart_font_family)
    # Template indentation between tags only makes whitespace boxes for WeasyPrint to build and drop.
    return xml_safe(_BETWEEN_LINES.sub("><", html))


def standalone_html(data: ReportInput, *, render_version: str, chart_font_family: str | None = None) -> str:
    """The report as one HTML file with the print stylesheet inlined (for debugging)."""
    return report_markup(data, render_version=render_version, chart_font_family=chart_font_family,
                         inline_css=Markup(STYLESHEET.read_text("utf-8")))
