"""The maturity stage asks level by level and says why the next level is asked."""
import pytest
from conftest import login

from diagnosis import catalog
from diagnosis.assessments import services
from diagnosis.demo import demo_payload


def level_items(level):
    doc = catalog.library()["cmmm"].data
    return [i["id"] for sd in doc["subdomains"] for lv, items in sd["levels"].items() if int(lv) == level for i in items]


def form_for(level, value):
    return {"action": "next", **{"f_" + i.replace(".", "_"): value for i in level_items(level)}}


@pytest.fixture
def draft(enterprise_user):
    """A combined diagnosis with every stage before the maturity stage answered."""
    d = services.start_diagnosis(enterprise_user, "zhizao-2024")
    payload = demo_payload(catalog.library())
    sme_only = {k: v for k, v in payload["answers"].items() if k[0] in "QS" and k[1].isdigit()}
    services.save_stage(d, {"profile": payload["profile"], "answers": sme_only})
    return d


def test_level_one_is_asked_first_across_all_sub_domains(client, enterprise_user, draft):
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{draft.id}/stages/cmmm").data.decode()
    assert "从一级（规划级）开始评估" in page
    assert all(f'name="f_{i.replace(".", "_")}"' in page for i in level_items(1))
    assert 'name="f_EQ2_1"' not in page


def test_an_achieved_level_leads_to_the_next_with_the_reason(client, enterprise_user, draft):
    login(client, enterprise_user)
    response = client.post(f"/diagnoses/{draft.id}/stages/cmmm", data=form_for(1, "1"))
    assert response.headers["Location"].endswith("/stages/cmmm?level=2")
    page = client.get(response.headers["Location"]).data.decode()
    assert "已达到一级" in page and "继续评估二级" in page
    assert 'name="f_EQ2_1"' in page


def test_a_level_not_achieved_ends_the_maturity_stage(client, enterprise_user, draft):
    login(client, enterprise_user)
    response = client.post(f"/diagnoses/{draft.id}/stages/cmmm", data=form_for(1, "0.5"))
    assert response.headers["Location"].endswith(f"/diagnoses/{draft.id}/submit")
    page = client.get(response.headers["Location"]).data.decode()
    assert "一级得分 0.50，未达到 0.8" in page


def test_the_stage_stops_one_level_above_the_highest_achieved(client, enterprise_user, draft):
    login(client, enterprise_user)
    client.post(f"/diagnoses/{draft.id}/stages/cmmm", data=form_for(1, "1"))
    client.post(f"/diagnoses/{draft.id}/stages/cmmm?level=2", data=form_for(2, "0.8"))
    response = client.post(f"/diagnoses/{draft.id}/stages/cmmm?level=3", data=form_for(3, "0.5"))
    assert response.headers["Location"].endswith("/submit")
    assert client.get(f"/diagnoses/{draft.id}/stages/cmmm?level=4").status_code == 200   # clamps to level 3
    client.post(f"/diagnoses/{draft.id}/submit")
    result = draft.result.data["cmmm"]
    assert result["level"] == 2 and result["score"] == 2.5 and result["asked_up_to"] == 3


def test_answers_of_levels_no_longer_asked_are_dropped_on_submit(client, enterprise_user, draft):
    login(client, enterprise_user)
    client.post(f"/diagnoses/{draft.id}/stages/cmmm", data=form_for(1, "1"))
    client.post(f"/diagnoses/{draft.id}/stages/cmmm?level=2", data=form_for(2, "1"))
    client.post(f"/diagnoses/{draft.id}/stages/cmmm?level=3", data=form_for(3, "0"))
    # The enterprise revises level 1 downwards: level 3 is no longer asked.
    client.post(f"/diagnoses/{draft.id}/stages/cmmm?level=1", data=form_for(1, "0.8"))
    client.post(f"/diagnoses/{draft.id}/stages/cmmm?level=2", data=form_for(2, "0.5"))
    client.post(f"/diagnoses/{draft.id}/submit")
    assert draft.is_submitted
    assert not any(k in draft.answers for k in level_items(3))
    assert draft.result.data["cmmm"]["asked_up_to"] == 2


def test_not_applicable_is_offered_only_for_tailorable_sub_domains(client, enterprise_user, draft):
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{draft.id}/stages/cmmm").data.decode()
    # discrete profile: energy is tailorable, equipment is not
    assert 'name="f_EN1_1" type="radio" value="na"' in page
    assert 'name="f_EQ1_1" type="radio" value="na"' not in page


def test_the_maturity_stage_needs_the_production_type(client, enterprise_user):
    d = services.start_diagnosis(enterprise_user, "zhizao-2024")
    services.save_stage(d, {"profile": {"industry_type": services.UNANSWERED}})
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{d.id}/stages/cmmm").headers["Location"].endswith("/stages/profile")


def test_pinned_versions_keep_a_submitted_result_when_the_file_changes(app, enterprise_user):
    from conftest import submit_demo
    d = submit_demo(enterprise_user)
    before = d.result.data["cmmm"]
    lib = app.extensions["questionnaires"]
    cmmm = lib["cmmm"]
    changed = dict(cmmm.data, method=dict(cmmm.data["method"], achieve_threshold=0.95))
    lib.documents["cmmm"] = type(cmmm)(cmmm.key, cmmm.kind, cmmm.title, changed, "0" * 64, cmmm.source)
    try:
        services.rescore(d)
        assert d.result.data["cmmm"] == before
        fresh = services.start_diagnosis(enterprise_user)
        assert {r.sha256 for r in fresh.instruments} >= {"0" * 64}
    finally:
        lib.documents["cmmm"] = cmmm
