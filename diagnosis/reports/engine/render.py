"""Render the diagnosis report: markup (``content.markup``) -> WeasyPrint -> PDF bytes.

``render_pdf`` renders a report on two cores when it can (``pool``, ``parts``, ``joining``) and
in this process otherwise; ``render_part`` renders one document (a whole report or one part) in
this process. What makes a render fast (WeasyPrint 70, Noto Sans CJK SC):

* Two cores: the report's chapter groups, dealt to two documents of equal cost, are laid out at
  once, the pages put back in order and the page numbers stamped after joining (``pool``).
* The garbage collector is left running (pausing it measured slower); long-lived and rendering
  processes freeze their start-up objects out of its way (``gunicorn.conf.py``, the helper).
* The report font is Noto Sans CJK SC cut down to GB 2312 and the project's texts (``fonts``),
  with the full font as fallback for rarer characters.
* Font subsetting by HarfBuzz (libharfbuzz-subset >= 4.1, Debian package libharfbuzz-subset0):
  milliseconds for the CJK font, where fontTools takes seconds (``compat.fast_font_subsetting``).
  ``full_fonts`` stays off (subsets only) and hinting is dropped.
* One FontConfiguration per thread, reused (no Fontconfig reload, warm Pango font map).
* The optimizations of ``compat`` (XHTML parsing, report UA stylesheet, SVG text as runs), each
  used only when its check passed; a render that fails with them is rendered again without.
* The stylesheet is parsed once; charts are SVG ``<img>`` data URLs (parsed by the C XML parser,
  no CSS cascade); tables use ``table-layout: fixed``; no floats or inline-blocks in the CSS.

Nothing is imported from WeasyPrint before the first render.
"""
from __future__ import annotations

import atexit
import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ..content.input import ReportInput
from ..paths import ASSETS_DIR, TEMPLATES_DIR
from . import compat, fonts
from .document import CachedStylesheet, report_document
from .fingerprint import RENDER_VERSION

log = logging.getLogger(__name__)

STYLESHEET = TEMPLATES_DIR / "print.css"
#: Added to each part of a report rendered in parts (the page numbers are stamped afterwards).
PART_STYLESHEET = TEMPLATES_DIR / "part.css"
BASE_URL = str(ASSETS_DIR) + "/"

#: write_pdf options: subset fonts (no full_fonts), no hinting, compressed streams, no tagging.
PDF_OPTIONS = {
    "full_fonts": False,
    "hinting": False,
    "uncompressed_pdf": False,
    "optimize_images": False,
    "pdf_tags": False,
    "presentational_hints": False,
}


class RenderFailed(RuntimeError):
    """The report could not be rendered, not even the plain way."""


_local = threading.local()
_shared_lock = threading.Lock()
_fetcher = None
_stylesheets: dict[str, CachedStylesheet] = {}
_font_warning_logged = False


def fetcher():
    """The report's URL fetcher (``data:`` URLs and files under ``reports/assets/`` only)."""
    global _fetcher
    with _shared_lock:
        if _fetcher is None:
            from .fetcher import SafeFetcher

            _fetcher = SafeFetcher(ASSETS_DIR)
        return _fetcher


def font_config():
    """One FontConfiguration per thread, reused across renders.

    WeasyPrint creates a new one per document by default, which reloads the Fontconfig
    configuration and starts Pango with a cold font map (glyph and shaping caches) every time.
    Pango font maps are not thread-safe, hence one per thread.
    """
    global _font_warning_logged
    fc = getattr(_local, "font_config", None)
    if fc is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fc = _local.font_config = FontConfiguration()
        if threading.current_thread() is threading.main_thread():
            # Dropped before interpreter shutdown, while the C libraries its __del__ calls are there.
            atexit.register(_local.__dict__.pop, "font_config", None)
        if fonts.available():  # registers the report font with this configuration
            CSS(string=fonts.FONT_FACE_CSS, base_url=BASE_URL, url_fetcher=fetcher(), font_config=fc)
        elif not _font_warning_logged:
            _font_warning_logged = True
            log.warning("report font %s not built (run `diagnosis fonts build`): using %s alone, slower",
                        fonts.FONT_PATH, fonts.SOURCE_FAMILY)
    return fc


def _cached_stylesheet(path) -> CachedStylesheet:
    url_fetcher = fetcher()
    with _shared_lock:
        sheet = _stylesheets.get(str(path))
        if sheet is None:
            sheet = _stylesheets[str(path)] = CachedStylesheet(path, base_url=BASE_URL, url_fetcher=url_fetcher)
        return sheet


def stylesheet(path):
    """A stylesheet of ``reports/``, parsed once (again when the file changes)."""
    return _cached_stylesheet(path).get()


def print_stylesheet():
    """The parsed print stylesheet (with the report font when it is built), reparsed only when
    the file changes."""
    return _cached_stylesheet(STYLESHEET).get("\n" + fonts.FAMILY_CSS if fonts.available() else "")


def chart_font_family() -> str | None:
    return fonts.SVG_FAMILY if fonts.available() else None


def report_markup(data: ReportInput) -> str:
    """The report's XHTML markup, charts in the report font when it is built."""
    from ..content.markup import report_markup as content_markup  # not needed in a render helper

    return content_markup(data, render_version=RENDER_VERSION, chart_font_family=chart_font_family())


def render_html(data: ReportInput) -> str:
    """The report as one HTML file with the print stylesheet inlined (for debugging)."""
    from ..content.markup import standalone_html

    return standalone_html(data, render_version=RENDER_VERSION, chart_font_family=chart_font_family())


def current_optimizations() -> set[str]:
    return {name for name in compat.OPTIMIZATIONS if compat.enabled(name)}


def render_part(markup: str | ET.Element, *, optimizations: Iterable[str] | None = None,
                extra_stylesheets: Iterable = (),
                retry_plain: bool = True) -> tuple[bytes, list[str] | None]:
    """PDF bytes of report markup rendered in this process, and the name of each page's page
    type (``None`` when ``two-core`` is off: the names are what stamping page numbers needs).

    ``extra_stylesheets`` come after the print stylesheet (a part of a report rendered in parts
    adds ``part.css``, which leaves the page numbers out). An optimization that fails inside the
    render in a way WeasyPrint swallows (an SVG chart left out) is turned off and the render done
    again without it; a render that raises with optimizations on turns them all off
    (``compat.disable_all``) and is rendered again the plain way; if that fails too,
    ``RenderFailed``."""
    opts = set(current_optimizations() if optimizations is None else optimizations)
    extra = list(extra_stylesheets)
    failure: Exception | None = None
    try:
        return _render(markup, opts, extra)
    except compat.OptimizationFailed as error:
        failure = error
    except Exception as error:  # noqa: BLE001 - rendered again below, or reported
        failure = error
    if isinstance(failure, compat.OptimizationFailed) and retry_plain:
        log.warning("report render: %s; rendering it again without %r", failure, failure.name)
        compat.disable(failure.name, f"it failed in a render ({failure.detail})")
        opts.discard(failure.name)
        try:
            return _render(markup, opts, extra)
        except Exception as error:  # noqa: BLE001 - then the plain way below
            failure = error
    if not (retry_plain and opts):
        raise RenderFailed(f"{type(failure).__name__}: {failure}") from failure
    log.error("report render failed with optimizations %s (%s: %s); rendering it the plain way",
              sorted(opts), type(failure).__name__, failure)
    compat.disable_all(f"a render failed with them ({type(failure).__name__}: {failure})")
    try:
        return _render(markup, set(), extra)
    except Exception as error:
        raise RenderFailed(f"{type(error).__name__}: {error}") from error


def _render(markup, opts: set[str], extra: list) -> tuple[bytes, list[str] | None]:
    if "svg-text-runs" in opts:
        compat.install_svg_text()
    else:
        compat.uninstall_svg_text()
    stylesheets = [print_stylesheet(), *extra]
    html = report_document(markup, BASE_URL, fetcher(), xhtml="xhtml" in opts, ua="ua-stylesheet" in opts)
    calls = compat.ua_hook_calls()
    svg_failures = compat.svg_text_failures()[0]
    document = html.render(font_config=font_config(), stylesheets=stylesheets, **PDF_OPTIONS)
    names = None
    if "two-core" in opts:
        try:
            names = compat.page_names(document)
        except Exception as error:  # noqa: BLE001 - an internal moved: no parts, the PDF is fine
            compat.disable("two-core", f"page names not readable ({type(error).__name__}: {error})")
    pdf = document.write_pdf(**PDF_OPTIONS)
    failures, last = compat.svg_text_failures()
    if "svg-text-runs" in opts and failures != svg_failures:
        raise compat.OptimizationFailed("svg-text-runs", last)
    if "ua-stylesheet" in opts and compat.ua_hook_calls() == calls:
        # WeasyPrint used its own user-agent stylesheet: the PDF is right, only slower.
        compat.disable("ua-stylesheet", "WeasyPrint did not call HTML._ua_stylesheets")
    return pdf, names


def render_markup(markup: str) -> bytes:
    """PDF bytes of a whole report's markup, laid out and drawn in this process."""
    return render_part(markup)[0]


def warm_up() -> None:
    """Run the compatibility checks with their probe render, which loads fonts and stylesheets."""
    compat.verify()


def render_pdf(data: ReportInput, *, parallel: bool = True,
               helper_wait: float = 0.0) -> bytes:
    """The report as PDF bytes: in two parts on two cores when a render helper is free
    (``pool``), else in this process.

    ``helper_wait``: seconds to wait for a helper that is still starting (the command line
    starts one as it starts)."""
    from . import pool

    from .finish import apply, finish

    markup = report_markup(data)
    if parallel and compat.enabled("two-core"):
        pdf = pool.render_in_parts(markup, helper_wait=helper_wait,
                                   finish=lambda doc: apply(doc, data, RENDER_VERSION))
        if pdf is not None:
            return pdf
    return finish(render_part(markup)[0], data, RENDER_VERSION)
