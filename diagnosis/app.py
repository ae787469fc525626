"""Application factory."""
from __future__ import annotations

import inspect
import os
from pathlib import Path
from types import FunctionType

from flask import Flask
from flask.globals import _cv_request

from . import catalog, db_checkout, rate_limits, secret_key
from .config import PROJECT_ROOT, defaults, from_environment, normalize_database_url
from .extensions import csrf, db, login_manager, migrate


class DiagnosisFlask(Flask):
    """Flask, with two things it does several times per request done faster, with the same results.

    - ``ensure_sync``: Flask asks ``inspect.iscoroutinefunction`` of every hook and view on every
      request; a plain function (or a method of one) is told apart by its code flags directly.
    - ``url_for`` of an endpoint without arguments (or a static file): the header links of every
      page. The URL depends only on the endpoint, the file and where the app is mounted, so it is
      kept per process once built (no user's data is in it: links with ids are built each time).
    """

    _URLS_KEPT = 512

    def ensure_sync(self, func):
        plain = getattr(func, "__func__", func)
        if type(plain) is FunctionType and not plain.__code__.co_flags & inspect.CO_COROUTINE and not (
                _MARKED and getattr(plain, "_is_coroutine_marker", None) is not None):
            return func
        return super().ensure_sync(func)

    def url_for(self, endpoint: str, /, *, _anchor=None, _method=None, _scheme=None, _external=None, **values) -> str:
        if (_anchor is None and _method is None and _scheme is None and _external is None and endpoint[:1] != "."
                and (not values or (len(values) == 1 and type(values.get("filename")) is str))):
            req_ctx = _cv_request.get(None)
            adapter = req_ctx.url_adapter if req_ctx is not None else None
            if adapter is not None and not any(self.url_default_functions.values()):
                key = (endpoint, values.get("filename"), adapter.script_name, adapter.server_name, adapter.subdomain)
                urls = self.__dict__.setdefault("_urls", {})
                url = urls.get(key)
                if url is None:
                    url = super().url_for(endpoint, **values)
                    if len(urls) < self._URLS_KEPT:
                        urls[key] = url
                return url
        return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external,
                               **values)


# Python 3.12 can mark a plain function as a coroutine function (inspect.markcoroutinefunction).
_MARKED = hasattr(inspect, "markcoroutinefunction")


def create_app(config: dict | None = None, instance_path: str | None = None) -> Flask:
    app = DiagnosisFlask(__name__, instance_relative_config=True, instance_path=instance_path,
                         template_folder=str(PROJECT_ROOT / "templates"), static_folder=str(PROJECT_ROOT / "static"))
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment())
    app.config.from_prefixed_env("DIAGNOSIS")
    if config:
        app.config.update(config)
    secret_key.configure(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    begin_on_checkout = db_checkout.configure(app)
    db.init_app(app)
    if begin_on_checkout:
        with app.app_context():
            db_checkout.attach(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    catalog.init_app(app)

    from . import models  # noqa: F401  (every table registered before migrations run)
    from .accounts import sessions
    sessions.init_app(app)

    from . import ids, text_input
    ids.init_app(app)  # before any route: every <int:...> is a bounded database id
    text_input.init_app(app)

    from .accounts.account_views import bp as account_bp
    from .accounts.views import bp as auth_bp
    from .admin.views import bp as admin_bp
    from .api.views import bp as api_bp
    from .assessments.views import bp as enterprise_bp
    from .bureau.views import bp as bureau_bp
    from .home import bp as home_bp
    from .notifications.views import bp as notifications_bp
    from .providers.views import bp as provider_bp
    from .reports.web.views import bp as reports_bp

    for bp in (home_bp, auth_bp, account_bp, enterprise_bp, provider_bp, bureau_bp, reports_bp, api_bp, admin_bp,
               notifications_bp):
        app.register_blueprint(bp)
    csrf.exempt(api_bp)
    rate_limits.init_app(app)

    from .templating import init_app as init_templating
    init_templating(app)

    from . import errors, security_headers
    errors.init_app(app)
    security_headers.init_app(app)

    from .app_commands import register
    register(app)

    if os.environ.get("DIAGNOSIS_SQL_ECHO"):
        app.config["SQLALCHEMY_ECHO"] = True
    return app
