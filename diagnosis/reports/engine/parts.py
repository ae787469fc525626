"""Cut a report in two parts at a chapter boundary the template marks.

The templates mark every chapter that starts on a new page with ``data-chapter`` on its top-level
``<section>`` (``reports/report.html`` explains the markers). A part that begins with such a
chapter lays out exactly as it would after the chapters before it: only the page numbers in the
footers (stamped after joining, ``joining``) and the running header strings depend on what came
before. The elements that set the running strings carry ``data-running``; the second part gets
copies of them in a hidden ``div.run-strings`` (``reports/print.css``) at its start.

The cut balances the parts' estimated layout cost: elements, and SVG charts counting for many.
"""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass

CHAPTER_MARK = "data-chapter"
RUNNING_MARK = "data-running"
#: Rough cost of a chart relative to one element (its SVG is parsed and drawn), from profiles.
CHART_WEIGHT = 120


@dataclass(frozen=True)
class Parts:
    first: ET.Element        # head, cover and the first chapters
    second: ET.Element       # head and the remaining chapters, with the running header strings
    chapters: tuple[int, int]  # top-level body elements in each part
    weights: tuple[int, int]   # estimated layout cost of each part (``weight``)


def weight(element: ET.Element) -> int:
    """Estimated layout cost of an element: its elements, SVG charts counting for many."""
    total = 0
    for node in element.iter():
        total += 1
        if node.tag == "img" and (node.get("src") or "").startswith("data:image/svg+xml"):
            total += CHART_WEIGHT
    return total


def boundaries(body: ET.Element) -> list[int]:
    """Indices of the top-level body elements the report may be cut before."""
    return [i for i, child in enumerate(body) if i > 0 and child.get(CHAPTER_MARK) is not None]


def split(root: ET.Element, cut: int | None = None) -> Parts | None:
    """The report as two documents of about equal layout cost, cut before a marked chapter
    (``cut``: before that top-level element, which must be marked). ``None`` when there is no
    marked chapter to cut before."""
    head, body = root.find("head"), root.find("body")
    if head is None or body is None:
        return None
    children = list(body)
    marks = boundaries(body)
    if not marks:
        return None
    weights = [weight(child) for child in children]
    if cut is None:
        total = sum(weights)
        cut = min(marks, key=lambda i: (abs(total - 2 * sum(weights[:i])), i))
    elif cut not in marks:
        raise ValueError(f"element {cut} is not a marked chapter boundary")
    first = _document(root, head, children[:cut])
    rest = [copy.copy(children[cut]), *children[cut + 1:]]
    running = []
    for child in children[:cut]:
        for element in child.iter():
            if element.get(RUNNING_MARK) is not None:
                carried = copy.deepcopy(element)
                carried.tail = None
                running.append(carried)
    if running:
        carrier = ET.Element("div", {"class": "run-strings"})
        carrier.extend(running)
        rest[0].insert(0, carrier)
    second = _document(root, head, rest)
    return Parts(first, second, (cut, len(children) - cut), (sum(weights[:cut]), sum(weights[cut:])))


def _document(root: ET.Element, head: ET.Element, children: list[ET.Element]) -> ET.Element:
    html = ET.Element(root.tag, root.attrib)
    html.append(head)
    body = ET.SubElement(html, "body", root.find("body").attrib)
    body.extend(children)
    return html


def to_markup(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode")
