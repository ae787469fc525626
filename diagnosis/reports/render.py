"""Render the diagnosis report: Jinja2 template -> HTML -> WeasyPrint -> PDF bytes.

What makes it fast (WeasyPrint 70, Noto Sans CJK SC):

* Two cores: the two halves of the report are laid out at once (``parallel``).
* The report font is Noto Sans CJK SC cut down to GB 2312 and the project's texts (``fonts``),
  with the full font as fallback for rarer characters.
* Font subsetting by HarfBuzz. WeasyPrint subsets every embedded font; with libharfbuzz-subset
  (>= 4.1, Debian package libharfbuzz-subset0) it calls ``hb_subset_or_fail`` on the font's
  HarfBuzz face, which takes milliseconds for the CJK font; without it, it falls back to
  fontTools, which takes seconds per CJK font. ``fast_font_subsetting()`` reports which path is
  used. ``full_fonts`` stays off (subsets only) and hinting is dropped.
* One FontConfiguration per thread, reused (no Fontconfig reload, warm Pango font map).
* The markup is XHTML, parsed by the C XML parser, styled with a user-agent stylesheet cut
  down to the elements the templates use (``document``).
* The stylesheet is parsed once; charts are SVG ``<img>`` data URLs (parsed by the C XML parser,
  no CSS cascade); tables use ``table-layout: fixed``; no floats or inline-blocks in the CSS.
* The cyclic garbage collector is paused during the render (see ``_gc_paused_during_render``).
* Chart labels are shaped and drawn as whole runs, not character by character (``svg_text``).
"""
from __future__ import annotations

import base64
import gc
import hashlib
import logging
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from . import fonts, parallel, svg_text
from .charts import FONT_FAMILY
from .context import ReportInput, build_context
from .document import CachedStylesheet, ReportDocument, xml_safe
from .fetcher import ASSETS_DIR, SafeFetcher
from .split import join_pdfs, split_markup

# Bump when the rendering code changes in a way that changes PDFs (the template hash includes it).
RENDER_VERSION = "report-2026.11"

REPORTS_DIR = ASSETS_DIR.parent
TEMPLATE = "report.html"
STYLESHEET = REPORTS_DIR / "print.css"

#: write_pdf options: subset fonts (no full_fonts), no hinting, compressed streams, no tagging.
PDF_OPTIONS = {
    "full_fonts": False,
    "hinting": False,
    "uncompressed_pdf": False,
    "optimize_images": False,
    "pdf_tags": False,
    "presentational_hints": False,
}

env = Environment(
    loader=FileSystemLoader(str(REPORTS_DIR)),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=True,
)


def svg_image(svg: str, alt: str = "") -> Markup:
    """An SVG chart as ``<img src="data:image/svg+xml;base64,...">``.

    WeasyPrint parses an image with the C XML parser and gives its elements no CSS cascade, which
    is much cheaper than inline ``<svg>`` markup going through the HTML parser and the style
    computation. The chart code is the same as the web page's (which inlines the SVG).
    """
    svg = str(svg)
    if fonts.available():  # the chart labels in the report font too
        svg = svg.replace(f'font-family="{FONT_FAMILY}"', f'font-family="{fonts.SVG_FAMILY}"', 1)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img class="chart-img" alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}"/>')


env.filters["svg_image"] = svg_image

_fetcher = SafeFetcher(ASSETS_DIR)
_print_css = CachedStylesheet(STYLESHEET, base_url=str(ASSETS_DIR) + "/", url_fetcher=_fetcher)
_local = threading.local()
_gc_lock = threading.Lock()
_gc_paused = 0          # renders in progress that asked to pause the collector
_gc_we_disabled = False


def _font_config() -> FontConfiguration:
    """One FontConfiguration per thread, reused across renders.

    WeasyPrint creates a new one per document by default, which reloads the Fontconfig
    configuration and starts Pango with a cold font map (glyph and shaping caches) every time.
    Pango font maps are not thread-safe, hence one per thread.
    """
    fc = getattr(_local, "font_config", None)
    if fc is None:
        fc = _local.font_config = FontConfiguration()
        if fonts.available():  # registers the report font with this configuration
            CSS(string=fonts.FONT_FACE_CSS, base_url=str(ASSETS_DIR) + "/", url_fetcher=_fetcher, font_config=fc)
        else:
            logging.getLogger(__name__).warning(
                "report font %s not built (run `diagnosis fonts build`): using %s alone, slower",
                fonts.FONT_PATH, fonts.SOURCE_FAMILY)
    return fc


@contextmanager
def _gc_paused_during_render():
    """Pause the cyclic collector while WeasyPrint works; collect the young generation after.

    A render allocates a few hundred thousand short-lived objects (many in reference cycles);
    the automatic collections they trigger walk the whole heap again and again and cost about a
    third of the render time. Counting nested/concurrent renders keeps threads from re-enabling
    the collector under each other; the collector state before the first render is restored.
    """
    global _gc_paused, _gc_we_disabled
    with _gc_lock:
        if _gc_paused == 0:
            _gc_we_disabled = gc.isenabled()
            gc.disable()
        _gc_paused += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_paused -= 1
            restore = _gc_paused == 0 and _gc_we_disabled
            if restore:
                _gc_we_disabled = False
                gc.enable()
        if restore:
            gc.collect(0)


def fast_font_subsetting() -> bool:
    """Whether WeasyPrint will subset fonts with HarfBuzz (fast) rather than fontTools (slow)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


if not fast_font_subsetting():  # pragma: no cover - depends on the system libraries
    logging.getLogger(__name__).warning(
        "libharfbuzz-subset >= 4.1 not found: WeasyPrint subsets CJK fonts with fontTools, "
        "reports will take many seconds to render (install libharfbuzz-subset0)")


svg_text.install()


def _stylesheet() -> CSS:
    """The parsed print stylesheet (with the report font when it is built), reparsed only when
    the file changes."""
    return _print_css.get("\n" + fonts.FAMILY_CSS if fonts.available() else "")


_BETWEEN_LINES = re.compile(r">\s*\n\s*<")


def _markup(data: ReportInput, inline_css: str = "") -> str:
    ctx = build_context(data)
    html = env.get_template(TEMPLATE).render(**ctx, render_version=RENDER_VERSION, inline_css=inline_css)
    # Template indentation between tags only makes whitespace boxes for WeasyPrint to build and drop.
    return xml_safe(_BETWEEN_LINES.sub("><", html))


def render_html(data: ReportInput, standalone: bool = True) -> str:
    """The report as HTML (for debugging); ``standalone`` inlines the print stylesheet."""
    return _markup(data, Markup(STYLESHEET.read_text("utf-8")) if standalone else "")


def render_markup(markup: str) -> bytes:
    """PDF bytes of report markup, laid out and drawn in this process."""
    stylesheet = _stylesheet()
    with _gc_paused_during_render():
        document = ReportDocument(markup, base_url=str(ASSETS_DIR) + "/", url_fetcher=_fetcher)
        return document.write_pdf(stylesheets=[stylesheet], font_config=_font_config(), **PDF_OPTIONS)


def warm_up() -> None:
    """Load fonts and stylesheets with a one-line document (a new helper process does this)."""
    render_markup('<!DOCTYPE html><html lang="zh-CN"><head><title>预热</title></head>'
                  '<body><p>智造诊断 0123456789</p></body></html>')


def render_pdf(data: ReportInput, parallel_ok: bool = True) -> bytes:
    """The report as PDF bytes: on two cores when this process has a free render helper
    (``parallel``), else in this process."""
    markup = _markup(data)
    halves = split_markup(markup) if parallel_ok else None
    helper = parallel.acquire() if halves is not None else None
    if helper is None:
        return render_markup(markup)
    try:
        # The heavier half goes to the helper: this process also joins the PDFs afterwards.
        first, second = helper.render_halves(halves.first, halves.second, render_markup,
                                             helper_takes_first=halves.weights[0] > halves.weights[1])
    except BaseException as error:
        # The helper may be mid-exchange: never reuse it.
        parallel.release(helper)
        parallel.discard(helper)
        if isinstance(error, (parallel.HelperFailed, EOFError, OSError)):
            logging.getLogger(__name__).warning("report render helper failed (%s); rendering in one process", error)
            return render_markup(markup)
        raise
    parallel.release(helper)
    return join_pdfs(first, second)


# The Python modules that shape the report's content and charts count as templates too.
_CODE_FILES = tuple(Path(__file__).resolve().parent / name
                    for name in ("context.py", "charts.py", "render.py", "document.py", "split.py", "svg_text.py"))


def _template_files() -> list[tuple[str, Path]]:
    files = [(p.relative_to(REPORTS_DIR).as_posix(), p) for p in REPORTS_DIR.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    files += [(f"diagnosis/reports/{p.name}", p) for p in _CODE_FILES]
    return sorted(files)


_hash_cache: tuple[tuple, str] | None = None


def template_hash() -> str:
    """SHA-256 over RENDER_VERSION, every file of the report folder (templates, CSS, assets) and
    the report modules that shape the PDF (``_CODE_FILES``). Stored PDFs are keyed by it.

    Recomputed only when a file's size or modification time changes (one stat per file per call).
    """
    global _hash_cache
    files = _template_files()
    stamp = tuple((name, st.st_size, st.st_mtime_ns) for name, st in ((n, p.stat()) for n, p in files))
    cached = _hash_cache
    if cached is not None and cached[0] == stamp:
        return cached[1]
    h = hashlib.sha256()
    h.update(RENDER_VERSION.encode())
    for name, path in files:
        h.update(b"\0" + name.encode() + b"\0")
        h.update(path.read_bytes())
    digest = h.hexdigest()
    _hash_cache = (stamp, digest)
    return digest
