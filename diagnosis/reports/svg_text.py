"""Shape SVG ``<text>`` as whole runs in WeasyPrint (backport of the fix for WeasyPrint #2249).

WeasyPrint 70 lays out and draws SVG text one code point at a time, so that per-glyph ``x``,
``y``, ``dx``, ``dy`` and ``rotate`` lists can be honoured. For the chart labels of the report
(plain ``x``/``y`` with one value each) that means one Pango layout and one PDF text object per
character: the five charts of the report cost about a sixth of the whole render, and shaping
across characters (kerning, ligatures, combining marks) is lost.

The upstream issue (https://github.com/Kozea/WeasyPrint/issues/2249) proposes the fix applied
here: when a ``<text>`` element has no per-glyph positioning, no ``letter-spacing`` and no
``textLength``, shape and draw its text as one run. Every other case goes to WeasyPrint's own
function unchanged. The fast path is installed only on the WeasyPrint major version it was
written against; ``installed()`` tells whether it is active (the bench prints it, a test
asserts it on the pinned version).
"""
from __future__ import annotations

import importlib
import logging
from math import inf

import weasyprint
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.draw.text import draw_emojis, draw_first_line
from weasyprint.matrix import Matrix
from weasyprint.svg import TAGS
from weasyprint.svg.bounding_box import extend_bounding_box
from weasyprint.svg.utils import normalize, size
from weasyprint.text.line_break import split_first_line

#: WeasyPrint major versions whose ``weasyprint.svg.text.text`` this module was checked against.
SUPPORTED_MAJOR_VERSIONS = ("70",)

# ``weasyprint.svg`` re-exports the function under the module's name, hence import_module.
svg_text_module = importlib.import_module("weasyprint.svg.text")
_original_text = svg_text_module.text
_PER_GLYPH = ("rotate", "textLength", "letter-spacing")


def _single(node, name: str) -> bool:
    """The attribute is absent or holds one value (no per-glyph list)."""
    value = node.attrib.get(name)
    return value is None or len(normalize(value).split()) <= 1


def is_simple(node) -> bool:
    """Whether the text element can be drawn as one run without changing its placement."""
    return (bool(node.text)
            and not any(name in node.attrib for name in _PER_GLYPH)
            and all(_single(node, name) for name in ("x", "y", "dx", "dy"))
            and node.get("direction", "ltr") == "ltr")


def _style(svg, node, font_size):
    # The same dummy style WeasyPrint builds for SVG text (no CSS cascade in SVG images).
    style = svg_text_module.Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    if weight == "normal":
        weight = 400
    elif weight == "bold":
        weight = 700
    else:
        try:
            weight = int(weight)
        except ValueError:
            weight = 400
    style["font_weight"] = weight
    style["font_size"] = font_size
    return style


def _y_align(node, font_size: float, height: float) -> float:
    # Same vertical alignment rules (and approximations) as WeasyPrint's per-glyph path.
    ascent, descent = font_size * 0.8, font_size * 0.2
    display_anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if display_anchor == "middle":
        return -height / 2
    if display_anchor == "top":
        return 0
    if display_anchor == "bottom":
        return -height
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0


def text(svg, node, font_size):
    """Draw an SVG text element: as one shaped run when it is simple, else WeasyPrint's way."""
    if not is_simple(node):
        return _original_text(svg, node, font_size)

    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)

    def first(name, reference):
        value = node.attrib.get(name)
        return size(normalize(value).strip(), font_size, reference) if value is not None else None

    x, y = first("x", svg.inner_width), first("y", svg.inner_height)
    dx, dy = first("dx", svg.inner_width), first("dy", svg.inner_height)
    if x is not None:
        svg.cursor_d_position[0] = 0
    if y is not None:
        svg.cursor_d_position[1] = 0
    svg.cursor_d_position[0] += dx or 0
    svg.cursor_d_position[1] += dy or 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y

    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + _y_align(node, font_size, height)
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = svg_text_module.TextBox(layout, style)
    text_box.baseline = baseline
    emojis = draw_first_line(svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install() -> bool:
    """Use the whole-run drawing for SVG text; returns whether it is active.

    WeasyPrint looks the function up twice: in its ``TAGS`` table (to draw) and as the global
    ``text`` of ``weasyprint.svg`` (``draw_node`` compares against it to handle ``text-anchor``
    and text bounding boxes), so both are replaced.
    """
    if installed():
        return True
    svg_package = importlib.import_module("weasyprint.svg")
    if (weasyprint.__version__.split(".")[0] not in SUPPORTED_MAJOR_VERSIONS
            or svg_package.text is not _original_text or TAGS.get("text") is not _original_text):
        logging.getLogger(__name__).warning(
            "WeasyPrint %s: SVG text drawn glyph by glyph (whole-run backport not installed)", weasyprint.__version__)
        return False
    for tag, function in list(TAGS.items()):
        if function is _original_text:
            TAGS[tag] = text
    svg_package.text = text
    return True


def installed() -> bool:
    return TAGS.get("text") is text and importlib.import_module("weasyprint.svg").text is text


def uninstall() -> None:
    """Back to WeasyPrint's own glyph-by-glyph drawing (tests compare the two)."""
    for tag, function in list(TAGS.items()):
        if function is text:
            TAGS[tag] = _original_text
    svg_package = importlib.import_module("weasyprint.svg")
    if svg_package.text is text:
        svg_package.text = _original_text
