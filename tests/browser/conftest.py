"""Browser fixtures: Debian's chromium through pytest-playwright, the live server, one browser
context per user, and screenshots plus page HTML kept when a browser test fails.

The browser is never downloaded: Playwright launches ``/usr/bin/chromium``, which ``make setup``
installs (the Makefile's SYSTEM_PACKAGES). Without it every browser test errors out loudly.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from conftest import BACKENDS
from playwright.sync_api import Page, expect

from .live_server import LiveServer, browser_app

CHROMIUM = "/usr/bin/chromium"
# The machine has no internet: without these Chromium keeps trying to reach Google's services.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
DESKTOP = {"width": 1366, "height": 900}

expect.set_options(timeout=10_000)


def pytest_configure(config):
    # pytest-playwright empties its --output folder when a run starts; point it at ours so a run
    # keeps only its own artifacts, wherever pytest is started from.
    if config.getoption("--output", default=None) == "test-results":
        config.option.output = str(ARTIFACTS)


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API keeps an asyncio loop running in the main thread from the first browser
    # test to the end of the session (its browser is session-scoped), so asyncio.run() fails in any
    # test after it: the browser tests run last.
    here = Path(__file__).parent
    items.sort(key=lambda item: item.path.is_relative_to(here))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"The browser tests need Debian's chromium at {CHROMIUM}, which is not installed. "
                    "Run `make system-deps` (it runs apt-get install chromium). Never run `playwright install`.",
                    pytrace=False)
    headless = browser_type_launch_args.get("headless", True)
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": (["--headless"] if headless else []) + CHROMIUM_FLAGS}


# One backend per run keeps the journeys under a minute or so: PostgreSQL when TEST_DATABASE_URL is
# set (as in CI and multi-server deployments), else the embedded SQLite of `make run`. The rest of the
# suite runs every database test on both. BROWSER_BACKENDS=sqlite,postgresql runs the journeys on both.
BROWSER_BACKENDS = os.environ["BROWSER_BACKENDS"].split(",") if os.environ.get("BROWSER_BACKENDS") else BACKENDS[-1:]


@pytest.fixture(params=BROWSER_BACKENDS)
def live_server(request, tmp_path):
    """The application on a free port of 127.0.0.1 with an empty database of the chosen backend."""
    url = f"sqlite:///{tmp_path / 'browser.sqlite'}" if request.param == "sqlite" else os.environ["TEST_DATABASE_URL"]
    server = LiveServer(browser_app(url, tmp_path / "instance")).start()
    yield server
    server.stop()
    server.dispose(url)


@dataclass
class BrowserSession:
    """One user's browser: its own context (cookies), one page, and what went wrong in its scripts."""

    label: str
    page: Page
    script_errors: list[str] = field(default_factory=list)


@pytest.fixture
def _sessions() -> list[BrowserSession]:
    return []


@pytest.fixture
def open_browser(request, new_context, live_server, _sessions) -> Callable[..., Page]:
    """``open_browser("enterprise")`` gives a fresh page in its own browser context (a separate user)
    pointed at the live server; keyword arguments go to ``browser.new_context`` (e.g. a viewport).
    ``open_browser("second tab", same_user_as=page)`` opens another tab of that user's browser.
    A browser test fails when a page throws a script error or the browser blocks something by CSP."""

    def open_(label: str, same_user_as: Page | None = None, **context_args) -> Page:
        if same_user_as is not None:
            page = same_user_as.context.new_page()
        else:
            context = new_context(**{"base_url": live_server.url, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
                                     "viewport": DESKTOP, **context_args})
            context.set_default_timeout(15_000)
            context.set_default_navigation_timeout(30_000)
            page = context.new_page()
        session = BrowserSession(label, page)
        page.on("pageerror", lambda exc: session.script_errors.append(f"{page.url}: {exc}"))
        page.on("console", lambda msg: session.script_errors.append(f"{page.url}: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text else None)
        _sessions.append(session)
        return page

    yield open_
    errors = [f"[{s.label}] {e}" for s in _sessions for e in s.script_errors]
    if errors:
        folder = _keep_artifacts(request.node, _sessions)
        pytest.fail("Script errors or CSP violations in the browser:\n" + "\n".join(errors)
                    + f"\nScreenshots and page HTML: {folder}", pytrace=False)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:150]


def save_artifacts(item, sessions: list[BrowserSession]) -> Path:
    """A full-page screenshot and the HTML of every open page, named by the user's label."""
    folder = Path(item.config.option.output).absolute() / _slug(item.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    for n, session in enumerate(sessions, 1):
        stem = folder / f"{n}-{_slug(session.label)}"
        page = session.page
        try:
            page.screenshot(path=f"{stem}.png", full_page=True, timeout=10_000)
            Path(f"{stem}.html").write_text(f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8")
        except Exception as exc:  # a crashed page: say so next to the others
            Path(f"{stem}.error.txt").write_text(f"{page.url}\n{exc!r}\n", encoding="utf-8")
        if session.script_errors:
            Path(f"{stem}.script-errors.txt").write_text("\n".join(session.script_errors), encoding="utf-8")
    return folder


_FAILED_ARTIFACTS = pytest.StashKey[list]()


def _keep_artifacts(item, sessions: list[BrowserSession]) -> Path:
    folder = save_artifacts(item, sessions)
    item.config.stash.setdefault(_FAILED_ARTIFACTS, []).append(folder)
    return folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, keep its pages as they are at the failure (before teardown)."""
    report = yield
    sessions = getattr(item, "funcargs", {}).get("_sessions")
    if report.when == "call" and report.failed and sessions:
        folder = _keep_artifacts(item, sessions)
        report.sections.append(("browser artifacts", f"Screenshots and page HTML: {folder}"))
    return report


def pytest_terminal_summary(terminalreporter, config):
    folders = config.stash.get(_FAILED_ARTIFACTS, [])
    if folders:
        terminalreporter.section("browser test artifacts")
        for folder in folders:
            terminalreporter.write_line(str(folder))
