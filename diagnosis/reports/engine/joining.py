"""Join the two documents of a report into one PDF and stamp its page numbers.

Each part is rendered without the numbered footer (``reports/part.css``). Once joined, the footer
("第 n 页 / 共 N 页") of every page is stamped on it: WeasyPrint renders a document of empty pages
with the same page types as the report's and only the footer (``reports/numbers.css`` after the
print stylesheet), and pikepdf lays each of its pages over the report's page as a form XObject.
The footers depend only on the sequence of page types, so that document is rendered once per
sequence and kept, in the process and on disk (``numbers_pdf``). The text of a stamped page reads as WeasyPrint's own: the
footer is drawn last, as WeasyPrint draws margin boxes after the page content.
"""
from __future__ import annotations

import hashlib
import io
import os
import threading
from collections import OrderedDict
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..paths import TEMPLATES_DIR

NUMBERS_STYLESHEET = TEMPLATES_DIR / "numbers.css"
_NUMBERS_KEPT = 16

_numbers_lock = threading.Lock()
_numbers: OrderedDict[tuple, bytes] = OrderedDict()


def numbers_markup(page_names: list[str]) -> str:
    """A document of one empty page per page of the report, each of the same page type."""
    slots = []
    for i, name in enumerate(page_names):
        style = ("break-before: page; " if i else "") + (f"page: {name}" if name else "page: auto")
        slots.append(f"<div class=\"page-slot\" style={quoteattr(style)}></div>")
    return ('<!DOCTYPE html><html lang="zh-CN"><head><title>页码</title></head><body>'
            + "".join(slots) + "</body></html>")


def _cache_file(page_names: list[str]) -> Path | None:
    """The page-number document on disk, named by the template hash (which covers ``print.css``,
    ``numbers.css``, the font, this code and WeasyPrint's version) and the page types."""
    from ...cachedir import cache_dir
    from .fingerprint import template_hash

    folder = cache_dir("page-numbers")
    if folder is None:
        return None
    key = hashlib.sha256((template_hash() + "\0" + "\0".join(page_names)).encode()).hexdigest()
    return folder / f"{key}.pdf"


def numbers_pdf(page_names: list[str]) -> bytes:
    """The footers of a report whose pages have these page types, as a PDF of as many pages:
    kept in this process and on disk (a command line renders one report and exits)."""
    key = tuple(page_names)
    with _numbers_lock:
        if key in _numbers:
            _numbers.move_to_end(key)
            return _numbers[key]
    path = _cache_file(page_names)
    try:
        pdf = path.read_bytes() if path is not None else None
    except OSError:
        pdf = None
    if pdf is None:
        pdf = _render_numbers(page_names)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(f".{os.getpid()}.tmp")
                partial.write_bytes(pdf)
                partial.replace(path)
            except OSError:
                pass
    with _numbers_lock:
        _numbers[key] = pdf
        while len(_numbers) > _NUMBERS_KEPT:
            _numbers.popitem(last=False)
    return pdf


def _render_numbers(page_names: list[str]) -> bytes:
    from .render import render_part, stylesheet

    pdf, names = render_part(numbers_markup(page_names), extra_stylesheets=[stylesheet(NUMBERS_STYLESHEET)])
    if names is not None and names != list(page_names):
        raise RuntimeError(f"page-number document has page types {names}, expected {list(page_names)}")
    return pdf


def stamp_page_numbers(pdf, page_names: list[str]) -> None:
    """Lay the footers over the pages of ``pdf`` (an open ``pikepdf.Pdf``), in place."""
    import pikepdf

    with pikepdf.open(io.BytesIO(numbers_pdf(page_names))) as numbers:
        if len(numbers.pages) != len(pdf.pages):
            raise RuntimeError(f"{len(numbers.pages)} footers for {len(pdf.pages)} pages")
        for index, (page, footer) in enumerate(zip(pdf.pages, numbers.pages)):
            footer.contents_coalesce()
            if b"BT" in footer.Contents.read_bytes():  # a page type without footer (the cover): no ink
                _overlay(page, footer, index)


def _overlay(page, footer, index: int) -> None:
    """``page.add_overlay(footer)`` with a resource name fixed by the page's index (add_overlay
    picks a random one, and the same report must give the same bytes; pages may share one
    resource dictionary, so each page's name is its own)."""
    import pikepdf

    formx = footer.as_form_xobject()
    name = page.add_resource(formx, pikepdf.Name.XObject, name=pikepdf.Name(f"/ZzPageNumber{index}"))
    placement = page.calc_form_xobject_placement(formx, name, pikepdf.Rectangle(page.trimbox),
                                                  allow_shrink=True, allow_expand=True)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n", prepend=False)
    page.contents_add(placement, prepend=False)
    page.contents_coalesce()


def join_parts(first: bytes, second: bytes, groups, page_names: tuple[list[str], list[str]] | None = None,
               finish=None) -> bytes:
    """One PDF of the pages of the two documents of a report cut by ``parts.split``, in report
    order: each group's pages (from where its named destination, its ``id``, lands in its document
    to where the document's next group starts) in the order of ``groups``. The outline holds the
    items of both documents in page order; named destinations point at the pages' copies; metadata
    and document language are those of ``first``. With ``page_names`` (the page type of every
    page of each document) the page numbers are stamped (``stamp_page_numbers``); ``finish(pdf)``
    then sets what else the file needs before it is saved once (``finish.apply``).

    pikepdf (qpdf) copies and reorders the pages in a few milliseconds, where pypdf took ~60 ms."""
    import pikepdf
    from pikepdf import Array, Dictionary, NameTree, OutlineItem

    with pikepdf.open(io.BytesIO(first)) as head, pikepdf.open(io.BytesIO(second)) as rest:
        offset = len(head.pages)
        head.pages.extend(rest.pages)
        moved = {page.obj.objgen: head.pages[offset + i].obj for i, page in enumerate(rest.pages)}
        counts = (offset, len(rest.pages))
        rest_dests = _named_pages(rest)
        head_dests = _named_pages(head)

        # Where each group's pages are: (document, first page, end) in report order.
        starts: list[tuple[int, int]] = []
        for group in groups:
            if not any(part == group.part for part, _ in starts):
                start = 0
            else:
                pages = (head_dests, rest_dests)[group.part]
                if group.anchor not in pages:
                    raise RuntimeError(f"no named destination for the chapter group {group.anchor!r}")
                start = pages[group.anchor]
            starts.append((group.part, start))
        order: list[int] = []        # indexes into head.pages (first's pages, then second's)
        names: list[str] = []
        for index, (part, start) in enumerate(starts):
            later = [s for p, s in starts[index + 1:] if p == part]
            end = later[0] if later else counts[part]
            if not start < end <= counts[part]:
                raise RuntimeError(f"chapter group {index} has pages {start}..{end} of {counts[part]}")
            base = 0 if part == 0 else offset
            order.extend(base + i for i in range(start, end))
            if page_names is not None:
                names.extend(page_names[part][start:end])
        if sorted(order) != list(range(offset + counts[1])):
            raise RuntimeError("the chapter groups do not cover every page exactly once")
        if order != sorted(order):
            pages = [head.pages[i] for i in order]
            del head.pages[:]
            head.pages.extend(pages)
        final = {page.obj.objgen: index for index, page in enumerate(head.pages)}

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

        def page_of(item: OutlineItem) -> int:
            target = item.destination
            if isinstance(target, Array) and len(target) and isinstance(target[0], Dictionary):
                return final.get(target[0].objgen, len(final))
            return len(final)

        with rest.open_outline() as theirs, head.open_outline() as ours:
            items = [*ours.root, *(copy(item) for item in theirs.root)]
            items.sort(key=page_of)       # stable: items on one page keep their order
            ours.root.clear()
            ours.root.extend(items)

        if "/Names" in rest.Root and "/Dests" in rest.Root.Names:
            if "/Names" not in head.Root:
                head.Root.Names = head.make_indirect(Dictionary())
            if "/Dests" not in head.Root.Names:
                head.Root.Names.Dests = NameTree.new(head).obj
            tree = NameTree(head.Root.Names.Dests)
            for name, value in NameTree(rest.Root.Names.Dests).items():
                value = destination(value.get("/D") if isinstance(value, Dictionary) else value)
                if value is not None:
                    tree[name] = value
        if page_names is not None:
            stamp_page_numbers(head, names)
        if finish is not None:
            finish(head)
        out = io.BytesIO()
        head.save(out, deterministic_id=True)
        return out.getvalue()


def _named_pages(pdf) -> dict[str, int]:
    """The page index of each named destination of ``pdf``."""
    from pikepdf import Array, Dictionary, NameTree

    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return {}
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    found = {}
    for name, value in NameTree(pdf.Root.Names.Dests).items():
        array = value.get("/D") if isinstance(value, Dictionary) else value
        if isinstance(array, Array) and len(array) and isinstance(array[0], Dictionary):
            page = index.get(array[0].objgen)
            if page is not None:
                found[str(name)] = page
    return found
