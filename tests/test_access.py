"""Who sees what: one set of rules for pages, API and report downloads."""
import pytest
from conftest import login, submit_demo

from diagnosis.assessments import services, sharing


@pytest.fixture
def submitted(enterprise_user):
    return submit_demo(enterprise_user)


def test_an_enterprise_sees_its_own_result(client, enterprise_user, submitted):
    login(client, enterprise_user)
    assert client.get(f"/diagnoses/{submitted.id}").status_code == 200


def test_another_enterprise_gets_404_for_page_and_report(client, other_enterprise_user, submitted):
    login(client, other_enterprise_user)
    assert client.get(f"/diagnoses/{submitted.id}").status_code == 404
    assert client.get(f"/diagnoses/{submitted.id}/report.pdf").status_code == 404


def test_a_provider_sees_only_what_was_shared_with_it(client, provider_user, submitted):
    login(client, provider_user)
    assert client.get(f"/diagnoses/{submitted.id}").status_code == 404
    sharing.share_with(submitted, provider_user)
    assert client.get(f"/diagnoses/{submitted.id}").status_code == 200
    assert submitted.enterprise.name in client.get("/provider/").data.decode()


def test_a_provider_review_is_shown_on_the_result(client, provider_user, enterprise_user, submitted):
    sharing.share_with(submitted, provider_user)
    login(client, provider_user)
    client.post(f"/provider/diagnoses/{submitted.id}/review", data={"opinion": "建议先做设备联网，再上 MES 系统。", "action": "publish"})
    client.post("/logout")
    login(client, enterprise_user)
    assert "建议先做设备联网" in client.get(f"/diagnoses/{submitted.id}").data.decode()


def test_a_provider_cannot_review_what_was_not_shared(client, provider_user, submitted):
    login(client, provider_user)
    assert client.post(f"/provider/diagnoses/{submitted.id}/review", data={"opinion": "x" * 20}).status_code == 404


def test_a_bureau_sees_submitted_diagnoses_of_its_area_only(client, bureau_user, enterprise_user, other_enterprise_user, submitted):
    other = submit_demo(other_enterprise_user)            # 长葛市, outside the bureau's area
    login(client, bureau_user)
    assert client.get(f"/diagnoses/{submitted.id}").status_code == 200
    assert client.get(f"/diagnoses/{other.id}").status_code == 404


def test_a_city_bureau_sees_every_area(client, city_bureau_user, other_enterprise_user, submitted):
    other = submit_demo(other_enterprise_user)
    login(client, city_bureau_user)
    assert client.get(f"/diagnoses/{other.id}").status_code == 200
    page = client.get("/bureau/").data.decode()
    assert "全市" in page and "长葛市" in page


def test_drafts_are_invisible_to_the_bureau(client, bureau_user, enterprise_user):
    draft = services.start_diagnosis(enterprise_user)
    login(client, bureau_user)
    assert client.get(f"/diagnoses/{draft.id}").status_code == 404
