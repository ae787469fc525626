"""Bureau area: diagnosis coverage of the enterprises in scope (an area, or the whole city)."""
from flask import Blueprint, render_template
from flask_login import current_user

from .. import access
from ..accounts.models import Role
from ..assessments.models import Diagnosis
from ..extensions import db
from ..roles import role_required
from .coverage import coverage

bp = Blueprint("bureau", __name__, url_prefix="/bureau")


@bp.route("/")
@role_required(Role.BUREAU, Role.ADMIN)
def home():
    area_id = current_user.area_id if current_user.role == Role.BUREAU else None
    recent = db.session.scalars(access.visible_diagnoses(current_user).order_by(Diagnosis.submitted_at.desc()).limit(50)).all()
    return render_template("bureau/home.html", coverage=coverage(area_id), recent=recent)
