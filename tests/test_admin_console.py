"""The admin console: create, deactivate, reset a password, change role and area, set rounds;
every action audited, and the user's sessions end when their access changes."""
from conftest import PASSWORD, area, login
from sqlalchemy import select

from diagnosis.accounts.models import Role, User
from diagnosis.accounts.services import create_user
from diagnosis.audit.models import AuditEvent
from diagnosis.bureau.rounds import current_round
from diagnosis.extensions import db


def admin(client):
    user = create_user("admin@example.com", PASSWORD, Role.ADMIN, name="管理员")
    login(client, user)
    return user


def actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_the_admin_creates_an_area_bureau_account(client, app):
    admin(client)
    response = client.post("/admin/users", data={"email": "yuzhou@example.com", "name": "禹州工信局", "role": "bureau",
                                                 "area_id": str(area("yuzhou").id), "password": "long-enough-pass-7"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "yuzhou@example.com"))
    assert user.role == Role.BUREAU and user.area.name == "禹州市"
    assert actions() == ["user.create"]


def test_a_refused_creation_says_why_and_creates_nothing(client, app):
    admin(client)
    response = client.post("/admin/users", data={"email": "p@example.com", "role": "provider", "password": "short"},
                           follow_redirects=True)
    assert "操作未完成" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "p@example.com")) is None and actions() == []


def test_deactivating_a_user_ends_its_sessions(client, app, provider_user):
    admin(client)
    other = app.test_client()
    login(other, provider_user)
    assert client.post(f"/admin/users/{provider_user.id}/active", data={"active": "0"}).status_code == 302
    assert other.get("/provider/").status_code == 302                       # sent to log in
    assert other.post("/login", data={"email": provider_user.email, "password": PASSWORD}).status_code == 200
    assert actions() == ["user.deactivate"]


def test_a_password_reset_by_the_admin_ends_every_session(client, app, bureau_user):
    admin(client)
    other = app.test_client()
    login(other, bureau_user)
    assert client.post(f"/admin/users/{bureau_user.id}/password",
                       data={"password": "brand-new-pass-42"}).status_code == 302
    assert other.get("/bureau/").status_code == 302
    login(other, bureau_user.email, "brand-new-pass-42")
    assert actions() == ["user.reset_password"]


def test_changing_a_bureau_to_city_scope_is_audited_with_before_and_after(client, app, bureau_user):
    admin(client)
    client.post(f"/admin/users/{bureau_user.id}/role", data={"role": "bureau", "area_id": ""})
    db.session.refresh(bureau_user)
    assert bureau_user.area_id is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.change_role"))
    assert event.detail["before"]["area_id"] == area("jingkai").id and event.detail["after"]["area_id"] is None


def test_the_admin_cannot_deactivate_itself(client, app):
    me = admin(client)
    client.post(f"/admin/users/{me.id}/active", data={"active": "0"})
    db.session.refresh(me)
    assert me.active and actions() == []


def test_a_round_set_as_current_is_used_by_the_bureau(client, app):
    admin(client)
    client.post("/admin/rounds", data={"name": "2026年第二轮", "starts_on": "2026-07-01", "ends_on": "2026-12-31",
                                       "current": "1"})
    assert current_round().name == "2026年第二轮" and actions() == ["round.save"]


def test_other_roles_do_not_find_the_console(client, app, city_bureau_user):
    login(client, city_bureau_user)
    assert client.get("/admin/users").status_code == 404
