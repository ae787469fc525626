"""Drafts: one open draft unless the user asks for another, deletion after confirmation, lists by date."""
import re

from conftest import login, submit_demo
from test_races import at_once, browser_session, server  # noqa: F401  (the fixture)
from sqlalchemy import select

from diagnosis.assessments.models import Diagnosis
from diagnosis.audit.models import AuditEvent
from diagnosis.extensions import db


def drafts():
    return db.session.scalars(select(Diagnosis).where(Diagnosis.status == "draft")).all()


def test_starting_again_with_an_open_draft_opens_that_draft(client, enterprise_user):
    login(client, enterprise_user)
    first = client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"})
    again = client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"})
    (draft,) = drafts()
    assert first.headers["Location"].startswith(f"/diagnoses/{draft.id}/")
    assert again.headers["Location"] == f"/diagnoses/{draft.id}/continue"


def test_a_second_draft_is_made_only_when_asked_for(client, enterprise_user):
    login(client, enterprise_user)
    client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"})
    home = client.get("/enterprise").data.decode()
    assert 'name="another" value="1"' in home and "另开一份新的诊断" in home
    client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024", "another": "1"})
    assert len(drafts()) == 2


def test_a_draft_is_deleted_after_confirmation_and_audited(client, enterprise_user):
    login(client, enterprise_user)
    client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"})
    (draft,) = drafts()
    draft_id, number = draft.id, draft.number
    confirm = client.get(f"/diagnoses/{draft_id}/delete")
    assert confirm.status_code == 200 and "确认删除" in confirm.data.decode()
    response = client.post(f"/diagnoses/{draft_id}/delete", data={"confirm": "1"})
    assert response.headers["Location"] == "/enterprise"
    db.session.expire_all()
    assert drafts() == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "diagnosis.delete"))
    assert event.detail["number"] == number and event.actor_id == enterprise_user.id
    assert event.enterprise_id == enterprise_user.enterprise_id


def test_a_post_without_the_confirm_button_deletes_nothing(client, enterprise_user):
    login(client, enterprise_user)
    client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"})
    (draft,) = drafts()
    response = client.post(f"/diagnoses/{draft.id}/delete")
    assert response.headers["Location"] == f"/diagnoses/{draft.id}/delete"
    assert len(drafts()) == 1


def test_a_submitted_diagnosis_is_never_deleted(client, enterprise_user):
    submitted = submit_demo(enterprise_user)
    login(client, enterprise_user)
    response = client.post(f"/diagnoses/{submitted.id}/delete", data={"confirm": "1"})
    assert response.headers["Location"] == f"/diagnoses/{submitted.id}"
    db.session.expire_all()
    assert db.session.get(Diagnosis, submitted.id).is_submitted


def test_another_enterprises_draft_cannot_be_deleted(client, enterprise_user, other_enterprise_user):
    login(client, other_enterprise_user)
    client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"})
    (draft,) = drafts()
    client.post("/logout")
    login(client, enterprise_user)
    assert client.post(f"/diagnoses/{draft.id}/delete", data={"confirm": "1"}).status_code == 404
    assert len(drafts()) == 1


def test_submitted_diagnoses_are_listed_newest_submission_first(client, enterprise_user):
    from datetime import timedelta
    older, newer = submit_demo(enterprise_user), submit_demo(enterprise_user)
    older.submitted_at, newer.submitted_at = newer.submitted_at + timedelta(days=1), newer.submitted_at
    db.session.commit()                 # the lower number was submitted later
    login(client, enterprise_user)
    page = client.get("/enterprise").data.decode()
    listed = re.findall(r"<td data-label=\"诊断编号\" class=\"nowrap\">(ZZ[\d-]+)</td>", page)
    assert listed == [older.number, newer.number]



def test_two_clicks_arriving_at_once_make_one_draft(server, enterprise_user):
    tab = browser_session(server, enterprise_user.email)
    for _ in range(3):                                   # several rounds: races are not deterministic
        answers = at_once([lambda: tab.post("/diagnoses/new", {"questionnaire": "zhizao-2024"})] * 4)
        assert [status for status, _, _ in answers] == [302] * 4
        db.session.expire_all()
        assert len(drafts()) == 1
