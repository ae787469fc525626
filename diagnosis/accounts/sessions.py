"""Login sessions: a signed cookie holding ``user.get_id()`` (the user id and the user's current
session token), valid for PERMANENT_SESSION_LIFETIME after the last request, and Secure whenever
the request came over HTTPS.

``end_all_sessions`` (accounts.services) replaces the token, so every cookie issued before stops
working at once, wherever it was saved.
"""
from __future__ import annotations

import hmac

from flask import has_request_context, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import login_user, logout_user
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from werkzeug.middleware.proxy_fix import ProxyFix

from ..extensions import db, login_manager
from ..notifications import services as notifications
from .models import User
from .services import end_all_sessions

MAX_ID_DIGITS = 18
# Every signed-in request loads its user: one statement, made once (``session.get`` builds its
# query anew each time), which reads the header's unread count as well.
_USER_BY_ID = select(User, notifications.UNREAD_OF_USER).where(User.id == bindparam("user_id"))


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user whose id and current session token the session holds."""
    user_id, _, token = (session_id or "").partition(":")
    if not token or not user_id.isdigit() or len(user_id) > MAX_ID_DIGITS:
        return None             # also every cookie from before session tokens existed
    row = db.session.execute(_USER_BY_ID, {"user_id": int(user_id)}).one_or_none()
    if row is None:
        return None
    user, unread = row
    if not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    notifications.remember_unread(user.id, unread)
    return user


def sign_in(user: User) -> None:
    session.clear()             # nothing from before the login carries over into the new session
    login_user(user)
    session.permanent = True    # expires PERMANENT_SESSION_LIFETIME after the last request


def sign_out(user: User) -> None:
    """Logout: ends this session and every other session and API token of the user."""
    end_all_sessions(user)
    logout_user()


class _Session(SecureCookieSession):
    #: The signed part of the cookie this session was read from (its data, serialized): a session
    #: left unchanged is sent back with that part re-signed at the current time, as the same data
    #: serialized again would be.
    payload: str | None = None


class _Signer(TimestampSigner):
    """itsdangerous derives the signing key from the secret key on every signature; this derives
    each once (keys of the app's configuration only, never of a user)."""

    _derived: dict[tuple, bytes] = {}

    def derive_key(self, secret_key=None) -> bytes:
        key = (self.secret_key if secret_key is None else secret_key, self.salt, self.key_derivation,
               self.digest_method)
        derived = self._derived.get(key)
        if derived is None:
            if len(self._derived) > 64:
                self._derived.clear()
            derived = self._derived[key] = super().derive_key(secret_key)
        return derived


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the cookie marked Secure when the request is HTTPS
    (or always, with SESSION_COOKIE_SECURE).

    The same cookies as Flask's: the signing serializer is made once per secret key (Flask makes
    two per request), and a session the request did not change is not serialized again (the
    cookie is still re-signed, so that it expires PERMANENT_SESSION_LIFETIME after the last
    request)."""

    session_class = _Session

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)

    def get_signing_serializer(self, app) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)  # current key last
        serializer = self._serializers.get(keys)
        if serializer is None:
            if len(self._serializers) > 8:
                self._serializers.clear()
            serializer = self._serializers[keys] = URLSafeTimedSerializer(
                list(keys), salt=self.salt, serializer=self.serializer, signer=_Signer,
                signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method})
        return serializer

    def open_session(self, app, request) -> _Session | None:
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        try:
            data = s.loads(val, max_age=int(app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.payload = val.rsplit(".", 2)[0]        # value.timestamp.signature
        return session

    def save_session(self, app, session, response) -> None:
        """Flask's ``save_session``, but an unchanged session's serialized data is reused."""
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        partitioned = self.get_cookie_partitioned(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:
                response.delete_cookie(name, domain=domain, path=path, secure=secure, partitioned=partitioned,
                                       samesite=samesite, httponly=httponly)
                response.vary.add("Cookie")
            return
        if not self.should_set_cookie(app, session):
            return
        expires = self.get_expiration_time(app, session)
        s = self.get_signing_serializer(app)
        payload = getattr(session, "payload", None)
        if payload and not session.modified:
            val = s.make_signer().sign(payload).decode("utf-8")
        else:
            val = s.dumps(dict(session))
        response.set_cookie(name, val, expires=expires, httponly=httponly, domain=domain, path=path, secure=secure,
                            partitioned=partitioned, samesite=samesite)
        response.vary.add("Cookie")


def init_app(app) -> None:
    login_manager.user_loader(load_user)
    app.session_interface = SessionInterface()
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
