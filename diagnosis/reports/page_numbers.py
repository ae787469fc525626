"""Page numbers for a document that is one part of a longer PDF.

When the report is laid out in two parts at once (``parallel``), each part knows its own page
count only when its pagination is done, and its footers need the other part's count: the second
part numbers its pages from after the first, and both print the total. WeasyPrint lays out the
margin boxes (header, footer) after paginating the whole document, so that is where the parts
exchange their counts: ``numbered`` installs, for the current thread, a function that gets this
part's page count and returns ``(offset, total)``; the ``page`` and ``pages`` counters of the
margin boxes are shifted accordingly. Without it, WeasyPrint numbers pages as usual.
"""
from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import weasyprint

SUPPORTED_MAJOR_VERSIONS = ("70",)

_layout = importlib.import_module("weasyprint.layout")
_original = _layout.make_margin_boxes
_local = threading.local()

Resolver = Callable[[int], tuple[int, int]]


def _make_margin_boxes(context, page, state):
    resolve = getattr(_local, "resolve", None)
    if resolve is None:
        return _original(context, page, state)
    quote_depth, counters, *rest = state
    own_total = counters["pages"][0]  # set for every page once pagination is done
    cached = getattr(_local, "numbers", None)
    if cached is None:
        cached = _local.numbers = resolve(own_total)
    offset, total = cached
    counters = dict(counters, page=[counters["page"][0] + offset], pages=[total])
    return _original(context, page, [quote_depth, counters, *rest])


def install() -> bool:
    if _layout.make_margin_boxes is _make_margin_boxes:
        return True
    if weasyprint.__version__.split(".")[0] not in SUPPORTED_MAJOR_VERSIONS:
        return False
    _layout.make_margin_boxes = _make_margin_boxes
    return True


@contextmanager
def numbered(resolve: Resolver) -> Iterator[None]:
    """Within the block, documents laid out by this thread number their pages with ``resolve``."""
    if not install():
        raise RuntimeError(f"page numbering across parts is not supported on WeasyPrint {weasyprint.__version__}")
    _local.resolve, _local.numbers = resolve, None
    try:
        yield
    finally:
        _local.resolve = _local.numbers = None
