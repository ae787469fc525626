"""Background rendering with RQ, used when REDIS_URL is set (``make worker`` runs the worker)."""
from __future__ import annotations

from flask import current_app
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.exceptions import NoSuchJobError

QUEUE = "reports"


def _queue() -> Queue:
    return Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))


def job_id(diagnosis_id: int, result_id: int, template: str) -> str:
    return f"report-{diagnosis_id}-{result_id}-{template[:16]}"


def enqueue(diagnosis_id: int, result_id: int, template: str) -> Job:
    """Queue one render; a render already queued or running for the same key is reused."""
    queue = _queue()
    jid = job_id(diagnosis_id, result_id, template)
    try:
        job = Job.fetch(jid, connection=queue.connection)
        if job.get_status(refresh=True) not in ("failed", "stopped", "canceled"):
            return job
        job.delete()
    except NoSuchJobError:
        pass
    return queue.enqueue(render_job, diagnosis_id, job_id=jid, result_ttl=600, failure_ttl=3600, job_timeout=300)


def status(diagnosis_id: int, result_id: int, template: str) -> str | None:
    try:
        job = Job.fetch(job_id(diagnosis_id, result_id, template), connection=_queue().connection)
    except NoSuchJobError:
        return None
    return job.get_status(refresh=True)


def render_job(diagnosis_id: int) -> int:
    """Runs in the worker: renders and stores the report; returns the stored report's size.

    ``diagnosis worker`` runs jobs inside its app context; a plain ``rq worker`` gets a new app."""
    from flask import has_app_context

    if has_app_context():
        return _render(diagnosis_id)
    from .. import create_app
    with create_app().app_context():
        return _render(diagnosis_id)


def _render(diagnosis_id: int) -> int:
    from ..assessments.models import Diagnosis
    from ..extensions import db
    from .storage import render_and_store

    db.session.expire_all()     # a long-running worker reads what is in the database now
    return render_and_store(db.session.get(Diagnosis, diagnosis_id)).size
