"""Password changes end every session; reset tokens expire and work once."""
import pytest
from conftest import PASSWORD, login

from diagnosis.accounts.reset import reset_token, set_password, user_for_reset_token
from diagnosis.accounts.services import AccountError

NEW = "Xuchang-gear-2026"


def test_a_reset_token_names_its_user(enterprise_user):
    assert user_for_reset_token(reset_token(enterprise_user)) == enterprise_user


def test_a_reset_token_works_once(enterprise_user):
    token = reset_token(enterprise_user)
    set_password(enterprise_user, NEW)
    assert user_for_reset_token(token) is None


def test_a_reset_token_expires(app, enterprise_user):
    token = reset_token(enterprise_user)
    app.config["PASSWORD_RESET_HOURS"] = -1
    assert user_for_reset_token(token) is None


@pytest.mark.parametrize("token", ["", "abc", "eyJ1IjoxfQ.forged.signature"])
def test_a_forged_or_empty_token_is_refused(enterprise_user, token):
    assert user_for_reset_token(token) is None


def test_a_weak_new_password_is_refused_with_the_field_named(enterprise_user):
    with pytest.raises(AccountError) as exc:
        set_password(enterprise_user, "12345678", field="new_password")
    assert exc.value.field == "new_password"
    assert enterprise_user.check_password(PASSWORD)


def test_a_password_change_ends_every_session(client, app, enterprise_user):
    login(client, enterprise_user)
    assert client.get("/enterprise").status_code == 200
    set_password(enterprise_user, NEW)
    assert client.get("/enterprise").status_code == 302          # sent to log in again
    login(client, enterprise_user, NEW)
