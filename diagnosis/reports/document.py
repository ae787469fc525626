"""The report's markup as a WeasyPrint document, without the generic HTML overheads.

Two things WeasyPrint does for any web page cost a fifth of a report's render, and the report
needs neither:

* Parsing with tinyhtml5, a pure-Python HTML5 parser (the full error-recovery algorithm). The
  report templates emit well-formed XHTML, so the C XML parser of the standard library builds
  the same element tree in a fraction of the time.
* Its user-agent stylesheet, whose rules for form fields, bidi ``[dir]`` variants and so on are
  matched against every element. ``reports/ua.css`` holds the rules for the elements the
  templates use, with WeasyPrint's values.

Markup that is not well-formed (a template mistake) still renders, through WeasyPrint's own
parser, with a warning in the log; tests keep the demo and hostile reports on the fast path.
"""
from __future__ import annotations

import logging
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import cssselect2
from weasyprint import CSS, HTML
from weasyprint.urls import ensure_url

from .fetcher import ASSETS_DIR

UA_STYLESHEET_PATH = ASSETS_DIR.parent / "ua.css"

# Characters XML 1.0 forbids (C0 controls but tab/newline/return, and two non-characters). A user
# can paste them into a free-text answer; HTML parsers drop or replace them, and so do we.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

log = logging.getLogger(__name__)


def xml_safe(markup: str) -> str:
    """``markup`` without the characters an XML parser refuses."""
    return _NOT_XML.sub("", markup)


class CachedStylesheet:
    """A stylesheet file parsed once, and again only when the file or the text added to it changes."""

    def __init__(self, path: Path, **css_options) -> None:
        self.path = path
        self.css_options = css_options
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, str], CSS] | None = None

    def get(self, extra: str = "") -> CSS:
        key = (self.path.stat().st_mtime_ns, extra)
        with self._lock:
            if self._cached is None or self._cached[0] != key:
                self._cached = (key, CSS(string=self.path.read_text("utf-8") + extra, **self.css_options))
            return self._cached[1]


_ua_stylesheet = CachedStylesheet(UA_STYLESHEET_PATH)


def parse_xhtml(markup: str) -> ET.Element:
    """The element tree of the report markup (raises ``ET.ParseError`` if it is not well-formed)."""
    parser = ET.XMLParser()
    parser.feed(markup)
    root = parser.close()
    if root.tag != "html":
        raise ET.ParseError(f"root element is <{root.tag}>, not <html>")
    return root


class ReportDocument(HTML):
    """``weasyprint.HTML`` for the report templates' XHTML, with the report's UA stylesheet."""

    def __init__(self, markup: str, base_url: str, url_fetcher, media_type: str = "print"):
        try:
            root = parse_xhtml(markup)
        except ET.ParseError as error:
            log.warning("report markup is not well-formed XHTML (%s); parsing it as HTML, slowly", error)
            super().__init__(string=markup, base_url=base_url, url_fetcher=url_fetcher, media_type=media_type)
            self.parsed_as_xml = False
            return
        # What HTML.__init__ sets up after parsing (the report has no <base> element).
        self.base_url = ensure_url(base_url) if base_url is not None else None
        self.url_fetcher = url_fetcher
        self.media_type = media_type
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element
        self.parsed_as_xml = True

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_ua_stylesheet.get()]
