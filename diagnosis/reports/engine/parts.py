"""Cut a report into two documents of about equal layout cost, at chapter boundaries the template marks.

The templates mark every chapter that starts on a new page with ``data-chapter`` (and its ``id``)
on its top-level ``<section>`` (``reports/report.html`` explains the markers). The marks cut the
body into *groups* of chapters; each group starts on a new page, so it lays out the same in any
document that holds it, whatever comes before it there: only the page numbers in the footers
(stamped after joining, ``joining``) and the running header strings depend on what came before.

Each group goes to one of the two documents; a document may hold groups that are not next to each
other in the report (the roadmap alone costs a third of a report, so the only contiguous cuts
leave one part a fifth heavier than the other). ``joining`` finds where each group starts in its
document by the group's named destination (its ``id``) and puts the pages back in report order.

The elements that set the running strings carry ``data-running``. A group whose document does
not hold what comes right before it gets copies of the running elements it missed, in a hidden
``div.run-strings`` (``reports/print.css``) at its start.

The layout cost of a group is estimated from its elements and SVG charts (``weight``). The caller
may ask for one document to be lighter by a share of the whole (``lighter_by``): the process that
renders it also builds the markup before and joins the PDFs after.
"""
from __future__ import annotations

import copy
import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass

CHAPTER_MARK = "data-chapter"
RUNNING_MARK = "data-running"
#: Estimated layout cost of an element and of an SVG chart (parsed and drawn), in hundredths of
#: an element. Fitted to the CPU time of each chapter group of the demo report rendered alone
#: (0.86 ms an element, 38 ms a chart; the length of the text made no measurable difference:
#: the work goes with boxes and lines, and lines with elements).
ELEMENT_WEIGHT = 100
CHART_WEIGHT = 4400
#: Assignments tried exhaustively up to this many groups (2 ** (n - 1) of them); more are merged.
MAX_GROUPS = 12


@dataclass(frozen=True)
class Group:
    """Consecutive top-level body elements starting on a new page, rendered in one document."""
    part: int              # 0 or 1: the document that holds it
    anchor: str | None     # the id of its first element (None for the report's first group)
    elements: int          # how many top-level body elements it has


@dataclass(frozen=True)
class Parts:
    first: ET.Element          # the document holding the report's first group (the cover)
    second: ET.Element         # the other document
    groups: tuple[Group, ...]  # every group, in report order
    weights: tuple[int, int]   # estimated layout cost of each document (``weight``)

    @property
    def documents(self) -> tuple[ET.Element, ET.Element]:
        return self.first, self.second


def weight(element: ET.Element) -> int:
    """Estimated layout cost of an element: its elements, SVG charts counting for many."""
    total = 0
    for node in element.iter():
        total += ELEMENT_WEIGHT
        if node.tag == "img" and (node.get("src") or "").startswith("data:image/svg+xml"):
            total += CHART_WEIGHT
    return total


def boundaries(body: ET.Element) -> list[int]:
    """Indices of the top-level body elements the report may be cut before (marked, with an id)."""
    return [i for i, child in enumerate(body)
            if i > 0 and child.get(CHAPTER_MARK) is not None and child.get("id")]


def split(root: ET.Element, cut: int | None = None, lighter_by: float = 0.0,
          assignment: list[int] | None = None) -> Parts | None:
    """The report as two documents of about equal layout cost, or with one of them lighter by
    ``lighter_by`` of the whole (either one: the caller picks by ``Parts.weights``). ``cut``:
    instead, the report up to that top-level element (which must be a boundary) and the rest;
    ``assignment``: instead, the document (0 or 1) of each chapter group, the first in 0.
    ``None`` when there is no boundary to cut at."""
    head, body = root.find("head"), root.find("body")
    if head is None or body is None:
        return None
    children = list(body)
    marks = boundaries(body)
    if not marks:
        return None
    if cut is not None and cut not in marks:
        raise ValueError(f"element {cut} is not a marked chapter boundary")
    starts = [0, *marks]
    spans = [(start, end) for start, end in zip(starts, [*marks, len(children)])]
    costs = [sum(weight(child) for child in children[a:b]) for a, b in spans]
    if assignment is not None:
        if len(assignment) != len(spans) or assignment[0] != 0 or set(assignment) != {0, 1}:
            raise ValueError(f"an assignment gives each of the {len(spans)} groups a document, 0 first, both used")
    elif cut is not None:
        assignment = [0 if a < cut else 1 for a, _ in spans]
    else:
        assignment = _balanced(costs, round(lighter_by * sum(costs)))
    documents = []
    for part in (0, 1):
        kept = []
        for index, (a, b) in enumerate(spans):
            if assignment[index] != part:
                continue
            group = list(children[a:b])
            missed = _missed_running(children, spans, assignment, index)
            if missed:
                group[0] = copy.copy(group[0])    # the report's own element stays as it is
                carrier = ET.Element("div", {"class": "run-strings"})
                carrier.extend(missed)
                group[0].insert(0, carrier)
            kept.extend(group)
        documents.append(_document(root, head, kept))
    groups = tuple(Group(assignment[i], children[a].get("id") if i else None, b - a)
                   for i, (a, b) in enumerate(spans))
    weights = tuple(sum(c for c, p in zip(costs, assignment) if p == part) for part in (0, 1))
    return Parts(documents[0], documents[1], groups, weights)


def _balanced(costs: list[int], difference: int = 0) -> list[int]:
    """The assignment of groups to the two documents (the first group to document 0) whose
    difference of cost is nearest ``difference``; among equals, the one with fewest changes of
    document."""
    n = len(costs)
    if n > MAX_GROUPS:   # never so many chapters: the contiguous cut nearest the middle
        total, running, best = sum(costs), 0, None
        for i, cost in enumerate(costs[:-1]):
            running += cost
            if best is None or abs(total - 2 * running) < best[0]:
                best = (abs(total - 2 * running), i + 1)
        return [0] * best[1] + [1] * (n - best[1])
    best_key, best = None, None
    for rest in itertools.product((0, 1), repeat=n - 1):
        assignment = [0, *rest]
        if 1 not in assignment:
            continue
        miss = abs(abs(sum(c if p else -c for c, p in zip(costs, assignment))) - difference)
        changes = sum(1 for a, b in zip(assignment, assignment[1:]) if a != b)
        key = (miss, changes)
        if best_key is None or key < best_key:
            best_key, best = key, assignment
    return best


def _missed_running(children, spans, assignment, index) -> list[ET.Element]:
    """Copies of the running-string elements of the groups before ``index`` that its document
    does not hold since its previous group there (all before it, for its first group)."""
    part = assignment[index]
    missed = []
    for j in range(index - 1, -1, -1):
        if assignment[j] == part:
            break
        a, b = spans[j]
        found = [element for child in children[a:b] for element in child.iter()
                 if element.get(RUNNING_MARK) is not None]
        missed[:0] = found
    carried = []
    for element in missed:
        clone = copy.deepcopy(element)
        clone.tail = None
        carried.append(clone)
    return carried


def _document(root: ET.Element, head: ET.Element, children: list[ET.Element]) -> ET.Element:
    html = ET.Element(root.tag, root.attrib)
    html.append(head)
    body = ET.SubElement(html, "body", root.find("body").attrib)
    body.extend(children)
    return html


def to_markup(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode")
