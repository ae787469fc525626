"""Errors are Chinese pages in the site layout, JSON under /api/; what a caller may not see is a 404."""
import re

import pytest
from conftest import PASSWORD, login

from diagnosis.assessments import services

BIG = "x" * (3 * 1024 * 1024)


def assert_site_page(response, status, text):
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert '<html lang="zh-CN">' in page and 'class="brand"' in page, "not in the site layout"
    assert text in page, page[:800]
    for english in ("Not Found", "Forbidden", "Method Not Allowed", "Internal Server Error", "Bad Request"):
        assert english not in page


def assert_api_error(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:300]
    message = response.get_json()["error"]["message"]
    assert message and not message.isascii(), message


def without_csrf_token(response) -> str:
    """The page without its CSRF token (signed with a timestamp, so it differs by the second)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))


@pytest.fixture
def boom(app):
    """A page and an API endpoint that fail with an unexpected exception, served as in production."""
    def fail():
        raise RuntimeError("unexpected")
    app.add_url_rule("/boom", "boom", fail)
    app.add_url_rule("/api/v1/boom", "api_boom", fail)
    app.testing = False                      # production: the 500 handler runs instead of re-raising
    return app


def test_an_unknown_page_is_a_chinese_404_in_the_site_layout(client):
    assert_site_page(client.get("/no-such-page"), 404, "页面不存在")


def test_the_404_page_keeps_the_signed_in_users_header(client, enterprise_user):
    login(client, enterprise_user)
    page = client.get("/no-such-page").get_data(as_text=True)
    assert enterprise_user.enterprise.name in page and "退出" in page


def test_a_wrong_method_is_a_chinese_405_naming_the_allowed_ones(client):
    response = client.get("/logout")
    assert_site_page(response, 405, "不支持的请求方式")
    assert "POST" in response.headers["Allow"]


def test_a_request_too_large_is_a_chinese_413(client):
    assert_site_page(client.post("/login", data={"email": BIG}), 413, "提交的内容过大")


def test_a_form_without_its_csrf_token_is_a_chinese_400(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    assert_site_page(client.post("/register", data={"email": "a@example.com"}), 400, "页面已过期")


def test_an_unexpected_failure_is_a_chinese_500(boom):
    assert_site_page(boom.test_client().get("/boom"), 500, "服务器出错了")


def test_unknown_api_urls_answer_json(client):
    assert_api_error(client.get("/api/v1/no-such-thing"), 404)
    assert_api_error(client.get("/api/no-such-version/diagnoses"), 404)


def test_api_method_errors_answer_json_with_allow(client):
    response = client.get("/api/v1/score")
    assert_api_error(response, 405)
    assert "POST" in response.headers["Allow"]


def test_api_requests_too_large_answer_json(client):
    assert_api_error(client.post("/api/v1/score", data=BIG, content_type="application/json"), 413)


def test_api_server_errors_answer_json(boom):
    assert_api_error(boom.test_client().get("/api/v1/boom"), 500)


def test_another_role_gets_404_for_a_role_area(client, provider_user):
    login(client, provider_user)
    assert_site_page(client.get("/enterprise"), 404, "页面不存在")
    assert client.get("/bureau/").status_code == 404


def test_anonymous_users_are_still_sent_to_login(client):
    for url in ("/enterprise", "/provider/", "/bureau/", "/diagnoses/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_a_provider_gets_the_same_404_for_a_draft_as_for_a_missing_id(client, enterprise_user, provider_user):
    draft = services.start_diagnosis(enterprise_user)
    login(client, provider_user)
    for url in ("/diagnoses/{}/stages/profile", "/diagnoses/{}/continue", "/diagnoses/{}/submit", "/diagnoses/{}",
                "/diagnoses/{}/report.pdf"):
        hidden, missing = client.get(url.format(draft.id)), client.get(url.format(draft.id + 1000))
        assert hidden.status_code == missing.status_code == 404, url
        assert without_csrf_token(hidden) == without_csrf_token(missing), url


def test_another_enterprise_gets_404_for_a_draft(client, enterprise_user, other_enterprise_user):
    draft = services.start_diagnosis(enterprise_user)
    client.post("/login", data={"email": other_enterprise_user.email, "password": PASSWORD})
    assert client.get(f"/diagnoses/{draft.id}/stages/profile").status_code == 404
    assert client.post(f"/diagnoses/{draft.id}/submit").status_code == 404
