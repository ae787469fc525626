"""Races: browser tabs posting at the same moment, against a real HTTP server on a real database.

Each test starts the app in a threaded werkzeug server, lines its threads up on a barrier and then
checks invariants (never timings), over several rounds, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import http.client
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from conftest import PASSWORD
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from stage_pages import filled, shown
from werkzeug.serving import make_server

from diagnosis import catalog
from diagnosis.assessments import services
from diagnosis.assessments.models import SUBMISSION, Diagnosis, DiagnosisResult
from diagnosis.demo import demo_payload
from diagnosis.extensions import db


class Tab:
    """One browser tab: its own connections, the cookies of its browser session (shared by tabs)."""

    def __init__(self, server, cookies: dict[str, str]):
        self.host, self.port = server.host, server.port
        self.cookies = cookies

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """Status, Location and body; redirects are not followed."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            text = response.read().decode()
            return response.status, response.getheader("Location") or "", text
        finally:
            conn.close()

    def get(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        assert status == 200, (path, status)
        return text

    def post(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        return self.request("POST", path, data or {})


def browser_session(server, email: str) -> Tab:
    """Log in once; every Tab made from the returned one's cookies is the same browser session."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=120)
    conn.request("POST", "/login", urlencode({"email": email, "password": PASSWORD}),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    conn.close()
    return Tab(server, cookies)


@pytest.fixture
def server(app):
    """The app served over real HTTP by a threaded server (one thread per request)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    httpd.host, httpd.port = "127.0.0.1", httpd.server_port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    thread.join()
    db.session.remove()


def at_once(calls: list) -> list:
    """Run the calls in threads released together by a barrier; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def complete_draft(user, questionnaire: str) -> Diagnosis:
    diagnosis = services.start_diagnosis(user, questionnaire)
    payload = demo_payload(catalog.library(), questionnaire)
    services.save_stage(diagnosis, {"profile": payload["profile"], "answers": payload["answers"]})
    return diagnosis


def fresh(diagnosis_id: int) -> Diagnosis:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Diagnosis, diagnosis_id)


def result_rows(diagnosis_id: int) -> list[DiagnosisResult]:
    return db.session.scalars(select(DiagnosisResult).where(DiagnosisResult.diagnosis_id == diagnosis_id)).all()


def test_a_save_racing_a_submit_never_changes_the_submitted_diagnosis(server, enterprise_user):
    first, second = browser_session(server, enterprise_user.email), browser_session(server, enterprise_user.email)
    saves_won = 0
    for _ in range(8):
        d = complete_draft(enterprise_user, "sme-2024-only")
        page, submit = f"/diagnoses/{d.id}/stages/sme-basics", f"/diagnoses/{d.id}/submit"
        # The demo answer is ["B", "C"]; a change no consistency check objects to, so the submit
        # is never held back for an explanation.
        data = {**shown(first.get(page)), "f_Q06": ["B"], "action": "save"}
        submitted, saved = at_once([lambda: second.post(submit), lambda: first.post(page, data)])
        d = fresh(d.id)
        assert submitted[0] == 302 and submitted[1].endswith(f"/diagnoses/{d.id}")
        assert saved[0] == 302
        assert d.status == "submitted" and len(result_rows(d.id)) == 1
        # The stored answers are exactly the ones scored: rescoring them finds nothing to add.
        assert services.rescore(d) is None
        assert d.result.data["sme"]["questions"]["Q06"]["answer"] == d.answers["Q06"]
        saves_won += d.answers["Q06"] == ["B"]
        if d.answers["Q06"] == ["B", "C"]:             # the save came too late and was refused
            assert saved[1].endswith(f"/diagnoses/{d.id}")
    assert 0 <= saves_won <= 8


def test_concurrent_saves_of_different_stages_lose_no_answer(server, enterprise_user):
    sessions = [browser_session(server, enterprise_user.email) for _ in range(2)]
    payload = demo_payload(catalog.library(), "zhizao-2024")
    for _ in range(3):
        d = services.start_diagnosis(enterprise_user, "zhizao-2024")
        pages = [f"/diagnoses/{d.id}/stages/{key}" for key in
                 ("profile", "sme-basics", "sme-scenes", "sme-management", "cmmm?level=1")]
        forms = {page: {**filled(sessions[0].get(page), payload["profile"], payload["answers"]), "action": "save"}
                 for page in pages}
        calls = [lambda tab=sessions[i % 2], page=pages[i % len(pages)]: tab.post(page, forms[page])
                 for i in range(20)]
        responses = at_once(calls)
        assert [status for status, _, _ in responses] == [302] * 20
        d = fresh(d.id)
        expected_profile = {k: v for k, v in payload["profile"].items()}
        # A figure the profile holds already is not asked again once the profile is saved (the SME
        # page drops it), so a tab that showed it before may post it in vain.
        from_profile = {c["key"] for q in catalog.library()["sme-digital-2024"].data["questions"]
                        for c in q.get("collects") or [] if c.get("from_profile") in d.profile}
        posted_answers = {k: v for k, v in payload["answers"].items() if k not in from_profile
                          and any(f"f_{k.replace('.', '_')}" in form for form in forms.values())}
        assert d.profile == expected_profile
        assert {k: d.answers.get(k) for k in posted_answers} == posted_answers
        assert len(posted_answers) > 60


def test_tabs_saving_one_field_at_once_keep_one_value_and_the_others_are_told(server, enterprise_user):
    tab = browser_session(server, enterprise_user.email)
    for _ in range(2):
        d = services.start_diagnosis(enterprise_user, "sme-2024-only")
        page = f"/diagnoses/{d.id}/stages/profile"
        form = {**shown(tab.get(page)), "action": "save"}
        revenues = [str(1000 + i) for i in range(10)]
        responses = at_once([lambda r=r: tab.post(page, {**form, "f_revenue": r}) for r in revenues])
        saved = [r for r, (status, _, _) in zip(revenues, responses) if status == 302]
        refused = [text for status, _, text in responses if status == 409]
        assert len(saved) == 1 and len(refused) == 9
        assert all("营业收入" in text and "本页这次没有保存" in text for text in refused)
        assert fresh(d.id).profile["revenue"] == int(saved[0])


def test_parallel_submits_make_one_result(server, enterprise_user):
    tabs = [browser_session(server, enterprise_user.email) for _ in range(2)]
    for _ in range(3):
        d = complete_draft(enterprise_user, "sme-2024-only")
        submit = f"/diagnoses/{d.id}/submit"
        responses = at_once([lambda tab=tabs[i % 2]: tab.post(submit) for i in range(10)])
        assert all(status == 302 and location.endswith(f"/diagnoses/{d.id}") for status, location, _ in responses)
        d = fresh(d.id)
        assert d.status == "submitted"
        assert [r.sequence for r in result_rows(d.id)] == [SUBMISSION]


def test_the_database_refuses_a_second_submission_result(enterprise_user):
    from conftest import submit_demo
    d = submit_demo(enterprise_user, "sme-2024-only")
    db.session.add(DiagnosisResult(diagnosis_id=d.id, sequence=SUBMISSION, scoring_version="x",
                                   data=d.result.data, digest="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
