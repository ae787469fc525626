"""Before submitting, the enterprise sees the consistency flags and corrects or explains them; the
explanation is stored with the answers and shown on the result."""
from conftest import login

from diagnosis import catalog
from diagnosis.assessments import services
from diagnosis.assessments.models import DiagnosisResult
from diagnosis.assessments.stages import UNANSWERED
from diagnosis.demo import demo_payload
from diagnosis.extensions import db


def draft_with_inflated_q11(user):
    """A complete SME-only diagnosis whose Q11 says "over 60%" of revenue while the amount is 1.1%."""
    diagnosis = services.start_diagnosis(user, "sme-2024-only")
    payload = demo_payload(catalog.library(), "sme-2024-only")
    payload["answers"]["Q11"] = "E"
    services.save_stage(diagnosis, {"profile": payload["profile"], "answers": payload["answers"]})
    return diagnosis


def test_the_confirm_page_shows_the_flag_with_a_link_to_correct_it(client, enterprise_user):
    d = draft_with_inflated_q11(enterprise_user)
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{d.id}/submit").data.decode()
    assert "答案核对" in page and "第11题（资金保障）与填写的数字不符" in page
    assert "1.1%（420 ÷ 38,600）" in page
    assert f"/diagnoses/{d.id}/stages/sme-management" in page and 'name="explain_implied-Q11"' in page


def test_an_unexplained_warning_keeps_the_diagnosis_from_being_submitted(client, enterprise_user):
    d = draft_with_inflated_q11(enterprise_user)
    login(client, enterprise_user)
    response = client.post(f"/diagnoses/{d.id}/submit", data={"action": "submit"})
    assert response.status_code == 200 and "请修改相应答案，或在下面填写说明后再提交" in response.data.decode()
    db.session.refresh(d)
    assert d.status == "draft" and db.session.query(DiagnosisResult).count() == 0


def test_an_explained_warning_is_submitted_with_its_explanation(client, enterprise_user):
    d = draft_with_inflated_q11(enterprise_user)
    login(client, enterprise_user)
    note = "近三年新建了数字化车间，投入集中在前年。"
    response = client.post(f"/diagnoses/{d.id}/submit", data={"action": "submit", "explain_implied-Q11": note})
    assert response.status_code == 302
    db.session.refresh(d)
    assert d.status == "submitted" and d.answers["explain.implied-Q11"] == note
    flag = next(f for f in d.result.data["consistency"]["flags"] if f["id"] == "implied-Q11")
    assert flag["explanation"] == note and d.result.data["consistency"]["unexplained"] == 0
    page = client.get(f"/diagnoses/{d.id}").data.decode()
    assert "企业说明：" + note in page


def test_explanations_can_be_saved_without_submitting(client, enterprise_user):
    d = draft_with_inflated_q11(enterprise_user)
    login(client, enterprise_user)
    client.post(f"/diagnoses/{d.id}/submit", data={"action": "save", "explain_implied-Q11": "稍后核实"})
    db.session.refresh(d)
    assert d.status == "draft" and d.answers["explain.implied-Q11"] == "稍后核实"
    assert "稍后核实" in client.get(f"/diagnoses/{d.id}/submit").data.decode()


def test_correcting_the_answer_removes_the_flag(client, enterprise_user):
    d = draft_with_inflated_q11(enterprise_user)
    services.save_stage(d, {"answers": {"Q11": "A"}})
    login(client, enterprise_user)
    assert "答案核对" not in client.get(f"/diagnoses/{d.id}/submit").data.decode()
    assert client.post(f"/diagnoses/{d.id}/submit", data={"action": "submit"}).status_code == 302


def test_q14_does_not_ask_again_for_the_profiles_revenue_and_headcount(client, enterprise_user):
    d = draft_with_inflated_q11(enterprise_user)
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{d.id}/stages/sme-management").data.decode()
    assert 'name="f_Q14_revenue_last_year"' not in page and 'name="f_Q14_headcount_last_year"' not in page
    assert 'name="f_Q14_revenue_prev_year"' in page
    assert "上年营业收入 38600 万元、上年从业人员数 420 人取自企业概况" in page


def test_the_entered_figures_preselect_the_trend_they_imply(client, enterprise_user):
    d = draft_with_inflated_q11(enterprise_user)
    services.save_stage(d, {"answers": {"Q14": UNANSWERED}})        # the figures stay, the choice is cleared
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{d.id}/stages/sme-management").data.decode()
    assert "人均营业收入由前年的 80.73 万元/人 变为上年的 91.9 万元/人（上升 13.8%）" in page and "已预选 C 项" in page


def test_a_result_stored_by_the_previous_engine_still_renders(client, enterprise_user):
    """Results are never rewritten: one scored before issue 10 lacks standing, flags and estimates."""
    from conftest import submit_demo
    d = submit_demo(enterprise_user)
    old = dict(d.result.data)
    for key in ("consistency", "policies", "plan", "indicator_details", "estimates_note", "rules_versions", "industry"):
        old.pop(key, None)
    old["cmmm"] = {k: v for k, v in old["cmmm"].items() if k != "standing"}
    old["cmmm"]["subdomains"] = {k: {f: x for f, x in sd.items() if f not in ("status", "status_label", "assessed",
                                                                                 "achieved", "target_level_score")}
                                 for k, sd in old["cmmm"]["subdomains"].items()}
    old["recommendations"] = [{f: x for f, x in r.items() if f not in ("estimate", "targets", "phase_reason", "kind_label",
                                                                       "tier", "tier_label", "action")}
                              for r in old["recommendations"]]
    db.session.add(DiagnosisResult(diagnosis_id=d.id, scoring_version="2026.10", data=old))
    db.session.commit()
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{d.id}")
    assert page.status_code == 200 and "改造升级路线图" in page.data.decode()


def test_the_provider_reviewing_sees_the_flags_and_the_explanation_as_what_to_check_on_site(
        client, enterprise_user, provider_user):
    from diagnosis.assessments import confirmation, sharing
    d = draft_with_inflated_q11(enterprise_user)
    note = "含当年新建厂房的自动化投入"
    confirmation.submit_explained(d, services.documents(d), {"implied-Q11": note})
    sharing.share_with(d, provider_user, enterprise_user)
    login(client, provider_user)
    queue = client.get("/provider/").data.decode()
    assert "答案核对 1 项" in queue
    page = client.get(f"/provider/diagnoses/{d.id}/review").data.decode()
    assert "现场核查的重点" in page and note in page
