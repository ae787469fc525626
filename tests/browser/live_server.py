"""The real application served over real HTTP from a background thread, for the browser tests.

The app is the one ``make run`` serves (``create_app``), with CSRF protection on and a real database:
a SQLite file, or the PostgreSQL test database. Test data is built through the application's services
inside ``with server.app_context():`` blocks; each block ends its database session, so the test
never holds a SQLite lock while the server writes.
"""
from __future__ import annotations

import os
import secrets
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from flask import Flask
from sqlalchemy import text
from werkzeug.serving import BaseWSGIServer, make_server

from diagnosis import create_app
from diagnosis.extensions import db
from diagnosis.reference.services import load_reference_data


def browser_app(database_url: str, instance_path: Path) -> Flask:
    """The application as deployed, with a fresh database. CSRF stays on: the browser sends the
    tokens the pages carry, as a user's browser does."""
    app = create_app({
        "TESTING": True,                      # the app is under test (no production secret needed)
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "REDIS_URL": None,                    # reports render inline; no worker in the browser tests
    })
    assert app.config.get("WTF_CSRF_ENABLED", True), "browser tests run with CSRF protection on"
    app.instance_path = str(instance_path)
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        _empty_database(database_url)
        db.create_all()
        load_reference_data(app.extensions["questionnaires"])
    return app


def _empty_database(url: str) -> None:
    if url.startswith("postgresql"):
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


class LiveServer:
    """``app`` served by Werkzeug's threaded server on a free port of 127.0.0.1."""

    def __init__(self, app: Flask):
        self.app = app
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"live-server-{self.port}",
                                        daemon=True)

    def start(self) -> "LiveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    @contextmanager
    def app_context(self) -> Iterator[None]:
        """Build or read data through the services; the session is closed at the end of the block."""
        with self.app.app_context():
            try:
                yield
            finally:
                db.session.remove()

    def dispose(self, database_url: str) -> None:
        with self.app.app_context():
            db.session.remove()
            _empty_database(database_url)
            if not database_url.startswith("postgresql"):
                db.drop_all()
            db.engine.dispose()
