"""Login sessions: a signed cookie holding ``user.get_id()`` (the user id and the user's current
session token), valid for PERMANENT_SESSION_LIFETIME after the last request, and Secure whenever
the request came over HTTPS.

``end_all_sessions`` (accounts.services) replaces the token, so every cookie issued before stops
working at once, wherever it was saved.
"""
from __future__ import annotations

import hmac

from flask import has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from ..extensions import db, login_manager
from .models import User
from .services import end_all_sessions

MAX_ID_DIGITS = 18


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user whose id and current session token the session holds."""
    user_id, _, token = (session_id or "").partition(":")
    if not token or not user_id.isdigit() or len(user_id) > MAX_ID_DIGITS:
        return None             # also every cookie from before session tokens existed
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def sign_in(user: User) -> None:
    session.clear()             # nothing from before the login carries over into the new session
    login_user(user)
    session.permanent = True    # expires PERMANENT_SESSION_LIFETIME after the last request


def sign_out(user: User) -> None:
    """Logout: ends this session and every other session and API token of the user."""
    end_all_sessions(user)
    logout_user()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the cookie marked Secure when the request is HTTPS
    (or always, with SESSION_COOKIE_SECURE)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def init_app(app) -> None:
    login_manager.user_loader(load_user)
    app.session_interface = SessionInterface()
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
