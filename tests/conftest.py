"""Fixtures. ``app`` runs every database test on SQLite and, when TEST_DATABASE_URL is set, again on
PostgreSQL. Data is built through the same services the application uses."""
from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from dataclasses import replace

import pytest
from flask import g
from sqlalchemy import text

from diagnosis import create_app
from diagnosis.accounts.models import Role
from diagnosis.accounts.services import Registration, create_user, register_enterprise
from diagnosis.extensions import db
from diagnosis.instruments import load_library
from diagnosis.reference.models import Area
from diagnosis.reference.services import load_reference_data
from diagnosis.reports.content.demo import demo_input

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PASSWORD = "correct-horse-9"
VALID_CODES = ["91411000MA45XC8D1W", "91411081MA9G7KD2P0", "91411000MA47B3Q9L7"]
IMG_INJECTION = '<img src="file:///etc/passwd">'
LINK_INJECTION = '<link rel="attachment" href="file:///etc/hostname">'


@pytest.fixture(scope="session")
def library():
    return load_library()


@pytest.fixture(scope="session")
def demo_report(library):
    """The report input of the complete demo diagnosis (no database)."""
    return demo_input(library)


@pytest.fixture(scope="session")
def hostile_report(demo_report):
    """The demo report where everything a user types carries markup that would fetch local files if
    it were not escaped, and a control character a paste can bring along."""
    demo = demo_report
    enterprise = dict(demo.enterprise, name=f"恶意企业{IMG_INJECTION}\x0b", area=LINK_INJECTION,
                      industry=f"<script>alert(1)</script>{IMG_INJECTION}", contact_name=LINK_INJECTION)
    review = dict(demo.review, provider=LINK_INJECTION, reviewer=IMG_INJECTION,
                  opinion=f"意见一 {IMG_INJECTION}\n意见二 {LINK_INJECTION}", domains={IMG_INJECTION: LINK_INJECTION},
                  disputed=[{"key": "ST2.1", "text": IMG_INJECTION, "answer": "1", "found": "0",
                             "comment": LINK_INJECTION}],
                  decisions=[{"title": IMG_INJECTION, "decision": "rejected", "reason": LINK_INJECTION}],
                  added=[LINK_INJECTION])
    return replace(demo, enterprise=enterprise, review=review, number=f"ZZ{IMG_INJECTION}",
                   questionnaire_title=LINK_INJECTION)


def _reset(url: str) -> None:
    """Empty the PostgreSQL test database (tables, Alembic's version table)."""
    if url.startswith("postgresql"):
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return os.environ["TEST_DATABASE_URL"]


@contextmanager
def running_app(database_url, folder):
    """The test application on an empty database with the reference data, inside its app context."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "test-secret", "REDIS_URL": None}, instance_path=str(folder / "instance"))

    @app.before_request
    def load_the_user_of_this_request():
        # Requests made while this fixture's app context is pushed share its ``g``, where
        # Flask-Login caches the signed-in user: each request must load its own, as in production.
        g.pop("_login_user", None)

    with app.app_context():
        _reset(database_url)
        db.create_all()
        load_reference_data(app.extensions["questionnaires"])
        yield app
        db.session.remove()
        _reset(database_url)
        db.drop_all()


@pytest.fixture
def app(database_url, tmp_path):
    with running_app(database_url, tmp_path) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def area(code: str = "jingkai") -> Area:
    return db.session.query(Area).filter_by(code=code).one()


def make_enterprise(name="许昌测试装备制造有限公司", code=VALID_CODES[0], email="ent@example.com",
                    area_code="jingkai", industry="34", above_scale=True):
    return register_enterprise(Registration(
        enterprise_name=name, credit_code=code, area_id=area(area_code).id, industry_code=industry,
        above_scale=above_scale, contact_name="张三", contact_phone="13800000000", email=email, password=PASSWORD))


@pytest.fixture
def enterprise_user(app):
    return make_enterprise()


@pytest.fixture
def other_enterprise_user(app):
    return make_enterprise(name="长葛另一家企业有限公司", code=VALID_CODES[1], email="other@example.com",
                           area_code="changge", industry="13")


@pytest.fixture
def provider_user(app):
    return create_user("provider@example.com", PASSWORD, Role.PROVIDER, name="李工", organization="中原智能咨询")


@pytest.fixture
def bureau_user(app):
    return create_user("bureau@example.com", PASSWORD, Role.BUREAU, name="开发区工信局", area=area("jingkai"))


@pytest.fixture
def city_bureau_user(app):
    return create_user("city@example.com", PASSWORD, Role.BUREAU, name="市工信局")


def login(client, user_or_email, password=PASSWORD):
    email = getattr(user_or_email, "email", user_or_email)
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.data.decode()[:500]
    return response


def submit_demo(user, questionnaire="zhizao-2024"):
    """A complete diagnosis of ``user``'s enterprise, submitted through the services."""
    from diagnosis import catalog
    from diagnosis.assessments import services
    from diagnosis.demo import demo_payload
    diagnosis = services.start_diagnosis(user, questionnaire)
    payload = demo_payload(catalog.library(), questionnaire)
    services.save_stage(diagnosis, {"profile": payload["profile"], "answers": payload["answers"]})
    services.submit(diagnosis)
    return diagnosis


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port: (host, port, the messages it received)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    with socket.socket() as probe:          # a free port (aiosmtpd checks its own server on the port given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield "127.0.0.1", port, inbox.messages
    controller.stop()


def reachable_redis() -> str:
    """``TEST_REDIS_URL`` once a ping answers. Without Redis a test that needs it is skipped with the
    reason shown (under ``CI`` it fails instead: CI starts one, see .ci/run)."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        Redis.from_url(url).ping()
    except RedisDown:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {url} (CI starts one; see .ci/run)")
    return url


@pytest.fixture
def redis_url(app):
    """The app configured with an emptied test Redis (background rendering through RQ)."""
    from redis import Redis
    url = reachable_redis()
    conn = Redis.from_url(url)
    conn.flushdb()
    app.config["REDIS_URL"] = url
    yield url
    conn.flushdb()


def run_worker(url: str) -> None:
    """Run an RQ worker over the report queue until it is empty (what ``diagnosis worker`` does)."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    from diagnosis.reports.web.jobs import QUEUE
    conn = Redis.from_url(url)
    SimpleWorker([Queue(QUEUE, connection=conn)], connection=conn).work(burst=True)
