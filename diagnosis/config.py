"""Configuration defaults. The instance folder's ``config.py``, a few plain env vars (DATABASE_URL,
REDIS_URL, SECRET_KEY) and ``DIAGNOSIS_<KEY>`` env vars (values parsed as JSON where they can be:
``DIAGNOSIS_SESSION_COOKIE_SECURE=true``, ``DIAGNOSIS_API_TOKEN_HOURS=8``) override them."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# The key the code shipped with: anyone can read it here, so anyone could sign sessions with it.
# ``create_app`` refuses to serve with it (or without a key) outside of tests and debug mode.
DEV_SECRET_KEY = "dev-only-change-me"


def defaults(instance_path: str) -> dict:
    return {
        "SECRET_KEY": None,             # instance/secret_key (``diagnosis secret-key``) or SECRET_KEY
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'diagnosis.sqlite'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "QUESTIONNAIRES_DIR": str(PROJECT_ROOT / "questionnaires"),
        "REPORTS_DIR": str(PROJECT_ROOT / "reports"),
        "REDIS_URL": None,
        "MAIL_SERVER": None,            # SMTP host; without it no email is sent (diagnosis.mail)
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_SENDER": "noreply@zhizao.local",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Sessions: a signed cookie that expires 12 h after the last request (seconds or a timedelta);
        # logout and password change end every session of the user (User.session_token).
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # True: the cookie is always Secure. False: Secure whenever the request came over HTTPS
        # (behind a TLS-terminating proxy set PROXY_FIX so X-Forwarded-Proto is believed).
        "SESSION_COOKIE_SECURE": False,
        # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to trust.
        "PROXY_FIX": 0,
        "API_TOKEN_HOURS": 24,
        # Passwords: minimum length; common passwords (diagnosis/accounts/common-passwords.txt) are refused.
        "PASSWORD_MIN_LENGTH": 10,
        "PASSWORD_RESET_HOURS": 2,         # how long a password-reset link works (diagnosis.accounts.reset)
        # Rate limits (Flask-Limiter notation). Counts live in Redis when REDIS_URL is set, so several
        # app servers share them; otherwise in the process. Only failed logins count against the
        # login limits, so many users logging in from one address (an office, a load test) are fine.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "5 per minute;20 per hour",       # failed logins per client address and account
        "RATELIMIT_LOGIN_IP": "30 per minute;200 per hour",  # failed logins per client address, any account
        "RATELIMIT_REGISTER": "10 per minute;30 per hour",   # registration attempts per client address
        "RATELIMIT_FORGOT": "5 per minute;20 per hour",      # password-reset requests per client address
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_KEY_PREFIX": "zhizao-limits",
        "RATELIMIT_SWALLOW_ERRORS": True,                # Redis down: count in memory, never fail a login
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    }


def from_environment() -> dict:
    env = {}
    if os.environ.get("DATABASE_URL"):
        env["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    if os.environ.get("MAIL_USE_TLS"):
        env["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    if os.environ.get("SECRET_KEY"):
        env["SECRET_KEY"] = os.environ["SECRET_KEY"]
    return env


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common short forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
