"""Render a report on two cores: its two parts at once, one here and one in a render helper.

A render spends nearly all its time in WeasyPrint's layout and drawing, single-threaded Python.
``parts.split`` cuts the report at the chapters the template marks as starting a new page, and
deals the chapter groups to two documents of about equal cost; the helper renders the heavier one
while this process renders the other, each on its own, without the numbered footer.
``joining.join_parts`` puts the pages back in report order and stamps the page numbers. Nothing
is exchanged while the documents render.

The helper is a plain ``concurrent.futures.ProcessPoolExecutor`` of one worker started with
``spawn`` (a fresh interpreter: no inherited threads or locks), one per rendering process (web
worker, RQ worker), started by the first render and reused; the command line, single-threaded,
forks its own once WeasyPrint is loaded (``start(method="fork")``). Its start-up objects
are frozen out of the garbage collector's reach (``gc.freeze``); the collector is never paused
(measured: pausing it and collecting afterwards cost 10-15% more than letting it run, with or
without a frozen heap). Whenever the helper is busy with another
thread's render, still starting, dead, or too slow, the report is rendered in one process: the
pages are the same either way. ``REPORT_PARALLEL=0`` never starts a helper, ``=1`` always does;
by default there is one when the machine has two CPUs.
"""
from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

log = logging.getLogger(__name__)

#: The caller's document is planned lighter by this share of the report: it also builds the
#: markup before and joins the PDFs after (about 35 ms of a 1 s report).
CALLER_SHARE = 0.035
#: Seconds to wait for the helper's part before giving up on it.
TIMEOUT = float(os.environ.get("REPORT_PARALLEL_TIMEOUT", "60"))


def enabled() -> bool:
    """``REPORT_PARALLEL=0`` never, ``=1`` always, unset: when there are at least two CPUs."""
    setting = os.environ.get("REPORT_PARALLEL", "")
    if setting in ("0", "1"):
        return setting == "1"
    return (os.cpu_count() or 1) >= 2


def second_core_idle() -> bool:
    """Whether a one-off render (the command line) gains from a helper: only when a core is free
    now. Starting a helper costs a second WeasyPrint import; on a busy machine that costs more
    than the half render it saves. ``REPORT_PARALLEL=1`` forces the helper.

    "Now" is the number of runnable tasks the kernel reports (``/proc/loadavg``, this process
    included), the median of three readings a few milliseconds apart; the load averages lag by
    a minute, which is longer than most commands run. Without ``/proc``, the one-minute average."""
    if os.environ.get("REPORT_PARALLEL") == "1":
        return True
    if not enabled():
        return False
    cpus = os.cpu_count() or 1
    running = runnable_now()
    if running is None:
        try:
            return os.getloadavg()[0] <= cpus - 1.5
        except OSError:
            return True
    return running - 1 <= cpus - 2       # the others leave a core besides this one's


def runnable_now(readings: int = 3, interval: float = 0.003) -> int | None:
    """Tasks running or waiting for a CPU now, the caller included (``None`` without ``/proc``)."""
    import time

    counts = []
    for index in range(readings):
        if index:
            time.sleep(interval)
        try:
            with open("/proc/loadavg") as fh:
                counts.append(int(fh.read().split()[3].split("/")[0]))
        except (OSError, ValueError, IndexError):
            return None
    return sorted(counts)[len(counts) // 2]


# ------------------------------------------------------------------------------- in the helper

def _helper_init(warm: bool) -> None:
    """Runs once in the helper process: the checks, and with ``warm`` a probe render that loads
    fonts and stylesheets (a server's helper). Without (the command line's: its part comes as soon
    as the caller has built the markup), only the font configuration and the parsed stylesheets,
    which fit in the time the caller takes to get there."""
    import gc

    from . import compat
    from .render import PART_STYLESHEET, font_config, print_stylesheet, stylesheet, warm_up

    if warm:
        warm_up()
    else:
        compat.status()
        font_config()
        print_stylesheet()
        stylesheet(PART_STYLESHEET)
    gc.freeze()  # what is loaded now stays: later collections skip it


def _helper_pid() -> int:
    return os.getpid()


def _render_in_helper(markup: str) -> tuple[bytes, list[str] | None]:
    from .render import PART_STYLESHEET, render_part, stylesheet

    return render_part(markup, extra_stylesheets=[stylesheet(PART_STYLESHEET)])


# ------------------------------------------------------------------------------- in the caller

class Helper:
    """The helper process (a one-worker pool), used by one render at a time."""

    def __init__(self, warm: bool = True, method: str = "spawn") -> None:
        self.owner = os.getpid()
        self.executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method),
                                            initializer=_helper_init, initargs=(warm,))
        self.started: Future = self.executor.submit(_helper_pid)
        self.lock = threading.Lock()

    def ready(self, wait: float = 0.0) -> bool:
        try:
            self.started.result(timeout=wait)
        except FutureTimeout:
            return False
        return True

    @property
    def pid(self) -> int | None:
        return self.started.result() if self.started.done() and not self.started.exception() else None

    def alive(self) -> bool:
        if self.owner != os.getpid():
            return False
        if self.started.done() and self.started.exception() is not None:
            return False
        return not getattr(self.executor, "_broken", False)

    def stop(self) -> None:
        pid = self.pid
        if pid is not None and self.owner == os.getpid():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.executor.shutdown(wait=False, cancel_futures=True)


_helper: Helper | None = None
_helper_lock = threading.Lock()
_unavailable = False


def start(warm: bool = True, method: str = "spawn") -> Helper | None:
    """This process's helper, started if there is none (``None`` if helpers cannot run here).
    ``warm``: it loads fonts with a probe render before taking parts. ``method``: ``spawn`` (a
    fresh interpreter; any process with threads, a web worker) or ``fork`` (a copy of this process
    with what it has imported: only for a single-threaded process, the command line)."""
    global _helper, _unavailable
    if not enabled() or _unavailable:
        return None
    with _helper_lock:
        if _helper is not None and not _helper.alive():
            if _helper.owner == os.getpid():
                _helper.stop()
            _helper = None
        if _helper is None:
            try:
                _helper = Helper(warm, method)
            except Exception as error:  # noqa: BLE001 - no processes here (sandbox, limits)
                log.warning("report render helper cannot start (%s); rendering in one process", error)
                _unavailable = True
                return None
        return _helper


def acquire(wait: float = 0.0) -> Helper | None:
    """The helper of this process, locked for the caller; ``None`` if there is none free.

    Starts the helper if there is none. A helper still starting is returned only when the caller
    would wait for it (``wait`` > 0: its part queues until the helper is up)."""
    helper = start()
    if helper is None:
        return None
    try:
        ready = helper.ready(0.0)
    except Exception as error:  # noqa: BLE001 - it died while starting
        log.warning("report render helper failed to start (%s); rendering in one process", error)
        discard(helper)
        return None
    if not (ready or wait > 0) or not helper.lock.acquire(blocking=False):
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
    """Stop this process's helper (tests, benchmarks, exit)."""
    global _helper
    with _helper_lock:
        helper, _helper = _helper, None
    if helper is not None:
        helper.stop()


def wait_until_ready(timeout: float = 60.0) -> bool:
    """Start the helper if needed and wait until it can take renders (benchmarks, tests)."""
    helper = start()
    if helper is None:
        return False
    try:
        return helper.ready(timeout)
    except Exception:  # noqa: BLE001
        discard(helper)
        return False


def render_in_parts(markup: str, *, helper_wait: float = 0.0,
                    finish=None) -> bytes | None:
    """The report's PDF rendered as two documents, here and in the helper, and joined
    (``finish``: see ``joining.join_parts``); ``None`` when it cannot be (no free helper, nothing
    to cut, a failed helper): the caller renders it in one process."""
    from .document import parse_xhtml
    from .joining import join_parts
    from .parts import split, to_markup
    from .render import PART_STYLESHEET, render_part, stylesheet

    helper = acquire(helper_wait)
    if helper is None:
        return None
    try:
        try:
            parts = split(parse_xhtml(markup), lighter_by=CALLER_SHARE)
        except Exception:  # noqa: BLE001 - not XHTML: the one-process path parses it as HTML
            parts = None
        if parts is None:
            return None
        # The heavier document goes to the helper: this process also joins the PDFs afterwards.
        there = 0 if parts.weights[0] > parts.weights[1] else 1
        try:
            future = helper.executor.submit(_render_in_helper, to_markup(parts.documents[there]))
        except Exception as error:  # noqa: BLE001 - the pool broke since it was acquired
            return _failed(helper, error)
        rendered = [None, None]
        rendered[1 - there] = render_part(parts.documents[1 - there], extra_stylesheets=[stylesheet(PART_STYLESHEET)])
        try:
            rendered[there] = future.result(timeout=max(TIMEOUT, helper_wait))
        except Exception as error:  # noqa: BLE001 - died, timed out, or its render failed
            return _failed(helper, error)
    finally:
        if helper.lock.locked():
            release(helper)
    (first_pdf, first_names), (second_pdf, second_names) = rendered
    if first_names is None or second_names is None:
        return None  # a document's page types are not known: its page numbers could not be stamped
    try:
        return join_parts(first_pdf, second_pdf, parts.groups, (first_names, second_names), finish=finish)
    except Exception as error:  # noqa: BLE001 - pikepdf or the page-number document failed
        log.warning("joining the parts of a report failed (%s: %s); rendering it in one process",
                    type(error).__name__, error)
        return None


def _failed(helper: Helper, error: BaseException) -> None:
    kind = "did not answer within %.0f s" % TIMEOUT if isinstance(error, FutureTimeout) else f"failed ({type(error).__name__}: {error})"
    log.warning("report render helper %s; rendering in one process", kind)
    discard(helper)
    return None


atexit.register(shutdown)
