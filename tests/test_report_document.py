"""The report markup goes through the XML parser and the report's own user-agent stylesheet, and
comes out laid out exactly as WeasyPrint's HTML parser and default stylesheet lay it out."""
from __future__ import annotations

import logging
import re

import pytest
from weasyprint import HTML

from diagnosis.reports.content.markup import xml_safe
from diagnosis.reports.engine.document import UA_STYLESHEET_PATH, report_document
from diagnosis.reports.engine.fetcher import SafeFetcher
from diagnosis.reports.engine.render import font_config, print_stylesheet, render_pdf, report_markup
from diagnosis.reports.paths import ASSETS_DIR, TEMPLATES_DIR

BASE_URL = str(ASSETS_DIR) + "/"


def ReportDocument(markup, base_url, url_fetcher):
    """The report's document on its fast path: XHTML parsed by the XML parser, ``reports/ua.css``."""
    return report_document(markup, base_url, url_fetcher, xhtml=True, ua=True)


def layout(document) -> list[list[tuple]]:
    """Every box of every page: its element, kind, position and size, rounded to 1/100 px."""
    doc = document.render(stylesheets=[print_stylesheet()], font_config=font_config())
    return [[(box.element_tag, type(box).__name__, round(box.position_x, 2), round(box.position_y, 2),
              round(box.width, 2), round(box.height, 2)) for box in page._page_box.descendants()]
            for page in doc.pages]


@pytest.mark.parametrize("which", ["demo_report", "hostile_report"])
def test_report_markup_is_parsed_as_xml(request, which):
    from diagnosis.reports.engine.compat import document_class
    document = ReportDocument(report_markup(request.getfixturevalue(which)), BASE_URL, SafeFetcher(ASSETS_DIR))
    assert type(document) is document_class() and document.report_ua is not None


def test_pages_are_laid_out_as_with_weasyprint_defaults(demo_report):
    markup = report_markup(demo_report)
    ours = layout(ReportDocument(markup, BASE_URL, SafeFetcher(ASSETS_DIR)))
    weasyprint_default = layout(HTML(string=markup, base_url=BASE_URL, url_fetcher=SafeFetcher(ASSETS_DIR)))
    assert len(ours) == len(weasyprint_default)
    for number, (page, expected) in enumerate(zip(ours, weasyprint_default), start=1):
        assert page == expected, f"page {number} differs"


def test_templates_use_only_elements_the_ua_stylesheet_covers():
    used = set()
    for template in TEMPLATES_DIR.rglob("*.html"):
        used |= set(re.findall(r"<([a-z][a-z0-9]*)\b", template.read_text("utf-8")))
    used |= {"img"}  # charts, made in content.markup.svg_image
    ua = UA_STYLESHEET_PATH.read_text("utf-8")
    covered = set(re.findall(r"(?<![-.#:@\w])([a-z][a-z0-9]*)(?=[\s,{):.])", re.sub(r"/\*.*?\*/", "", ua, flags=re.S)))
    inline_by_default = {"b", "span", "small", "img", "br"}
    missing = sorted(tag for tag in used - covered if tag not in inline_by_default)
    assert not missing, f"elements without user-agent rules in reports/ua.css: {missing}"


def test_control_characters_are_dropped_not_fatal(hostile_report):
    assert xml_safe("甲\x0b乙\x00丙\t丁\n") == "甲乙丙\t丁\n"
    assert render_pdf(hostile_report).startswith(b"%PDF")


def test_markup_that_is_not_xhtml_still_renders_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="diagnosis.reports.engine.document"):
        document = ReportDocument("<!DOCTYPE html><html><body><p>未闭合<br>段落</body></html>", BASE_URL,
                                  SafeFetcher(ASSETS_DIR))
        pdf = document.write_pdf()
    assert pdf.startswith(b"%PDF")
    assert "not well-formed XHTML" in caplog.text
