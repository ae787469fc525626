"""The JSON API: tokens, questionnaires, diagnoses the caller may see, reports, OpenAPI."""
from conftest import PASSWORD, submit_demo

from diagnosis.assessments import sharing


def token_for(client, user):
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_a_token_is_issued_for_valid_credentials_only(client, enterprise_user):
    assert client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": "x"}).status_code == 401
    body = client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": PASSWORD}).get_json()
    assert body["token_type"] == "Bearer" and body["user"]["role"] == "enterprise"


def test_a_token_request_without_password_names_the_field(client):
    response = client.post("/api/v1/auth/token", json={"email": "a@b.c"})
    assert response.status_code == 400 and response.get_json()["error"]["key"] == "password"


def test_diagnoses_require_a_token(client):
    response = client.get("/api/v1/diagnoses")
    assert response.status_code == 401 and "Bearer" in response.headers["WWW-Authenticate"]
    assert client.get("/api/v1/diagnoses", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_questionnaires_are_listed_and_exported(client):
    keys = {q["key"] for q in client.get("/api/v1/questionnaires").get_json()["questionnaires"]}
    assert {"sme-digital-2024", "cmmm", "zhizao-2024"} <= keys
    body = client.get("/api/v1/questionnaires/zhizao-2024").get_json()
    assert [s["key"] for s in body["stages"]][0] == "profile"
    assert client.get("/api/v1/questionnaires/nope").status_code == 404


def test_the_list_holds_only_what_the_caller_may_see(client, enterprise_user, other_enterprise_user):
    mine = submit_demo(enterprise_user)
    submit_demo(other_enterprise_user)
    body = client.get("/api/v1/diagnoses", headers=token_for(client, enterprise_user)).get_json()
    assert [d["id"] for d in body["diagnoses"]] == [mine.id]


def test_a_diagnosis_shows_answers_result_and_pinned_versions(client, enterprise_user):
    d = submit_demo(enterprise_user)
    body = client.get(f"/api/v1/diagnoses/{d.id}", headers=token_for(client, enterprise_user)).get_json()
    assert body["result"]["sme"]["total"] == d.result.data["sme"]["total"]
    assert set(body["versions"]) == {"zhizao-2024", "profile", "sme-digital-2024", "cmmm"}


def test_a_diagnosis_the_caller_may_not_see_is_404(client, enterprise_user, other_enterprise_user):
    d = submit_demo(other_enterprise_user)
    headers = token_for(client, enterprise_user)
    assert client.get(f"/api/v1/diagnoses/{d.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/diagnoses/{d.id}/report.pdf", headers=headers).status_code == 404


def test_the_report_is_served_as_pdf_to_a_provider_it_was_shared_with(client, enterprise_user, provider_user):
    d = submit_demo(enterprise_user)
    sharing.share_with(d, provider_user)
    response = client.get(f"/api/v1/diagnoses/{d.id}/report.pdf", headers=token_for(client, provider_user))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_the_openapi_document_describes_every_endpoint(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/auth/token", "/questionnaires", "/questionnaires/{key}", "/score", "/diagnoses",
            "/diagnoses/{diagnosis_id}", "/diagnoses/{diagnosis_id}/report.pdf"} <= set(doc["paths"])


def test_an_empty_email_is_refused_by_the_document_and_the_server(client):
    email = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["TokenRequest"]["properties"]["email"]
    assert email["minLength"] == 1
    response = client.post("/api/v1/auth/token", json={"email": "", "password": "x"})
    assert response.status_code == 400 and response.get_json()["error"]["key"] == "email"


def test_a_null_profile_means_no_profile_to_the_document_and_the_server(client):
    profile = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Profile"]
    assert "null" in profile["type"]
    response = client.post("/api/v1/score", json={"questionnaire": "sme-digital-2024", "profile": None, "answers": None})
    assert response.status_code == 200 and response.get_json()["total"] == 0


def test_the_document_lists_the_questionnaires_the_server_scores(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    variants = doc["components"]["schemas"]["ScoreRequest"]["oneOf"]
    listed = {q["key"] for q in client.get("/api/v1/questionnaires").get_json()["questionnaires"]}
    assert {v["properties"]["questionnaire"]["const"] for v in variants} == listed


def test_times_in_the_api_carry_their_utc_offset(client, enterprise_user):
    from datetime import datetime
    d = submit_demo(enterprise_user)
    body = client.get(f"/api/v1/diagnoses/{d.id}", headers=token_for(client, enterprise_user)).get_json()
    assert datetime.fromisoformat(body["created_at"]).utcoffset() is not None
    assert datetime.fromisoformat(body["submitted_at"]).utcoffset() is not None


def test_a_report_still_rendering_says_its_job_state_in_plain_words(client, enterprise_user, redis_url):
    d = submit_demo(enterprise_user)
    response = client.get(f"/api/v1/diagnoses/{d.id}/report.pdf", headers=token_for(client, enterprise_user))
    assert response.status_code == 202 and response.get_json() == {"status": "queued", "retry_after": 2}
