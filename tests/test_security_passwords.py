"""New passwords must be long enough, not common and not guessable from the account."""
import pytest
from conftest import PASSWORD, VALID_CODES, area

from diagnosis.accounts.models import Role, User
from diagnosis.accounts.passwords import common_passwords, password_problem
from diagnosis.accounts.services import AccountError, create_user
from diagnosis.extensions import db


def register(client, password, email="new@example.com"):
    data = {"enterprise_name": "许昌新材料科技有限公司", "credit_code": VALID_CODES[2], "area_id": str(area("yuzhou").id),
            "industry_code": "30", "contact_name": "赵六", "contact_phone": "13912345678", "email": email,
            "password": password, "password2": password}
    return client.post("/register", data=data)


@pytest.mark.parametrize("password, says", [
    ("12345678", "密码至少 10 位"),
    ("short-9", "密码至少 10 位"),
    ("password123", "太常见"),
    ("1qaz2wsx3edc", "太常见"),
    ("woaini1314", "太常见"),
    ("QWERTYUIOP", "太常见"),
    ("aaaaaaaaaaaa", "重复或连续"),
    ("lmnopqrstuvw", "重复或连续"),
    ("abcdefghijkl", "重复或连续"),
    ("zhangwei-1985", "包含登录邮箱"),
])
def test_registration_refuses_weak_passwords_next_to_the_field(client, password, says):
    response = register(client, password, email="zhangwei@example.com")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and says in page
    assert db.session.query(User).count() == 0


def test_a_long_uncommon_password_is_accepted(client):
    assert register(client, "铁皮石斛-机加工-2026").status_code == 302


def test_the_minimum_length_is_configurable(app, client):
    app.config["PASSWORD_MIN_LENGTH"] = 14
    assert "密码至少 14 位" in register(client, "uncommon-9x").get_data(as_text=True)


def test_the_register_page_tells_the_rules_before_submitting(client):
    page = client.get("/register").get_data(as_text=True)
    assert "至少 10 位" in page and "常见密码" in page


def test_accounts_made_on_the_command_line_follow_the_same_rules(app):
    with pytest.raises(AccountError) as refused:
        create_user("bureau2@example.com", "12345678", Role.BUREAU)
    assert refused.value.field == "password"
    assert create_user("bureau2@example.com", PASSWORD, Role.BUREAU).role == Role.BUREAU


def test_the_common_password_list_is_a_data_file_of_thousands():
    common = common_passwords()
    assert len(common) > 10_000
    assert {"12345678", "password", "woaini1314", "1qaz2wsx"} <= common


def test_password_problem_is_none_for_a_good_password():
    assert password_problem(PASSWORD, "ent@example.com") is None
