"""Password changes and reset links, one implementation for the user's own pages and the admin.

A reset link carries a signed, timestamped token (itsdangerous, keyed by the app's secret) holding
the user id and a fingerprint of the current password hash and session token: it expires after
``PASSWORD_RESET_HOURS`` and stops working as soon as the password changes or the user's sessions
are ended, so each link works once.
"""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from .models import User
from .passwords import password_problem
from .services import AccountError, end_all_sessions

SALT = "password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.session_token}".encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """A token for a reset link of ``user`` (valid once, for PASSWORD_RESET_HOURS)."""
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The active user the token was issued for, if it is still valid; None otherwise."""
    max_age = int(float(current_app.config.get("PASSWORD_RESET_HOURS", 2)) * 3600)
    try:
        data = _serializer().loads(token or "", max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user


def set_password(user: User, password: str, field: str = "password") -> None:
    """Give ``user`` a new password (checked by the password rules; ``AccountError`` names
    ``field``) and end every session and API token the user had."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(field, problem)
    user.set_password(password)
    end_all_sessions(user)          # commits
