"""Error responses: Chinese pages in the site layout, JSON (``{"error": {"message": …}}``) under /api/.

One place decides what every error looks like: HTTP errors raised anywhere (routing, ``abort``,
CSRF, request too large, rate limits), unexpected exceptions (500) and a database that cannot be
reached or written (503, instead of a traceback).
"""
from __future__ import annotations

import math

from flask import current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

MESSAGES = {
    400: ("请求无效", "请求的内容无法处理。请返回上一页，刷新后重试。"),
    401: ("需要登录", "请先登录。"),
    403: ("无权操作", "您的账号不能执行这项操作。"),
    404: ("页面不存在", "您访问的页面不存在，或者您的账号无权查看。请检查链接，或从首页进入。"),
    405: ("不支持的请求方式", "该地址不支持这种请求方式。请从页面上的按钮或链接进入。"),
    409: ("操作冲突", "当前状态下不能执行这项操作。"),
    413: ("提交的内容过大", "提交的内容超过了上限，请减少内容后重试。"),
    429: ("操作过于频繁", "请求过于频繁，请稍后再试。"),
    500: ("服务器出错了", "服务器处理请求时出错，错误已记录。请稍后重试；如果问题持续出现，请联系管理员。"),
    503: ("服务暂时不可用", "系统暂时无法访问数据库（可能正在维护）。已保存的内容不受影响，请稍后重试。"),
}
CSRF_MESSAGE = ("页面已过期", "页面的安全校验未通过（页面打开太久，或已在别处退出登录）。请返回上一页，刷新后重新提交。")

# Failures that mean the database cannot be used right now (down, unreachable, read-only, pool
# exhausted), not that a request was wrong: the answer is 503, not a traceback.
DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.InternalError,
                        sa_exc.TimeoutError, sa_exc.DisconnectionError)
DATABASE_RETRY_AFTER = 30

# Headers of an HTTP error worth keeping on the page we render instead (Allow for 405, …).
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, title: str | None = None, message: str | None = None,
                   headers: dict | None = None, minimal: bool = False):
    """The error page (or JSON under /api/) for ``status``. ``minimal`` leaves out the parts of the
    layout that read the database (the signed-in user), for when the database is the problem."""
    default_title, default_message = MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    title, message = title or default_title, message or default_message
    headers = dict(headers or {})
    if wants_json():
        return jsonify(error={"message": message}), status, headers
    if minimal and "_login_user" not in g:
        # Flask-Login's template context would load the signed-in user from the database.
        g._login_user = current_app.login_manager.anonymous_user()
    try:
        page = render_template("errors/error.html", status=status, title=title, message=message,
                               minimal_layout=minimal)
    except Exception:               # the layout itself failed (e.g. the database went away mid-page)
        current_app.logger.exception("error page %s could not be rendered", status)
        page = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{escape(title)} · 智造诊断</title>'
                f"<h1>{escape(title)}</h1><p>{escape(message)}</p><p><a href=\"/\">返回首页</a></p></html>")
    return page, status, headers


def _http_error(exc: HTTPException):
    status = exc.code or 500
    if status >= 500:
        return _server_error(exc)
    headers = {k: v for k, v in exc.get_headers() if k in _KEPT_HEADERS}
    if isinstance(exc, CSRFError):
        return error_response(400, *CSRF_MESSAGE, headers=headers)
    if status == 429:
        return _too_many_requests(exc, headers)
    # A Chinese description given with abort() (e.g. the field a 400 is about) is the message;
    # Werkzeug's English defaults are not.
    description = getattr(exc, "description", None)
    custom = description if description and not str(description).isascii() else None
    return error_response(status, message=custom, headers=headers)


def _too_many_requests(exc: HTTPException, headers: dict):
    from .rate_limits import retry_after_seconds

    seconds = retry_after_seconds()
    headers["Retry-After"] = str(seconds)
    wait = f"{math.ceil((seconds - 2) / 60)} 分钟" if seconds >= 60 else f"{seconds} 秒"
    reason = getattr(exc, "description", None)
    reason = reason if reason and not str(reason).isascii() else MESSAGES[429][1]
    return error_response(429, message=f"{reason}请在 {wait}后再试。", headers=headers)


def _server_error(exc: HTTPException):
    original = getattr(exc, "original_exception", None)
    if isinstance(original, DATABASE_UNAVAILABLE):
        return _database_unavailable(original)
    _rollback()
    status = exc.code if exc.code and exc.code >= 500 else 500
    return error_response(status, headers={k: v for k, v in exc.get_headers() if k in _KEPT_HEADERS},
                          minimal=True)


def _database_unavailable(exc: Exception):
    current_app.logger.error("database unavailable (%s): %s", type(exc).__name__, exc,
                             exc_info=(type(exc), exc, exc.__traceback__))
    _rollback()
    return error_response(503, headers={"Retry-After": str(DATABASE_RETRY_AFTER)}, minimal=True)


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:               # the connection is gone: nothing to roll back
        pass


def init_app(app) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    for exc_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(exc_class, _database_unavailable)
