"""The report's markup as a WeasyPrint document, without the generic HTML overheads.

Two things WeasyPrint does for any web page cost a fifth of a report's render, and the report
needs neither:

* Parsing with tinyhtml5, a pure-Python HTML5 parser (the full error-recovery algorithm). The
  report templates emit well-formed XHTML, so the C XML parser of the standard library builds
  the same element tree in a fraction of the time (``compat``'s ``xhtml`` optimization).
* Its user-agent stylesheet, whose rules for form fields, bidi ``[dir]`` variants and so on are
  matched against every element. ``reports/ua.css`` holds the rules for the elements the
  templates use, with WeasyPrint's values (``compat``'s ``ua-stylesheet`` optimization).

Markup that is not well-formed (a template mistake) still renders, through WeasyPrint's own
parser, with a warning in the log; tests keep the demo and hostile reports on the fast path.
"""
from __future__ import annotations

import logging
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

from ..paths import TEMPLATES_DIR

UA_STYLESHEET_PATH = TEMPLATES_DIR / "ua.css"

log = logging.getLogger(__name__)


class CachedStylesheet:
    """A stylesheet file parsed once, and again only when the file or the text added to it changes."""

    def __init__(self, path: Path, **css_options) -> None:
        self.path = path
        self.css_options = css_options
        self._lock = threading.Lock()
        self._cached = None

    def get(self, extra: str = ""):
        from weasyprint import CSS

        key = (self.path.stat().st_mtime_ns, extra)
        with self._lock:
            if self._cached is None or self._cached[0] != key:
                self._cached = (key, CSS(string=self.path.read_text("utf-8") + extra, **self.css_options))
            return self._cached[1]


ua_stylesheet = CachedStylesheet(UA_STYLESHEET_PATH)


def parse_xhtml(markup: str) -> ET.Element:
    """The element tree of the report markup (raises ``ET.ParseError`` if it is not well-formed)."""
    parser = ET.XMLParser()
    parser.feed(markup)
    root = parser.close()
    if root.tag != "html":
        raise ET.ParseError(f"root element is <{root.tag}>, not <html>")
    return root


def report_document(markup: str | ET.Element, base_url: str, url_fetcher, *, xhtml: bool, ua: bool):
    """A ``weasyprint.HTML`` of report markup (a string or an already parsed element tree).

    ``xhtml``: build it from the XML element tree; ``ua``: style it with ``reports/ua.css``
    instead of WeasyPrint's user-agent stylesheet (both checked by ``compat``)."""
    from . import compat

    cls = compat.document_class() if (xhtml or ua) else None
    document = None
    if xhtml:
        try:
            root = markup if isinstance(markup, ET.Element) else parse_xhtml(markup)
        except ET.ParseError as error:
            log.warning("report markup is not well-formed XHTML (%s); parsing it as HTML, slowly", error)
        else:
            document = cls.from_tree(root, base_url=base_url, url_fetcher=url_fetcher)
    if document is None:
        from weasyprint import HTML

        string = markup if isinstance(markup, str) else ET.tostring(markup, encoding="unicode")
        document = (cls or HTML)(string=string, base_url=base_url, url_fetcher=url_fetcher)
    if ua:
        document.report_ua = ua_stylesheet.get()
    return document
