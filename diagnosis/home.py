"""The landing page: sends each role to its own area."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .accounts.models import Role

bp = Blueprint("home", __name__)

AREAS = {Role.ENTERPRISE: "enterprise.home", Role.PROVIDER: "provider.home", Role.BUREAU: "bureau.home",
         Role.ADMIN: "bureau.home"}


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(AREAS[current_user.role]))
    return render_template("index.html")
