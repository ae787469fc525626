"""Sessions are signed with a random per-instance secret; the development default is refused."""
import stat

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from diagnosis import create_app
from diagnosis.cli import main
from diagnosis.config import DEV_SECRET_KEY
from diagnosis.secret_key import InsecureSecretKey, create_secret, read_secret, secret_path


def signed_session(key: str, data: dict) -> str:
    """A session cookie value as Flask would sign it with ``key``."""
    forger = Flask("forger")
    forger.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(data)


def test_setup_creates_a_private_random_secret_and_never_replaces_it(tmp_path):
    runner = CliRunner()
    first = runner.invoke(main, ["secret-key", "--instance", str(tmp_path)])
    assert first.exit_code == 0, first.output
    path = secret_path(tmp_path)
    key = read_secret(tmp_path)
    assert key and len(key) >= 48 and key != DEV_SECRET_KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = runner.invoke(main, ["secret-key", "--instance", str(tmp_path)])
    assert again.exit_code == 0 and "exists" in again.output
    assert read_secret(tmp_path) == key


def test_every_instance_gets_its_own_secret(tmp_path):
    create_secret(tmp_path / "a")
    create_secret(tmp_path / "b")
    assert read_secret(tmp_path / "a") != read_secret(tmp_path / "b")


def test_the_app_signs_sessions_with_the_instance_secret(tmp_path):
    create_secret(tmp_path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"}, instance_path=str(tmp_path))
    assert app.secret_key == read_secret(tmp_path)


@pytest.mark.parametrize("configured", [None, DEV_SECRET_KEY])
def test_the_app_refuses_to_start_without_a_key_or_with_the_development_default(tmp_path, configured):
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    if configured:
        config["SECRET_KEY"] = configured
    with pytest.raises(InsecureSecretKey) as refused:
        create_app(config, instance_path=str(tmp_path))
    assert "diagnosis secret-key" in str(refused.value) and "SECRET_KEY" in str(refused.value)


def test_the_command_line_says_how_to_fix_a_missing_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    import diagnosis.app
    real = diagnosis.app.create_app
    monkeypatch.setattr(diagnosis.app, "create_app",
                        lambda config=None, instance_path=None: real(config, instance_path or str(tmp_path)))
    result = CliRunner().invoke(main, ["seed"])
    assert result.exit_code == 1
    assert "Refusing to start" in result.output and "diagnosis secret-key" in result.output


def test_under_test_the_development_default_is_allowed(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"},
                     instance_path=str(tmp_path))
    assert app.secret_key == DEV_SECRET_KEY


def test_a_cookie_signed_with_the_old_default_key_logs_nobody_in(app, enterprise_user, tmp_path):
    instance = tmp_path / "served"
    create_secret(instance)
    served = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": None},
                        instance_path=str(instance))
    for key, expected in [(DEV_SECRET_KEY, 302), (read_secret(instance), 200)]:
        client = served.test_client()
        client.set_cookie("session", signed_session(key, {"_user_id": enterprise_user.get_id(), "_fresh": True}))
        response = client.get("/enterprise")
        assert response.status_code == expected, key
        if expected == 302:
            assert "/login" in response.headers["Location"]
