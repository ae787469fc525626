"""An enterprise runs its own account: forgotten password by email, password change, its details."""
import re
import time
from email.header import decode_header, make_header

import pytest
from conftest import PASSWORD, login
from sqlalchemy import select

from diagnosis.audit.models import AuditEvent
from diagnosis.extensions import db
from diagnosis.reference.models import Area

NEW = "Xuchang-gear-2026"


@pytest.fixture
def inbox(app, smtp_server):
    """The local SMTP server of ``conftest.smtp_server``, with the app configured to send to it."""
    host, port, messages = smtp_server
    app.config.update(MAIL_SERVER=host, MAIL_PORT=port, MAIL_SENDER="noreply@zhizao.example")
    return messages


def delivered(inbox: list, count: int = 1) -> list:
    """The inbox once ``count`` messages are in it (the reset mail is sent in the background)."""
    deadline = time.monotonic() + 10
    while len(inbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)                  # anything sent by mistake arrives too
    return inbox


def actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def reset_link(message) -> str:
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    return re.search(r"http://localhost(/reset-password/\S+)", body).group(1)


def test_a_reset_link_by_email_sets_a_new_password(client, enterprise_user, inbox):
    page = client.post("/forgot-password", data={"email": "ENT@example.com"}).data.decode()
    assert "如果 ENT@example.com 是已注册的账号" in page
    (message,) = delivered(inbox)
    assert message["To"] == "ent@example.com"
    assert str(make_header(decode_header(message["Subject"]))) == "智造诊断：重置密码"
    link = reset_link(message)
    response = client.post(link, data={"password": NEW, "password2": NEW})
    assert response.headers["Location"] == "/login"
    login(client, enterprise_user, NEW)
    assert client.get(link).status_code == 404                      # the link works once
    assert actions() == ["account.reset_requested", "account.password_reset"]


def test_asking_for_an_unknown_email_looks_the_same_and_sends_nothing(client, enterprise_user, inbox):
    known = client.post("/forgot-password", data={"email": "ent@example.com"}).data.decode()
    unknown = client.post("/forgot-password", data={"email": "nobody@example.com"}).data.decode()
    assert [m["To"] for m in delivered(inbox)] == ["ent@example.com"]
    strip = lambda page: re.sub(r'value="[^"]*"|\S+@example\.com', "", page)   # noqa: E731
    assert strip(known) == strip(unknown)


def test_without_a_mail_server_the_page_sends_users_to_the_administrator(client, enterprise_user):
    page = client.get("/forgot-password").data.decode()
    assert "联系系统管理员" in page and "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    assert "联系系统管理员" in client.post("/forgot-password", data={"email": "ent@example.com"}).data.decode()


def test_a_weak_password_on_the_reset_page_is_refused_and_the_link_still_works(client, enterprise_user, inbox):
    client.post("/forgot-password", data={"email": "ent@example.com"})
    link = reset_link(delivered(inbox)[0])
    page = client.post(link, data={"password": "12345678", "password2": "12345678"}).data.decode()
    assert "密码至少" in page and 'role="alert"' in page
    assert client.get(link).status_code == 200
    assert "account.password_reset" not in actions()


def test_forgot_password_requests_are_rate_limited(app, client, enterprise_user, inbox):
    app.config["RATELIMIT_FORGOT"] = "2 per minute"
    codes = [client.post("/forgot-password", data={"email": "ent@example.com"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert len(delivered(inbox, 2)) == 2


def test_changing_the_password_needs_the_current_one(client, enterprise_user):
    login(client, enterprise_user)
    page = client.post("/account/password", data={"current_password": "wrong-one-123", "new_password": NEW,
                                                  "new_password2": NEW}).data.decode()
    assert "当前密码不正确" in page
    db.session.refresh(enterprise_user)
    assert enterprise_user.check_password(PASSWORD)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, client, enterprise_user):
    other_device = app.test_client()
    login(other_device, enterprise_user)
    login(client, enterprise_user)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW,
                                                      "new_password2": NEW})
    assert response.status_code == 302
    assert client.get("/enterprise").status_code == 200
    assert other_device.get("/enterprise").status_code == 302         # sent to log in again
    assert actions() == ["account.password_changed"]


def test_a_signed_in_user_opening_register_login_or_forgot_is_sent_home(client, enterprise_user):
    login(client, enterprise_user)
    for path in ("/register", "/login", "/forgot-password"):
        assert client.get(path).headers["Location"] == "/", path


def test_the_enterprise_edits_its_details_and_the_change_is_audited(client, enterprise_user):
    login(client, enterprise_user)
    changge = db.session.scalar(select(Area).where(Area.code == "changge"))
    form = client.get("/account/enterprise").data.decode()
    assert "91411000MA45XC8D1W" in form and "请联系系统管理员" in form and 'name="credit_code"' not in form
    response = client.post("/account/enterprise", data={
        "contact_name": "李四", "contact_phone": "0374-1234567", "area_id": str(changge.id),
        "industry_code": "13", "above_scale": ""})
    assert response.headers["Location"] == "/enterprise"
    ent = enterprise_user.enterprise
    db.session.refresh(ent)
    assert (ent.contact_name, ent.contact_phone, ent.area_id, ent.industry_code, ent.above_scale) == (
        "李四", "0374-1234567", changge.id, "13", False)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enterprise.profile_updated"))
    assert event.detail["changes"]["contact_name"] == ["张三", "李四"] and event.area_id == changge.id


def test_a_bad_phone_is_explained_and_nothing_changes(client, enterprise_user):
    login(client, enterprise_user)
    page = client.post("/account/enterprise", data={
        "contact_name": "李四", "contact_phone": "12", "area_id": str(enterprise_user.enterprise.area_id),
        "industry_code": "34", "above_scale": "y"}).data.decode()
    assert "请填写 11 位手机号" in page and 'value="李四"' in page
    db.session.refresh(enterprise_user.enterprise)
    assert enterprise_user.enterprise.contact_name == "张三"
