"""A report rendered on two cores (two halves at once, joined) has exactly the pages of a report
rendered in one process: same text on every page, page numbers running on, one outline."""
from __future__ import annotations

import io
import logging
import os
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from diagnosis.reports import parallel
from diagnosis.reports.render import _markup, render_pdf
from diagnosis.reports.split import split_markup


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
    return render_pdf(demo_report, parallel_ok=False)


@pytest.fixture(scope="module")
def two_part_pdf(demo_report, helper_ready):
    helper = parallel.acquire()
    assert helper is not None, "the helper should be free"
    parallel.release(helper)
    return render_pdf(demo_report)


def test_markup_is_cut_before_a_chapter_into_two_documents(demo_report):
    halves = split_markup(_markup(demo_report))
    first, second = ET.fromstring(halves.first), ET.fromstring(halves.second)
    assert [s.get("class") for s in first.find("body")][0] == "cover"
    assert all(s.tag == "section" for s in list(first.find("body")) + list(second.find("body")))
    assert sum(halves.chapters) == len(re.findall(r"<section\b", _markup(demo_report)))
    assert min(halves.chapters) >= 2


def test_second_half_carries_the_running_header_strings(demo_report):
    second = split_markup(_markup(demo_report)).second
    carried = ET.fromstring(second).find("body/section/div[@class='run-strings']")
    assert carried is not None
    assert [span.text for span in carried] == [demo_report.enterprise["name"], demo_report.number]


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
    helper.process.kill()
    helper.process.wait()
    monkeypatch.setattr(parallel, "acquire", lambda: helper if helper.lock.acquire(blocking=False) else None)
    with caplog.at_level(logging.WARNING, logger="diagnosis.reports.render"):
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


@pytest.mark.parametrize("helper_takes_first", [True, False])
def test_either_half_can_go_to_the_helper(demo_report, one_process_pdf, helper_ready, helper_takes_first):
    from diagnosis.reports.render import render_markup
    from diagnosis.reports.split import join_pdfs

    halves = split_markup(_markup(demo_report))
    helper = parallel.acquire()
    assert helper is not None
    try:
        first, second = helper.render_halves(halves.first, halves.second, render_markup, helper_takes_first)
    finally:
        parallel.release(helper)
    assert pages_text(join_pdfs(first, second)) == pages_text(one_process_pdf)
