"""Password guessing is rate-limited (web login and API token together, registration too), with a
Chinese message; a login costs the same and says the same whether or not the email exists."""
import uuid

import pytest
from conftest import PASSWORD, VALID_CODES, area, make_enterprise, reachable_redis

from diagnosis import create_app
from diagnosis.accounts import passwords


def wrong_login(client, email="ent@example.com"):
    return client.post("/login", data={"email": email, "password": "wrong-password-1"})


def wrong_token(client, email="ent@example.com"):
    return client.post("/api/v1/auth/token", json={"email": email, "password": "wrong-password-1"})


def test_repeated_wrong_passwords_are_stopped_with_a_chinese_429(client, enterprise_user):
    for _ in range(5):
        assert wrong_login(client).status_code == 200
    refused = client.post("/login", data={"email": enterprise_user.email, "password": PASSWORD})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429, "even the right password waits while the account is blocked"
    assert "登录失败次数过多" in page and "后再试" in page and 'class="brand"' in page
    assert 0 < int(refused.headers["Retry-After"]) <= 61


def test_the_api_token_endpoint_counts_with_the_login_page(client, enterprise_user):
    for _ in range(3):
        assert wrong_login(client).status_code == 200
    for _ in range(2):
        assert wrong_token(client).status_code == 401
    refused = wrong_token(client)
    assert refused.status_code == 429 and refused.mimetype == "application/json"
    assert "登录失败次数过多" in refused.get_json()["error"]["message"]
    assert int(refused.headers["Retry-After"]) > 0


def test_successful_logins_from_one_address_are_not_limited(app, enterprise_user, other_enterprise_user):
    for n in range(24):               # 12 logins per account: more than 5 a minute
        user = (enterprise_user, other_enterprise_user)[n % 2]
        client = app.test_client()
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302, n


def test_one_accounts_failures_do_not_block_another_account(client, enterprise_user, other_enterprise_user):
    for _ in range(6):
        wrong_login(client, enterprise_user.email)
    assert client.post("/login", data={"email": other_enterprise_user.email, "password": PASSWORD}).status_code == 302


def test_guessing_over_many_accounts_from_one_address_is_stopped(app, client):
    app.config["RATELIMIT_LOGIN_IP"] = "8 per minute"
    for n in range(8):
        assert wrong_login(client, f"user{n}@example.com").status_code == 200
    assert wrong_login(client, "user9@example.com").status_code == 429


def test_the_limits_are_configurable(app, client):
    app.config["RATELIMIT_LOGIN"] = "2 per minute"
    assert [wrong_login(client).status_code for _ in range(3)] == [200, 200, 429]


def test_the_limits_can_be_switched_off_for_a_load_test(app, database_url, tmp_path):
    unlimited = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32,
                            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "REDIS_URL": None},
                           instance_path=str(tmp_path / "unlimited"))
    client = unlimited.test_client()
    assert {wrong_login(client).status_code for _ in range(8)} == {200}


def registration(n: int) -> dict:
    return {"enterprise_name": f"许昌注册测试{n}有限公司", "credit_code": VALID_CODES[2], "area_id": str(area("yuzhou").id),
            "industry_code": "30", "contact_name": "赵六", "contact_phone": "139", "email": f"r{n}@example.com",
            "password": PASSWORD, "password2": PASSWORD}


def test_registration_attempts_are_rate_limited(client):
    statuses = [client.post("/register", data=registration(n)).status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]
    assert "注册请求过于频繁" in client.post("/register", data=registration(99)).get_data(as_text=True)


def test_looking_at_the_forms_is_not_limited(client):
    assert {client.get("/login").status_code for _ in range(30)} == {200}
    assert {client.get("/register").status_code for _ in range(15)} == {200}


@pytest.fixture
def shared_redis():
    url = reachable_redis()
    from redis import Redis
    prefix = f"zhizao-test-{uuid.uuid4().hex}"
    yield url, prefix
    conn = Redis.from_url(url)
    for key in conn.scan_iter(f"*{prefix}*"):
        conn.delete(key)


def test_app_servers_sharing_redis_share_the_counts(database_url, tmp_path, shared_redis, enterprise_user):
    url, prefix = shared_redis
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32,
              "WTF_CSRF_ENABLED": False, "REDIS_URL": url, "RATELIMIT_KEY_PREFIX": prefix}
    first = create_app(config, instance_path=str(tmp_path / "a")).test_client()
    second = create_app(config, instance_path=str(tmp_path / "b")).test_client()
    for _ in range(3):
        assert wrong_login(first).status_code == 200
    for _ in range(2):
        assert wrong_login(second).status_code == 200
    assert wrong_login(first).status_code == 429
    assert wrong_login(second).status_code == 429
    from redis import Redis
    assert any(Redis.from_url(url).scan_iter(f"*{prefix}*")), "the counts are in Redis"


def test_login_keeps_working_when_the_limit_store_is_down(database_url, tmp_path, enterprise_user):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32,
                      "WTF_CSRF_ENABLED": False, "REDIS_URL": "redis://127.0.0.1:1/0"},
                     instance_path=str(tmp_path / "redis-down"))
    client = app.test_client()
    assert wrong_login(client).status_code == 200
    assert client.post("/login", data={"email": enterprise_user.email, "password": PASSWORD}).status_code == 302


@pytest.fixture
def hash_checks(monkeypatch):
    """The password hashes checked, in order (spying on the one function that checks them)."""
    checked = []
    real = passwords.check_password_hash

    def spy(password_hash, password):
        checked.append(password_hash)
        return real(password_hash, password)
    monkeypatch.setattr(passwords, "check_password_hash", spy)
    return checked


def test_an_unknown_email_costs_the_same_hash_check_as_a_known_one(client, enterprise_user, hash_checks):
    wrong_login(client, enterprise_user.email)
    wrong_login(client, "nobody@example.com")
    wrong_token(client, "nobody@example.com")
    assert len(hash_checks) == 3
    method = enterprise_user.password_hash.rsplit("$", 2)[0]
    assert all(h.rsplit("$", 2)[0] == method for h in hash_checks), "same algorithm and cost"


def test_an_inactive_account_costs_and_says_the_same_as_a_wrong_password(client, enterprise_user, hash_checks):
    from diagnosis.extensions import db
    enterprise_user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": enterprise_user.email, "password": PASSWORD})
    assert len(hash_checks) == 1 and "邮箱或密码不正确" in response.get_data(as_text=True)


def test_login_says_the_same_for_an_unknown_email_and_a_wrong_password(client, enterprise_user):
    def message(response):
        return response.get_data(as_text=True).replace(enterprise_user.email, "").replace("nobody@example.com", "")
    assert message(wrong_login(client, enterprise_user.email)) == message(wrong_login(client, "nobody@example.com"))
    assert wrong_token(client, enterprise_user.email).get_json() == wrong_token(client, "nobody@example.com").get_json()


def test_registering_a_taken_email_gets_a_neutral_message(client, enterprise_user):
    data = registration(1)
    data.update(contact_phone="13912345678", email=enterprise_user.email.upper())
    page = client.post("/register", data=data).get_data(as_text=True)
    assert "无法使用该邮箱注册" in page and "该邮箱已注册" not in page


def test_a_taken_email_is_checked_only_when_everything_else_is_valid(client, enterprise_user):
    data = registration(1)
    data.update(contact_phone="13912345678", email=enterprise_user.email, password="password123",
                password2="password123")
    page = client.post("/register", data=data).get_data(as_text=True)
    assert "太常见" in page and "无法使用该邮箱注册" not in page
    data.update(password=PASSWORD, password2=PASSWORD, credit_code=enterprise_user.enterprise.credit_code)
    page = client.post("/register", data=data).get_data(as_text=True)
    assert "统一社会信用代码已注册" in page and "无法使用该邮箱注册" not in page


def test_two_registrations_of_one_email_at_once_do_not_fail_the_server(app):
    from diagnosis.accounts.services import AccountError
    make_enterprise(code=VALID_CODES[0], email="same@example.com")
    with pytest.raises(AccountError) as refused:
        make_enterprise(name="另一家", code=VALID_CODES[1], email="SAME@example.com")
    assert refused.value.field == "email"
