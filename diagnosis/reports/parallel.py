"""Render the report on two cores: the two halves of the report at once, in two processes.

A render spends nearly all its time in WeasyPrint's layout and drawing, single-threaded Python.
The report's chapters each start on a new page, so ``split.split_markup`` cuts the markup into
two halves of about equal cost; a helper process renders the heavier half while this process
renders the other, the two exchange their page counts when their pagination is done
(``page_numbers``), and ``split.join_pdfs`` puts the pages together.

The helper is one warm process per rendering process (web worker, RQ worker, CLI), started on
the first render (which itself runs in one process) and reused. Whenever the helper is busy with
another thread's render, not started yet, or fails, the report is rendered in one process, as
before: the PDF is the same either way but for its internal structure. ``REPORT_PARALLEL=0`` in
the environment never starts a helper; by default there is one when the machine has two CPUs.
"""
from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from itertools import count
from multiprocessing.connection import Connection
from pathlib import Path

log = logging.getLogger(__name__)

#: Seconds to wait for the helper at each step before giving up on it.
TIMEOUT = float(os.environ.get("REPORT_PARALLEL_TIMEOUT", "60"))


def enabled() -> bool:
    """``REPORT_PARALLEL=0`` never, ``=1`` always, unset: when there are at least two CPUs."""
    setting = os.environ.get("REPORT_PARALLEL", "")
    if setting in ("0", "1"):
        return setting == "1"
    return (os.cpu_count() or 1) >= 2


class HelperFailed(RuntimeError):
    pass


def serve(conn: Connection) -> None:
    """The helper's loop: render the half the parent sends, numbering its pages after the
    parent's count when it is the second half, and counting both for the total."""
    from .page_numbers import numbered
    from .render import render_markup, warm_up

    warm_up()
    conn.send(("ready",))
    while True:
        message = conn.recv()
        if message[0] == "stop":
            return
        _, job, markup, is_first = message

        def resolve(own_pages: int, job=job, is_first=is_first) -> tuple[int, int]:
            conn.send(("pages", job, own_pages))
            kind, answer_job, other_pages = conn.recv()
            if kind != "pages" or answer_job != job:
                raise HelperFailed(f"unexpected message {kind!r} for job {answer_job}")
            return (0 if is_first else other_pages), other_pages + own_pages

        try:
            with numbered(resolve):
                pdf = render_markup(markup)
        except BaseException as error:  # report it; the parent decides what to do
            conn.send(("error", job, f"{type(error).__name__}: {error}"))
        else:
            conn.send(("pdf", job, pdf))


class Helper:
    """The helper process and its end of the socket pair, used by one render at a time.

    The helper is a fresh interpreter (``python -m diagnosis.reports.render_helper FD``), not a
    multiprocessing child: it imports nothing of the parent's main script and inherits no threads.
    """

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "diagnosis.reports.render_helper", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL, close_fds=True)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.pid = os.getpid()
        self.ready = False
        self.lock = threading.Lock()
        self._jobs = count(1)

    def alive(self) -> bool:
        return self.process.poll() is None and self.pid == os.getpid()

    def poll_ready(self) -> bool:
        """Whether the helper has finished starting (without waiting)."""
        if not self.ready and self.conn.poll():
            self.ready = self.conn.recv() == ("ready",)
        return self.ready

    def _receive(self, kind: str, job: int):
        if not self.conn.poll(TIMEOUT):
            raise HelperFailed(f"no {kind} from the helper within {TIMEOUT:.0f} s")
        message = self.conn.recv()
        if message[0] == "error":
            raise HelperFailed(message[2])
        if message[0] != kind or message[1] != job:
            raise HelperFailed(f"expected {kind} for job {job}, got {message[0]} for job {message[1]}")
        return message[2]

    def render_halves(self, first: str, second: str, render_here: Callable[[str], bytes],
                      helper_takes_first: bool = False) -> tuple[bytes, bytes]:
        """PDFs of ``first`` and ``second``: one rendered here by ``render_here``, the other by the
        helper. The caller joins the PDFs after this returns, so the heavier half should go to
        the helper (``helper_takes_first`` when that is the first)."""
        from .page_numbers import numbered

        job = next(self._jobs)
        self.conn.send(("render", job, first if helper_takes_first else second, helper_takes_first))

        def resolve(own_pages: int) -> tuple[int, int]:
            self.conn.send(("pages", job, own_pages))
            other_pages = self._receive("pages", job)
            return (other_pages if helper_takes_first else 0), own_pages + other_pages

        with numbered(resolve):
            here = render_here(second if helper_takes_first else first)
        there = self._receive("pdf", job)
        return (there, here) if helper_takes_first else (here, there)

    def stop(self) -> None:
        try:
            if self.pid == os.getpid() and self.process.poll() is None:
                self.process.kill()
                self.process.wait(5)
        finally:
            self.conn.close()


_helper: Helper | None = None
_helper_lock = threading.Lock()
_unavailable = False


def acquire() -> Helper | None:
    """The ready helper of this process, locked for the caller; ``None`` if there is none free.

    Starts the helper if there is none (the render asking for it runs in one process)."""
    helper = _start()
    if helper is None:
        return None
    with _helper_lock:
        if not helper.poll_ready() or not helper.lock.acquire(blocking=False):
            return None
    return helper


def release(helper: Helper) -> None:
    helper.lock.release()


def discard(helper: Helper) -> None:
    """Stop a helper that failed; the next render starts a new one."""
    global _helper
    with _helper_lock:
        if _helper is helper:
            _helper = None
    helper.stop()


def shutdown() -> None:
    """Stop this process's helper (tests, benchmarks)."""
    global _helper
    with _helper_lock:
        helper, _helper = _helper, None
    if helper is not None:
        helper.stop()


def wait_until_ready(timeout: float = 60.0) -> bool:
    """Start the helper if needed and wait until it can take renders (benchmarks, tests)."""
    helper = _start()
    if helper is None:
        return False
    if not helper.ready and helper.conn.poll(timeout):
        with _helper_lock:
            helper.poll_ready()
    return helper.ready


def _start() -> Helper | None:
    """This process's helper, started if there is none (``None`` if helpers cannot run here)."""
    global _helper, _unavailable
    if not enabled() or _unavailable:
        return None
    with _helper_lock:
        if _helper is not None and not _helper.alive():
            if _helper.pid == os.getpid():
                _helper.stop()
            _helper = None
        if _helper is None:
            try:
                _helper = Helper()
            except Exception as error:
                log.warning("report render helper cannot start (%s); rendering in one process", error)
                _unavailable = True
                return None
        return _helper


atexit.register(shutdown)
