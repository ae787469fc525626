"""Cut the report markup in two at a chapter boundary, and join the two PDFs again.

Every chapter of the report starts on a new page, so the second half of the chapters lays out
exactly as it would after the first half: only the page numbers in the footers ("第 X 页 / 共 Y
页") and the running header strings (set on the cover) depend on what comes before. The running
strings are carried over here; the page numbers are agreed between the two renders through
``page_numbers`` (see ``parallel``).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

_SECTION = re.compile(r"<section\b")
_CHART = re.compile(r'<img class="chart-img"')
_RUN_STRINGS = (re.compile(r'<p class="cover-name">(.*?)</p>', re.S), re.compile(r'<span class="run-num">(.*?)</span>', re.S))

#: Rough cost of a chart relative to one element (its SVG is parsed and drawn), from profiles.
CHART_WEIGHT = 120


@dataclass(frozen=True)
class Halves:
    first: str       # head, cover and the first chapters
    second: str      # head and the remaining chapters, with the running header strings
    chapters: tuple[int, int]
    weights: tuple[int, int]  # estimated layout cost of each half (``_weight``)


def _weight(markup: str) -> int:
    """Estimated layout cost of a stretch of markup: its elements, charts counting for many."""
    return markup.count("<") + CHART_WEIGHT * len(_CHART.findall(markup))


def split_markup(markup: str) -> Halves | None:
    """The report markup as two documents of about equal layout cost, cut before a chapter.

    ``None`` when there is nothing worth splitting (fewer than three top-level sections).
    """
    body_open = markup.index("<body>") + len("<body>")
    body_close = markup.rindex("</body>")
    head, body, tail = markup[:body_open], markup[body_open:body_close], markup[body_close:]
    starts = [m.start() for m in _SECTION.finditer(body)]
    if len(starts) < 3 or starts[0] != 0 or body.count("</section>") != len(starts):
        return None  # not the flat sequence of sections the templates produce
    sections = [body[a:b] for a, b in zip(starts, starts[1:] + [len(body)])]
    weights = [_weight(s) for s in sections]
    total = sum(weights)
    best, best_gap, running = 1, None, 0
    for cut in range(1, len(sections)):
        running += weights[cut - 1]
        gap = abs(total - 2 * running)
        if best_gap is None or gap < best_gap:
            best, best_gap = cut, gap
    first = head + "".join(sections[:best]) + tail
    second_body = "".join(sections[best:])
    # The second half has no cover: give it the running header strings the cover sets.
    found = [pattern.search(body) for pattern in _RUN_STRINGS]
    if all(found):
        carry = (f'<div class="run-strings"><span class="cover-name">{found[0].group(1)}</span>'
                 f'<span class="run-num">{found[1].group(1)}</span></div>')
        opening_end = second_body.index(">") + 1
        second_body = second_body[:opening_end] + carry + second_body[opening_end:]
    return Halves(first, head + second_body + tail, (best, len(sections) - best),
                  (sum(weights[:best]), sum(weights[best:])))


def join_pdfs(first: bytes, second: bytes) -> bytes:
    """One PDF of the pages of ``first`` then ``second``, with both outlines and named
    destinations; metadata and document language are those of ``first``.

    pikepdf (qpdf) copies the pages in a few milliseconds, where pypdf took ~60 ms."""
    import pikepdf
    from pikepdf import Array, Dictionary, NameTree, OutlineItem

    with pikepdf.open(io.BytesIO(first)) as head, pikepdf.open(io.BytesIO(second)) as rest:
        offset = len(head.pages)
        head.pages.extend(rest.pages)
        moved = {page.obj.objgen: head.pages[offset + i].obj for i, page in enumerate(rest.pages)}

        def destination(array):
            """A destination of ``rest`` pointing at the page's copy in ``head``."""
            if not isinstance(array, Array) or len(array) == 0:
                return None
            target = array[0]
            page = moved.get(target.objgen) if isinstance(target, Dictionary) else None
            return Array([page, *array[1:]]) if page is not None else None

        def copy(item: OutlineItem) -> OutlineItem:
            new = OutlineItem(str(item.title), destination=destination(item.destination))
            new.children.extend(copy(child) for child in item.children)
            return new

        with rest.open_outline() as theirs, head.open_outline() as ours:
            ours.root.extend(copy(item) for item in theirs.root)

        if "/Names" in rest.Root and "/Dests" in rest.Root.Names:
            if "/Names" not in head.Root:
                head.Root.Names = head.make_indirect(Dictionary())
            if "/Dests" not in head.Root.Names:
                head.Root.Names.Dests = NameTree.new(head).obj
            names = NameTree(head.Root.Names.Dests)
            for name, value in NameTree(rest.Root.Names.Dests).items():
                value = destination(value.get("/D") if isinstance(value, Dictionary) else value)
                if value is not None:
                    names[name] = value
        out = io.BytesIO()
        head.save(out)
        return out.getvalue()
