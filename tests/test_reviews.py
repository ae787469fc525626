"""The review workflow: drafts that keep what was written, published versions that are kept, on-site
verification with recomputed levels, decisions on the roadmap, returns answered by a revision, and
the report that always prints the newest published version."""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from conftest import login, submit_demo
from diagnosis.assessments import reviews, services, sharing
from diagnosis.assessments.models import Diagnosis, Review
from diagnosis.extensions import db
from diagnosis.notifications.models import Notification
from diagnosis.reports.web.models import StoredReport

OPINION = "经现场核查，建议优先推进设备联网和 MES。"
LEVEL_2_ITEM = re.compile(r"^[A-Z]{2}2\.\d+$")


@pytest.fixture
def shared(enterprise_user, provider_user):
    diagnosis = submit_demo(enterprise_user)
    sharing.share_with(diagnosis, provider_user, enterprise_user)
    return diagnosis


def review_url(diagnosis) -> str:
    return f"/provider/diagnoses/{diagnosis.id}/review"


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_a_saved_draft_is_shown_again_and_not_to_the_enterprise(client, shared, provider_user, enterprise_user):
    login(client, provider_user)
    client.post(review_url(shared), data={"opinion": "草稿：设备台账待核对。", "domain.人员": "培训体系尚可",
                                          "verify.Q02": "verified", "action": "draft"})
    page = client.get(review_url(shared)).data.decode()
    assert "草稿：设备台账待核对。" in page and "培训体系尚可" in page
    assert re.search(r'name="verify.Q02"[^>]*>\s*<option value="">未核查</option>\s*<option value="verified" selected', page)
    client.post("/logout")
    login(client, enterprise_user)
    assert "设备台账待核对" not in client.get(f"/diagnoses/{shared.id}").data.decode()


def test_publishing_makes_a_new_version_and_keeps_the_earlier_ones(shared, provider_user):
    first = reviews.publish(shared, provider_user, reviews.ReviewInput(opinion=OPINION))
    reviews.save_draft(shared, provider_user, reviews.ReviewInput(opinion=OPINION + "补充：能耗数据需复核。"))
    second = reviews.publish(shared, provider_user, reviews.ReviewInput(opinion=OPINION + "补充：能耗数据需复核。"))
    assert (first.version, second.version) == (1, 2)
    assert [r.version for r in reviews.versions(shared)] == [2, 1]
    db.session.refresh(first)
    assert first.opinion == OPINION                          # the earlier version as it was
    assert reviews.latest_review(shared).id == second.id
    assert reviews.draft_of(shared, provider_user) is None


def test_a_dispute_without_a_comment_is_refused_naming_the_answer_and_nothing_is_lost(client, shared, provider_user):
    login(client, provider_user)
    response = client.post(review_url(shared), data={"opinion": OPINION, "verify.ST2.1": "disputed",
                                                     "found.ST2.1": "0", "action": "publish"})
    page = response.data.decode()
    assert response.status_code == 400 and "ST2.1" in page and "核查情况" in page
    assert OPINION in page
    assert db.session.query(Review).count() == 0


def test_rejecting_a_recommendation_needs_a_reason(shared, provider_user):
    rec = shared.result.data["recommendations"][0]["id"]
    with pytest.raises(reviews.ReviewError) as error:
        reviews.publish(shared, provider_user, reviews.ReviewInput(
            opinion=OPINION, decisions={rec: {"decision": "rejected", "reason": ""}}))
    assert error.value.field == f"reason.{rec}"


def test_a_found_rating_must_be_on_the_scale(shared, provider_user):
    with pytest.raises(reviews.ReviewError) as error:
        reviews.publish(shared, provider_user, reviews.ReviewInput(
            opinion=OPINION, verifications={"ST2.1": {"status": "disputed", "comment": "无", "found": 0.3}}))
    assert error.value.field == "found.ST2.1"


def _full_review(diagnosis, provider):
    recommended = [r["id"] for r in diagnosis.result.data["recommendations"]]
    catalog = [u for u in reviews.catalog_upgrades(diagnosis) if u["id"] not in recommended]
    disputed = {k: {"status": "disputed", "found": 0, "comment": "现场未见记录"}
                for k in diagnosis.answers if LEVEL_2_ITEM.match(k)}
    checks = {"Q02": {"status": "verified"}, "ST1.1": {"status": "verified"}, **disputed}
    return reviews.publish(diagnosis, provider, reviews.ReviewInput(
        opinion=OPINION, domains={"人员": "人员技能培训计划完整。"}, verifications=checks,
        decisions={recommended[0]: {"decision": "accepted"},
                   recommended[1]: {"decision": "rejected", "reason": "已在实施"}},
        added=[catalog[0]["id"]])), catalog[0]["title"]


def test_the_result_page_shows_the_review_beside_the_self_assessment(client, shared, provider_user, enterprise_user):
    review, added_title = _full_review(shared, provider_user)
    assert review.verified["self"]["cmmm"]["score"] > review.verified["verified"]["cmmm"]["score"]
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{shared.id}").data.decode()
    for text in (OPINION, "人员技能培训计划完整", "按核实答案重新计算", "有异议的答案", "现场未见记录", "已在实施",
                 added_title, "中原智能咨询", "第 1 版"):
        assert text in page, text


def test_a_review_after_the_first_download_makes_a_new_pdf_and_the_old_one_stays(client, shared, provider_user,
                                                                                 enterprise_user):
    login(client, enterprise_user)
    before = client.get(f"/diagnoses/{shared.id}/report.pdf")
    assert before.status_code == 200 and "现场未见记录" not in pdf_text(before.data)
    _review, added_title = _full_review(shared, provider_user)
    after = client.get(f"/diagnoses/{shared.id}/report.pdf")
    text = pdf_text(after.data)
    assert after.data != before.data
    for expected in ("解决方案服务商意见", "自评与核实后的等级", "现场未见记录", re.sub(r"\s+", "", added_title)):
        assert expected in text, expected
    old, new = db.session.scalars(select(StoredReport).order_by(StoredReport.id)).all()
    assert (old.review_key, new.review_key) == ("", str(_review.id))
    assert client.get(f"/diagnoses/{shared.id}/reports/{old.id}.pdf").data == before.data


def test_returning_for_clarification_is_answered_by_a_revision_that_copies_the_answers(
        client, shared, provider_user, enterprise_user):
    reviews.publish(shared, provider_user, reviews.ReviewInput(opinion="请补充说明设备联网率的统计口径。"), returned=True)
    assert db.session.scalar(select(Notification.user_id).where(Notification.kind == "returned")) == enterprise_user.id
    login(client, enterprise_user)
    assert "服务商请求补充说明" in client.get("/enterprise").data.decode()
    assert "请补充说明设备联网率的统计口径" in client.get(f"/diagnoses/{shared.id}").data.decode()
    client.post(f"/diagnoses/{shared.id}/revise")
    revision = db.session.scalar(select(Diagnosis).where(Diagnosis.revision_of_id == shared.id))
    assert revision.status == "draft" and revision.answers == shared.answers and revision.profile == shared.profile
    services.submit(revision)
    db.session.refresh(shared)
    assert shared.status == "submitted" and shared.result.sequence == 1          # the submitted one as it was
    assert sharing.active_share_for(revision, provider_user) is not None
    told = db.session.execute(select(Notification.user_id, Notification.kind).where(
        Notification.diagnosis_id == revision.id)).all()
    assert told == [(provider_user.id, "revision")]          # once, as a revision (not also as a new share)


def test_the_queue_shows_each_diagnosis_by_status_and_filters(client, shared, provider_user):
    login(client, provider_user)
    assert "新分享" in client.get("/provider/?status=new").data.decode()
    reviews.save_draft(shared, provider_user, reviews.ReviewInput(opinion="草稿"))
    assert reviews.queue_status(shared, provider_user.provider_organization_id) == reviews.IN_REVIEW
    reviews.publish(shared, provider_user, reviews.ReviewInput(opinion=OPINION))
    assert shared.enterprise.name in client.get("/provider/?status=reviewed").data.decode()
    assert shared.enterprise.name not in client.get("/provider/?status=new").data.decode()
    assert shared.enterprise.name not in client.get("/provider/?q=不存在的企业").data.decode()
    assert shared.enterprise.name in client.get(f"/provider/?q={shared.number}").data.decode()


def test_publishing_notifies_the_enterprise(shared, provider_user, enterprise_user):
    reviews.publish(shared, provider_user, reviews.ReviewInput(opinion=OPINION))
    (note,) = db.session.scalars(select(Notification).where(Notification.kind == "review")).all()
    assert note.user_id == enterprise_user.id and shared.number in note.text


def test_the_api_publishes_a_review_and_lists_its_versions(client, shared, provider_user, enterprise_user):
    def token(user):
        response = client.post("/api/v1/auth/token", json={"email": user.email, "password": "correct-horse-9"})
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    body = {"action": "publish", "opinion": OPINION,
            "verifications": {"ST2.1": {"status": "disputed", "comment": "无", "found": 0}}}
    created = client.post(f"/api/v1/diagnoses/{shared.id}/reviews", json=body, headers=token(provider_user))
    assert created.status_code == 201 and created.get_json()["version"] == 1
    listed = client.get(f"/api/v1/diagnoses/{shared.id}/reviews", headers=token(enterprise_user)).get_json()
    assert [r["version"] for r in listed["reviews"]] == [1] and listed["draft"] is None
    queue = client.get("/api/v1/provider/queue?status=reviewed", headers=token(provider_user)).get_json()
    assert [i["diagnosis_id"] for i in queue["items"]] == [shared.id]


def test_publishing_queues_the_render_of_the_report_that_prints_the_review(app, shared, provider_user):
    from diagnosis.reports.web import jobs

    app.config["REPORTS_RENDER_ON_SUBMIT"] = True          # off under TESTING unless asked for
    review = reviews.publish(shared, provider_user, reviews.ReviewInput(opinion=OPINION))
    assert jobs.thread_queue(app).wait_idle(180)
    db.session.expire_all()
    assert db.session.scalars(select(StoredReport.review_key)).all() == [str(review.id)]
