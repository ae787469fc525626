"""Rendered reports are stored and served from storage; background rendering with RQ."""

import pytest
from conftest import login, run_worker, submit_demo

from diagnosis.extensions import db
from diagnosis.reports.engine import fingerprint
from diagnosis.reports.web import storage
from diagnosis.reports.web.models import StoredReport


@pytest.fixture
def counted_renders(monkeypatch):
    """Counts real renders (the real renderer still runs)."""
    calls = []
    real = storage.render_pdf

    def counting(data, **options):
        calls.append(data.number)
        return real(data, **options)

    monkeypatch.setattr(storage, "render_pdf", counting)
    return calls


def test_the_first_download_renders_and_later_ones_are_served_from_storage(client, enterprise_user, counted_renders):
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    first = client.get(f"/diagnoses/{d.id}/report.pdf")
    second = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.data.startswith(b"%PDF")
    assert len(counted_renders) == 1
    row = db.session.query(StoredReport).one()
    assert row.result_id == d.result.id and row.template_hash == fingerprint.template_hash() and row.size == len(first.data)


def test_a_changed_template_renders_anew(client, enterprise_user, counted_renders, monkeypatch):
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    client.get(f"/diagnoses/{d.id}/report.pdf")
    monkeypatch.setattr(storage, "template_hash", lambda: "f" * 64)
    client.get(f"/diagnoses/{d.id}/report.pdf")
    assert len(counted_renders) == 2 and db.session.query(StoredReport).count() == 2


def test_a_new_result_renders_anew(client, enterprise_user, counted_renders):
    from diagnosis.assessments.models import DiagnosisResult
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    client.get(f"/diagnoses/{d.id}/report.pdf")
    newer = DiagnosisResult(diagnosis_id=d.id, scoring_version="next", data=d.result.data, digest="x")
    db.session.add(newer)
    db.session.commit()
    db.session.refresh(d)
    client.get(f"/diagnoses/{d.id}/report.pdf")
    assert len(counted_renders) == 2
    assert {r.result_id for r in db.session.query(StoredReport)} == {d.results[0].id, newer.id}


def test_a_draft_has_no_report(client, enterprise_user):
    from diagnosis.assessments import services
    d = services.start_diagnosis(enterprise_user)
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{d.id}/report.pdf").status_code == 409


def test_with_redis_the_report_renders_in_the_background_and_the_page_shows_progress(client, enterprise_user, redis_url):
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    pending = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert pending.status_code == 202 and "报告正在后台排版" in pending.data.decode()
    assert client.get(f"/diagnoses/{d.id}/report/status").get_json()["state"] == "queued"
    client.get(f"/diagnoses/{d.id}/report.pdf")          # asking again does not queue a second job
    from redis import Redis
    from rq import Queue
    assert len(Queue("reports", connection=Redis.from_url(redis_url))) == 1
    run_worker(redis_url)
    status = client.get(f"/diagnoses/{d.id}/report/status").get_json()
    assert status == {"state": "ready", "url": f"/diagnoses/{d.id}/report.pdf"}
    ready = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF")


def test_with_redis_the_api_answers_202_until_the_report_is_ready(client, enterprise_user, redis_url):
    from conftest import PASSWORD
    d = submit_demo(enterprise_user)
    token = client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get(f"/api/v1/diagnoses/{d.id}/report.pdf", headers=headers)
    assert response.status_code == 202 and response.headers["Retry-After"] == "2"
    run_worker(redis_url)
    assert client.get(f"/api/v1/diagnoses/{d.id}/report.pdf", headers=headers).data.startswith(b"%PDF")


def test_without_redis_the_report_renders_inline(client, enterprise_user, app):
    assert not app.config["REDIS_URL"]
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{d.id}/report.pdf").status_code == 200
