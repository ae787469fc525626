"""The staged diagnosis form: save per stage, resume, back and forward, errors, submit freezes."""
import re

from conftest import login

from diagnosis.assessments.models import Diagnosis, DiagnosisResult
from diagnosis.extensions import db

PROFILE = {"f_revenue": "12000", "f_headcount": "300", "f_industry_type": "discrete", "f_equipment_total": "100",
           "f_equipment_digitized": "50", "f_equipment_networked": "30", "f_key_processes_total": "10",
           "f_key_processes_nc": "6", "f_robots": "2", "f_smart_lines": "0", "f_smart_workshops": "0",
           "f_manual_handling_workers": "20", "f_palletizing_workers": "6", "f_loading_workers": "10",
           "f_welding_cutting_workers": "5", "f_packaging_workers": "8", "f_inspection_workers": "4",
           "f_cloud_layers": ["infrastructure"], "f_lianghua_status": "none"}


def start(client, questionnaire="sme-2024-only"):
    response = client.post("/diagnoses/new", data={"questionnaire": questionnaire})
    assert response.status_code == 302
    return response.headers["Location"]


def diagnosis():
    return db.session.query(Diagnosis).order_by(Diagnosis.id.desc()).first()


def test_starting_a_diagnosis_opens_the_profile_stage_with_the_industry_type_proposed(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    assert url.endswith("/stages/profile")
    assert diagnosis().profile == {"industry_type": "discrete"}   # industry 34 is discrete manufacturing
    assert "企业概况" in client.get(url).data.decode()


def test_a_saved_stage_is_stored_on_the_server(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    response = client.post(url, data={**PROFILE, "action": "next"})
    assert response.headers["Location"].endswith("/stages/sme-basics")
    d = diagnosis()
    assert d.profile["equipment_total"] == 100 and d.profile["cloud_layers"] == ["infrastructure"]


def test_a_bad_number_is_explained_next_to_the_field_and_nothing_is_lost(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    client.post(url, data={**PROFILE, "action": "next"})
    response = client.post(url, data={**PROFILE, "f_equipment_total": "很多", "f_robots": "5", "action": "next"})
    page = response.data.decode()
    assert response.status_code == 200 and "请输入数字" in page and "尚未保存" in page
    d = diagnosis()
    assert d.profile["equipment_total"] == 100 and d.profile["robots"] == 2


def test_a_count_above_its_total_is_rejected_with_both_fields_named(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    response = client.post(url, data={**PROFILE, "f_equipment_networked": "150", "action": "next"})
    assert "不能大于“生产设备总数”" in response.data.decode()
    assert "equipment_networked" not in diagnosis().profile


def test_required_fields_are_asked_for_on_next_but_not_on_save(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    partial = {"f_revenue": "5000", "f_industry_type": "discrete"}
    assert "请填写此项" in client.post(url, data={**partial, "action": "next"}).data.decode()
    response = client.post(url, data={**partial, "action": "save"})
    assert response.status_code == 302
    assert diagnosis().profile["revenue"] == 5000


def test_going_back_and_forward_keeps_the_answers(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    client.post(url, data={**PROFILE, "action": "next"})
    basics = url.replace("profile", "sme-basics")
    response = client.post(basics, data={"f_Q01": ["B", "C"], "f_Q02": "C", "action": "back"})
    assert response.headers["Location"].endswith("/stages/profile")
    page = client.get(basics).data.decode()
    assert re.search(r'<input checked[^>]*name="f_Q01"[^>]*value="B"', page)
    assert re.search(r'<input checked[^>]*name="f_Q02"[^>]*value="C"', page)
    assert diagnosis().answers["Q01"] == ["B", "C"] and diagnosis().answers["Q02"] == "C"
    assert diagnosis().profile["equipment_total"] == 100


def test_none_of_the_above_cannot_be_combined_with_other_options(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    basics = url.replace("profile", "sme-basics")
    response = client.post(basics, data={"f_Q06": ["A", "B"], "action": "save"})
    assert "不能与其他选项同时选择" in response.data.decode()
    assert "Q06" not in diagnosis().answers


def test_the_digitization_band_is_proposed_from_the_profile_counts(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    client.post(url, data={**PROFILE, "action": "next"})
    page = client.get(url.replace("profile", "sme-basics")).data.decode()
    assert "50.0%" in page and "已预选 D 项" in page     # 50 of 100 digitized: (40%, 60%]


def test_resume_goes_to_the_first_unfinished_stage(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    client.post(url, data={**PROFILE, "action": "next"})
    d = diagnosis()
    assert client.get(f"/diagnoses/{d.id}/continue").headers["Location"].endswith("/stages/sme-basics")
    assert "继续填写" in client.get("/enterprise").data.decode()


def test_an_incomplete_diagnosis_cannot_be_submitted(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    client.post(url, data={**PROFILE, "action": "next"})
    d = diagnosis()
    response = client.post(f"/diagnoses/{d.id}/submit")
    assert response.headers["Location"].endswith("/stages/sme-basics")
    assert diagnosis().status == "draft" and db.session.query(DiagnosisResult).count() == 0


def test_a_submitted_diagnosis_cannot_be_changed(client, enterprise_user):
    from conftest import submit_demo
    d = submit_demo(enterprise_user, "sme-2024-only")
    login(client, enterprise_user)
    before = dict(d.answers)
    response = client.post(f"/diagnoses/{d.id}/stages/sme-basics", data={"f_Q02": "A", "action": "next"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/diagnoses/{d.id}")
    db.session.refresh(d)
    assert d.answers == before and d.result.data["sme"]["questions"]["Q02"]["answer"] == "D"


def test_a_new_diagnosis_starts_from_the_last_submitted_profile(client, enterprise_user):
    from conftest import submit_demo
    from diagnosis.demo import demo_profile
    submit_demo(enterprise_user, "sme-2024-only")
    login(client, enterprise_user)
    start(client)
    assert diagnosis().profile == demo_profile() and diagnosis().answers == {}
