"""Pooled PostgreSQL connections as the app server uses them (``diagnosis.db_checkout``): a page view
reads without opening a transaction, anything that writes or locks still runs in one, and a
connection the server closed is replaced before a request uses it."""
import os

import psycopg
import pytest
from conftest import PASSWORD, make_enterprise, running_app
from psycopg import pq
from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url

from diagnosis import create_app
from diagnosis.accounts.models import User
from diagnosis.db_checkout import is_plain_select
from diagnosis.extensions import db

#: SQLite keeps pool_pre_ping: these run on PostgreSQL (TEST_DATABASE_URL, always set by .ci/run).
POSTGRES = [os.environ["TEST_DATABASE_URL"]] if os.environ.get("TEST_DATABASE_URL") else []


@pytest.fixture(params=POSTGRES, ids=["postgresql"] * len(POSTGRES))
def database_url(request):
    return request.param


@pytest.fixture
def enterprise_user(database_url, tmp_path):
    """An enterprise account in the test database, made by the test app and committed."""
    with running_app(database_url, tmp_path):
        user = make_enterprise()
        db.session.commit()
        yield user


@pytest.fixture
def postgres_app(database_url, enterprise_user):
    """The app as a server runs it (not under test, its own app contexts) on the test database."""
    served = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "served-secret",
                         "WTF_CSRF_ENABLED": False, "REDIS_URL": None, "RATELIMIT_ENABLED": False})
    yield served
    with served.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def statements(postgres_app):
    """Every statement the served app sends, with whether its connection was in autocommit mode."""
    seen: list[tuple[str, bool]] = []
    with postgres_app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement.split(None, 1)[0].upper(), cursor.connection.autocommit))
    event.listen(engine, "after_cursor_execute", record)
    return seen


def backend_pids(served) -> list[int]:
    with served.app_context():
        with db.engine.connect() as conn:      # the pool's one connection (requests come one by one)
            return [conn.execute(text("SELECT pg_backend_pid()")).scalar_one()]


def terminate(database_url: str, pids: list[int]) -> None:
    admin = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        for _ in range(100):                # until the backends are gone
            if not conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)).fetchone():
                return
            conn.execute("SELECT pg_sleep(0.02)")


def test_a_page_view_reads_without_opening_a_transaction(postgres_app, statements, enterprise_user):
    client = postgres_app.test_client()
    assert client.post("/login", data={"email": enterprise_user.email, "password": PASSWORD}).status_code == 302
    statements.clear()
    assert client.get("/enterprise").status_code == 200
    assert statements and all(kind == "SELECT" and autocommit for kind, autocommit in statements), statements


def test_a_post_runs_in_a_transaction(postgres_app, statements, enterprise_user):
    client = postgres_app.test_client()
    assert client.post("/login", data={"email": enterprise_user.email, "password": PASSWORD}).status_code == 302
    assert statements and not any(autocommit for _, autocommit in statements), statements


def test_a_write_during_a_page_view_is_rolled_back_with_the_request(postgres_app, enterprise_user):
    with postgres_app.test_request_context("/enterprise", method="GET"):
        connection = db.session.connection()
        dbapi = connection.connection.dbapi_connection
        db.session.execute(select(User.id)).all()
        assert dbapi.autocommit, "a read in a page view needs no transaction"
        db.session.execute(text("UPDATE user_account SET name = 'changed' WHERE id = :id"), {"id": enterprise_user.id})
        assert dbapi.pgconn.transaction_status == pq.TransactionStatus.INTRANS
        db.session.rollback()
        assert db.session.scalar(select(User.name).where(User.id == enterprise_user.id)) != "changed"
        db.session.remove()


def test_a_locking_read_during_a_page_view_holds_its_lock_until_the_request_ends(postgres_app, enterprise_user):
    with postgres_app.test_request_context("/enterprise", method="GET"):
        db.session.execute(select(User.id).where(User.id == enterprise_user.id).with_for_update()).all()
        dbapi = db.session.connection().connection.dbapi_connection
        assert dbapi.pgconn.transaction_status == pq.TransactionStatus.INTRANS
        db.session.remove()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(
        postgres_app, database_url, enterprise_user, method):
    client = postgres_app.test_client()
    assert client.post("/login", data={"email": enterprise_user.email, "password": PASSWORD}).status_code == 302
    assert client.get("/enterprise").status_code == 200
    terminate(database_url, backend_pids(postgres_app))
    if method == "GET":
        assert client.get("/enterprise").status_code == 200
    else:
        response = client.post("/diagnoses/new", data={"questionnaire": "zhizao-2024"})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("statement, plain", [
    ("SELECT app_user.id FROM app_user WHERE app_user.id = %(id)s", True),
    ("  select 1", True),
    ("SELECT diagnosis.id FROM diagnosis WHERE diagnosis.id = %(id)s FOR UPDATE", False),
    ("SELECT diagnosis.id FROM diagnosis FOR NO KEY UPDATE OF diagnosis", False),
    ("SELECT id FROM diagnosis FOR SHARE", False),
    ("SELECT pg_advisory_xact_lock(1)", False),
    ("SELECT nextval('diagnosis_id_seq')", False),
    ("SELECT * INTO copy_of_users FROM app_user", False),
    ("WITH moved AS (DELETE FROM audit RETURNING *) SELECT count(*) FROM moved", False),
    ("UPDATE diagnosis SET status = 'submitted'", False),
    ("SAVEPOINT sa_savepoint_1", False),
])
def test_only_a_select_that_neither_locks_nor_writes_runs_outside_a_transaction(statement, plain):
    assert is_plain_select(statement) is plain
