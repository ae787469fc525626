"""Shape SVG ``<text>`` as whole runs in WeasyPrint (backport of the fix for WeasyPrint #2249).

WeasyPrint 70 lays out and draws SVG text one code point at a time, so that per-glyph ``x``,
``y``, ``dx``, ``dy`` and ``rotate`` lists can be honoured. For the chart labels of the report
(plain ``x``/``y`` with one value each) that means one Pango layout and one PDF text object per
character: the five charts of the report cost about a sixth of the whole render, and shaping
across characters (kerning, ligatures, combining marks) is lost.

The upstream issue (https://github.com/Kozea/WeasyPrint/issues/2249) proposes the fix applied
here: when a ``<text>`` element has no per-glyph positioning, no ``letter-spacing`` and no
``textLength``, shape and draw its text as one run. Every other case goes to WeasyPrint's own
function unchanged. The WeasyPrint internals it needs come from ``compat.svg_internals()``, which
checks them; ``compat`` installs the function (``compat.install_svg_text``) only when they pass.
"""
from __future__ import annotations

from collections.abc import Callable
from math import inf
from types import SimpleNamespace

_PER_GLYPH = ("rotate", "textLength", "letter-spacing")


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


def _weight(value) -> int:
    if value == "normal":
        return 400
    if value == "bold":
        return 700
    try:
        return int(value)
    except ValueError:
        return 400


def make_text(wp: SimpleNamespace, original: Callable):
    """The drawing function for SVG ``<text>``, over WeasyPrint's internals ``wp``
    (``compat.svg_internals()``); ``original`` draws what is not a simple run."""

    def single(node, name: str) -> bool:
        """The attribute is absent or holds one value (no per-glyph list)."""
        value = node.attrib.get(name)
        return value is None or len(wp.normalize(value).split()) <= 1

    def is_simple(node) -> bool:
        """Whether the text element can be drawn as one run without changing its placement."""
        return (bool(node.text)
                and not any(name in node.attrib for name in _PER_GLYPH)
                and all(single(node, name) for name in ("x", "y", "dx", "dy"))
                and node.get("direction", "ltr") == "ltr")

    def style_of(svg, node, font_size):
        # The same dummy style WeasyPrint builds for SVG text (no CSS cascade in SVG images).
        style = wp.Style()
        style.update(wp.INITIAL_VALUES)
        style.font_config = svg.font_config
        style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
        style["font_style"] = node.get("font-style", "normal")
        style["font_weight"] = _weight(node.get("font-weight", 400))
        style["font_size"] = font_size
        return style

    def text(svg, node, font_size):
        """Draw an SVG text element: as one shaped run when it is simple, else WeasyPrint's way."""
        if not is_simple(node):
            return original(svg, node, font_size)

        style = style_of(svg, node, font_size)
        layout, _, _, width, height, baseline = wp.split_first_line(node.text, style, svg.context, inf, 0)

        def first(name, reference):
            value = node.attrib.get(name)
            return wp.size(wp.normalize(value).strip(), font_size, reference) if value is not None else None

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
        node.text_bounding_box = wp.extend_bounding_box(
            node.text_bounding_box,
            ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

        svg.stream.push_state()
        fill, stroke = svg.set_graphical_state(node, font_size)
        svg.stream.begin_text()
        layout.reactivate(style)
        svg.fill_stroke(fill, stroke, text=True)
        text_box = wp.TextBox(layout, style)
        text_box.baseline = baseline
        emojis = wp.draw_first_line(svg.stream, text_box, "none", "none",
                                    wp.Matrix(a=1, d=-1, e=x_position, f=y_position))
        svg.stream.end_text()
        svg.stream.pop_state()
        wp.draw_emojis(svg.stream, style, x, y, emojis)

    text.is_simple = is_simple
    return text
