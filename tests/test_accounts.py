from conftest import PASSWORD, VALID_CODES, area, login

from diagnosis.accounts.models import Enterprise, Role, User
from diagnosis.extensions import db


def registration(**overrides):
    data = {"enterprise_name": "许昌新材料科技有限公司", "credit_code": VALID_CODES[2], "area_id": str(area("yuzhou").id),
            "industry_code": "30", "above_scale": "y", "contact_name": "赵六", "contact_phone": "13912345678",
            "email": "new@example.com", "password": PASSWORD, "password2": PASSWORD}
    data.update(overrides)
    return data


def test_an_enterprise_registers_itself_and_lands_on_its_home(client):
    response = client.post("/register", data=registration())
    assert response.status_code == 302 and response.headers["Location"].endswith("/enterprise")
    ent = db.session.query(Enterprise).filter_by(credit_code=VALID_CODES[2]).one()
    assert ent.above_scale and ent.area.name == "禹州市" and ent.industry_code == "30"
    user = db.session.query(User).filter_by(email="new@example.com").one()
    assert user.role == Role.ENTERPRISE and user.enterprise_id == ent.id
    assert user.password_hash != PASSWORD


def test_a_wrong_credit_code_check_character_is_shown_next_to_the_field(client):
    response = client.post("/register", data=registration(credit_code=VALID_CODES[2][:-1] + "A"))
    page = response.data.decode()
    assert response.status_code == 200 and "校验位不正确" in page
    assert db.session.query(Enterprise).count() == 0


def test_a_credit_code_can_register_only_once(client, enterprise_user):
    response = client.post("/register", data=registration(credit_code=enterprise_user.enterprise.credit_code))
    assert "已注册" in response.data.decode()


def test_a_bad_phone_number_is_explained_in_chinese(client):
    assert "11 位手机号" in client.post("/register", data=registration(contact_phone="123")).data.decode()


def test_login_with_a_wrong_password_fails_with_a_message(client, enterprise_user):
    response = client.post("/login", data={"email": enterprise_user.email, "password": "nope"})
    assert response.status_code == 200 and "邮箱或密码不正确" in response.data.decode()


def test_logout_ends_the_session(client, enterprise_user):
    login(client, enterprise_user)
    client.post("/logout")
    assert client.get("/enterprise").status_code == 302


def test_forms_reject_posts_without_a_csrf_token(app, enterprise_user):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/login", data={"email": enterprise_user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_create_user_makes_a_bureau_account_scoped_to_an_area(runner):
    result = runner.invoke(args=["create-user", "--role", "bureau", "--email", "yz@example.com", "--password",
                                 PASSWORD, "--area", "yuzhou", "--name", "禹州市工信局"])
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(email="yz@example.com").one()
    assert user.role == Role.BUREAU and user.area.code == "yuzhou"


def test_create_user_refuses_an_email_longer_than_the_column(runner):
    email = "a" * 230 + "@example.com"
    result = runner.invoke(args=["create-user", "--role", "admin", "--email", email, "--password", PASSWORD])
    assert result.exit_code != 0 and "邮箱" in result.output
    assert db.session.query(User).filter_by(email=email).count() == 0


def test_create_user_refuses_an_unknown_area(runner):
    result = runner.invoke(args=["create-user", "--role", "bureau", "--email", "x@example.com", "--password",
                                 PASSWORD, "--area", "atlantis"])
    assert result.exit_code != 0 and "unknown area" in result.output


def test_roles_are_sent_to_their_own_area(client, provider_user, bureau_user):
    login(client, provider_user)
    assert client.get("/").headers["Location"].endswith("/provider/")
    client.post("/logout")
    login(client, bureau_user)
    assert client.get("/").headers["Location"].endswith("/bureau/")


def test_a_provider_cannot_open_the_enterprise_area(client, provider_user):
    login(client, provider_user)
    assert client.get("/enterprise").status_code == 404
