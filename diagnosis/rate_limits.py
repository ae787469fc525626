"""Rate limits on logging in, API tokens and registration (Flask-Limiter).

Counts are kept in Redis when REDIS_URL is set, so every app server behind a load balancer sees the
same counts; otherwise in the process. If Redis goes away the limiter counts in memory instead of
failing the request. The limits are config keys (see ``config.defaults``):

- ``RATELIMIT_LOGIN``: failed logins per client address and account (web form and API token
  endpoint together). Only failures count, so an office or a load test logging in many users from
  one address is not slowed down; a password guesser is.
- ``RATELIMIT_LOGIN_IP``: failed logins per client address over all accounts (password spraying).
- ``RATELIMIT_REGISTER``: registration attempts per client address (account enumeration, spam).
- ``RATELIMIT_FORGOT``: password-reset requests per client address (mail flooding, enumeration).

Each application gets its own ``Limiter`` (Flask-Limiter keeps its storage and key prefix per
instance), and the limits are applied here to the views named in ``LIMITED``.
"""
from __future__ import annotations

import hashlib
import math
import time

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

LOGIN_SCOPE = "login"
LOGIN_MESSAGE = "登录失败次数过多，为保护账号安全已暂停登录。"
REGISTER_MESSAGE = "注册请求过于频繁。"
FORGOT_MESSAGE = "重置密码的请求过于频繁。"


def _submitted_email() -> str:
    if request.is_json:
        data = request.get_json(silent=True)
        email = data.get("email") if isinstance(data, dict) else None
    else:
        email = request.form.get("email")
    return str(email or "").strip().lower()


def address_and_account() -> str:
    """Key of the per-account login limit: the client address and a hash of the email typed."""
    account = hashlib.sha256(_submitted_email().encode("utf-8", "replace")).hexdigest()[:24]
    return f"{get_remote_address()}|{account}"


def _login_failed(response) -> bool:
    """A login attempt whose password was checked and that did not let anyone in (the form shown
    again, 400 or 401). Refused attempts (429) do not count again."""
    if response.status_code == 429:
        return False
    if request.blueprint == "api":
        return response.status_code != 200
    return response.status_code != 302


def _configured(key: str):
    return lambda: current_app.config[key]


def login_limits(limiter: Limiter, view):
    """Failed-login limits shared by the web login and the API token endpoint."""
    view = limiter.shared_limit(_configured("RATELIMIT_LOGIN"), scope=LOGIN_SCOPE + "-account",
                                key_func=address_and_account, methods=["POST"], deduct_when=_login_failed,
                                error_message=LOGIN_MESSAGE)(view)
    return limiter.shared_limit(_configured("RATELIMIT_LOGIN_IP"), scope=LOGIN_SCOPE + "-address",
                                key_func=get_remote_address, methods=["POST"], deduct_when=_login_failed,
                                error_message=LOGIN_MESSAGE)(view)


def register_limits(limiter: Limiter, view):
    return limiter.limit(_configured("RATELIMIT_REGISTER"), key_func=get_remote_address, methods=["POST"],
                         error_message=REGISTER_MESSAGE)(view)


def forgot_limits(limiter: Limiter, view):
    return limiter.limit(_configured("RATELIMIT_FORGOT"), key_func=get_remote_address, methods=["POST"],
                         error_message=FORGOT_MESSAGE)(view)


# endpoint -> the limits on it
LIMITED = {"auth.login": login_limits, "api.token": login_limits, "auth.register": register_limits,
           "auth.forgot_password": forgot_limits}
EXTENSION = "zhizao_limiter"


def retry_after_seconds() -> int:
    """Seconds until the limit this request broke lets it through again."""
    try:
        limit = current_app.extensions[EXTENSION].current_limit
        reset_at = limit.reset_at if limit is not None else None
    except Exception:               # no limiter context, or the storage is unreachable
        reset_at = None
    if not reset_at:
        return 60
    return max(1, math.ceil(reset_at - time.time()))


def init_app(app) -> None:
    """After the blueprints are registered: a limiter for this app, and the limits on its views."""
    # Without Redis each process counts for itself (gunicorn's two workers: up to twice the limit).
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    for endpoint, limits in LIMITED.items():
        app.view_functions[endpoint] = limits(limiter, app.view_functions[endpoint])
