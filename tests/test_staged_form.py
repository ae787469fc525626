"""The staged diagnosis form: save per stage, resume, back and forward, errors, submit freezes."""
import re

import pytest
from conftest import login
from stage_pages import shown

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


def test_a_submit_posted_twice_makes_one_result_and_shows_it(client, enterprise_user):
    from conftest import submit_demo
    d = submit_demo(enterprise_user, "sme-2024-only")
    login(client, enterprise_user)
    response = client.post(f"/diagnoses/{d.id}/submit")
    assert response.headers["Location"].endswith(f"/diagnoses/{d.id}")
    assert db.session.query(DiagnosisResult).filter_by(diagnosis_id=d.id).count() == 1


# Two tabs on one draft: each page carries the version it was rendered at.

def test_a_stale_tab_is_told_what_changed_and_overwrites_nothing(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    basics = url.replace("profile", "sme-basics")
    stale = shown(client.get(basics).data.decode())
    client.post(basics, data={**shown(client.get(basics).data.decode()), "f_Q02": "C", "action": "save"})
    response = client.post(basics, data={**stale, "f_Q02": "B", "f_Q03": "A", "action": "save"})
    page = response.data.decode()
    assert response.status_code == 409
    assert "以下内容已在另一个窗口或设备上修改并保存：Q02。" in page and "本页这次没有保存" in page
    assert re.search(r"已在别处保存为：C\. [^；]+；本页填写的是：B\. ", page)
    assert diagnosis().answers["Q02"] == "C" and "Q03" not in diagnosis().answers
    # What the user posted is still on the page.
    assert shown(page)["f_Q02"] == "B" and shown(page)["f_Q03"] == "A"


def test_saving_the_page_again_after_a_conflict_keeps_what_it_shows(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    basics = url.replace("profile", "sme-basics")
    stale = shown(client.get(basics).data.decode())
    client.post(basics, data={**stale, "f_Q02": "C", "action": "save"})
    page = client.post(basics, data={**stale, "f_Q02": "B", "action": "save"}).data.decode()
    response = client.post(basics, data={**shown(page), "action": "save"})
    assert response.status_code == 302 and diagnosis().answers["Q02"] == "B"


def test_a_stale_tab_with_an_empty_field_keeps_the_answer_saved_elsewhere(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    basics = url.replace("profile", "sme-basics")
    stale = shown(client.get(basics).data.decode())
    assert stale["f_Q02"] == ""
    client.post(basics, data={**stale, "f_Q02": "D", "action": "save"})
    response = client.post(basics, data={**stale, "f_Q01": ["B"], "action": "save"})
    assert response.status_code == 409 and "Q02" in response.data.decode()
    assert diagnosis().answers["Q02"] == "D"


def test_saves_of_other_pages_since_a_page_was_opened_are_no_conflict(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    basics = url.replace("profile", "sme-basics")
    stale = shown(client.get(basics).data.decode())
    client.post(url, data={**PROFILE, "action": "save"})
    response = client.post(basics, data={**stale, "f_Q02": "B", "action": "save"})
    assert response.status_code == 302
    assert diagnosis().answers["Q02"] == "B" and diagnosis().profile["revenue"] == 12000


def test_a_stale_tab_posting_what_is_stored_now_is_no_conflict(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    basics = url.replace("profile", "sme-basics")
    stale = shown(client.get(basics).data.decode())
    client.post(basics, data={**stale, "f_Q02": "C", "action": "save"})
    response = client.post(basics, data={**stale, "f_Q02": "C", "f_Q03": "B", "action": "save"})
    assert response.status_code == 302 and diagnosis().answers["Q03"] == "B"


# The step bar saves the page it leaves.

def test_the_step_bar_posts_the_page_it_leaves(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    page = client.get(url.replace("profile", "sme-basics")).data.decode()
    steps = page[page.index('<ol class="steps"'):page.index("</ol>")]
    assert "href=" not in steps
    assert 'form="stage-form" name="action" value="goto:profile"' in steps
    assert 'form="stage-form" name="action" value="goto:submit"' in steps


def test_leaving_by_the_step_bar_saves_the_answers_without_asking_for_the_rest(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    management = url.replace("profile", "sme-management")
    response = client.post(management, data={"f_Q08": "B", "f_Q09": ["B", "C"], "action": "goto:profile"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/stages/profile")
    assert diagnosis().answers["Q08"] == "B" and diagnosis().answers["Q09"] == ["B", "C"]
    response = client.post(url, data={"f_revenue": "100", "action": "goto:submit"})
    assert response.headers["Location"].endswith(f"/diagnoses/{diagnosis().id}/submit")
    assert diagnosis().profile["revenue"] == 100


def test_leaving_by_the_step_bar_with_a_bad_value_stays_and_names_it(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    response = client.post(url, data={"f_revenue": "很多", "f_robots": "3", "action": "goto:sme-basics"})
    assert response.status_code == 200 and "请输入数字" in response.data.decode()
    assert "robots" not in diagnosis().profile


def test_the_stage_page_has_no_inline_script(client, enterprise_user):
    login(client, enterprise_user)
    page = client.get(start(client).replace("profile", "sme-basics")).data.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all("src=" in tag for tag in scripts)
    assert not re.search(r"<script[^>]*>\s*[^<\s]", page)
    assert not re.search(r"\son[a-z]+=", page) and 'data-exclusive="' in page


# Numbers come back exactly as stored.

@pytest.mark.parametrize("revenue, text", [
    (123456.7, "123456.7"), (1234567.5, "1234567.5"), (0.000123, "0.000123"), (12.3456789, "12.3456789"),
    (98765432109876543210, "98765432109876543210"), (1e16, "10000000000000000.0"), (38600, "38600")])
def test_a_stored_number_is_shown_in_full_and_saved_back_unchanged(client, enterprise_user, revenue, text):
    from diagnosis.assessments import services
    d = services.start_diagnosis(enterprise_user, "sme-2024-only")
    services.save_stage(d, {"profile": {"revenue": revenue, "headcount": 12345678901234567}})
    login(client, enterprise_user)
    url = f"/diagnoses/{d.id}/stages/profile"
    form = shown(client.get(url).data.decode())
    assert form["f_revenue"] == text and form["f_headcount"] == "12345678901234567"
    assert client.post(url, data={**form, "action": "save"}).status_code == 302
    db.session.refresh(d)
    assert d.profile["revenue"] == revenue and type(d.profile["revenue"]) is type(revenue)
    assert d.profile["headcount"] == 12345678901234567
