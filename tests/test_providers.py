"""Provider organizations and sharing by consent: registration, approval, the directory, shares to an
organization (all its users), revocation, who opened it, the audit trail and notifications."""
from sqlalchemy import select

from conftest import PASSWORD, VALID_CODES, area, login, make_enterprise, submit_demo
from diagnosis.accounts.models import ProviderOrganization, Role, User
from diagnosis.accounts.services import create_user
from diagnosis.assessments import sharing
from diagnosis.assessments.models import Share
from diagnosis.audit.models import AuditEvent
from diagnosis.extensions import db
from diagnosis.notifications import services as notifications
from diagnosis.notifications.models import Notification

ORG_CODE = "91411000MA47B3Q9L7"


def registration(**changes):
    data = {"organization_name": "许昌智联工业机器人集成有限公司", "credit_code": ORG_CODE, "contact_name": "赵工",
            "contact_phone": "13800000001", "email": "zhao@robot.example", "password": PASSWORD,
            "specialties": ["robotics", "cnc"], "service_areas": ["jingkai"]}
    data.update(changes)
    return data


def register(client, **changes):
    return client.post("/provider/register", data=registration(**changes))


def organization(name="许昌智联工业机器人集成有限公司") -> ProviderOrganization:
    return db.session.scalar(select(ProviderOrganization).where(ProviderOrganization.name == name))


def test_a_provider_registers_its_organization_and_first_user_pending_approval(client):
    response = register(client)
    assert response.status_code == 302
    org = organization()
    assert org.status == "pending" and org.specialties == ["robotics", "cnc"] and org.service_areas == ["jingkai"]
    user = db.session.scalar(select(User).where(User.email == "zhao@robot.example"))
    assert user.role == Role.PROVIDER and user.provider_organization_id == org.id


def test_a_wrong_credit_code_is_named_and_nothing_is_registered(client):
    response = register(client, credit_code=ORG_CODE[:-1] + "A")
    assert response.status_code == 400 and "校验位不正确" in response.data.decode()
    assert "许昌智联工业机器人集成有限公司" in response.data.decode()        # what was typed is kept
    assert db.session.query(ProviderOrganization).count() == 0


def test_a_registration_without_a_specialty_is_refused(client):
    assert register(client, specialties=[]).status_code == 400
    assert db.session.query(ProviderOrganization).count() == 0


def test_the_city_bureau_approves_and_an_area_bureau_cannot(client, city_bureau_user, bureau_user):
    register(client)
    org = organization()
    login(client, bureau_user)
    assert client.get("/provider/organizations").status_code == 404
    assert client.post(f"/provider/organizations/{org.id}/decision", data={"decision": "approve"}).status_code == 404
    client.post("/logout")
    login(client, city_bureau_user)
    assert "许昌智联" in client.get("/provider/organizations").data.decode()
    client.post(f"/provider/organizations/{org.id}/decision", data={"decision": "approve"})
    db.session.refresh(org)
    assert org.status == "approved"
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_id == org.id,
                                                             AuditEvent.target_type == "provider_organization",
                                                             AuditEvent.actor_id == city_bureau_user.id)) == "provider.approve"


def test_enterprises_browse_approved_providers_by_specialty_and_area(client, enterprise_user):
    register(client)
    register(client, organization_name="禹州云上数字科技有限公司", credit_code=VALID_CODES[1],
             email="cloud@example.com", specialties=["cloud"], service_areas=[])
    for org in db.session.scalars(select(ProviderOrganization)):
        org.status = "approved"
    register(client, organization_name="尚未审核的服务商有限公司", credit_code=VALID_CODES[0],
             email="pending@example.com", specialties=["robotics"])
    db.session.commit()
    login(client, enterprise_user)
    page = client.get("/provider/directory?specialty=robotics").data.decode()
    assert "许昌智联" in page and "禹州云上" not in page and "尚未审核" not in page
    page = client.get("/provider/directory?area=changge").data.decode()
    assert "禹州云上" in page and "许昌智联" not in page       # no areas: the whole city


def test_create_user_for_a_provider_finds_or_makes_an_approved_organization(runner, app):
    for email in ("a@example.com", "b@example.com"):
        result = runner.invoke(args=["create-user", "--role", "provider", "--email", email, "--password", PASSWORD,
                                     "--organization", "中原智能咨询"])
        assert result.exit_code == 0, result.output
    (org,) = db.session.scalars(select(ProviderOrganization)).all()
    assert org.status == "approved"
    assert {u.provider_organization_id for u in db.session.scalars(select(User))} == {org.id}


def test_a_share_reaches_every_user_of_the_organization(client, enterprise_user, provider_user):
    colleague = create_user("colleague@example.com", PASSWORD, Role.PROVIDER, organization="中原智能咨询")
    diagnosis = submit_demo(enterprise_user)
    login(client, enterprise_user)
    client.post(f"/diagnoses/{diagnosis.id}/share", data={"organization_id": str(provider_user.provider_organization_id)})
    client.post("/logout")
    for user in (provider_user, colleague):
        login(client, user)
        assert client.get(f"/diagnoses/{diagnosis.id}").status_code == 200
        client.post("/logout")


def test_the_enterprise_sees_who_opened_its_share_and_when(client, enterprise_user, provider_user):
    diagnosis = submit_demo(enterprise_user)
    share = sharing.share_with(diagnosis, provider_user, enterprise_user)
    login(client, provider_user)
    client.get(f"/diagnoses/{diagnosis.id}")
    client.post("/logout")
    db.session.refresh(share)
    assert share.last_opened_by_id == provider_user.id and share.last_opened_at is not None
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{diagnosis.id}").data.decode()
    assert "中原智能咨询" in page and "李工" in page and "撤销分享" in page


def test_a_revoked_share_answers_404_and_the_row_is_kept(client, enterprise_user, provider_user):
    diagnosis = submit_demo(enterprise_user)
    share = sharing.share_with(diagnosis, provider_user, enterprise_user)
    login(client, enterprise_user)
    client.post(f"/diagnoses/{diagnosis.id}/shares/{share.id}/revoke")
    client.post("/logout")
    login(client, provider_user)
    for url in (f"/diagnoses/{diagnosis.id}", f"/diagnoses/{diagnosis.id}/report.pdf",
                f"/provider/diagnoses/{diagnosis.id}/review"):
        assert client.get(url).status_code == 404, url
    assert diagnosis.enterprise.name not in client.get("/provider/").data.decode()
    db.session.refresh(share)
    assert share.revoked_at is not None and share.revoked_by_id == enterprise_user.id


def test_an_organization_that_loses_its_approval_loses_access(client, enterprise_user, provider_user):
    diagnosis = submit_demo(enterprise_user)
    sharing.share_with(diagnosis, provider_user, enterprise_user)
    provider_user.provider_organization.status = "rejected"
    db.session.commit()
    login(client, provider_user)
    assert client.get(f"/diagnoses/{diagnosis.id}").status_code == 404


def test_a_pending_organization_cannot_be_shared_with(client, enterprise_user):
    register(client)
    diagnosis = submit_demo(enterprise_user)
    login(client, enterprise_user)
    client.post(f"/diagnoses/{diagnosis.id}/share", data={"organization_id": str(organization().id)})
    assert db.session.query(Share).count() == 0


def test_share_view_and_revoke_are_in_the_enterprises_audit_trail(client, enterprise_user, provider_user):
    diagnosis = submit_demo(enterprise_user)
    share = sharing.share_with(diagnosis, provider_user, enterprise_user)
    login(client, provider_user)
    client.get(f"/diagnoses/{diagnosis.id}")
    sharing.revoke(share, enterprise_user)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.enterprise_id == enterprise_user.enterprise_id, AuditEvent.diagnosis_id == diagnosis.id)
        .order_by(AuditEvent.id)).all()
    assert [a for a in actions if a.startswith("share.")] == ["share.create", "share.view", "share.revoke"]


def test_a_share_notifies_the_organizations_users_and_nobody_else(client, enterprise_user, provider_user):
    other = create_user("other-provider@example.com", PASSWORD, Role.PROVIDER, organization="另一家服务商")
    diagnosis = submit_demo(enterprise_user)
    sharing.share_with(diagnosis, provider_user, enterprise_user)
    recipients = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "share")))
    assert recipients == {provider_user.id} and other.id not in recipients
    login(client, provider_user)
    assert 'aria-label="1 条未读"' in client.get("/provider/").data.decode()
    assert diagnosis.number in client.get("/notifications/").data.decode()
    client.post("/notifications/read")
    assert "条未读" not in client.get("/provider/").data.decode()


def test_a_share_is_mailed_when_an_smtp_server_is_configured(app, smtp_server, enterprise_user, provider_user):
    host, port, messages = smtp_server
    app.config.update(MAIL_SERVER=host, MAIL_PORT=port, MAIL_SENDER="noreply@zhizao.example")
    diagnosis = submit_demo(enterprise_user)
    sharing.share_with(diagnosis, provider_user, enterprise_user)
    (message,) = messages
    assert message["To"] == provider_user.email
    assert diagnosis.number in message.get_payload(decode=True).decode(message.get_content_charset())


def test_the_directory_is_for_enterprises_only(client, provider_user):
    login(client, provider_user)
    assert client.get("/provider/directory").status_code == 404


def test_nobody_is_notified_about_a_diagnosis_they_may_not_open(enterprise_user, provider_user, bureau_user):
    changge = create_user("cg@example.com", PASSWORD, Role.BUREAU, area=area("changge"))
    other = make_enterprise(name="长葛另一家企业有限公司", code=VALID_CODES[1], email="other@example.com",
                            area_code="changge")
    diagnosis = submit_demo(enterprise_user)            # not shared: the provider may not open it
    made = notifications.notify([provider_user, changge, other, bureau_user, enterprise_user], diagnosis,
                                "review", "测试通知")
    assert {n.user_id for n in made} == {bureau_user.id, enterprise_user.id}


def test_the_api_shares_with_an_organization_and_revokes_the_share(client, enterprise_user, provider_user):
    diagnosis = submit_demo(enterprise_user)
    response = client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    created = client.post(f"/api/v1/diagnoses/{diagnosis.id}/shares", headers=headers,
                          json={"organization_ids": [provider_user.provider_organization_id]})
    assert created.status_code == 201
    (share,) = created.get_json()["shares"]
    assert share["organization"]["name"] == "中原智能咨询" and share["revoked_at"] is None
    assert client.delete(f"/api/v1/diagnoses/{diagnosis.id}/shares/{share['id']}", headers=headers).status_code == 204
    assert sharing.active_share_for(diagnosis, provider_user) is None


def test_the_api_refuses_to_share_with_an_organization_that_is_not_approved(client, enterprise_user):
    register(client)
    diagnosis = submit_demo(enterprise_user)
    response = client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    response = client.post(f"/api/v1/diagnoses/{diagnosis.id}/shares", headers=headers,
                           json={"organization_ids": [organization().id]})
    assert response.status_code == 404 and response.get_json()["error"]["key"] == "organization_ids"
    assert db.session.query(Share).count() == 0
