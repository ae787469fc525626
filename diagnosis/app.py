"""Application factory."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from . import catalog, rate_limits, secret_key
from .config import PROJECT_ROOT, defaults, from_environment, normalize_database_url
from .extensions import csrf, db, login_manager, migrate


def create_app(config: dict | None = None, instance_path: str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path,
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

    db.init_app(app)
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
