"""A WeasyPrint change never takes the reports down: every optimization that relies on WeasyPrint
internals is checked, and a failed check or a failing render means a correct PDF rendered the
plain way, never an import error or a server error."""
from __future__ import annotations

import io
import logging
import re
import subprocess
import sys

import pytest
import weasyprint
from pypdf import PdfReader

from diagnosis.reports.engine import compat, pool
from diagnosis.reports.engine.render import render_pdf


def squashed_pages(pdf: bytes) -> list[str]:
    """Each page's text without whitespace (chart labels drawn glyph by glyph extract with spaces)."""
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def expected_pages(demo_report):
    compat.reset()
    return squashed_pages(render_pdf(demo_report, parallel=False))


@pytest.fixture
def fresh_checks(monkeypatch):
    """The checks run again under the simulated failure, and again normally afterwards."""
    compat.reset()
    yield
    monkeypatch.undo()
    compat.reset()


def off(name: str) -> str:
    check = compat.verify()[name]
    assert not check.ok, f"{name} should be off"
    return check.detail


def test_every_optimization_is_on_with_the_pinned_weasyprint(fresh_checks):
    checks = compat.verify()
    assert all(checks[name].ok for name in compat.OPTIMIZATIONS), compat.summary()
    assert compat.svg_text_installed()


def test_a_missing_private_name_turns_only_its_optimization_off(demo_report, expected_pages, fresh_checks,
                                                                monkeypatch, caplog):
    # Renamed upstream: the module no longer has it (WeasyPrint's own code, bound at import, runs on).
    import types

    import weasyprint.draw.text as real_module
    renamed = types.ModuleType(real_module.__name__)
    renamed.__dict__.update({k: v for k, v in vars(real_module).items() if k != "draw_emojis"})
    with monkeypatch.context() as m, caplog.at_level(logging.WARNING, logger="diagnosis.reports.engine.compat"):
        m.setitem(sys.modules, real_module.__name__, renamed)
        assert "draw_emojis" in off("svg-text-runs")
    assert "svg-text-runs" in caplog.text
    assert compat.enabled("xhtml") and compat.enabled("ua-stylesheet")
    assert not compat.svg_text_installed()
    assert squashed_pages(render_pdf(demo_report, parallel=False)) == expected_pages


def test_another_weasyprint_version_turns_the_patches_off(demo_report, expected_pages, fresh_checks, monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    for name in ("xhtml", "ua-stylesheet", "svg-text-runs"):
        assert "71.0" in off(name)
    assert squashed_pages(render_pdf(demo_report, parallel=False)) == expected_pages


def test_a_changed_attribute_set_turns_the_xml_path_off(demo_report, expected_pages, fresh_checks, monkeypatch):
    real_init = weasyprint.HTML.__init__

    def init_with_a_new_attribute(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.new_internal_state = True

    monkeypatch.setattr(weasyprint.HTML, "__init__", init_with_a_new_attribute)
    assert "new_internal_state" in off("xhtml")
    assert squashed_pages(render_pdf(demo_report, parallel=False)) == expected_pages


def test_a_renamed_user_agent_hook_is_noticed(demo_report, expected_pages, fresh_checks, monkeypatch):
    """WeasyPrint renaming ``_ua_stylesheets`` means it never calls the report's override: the full
    default stylesheet comes back, and that must not go unnoticed."""
    import weasyprint.document
    real = weasyprint.document.get_all_computed_styles

    class Renamed:
        """The document as WeasyPrint would see it after the rename: the override is not reached."""

        def __init__(self, html):
            self._html = html

        def __getattr__(self, name):
            return getattr(self._html, name)

        def _ua_stylesheets(self, forms=False):
            return weasyprint.HTML._ua_stylesheets(self._html, forms)

    monkeypatch.setattr(weasyprint.document, "get_all_computed_styles",
                        lambda html, *args, **kwargs: real(Renamed(html), *args, **kwargs))
    assert "did not call" in off("ua-stylesheet")
    assert squashed_pages(render_pdf(demo_report, parallel=False)) == expected_pages


def test_a_helper_that_dies_in_the_probe_turns_its_optimization_off(demo_report, expected_pages, fresh_checks,
                                                                    monkeypatch):
    import weasyprint.text.line_break

    def dies(*args, **kwargs):
        raise RuntimeError("split_first_line changed")

    with monkeypatch.context() as m:   # WeasyPrint's own SVG text needs it too: only while checking
        m.setattr(weasyprint.text.line_break, "split_first_line", dies)
        assert "split_first_line changed" in off("svg-text-runs")
    assert squashed_pages(render_pdf(demo_report, parallel=False)) == expected_pages


def test_a_chart_helper_that_dies_in_a_real_render_leaves_no_chart_out(demo_report, expected_pages, fresh_checks,
                                                                       caplog):
    """WeasyPrint swallows an error drawing an SVG image (the chart would be left out): the render
    is done again without the whole-run labels."""
    assert compat.enabled("svg-text-runs")
    wp = compat.svg_internals()
    real = wp.draw_first_line

    def dies_later(*args, **kwargs):
        raise KeyError("a glyph WeasyPrint 70.x no longer knows")

    wp.draw_first_line = dies_later  # passes the checks, fails in the real render
    try:
        with caplog.at_level(logging.WARNING):
            pdf = render_pdf(demo_report, parallel=False)
    finally:
        wp.draw_first_line = real
    assert "rendering it again without 'svg-text-runs'" in caplog.text
    assert not compat.enabled("svg-text-runs") and compat.enabled("xhtml") and compat.enabled("ua-stylesheet")
    assert squashed_pages(pdf) == expected_pages


def test_a_render_that_fails_with_the_optimizations_is_rendered_plainly(demo_report, expected_pages, fresh_checks,
                                                                       monkeypatch, caplog):
    from diagnosis.reports.engine import document
    assert compat.enabled("ua-stylesheet")

    def dies():
        raise TypeError("CSS() got an unexpected keyword argument")

    monkeypatch.setattr(document.ua_stylesheet, "get", dies)
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(demo_report, parallel=False)
    assert "rendering it the plain way" in caplog.text
    assert not any(compat.enabled(name) for name in compat.OPTIMIZATIONS)
    assert squashed_pages(pdf) == expected_pages


def test_unreadable_page_types_mean_one_process_rendering(demo_report, expected_pages, fresh_checks, monkeypatch):
    def moved(document):
        raise AttributeError("'Page' object has no attribute '_page_box'")

    monkeypatch.setattr(compat, "page_names", moved)
    monkeypatch.setenv("REPORT_PARALLEL", "1")
    assert "page names not readable" in off("two-core")
    try:
        assert squashed_pages(render_pdf(demo_report, helper_wait=60)) == expected_pages
    finally:
        pool.shutdown()


def test_optimizations_can_be_turned_off_for_a_deployment(demo_report, expected_pages, fresh_checks, monkeypatch):
    monkeypatch.setenv("REPORT_OPTIMIZATIONS", "off")
    assert all(not compat.enabled(name) for name in compat.OPTIMIZATIONS)
    assert squashed_pages(render_pdf(demo_report, parallel=False)) == expected_pages


def test_doctor_prints_every_check(runner_env):
    out = subprocess.run([sys.executable, "-m", "diagnosis.cli", "doctor"], capture_output=True, text=True,
                         env=runner_env, timeout=300)
    assert out.returncode == 0, out.stderr
    for name in (*compat.OPTIMIZATIONS, "harfbuzz-subset", "report-font"):
        assert re.search(rf"^on\s+{name}\b", out.stdout, re.M), out.stdout


def test_the_app_never_imports_weasyprint_to_start(runner_env):
    """A broken WeasyPrint can only ever affect reports: the app does not import it to start or to
    serve pages."""
    code = ("import sys; sys.modules['weasyprint'] = None\n"   # importing it would raise ImportError
            "from diagnosis import create_app\n"
            "app = create_app({'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'SECRET_KEY': 'x'})\n"
            "with app.app_context():\n"
            "    from diagnosis.extensions import db; db.create_all()\n"
            "assert app.test_client().get('/').status_code == 200\n"
            "assert app.test_client().get('/login').status_code == 200\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=runner_env, timeout=300)
    assert out.returncode == 0, out.stderr


@pytest.fixture
def runner_env(tmp_path):
    import os
    from pathlib import Path
    root = str(Path(__file__).resolve().parents[1])
    return dict(os.environ, PYTHONPATH=root, DIAGNOSIS_CACHE_DIR=str(tmp_path / "cache"))
