"""Chart labels in the PDF are shaped and drawn as whole runs (WeasyPrint #2249 backport)."""
from __future__ import annotations

import base64
import io
import re
from contextlib import contextmanager

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from diagnosis.reports.engine import compat


def svg_pdf(body: str) -> bytes:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" '
           f'font-family="Noto Sans CJK SC" font-size="12">{body}</svg>')
    data = base64.b64encode(svg.encode()).decode()
    return HTML(string=f'<img style="width:200px" src="data:image/svg+xml;base64,{data}">').write_pdf()


def page_content(pdf: bytes) -> bytes:
    """The page's content stream together with those of its form XObjects (anchored text lives there)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    streams = [page.get_contents().get_data()]
    pending = [page["/Resources"]]
    while pending:
        resources = pending.pop().get_object()
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            streams.append(xobject.get_data())
            if "/Resources" in xobject:
                pending.append(xobject["/Resources"])
    return b"\n".join(streams)


def glyph_runs(pdf: bytes) -> int:
    """TJ operators: one per run of glyphs positioned together."""
    return len(re.findall(rb"\bTJ\b", page_content(pdf)))


def text_positions(pdf: bytes) -> list[tuple[str, float]]:
    """(text, x in user space) of each run pypdf extracts."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text, round(cm[4] + tm[4] * cm[0], 1)))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.fixture(autouse=True, scope="module")
def backport_installed():
    """The checks of ``compat`` pass on the pinned WeasyPrint and install the backport."""
    assert compat.enabled("svg-text-runs")


@contextmanager
def glyph_by_glyph():
    compat.uninstall_svg_text()
    try:
        yield
    finally:
        compat.install_svg_text()


def test_backport_is_active_on_the_pinned_weasyprint():
    assert compat.svg_text_installed()


def test_a_plain_label_is_one_glyph_run():
    assert glyph_runs(svg_pdf('<text x="10" y="30">组织战略 2.5</text>')) == 1


def test_weasyprint_alone_draws_a_label_glyph_by_glyph():
    with glyph_by_glyph():
        assert glyph_runs(svg_pdf('<text x="10" y="30">组织战略 2.5</text>')) == len("组织战略2.5")  # spaces draw nothing


def test_per_glyph_positions_keep_weasyprint_drawing():
    assert glyph_runs(svg_pdf('<text x="10 40 70" y="30">数字化</text>')) == 3


@pytest.mark.parametrize("anchor", ["start", "middle", "end"])
def test_anchored_label_lands_where_weasyprint_puts_it(anchor):
    body = f'<text x="100" y="30" text-anchor="{anchor}">信息安全</text>'
    with glyph_by_glyph():
        reference = text_positions(svg_pdf(body))
    runs = text_positions(svg_pdf(body))
    assert "".join(t for t, _ in runs) == "信息安全"
    assert runs[0][1] == pytest.approx(reference[0][1], abs=0.2)
