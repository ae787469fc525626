"""Server-side SVG charts, shared by the web result page and the PDF report.

Pure functions: data in, an SVG string out (``markupsafe.Markup``, so Jinja2 inserts it as is).
Every label is escaped. The font is set on the ``<svg>`` element itself, so Chinese labels render
in WeasyPrint (which does not apply the page's CSS to inline SVG text) and in browsers alike.
Coordinates are rounded to one decimal to keep the markup small.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from ...numbers import num

FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"

ACCENT = "#0b5c8a"
ACCENT_LIGHT = "#7fb3d5"
PEER = "#d9822b"
GRID = "#d5dce3"
AXIS_TEXT = "#6b7785"
TEXT = "#1f2d3a"
GROUP_COLORS = ("#0b5c8a", "#2a9d8f", "#7a5ea8", "#d9822b", "#5b7083")


def _f(value: float) -> str:
    """Compact coordinate: one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else num(float(value), digits)


def _svg_open(width: float, height: float, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" height="{_f(height)}" '
            f'viewBox="0 0 {_f(width)} {_f(height)}" font-family="{FONT_FAMILY}" font-size="11" '
            f'fill="{TEXT}" role="img" aria-label="{escape(label)}">')


def _text(x: float, y: float, content: Any, anchor: str = "start", size: float | None = None,
          fill: str | None = None, weight: str | None = None) -> str:
    attrs = [f'x="{_f(x)}"', f'y="{_f(y)}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if size is not None:
        attrs.append(f'font-size="{_f(size)}"')
    if fill is not None:
        attrs.append(f'fill="{fill}"')
    if weight is not None:
        attrs.append(f'font-weight="{weight}"')
    return f'<text {" ".join(attrs)}>{escape(content)}</text>'


def radar_scale(values: Iterable[float | None], top: float = 5) -> float:
    """The radar's outer ring: the smallest whole level at or above every value (at least 1, at most
    ``top``), so that a plant at 0.5 fills its chart instead of showing a speck on a 0–5 scale."""
    highest = max((float(v) for v in values if v is not None), default=0.0)
    return float(min(top, max(1, math.ceil(highest - 1e-9))))


def radar_svg(labels: Sequence[str], values: Sequence[float | None],
              peer_values: Sequence[float | None] | None = None, max_value: float | None = None,
              series_label: str = "本企业", peer_label: str = "可比企业平均",
              width: int = 560, height: int = 470,
              missing_labels: Sequence[str | None] | None = None) -> Markup:
    """A radar (spider) chart: one spoke per label, rings at every integer level up to max_value
    (by default ``radar_scale`` of the values; half levels too when the scale is two levels or less).

    ``None`` values (e.g. a sub-domain tailored out) are drawn at 0 and their label is greyed.
    """
    if max_value is None:
        max_value = radar_scale([*values, *(peer_values or [])])
    n = len(labels)
    if n < 3:
        raise ValueError("a radar chart needs at least three axes")
    if len(values) != n or (peer_values is not None and len(peer_values) != n):
        raise ValueError("labels and values must have the same length")
    legend_h = 26
    cx, cy = width / 2, (height - legend_h) / 2 + 4
    radius = min(width / 2 - 95, (height - legend_h) / 2 - 42)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, min(value, max_value)) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    out = [_svg_open(width, height, f"雷达图：{n} 个维度，满分 {_num(max_value)}")]
    # Rings and spokes: one path each (fewer elements render faster in WeasyPrint).
    step = 0.5 if max_value <= 2 else 1.0
    ring_levels = [step * k for k in range(1, int(round(max_value / step)) + 1)]
    rings = []
    for level in ring_levels:
        pts = [point(i, level) for i in range(n)]
        rings.append("M" + " L".join(f"{_f(x)},{_f(y)}" for x, y in pts) + " Z")
    out.append(f'<path d="{" ".join(rings)}" fill="none" stroke="{GRID}" stroke-width="1"/>')
    spokes = " ".join(f"M{_f(cx)},{_f(cy)} L{_f(x)},{_f(y)}" for x, y in (point(i, max_value) for i in range(n)))
    out.append(f'<path d="{spokes}" fill="none" stroke="{GRID}" stroke-width="0.8"/>')
    for level in ring_levels:
        x, y = point(0, level)
        out.append(_text(x + 4, y + 3.5, _num(level), size=8.5, fill=AXIS_TEXT))
    # Series.
    if peer_values is not None:
        pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in (point(i, v or 0.0) for i, v in enumerate(peer_values)))
        out.append(f'<polygon points="{pts}" fill="none" stroke="{PEER}" stroke-width="1.6" stroke-dasharray="5 3"/>')
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in (point(i, v or 0.0) for i, v in enumerate(values)))
    out.append(f'<polygon points="{pts}" fill="{ACCENT}" fill-opacity="0.18" stroke="{ACCENT}" stroke-width="2"/>')
    dots = " ".join(f"M{_f(x - 2.6)},{_f(y)} a2.6,2.6 0 1,0 5.2,0 a2.6,2.6 0 1,0 -5.2,0"
                    for x, y in (point(i, v or 0.0) for i, v in enumerate(values)))
    out.append(f'<path d="{dots}" fill="{ACCENT}"/>')
    # Axis labels with the value.
    for i, label in enumerate(labels):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        lx = cx + (radius + 14) * math.cos(angle)
        ly = cy + (radius + 14) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        sin = math.sin(angle)
        # Two lines (label, value), placed away from the ring: above it at the top, below at the bottom.
        dy = -14 if sin < -0.5 else (10 if sin > 0.5 else 0)
        value = values[i]
        muted = value is None
        out.append(_text(lx, ly + dy, label, anchor=anchor, size=10.5, fill=AXIS_TEXT if muted else TEXT))
        missing = (missing_labels[i] if missing_labels else None) or "不适用"
        out.append(_text(lx, ly + dy + 12, missing if muted else _num(value), anchor=anchor, size=9,
                         fill=AXIS_TEXT if muted else ACCENT))
    # Legend.
    ly = height - 12
    items = [(ACCENT, series_label, False)] + ([(PEER, peer_label, True)] if peer_values is not None else [])
    total = sum(30 + 12 * len(str(t)) + 24 for _, t, _ in items)
    x = cx - total / 2
    for color, text, dashed in items:
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        out.append(f'<line x1="{_f(x)}" y1="{_f(ly - 4)}" x2="{_f(x + 24)}" y2="{_f(ly - 4)}" '
                   f'stroke="{color}" stroke-width="2.4"{dash}/>')
        out.append(_text(x + 30, ly, text, size=10.5))
        x += 30 + 12 * len(str(text)) + 24
    out.append("</svg>")
    return Markup("".join(out))


def bars_svg(rows: Iterable[Mapping[str, Any]], width: int = 640, label_width: int = 120,
             row_height: int = 20) -> Markup:
    """Horizontal bars: ``rows`` of ``{"label", "value", "max", "level": 0|1}``.

    Level-0 rows (dimensions) are larger and dark, level-1 rows (their areas) indented and lighter.
    (No bold anywhere: the PDF embeds one font face only.)
    The value is printed as ``value / max``.
    """
    rows = list(rows)
    value_width = 78
    bar_x = label_width
    bar_w = width - label_width - value_width
    height = row_height * len(rows) + 8
    out = [_svg_open(width, height, f"条形图：{len(rows)} 项")]
    tracks, main_bars, sub_bars, texts = [], [], [], []
    for i, row in enumerate(rows):
        y = 4 + i * row_height
        sub = bool(row.get("level"))
        maximum = float(row.get("max") or 0) or 1.0
        value = float(row.get("value") or 0)
        frac = max(0.0, min(value / maximum, 1.0))
        bar_h = row_height * (0.42 if sub else 0.58)
        by = y + (row_height - bar_h) / 2
        tracks.append(f"M{_f(bar_x)},{_f(by)} h{_f(bar_w)} v{_f(bar_h)} h{_f(-bar_w)} Z")
        if frac > 0:
            (sub_bars if sub else main_bars).append(
                f"M{_f(bar_x)},{_f(by)} h{_f(bar_w * frac)} v{_f(bar_h)} h{_f(-bar_w * frac)} Z")
        texts.append(_text(14 if sub else 0, y + row_height / 2 + 4, row.get("label", ""), size=10 if sub else 11,
                           fill=AXIS_TEXT if sub else TEXT))
        texts.append(_text(width - 2, y + row_height / 2 + 4, f"{_num(value)} / {_num(maximum)}", anchor="end",
                           size=10 if sub else 11, fill=AXIS_TEXT if sub else TEXT))
    out.append(f'<path d="{" ".join(tracks)}" fill="#eef2f5"/>')
    if main_bars:
        out.append(f'<path d="{" ".join(main_bars)}" fill="{ACCENT}"/>')
    if sub_bars:
        out.append(f'<path d="{" ".join(sub_bars)}" fill="{ACCENT_LIGHT}"/>')
    out.extend(texts)
    out.append("</svg>")
    return Markup("".join(out))


def scene_levels_svg(scenes: Iterable[Mapping[str, Any]], max_level: int = 4, width: int = 640,
                     row_height: int = 18) -> Markup:
    """Scene levels 0..max_level: ``scenes`` of ``{"id", "name", "group", "level"}``, grouped in order.

    Each group gets a header line and its own colour; a scale 0..max_level runs along the top.
    """
    scenes = list(scenes)
    groups: list[tuple[str, list[Mapping[str, Any]]]] = []
    for s in scenes:
        if not groups or groups[-1][0] != s.get("group", ""):
            groups.append((s.get("group", ""), []))
        groups[-1][1].append(s)
    label_width = 132
    bar_x = label_width
    bar_w = width - label_width - 44
    top = 22
    height = top + row_height * (len(scenes) + len(groups)) + 6
    out = [_svg_open(width, height, f"场景等级：{len(scenes)} 个场景，0–{max_level} 级")]
    grid = " ".join(f"M{_f(bar_x + bar_w * level / max_level)},{top - 4} V{_f(height - 4)}"
                    for level in range(max_level + 1))
    out.append(f'<path d="{grid}" fill="none" stroke="{GRID}" stroke-width="0.8"/>')
    for level in range(max_level + 1):
        out.append(_text(bar_x + bar_w * level / max_level, top - 9, f"{level}级", anchor="middle", size=9,
                         fill=AXIS_TEXT))
    y = top
    for gi, (group, items) in enumerate(groups):
        color = GROUP_COLORS[gi % len(GROUP_COLORS)]
        shapes = [f"M0,{_f(y + 5)} h4 v{_f(row_height - 9)} h-4 Z"]
        out.append(_text(9, y + row_height - 5, group, size=10.5, fill=color))
        y += row_height
        for s in items:
            level = max(0, min(int(s.get("level") or 0), max_level))
            label = f"{s.get('id', '')} {s.get('name', '')}".strip()
            out.append(_text(12, y + row_height - 5.5, label, size=10))
            bh = row_height * 0.55
            by = y + (row_height - bh) / 2
            if level > 0:
                w = bar_w * level / max_level
                shapes.append(f"M{_f(bar_x)},{_f(by)} h{_f(w)} v{_f(bh)} h{_f(-w)} Z")
            out.append(_text(bar_x + bar_w * level / max_level + 5, y + row_height - 5.5, f"{level}",
                             size=10.5, fill=color))
            y += row_height
        out.append(f'<path d="{" ".join(shapes)}" fill="{color}"/>')
    out.append("</svg>")
    return Markup("".join(out))


def gantt_svg(items: Sequence[Mapping[str, Any]], phases: Sequence[Mapping[str, Any]], width: int = 640,
              row_height: int = 17, label_width: int = 230) -> Markup:
    """A Gantt-style roadmap: ``phases`` of ``{"key", "short", "start", "end"}`` (months) as columns
    along the top, one row per item of ``items`` (``{"priority", "title", "phase", "prerequisites":
    [priority, ...]}``, in priority order) with a bar over its phase, and an arrow from each
    prerequisite's bar to the item's."""
    items = list(items)
    phases = [p for p in phases if p["end"] > p["start"]]
    if not items or not phases:
        return Markup("")
    start, end = min(p["start"] for p in phases), max(p["end"] for p in phases)
    chart_x, chart_w = label_width, width - label_width - 8
    top = 34
    height = top + row_height * len(items) + 8

    def x_of(month: float) -> float:
        return chart_x + chart_w * (month - start) / (end - start)

    out = [_svg_open(width, height, f"路线图：{len(items)} 个项目，{len(phases)} 个阶段")]
    span = {p["key"]: (p["start"], p["end"]) for p in phases}
    color = {p["key"]: GROUP_COLORS[i % len(GROUP_COLORS)] for i, p in enumerate(phases)}
    bands, ticks = [], []
    for i, p in enumerate(phases):
        x0, x1 = x_of(p["start"]), x_of(p["end"])
        if i % 2 == 0:
            bands.append(f"M{_f(x0)},{top - 4} H{_f(x1)} V{_f(height - 4)} H{_f(x0)} Z")
        out.append(_text((x0 + x1) / 2, 12, p["short"], anchor="middle", size=10.5, fill=color[p["key"]]))
        ticks.append((p["start"], x0))
        ticks.append((p["end"], x1))
    out.append(f'<path d="{" ".join(bands)}" fill="#f3f6f9"/>')
    for month, x in dict(ticks).items():
        anchor = "start" if month == start else ("end" if month == end else "middle")
        out.append(_text(x, 26, f"{_num(month)}个月" if month else "0", anchor=anchor, size=8.5, fill=AXIS_TEXT))
    grid = " ".join(f"M{_f(x)},{top - 4} V{_f(height - 4)}" for _, x in ticks)
    out.append(f'<path d="{grid}" fill="none" stroke="{GRID}" stroke-width="0.8"/>')
    row_of = {it["priority"]: i for i, it in enumerate(items)}
    bars: dict[str, list[str]] = {}
    arrows: list[str] = []
    heads: list[str] = []
    for i, it in enumerate(items):
        y = top + i * row_height
        label = f"{it['priority']}. {it['title']}"
        if len(label) > 19:
            label = label[:18] + "…"
        out.append(_text(0, y + row_height - 5, label, size=9.5))
        s0, s1 = span.get(it["phase"], (start, end))
        x0, x1 = x_of(s0) + 2, x_of(s1) - 2
        bh = row_height * 0.56
        by = y + (row_height - bh) / 2
        bars.setdefault(it["phase"], []).append(f"M{_f(x0)},{_f(by)} H{_f(x1)} V{_f(by + bh)} H{_f(x0)} Z")
        for pre in it.get("prerequisites") or []:
            j = row_of.get(pre)
            if j is None:
                continue
            pre_phase = items[j]["phase"]
            px = x_of(span.get(pre_phase, (start, end))[1]) - 2
            py = top + j * row_height + row_height / 2
            ty = y + row_height / 2
            tx = x0
            if px > tx:                      # same phase: from the prerequisite's start instead
                px = x_of(span.get(pre_phase, (start, end))[0]) + 6
                tx = px
            if tx != px:
                arrows.append(f"M{_f(px)},{_f(py)} V{_f(ty)} H{_f(tx - 3)}")
                heads.append(f"M{_f(tx)},{_f(ty)} l-4,-2.4 v4.8 Z")
            else:                            # down the phase's start, into the item's bar
                end_y = ty - row_height * 0.28
                arrows.append(f"M{_f(px)},{_f(py + row_height * 0.28)} V{_f(end_y - 3)}")
                heads.append(f"M{_f(px)},{_f(end_y)} l-2.4,-4 h4.8 Z")
    for key, shapes in bars.items():
        out.append(f'<path d="{" ".join(shapes)}" fill="{color.get(key, ACCENT)}" fill-opacity="0.85"/>')
    if arrows:
        out.append(f'<path d="{" ".join(arrows)}" fill="none" stroke="{TEXT}" stroke-width="0.9" '
                   f'stroke-dasharray="2 1.5"/>')
        out.append(f'<path d="{" ".join(heads)}" fill="{TEXT}"/>')
    out.append("</svg>")
    return Markup("".join(out))
