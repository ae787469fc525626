"""A database that is read-only, unreachable or gone gives a Chinese 503 page (JSON under /api/),
never a traceback, and reading keeps working where it can."""
import os

import psycopg
import pytest
from conftest import PASSWORD
from sqlalchemy import select
from sqlalchemy.engine import make_url

from diagnosis import create_app
from diagnosis.accounts.models import Role
from diagnosis.accounts.services import create_user
from diagnosis.assessments.models import Diagnosis
from diagnosis.extensions import db
from diagnosis.reference.services import load_reference_data

ENGINE = {"pool_pre_ping": True}


def served_app(url: str, engine_options: dict | None = None):
    """The application as a server runs it (not under test), on ``url``."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options or ENGINE,
                       "SECRET_KEY": "served-secret", "WTF_CSRF_ENABLED": False, "REDIS_URL": None})


def read_only(database_url: str) -> tuple[str, dict]:
    if database_url.startswith("sqlite"):
        return f"sqlite:///file:{database_url[len('sqlite:///'):]}?mode=ro&uri=true", ENGINE
    return database_url, dict(ENGINE, connect_args={"options": "-c default_transaction_read_only=on"})


def unreachable(database_url: str, tmp_path) -> str:
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite'}"
    return "postgresql+psycopg://postgres@127.0.0.1:1/zhizao_nowhere?connect_timeout=3"


def assert_503_page(response):
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:500]
    assert response.mimetype == "text/html"
    assert "服务暂时不可用" in page and 'class="brand"' in page
    assert "Traceback" not in page and "sqlalchemy" not in page.lower()
    assert int(response.headers["Retry-After"]) > 0


def assert_503_json(response):
    assert response.status_code == 503 and response.mimetype == "application/json"
    assert "数据库" in response.get_json()["error"]["message"]


def test_a_read_only_database_serves_pages_and_refuses_writes_with_503(app, database_url, enterprise_user):
    url, options = read_only(database_url)
    client = served_app(url, options).test_client()
    assert client.post("/login", data={"email": enterprise_user.email, "password": PASSWORD}).status_code == 302
    assert client.get("/enterprise").status_code == 200
    assert_503_page(client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"}))
    assert_503_json(client.post("/api/v1/auth/token", json={"email": enterprise_user.email, "password": PASSWORD}))
    assert client.get("/enterprise").status_code == 200            # the failed write left no broken session
    assert db.session.scalar(select(Diagnosis.id)) is None


def test_an_unreachable_database_gives_503_not_a_traceback(database_url, tmp_path):
    client = served_app(unreachable(database_url, tmp_path)).test_client()
    assert client.get("/").status_code == 200                      # the landing page needs no database
    assert_503_page(client.post("/login", data={"email": "someone@example.com", "password": PASSWORD}))
    assert_503_page(client.get("/register"))
    assert_503_json(client.get("/api/v1/diagnoses", headers={"Authorization": "Bearer some-token"}))
    assert client.get("/api/v1/questionnaires").status_code == 200


POSTGRES = ["postgresql"] if os.environ.get("TEST_DATABASE_URL") else []


@pytest.fixture(params=POSTGRES)
def vanishing_database():
    """A PostgreSQL database of its own, dropped by the test while the app is connected to it."""
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{base.database}_gone"
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    drop()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False), drop
    drop()


def test_a_database_that_goes_away_while_serving_gives_503(vanishing_database):
    url, drop = vanishing_database
    served = served_app(url)
    with served.app_context():
        db.create_all()
        load_reference_data(served.extensions["questionnaires"])
        create_user("provider@example.com", PASSWORD, Role.PROVIDER, organization="中原智能咨询")
        db.session.remove()
    client = served.test_client()
    assert client.post("/login", data={"email": "provider@example.com", "password": PASSWORD}).status_code == 302
    assert client.get("/provider/").status_code == 200
    drop()
    assert_503_page(client.get("/provider/"))
    assert_503_json(client.get("/api/v1/diagnoses", headers={"Authorization": "Bearer some-token"}))
    with served.app_context():
        db.engine.dispose()
