"""Every touchpoint of the report engine with WeasyPrint internals, checked once per process.

The report renders fast thanks to a few optimizations that rely on WeasyPrint names that are not
its public API. They are all here, imported lazily (never at module import), and each one is
checked against the installed WeasyPrint before it is used:

``xhtml``           build the document from the C XML parser's element tree, setting what
                    ``HTML.__init__`` sets after parsing (instead of tinyhtml5, a pure-Python
                    HTML5 parser);
``ua-stylesheet``   replace WeasyPrint's user-agent stylesheet by ``reports/ua.css`` through the
                    private ``HTML._ua_stylesheets`` hook;
``svg-text-runs``   draw SVG chart labels as whole shaped runs (``svg_text``) by replacing
                    ``weasyprint.svg.text.text`` in the SVG drawing table;
``two-core``        render a report in two parts on two cores: needs each page's named page type
                    (``Page._page_box.page_type.name``) to stamp the page numbers, and pikepdf.

``status()`` runs the static checks once per process (the installed version, the private names,
the attribute set ``HTML.__init__`` makes, the hooks WeasyPrint looks up); ``verify()`` adds a
probe render of a one-page document (``render.warm_up``, the render helper, ``diagnosis doctor``,
``diagnosis worker`` and the benchmark run it). Every render checks again what it relies on: the
user-agent hook was called, no SVG label failed, the page types were readable. A check that fails
turns that optimization off for the process, logs it once, and the report renders the plain way:
public ``weasyprint.HTML`` and one process. A render that still fails with optimizations on turns
them all off and is rendered again plainly (``render.render_part``).
``REPORT_OPTIMIZATIONS=off`` in the environment turns them all off.
"""
from __future__ import annotations

import base64
import importlib
import logging
import os
import threading
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

log = logging.getLogger(__name__)

#: WeasyPrint major versions whose internals the optimizations were written against.
SUPPORTED_MAJOR_VERSIONS = ("70",)
OPTIMIZATIONS = ("xhtml", "ua-stylesheet", "svg-text-runs", "two-core")
#: The attributes ``HTML.__init__`` of the supported versions sets (the ``xhtml`` path sets them).
HTML_ATTRIBUTES = frozenset({"base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"})
#: The private names the whole-run SVG text drawing uses, as (module, name).
SVG_TEXT_NAMES = (
    ("weasyprint.css.properties", "INITIAL_VALUES"),
    ("weasyprint.draw.text", "draw_emojis"),
    ("weasyprint.draw.text", "draw_first_line"),
    ("weasyprint.matrix", "Matrix"),
    ("weasyprint.svg", "TAGS"),
    ("weasyprint.svg.bounding_box", "extend_bounding_box"),
    ("weasyprint.svg.utils", "normalize"),
    ("weasyprint.svg.utils", "size"),
    ("weasyprint.text.line_break", "split_first_line"),
    ("weasyprint.svg.text", "Style"),
    ("weasyprint.svg.text", "TextBox"),
    ("weasyprint.svg.text", "text"),
)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


class CompatError(RuntimeError):
    """A WeasyPrint internal is not what an optimization expects."""


class OptimizationFailed(RuntimeError):
    """An optimization failed inside a render in a way WeasyPrint swallowed (an SVG chart left out)."""

    def __init__(self, name: str, detail: str):
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail


_lock = threading.RLock()
_checks: dict[str, Check] | None = None
_probed = False
_disabled_reasons: dict[str, str] = {}
_probe_hits = {"ua": 0, "svg": 0, "svg_failures": 0}
_last_svg_error = ""


# ------------------------------------------------------------------------------------------ version

def weasyprint_version() -> str:
    import weasyprint

    return str(getattr(weasyprint, "__version__", "unknown"))


def _check_version() -> None:
    version = weasyprint_version()
    if version.split(".")[0] not in SUPPORTED_MAJOR_VERSIONS:
        raise CompatError(f"WeasyPrint {version} is not a checked version ({', '.join(SUPPORTED_MAJOR_VERSIONS)}.x)")


# ------------------------------------------------------------------------------------------ documents

_document_class = None


def document_class():
    """``weasyprint.HTML`` with the report's user-agent stylesheet hook and a constructor from an
    element tree. Only its ``_ua_stylesheets`` override and ``from_tree`` touch internals."""
    global _document_class
    if _document_class is not None:
        return _document_class
    import cssselect2
    from weasyprint import HTML
    from weasyprint.urls import ensure_url

    class ReportHTML(HTML):
        #: The stylesheet ``_ua_stylesheets`` returns instead of WeasyPrint's (None: WeasyPrint's).
        report_ua = None

        @classmethod
        def from_tree(cls, root, base_url: str, url_fetcher, media_type: str = "print"):
            """A document of an element tree parsed elsewhere: what ``HTML.__init__`` sets after
            parsing (the report has no ``<base>`` element)."""
            self = cls.__new__(cls)
            self.base_url = ensure_url(base_url) if base_url is not None else None
            self.url_fetcher = url_fetcher
            self.media_type = media_type
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element
            return self

        def _ua_stylesheets(self, forms: bool = False):
            if self.report_ua is None:
                return super()._ua_stylesheets(forms)
            _probe_hits["ua"] += 1
            return [self.report_ua]

    _document_class = ReportHTML
    return ReportHTML


def _check_xhtml() -> None:
    _check_version()
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = HTML(string="<p>x</p>", base_url="/", url_fetcher=URLFetcher())
    found = frozenset(vars(html))
    if found != HTML_ATTRIBUTES:
        raise CompatError(f"HTML() sets {sorted(found)}, expected {sorted(HTML_ATTRIBUTES)}")
    import cssselect2

    if not callable(getattr(cssselect2.ElementWrapper, "from_html_root", None)):
        raise CompatError("cssselect2.ElementWrapper.from_html_root is missing")
    document_class()


def _check_ua_hook() -> None:
    _check_version()
    from weasyprint import HTML

    if not callable(getattr(HTML, "_ua_stylesheets", None)):
        raise CompatError("HTML._ua_stylesheets is missing")
    document_class()


def ua_hook_calls() -> int:
    """How many times WeasyPrint called the user-agent stylesheet hook (to tell it still does)."""
    return _probe_hits["ua"]


# ------------------------------------------------------------------------------------------ SVG text

_svg: SimpleNamespace | None = None
_svg_original = None


def svg_internals() -> SimpleNamespace:
    """The private WeasyPrint names the whole-run SVG text drawing uses (raises CompatError)."""
    global _svg
    if _svg is not None:
        return _svg
    names: dict[str, Any] = {}
    for module_name, name in SVG_TEXT_NAMES:
        try:
            module = importlib.import_module(module_name)
            names[name] = getattr(module, name)
        except (ImportError, AttributeError) as error:
            raise CompatError(f"{module_name}.{name} is missing ({error})") from error
    names["svg_text_module"] = importlib.import_module("weasyprint.svg.text")
    names["svg_package"] = importlib.import_module("weasyprint.svg")
    _svg = SimpleNamespace(**names)
    return _svg


def _check_svg_text() -> None:
    _check_version()
    wp = svg_internals()
    original = _svg_original or wp.text
    if wp.TAGS.get("text") not in (original, _svg_text_function()) or \
            getattr(wp.svg_package, "text", None) not in (original, _svg_text_function()):
        raise CompatError("weasyprint.svg no longer draws <text> through weasyprint.svg.text.text")


_svg_function = None


def _svg_text_function():
    global _svg_function
    if _svg_function is None:
        from . import svg_text

        def counted(svg, node, font_size, _draw=svg_text.make_text(svg_internals(), _original_svg_text)):
            # WeasyPrint catches an error drawing an SVG image and leaves the image out: count it,
            # so that the render is done again without this optimization (render.render_part).
            global _last_svg_error
            _probe_hits["svg"] += 1
            try:
                return _draw(svg, node, font_size)
            except Exception as error:
                _probe_hits["svg_failures"] += 1
                _last_svg_error = f"{type(error).__name__}: {error}"
                raise

        _svg_function = counted
    return _svg_function


def _original_svg_text(svg, node, font_size):
    return (_svg_original or svg_internals().text)(svg, node, font_size)


def install_svg_text() -> None:
    """Draw SVG ``<text>`` as whole runs: WeasyPrint looks the function up in its ``TAGS`` table
    (to draw) and as the global ``text`` of ``weasyprint.svg`` (``draw_node`` compares against it
    for ``text-anchor`` and bounding boxes), so both are replaced."""
    global _svg_original
    wp = svg_internals()
    ours = _svg_text_function()
    with _lock:
        if wp.TAGS.get("text") is ours:
            return
        _svg_original = wp.TAGS.get("text")
        for tag, function in list(wp.TAGS.items()):
            if function is _svg_original:
                wp.TAGS[tag] = ours
        wp.svg_package.text = ours


def uninstall_svg_text() -> None:
    """Back to WeasyPrint's own glyph-by-glyph drawing."""
    global _svg_original
    if _svg is None or _svg_original is None:
        return
    ours = _svg_text_function()
    with _lock:
        for tag, function in list(_svg.TAGS.items()):
            if function is ours:
                _svg.TAGS[tag] = _svg_original
        if getattr(_svg.svg_package, "text", None) is ours:
            _svg.svg_package.text = _svg_original
        _svg_original = None


def svg_text_installed() -> bool:
    return _svg is not None and _svg_function is not None and _svg.TAGS.get("text") is _svg_function


def svg_text_calls() -> int:
    return _probe_hits["svg"]


def svg_text_failures() -> tuple[int, str]:
    """How many times the whole-run SVG text drawing raised, and the last error."""
    return _probe_hits["svg_failures"], _last_svg_error


# ------------------------------------------------------------------------------------------ pages

def page_names(document) -> list[str]:
    """The named page type of each page of a rendered ``weasyprint.Document`` ('' if unnamed)."""
    return [str(page._page_box.page_type.name or "") for page in document.pages]


def _check_two_core() -> None:
    try:
        import pikepdf  # noqa: F401
    except ImportError as error:
        raise CompatError(f"pikepdf is not installed ({error})") from error
    # page_names() itself is exercised by the probe render.


# ------------------------------------------------------------------------------------------ fonts

def fast_font_subsetting() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (milliseconds) rather than fontTools
    (seconds per CJK font): libharfbuzz-subset >= 4.1 loaded by WeasyPrint's FFI module."""
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

        return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    except Exception:  # noqa: BLE001 - another version's FFI layout: unknown means "not known fast"
        return False


# ------------------------------------------------------------------------------------------ checks

_STATIC_CHECKS = {
    "xhtml": _check_xhtml,
    "ua-stylesheet": _check_ua_hook,
    "svg-text-runs": _check_svg_text,
    "two-core": _check_two_core,
}

_PROBE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30" font-family="sans-serif" '
              'font-size="11"><text x="4" y="18">智造诊断 标签</text></svg>')


def probe_markup() -> str:
    """A one-page report-like document: Chinese text and an SVG chart label (also the warm-up)."""
    data = base64.b64encode(_PROBE_SVG.encode()).decode()
    return ('<!DOCTYPE html><html lang="zh-CN"><head><title>预热</title></head><body>'
            f'<p>智造诊断 0123456789</p><img alt="" src="data:image/svg+xml;base64,{data}"/></body></html>')


def verify() -> dict[str, Check]:
    """The static checks and, once per process, the probe render (``warm_up``, doctor, bench)."""
    global _probed
    with _lock:
        status()
        if not _probed:
            _probed = True
            before = {name for name, check in _checks.items() if not check.ok}
            _probe(_checks)
            for check in _checks.values():
                if not check.ok and check.name not in before:
                    log.warning("report optimization %r is off: %s; reports render without it",
                                check.name, check.detail)
    return status()


def status(run: bool = True) -> dict[str, Check]:
    """Every check, the static ones run once per process (``run=False``: only what is known)."""
    global _checks
    with _lock:
        if _checks is None and run:
            _checks = _run_checks()
        checks = dict(_checks or {})
        for name, reason in _disabled_reasons.items():
            if name in checks and checks[name].ok:
                checks[name] = Check(name, False, reason)
        return checks


def enabled(name: str) -> bool:
    check = status().get(name)
    return bool(check and check.ok)


def disable(name: str, reason: str) -> None:
    """Turn an optimization off for the rest of the process (logged once)."""
    with _lock:
        if name in _disabled_reasons:
            return
        _disabled_reasons[name] = reason
        if name == "svg-text-runs":
            uninstall_svg_text()
    log.warning("report optimization %r turned off: %s; reports render without it", name, reason)


def disable_all(reason: str) -> None:
    for name in OPTIMIZATIONS:
        disable(name, reason)


def reset() -> None:
    """Forget every result and patch (tests simulate failures, then check again)."""
    global _checks, _svg, _svg_function, _document_class, _probed
    with _lock:
        uninstall_svg_text()
        _checks = None
        _probed = False
        _disabled_reasons.clear()
        _svg = None
        _svg_function = None
        _document_class = None


def _run_checks() -> dict[str, Check]:
    checks: dict[str, Check] = {}
    if os.environ.get("REPORT_OPTIMIZATIONS", "").lower() in ("0", "off", "no"):
        return {name: Check(name, False, "REPORT_OPTIMIZATIONS=off") for name in OPTIMIZATIONS} | _info()
    for name, check in _STATIC_CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "do not use it"
            checks[name] = Check(name, False, f"{type(error).__name__}: {error}")
        else:
            checks[name] = Check(name, True, "ok")
    if checks["svg-text-runs"].ok:
        try:
            install_svg_text()
        except Exception as error:  # noqa: BLE001
            checks["svg-text-runs"] = Check("svg-text-runs", False, f"install failed: {type(error).__name__}: {error}")
    for check in checks.values():
        if not check.ok:
            log.warning("report optimization %r is off: %s; reports render without it", check.name, check.detail)
    return checks | _info()


def _probe(checks: dict[str, Check]) -> None:
    """Render the probe document with the optimizations that passed; an optimization whose hook
    was not called, or whose presence makes the render fail, is turned off."""
    from .render import render_part

    def attempt() -> list[str]:
        ua, svg, failed = _probe_hits["ua"], _probe_hits["svg"], _probe_hits["svg_failures"]
        _, names = render_part(probe_markup(), optimizations={n for n, c in checks.items() if c.ok}, retry_plain=False)
        if checks["svg-text-runs"].ok and _probe_hits["svg_failures"] != failed:
            uninstall_svg_text()
            checks["svg-text-runs"] = Check("svg-text-runs", False, f"probe render failed with it: {_last_svg_error}")
            svg = _probe_hits["svg"]
        if checks["ua-stylesheet"].ok and _probe_hits["ua"] == ua:
            checks["ua-stylesheet"] = Check("ua-stylesheet", False, "WeasyPrint did not call HTML._ua_stylesheets")
        if checks["svg-text-runs"].ok and _probe_hits["svg"] == svg and _probe_hits["svg_failures"] == failed:
            uninstall_svg_text()
            checks["svg-text-runs"] = Check("svg-text-runs", False, "WeasyPrint did not call the SVG text function")
        return names

    try:
        names = attempt()
    except Exception as first:  # noqa: BLE001 - find which optimization breaks the render
        for name in ("svg-text-runs", "ua-stylesheet", "xhtml", "two-core"):
            if not checks[name].ok:
                continue
            if name == "svg-text-runs":
                uninstall_svg_text()
            checks[name] = Check(name, False, f"probe render failed with it: {type(first).__name__}: {first}")
            try:
                names = attempt()
                break
            except Exception:  # noqa: BLE001
                continue
        else:
            return  # even the plain render fails: reported by the first real render
    if checks["two-core"].ok and names != [""]:
        checks["two-core"] = Check("two-core", False, f"page names not readable (got {names!r})")


def _info() -> dict[str, Check]:
    from . import fonts

    return {
        "weasyprint": Check("weasyprint", weasyprint_version().split(".")[0] in SUPPORTED_MAJOR_VERSIONS,
                            weasyprint_version()),
        "harfbuzz-subset": Check("harfbuzz-subset", fast_font_subsetting(),
                                 "fonts subset by HarfBuzz" if fast_font_subsetting()
                                 else "fontTools subsets CJK fonts, reports take seconds (install libharfbuzz-subset0)"),
        "report-font": Check("report-font", fonts.available(),
                             str(fonts.FONT_PATH) if fonts.available() else "not built: run `diagnosis fonts build`"),
    }


def summary() -> str:
    """One line: every check (the probe render included), for logs and the benchmark header."""
    return "  ".join(f"{c.name}: {'on' if c.ok else 'OFF'}" for c in verify().values())
