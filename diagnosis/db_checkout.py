"""How a request takes a pooled PostgreSQL connection: the liveness check, and no transaction
round trips for requests that only read.

With ``pool_pre_ping`` SQLAlchemy sends ``SELECT 1`` each time a request takes a connection from
the pool, and psycopg precedes the request's first query with ``BEGIN`` and the pool ends it with
``ROLLBACK`` or ``COMMIT``: on a page that reads two rows, five round trips where two carry the
request's own work, each one costing the app server and PostgreSQL a context switch and a
transaction's start or end. On PostgreSQL through psycopg (other databases keep
``pool_pre_ping``):

* A request with a safe method (GET, HEAD, OPTIONS) takes its connection in autocommit mode: its
  SELECTs run without ``BEGIN`` and ``ROLLBACK`` around them. PostgreSQL's default isolation
  (READ COMMITTED) gives every statement its own snapshot inside a transaction too, so the reads
  see the same data. The first statement that is not a plain SELECT (an INSERT, UPDATE or DELETE,
  a SAVEPOINT, a ``SELECT … FOR UPDATE``, an advisory lock) turns autocommit off before it is sent:
  psycopg then opens a transaction for it, and it and everything after it in the request commit
  or roll back together, as in any other request.
  Its liveness check costs no round trip: a server that closed the connection (restart,
  ``pg_terminate_backend``, an idle timeout) has sent its goodbye, so the socket is readable; only
  then is the connection pinged, and replaced if it is dead.
* Any other request (and work outside a request: the command line, the RQ worker) gets the
  transaction's ``BEGIN`` when it takes the connection, and that ``BEGIN`` is the liveness check: a
  dead connection fails there and is replaced (SQLAlchemy's checkout event with
  ``DisconnectionError``), as with the ping. psycopg sees the open transaction and does not send
  ``BEGIN`` again.
"""
from __future__ import annotations

import re
import select

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: connection_record.info key: the connection was taken in autocommit mode for a safe request.
READS_ONLY = "diagnosis.reads_only"
#: A statement that may run outside a transaction: a SELECT that takes no lock and changes nothing.
_PLAIN_SELECT = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_NOT_PLAIN = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b|\bpg_advisory|\bnextval\s*\(|"
                        r"\bsetval\s*\(|\binto\b", re.IGNORECASE)


def configure(app) -> bool:
    """Before the engine is made: take over ``pool_pre_ping`` when it is asked for on psycopg.
    True if ``attach`` must be called once the engine exists."""
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    if not (options.get("pool_pre_ping") and app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg")):
        return False
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(options, pool_pre_ping=False)
    return True


def attach(engine) -> None:
    event.listen(engine, "checkout", _checkout)
    event.listen(engine, "checkin", _checkin)
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)


def in_safe_request() -> bool:
    from flask import has_request_context, request

    return has_request_context() and request.method in SAFE_METHODS


def is_plain_select(statement: str) -> bool:
    return bool(_PLAIN_SELECT.match(statement)) and not _NOT_PLAIN.search(statement)


def _checkout(dbapi_connection, connection_record, connection_proxy) -> None:
    from psycopg import pq

    if dbapi_connection.autocommit or getattr(dbapi_connection, "isolation_level", None) is not None or \
            getattr(dbapi_connection, "read_only", None) is not None or \
            getattr(dbapi_connection, "deferrable", None) is not None:
        _ping(dbapi_connection)             # set up by someone else: leave it as it is
        return
    pgconn = dbapi_connection.pgconn
    if pgconn.transaction_status != pq.TransactionStatus.IDLE:
        _ping(dbapi_connection)
        return
    if in_safe_request():
        _check_idle_socket(dbapi_connection)
        connection_record.info[READS_ONLY] = True
        return
    try:
        result = pgconn.exec_(b"BEGIN")
    except Exception as exc:                # the connection is gone (psycopg.OperationalError)
        raise DisconnectionError(str(exc)) from exc
    if result.status != pq.ExecStatus.COMMAND_OK:
        raise DisconnectionError(pgconn.error_message.decode("utf-8", "replace"))


def _before_cursor_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    """In a connection taken for reading: anything but a plain SELECT runs in a transaction."""
    if conn.info.get(READS_ONLY) and not is_plain_select(statement):
        conn.info[READS_ONLY] = False
        dbapi_connection = cursor.connection
        if dbapi_connection.autocommit:
            dbapi_connection.autocommit = False     # psycopg sends BEGIN before this statement


def _checkin(dbapi_connection, connection_record) -> None:
    if connection_record.info.pop(READS_ONLY, None) is None or dbapi_connection is None:
        return
    from psycopg import pq

    if dbapi_connection.autocommit and dbapi_connection.pgconn.transaction_status == pq.TransactionStatus.IDLE:
        dbapi_connection.autocommit = False
    elif dbapi_connection.autocommit:       # not idle after the pool's reset: do not reuse it
        connection_record.invalidate()


def _check_idle_socket(dbapi_connection) -> None:
    """No round trip for a connection whose server said nothing since it was last used."""
    from psycopg import pq

    pgconn = dbapi_connection.pgconn
    if dbapi_connection.closed or pgconn.status != pq.ConnStatus.OK:
        raise DisconnectionError("connection closed")
    dbapi_connection.autocommit = True      # the ping below, if any, opens no transaction
    try:
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError) as exc:
        raise DisconnectionError(str(exc)) from exc
    if readable:                            # a goodbye, or a notice: find out which
        _ping(dbapi_connection)


def _ping(dbapi_connection) -> None:
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        raise DisconnectionError(str(exc)) from exc
