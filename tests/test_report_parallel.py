"""A report rendered on two cores (two parts at once, joined, page numbers stamped) has exactly the
pages of a report rendered in one process: same text on every page, page numbers running on, one
outline; the report is cut only before a chapter the template marks."""
from __future__ import annotations

import io
import logging
import os
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from diagnosis.reports.engine import pool as parallel
from diagnosis.reports.engine.document import parse_xhtml
from diagnosis.reports.engine.parts import split, to_markup
from diagnosis.reports.engine.render import render_pdf, report_markup


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def outline_titles(pdf: bytes) -> list:
    def walk(items):
        return [walk(i) if isinstance(i, list) else i.title for i in items]
    return walk(PdfReader(io.BytesIO(pdf)).outline)


@pytest.fixture(scope="module")
def helper_ready():
    """A running helper, also on a one-CPU machine (where it is off by default)."""
    saved = os.environ.get("REPORT_PARALLEL")
    os.environ["REPORT_PARALLEL"] = "1"
    try:
        if not parallel.wait_until_ready():
            pytest.fail("the report render helper did not start")
        yield
    finally:
        parallel.shutdown()
        if saved is None:
            del os.environ["REPORT_PARALLEL"]
        else:
            os.environ["REPORT_PARALLEL"] = saved


@pytest.fixture(scope="module")
def one_process_pdf(demo_report):
    return render_pdf(demo_report, parallel=False)


@pytest.fixture(scope="module")
def two_part_pdf(demo_report, helper_ready):
    helper = parallel.acquire()
    assert helper is not None, "the helper should be free"
    parallel.release(helper)
    return render_pdf(demo_report)


def test_report_is_cut_only_before_a_chapter_marked_as_starting_a_page(demo_report):
    root = parse_xhtml(report_markup(demo_report))
    body = list(root.find("body"))
    parts = split(root)
    first, second = list(parts.first.find("body")), list(parts.second.find("body"))
    assert first[0].get("class") == "cover"
    assert second[0].get("data-chapter") is not None
    assert len(first) + len(second) == len(body) and min(parts.chapters) >= 2
    marked = {child.get("id") for child in body if child.get("data-chapter") is not None}
    assert "indicators" not in marked and "review" not in marked  # they flow on from the chapter before
    with pytest.raises(ValueError):
        split(root, cut=[child.get("id") for child in body].index("indicators"))


def test_second_part_carries_the_running_header_strings(demo_report):
    second = split(parse_xhtml(report_markup(demo_report))).second
    carried = second.find("body/section/div[@class='run-strings']")
    assert carried is not None
    assert [element.text for element in carried] == [demo_report.enterprise["name"], demo_report.number]


def test_two_part_report_has_the_pages_of_a_one_process_report(one_process_pdf, two_part_pdf):
    assert pages_text(two_part_pdf) == pages_text(one_process_pdf)


def test_page_numbers_run_on_across_the_parts(two_part_pdf):
    texts = pages_text(two_part_pdf)
    for number, text in enumerate(texts[1:], start=2):  # the cover has no footer
        assert f"第 {number} 页 / 共 {len(texts)} 页" in text


def test_every_page_after_the_cover_names_the_enterprise_in_its_header(demo_report, two_part_pdf):
    for text in pages_text(two_part_pdf)[1:]:
        assert demo_report.enterprise["name"] in text and demo_report.number in text


def test_outline_metadata_and_language_survive_the_join(one_process_pdf, two_part_pdf):
    assert outline_titles(two_part_pdf) == outline_titles(one_process_pdf)
    joined, single = PdfReader(io.BytesIO(two_part_pdf)), PdfReader(io.BytesIO(one_process_pdf))
    assert joined.metadata.title == single.metadata.title
    assert joined.metadata.author == single.metadata.author
    assert joined.metadata.subject == single.metadata.subject
    assert joined.trailer["/Root"]["/Lang"] == "zh-CN"


def test_a_dead_helper_means_a_one_process_render_and_a_new_helper(demo_report, one_process_pdf, helper_ready,
                                                                    monkeypatch, caplog):
    helper = parallel.acquire()
    parallel.release(helper)
    os.kill(helper.pid, 9)
    monkeypatch.setattr(parallel, "acquire", lambda wait=0: helper if helper.lock.acquire(blocking=False) else None)
    with caplog.at_level(logging.WARNING, logger="diagnosis.reports.engine.pool"):
        pdf = render_pdf(demo_report)
    assert "rendering in one process" in caplog.text
    assert pages_text(pdf) == pages_text(one_process_pdf)
    assert parallel._helper is not helper
    monkeypatch.undo()
    assert parallel.wait_until_ready()


def test_a_busy_helper_means_a_one_process_render(demo_report, one_process_pdf, helper_ready):
    helper = parallel.acquire()
    assert helper is not None
    try:
        assert parallel.acquire() is None
        assert pages_text(render_pdf(demo_report)) == pages_text(one_process_pdf)
    finally:
        parallel.release(helper)


def test_named_destinations_of_both_parts_point_at_their_pages(one_process_pdf, two_part_pdf):
    def dests(pdf):
        reader = PdfReader(io.BytesIO(pdf))
        return {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    assert dests(two_part_pdf) == dests(one_process_pdf)
    assert {"summary", "roadmap", "appendix"} <= set(dests(two_part_pdf))


@pytest.mark.parametrize("cut", ["maturity", "method"])
def test_any_marked_chapter_is_a_safe_cut(demo_report, one_process_pdf, cut):
    """Cut elsewhere than the balanced cut, both parts rendered here: the same pages."""
    from diagnosis.reports.engine.joining import join_pdfs
    from diagnosis.reports.engine.render import PART_STYLESHEET, render_part, stylesheet

    root = parse_xhtml(report_markup(demo_report))
    ids = [child.get("id") for child in root.find("body")]
    parts = split(root, cut=ids.index(cut))
    rendered = [render_part(to_markup(part), extra_stylesheets=[stylesheet(PART_STYLESHEET)])
                for part in (parts.first, parts.second)]
    joined = join_pdfs(rendered[0][0], rendered[1][0], rendered[0][1] + rendered[1][1])
    assert pages_text(joined) == pages_text(one_process_pdf)


def test_a_part_is_rendered_without_its_page_numbers(demo_report):
    from diagnosis.reports.engine.render import PART_STYLESHEET, render_part, stylesheet

    parts = split(parse_xhtml(report_markup(demo_report)))
    pdf, names = render_part(to_markup(parts.second), extra_stylesheets=[stylesheet(PART_STYLESHEET)])
    assert names and set(names) == {""}
    assert not any("页 / 共" in text for text in pages_text(pdf))
