"""Sessions and API tokens end when they should: at logout and password change, and after their
configured lifetime; the session cookie is Secure over HTTPS."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import itsdangerous.timed
import pytest
from conftest import PASSWORD, login

from diagnosis.accounts.models import ApiToken
from diagnosis.accounts.services import end_all_sessions
from diagnosis.extensions import db


def api_token(client, user) -> dict:
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def signed_in(client) -> bool:
    return client.get("/enterprise").status_code == 200


def session_cookie(response) -> str:
    return next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))


def test_a_cookie_saved_before_logout_no_longer_works(client, enterprise_user):
    login(client, enterprise_user)
    saved = client.get_cookie("session").value
    client.post("/logout")
    client.set_cookie("session", saved)
    assert not signed_in(client)


def test_logout_ends_every_session_and_token_of_the_user(app, enterprise_user):
    laptop, phone, script = app.test_client(), app.test_client(), app.test_client()
    login(laptop, enterprise_user)
    login(phone, enterprise_user)
    token = api_token(script, enterprise_user)
    assert signed_in(phone) and script.get("/api/v1/diagnoses", headers=token).status_code == 200
    laptop.post("/logout")
    assert not signed_in(phone)
    assert script.get("/api/v1/diagnoses", headers=token).status_code == 401


def test_logout_leaves_other_users_signed_in(app, enterprise_user, other_enterprise_user):
    mine, theirs = app.test_client(), app.test_client()
    login(mine, enterprise_user)
    login(theirs, other_enterprise_user)
    mine.post("/logout")
    assert signed_in(theirs)


def test_ending_all_sessions_is_a_service_a_password_change_can_call(app, enterprise_user):
    browser, script = app.test_client(), app.test_client()
    login(browser, enterprise_user)
    token = api_token(script, enterprise_user)
    end_all_sessions(enterprise_user)
    assert not signed_in(browser)
    assert script.get("/api/v1/diagnoses", headers=token).status_code == 401
    assert db.session.query(ApiToken).count() == 0
    login(browser, enterprise_user)                     # a new login works at once
    assert signed_in(browser)


def test_a_deactivated_user_is_signed_out(client, enterprise_user):
    login(client, enterprise_user)
    enterprise_user.active = False
    db.session.commit()
    assert not signed_in(client)


def test_the_api_can_revoke_its_own_token(client, enterprise_user):
    token, other = api_token(client, enterprise_user), api_token(client, enterprise_user)
    assert client.delete("/api/v1/auth/token", headers=token).status_code == 204
    assert client.get("/api/v1/diagnoses", headers=token).status_code == 401
    assert client.get("/api/v1/diagnoses", headers=other).status_code == 200


def test_api_tokens_live_24_hours_by_default(client, enterprise_user):
    before = datetime.now(timezone.utc)
    body = client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": PASSWORD}).get_json()
    lifetime = datetime.fromisoformat(body["expires_at"]) - before
    assert timedelta(hours=23, minutes=59) < lifetime <= timedelta(hours=24, minutes=1)


def test_token_lifetime_is_configurable_and_an_expired_token_is_refused(app, client, enterprise_user):
    app.config["API_TOKEN_HOURS"] = 2
    before = datetime.now(timezone.utc)
    response = client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": PASSWORD})
    assert datetime.fromisoformat(response.get_json()["expires_at"]) - before < timedelta(hours=2, minutes=1)
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    row = db.session.query(ApiToken).one()
    row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/diagnoses", headers=headers).status_code == 401


def test_the_session_cookie_expires_after_12_hours_by_default(client, enterprise_user):
    response = login(client, enterprise_user)
    expires = parsedate_to_datetime(session_cookie(response).split("Expires=")[1].split(";")[0])
    lifetime = expires - datetime.now(timezone.utc)
    assert timedelta(hours=11, minutes=58) < lifetime <= timedelta(hours=12)


@pytest.mark.parametrize("hours_later, still_in", [(11, True), (13, False)])
def test_the_server_refuses_a_session_older_than_its_lifetime(client, enterprise_user, monkeypatch, hours_later, still_in):
    login(client, enterprise_user)
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + hours_later * 3600)
    assert signed_in(client) is still_in


def test_session_lifetime_is_configurable(app, client, enterprise_user, monkeypatch):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=30)
    login(client, enterprise_user)
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 31 * 60)
    assert not signed_in(client)


def test_the_session_cookie_is_secure_over_https(app, enterprise_user):
    client = app.test_client()
    response = client.post("/login", base_url="https://localhost",
                           data={"email": enterprise_user.email, "password": PASSWORD})
    cookie = session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in session_cookie(login(app.test_client(), enterprise_user))   # plain http (local)


def test_behind_a_trusted_proxy_the_forwarded_scheme_decides(database_url, tmp_path, app, enterprise_user):
    from diagnosis import create_app
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
              "SECRET_KEY": "test-secret", "REDIS_URL": None}
    https = {"X-Forwarded-Proto": "https"}
    data = {"email": enterprise_user.email, "password": PASSWORD}
    direct = create_app(config, instance_path=str(tmp_path / "direct")).test_client()
    assert "Secure" not in session_cookie(direct.post("/login", data=data, headers=https))   # anyone can send it
    proxied = create_app(dict(config, PROXY_FIX=1), instance_path=str(tmp_path / "proxied")).test_client()
    assert "Secure" in session_cookie(proxied.post("/login", data=data, headers=https))


def test_the_cookie_can_be_forced_secure(app, enterprise_user):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "Secure" in session_cookie(login(app.test_client(), enterprise_user))
