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
from diagnosis.reports.engine.parts import boundaries, split, to_markup, weight
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
    assert body[0].get("class") == "cover" and parts.groups[0].part == 0 and parts.groups[0].anchor is None
    marked = {child.get("id") for child in body if child.get("data-chapter") is not None}
    assert {group.anchor for group in parts.groups[1:]} <= marked
    assert sum(group.elements for group in parts.groups) == len(body)
    assert "indicators" not in marked and "review" not in marked  # they flow on from the chapter before
    with pytest.raises(ValueError):
        split(root, cut=[child.get("id") for child in body].index("indicators"))


def test_each_document_holds_exactly_its_groups_in_report_order(demo_report):
    root = parse_xhtml(report_markup(demo_report))
    ids = [child.get("id") or child.get("class") for child in root.find("body")]
    parts = split(root)
    position = 0
    expected: tuple[list, list] = ([], [])
    for group in parts.groups:
        expected[group.part].extend(ids[position:position + group.elements])
        position += group.elements
    for document, wanted in zip(parts.documents, expected):
        assert [child.get("id") or child.get("class") for child in document.find("body")] == wanted


def test_the_two_documents_are_balanced_better_than_any_single_cut(demo_report):
    """The roadmap alone is a third of the report: dealing chapter groups to the two documents
    beats every cut into a first and a second half."""
    root = parse_xhtml(report_markup(demo_report))
    body = list(root.find("body"))
    balanced = split(root)
    gap = abs(balanced.weights[0] - balanced.weights[1])
    for cut in boundaries(root.find("body")):
        halves = split(root, cut=cut)
        assert gap <= abs(halves.weights[0] - halves.weights[1])
    assert gap <= 0.05 * sum(balanced.weights)
    assert sum(balanced.weights) == sum(weight(child) for child in body)


def test_one_document_can_be_planned_lighter_by_a_share_of_the_report(demo_report):
    """The caller also builds the markup and joins the PDFs: its document may be planned lighter."""
    root = parse_xhtml(report_markup(demo_report))
    even, uneven = split(root), split(root, lighter_by=0.05)
    total = sum(uneven.weights)
    assert abs(abs(uneven.weights[0] - uneven.weights[1]) - 0.05 * total) <= abs(abs(even.weights[0] - even.weights[1]) - 0.05 * total)


def test_second_part_carries_the_running_header_strings(demo_report):
    second = split(parse_xhtml(report_markup(demo_report))).second
    carried = second.find("body/section/div[@class='run-strings']")
    assert carried is not None
    assert [element.text for element in carried] == [demo_report.enterprise["name"], demo_report.number]


def test_a_group_after_chapters_of_the_other_document_carries_what_they_set():
    """Running strings set in a chapter rendered in the other document reach the next group."""
    root = ET.fromstring(
        '<html><head/><body><section class="cover"><p data-running="ent">甲</p></section>'
        '<section id="a" data-chapter="a"><p data-running="ent">乙</p></section>'
        '<section id="b" data-chapter="b"><p>丙</p></section></body></html>')
    parts = split(root, cut=1)
    carried = parts.second.find("body/section/div[@class='run-strings']")
    assert [element.text for element in carried] == ["甲"]
    assert root.find("body/section[@id='a']/div") is None   # the report's own element is untouched


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
    root = parse_xhtml(report_markup(demo_report))
    ids = [child.get("id") for child in root.find("body")]
    assert pages_text(render_both_here(split(root, cut=ids.index(cut)))) == pages_text(one_process_pdf)


def test_documents_of_groups_apart_in_the_report_join_in_report_order(demo_report, one_process_pdf):
    """Each document holding chapters that are not next to each other, rendered here: the pages
    come back in report order, with the outline in page order."""
    root = parse_xhtml(report_markup(demo_report))
    groups = len(boundaries(root.find("body"))) + 1
    parts = split(root, assignment=[i % 2 for i in range(groups)])     # every other group in each
    assert groups >= 4 and [group.part for group in parts.groups] == [i % 2 for i in range(groups)]
    joined = render_both_here(parts)
    assert pages_text(joined) == pages_text(one_process_pdf)
    assert outline_titles(joined) == outline_titles(one_process_pdf)


def render_both_here(parts) -> bytes:
    from diagnosis.reports.engine.joining import join_parts
    from diagnosis.reports.engine.render import PART_STYLESHEET, render_part, stylesheet

    rendered = [render_part(to_markup(document), extra_stylesheets=[stylesheet(PART_STYLESHEET)])
                for document in parts.documents]
    return join_parts(rendered[0][0], rendered[1][0], parts.groups, (rendered[0][1], rendered[1][1]))


def test_a_part_is_rendered_without_its_page_numbers(demo_report):
    from diagnosis.reports.engine.render import PART_STYLESHEET, render_part, stylesheet

    parts = split(parse_xhtml(report_markup(demo_report)))
    pdf, names = render_part(to_markup(parts.second), extra_stylesheets=[stylesheet(PART_STYLESHEET)])
    assert names and set(names) == {""}
    assert not any("页 / 共" in text for text in pages_text(pdf))


@pytest.mark.parametrize("runnable, cpus, expected", [(1, 2, True), (2, 2, False), (3, 4, True), (4, 4, False)])
def test_the_command_line_starts_a_helper_only_when_a_core_is_free_now(monkeypatch, runnable, cpus, expected):
    monkeypatch.delenv("REPORT_PARALLEL", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(parallel, "runnable_now", lambda: runnable)
    assert parallel.second_core_idle() is expected


def test_runnable_tasks_now_count_this_process():
    assert parallel.runnable_now() >= 1


def test_the_command_line_with_its_forked_helper_writes_the_pages_of_a_one_process_render(tmp_path, library):
    """`diagnosis report` forks its helper once WeasyPrint is loaded: the same pages either way."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from diagnosis.demo import demo_payload

    root = Path(__file__).resolve().parents[1]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(demo_payload(library, "zhizao-2024"), ensure_ascii=False), "utf-8")
    outputs = {}
    for setting in ("1", "0"):
        out = tmp_path / f"report-{setting}.pdf"
        env = dict(os.environ, REPORT_PARALLEL=setting, PYTHONPATH=str(root), DIAGNOSIS_CACHE_DIR=str(tmp_path / "cache"))
        done = subprocess.run([sys.executable, "-m", "diagnosis.cli", "report", str(answers), "-o", str(out)],
                              capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "rendering in one process" not in done.stderr
        outputs[setting] = out.read_bytes()
    assert pages_text(outputs["1"]) == pages_text(outputs["0"])
    assert outline_titles(outputs["1"]) == outline_titles(outputs["0"])


def test_a_join_that_cannot_place_a_chapter_group_means_a_one_process_render(demo_report, one_process_pdf, helper_ready,
                                                                            monkeypatch, caplog):
    """Each group's pages are found by its named destination; without them the join refuses, and
    the report is rendered in one process: never pages out of order."""
    from diagnosis.reports.engine import joining

    monkeypatch.setattr(joining, "_named_pages", lambda pdf: {})
    with caplog.at_level(logging.WARNING, logger="diagnosis.reports.engine.pool"):
        pdf = render_pdf(demo_report)
    assert "joining the parts of a report failed" in caplog.text
    assert pages_text(pdf) == pages_text(one_process_pdf)
