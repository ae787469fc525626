"""The notification list of the signed-in user (every role), and the header's unread count."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from . import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def unread():
    """``unread_notifications()`` for the header: queried only when the header is drawn (an error
    page about the database leaves it out)."""
    def count() -> int:
        return services.unread_count(current_user) if current_user.is_authenticated else 0
    return {"unread_notifications": count}


@bp.route("/")
@login_required
def index():
    return render_template("notifications/index.html", notifications=services.recent(current_user))


@bp.route("/read", methods=["POST"])
@login_required
def read():
    services.mark_all_read(current_user)
    return redirect(url_for(".index"))
