"""Reports rendered before they are asked for: queued when a diagnosis is submitted.

Where a render runs:

* **RQ** when ``REDIS_URL`` is set and Redis answers: ``diagnosis worker`` (or ``rq worker
  reports``) renders and stores it; a failed render is retried (``RETRY_DELAYS``).
* **A background thread** of this process otherwise (no Redis configured, or Redis down: logged),
  fed by a bounded queue (``REPORT_QUEUE_SIZE``); a full queue drops the job (logged) and the
  report renders on its first download instead. A failed render is retried after a delay.
* **Inline**, in the request, when a download finds neither a stored PDF nor a render underway
  for it, when Redis is down, or when a queued render has not started within
  ``REPORT_QUEUE_WAIT`` seconds (Redis up but no worker taking jobs).

``REPORTS_RENDER_ON_SUBMIT`` (default: on, off under ``TESTING`` like Flask-Mail's suppression
of mail in tests) turns the queueing on submit on or off.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, current_app

log = logging.getLogger(__name__)

QUEUE = "reports"
#: Seconds before each retry of a render that failed.
RETRY_DELAYS = (30, 120, 600)
DEFAULTS = {
    "REPORTS_RENDER_ON_SUBMIT": None,   # None: on unless TESTING
    "REPORT_QUEUE_SIZE": 64,
    "REPORT_QUEUE_WAIT": 20.0,          # seconds a queued render may wait for a worker
    "REDIS_TIMEOUT": 2.0,               # seconds to connect to / hear from Redis
}

ACTIVE = ("queued", "started", "deferred", "scheduled")


def setting(app: Flask, name: str):
    return app.config.get(name, DEFAULTS[name])


def render_on_submit(app: Flask) -> bool:
    value = setting(app, "REPORTS_RENDER_ON_SUBMIT")
    return (not app.testing) if value is None else bool(value)


# ------------------------------------------------------------------------------------------ RQ

def _redis(app: Flask):
    from redis import Redis

    timeout = float(setting(app, "REDIS_TIMEOUT"))
    return Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=timeout, socket_timeout=timeout)


def _rq_queue(app: Flask):
    from rq import Queue

    return Queue(QUEUE, connection=_redis(app))


def job_id(diagnosis_id: int, result_id: int, template: str, review: str = "") -> str:
    return f"report-{diagnosis_id}-{result_id}-{template[:16]}" + (f"-r{review}" if review else "")


def _current_job_id(diagnosis) -> str:
    from ..engine.fingerprint import template_hash
    from .storage import review_key

    return job_id(diagnosis.id, diagnosis.result.id, template_hash(), review_key(diagnosis))


def rq_enqueue(app: Flask, diagnosis):
    """Queue one render; a render already queued or running for the same key is reused.
    Raises ``redis.exceptions.RedisError`` when Redis is down."""
    from rq import Retry
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    q = _rq_queue(app)
    jid = _current_job_id(diagnosis)
    try:
        job = Job.fetch(jid, connection=q.connection)
        if _status(job) in ACTIVE:
            return job
        job.delete()
    except NoSuchJobError:
        pass
    return q.enqueue(render_job, diagnosis.id, job_id=jid, result_ttl=600, failure_ttl=3600, job_timeout=300,
                     retry=Retry(max=len(RETRY_DELAYS), interval=list(RETRY_DELAYS)))


def rq_workers(app: Flask) -> int:
    from rq import Worker

    return Worker.count(queue=_rq_queue(app))


def rq_job(app: Flask, diagnosis):
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        return Job.fetch(_current_job_id(diagnosis), connection=_redis(app))
    except NoSuchJobError:
        return None


def render_job(diagnosis_id: int) -> int:
    """Runs in the RQ worker: renders and stores the report; returns the stored report's size.

    ``diagnosis worker`` runs jobs inside its app context; a plain ``rq worker`` gets a new app."""
    from flask import has_app_context

    if has_app_context():
        return _render(diagnosis_id)
    from ... import create_app
    with create_app().app_context():
        return _render(diagnosis_id)


def _render(diagnosis_id: int) -> int:
    from ...assessments.models import Diagnosis
    from ...extensions import db
    from .storage import render_and_store

    db.session.expire_all()     # a long-running worker reads what is in the database now
    diagnosis = db.session.get(Diagnosis, diagnosis_id)
    if diagnosis is None or diagnosis.result is None:
        return 0
    return render_and_store(diagnosis).size


# ------------------------------------------------------------------------------------------ thread

@dataclass
class _Entry:
    diagnosis_id: int
    attempt: int = 0
    queued_at: float = field(default_factory=time.monotonic)


class ThreadQueue:
    """Renders in one background thread of this process, from a bounded queue."""

    def __init__(self, app: Flask, size: int) -> None:
        self.app = app
        self.jobs: queue.Queue[_Entry] = queue.Queue(maxsize=size)
        self.states: dict[int, tuple[str, float]] = {}   # diagnosis id -> (queued|started|failed, since)
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.idle = threading.Event()
        self.idle.set()
        self.retries: set[threading.Timer] = set()

    def put(self, diagnosis_id: int, attempt: int = 0) -> bool:
        with self.lock:
            if self.states.get(diagnosis_id, ("",))[0] in ("queued", "started") and attempt == 0:
                return True
            try:
                self.jobs.put_nowait(_Entry(diagnosis_id, attempt))
            except queue.Full:
                log.warning("report queue full (%d): diagnosis %s renders on its first download",
                            self.jobs.maxsize, diagnosis_id)
                return False
            self.states[diagnosis_id] = ("queued", time.monotonic())
            self.idle.clear()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="report-renderer", daemon=True)
                self.thread.start()
        return True

    def state(self, diagnosis_id: int) -> tuple[str, float] | None:
        with self.lock:
            return self.states.get(diagnosis_id)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued, rendering or waiting to be retried (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                retries = list(self.retries)
            for timer in retries:
                timer.join(max(0.0, deadline - time.monotonic()))
            if not self.idle.wait(max(0.0, deadline - time.monotonic())):
                return False
            with self.lock:
                if not self.retries and self.idle.is_set():
                    return True
            if time.monotonic() > deadline:
                return False

    def _run(self) -> None:
        from .storage import ReportUnavailable

        while True:
            try:
                entry = self.jobs.get(timeout=30)
            except queue.Empty:
                with self.lock:
                    if self.jobs.empty():
                        self.thread = None
                        return
                continue
            with self.lock:
                self.states[entry.diagnosis_id] = ("started", time.monotonic())
            try:
                with self.app.app_context():
                    _render(entry.diagnosis_id)
            except ReportUnavailable:
                self._retry_later(entry)
            except Exception:  # noqa: BLE001 - a database hiccup: same as a failed render
                log.exception("background render of diagnosis %s failed", entry.diagnosis_id)
                self._retry_later(entry)
            else:
                with self.lock:
                    self.states.pop(entry.diagnosis_id, None)
            finally:
                with self.app.app_context():
                    from ...extensions import db
                    db.session.remove()
                self.jobs.task_done()
                with self.lock:
                    if self.jobs.unfinished_tasks == 0:
                        self.idle.set()

    def _retry_later(self, entry: _Entry) -> None:
        with self.lock:
            self.states[entry.diagnosis_id] = ("failed", time.monotonic())
        if entry.attempt >= len(RETRY_DELAYS):
            log.error("report of diagnosis %s failed %d times; it renders again on its next download",
                      entry.diagnosis_id, entry.attempt + 1)
            return
        delay = RETRY_DELAYS[entry.attempt]
        log.warning("report of diagnosis %s will be rendered again in %s s", entry.diagnosis_id, delay)

        def retry() -> None:
            try:
                self.put(entry.diagnosis_id, entry.attempt + 1)
            finally:
                with self.lock:
                    self.retries.discard(timer)

        timer = threading.Timer(delay, retry)
        timer.daemon = True
        with self.lock:
            self.retries.add(timer)
        timer.start()


def thread_queue(app: Flask) -> ThreadQueue:
    tq = app.extensions.get("report_queue")
    if tq is None:
        tq = app.extensions.setdefault("report_queue", ThreadQueue(app, int(setting(app, "REPORT_QUEUE_SIZE"))))
    return tq


# ------------------------------------------------------------------------------------------ entry points

def queue_render(diagnosis, app: Flask | None = None) -> str:
    """Queue the render of a diagnosis's current report; returns where: "rq", "thread", "full"."""
    app = app or current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError

        try:
            rq_enqueue(app, diagnosis)
            return "rq"
        except RedisError as error:
            log.warning("Redis at %s unavailable (%s); rendering the report of diagnosis %s in a background "
                        "thread instead", app.config["REDIS_URL"], error, diagnosis.id)
    return "thread" if thread_queue(app).put(diagnosis.id) else "full"


def retry_later(diagnosis, app: Flask | None = None) -> None:
    """After a failed inline render: render again later in the background."""
    app = app or current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError

        try:
            rq_enqueue(app, diagnosis)
            return
        except RedisError:
            pass
    tq = thread_queue(app)
    tq._retry_later(_Entry(diagnosis.id))


@dataclass
class Pending:
    """A render underway that a download should wait for."""

    state: str          # queued | started
    workers: int | None = None   # RQ workers listening (None: a thread of this process)
    waited: float = 0.0


def pending_render(diagnosis, app: Flask | None = None, enqueue: bool = True) -> Pending | None:
    """The render underway for this diagnosis's current report, if a download should wait for it;
    ``None`` when the download should render it now (nothing underway, Redis down, or queued for
    longer than ``REPORT_QUEUE_WAIT`` without a worker taking it). With RQ, a report not queued
    yet is queued (``enqueue``)."""
    app = app or current_app._get_current_object()
    wait = float(setting(app, "REPORT_QUEUE_WAIT"))
    if app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError

        try:
            job = rq_job(app, diagnosis)
            status = _status(job) if job is not None else None
            if status == "failed":
                return None     # the worker could not render it: try now (a Chinese page if that fails)
            if status not in ACTIVE:
                if not enqueue:
                    return None
                job = rq_enqueue(app, diagnosis)
            status = _status(job)
            if status not in ACTIVE:
                return None
            waited = _seconds_since(job.enqueued_at)
            workers = rq_workers(app)
            if status != "started" and waited > wait:
                log.warning("report of diagnosis %s queued %.0f s without a worker taking it (%d workers); "
                            "rendering it in the request", diagnosis.id, waited, workers)
                return None
            return Pending(status, workers, waited)
        except RedisError as error:
            log.warning("Redis at %s unavailable (%s); rendering the report of diagnosis %s in the request",
                        app.config["REDIS_URL"], error, diagnosis.id)
            return None
    state = thread_queue(app).state(diagnosis.id)
    if state is None or state[0] not in ("queued", "started"):
        return None
    waited = time.monotonic() - state[1]
    if state[0] == "queued" and waited > wait:
        return None
    return Pending(state[0], None, waited)


def _status(job) -> str:
    status = job.get_status(refresh=False)
    return str(getattr(status, "value", status))


def _seconds_since(moment) -> float:
    if moment is None:
        return 0.0
    from datetime import datetime, timezone

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (datetime.now(timezone.utc) - moment).total_seconds())
