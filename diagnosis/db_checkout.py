"""A cheaper liveness check of pooled PostgreSQL connections, with the same effect as pool_pre_ping.

With ``pool_pre_ping`` SQLAlchemy sends ``SELECT 1`` each time a request takes a connection from
the pool, and psycopg precedes it with the transaction's ``BEGIN``: two round trips before the
request's first query. On PostgreSQL through psycopg the ``BEGIN`` alone is the check: it is sent
when the connection is taken (a dead connection fails there, is thrown away and replaced, as with
the ping: SQLAlchemy's checkout event with ``DisconnectionError``), and psycopg, which starts a
transaction only when none is open, does not send it again. One round trip per request less, for
the app server and for PostgreSQL. Other databases keep ``pool_pre_ping``.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError


def configure(app) -> bool:
    """Before the engine is made: take over ``pool_pre_ping`` when it is asked for on psycopg.
    True if ``attach`` must be called once the engine exists."""
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    if not (options.get("pool_pre_ping") and app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg")):
        return False
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(options, pool_pre_ping=False)
    return True


def attach(engine) -> None:
    event.listen(engine, "checkout", _begin)


def _begin(dbapi_connection, connection_record, connection_proxy) -> None:
    from psycopg import pq

    if dbapi_connection.autocommit or getattr(dbapi_connection, "isolation_level", None) is not None or \
            getattr(dbapi_connection, "read_only", None) is not None or \
            getattr(dbapi_connection, "deferrable", None) is not None:
        _ping(dbapi_connection)             # psycopg would start such a transaction differently
        return
    pgconn = dbapi_connection.pgconn
    if pgconn.transaction_status != pq.TransactionStatus.IDLE:
        _ping(dbapi_connection)
        return
    try:
        result = pgconn.exec_(b"BEGIN")
    except Exception as exc:                # the connection is gone (psycopg.OperationalError)
        raise DisconnectionError(str(exc)) from exc
    if result.status != pq.ExecStatus.COMMAND_OK:
        raise DisconnectionError(pgconn.error_message.decode("utf-8", "replace"))


def _ping(dbapi_connection) -> None:
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        raise DisconnectionError(str(exc)) from exc
