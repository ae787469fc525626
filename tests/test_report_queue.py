"""Reports are rendered when a diagnosis is submitted, so the first download comes from storage;
a failing dependency (Redis down, no worker, a renderer failure) never gives a server error."""
from __future__ import annotations

import logging
import time

import pytest
from conftest import PASSWORD, login, run_worker, submit_demo

from diagnosis.assessments.models import SUBMITTED
from diagnosis.extensions import db
from diagnosis.reports.web import jobs, storage
from diagnosis.reports.web.models import StoredReport

REDIS_DOWN = "redis://127.0.0.1:1/0"   # nothing listens on port 1


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders and where they ran (the real renderer still runs)."""
    import threading
    calls = []
    real = storage.render_pdf

    def counting(data, **options):
        calls.append(threading.current_thread().name)
        return real(data, **options)

    monkeypatch.setattr(storage, "render_pdf", counting)
    return calls


@pytest.fixture
def on_submit(app):
    """Rendering on submit, as outside tests, with the background thread drained at the end."""
    app.config["REPORTS_RENDER_ON_SUBMIT"] = True
    yield app
    jobs.thread_queue(app).wait_idle(120)


def drain(app, timeout: float = 120) -> None:
    assert jobs.thread_queue(app).wait_idle(timeout), "the background render did not finish"


def test_a_submitted_diagnosis_has_its_report_stored_before_anyone_asks(client, enterprise_user, on_submit, renders):
    d = submit_demo(enterprise_user)
    drain(on_submit)
    assert renders == ["report-renderer"]
    assert db.session.query(StoredReport).filter_by(diagnosis_id=d.id).count() == 1
    login(client, enterprise_user)
    response = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert renders == ["report-renderer"]     # served from storage: no render in the request


def test_a_download_while_the_background_render_runs_shows_progress(client, enterprise_user, on_submit, monkeypatch):
    import threading
    gate = threading.Event()
    real = storage.render_pdf
    monkeypatch.setattr(storage, "render_pdf", lambda data, **o: gate.wait(60) and real(data, **o))
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    try:
        page = client.get(f"/diagnoses/{d.id}/report.pdf")
        assert page.status_code == 202 and "报告正在后台排版" in page.data.decode()
        assert 'src="/static/js/report-pending.js"' in page.data.decode() and "<script>" not in page.data.decode()
        assert client.get(f"/diagnoses/{d.id}/report/status").get_json()["state"] in ("queued", "started")
    finally:
        gate.set()
    drain(on_submit)
    assert client.get(f"/diagnoses/{d.id}/report/status").get_json()["state"] == "ready"


def test_without_rendering_on_submit_the_first_download_renders_it(client, enterprise_user, app, renders):
    assert not jobs.render_on_submit(app)     # the default under TESTING
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{d.id}/report.pdf").status_code == 200
    assert len(renders) == 1


def test_redis_down_at_submit_renders_in_the_background_thread_and_logs_it(enterprise_user, on_submit, renders,
                                                                          caplog):
    on_submit.config["REDIS_URL"] = REDIS_DOWN
    with caplog.at_level(logging.WARNING, logger="diagnosis.reports.web.jobs"):
        d = submit_demo(enterprise_user)
        drain(on_submit)
    assert "unavailable" in caplog.text and "background thread" in caplog.text
    assert renders == ["report-renderer"]
    assert db.session.query(StoredReport).filter_by(diagnosis_id=d.id).count() == 1


def test_redis_down_at_download_renders_in_the_request_and_logs_it(client, enterprise_user, app, renders, caplog):
    d = submit_demo(enterprise_user)
    app.config["REDIS_URL"] = REDIS_DOWN
    login(client, enterprise_user)
    with caplog.at_level(logging.WARNING, logger="diagnosis.reports.web.jobs"):
        response = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "unavailable" in caplog.text and "in the request" in caplog.text
    assert len(renders) == 1


def test_with_redis_a_submitted_diagnosis_is_queued_for_the_worker(client, enterprise_user, on_submit, redis_url):
    from redis import Redis
    from rq import Queue
    d = submit_demo(enterprise_user)
    assert len(Queue(jobs.QUEUE, connection=Redis.from_url(redis_url))) == 1
    run_worker(redis_url)
    assert db.session.query(StoredReport).filter_by(diagnosis_id=d.id).count() == 1
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{d.id}/report.pdf").data.startswith(b"%PDF")


def test_with_redis_but_no_worker_the_page_says_so_then_renders_in_the_request(client, enterprise_user, app,
                                                                             redis_url, renders):
    app.config["REPORT_QUEUE_WAIT"] = 0.5
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{d.id}/report.pdf").status_code == 202
    status = client.get(f"/diagnoses/{d.id}/report/status").get_json()
    assert status["state"] == "queued" and status["workers"] == 0
    time.sleep(0.6)
    assert client.get(f"/diagnoses/{d.id}/report/status").get_json()["state"] == "render"
    response = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert len(renders) == 1


@pytest.fixture
def failing_renderer(app, monkeypatch):
    state = {"fail": True}
    real = storage.render_pdf

    def render(data, **options):
        if state["fail"]:
            raise OSError("fontconfig: cannot load the report font")
        return real(data, **options)

    monkeypatch.setattr(storage, "render_pdf", render)
    monkeypatch.setattr(jobs, "RETRY_DELAYS", (0.2,))
    yield state
    drain(app)


def test_a_renderer_failure_gives_a_chinese_page_and_the_diagnosis_stays_submitted(client, enterprise_user, app,
                                                                                  failing_renderer):
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    response = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.data.decode()
    assert "报告暂时无法生成" in page and "诊断已提交" in page and "Traceback" not in page
    db.session.expire_all()
    assert db.session.get(type(d), d.id).status == SUBMITTED and db.session.get(type(d), d.id).result is not None
    assert client.get(f"/diagnoses/{d.id}").status_code == 200


def test_a_failed_render_is_retried_later_in_the_background(client, enterprise_user, app, failing_renderer):
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{d.id}/report.pdf").status_code == 503
    failing_renderer["fail"] = False         # the renderer recovers
    deadline = time.monotonic() + 120
    while db.session.query(StoredReport).filter_by(diagnosis_id=d.id).count() == 0:
        assert time.monotonic() < deadline, "the report was not rendered again"
        time.sleep(0.2)
        db.session.expire_all()
    drain(app)
    assert client.get(f"/diagnoses/{d.id}/report.pdf").status_code == 200


def test_the_api_answers_a_renderer_failure_with_503_and_a_chinese_message(client, enterprise_user, app,
                                                                          failing_renderer):
    d = submit_demo(enterprise_user)
    token = client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": PASSWORD}
                        ).get_json()["token"]
    response = client.get(f"/api/v1/diagnoses/{d.id}/report.pdf", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "报告暂时无法生成" in response.get_json()["error"]["message"]
    drain(app)


def test_with_redis_a_render_the_worker_failed_is_tried_in_the_request(client, enterprise_user, app, redis_url,
                                                                      renders):
    from redis import Redis
    from rq.job import Job, JobStatus
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{d.id}/report.pdf").status_code == 202
    job = Job.fetch(jobs.job_id(d.id, d.result.id, storage.template_hash()), connection=Redis.from_url(redis_url))
    job.set_status(JobStatus.FAILED)
    assert client.get(f"/diagnoses/{d.id}/report/status").get_json()["state"] == "render"
    response = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert len(renders) == 1
