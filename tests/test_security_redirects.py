"""After login the user goes to a page of this site, never to another host (no open redirect)."""
import pytest
from conftest import PASSWORD

from diagnosis.accounts.next_url import safe_next

FOREIGN = ["//evil.com", "https://evil.com/x", "/%09/evil.com", "/%0d%0a/evil.com", "/%0a/evil.com",
           "/%5Cevil.com", "%5C%5Cevil.com", "/%5C/evil.com", "javascript:alert(1)", "evil.com",
           "http:/evil.com", "/" + "a" * 3000]


@pytest.mark.parametrize("next_param", FOREIGN)
def test_login_never_redirects_to_another_host(client, enterprise_user, next_param):
    response = client.post(f"/login?next={next_param}", data={"email": enterprise_user.email, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", location


def test_a_next_with_a_nul_byte_is_refused_before_logging_in(client, enterprise_user):
    response = client.post("/login?next=/%00/evil.com", data={"email": enterprise_user.email, "password": PASSWORD})
    assert response.status_code == 400 and "Location" not in response.headers


@pytest.mark.parametrize("next_param", ["/enterprise", "/diagnoses/1/stages/profile?level=2"])
def test_login_returns_to_the_page_that_asked_for_it(client, enterprise_user, next_param):
    response = client.post("/login", query_string={"next": next_param},
                           data={"email": enterprise_user.email, "password": PASSWORD})
    assert response.headers["Location"] == next_param


@pytest.mark.parametrize("target", ["/\t/evil.com", "/\r\n/evil.com", "/\\evil.com", "\\\\evil.com", "/ok\x7f"])
def test_paths_a_browser_would_turn_into_another_host_are_refused(target):
    assert safe_next(target) is None


def test_a_page_that_needs_login_comes_back_after_it(client, enterprise_user):
    response = client.get("/enterprise")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    again = client.post(response.headers["Location"], data={"email": enterprise_user.email, "password": PASSWORD})
    assert again.headers["Location"] == "/enterprise"
