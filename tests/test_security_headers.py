"""Security headers on every kind of response, and pages the strict CSP can run unchanged."""
from html.parser import HTMLParser

import pytest
from conftest import login, submit_demo
from flask import render_template

from diagnosis.assessments import reviews, services, sharing
from diagnosis.assessments.stages import stages


def csp(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


def assert_secure_headers(response):
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("url, status", [
    ("/", 200), ("/login", 200), ("/register", 200), ("/static/app.css", 200), ("/no-such-page", 404),
    ("/api/v1/questionnaires", 200), ("/api/v1/openapi.json", 200), ("/api/v1/no-such-thing", 404),
    ("/api/v1/diagnoses", 401),
])
def test_every_kind_of_response_carries_the_security_headers(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_secure_headers(response)


def test_server_errors_carry_the_security_headers(app):
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    app.testing = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert_secure_headers(response)


def test_the_share_and_review_forms_cannot_be_framed(client, enterprise_user, provider_user):
    diagnosis = submit_demo(enterprise_user)
    sharing.share_with(diagnosis, provider_user)
    for user, url, form in ((enterprise_user, f"/diagnoses/{diagnosis.id}", "/share"),
                            (provider_user, f"/provider/diagnoses/{diagnosis.id}/review", 'name="opinion"')):
        login(client, user)
        response = client.get(url)
        assert form in response.get_data(as_text=True)
        assert_secure_headers(response)
        client.post("/logout")


def test_signed_in_pages_are_not_kept_in_the_browser_cache(client, enterprise_user):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login(client, enterprise_user)
    assert client.get("/enterprise").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")


def test_strict_transport_security_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "max-age=" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


class InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline <script> bodies, on* handlers,
    javascript: URLs, style attributes and <style> elements."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not attrs.get("src"):
                self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script body {data.strip()[:60]!r}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def pages(client, enterprise_user, provider_user, city_bureau_user):
    """Every page of the site as its users see it: (name, html)."""
    submitted = submit_demo(enterprise_user)
    sharing.share_with(submitted, provider_user)
    reviews.add_review(submitted, provider_user, "建议先做设备联网，再上 MES 系统。")
    draft = services.start_diagnosis(enterprise_user)
    out = [(url, client.get(url).get_data(as_text=True))
           for url in ("/", "/login", "/register", "/provider/register", "/no-such-page")]
    login(client, enterprise_user)
    urls = ["/enterprise", f"/diagnoses/{submitted.id}", f"/diagnoses/{draft.id}/submit", "/provider/directory",
            "/notifications/"]
    urls += [f"/diagnoses/{draft.id}/stages/{stage.key}" for stage in stages(services.documents(draft))]
    out += [(url, client.get(url, follow_redirects=True).get_data(as_text=True)) for url in urls]
    client.post("/logout")
    for user, url in ((provider_user, "/provider/"), (provider_user, f"/diagnoses/{submitted.id}"),
                      (provider_user, f"/provider/diagnoses/{submitted.id}/review"),
                      (city_bureau_user, "/bureau/"), (city_bureau_user, "/provider/organizations")):
        login(client, user)
        out.append((f"{url} ({user.role.value})", client.get(url).get_data(as_text=True)))
        client.post("/logout")
    with client.application.test_request_context():
        out.append(("report pending", render_template("reports/pending.html", diagnosis=submitted,
                                                      status_url=f"/diagnoses/{submitted.id}/report/status")))
    return out


def test_no_page_carries_inline_script_or_style(pages):
    assert len(pages) >= 15
    found = {name: inline_code(html) for name, html in pages if "/stages/" not in name}
    assert {name: f for name, f in found.items() if f} == {}


def test_no_stage_page_carries_inline_style(pages):
    found = {name: [f for f in inline_code(html) if "style" in f] for name, html in pages if "/stages/" in name}
    assert len(found) >= 5
    assert {name: f for name, f in found.items() if f} == {}


def test_no_stage_page_carries_inline_script(pages):
    found = {name: inline_code(html) for name, html in pages if "/stages/" in name}
    assert {name: f for name, f in found.items() if f} == {}


def test_the_scripts_a_page_loads_are_served_from_this_site(client, pages):
    loaded = 0
    for name, html in pages:
        for src in (dict(attrs).get("src") for tag, attrs in _tags(html) if tag == "script"):
            if src is None:
                continue            # inline: see the tests above
            assert src.startswith("/static/"), (name, src)
            assert client.get(src).status_code == 200, src
            loaded += 1
    assert loaded >= 1


def _tags(html: str):
    tags = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))
    Collect().feed(html)
    return tags
